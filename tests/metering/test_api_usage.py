"""Metered usage through the real app: per meter and month, this month's quotas, filters,
bad input and who may read it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest

from tests.api_client import Api
from tests.api_world import clinic, error_code


def record(api: Api, org_id: str, meter: str, quantity: int, key: str, at: datetime) -> bool:
    """A report as a worker makes it, on the system pool; True when it was a duplicate."""
    with psycopg.connect(api.db.system_url) as conn, conn.transaction():
        conn.execute("SELECT set_config('app.current_org_id', %s, true)", (org_id,))
        return conn.execute(
            "SELECT duplicate FROM metering.record_usage(%s, %s, %s, %s)",
            (meter, quantity, at, key),
        ).fetchone()[0]


def month_start(value: date) -> date:
    return value.replace(day=1)


def test_usage_by_meter_and_month_with_quotas(api: Api) -> None:
    # The Free tier (no tier change): 500 emails, no video minutes, no text messages.
    a = clinic(api, "clinic-a", tier=None)
    b = clinic(api, "clinic-b", roles=("owner",), tier=None)
    now = datetime.now(UTC)
    this_month = month_start(now.date())
    last_month = month_start(this_month - timedelta(days=1))
    late = datetime.combine(last_month, datetime.min.time(), UTC) + timedelta(days=2)
    assert record(api, a.id, "emails_sent", 40, "m-1", now) is False
    assert record(api, a.id, "emails_sent", 40, "m-1", now) is True
    assert record(api, a.id, "emails_sent", 2, "m-2", now) is False
    assert record(api, a.id, "emails_sent", 5, "m-late", late) is False
    assert record(api, a.id, "storage_bytes", 4096, "upload-1", now) is False
    assert record(api, b.id, "emails_sent", 9, "m-1", now) is False

    response = api.get(a.url("/usage"), as_=a.emails["billing"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["from"], body["to"]) == (this_month.isoformat(), this_month.isoformat())
    assert [(p["meter"], p["quantity"], p["events"]) for p in body["periods"]] == [
        ("emails_sent", 42, 2),
        ("storage_bytes", 4096, 1),
    ]
    quotas = {q["meter"]: q for q in body["quotas"]}
    assert set(quotas) == {"emails_sent", "sms_sent", "video_minutes"}
    emails = quotas["emails_sent"]
    assert (emails["limit_code"], emails["used"], emails["limit"], emails["remaining"]) == (
        "emails.sent",
        42,
        500,
        458,
    )
    assert (quotas["video_minutes"]["limit"], quotas["video_minutes"]["remaining"]) == (0, 0)

    both = api.get(
        a.url("/usage"),
        as_=a.owner,
        params={
            "meter": "emails_sent",
            "from": last_month.isoformat(),
            "to": now.date().isoformat(),
        },
    ).json()
    assert [(p["period_start"], p["quantity"]) for p in both["periods"]] == [
        (last_month.isoformat(), 5),
        (this_month.isoformat(), 42),
    ]
    assert [q["meter"] for q in both["quotas"]] == ["emails_sent"]
    before = api.get(a.url("/usage"), as_=a.owner, params={"to": last_month.isoformat()}).json()
    assert [p["quantity"] for p in before["periods"]] == [5]

    assert [p["quantity"] for p in api.get(b.url("/usage"), as_=b.owner).json()["periods"]] == [9]
    denied = api.get(a.url("/usage"), as_=a.receptionist)
    assert denied.status_code == 403 and error_code(denied) == "permission_denied"
    assert api.get(a.url("/usage"), as_=b.owner).status_code == 404


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"meter": "fax_pages"}, 422, "meter_unknown"),
        ({"meter": "Bad Meter"}, 400, "validation_failed"),
        ({"meter": "x" * 100}, 400, "validation_failed"),
        ({"from": "yesterday"}, 400, "validation_failed"),
        ({"from": "2026-05-01", "to": "2026-01-01"}, 400, "validation_failed"),
        ({"from": "2020-01-01", "to": "2026-01-01"}, 400, "validation_failed"),
    ],
)
def test_bad_usage_queries_are_refused(api: Api, params: dict, status: int, code: str) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    response = api.get(a.url("/usage"), as_=a.owner, params=params)
    assert response.status_code == status, response.text
    assert error_code(response) == code
