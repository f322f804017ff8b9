"""RestartiX Core: the HTTP side of a database-centric clinic platform."""
