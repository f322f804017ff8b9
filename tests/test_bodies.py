"""JSON nesting depth is measured before decoding (issue 14, finding 5), and measured right."""

from __future__ import annotations

import time

import msgspec
import pytest

from app.api.bodies import MAX_JSON_DEPTH, json_depth


@pytest.mark.parametrize(
    ("body", "depth"),
    [
        (b"{}", 1),
        (b'{"a": [1, {"b": []}]}', 3),
        (b'["[[[[", "{{{{"]', 1),
        (b'["\\"[[[[", "\\\\", [[]]]', 3),
        (b'"' + b"[" * 500 + b'"', 0),
        (b"[" * 1000 + b"]" * 1000, 1000),
        (b'{"a":' * 70 + b"1" + b"}" * 70, 70),
        (b"[[]," * 100 + b"[]" + b"]" * 100, 101),
    ],
)
def test_json_depth_counts_brackets_outside_strings(body: bytes, depth: int) -> None:
    measured = json_depth(body)
    # Within the cap the answer is only "within the cap"; beyond it, the exact depth.
    assert (measured > MAX_JSON_DEPTH) == (depth > MAX_JSON_DEPTH)
    if depth > MAX_JSON_DEPTH:
        assert measured == depth


def test_a_wide_megabyte_is_measured_quickly() -> None:
    body = msgspec.json.encode([[i, {"k": [i]}] for i in range(60_000)])
    assert len(body) > 1_000_000
    started = time.perf_counter()
    assert json_depth(body) == 4
    assert time.perf_counter() - started < 0.5
