"""`sweep_uploads`: the bucket keeps only what the files table says is kept.

Uploads never confirmed are refused once their deadline and a grace for late confirms have
passed, and whatever was uploaded for them is deleted unchecked. Files replaced or removed
lose their bytes. Rows stay (the audit trail); `object_removed_at` records the deletion.
Deletes and row changes share one transaction: a failed delete rolls the batch back and the
next run tries again (deleting a missing object is no error).
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache

import psycopg

from app.config import Settings
from app.db.queries import catalogue
from app.domains.storage.client import ObjectStore, delete_objects, open_store
from app.domains.storage.keys import EXTENSIONS, stored_key
from workers.registry import PeriodicTask, every

# A confirm may arrive a little after the upload URL expired (the upload itself was in time).
CONFIRM_GRACE = timedelta(hours=1)
BATCH = 500

Q = catalogue("storage")


def sweep(conn: psycopg.Connection, store: ObjectStore, batch: int = BATCH) -> str:
    expired = conn.execute(
        Q.expire_abandoned_uploads.sql, {"grace": CONFIRM_GRACE, "batch": batch}
    ).fetchall()
    retired = conn.execute(Q.retired_objects.sql, {"batch": batch}).fetchall()
    for _, key, mime in expired:
        # A confirm that failed after copying may have left the checked copy too.
        copy = (stored_key(key, mime),) if mime in EXTENSIONS else ()
        delete_objects(store, key, *copy)
    for _, key in retired:
        delete_objects(store, key)
    ids = [row[0] for row in expired] + [row[0] for row in retired]
    if ids:
        conn.execute(Q.mark_bytes_removed.sql, {"ids": ids})
    return f"expired {len(expired)} uploads, removed the bytes of {len(retired)} files"


@cache
def _store() -> ObjectStore:
    return open_store(Settings.from_env())


def run(conn: psycopg.Connection) -> str:
    return sweep(conn, _store())


TASK = PeriodicTask(name="sweep_uploads", body=run, due=every(timedelta(minutes=15)))
