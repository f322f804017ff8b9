"""The domains of the product, and the loader that collects what each declares.

A domain is one name in every layer: `app/domains/<d>/` (its `DOMAIN` declaration here, its
routers in `routes.py`, its event payloads in `events.py`), `db/functions/<d>/`,
`db/policies/<d>.sql` (row-level security and the audit-tracked tables), `db/queries/<d>.sql`,
`db/tests/<d>/`, `tests/<d>/` and `docs/<d>.md`. Shared files are machinery: they ask this
module for the pieces instead of listing them, so adding a domain edits no shared list.

`docs/architecture.md` has the checklist for adding one; `tests/test_layout.py` fails when a
domain lacks a piece or a piece names no domain.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from functools import cache
from types import ModuleType

# Shared SQL libraries: applied before every domain, owned by none.
SQL_LIBRARIES = ("util", "crypto")


@dataclass(frozen=True)
class Domain:
    """What a domain declares about itself.

    `depends` names the domains whose SQL functions this one's files call, so they are
    applied first; `errors` maps the stable codes its SQL functions raise to HTTP statuses
    (a code not listed anywhere is a 422).
    """

    name: str
    summary: str
    depends: tuple[str, ...] = ()
    errors: dict[str, int] = field(default_factory=dict)

    def module(self, piece: str) -> ModuleType | None:
        """`app.domains.<name>.<piece>`, or None when the domain has no such piece."""
        try:
            return importlib.import_module(f"{__name__}.{self.name}.{piece}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{self.name}.{piece}":
                raise
            return None


@cache
def domains() -> tuple[Domain, ...]:
    """Every domain, ordered so that each comes after the ones it depends on."""
    found: dict[str, Domain] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.ispkg:
            declared = importlib.import_module(f"{__name__}.{info.name}").DOMAIN
            if declared.name != info.name:
                raise RuntimeError(f"app/domains/{info.name} declares the domain {declared.name}")
            found[info.name] = declared
    ordered: list[Domain] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if any(d.name == name for d in ordered):
            return
        if name in visiting:
            raise RuntimeError(f"domain dependencies form a cycle through {name}")
        if name not in found:
            raise RuntimeError(f"a domain depends on {name}, which is not a domain")
        visiting.add(name)
        for dependency in found[name].depends:
            visit(dependency)
        visiting.discard(name)
        ordered.append(found[name])

    for name in sorted(found):
        visit(name)
    return tuple(ordered)


def names() -> tuple[str, ...]:
    return tuple(d.name for d in domains())


def routers() -> list:
    """Every domain's Litestar routers (a domain's `routes.py` exports `ROUTERS`)."""
    collected = []
    for domain in domains():
        routes = domain.module("routes")
        if routes is not None:
            collected.extend(routes.ROUTERS)
    return collected


@cache
def error_statuses() -> dict[str, int]:
    """The union of every domain's error map; a code two domains map differently is a bug."""
    merged: dict[str, int] = {}
    for domain in domains():
        for code, status in domain.errors.items():
            if merged.setdefault(code, status) != status:
                raise RuntimeError(f"error code {code} maps to two statuses")
    return merged
