"""Patient search at scale: 100,000 patients in one clinic, 100,000 in another.

Run: .venv/bin/python bench/people_search.py [RUNS]

Builds a scratch database from the migrations, generates both clinics' patients with
set-based SQL (Romanian names with diacritics, phones, emails; 1% soft-deleted), then times
the first page of `GET /v1/orgs/{org}/patients?q=` exactly as a request runs it: the
catalogued `patients_search` wrapped by the list helper, as restartix_app under RLS, in a
transaction opened by `iam.begin_request`. Against it, in the same run and on the same rows:

- the same statement as the owner (a superuser: no RLS anywhere), after the same
  `iam.begin_request` (the gate still needs its scope);
- an unindexed search: the same rows joined directly, `ILIKE '%…%'` on the four contact
  fields (no folding, no index that can answer it), as the owner;
- before: the previous catalogued list (`people.org_patients()` with the ILIKE outside it),
  as restartix_app, which is what `?q=` cost before this change.

Also the list without `q` (first and a later keyset page, and sorted by name). Prints p50/p95
in milliseconds per search kind and the ratios, then the plans that show the indexes used.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
import uuid

import psycopg
from _db import scratch_database

from app.api.lists import contains_pattern, page_sql, parse_sort
from app.db.queries import catalogue

Q = catalogue("people")

FIRST = (
    "Ana",
    "Ion",
    "Maria",
    "Ionuț",
    "Elena",
    "Mihai",
    "Ștefan",
    "Andrei",
    "Ioana",
    "Gheorghe",
    "Cristina",
    "Vasile",
    "Alexandru",
    "Florin",
    "Mirela",
    "Răzvan",
    "Dănuț",
    "Oana",
    "Sorin",
    "Bogdan",
    "Irina",
    "Cătălin",
    "Raluca",
    "Adrian",
    "Simona",
    "Dragoș",
    "Alina",
    "Marius",
    "Gabriela",
    "Cosmin",
    "Ramona",
    "Ovidiu",
    "Lăcrămioara",
    "Tudor",
    "Anca",
    "Sebastian",
    "Roxana",
    "Petru",
    "Iulia",
    "Matei",
)
ROOTS = (
    "Pop",
    "Ion",
    "Radu",
    "Stan",
    "Stoic",
    "Matei",
    "Ciobanu",
    "Rus",
    "Mihai",
    "Constantin",
    "Marin",
    "Ștefăn",
    "Lung",
    "Muntean",
    "Nicul",
    "Țurcan",
    "Dobr",
    "Bălan",
    "Căpra",
    "Șerban",
    "Neag",
    "Voic",
    "Moldovan",
    "Mocan",
    "Din",
    "Barb",
    "Vlad",
    "Dumitr",
    "Georgesc",
    "Toma",
    "Nistor",
    "Florea",
    "Ene",
    "Tudor",
    "Preda",
    "Sandu",
    "Olaru",
    "Surdu",
    "Chiriac",
    "Bogdan",
    "Cozma",
    "Ardel",
    "Manole",
    "Iordache",
    "Ilie",
    "Zamfir",
    "Mircea",
    "Lazăr",
    "Roman",
    "Petrescu",
    "Cristea",
    "Anghel",
    "Dragom",
    "Husar",
    "Enache",
    "Grigore",
    "Costache",
    "Nedelc",
    "Pavel",
    "Avram",
)
ENDINGS = ["", "escu", "eanu", "a", "ache", "oiu", "aru", "ică"]

SETUP = """
-- A bulk load: no audit rows, no foreign-key checks.
SET session_replication_role = replica;
CREATE TEMP TABLE first_names AS
SELECT (row_number() OVER ()) - 1 AS i, n FROM unnest(%(first)s::text []) AS n;
CREATE TEMP TABLE last_names AS
SELECT (row_number() OVER ()) - 1 AS i, n FROM unnest(%(last)s::text []) AS n;
CREATE TEMP TABLE gen AS
SELECT o.org, o.k, s AS n, gen_random_uuid() AS pid,
       (hashint4(s * 2 + o.k) & 2147483647) AS h
FROM (VALUES (%(org_a)s::uuid, 0), (%(org_b)s::uuid, 1)) AS o (org, k),
     generate_series(1, %(n)s) AS s;
INSERT INTO people.patient_profiles (id, first_name, last_name, phone, email, date_of_birth, city)
SELECT g.pid, f.n, l.n,
       CASE g.h % 3 WHEN 0 THEN '+40 7' WHEN 1 THEN '07' ELSE '+407' END
         || lpad((g.h % 100000000)::text, 8, '0'),
       lower(left(f.n, 1)) || '.' || g.n || '@mail' || (g.h % 97) || '.test',
       date '1940-01-01' + (g.h % 25000), 'Cluj'
FROM gen AS g
JOIN first_names AS f ON f.i = g.h % (SELECT count(*) FROM first_names)
JOIN last_names AS l ON l.i = (g.h / 64) % (SELECT count(*) FROM last_names);
INSERT INTO people.patients (organization_id, patient_profile_id, created_at, deleted_at)
SELECT g.org, g.pid, now() - make_interval(secs => g.n), CASE WHEN g.h % 100 = 0 THEN now() END
FROM gen AS g;
SET session_replication_role = origin;
"""

BEFORE = """
SELECT * FROM (
    SELECT p.* FROM people.org_patients() AS p
    WHERE p.first_name ILIKE %(pattern)s OR p.last_name ILIKE %(pattern)s
       OR p.phone ILIKE %(pattern)s OR p.email ILIKE %(pattern)s
) AS page ORDER BY page.created_at, page.id LIMIT %(_limit)s
"""

UNINDEXED = """
SELECT pt.id, pp.first_name, pp.last_name, pp.phone, pp.email, pt.created_at
FROM people.patients AS pt
JOIN people.patient_profiles AS pp ON pp.id = pt.patient_profile_id
WHERE pt.organization_id = %(org)s AND pt.deleted_at IS NULL
  AND (pp.first_name ILIKE %(pattern)s OR pp.last_name ILIKE %(pattern)s
       OR pp.phone ILIKE %(pattern)s OR pp.email ILIKE %(pattern)s)
ORDER BY pt.created_at, pt.id LIMIT %(_limit)s
"""

BEGIN = "SELECT * FROM iam.begin_request(%s, %s, %s, '127.0.0.1', 'bench', 'patients.read')"


def typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + ("e" if word[i] != "e" else "a") + word[i + 1 :]


def queries(conn: psycopg.Connection, org: str, rng: random.Random) -> dict[str, list[str]]:
    """Search texts drawn from the clinic's own patients, by kind."""
    rows = conn.execute(
        "SELECT pp.first_name, pp.last_name, pp.phone, pp.email FROM people.patients pt"
        " JOIN people.patient_profiles pp ON pp.id = pt.patient_profile_id"
        " WHERE pt.organization_id = %s AND pt.deleted_at IS NULL ORDER BY random() LIMIT 40",
        (org,),
    ).fetchall()
    fold = str.maketrans("ăâîșşțţĂÂÎȘŞȚŢ", "aaissttAAISSTT")
    kinds: dict[str, list[str]] = {
        "surname, no diacritics": [],
        "full name, one typo": [],
        "phone, national form": [],
        "email fragment": [],
    }
    for first, last, phone, email in rows:
        kinds["surname, no diacritics"].append(last.translate(fold).lower())
        kinds["full name, one typo"].append(f"{first} {typo(last.translate(fold).lower(), rng)}")
        digits = "".join(c for c in phone if c.isdigit())[-9:]
        kinds["phone, national form"].append(f"0{digits[:3]} {digits[3:6]} {digits[6:]}")
        kinds["email fragment"].append(email.split("@")[0])
    kinds["broad: 3 letters"] = ["ion", "pop", "ana", "mar", "ste"]
    return kinds


def timed(conn: psycopg.Connection, sql: str, params: dict) -> float:
    started = time.perf_counter()
    conn.execute(sql, params).fetchall()
    return (time.perf_counter() - started) * 1000


def stats(ms: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(ms, n=20, method="inclusive")
    return statistics.median(ms), cuts[18]


def scoped(conn: psycopg.Connection, human: str, org: str) -> None:
    conn.execute(BEGIN, (human, org, f"bench-{uuid.uuid4()}"))


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    per_org = 100_000
    rng = random.Random(17)
    last = [root + end for root in ROOTS for end in ENDINGS]
    with scratch_database() as db, psycopg.connect(db.owner_url, autocommit=True) as owner:
        org_a, org_b = (
            owner.execute(
                "INSERT INTO tenancy.organizations (slug, name) VALUES (%s, %s) RETURNING id",
                (slug, slug),
            ).fetchone()[0]
            for slug in ("bench-a", "bench-b")
        )
        human = owner.execute(
            "INSERT INTO iam.principals (kind) VALUES ('human') RETURNING id"
        ).fetchone()[0]
        owner.execute(
            "INSERT INTO iam.humans (principal_id, idp_subject, email, display_name)"
            " VALUES (%s, 'bench|spec', 'spec@bench.test', 'spec')",
            (human,),
        )
        owner.execute(
            "INSERT INTO tenancy.organization_memberships"
            " (organization_id, principal_id, role_id, status, accepted_at)"
            " SELECT %s, %s, id, 'active', now() FROM iam.roles"
            " WHERE code = 'specialist' AND organization_id IS NULL",
            (org_a, human),
        )
        started = time.perf_counter()
        values = {"first": list(FIRST), "last": last, "org_a": org_a, "org_b": org_b}
        values["n"] = per_org
        for statement in filter(str.strip, SETUP.split(";\n")):
            bound = {k: v for k, v in values.items() if f"%({k})s" in statement}
            owner.execute(statement, bound or None)
        owner.execute("VACUUM ANALYZE people.patient_profiles")
        owner.execute("VACUUM ANALYZE people.patients")
        print(
            f"{2 * per_org:,} patients in 2 clinics ({len(FIRST)} first names, {len(last)}"
            f" surnames) generated and indexed in {time.perf_counter() - started:.1f} s"
        )

        search = page_sql(parse_sort(Q.patients_search, None), None)
        kinds = queries(owner, str(org_a), rng)
        app = psycopg.connect(db.app_url)
        owner.autocommit = False
        results = []
        for kind, texts in kinds.items():
            ms = {"app": [], "owner": [], "ilike": [], "before": []}
            hits = []
            for i in range(runs):
                q = texts[i % len(texts)]
                params = {"q": q, "shared": None, "consumer_id": None, "_limit": 51}
                like = {"pattern": contains_pattern(q), "org": org_a, "_limit": 51}
                scoped(app, human, org_a)
                ms["app"].append(timed(app, search, params))
                hits.append(len(app.execute(search, params).fetchall()))
                if i < max(5, runs // 4):  # the slow one: fewer runs
                    ms["before"].append(timed(app, BEFORE, like))
                app.rollback()
                scoped(owner, human, org_a)
                ms["owner"].append(timed(owner, search, params))
                ms["ilike"].append(timed(owner, UNINDEXED, like))
                owner.rollback()
            results.append((kind, {k: stats(v) for k, v in ms.items()}, statistics.median(hits)))

        print(f"\nfirst page of ?q= (51 rows max), {runs} runs per kind, ms")
        head = (
            f"{'search':24} {'app+RLS p50':>11} {'p95':>6} {'owner p50':>9} {'p95':>6} "
            f"{'ratio':>5} {'ILIKE p50':>9} {'p95':>6} {'ILIKE/app':>9} {'before p50':>10}"
            f" {'rows':>4}"
        )
        print(head)
        print("-" * len(head))
        for kind, s, rows in results:
            print(
                f"{kind:24} {s['app'][0]:11.1f} {s['app'][1]:6.1f} {s['owner'][0]:9.1f}"
                f" {s['owner'][1]:6.1f} {s['app'][0] / s['owner'][0]:5.2f} {s['ilike'][0]:9.1f}"
                f" {s['ilike'][1]:6.1f} {s['ilike'][0] / s['app'][0]:9.1f}"
                f" {s['before'][0]:10.1f} {rows:4.0f}"
            )

        # The list without q: first page, a page further on (keyset), and by name.
        print("\nlist without q (app+RLS), ms")
        listing = {"shared": None, "consumer_id": None, "_limit": 51}
        first_page = page_sql(parse_sort(Q.patients_list, None), None)
        later_page = page_sql(parse_sort(Q.patients_list, None), (False, False))
        by_name = page_sql(parse_sort(Q.patients_list_by_name, "last_name"), None)
        cursor = owner.execute(
            "SELECT created_at, id FROM people.patients WHERE organization_id = %s"
            " ORDER BY created_at, id OFFSET 50000 LIMIT 1",
            (org_a,),
        ).fetchone()
        owner.rollback()
        for label, sql, extra, n in (
            ("first page, by created_at", first_page, {}, runs),
            ("page after 50,000 rows", later_page, {"_c0": cursor[0], "_c1": cursor[1]}, runs),
            ("first page, by last_name", by_name, {}, max(5, runs // 4)),
        ):
            ms = []
            for _ in range(n):
                scoped(app, human, org_a)
                ms.append(timed(app, sql, listing | extra))
                app.rollback()
            p50, p95 = stats(ms)
            print(f"  {label:28} p50 {p50:8.1f}  p95 {p95:8.1f}")

        print("\nplans")
        explain(owner, human, org_a, kinds["surname, no diacritics"][0], search, first_page)
        app.close()


def _plan_lines(plan: str) -> str:
    return "\n".join("    " + ln for ln in plan.splitlines() if "->" in ln or "Scan" in ln)


def explain(owner: psycopg.Connection, human, org, q: str, search: str, first_page: str) -> None:
    """The plans inside the gate functions, through auto_explain (nested statements)."""
    notices: list[str] = []
    owner.add_notice_handler(lambda d: notices.append(d.message_primary or ""))
    owner.execute("LOAD 'auto_explain'")
    owner.execute("SET auto_explain.log_min_duration = 0")
    owner.execute("SET auto_explain.log_nested_statements = on")
    owner.execute("SET client_min_messages = log")
    scoped(owner, human, org)
    owner.execute("SET LOCAL ROLE restartix_app")
    notices.clear()
    owner.execute(search, {"q": q, "shared": None, "consumer_id": None, "_limit": 51}).fetchall()
    inner = [n for n in notices if "patient_profiles" in n]
    used = any("patient_profiles_search_idx" in n for n in inner)
    print(f"  ?q={q!r}: the search inside the gate uses patient_profiles_search_idx: {used}")
    for n in inner[:1]:
        print(
            "    "
            + "\n    ".join(line for line in n.splitlines() if "->" in line or "Scan" in line)
        )
    owner.execute("SET client_min_messages = notice")
    plan = "\n".join(
        r[0]
        for r in owner.execute(
            "EXPLAIN " + first_page, {"shared": None, "consumer_id": None, "_limit": 51}
        )
    )
    used = "patients_org_created_idx" in plan
    print(f"  list without q: the keyset page reads patients_org_created_idx: {used}")
    print(_plan_lines(plan))
    owner.rollback()


if __name__ == "__main__":
    main()
