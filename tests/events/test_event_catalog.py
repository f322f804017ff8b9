"""The event catalog agrees everywhere: Python structs, SQL catalog, docs, SQL publishers."""

from __future__ import annotations

import re

import msgspec
import psycopg

from app import classification
from app.db.paths import DB_DIR, ROOT
from app.domains.events.catalog import CATALOG, PAYLOADS
from tests.databases import ScratchDatabase

DOC = ROOT / "docs" / "events.md"
_DOC_HEADING = re.compile(r"^### `(?P<type>[a-z0-9_.]+)` v(?P<version>\d+)\s*$", re.M)
_DOC_FIELD = re.compile(r"^\| (?P<field>[a-z_][a-z0-9_]*) \|", re.M)
_DOC_ROW = re.compile(r"^\| (?P<field>[a-z_][a-z0-9_]*) \|.*\| (?P<carries>[^|]*) \|\s*$", re.M)
_COLUMN = re.compile(r"`(?P<column>[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*)`")
_SQL_PUBLISH = re.compile(r"events\.publish(?:_for)?\s*\((?:[^,()]+,\s*)?'(?P<type>[a-z0-9_.]+)'")


def _doc_sections() -> dict[tuple[str, int], set[str]]:
    text = DOC.read_text()
    matches = list(_DOC_HEADING.finditer(text))
    sections = {}
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        body = text[match.end() : end]
        fields = {m["field"] for m in _DOC_FIELD.finditer(body)} - {"field"}
        sections[(match["type"], int(match["version"]))] = fields
    return sections


def _doc_carries() -> dict[tuple[str, int], dict[str, str]]:
    """The "carries" cell of every field of every type, as written."""
    text = DOC.read_text()
    matches = list(_DOC_HEADING.finditer(text))
    sections = {}
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        body = text[match.end() : end]
        rows = {m["field"]: m["carries"].strip() for m in _DOC_ROW.finditer(body)}
        rows.pop("field", None)
        sections[(match["type"], int(match["version"]))] = rows
    return sections


def test_every_field_declares_the_column_it_carries_or_is_withheld():
    """Webhooks deliver only what CARRIES names: a field left out would silently never leave."""
    problems = []
    for (event_type, version), struct in sorted(CATALOG.items()):
        carries = getattr(struct, "CARRIES", None)
        withheld = getattr(struct, "WITHHELD", frozenset())
        where = f"{struct.__module__}.{struct.__name__} ({event_type} v{version})"
        if carries is None:
            problems.append(f"{where}: declares no CARRIES")
            continue
        for field in struct.__struct_fields__:
            if field in carries and field in withheld:
                problems.append(f"{where}.{field}: both in CARRIES and WITHHELD")
            elif field not in carries and field not in withheld:
                problems.append(
                    f"{where}.{field}: add it to CARRIES (the registry column it carries) "
                    "or to WITHHELD (it then never leaves)"
                )
        for field in set(carries) | set(withheld):
            if field not in struct.__struct_fields__:
                problems.append(f"{where}: CARRIES/WITHHELD names {field!r}, not a field")
    assert not problems, "\n".join(problems)


def test_every_carried_column_is_in_the_registry():
    registry = classification.load_registry()
    problems = []
    for (event_type, version), struct in sorted(CATALOG.items()):
        for field, carrier in getattr(struct, "CARRIES", {}).items():
            if carrier == classification.COLUMN_NAMES:
                continue
            table, _, column = carrier.rpartition(".")
            if (table, column) not in registry:
                problems.append(
                    f"{event_type} v{version}.{field}: {carrier!r} is not a column of "
                    "docs/data-classification.md (use schema.table.column or COLUMN_NAMES)"
                )
    assert not problems, "\n".join(problems)


def test_docs_name_the_column_each_field_carries():
    docs = _doc_carries()
    problems = []
    for key, struct in sorted(CATALOG.items()):
        carries = getattr(struct, "CARRIES", {})
        withheld = getattr(struct, "WITHHELD", frozenset())
        for field in struct.__struct_fields__:
            where = f"docs/events.md {key[0]} v{key[1]}.{field}"
            cell = docs.get(key, {}).get(field)
            if cell is None:
                problems.append(f"{where}: no carries cell")
                continue
            named = _COLUMN.search(cell)
            if field in withheld:
                if not cell.startswith("withheld"):
                    problems.append(f"{where}: is WITHHELD, the cell must start 'withheld'")
            elif carries.get(field) == classification.COLUMN_NAMES:
                if named or "names" not in cell:
                    problems.append(f"{where}: carries column names, the cell must say so")
            elif named is None or named["column"] != carries.get(field):
                problems.append(f"{where}: the cell says {cell!r}, CARRIES {carries.get(field)!r}")
    assert not problems, "\n".join(problems)


def test_every_type_has_one_struct():
    assert len(CATALOG) == len(PAYLOADS), "a (type, version) is claimed by two structs"


def test_sql_catalog_matches_the_python_catalog(migrated_database: ScratchDatabase):
    with psycopg.connect(migrated_database.system_url) as conn:
        rows = conn.execute("SELECT type, version FROM events.event_types").fetchall()
    assert set(rows) == set(CATALOG)


def test_docs_list_every_type_with_its_fields():
    sections = _doc_sections()
    assert set(sections) == set(CATALOG)
    for key, struct in CATALOG.items():
        assert sections[key] == set(struct.__struct_fields__), f"docs/events.md: {key}"


def test_sql_publishers_use_catalog_types():
    published = {
        m["type"]
        for path in (DB_DIR / "functions").rglob("*.sql")
        for m in _SQL_PUBLISH.finditer(path.read_text())
    }
    assert published, "the triggers publish something"
    assert published <= {t for t, _ in CATALOG}


def test_trigger_payloads_decode_into_their_structs(fresh_database: ScratchDatabase):
    """Every tenancy change, made for real; every payload it published, decoded strictly."""
    with psycopg.connect(fresh_database.owner_url, autocommit=True) as conn:
        conn.execute(TENANCY_TOUR)
        rows = conn.execute(
            "SELECT type, version, payload::text FROM events.outbox ORDER BY position"
        ).fetchall()
    seen = set()
    for event_type, version, payload in rows:
        msgspec.json.decode(payload, type=CATALOG[(event_type, version)])
        seen.add(event_type)
    tenancy = DB_DIR / "functions" / "tenancy" / "events.sql"
    published = {m["type"] for m in _SQL_PUBLISH.finditer(tenancy.read_text())}
    # Other features react to these changes with events of their own: those decode too.
    assert published <= seen, "the tour covers every type the tenancy triggers publish"


TENANCY_TOUR = """
DO $$
DECLARE
    v_org uuid := tests.create_org('tour-clinic');
    v_ana uuid := tests.create_human('ana@tour.test');
    v_rita uuid := tests.create_human('rita@tour.test');
    v_role uuid;
BEGIN
    PERFORM tests.add_member(v_org, v_ana, 'owner');
    UPDATE tenancy.organizations SET name = 'Tour Clinic', status = 'suspended' WHERE id = v_org;
    UPDATE tenancy.organizations SET status = 'active', deleted_at = now() WHERE id = v_org;
    INSERT INTO tenancy.organization_memberships (organization_id, principal_id, role_id, status)
    SELECT v_org, v_rita, r.id, 'invited' FROM iam.roles AS r
    WHERE r.code = 'specialist' AND r.organization_id IS NULL;
    UPDATE tenancy.organization_memberships SET status = 'active' WHERE principal_id = v_rita;
    UPDATE tenancy.organization_memberships
    SET role_id = (SELECT id FROM iam.roles WHERE code = 'admin' AND organization_id IS NULL)
    WHERE principal_id = v_rita;
    DELETE FROM tenancy.organization_memberships WHERE principal_id = v_rita;
    INSERT INTO tenancy.organization_domains (organization_id, domain) VALUES (v_org, 'tour.ro');
    UPDATE tenancy.organization_domains SET verified_at = now() WHERE domain = 'tour.ro';
    UPDATE tenancy.organization_domains SET is_primary = true WHERE domain = 'tour.ro';
    DELETE FROM tenancy.organization_domains WHERE domain = 'tour.ro';
    INSERT INTO iam.roles (organization_id, code, name) VALUES (v_org, 'front_desk', 'Front desk')
    RETURNING id INTO v_role;
    INSERT INTO iam.role_permissions (role_id, permission_code) VALUES (v_role, 'members.read');
    DELETE FROM iam.role_permissions WHERE role_id = v_role;
    UPDATE iam.roles SET description = 'Reception' WHERE id = v_role;
    DELETE FROM iam.roles WHERE id = v_role;
    INSERT INTO tenancy.invitations
        (organization_id, email, role_id, token_hash, invited_by, expires_at)
    SELECT v_org, 'ina@tour.test', r.id, sha256('one'), v_ana, now() + interval '1 day'
    FROM iam.roles AS r WHERE r.code = 'specialist' AND r.organization_id IS NULL;
    UPDATE tenancy.invitations SET accepted_at = now(), accepted_by = v_rita
    WHERE email = 'ina@tour.test';
    INSERT INTO tenancy.invitations
        (organization_id, email, role_id, token_hash, invited_by, expires_at)
    SELECT v_org, 'ivo@tour.test', r.id, sha256('two'), v_ana, now() + interval '1 day'
    FROM iam.roles AS r WHERE r.code = 'specialist' AND r.organization_id IS NULL;
    UPDATE tenancy.invitations SET revoked_at = now() WHERE email = 'ivo@tour.test';
END
$$;
"""
