"""Form validation and completion in SQL: a 60-item form with 10 conditional items.

Run: .venv/bin/python bench/forms_validate.py [CALLS] [FORMS] [WORKERS]
Defaults 500 calls, 1,000 forms, 8 workers. Prints
- the time of `forms.evaluate` alone (visibility, required, types, rules) per call, p50/p95,
  measured in the server (clock_timestamp around each call, no network);
- the time of `forms.complete_form` per call (validation, the update, ten write-backs to
  custom field values, the event), p50/p95, each call rolled back;
- FORMS forms of as many patients completed at once by WORKERS connections, a transaction and
  a commit per form: forms/s and values written/s (answers kept + custom field values).
"""

from __future__ import annotations

import json
import statistics
import sys
import threading
import time

import psycopg
from _db import scratch_database

from tests import databases

FIELD_TYPES = [
    "scale",
    "boolean",
    "integer",
    "text",
    "date",
    "single_choice",
    "number",
    "multi_choice",
    "long_text",
    "scale",
]
CHOICES = [{"value": "a"}, {"value": "b"}, {"value": "c"}]


def answer(kind: str, i: int):
    return {
        "scale": i % 11,
        "boolean": i % 2 == 0,
        "integer": i,
        "number": i + 0.5,
        "text": f"answer {i}",
        "long_text": "word " * 40,
        "date": "2026-03-01",
        "single_choice": "b",
        "multi_choice": ["a", "c"],
    }[kind]


def build(owner_url: str) -> tuple[str, str, str, dict, dict]:
    """A clinic, its admin, 10 patient fields, the published 60-item template: (org, admin,
    template, definition, answers)."""
    with psycopg.connect(owner_url, autocommit=True) as conn:
        org = conn.execute("SELECT tests.create_org('bench-forms')").fetchone()[0]
        conn.execute("SELECT billing.change_tier(%s, 'dedicated')", (org,))
        admin = conn.execute("SELECT tests.create_human('admin@bench.test')").fetchone()[0]
        conn.execute("SELECT tests.add_member(%s, %s, 'admin')", (org, admin))
        with conn.transaction():
            conn.execute("SELECT tests.authenticate_as(%s, %s)", (admin, org))
            items, answers = [], {}
            for f, kind in enumerate(FIELD_TYPES):
                body = {
                    "entity_type": "patient",
                    "key": f"f{f}",
                    "label": f"Field {f}",
                    "type": kind,
                }
                if kind in ("single_choice", "multi_choice"):
                    body["options"] = CHOICES
                conn.execute("SELECT forms.create_custom_field(%s::jsonb)", (json.dumps(body),))
                items.append({"key": f"m{f}", "custom_field": f"f{f}", "required": True})
                answers[f"m{f}"] = answer(kind, f)
            for i in range(40):
                kind = FIELD_TYPES[i % len(FIELD_TYPES)]
                item = {"key": f"q{i}", "type": kind, "required": i % 3 == 0}
                if kind in ("single_choice", "multi_choice"):
                    item["options"] = CHOICES
                if kind == "text":
                    item["rules"] = {"max_length": 200, "pattern": "^answer"}
                items.append(item)
                answers[f"q{i}"] = answer(kind, i)
            # Ten conditional items: five shown (their condition holds), five hidden.
            for c in range(10):
                shown = c % 2 == 0
                cond = [{"item": "m1", "operator": "equals", "value": shown}]
                if c % 3 == 0:
                    cond.append({"item": "q2", "operator": "greater_than", "value": 1})
                items.append(
                    {
                        "key": f"c{c}",
                        "type": "integer",
                        "required": True,
                        "rules": {"min": 0, "max": 100},
                        "enable_when": {"behavior": "all", "conditions": cond},
                    }
                )
                answers[f"c{c}"] = c
            sections = [
                {"key": f"s{s}", "title": f"Part {s}", "items": items[s * 15 : (s + 1) * 15]}
                for s in range(4)
            ]
            template = conn.execute(
                "SELECT forms.create_template(%s::jsonb)",
                (
                    json.dumps(
                        {"purpose": "intake", "name": "Bench", "draft": {"sections": sections}}
                    ),
                ),
            ).fetchone()[0]
            version = conn.execute("SELECT forms.publish_template(%s)", (template,)).fetchone()[0]
            definition = conn.execute(
                "SELECT definition FROM forms.form_template_versions WHERE id = %s", (version,)
            ).fetchone()[0]
        assert len([i for s in definition["sections"] for i in s["items"]]) == 60
    return str(org), str(admin), str(template), definition, answers


TIMED = """
DO $$
DECLARE
    t0 timestamptz;
    v_times float8[] := '{}';
    v_def jsonb := %(definition)s::jsonb;
    v_answers jsonb := %(answers)s::jsonb;
    v_result jsonb;
BEGIN
    FOR i IN 1..%(n)s LOOP
        t0 := clock_timestamp();
        v_result := forms.evaluate(v_def, v_answers);
        v_times := v_times || extract(epoch FROM clock_timestamp() - t0) * 1e6;
    END LOOP;
    IF jsonb_array_length(v_result -> 'errors') <> 0 THEN
        RAISE EXCEPTION 'the bench answers are invalid: %%', v_result -> 'errors';
    END IF;
    RAISE NOTICE '%%', array_to_string(v_times, ',');
END $$;
"""


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def evaluate_times(owner_url: str, definition: dict, answers: dict, n: int) -> list[float]:
    notices: list[str] = []
    with psycopg.connect(owner_url) as conn:
        conn.add_notice_handler(lambda diag: notices.append(diag.message_primary or ""))
        conn.execute(
            TIMED
            % {
                "definition": "'" + json.dumps(definition).replace("'", "''") + "'",
                "answers": "'" + json.dumps(answers).replace("'", "''") + "'",
                "n": int(n),
            }
        )
        conn.rollback()
    return [float(x) for x in notices[-1].split(",")]


def make_forms(owner_url: str, org: str, admin: str, template: str, n: int) -> list[str]:
    with psycopg.connect(owner_url, autocommit=True) as conn, conn.transaction():
        conn.execute("SELECT tests.authenticate_as(%s, %s)", (admin, org))
        ids = []
        for i in range(n):
            patient = conn.execute("SELECT people.create_patient('P', %s)", (f"N{i}",)).fetchone()[
                0
            ]
            ids.append(
                str(
                    conn.execute(
                        "SELECT forms.create_form(%s, %s)", (template, patient)
                    ).fetchone()[0]
                )
            )
    return ids


def complete_times(
    owner_url: str, org: str, admin: str, form_ids: list[str], answers: dict
) -> list[float]:
    """Each call in its own transaction, rolled back, so every call completes a fresh form."""
    times = []
    payload = json.dumps(answers)
    with psycopg.connect(owner_url) as conn:
        for form_id in form_ids:
            conn.execute("SELECT tests.authenticate_as(%s, %s)", (admin, org))
            row = conn.execute(
                "SELECT clock_timestamp() AS t0, forms.complete_form(%s, %s::jsonb),"
                " clock_timestamp() AS t1",
                (form_id, payload),
            ).fetchone()
            times.append((row[2] - row[0]).total_seconds() * 1e6)
            conn.rollback()
    return times


def concurrent(
    owner_url: str, org: str, admin: str, form_ids: list[str], answers: dict, workers: int
) -> float:
    payload = json.dumps(answers)
    shares = [form_ids[w::workers] for w in range(workers)]
    barrier = threading.Barrier(workers + 1)
    errors: list[Exception] = []

    def work(share: list[str]) -> None:
        with psycopg.connect(owner_url) as conn:
            barrier.wait()
            try:
                for form_id in share:
                    with conn.transaction():
                        conn.execute("SELECT tests.authenticate_as(%s, %s)", (admin, org))
                        conn.execute(
                            "SELECT forms.complete_form(%s, %s::jsonb)", (form_id, payload)
                        )
            except Exception as exc:
                errors.append(exc)

    threads = [threading.Thread(target=work, args=(s,)) for s in shares]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    if errors:
        raise errors[0]
    return seconds


def main() -> None:
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    n_forms = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    with scratch_database() as base:
        db = databases.build_template(base)
        try:
            org, admin, template, definition, answers = build(db.owner_url)
            ev = evaluate_times(db.owner_url, definition, answers, calls)
            p50, p95 = percentiles(ev)
            print(
                f"60 items (10 conditional, 5 shown), {calls} calls of forms.evaluate: "
                f"p50 {p50:,.0f} µs, p95 {p95:,.0f} µs"
            )
            sample = make_forms(db.owner_url, org, admin, template, min(calls, 200))
            cp = complete_times(db.owner_url, org, admin, sample, answers)
            p50, p95 = percentiles(cp)
            print(
                f"{len(sample)} calls of forms.complete_form (validate, update, 10 write-backs): "
                f"p50 {p50:,.0f} µs, p95 {p95:,.0f} µs"
            )
            ids = make_forms(db.owner_url, org, admin, template, n_forms)
            seconds = concurrent(db.owner_url, org, admin, ids, answers, workers)
            with psycopg.connect(db.owner_url) as conn:
                kept = conn.execute(
                    "SELECT sum((SELECT count(*) FROM jsonb_object_keys(answers))), count(*)"
                    " FROM forms.forms"
                    " WHERE id = ANY(%s::uuid[]) AND status = 'completed'",
                    (ids,),
                ).fetchone()
                fields = conn.execute(
                    "SELECT count(*) FROM forms.custom_field_values"
                    " WHERE source_form_id = ANY(%s::uuid[])",
                    (ids,),
                ).fetchone()[0]
            assert kept[1] == n_forms, kept
            values = int(kept[0]) + int(fields)
            print(
                f"{n_forms} forms completed at once by {workers} connections in {seconds:.2f} s: "
                f"{n_forms / seconds:,.0f} forms/s, {values / seconds:,.0f} values written/s "
                f"({int(kept[0]) // n_forms} answers kept + {int(fields) // n_forms} field values "
                "per form)"
            )
        finally:
            databases.drop(db)


if __name__ == "__main__":
    main()
