"""Value types for the command-line arguments of `restartix` and its worker commands."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def whole_number(what: str, low: int, high: int) -> Callable[[str], int]:
    """An argparse type taking a whole number from `low` to `high`; `what` names it in errors."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not {what}: {value!r}") from None
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}")
        return number

    return parse


# How many months of partitions the roll-partitions commands create ahead.
MONTHS_AHEAD = whole_number("a number of months", 0, 36)
