"""Errors a command reports to its operator as one clear line."""


class CommandError(Exception):
    """A failure the CLI prints as one line and exits non-zero on, without a traceback."""
