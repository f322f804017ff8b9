"""Database administration: roles, databases, migrations, the schema snapshot."""
