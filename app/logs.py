"""Structured JSON logging with a filter that redacts personal data and secrets before output.

What is redacted, and why each rule looks the way it does, is in docs/logging.md."""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TextIO

# Set by the request-scope middleware so that every line logged while serving a request
# carries its id, without threading it through each call.
request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

HANDLER_NAME = "restartix-json"
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_RECORD_ATTRS = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__.keys()
    | {"message", "asctime", "taskName", "color_message", "_redacted"}
)


def _marker(kind: str) -> str:
    return f"[REDACTED:{kind}]"


# --- recognisers -------------------------------------------------------------------------

_BEARER = re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9\-._~+/]{8,}=*")
# A JWS/unsecured JWT: the header segment is base64url JSON, so it always starts with `eyJ`
# (`{"`); requiring that keeps ordinary dotted identifiers (a.b.c) out.
_JWT = re.compile(r"(?<![\w-])eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*")
# `%40` too: URL-encoded addresses show up in access-log query strings.
_EMAIL = re.compile(
    r"(?<![\w.%+-])[\w.%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])"
)
_IBAN_START = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}")
_CNP_CANDIDATE = re.compile(r"(?<![\w.-])[1-9]\d{12}(?![\w]|[.,]\d)")
# International: `+`, `00` or URL-encoded `%2B`, a country code, then groups.
_PHONE_INTL = re.compile(
    r"(?<![\w+])(?:\+|%2[Bb]|\b00)[1-9]\d{0,3}(?:[ .\-/]?\(?\d{1,8}\)?){1,6}(?![\w]|[.\-/:]\d)"
)
# Romanian national format: 10 digits starting 02, 03 or 07, in any common grouping.
_PHONE_RO = re.compile(r"(?<![\w+.\-])\(?0[237](?:[ .\-()]{0,2}\d){8}(?![\w]|[.\-/:]\d)")
# Anything else: 10+ digits in groups of at most four, one separator throughout (so adjacent
# numbers in different notations, "789 10.06.2024", do not merge), or an area code in brackets.
_PHONE_GENERIC = re.compile(
    r"(?<![\w+.\-/:])"
    r"(?:\d{1,4}(?P<sep>[ .\-/])\d{1,4}(?:(?P=sep)\d{1,4})+|\(\d{1,4}\) ?\d{1,4}(?:[ .\-]\d{1,4})+)"
    r"(?![\w]|[.\-/:]\d)"
)

# Identifiers and times that digit rules must never reach into: a UUID (any case, any version;
# its groups hold runs like `-0037-` that look like an international prefix), a hex run of 16+
# with a letter (digests, trace ids), and an ISO 8601 date or timestamp (a year like 0040).
_HEX_ID = re.compile(
    r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}(?![0-9A-Fa-f])"
    r"|(?<![0-9A-Za-z])(?=\d*[A-Fa-f])[0-9A-Fa-f]{16,}(?![0-9A-Za-z])"
)
_ISO_TIME = re.compile(
    r"(?<!\d)\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
    r"(?:[T ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:[.,]\d{1,9})?)?"
    r"(?:Z|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?)?)?"
    r"(?!\d)"
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
_THOUSANDS = re.compile(r"^[1-9]\d{0,2}(?:([ .,])\d{3})(?:\1\d{3})+$")

# Lengths from the SWIFT IBAN registry; a known country must match its length exactly.
_IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28,
    "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28,
    "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22,
    "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23,
    "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24,
    "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}  # fmt: skip

_CNP_WEIGHTS = (2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9)
# 01-46 counties and Bucharest sectors 1-6, 47-48 former sectors 7-8, 51-52 Călărași and
# Giurgiu, 70 for codes issued regardless of county (foreign residents).
_CNP_COUNTIES = frozenset({*range(1, 49), 51, 52, 70})


def iban_is_valid(compact: str) -> bool:
    """ISO 13616: a registry country, its exact length, and mod 97 of the rearranged digits."""
    iban = compact.upper()
    if len(iban) != _IBAN_LENGTHS.get(iban[:2]) or not (iban.isascii() and iban.isalnum()):
        return False
    digits = "".join(str(int(ch, 36)) for ch in iban[4:] + iban[:4])
    return int(digits) % 97 == 1


def cnp_is_valid(digits: str) -> bool:
    """Romanian CNP: plausible month, day and county, and the control digit matches."""
    if len(digits) != 13 or not digits.isdigit() or digits[0] == "0":
        return False
    month, day, county = int(digits[3:5]), int(digits[5:7]), int(digits[7:9])
    if not (1 <= month <= 12 and 1 <= day <= 31 and county in _CNP_COUNTIES):
        return False
    control = sum(int(d) * w for d, w in zip(digits, _CNP_WEIGHTS, strict=False)) % 11
    return (1 if control == 10 else control) == int(digits[12])


def _iban_end(text: str, start: int) -> int | None:
    """Where the IBAN starting at `start` ends, if one does (single spaces allowed inside)."""
    length = _IBAN_LENGTHS.get(text[start : start + 2].upper())
    if length is None:
        return None
    chars: list[str] = []
    i = start
    while len(chars) < length and i < len(text):
        ch = text[i]
        if ch == " " and text[i - 1] != " ":
            i += 1
            continue
        if not (ch.isascii() and ch.isalnum()):
            return None
        chars.append(ch)
        i += 1
    if len(chars) < length or (i < len(text) and text[i].isascii() and text[i].isalnum()):
        return None
    return i if iban_is_valid("".join(chars)) else None


def _redact_ibans(text: str) -> str:
    # The country fixes the length, so each possible start is checked over a bounded stretch
    # ("... 0000 SRL" and two IBANs in a row both come out right).
    parts: list[str] = []
    done = 0
    for match in _IBAN_START.finditer(text):
        if match.start() < done:
            continue
        end = _iban_end(text, match.start())
        if end is not None:
            parts += [text[done : match.start()], _marker("iban")]
            done = end
    parts.append(text[done:])
    return "".join(parts)


def _redact_cnp(match: re.Match[str]) -> str:
    return _marker("cnp") if cnp_is_valid(match.group(0)) else match.group(0)


def _digit_count(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _redact_intl_phone(match: re.Match[str]) -> str:
    return _marker("phone") if 8 <= _digit_count(match.group(0)) <= 15 else match.group(0)


def _redact_generic_phone(match: re.Match[str]) -> str:
    text = match.group(0)
    if (
        _digit_count(text) < 10
        or _ISO_DATE.match(text)
        or _IPV4.match(text)
        or _THOUSANDS.match(text)
    ):
        return text
    return _marker("phone")


def _substitute(
    pattern: re.Pattern[str], replacement: str | Callable[[re.Match[str]], str]
) -> Callable[[str], str]:
    return lambda text: pattern.sub(replacement, text)


def _protected(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _HEX_ID.finditer(text)] + [m.span() for m in _ISO_TIME.finditer(text)]


def _outside_ids(
    pattern: re.Pattern[str], replacement: str | Callable[[re.Match[str]], str]
) -> Callable[[str], str]:
    """Like `_substitute`, but a match that touches a UUID, a hex id or an ISO timestamp is
    left as it is: numbers rules see inside those are parts of them, not phones or CNPs."""

    def step(text: str) -> str:
        spans = _protected(text)
        if not spans:
            return pattern.sub(replacement, text)

        def guarded(match: re.Match[str]) -> str:
            start, end = match.span()
            if any(s < end and start < e for s, e in spans):
                return match.group(0)
            return replacement(match) if callable(replacement) else match.expand(replacement)

        return pattern.sub(guarded, text)

    return step


# Order matters: bearer before JWT (a bearer token is often a JWT), e-mail before phones
# (local parts carry digits), IBAN before phones (its tail is a run of digit groups). The
# number rules never reach into a UUID, a hex id or an ISO timestamp. (The IBAN rule may: an
# IBAN such as DE89370400440532013000 is itself a run of hex digits.)
_STEPS: tuple[Callable[[str], str], ...] = (
    _substitute(_BEARER, r"\1 " + _marker("token")),
    _substitute(_JWT, _marker("jwt")),
    _substitute(_EMAIL, _marker("email")),
    _redact_ibans,
    _outside_ids(_CNP_CANDIDATE, _redact_cnp),
    _outside_ids(_PHONE_INTL, _redact_intl_phone),
    _outside_ids(_PHONE_RO, _marker("phone")),
    _outside_ids(_PHONE_GENERIC, _redact_generic_phone),
)


def redact(text: str) -> str:
    """`text` with every recognised secret or identifier replaced by a `[REDACTED:kind]`."""
    for step in _STEPS:
        text = step(text)
    return text


# --- structured values -------------------------------------------------------------------

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_KEY_KINDS = {
    "password": "secret", "passwd": "secret", "pwd": "secret", "secret": "secret",
    "token": "secret", "authorization": "secret", "cookie": "secret", "apikey": "secret",
    "otp": "secret", "email": "email", "phone": "phone", "mobile": "phone", "iban": "iban",
    "cnp": "cnp", "ssn": "national_id", "nin": "national_id", "idnp": "national_id",
}  # fmt: skip


def _key_kind(key: str) -> str | None:
    """The kind of value a field name announces (`user_email`, `accessToken`), if any."""
    words = re.split(r"[^a-z0-9]+", _CAMEL.sub("_", key).lower())
    for word in words:
        if word in _KEY_KINDS:
            return _KEY_KINDS[word]
    joined = "".join(words)
    if "apikey" in joined or "nationalid" in joined:
        return "secret" if "apikey" in joined else "national_id"
    return None


def redact_value(value: Any, kind: str | None = None) -> Any:
    """A redacted copy of `value`, walking dicts, lists, tuples and sets; the input is untouched.

    `kind` is set when the enclosing key names a secret: then a scalar is replaced whole,
    since a password or an opaque token has no pattern to recognise.
    """
    if value is None or isinstance(value, bool | float):
        return value
    if isinstance(value, Mapping):
        return {
            (redact(k) if isinstance(k, str) else k): redact_value(
                v, _key_kind(k) if isinstance(k, str) else None
            )
            for k, v in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [redact_value(v, kind) for v in value]
    if kind is not None:
        return _marker(kind)
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, int):
        text = str(value)
        cleaned = redact(text)
        return value if cleaned == text else cleaned
    # Everything else is written with str() by the formatter, so redact what it would write.
    return redact(str(value))


class RedactingFilter(logging.Filter):
    """Rewrites a record in place: message (with its args merged), exception text, extras.

    Installed on handlers rather than loggers, because a logger's filters do not see records
    propagated from its children.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_redacted", False):
            return True
        try:
            self._rewrite(record)
        except Exception as exc:  # a value whose str() fails, say: write nothing of it
            self._blank(record, exc)
        record._redacted = True
        return True

    @staticmethod
    def _rewrite(record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = f"{record.msg} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        for key, value in list(record.__dict__.items()):
            if key not in _RECORD_ATTRS:
                setattr(record, key, redact_value(value, _key_kind(key)))

    @staticmethod
    def _blank(record: logging.LogRecord, exc: Exception) -> None:
        record.msg = f"{_marker('unredactable')} ({type(exc).__name__} while redacting)"
        record.args = None
        record.exc_info = record.exc_text = record.stack_info = None
        for key in [k for k in record.__dict__ if k not in _RECORD_ATTRS]:
            delattr(record, key)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, extras, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _RECORD_ATTRS and key not in entry:
                entry[key] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)


def json_handler(stream: TextIO | None = None) -> logging.Handler:
    """A stream handler that redacts, then writes JSON lines."""
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.set_name(HANDLER_NAME)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(JsonFormatter())
    return handler


def configure_logging(level: str | int = "INFO", stream: TextIO | None = None) -> logging.Handler:
    """Route the root logger and uvicorn's loggers through one redacting JSON handler.

    Idempotent. Run uvicorn with `log_config=None` and Litestar with `logging_config=None`,
    or their own logging setup replaces these handlers.
    """
    if isinstance(level, str):
        level = logging.getLevelNamesMapping()[level.strip().upper()]
    root = logging.getLogger()
    for existing in list(root.handlers):
        if existing.get_name() == HANDLER_NAME:
            root.removeHandler(existing)
    handler = json_handler(stream)
    root.addHandler(handler)
    root.setLevel(level)
    for name in UVICORN_LOGGERS:
        logger = logging.getLogger(name)
        for existing in list(logger.handlers):
            logger.removeHandler(existing)
        logger.propagate = True
        logger.setLevel(level)
    return handler
