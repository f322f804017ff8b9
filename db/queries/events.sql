-- name: event_types_sync
-- Makes events.event_types exactly the (type, version, description) rows of the event
-- catalogue (every domain's payload structs), run by each migrate as the owner.
WITH wanted AS (
    SELECT w.type, w.version, w.description
    FROM jsonb_to_recordset(%(types)s::jsonb) AS w (type text, version integer, description text)
),

stale AS (
    DELETE FROM events.event_types AS t
    WHERE NOT EXISTS (SELECT 1 FROM wanted AS w WHERE w.type = t.type AND w.version = t.version)
)

INSERT INTO events.event_types (type, version, description)
SELECT w.type, w.version, w.description FROM wanted AS w
ON CONFLICT (type, version) DO UPDATE SET description = excluded.description;
