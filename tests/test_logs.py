"""Redaction of personal data and secrets, and the JSON lines the log handler writes."""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from app.logs import (
    HANDLER_NAME,
    UVICORN_LOGGERS,
    cnp_is_valid,
    configure_logging,
    iban_is_valid,
    json_handler,
    redact,
    request_id_var,
)

JWT = (
    "eyJhbGciOiJSUzI1NiIsImtpZCI6ImRldi0xIiwidHlwIjoiSldUIn0"
    ".eyJzdWIiOiJhdXRoMHw2NWYxYzIiLCJhdWQiOiJyZXN0YXJ0aXgtY29yZSIsImV4cCI6MTcxODAzNTAwMH0"
    ".Qm9ndXNTaWduYXR1cmVCeXRlc0Zvckxv_2dzLXRlc3Q"
)
CNP_MALE_1996_CLUJ = "1960523123457"
CNP_FEMALE_1985_BUCHAREST = "2851103401236"
CNP_RESIDENT_2000 = "5000101700120"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # e-mail, also URL-encoded as in an access log's query string
        ("invite sent to ana.popescu+clinic@example.ro", "invite sent to [REDACTED:email]"),
        (
            "GET /v1/orgs/x/members?email=ion.ionescu%40clinica-buna.ro&limit=20",
            "GET /v1/orgs/x/members?email=[REDACTED:email]&limit=20",
        ),
        ("contact: <Maria_Ilie@Spital.Example.COM>", "contact: <[REDACTED:email]>"),
        # phones: international, Romanian national, generic
        ("call +40 740 123 456 today", "call [REDACTED:phone] today"),
        ("sms to +40740123456.", "sms to [REDACTED:phone]."),
        ("tel 0040 21 318 1000", "tel [REDACTED:phone]"),
        ("?phone=%2B40721234567", "?phone=[REDACTED:phone]"),
        ("mobil 0740 123 456, fix (021) 312 3456", "mobil [REDACTED:phone], fix [REDACTED:phone]"),
        ("0740-123-456 / 0740.123.456 / 0740123456", " / ".join(["[REDACTED:phone]"] * 3)),
        ("US office (555) 123-4567", "US office [REDACTED:phone]"),
        ("UK +44 (0)20 7946 0958 ext", "UK [REDACTED:phone] ext"),
        ("fax 555.123.4567", "fax [REDACTED:phone]"),
        ("FR 01 23 45 67 89", "FR [REDACTED:phone]"),
        # bearer tokens and bare JWTs
        (
            "Authorization: Bearer 8f2c1d9e7a6b5c4d3e2f1a0b",
            "Authorization: Bearer [REDACTED:token]",
        ),
        (f"authorization=bearer {JWT}", "authorization=bearer [REDACTED:token]"),
        (f"token rejected: {JWT} (expired)", "token rejected: [REDACTED:jwt] (expired)"),
        ("unsigned eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0. end", "unsigned [REDACTED:jwt] end"),
        # IBANs, spaced or compact, with trailing words and several in a row
        ("pay to RO49 AAAA 1B31 0075 9384 0000 SRL", "pay to [REDACTED:iban] SRL"),
        ("iban=RO49AAAA1B31007593840000&x=1", "iban=[REDACTED:iban]&x=1"),
        (
            "DE89370400440532013000 GB82 WEST 1234 5698 7654 32",
            "[REDACTED:iban] [REDACTED:iban]",
        ),
        ("lower-case ro49aaaa1b31007593840000", "lower-case [REDACTED:iban]"),
        # CNP with a valid control digit
        (f"patient cnp {CNP_MALE_1996_CLUJ} registered", "patient cnp [REDACTED:cnp] registered"),
        (f"cnp={CNP_FEMALE_1985_BUCHAREST};", "cnp=[REDACTED:cnp];"),
        (f"[{CNP_RESIDENT_2000}]", "[[REDACTED:cnp]]"),
    ],
)
def test_each_kind_is_replaced_by_its_marker(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "org 550e8400-e29b-41d4-a716-446655440000 and 12345678-1234-1234-1234-123456789012",
        "at 2024-06-10T12:34:56.789Z, 2024-06-10 12:34:56,789 and 2024-06-10T12:34:56+03:00",
        "on 10.06.2024 12:30, 10/06/2024, 2024/06/10",
        "epoch 1718031234 ms 1718031234567 float 1718031234.567",
        "took 1234 ms, status 200, 15 rows, id 123456789, order 12345678901",
        "amount 1 234 567 890 lei, 1.234.567.890 RON, 1,234,567,890 EUR, pi 3.14159265358979",
        "client 192.168.100.200 port 50000, v1.22.333",
        # 13 digits that are not a CNP: bad month, and a good shape with a wrong control digit
        "reference 1234567890123 and 1960523123458",
        # an IBAN whose checksum fails stays (it is a typo, not an account number)
        "RO48AAAA1B31007593840000",
        "the bearer of good news; Basic plan",
        "path /v1/orgs/3f1c/members/2024/06/10 and a.b.c and x.y.z",
        "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    ],
)
def test_ordinary_values_survive(text: str) -> None:
    assert redact(text) == text


def test_iban_check_follows_iso_13616() -> None:
    assert iban_is_valid("RO49AAAA1B31007593840000")
    assert iban_is_valid("GB82WEST12345698765432")
    assert not iban_is_valid("RO49AAAA1B3100759384000")  # one character short for RO
    assert not iban_is_valid("RO48AAAA1B31007593840000")  # checksum
    assert not iban_is_valid("ZZ49AAAA1B31007593840000")  # no such country


def test_cnp_check_needs_a_plausible_date_county_and_control_digit() -> None:
    assert cnp_is_valid(CNP_MALE_1996_CLUJ)
    assert cnp_is_valid(CNP_FEMALE_1985_BUCHAREST)
    assert not cnp_is_valid("1960523123458")  # control digit
    assert not cnp_is_valid("1961323123451")  # month 13
    assert not cnp_is_valid("1960523993457")  # county 99
    assert not cnp_is_valid("0960523123457")  # sex/century digit 0


# --- the handler -------------------------------------------------------------------------


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    logger = logging.getLogger(f"test.logs.{uuid.uuid4().hex}")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    handler = json_handler(stream)
    logger.addHandler(handler)
    try:
        yield logger, stream
    finally:
        logger.removeHandler(handler)


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_line_is_one_json_object_with_the_standard_fields(captured) -> None:
    logger, stream = captured
    logger.warning("slot %s held for %d s", "A-12", 300)
    (entry,) = lines(stream)
    assert set(entry) == {"time", "level", "logger", "message"}
    assert entry["level"] == "WARNING"
    assert entry["logger"] == logger.name
    assert entry["message"] == "slot A-12 held for 300 s"
    assert datetime.fromisoformat(entry["time"]).tzinfo == UTC


def test_request_id_comes_from_extra_or_the_request_context(captured) -> None:
    logger, stream = captured
    logger.info("explicit", extra={"request_id": "req-1"})
    token = request_id_var.set("req-2")
    try:
        logger.info("from context")
    finally:
        request_id_var.reset(token)
    logger.info("outside a request")
    first, second, third = lines(stream)
    assert first["request_id"] == "req-1"
    assert second["request_id"] == "req-2"
    assert "request_id" not in third


def test_message_args_are_redacted_after_formatting(captured) -> None:
    logger, stream = captured
    logger.info("login %s from %s", "ana@example.ro", "+40 740 123 456")
    logger.info("payload %(iban)s", {"iban": "RO49 AAAA 1B31 0075 9384 0000"})
    first, second = lines(stream)
    assert first["message"] == "login [REDACTED:email] from [REDACTED:phone]"
    assert second["message"] == "payload [REDACTED:iban]"


def test_extra_fields_are_redacted_recursively_without_touching_the_caller(captured) -> None:
    logger, stream = captured
    patient = {
        "name": "Ana",
        "contacts": [{"email": "ana@example.ro"}, "call 0740 123 456"],
        "ids": ("cnp " + CNP_MALE_1996_CLUJ, 7),
        "visits": 3,
        "nested": {"deeper": {"note": f"Bearer {JWT}"}},
    }
    original = json.dumps(patient)
    logger.info(
        "patient updated",
        extra={
            "patient": patient,
            "org_id": "550e8400-e29b-41d4-a716-446655440000",
            "contact_email": "ion@example.ro",
            "password": "correct horse battery staple",
            "accessToken": "opaque-12345",
            "phone_number": 40740123456,
            "cnp_value": int(CNP_MALE_1996_CLUJ),
            "occurred": datetime(2024, 6, 10, 12, 0, tzinfo=UTC),
            "count": 12345678901,
            "ratio": 0.25,
            "flag": True,
        },
    )
    (entry,) = lines(stream)
    assert entry["patient"] == {
        "name": "Ana",
        "contacts": [{"email": "[REDACTED:email]"}, "call [REDACTED:phone]"],
        "ids": ["cnp [REDACTED:cnp]", 7],
        "visits": 3,
        "nested": {"deeper": {"note": "Bearer [REDACTED:token]"}},
    }
    assert entry["org_id"] == "550e8400-e29b-41d4-a716-446655440000"
    assert entry["contact_email"] == "[REDACTED:email]"
    assert entry["password"] == "[REDACTED:secret]"
    assert entry["accessToken"] == "[REDACTED:secret]"
    assert entry["phone_number"] == "[REDACTED:phone]"
    assert entry["cnp_value"] == "[REDACTED:cnp]"
    assert entry["occurred"] == "2024-06-10 12:00:00+00:00"
    assert entry["count"] == 12345678901
    assert entry["ratio"] == 0.25
    assert entry["flag"] is True
    assert json.dumps(patient) == original


def test_exception_text_is_redacted(captured) -> None:
    logger, stream = captured
    try:
        raise ValueError("duplicate key (email)=(dan@example.ro) for CNP " + CNP_MALE_1996_CLUJ)
    except ValueError:
        logger.exception("insert failed")
    (entry,) = lines(stream)
    assert "Traceback" in entry["exc"]
    assert "dan@example.ro" not in entry["exc"]
    assert CNP_MALE_1996_CLUJ not in entry["exc"]
    assert "(email)=([REDACTED:email]) for CNP [REDACTED:cnp]" in entry["exc"]


# --- configure_logging -------------------------------------------------------------------


@pytest.fixture
def pristine_logging() -> Iterator[None]:
    root = logging.getLogger()
    saved_root = (list(root.handlers), root.level)
    saved_uvicorn = {
        name: (list(lg.handlers), lg.level, lg.propagate)
        for name in UVICORN_LOGGERS
        for lg in [logging.getLogger(name)]
    }
    try:
        yield
    finally:
        root.handlers[:] = saved_root[0]
        root.setLevel(saved_root[1])
        for name, (handlers, level, propagate) in saved_uvicorn.items():
            lg = logging.getLogger(name)
            lg.handlers[:] = handlers
            lg.setLevel(level)
            lg.propagate = propagate


def test_configure_logging_covers_the_root_and_uvicorn_once(pristine_logging) -> None:
    uvicorn_error = logging.getLogger("uvicorn.error")
    uvicorn_error.addHandler(logging.StreamHandler(io.StringIO()))  # as uvicorn's config would
    uvicorn_error.propagate = False

    configure_logging("debug", io.StringIO())
    stream = io.StringIO()
    configure_logging("INFO", stream)

    root = logging.getLogger()
    assert [h.get_name() for h in root.handlers].count(HANDLER_NAME) == 1
    assert root.level == logging.INFO
    for name in UVICORN_LOGGERS:
        assert logging.getLogger(name).handlers == []
        assert logging.getLogger(name).propagate

    access = logging.getLogger("uvicorn.access")
    access.info(
        '%s - "%s %s HTTP/%s" %d',
        "198.51.100.7:53211",
        "GET",
        "/v1/public/resolve?host=x&email=ana%40example.ro",
        "1.1",
        200,
    )
    logging.getLogger("app.somewhere").debug("not at INFO")
    (entry,) = lines(stream)
    assert entry["logger"] == "uvicorn.access"
    assert entry["message"] == (
        '198.51.100.7:53211 - "GET /v1/public/resolve?host=x&email=[REDACTED:email] HTTP/1.1" 200'
    )


def test_a_value_that_cannot_be_redacted_is_dropped_not_written(captured) -> None:
    class Hostile:
        def __str__(self) -> str:
            raise RuntimeError("no")

    logger, stream = captured
    logger.info("visit for %s", "ana@example.ro", extra={"patient": Hostile(), "n": 1})
    (entry,) = lines(stream)
    assert entry["message"] == "[REDACTED:unredactable] (RuntimeError while redacting)"
    assert "patient" not in entry
    assert "n" not in entry
