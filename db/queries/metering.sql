-- name: meter_exists
-- Whether a meter of this code exists.
SELECT count(*) > 0 AS found
FROM metering.meters AS m
WHERE m.code = %(meter)s::text;

-- name: usage_periods
-- The organization's usage per meter and UTC month between two months (inclusive), of one
-- meter when given.
SELECT
    r.meter,
    r.period_start,
    r.quantity,
    r.event_count AS events
FROM metering.usage_rollups AS r
WHERE
    r.organization_id = %(org)s::uuid
    AND r.period_start BETWEEN %(first)s::date AND %(last)s::date
    AND (%(meter)s::text IS NULL OR r.meter = %(meter)s::text)
ORDER BY r.period_start ASC, r.meter ASC;

-- name: usage_quotas
-- This month's quota of every limited meter (of one meter when given): used, the limit
-- (NULL: unlimited) and its source, and what remains (NULL when unlimited).
SELECT
    q.meter,
    q.limit_code,
    q.unit,
    q.period_start,
    q.used,
    q.value AS "limit",
    q.source,
    CASE
        WHEN q.value IS NULL AND q.source <> 'none' THEN NULL
        ELSE greatest(coalesce(q.value, 0) - q.used, 0)
    END AS remaining
FROM (
    SELECT
        m.code AS meter,
        m.limit_code,
        m.unit,
        metering.period_start(util.now()) AS period_start,
        billing.limit_usage(%(org)s::uuid, m.limit_code) AS used,
        l.value,
        l.source
    FROM metering.meters AS m
    CROSS JOIN LATERAL billing.effective_limit(%(org)s::uuid, m.limit_code) AS l
    WHERE
        m.limit_code IS NOT NULL
        AND (%(meter)s::text IS NULL OR m.code = %(meter)s::text)
) AS q
ORDER BY q.meter ASC;

-- name: ensure_partitions
-- Creates the usage events' missing monthly partitions up to `ahead` months (owner role;
-- idempotent), naming each one created.
SELECT p.created
FROM metering.ensure_partitions(%(ahead)s::integer) AS p (created);
