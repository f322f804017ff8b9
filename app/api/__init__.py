"""The HTTP API: Litestar routes that parse, authorize, call SQL and shape the answer."""
