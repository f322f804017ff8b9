"""Route modules, one per resource; each handler parses, authorizes, calls SQL and shapes."""
