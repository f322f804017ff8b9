"""Background processes: outbox consumers and periodic tasks."""
