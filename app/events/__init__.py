"""The event bus seen from Python: the catalog of event types and the event envelope."""
