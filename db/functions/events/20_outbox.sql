-- Publishing: one row in events.outbox, one delivery per subscribed consumer, and a NOTIFY,
-- all in the caller's transaction. A rolled-back transaction publishes nothing, and the
-- NOTIFY is delivered only at commit, so a woken worker always finds the committed event.
--
-- Which consumers a type goes to is matched once per type, not per event: events.routes
-- holds, for every (type, version) of the catalog, the enabled consumers whose patterns
-- select it, refreshed by statement triggers whenever event types or consumers change.

CREATE OR REPLACE FUNCTION events.type_patterns(p_type text) RETURNS text []
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = ''
AS $$
DECLARE
    -- The consumer type patterns that select this type: '*', the type itself, and one
    -- 'prefix.*' per dotted prefix ('role.updated' -> '*', 'role.updated', 'role.*').
    v_parts text [] := pg_catalog.string_to_array(p_type, '.');
    v_patterns text [] := ARRAY['*', p_type];
BEGIN
    FOR i IN 1 .. coalesce(pg_catalog.cardinality(v_parts), 0) - 1 LOOP
        v_patterns := v_patterns || (pg_catalog.array_to_string(v_parts[1:i], '.') || '.*');
    END LOOP;
    RETURN v_patterns;
END;
$$;
COMMENT ON FUNCTION events.type_patterns(text) IS 'The consumer type patterns that select an event type: *, itself, and each prefix.*.';

CREATE OR REPLACE FUNCTION events.refresh_routes() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    -- One refresh at a time. Under READ COMMITTED each statement below reads what the
    -- previous refresh committed, so two consumers registered at once both end up routed.
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('events.routes'));
    -- Types gone from the catalog lose their routes with them (ON DELETE CASCADE).
    INSERT INTO events.routes AS r (type, version, consumer_ids)
    SELECT
        t.type, t.version,
        coalesce(pg_catalog.array_agg(c.id ORDER BY c.id) FILTER (WHERE c.id IS NOT NULL), '{}')
    FROM events.event_types AS t
    LEFT JOIN events.consumers AS c
        ON c.enabled AND c.types OPERATOR(pg_catalog.&&) events.type_patterns(t.type)
    GROUP BY t.type, t.version
    ON CONFLICT (type, version) DO UPDATE SET consumer_ids = excluded.consumer_ids
    WHERE r.consumer_ids IS DISTINCT FROM excluded.consumer_ids;
END;
$$;
COMMENT ON FUNCTION events.refresh_routes() IS 'Recompute events.routes (each event type''s enabled consumers) from the catalog and the consumers.';

CREATE OR REPLACE FUNCTION events.on_routing_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM events.refresh_routes();
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION events.on_routing_change() IS 'AFTER statement trigger on events.event_types and events.consumers: keeps events.routes in step.';

CREATE OR REPLACE TRIGGER event_types_route AFTER INSERT OR UPDATE OR DELETE ON events.event_types
FOR EACH STATEMENT EXECUTE FUNCTION events.on_routing_change();
CREATE OR REPLACE TRIGGER consumers_route AFTER INSERT OR UPDATE OF types, enabled OR DELETE
ON events.consumers
FOR EACH STATEMENT EXECUTE FUNCTION events.on_routing_change();

CREATE OR REPLACE FUNCTION events.publish_for(
    p_organization_id uuid, p_type text, p_payload jsonb, p_version integer DEFAULT 1
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_actor_id uuid := nullif(pg_catalog.current_setting('app.current_principal_id', true), '')::uuid;
    v_actor_type text;
    v_consumers integer [];
    v_id uuid;
    v_position bigint;
BEGIN
    IF p_payload IS NULL OR pg_catalog.jsonb_typeof(p_payload) <> 'object' THEN
        RAISE EXCEPTION 'event_payload_not_object'
            USING DETAIL = pg_catalog.format(
                'the payload of an event is a JSON object, not %s',
                coalesce(pg_catalog.jsonb_typeof(p_payload), 'NULL')
            );
    END IF;
    -- Events carry ids and small facts; consumers read anything bigger under RLS themselves.
    IF pg_catalog.octet_length(p_payload::text) > 262144 THEN
        RAISE EXCEPTION 'event_payload_too_large'
            USING DETAIL = pg_catalog.format(
                'the payload of an event is at most 262144 bytes of JSON, this one has %s',
                pg_catalog.octet_length(p_payload::text)
            );
    END IF;
    -- One read checks the type against the catalog and finds its consumers.
    SELECT r.consumer_ids INTO v_consumers
    FROM events.routes AS r WHERE r.type = p_type AND r.version = p_version;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'event_type_unknown'
            USING DETAIL = pg_catalog.format(
                'event type %s version %s is not in the catalog (events.event_types)',
                coalesce(p_type, 'NULL'), coalesce(p_version::text, 'NULL')
            );
    END IF;

    IF v_actor_id IS NOT NULL THEN
        SELECT p.kind INTO v_actor_type FROM iam.principals AS p WHERE p.id = v_actor_id;
    END IF;
    IF v_actor_type IS NULL THEN
        -- No actor, or an id that names no principal: the system acted, as in the audit log.
        v_actor_id := '00000000-0000-0000-0000-000000000001';
        v_actor_type := 'system';
    END IF;

    INSERT INTO events.outbox (type, version, organization_id, actor_id, actor_type, request_id, payload)
    VALUES (
        p_type, p_version, p_organization_id, v_actor_id, v_actor_type,
        nullif(pg_catalog.current_setting('app.request_id', true), ''), p_payload
    )
    RETURNING id, position INTO v_id, v_position;

    -- Fan out now, in this transaction: each consumer owes this event from the moment it commits.
    IF pg_catalog.cardinality(v_consumers) > 0 THEN
        INSERT INTO events.deliveries (consumer_id, event_id, position, lane)
        SELECT c.id, v_id, v_position, coalesce(p_organization_id, '00000000-0000-0000-0000-000000000000')
        FROM pg_catalog.unnest(v_consumers) AS c (id);
    END IF;

    -- Identical notifications of one transaction are folded into one, sent at commit.
    PERFORM pg_catalog.pg_notify('restartix_events', '');
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION events.publish_for(uuid, text, jsonb, integer) IS 'Publish an event for an explicit organization (NULL: a platform event); system pool and triggers only.';

CREATE OR REPLACE FUNCTION events.publish_many_for(
    p_organization_id uuid, p_type text, p_payloads jsonb [], p_version integer DEFAULT 1
) RETURNS uuid []
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_actor_id uuid := nullif(pg_catalog.current_setting('app.current_principal_id', true), '')::uuid;
    v_actor_type text;
    v_consumers integer [];
    v_bad record;
    v_ids uuid [];
BEGIN
    -- Nothing to publish (an empty array, or the NULL of array_agg over no rows): no event,
    -- no NOTIFY.
    IF coalesce(pg_catalog.cardinality(p_payloads), 0) = 0 THEN
        RETURN '{}';
    END IF;
    -- The rules of events.publish_for, for every payload; the first offender is named.
    SELECT p.ord, pg_catalog.jsonb_typeof(p.payload) AS kind INTO v_bad
    FROM pg_catalog.unnest(p_payloads) WITH ORDINALITY AS p (payload, ord)
    WHERE p.payload IS NULL OR pg_catalog.jsonb_typeof(p.payload) <> 'object'
    ORDER BY p.ord LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'event_payload_not_object'
            USING DETAIL = pg_catalog.format(
                'the payload of an event is a JSON object, not %s (payload %s of %s)',
                coalesce(v_bad.kind, 'NULL'), v_bad.ord, pg_catalog.cardinality(p_payloads)
            );
    END IF;
    SELECT p.ord, pg_catalog.octet_length(p.payload::text) AS bytes INTO v_bad
    FROM pg_catalog.unnest(p_payloads) WITH ORDINALITY AS p (payload, ord)
    WHERE pg_catalog.octet_length(p.payload::text) > 262144
    ORDER BY p.ord LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'event_payload_too_large'
            USING DETAIL = pg_catalog.format(
                'the payload of an event is at most 262144 bytes of JSON, this one has %s (payload %s of %s)',
                v_bad.bytes, v_bad.ord, pg_catalog.cardinality(p_payloads)
            );
    END IF;
    SELECT r.consumer_ids INTO v_consumers
    FROM events.routes AS r WHERE r.type = p_type AND r.version = p_version;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'event_type_unknown'
            USING DETAIL = pg_catalog.format(
                'event type %s version %s is not in the catalog (events.event_types)',
                coalesce(p_type, 'NULL'), coalesce(p_version::text, 'NULL')
            );
    END IF;

    IF v_actor_id IS NOT NULL THEN
        SELECT p.kind INTO v_actor_type FROM iam.principals AS p WHERE p.id = v_actor_id;
    END IF;
    IF v_actor_type IS NULL THEN
        v_actor_id := '00000000-0000-0000-0000-000000000001';
        v_actor_type := 'system';
    END IF;

    -- One statement: the events take positions in the order of the array (the organization's
    -- order for its consumers), and every consumer's delivery of each is written with them.
    WITH published AS (
        INSERT INTO events.outbox (type, version, organization_id, actor_id, actor_type, request_id, payload)
        SELECT
            p_type, p_version, p_organization_id, v_actor_id, v_actor_type,
            nullif(pg_catalog.current_setting('app.request_id', true), ''), p.payload
        FROM pg_catalog.unnest(p_payloads) WITH ORDINALITY AS p (payload, ord)
        ORDER BY p.ord
        RETURNING id, position
    ),

    fanned_out AS (
        INSERT INTO events.deliveries (consumer_id, event_id, position, lane)
        SELECT c.id, e.id, e.position, coalesce(p_organization_id, '00000000-0000-0000-0000-000000000000')
        FROM published AS e CROSS JOIN pg_catalog.unnest(v_consumers) AS c (id)
    )

    SELECT pg_catalog.array_agg(e.id ORDER BY e.position) INTO v_ids FROM published AS e;

    PERFORM pg_catalog.pg_notify('restartix_events', '');
    RETURN v_ids;
END;
$$;
COMMENT ON FUNCTION events.publish_many_for(uuid, text, jsonb [], integer) IS 'Publish many events of one type for an explicit organization in one statement, in array order; system pool and triggers only.';

CREATE OR REPLACE FUNCTION events.publish(p_type text, p_payload jsonb, p_version integer DEFAULT 1)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_org uuid := iam.current_org_id();
BEGIN
    -- The session's organization counts only for its active members and platform admins, as
    -- in the policies; without a principal, publish for an organization with publish_for.
    IF v_org IS NOT NULL
       AND iam.current_member_org_id() IS DISTINCT FROM v_org
       AND NOT iam.is_platform_admin() THEN
        RAISE EXCEPTION 'permission_denied'
            USING DETAIL = 'events are published only in an organization the acting principal is an active member of',
                  ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN events.publish_for(v_org, p_type, p_payload, p_version);
END;
$$;
COMMENT ON FUNCTION events.publish(text, jsonb, integer) IS 'Publish an event in the caller''s transaction, for the session''s organization, by the session''s principal (domain functions and the system pool only).';

CREATE OR REPLACE FUNCTION events.publish_many(p_type text, p_payloads jsonb [], p_version integer DEFAULT 1)
RETURNS uuid []
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_org uuid := iam.current_org_id();
BEGIN
    -- Who may, as in events.publish.
    IF v_org IS NOT NULL
       AND iam.current_member_org_id() IS DISTINCT FROM v_org
       AND NOT iam.is_platform_admin() THEN
        RAISE EXCEPTION 'permission_denied'
            USING DETAIL = 'events are published only in an organization the acting principal is an active member of',
                  ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN events.publish_many_for(v_org, p_type, p_payloads, p_version);
END;
$$;
COMMENT ON FUNCTION events.publish_many(text, jsonb [], integer) IS 'Publish many events of one type in the caller''s transaction, in array order, for the session''s organization.';

REVOKE EXECUTE ON FUNCTION
events.publish_for(uuid, text, jsonb, integer), events.publish_many_for(uuid, text, jsonb [], integer),
events.refresh_routes(), events.on_routing_change()
FROM public;
-- Events are published from inside the domains' SECURITY DEFINER functions (as the owner),
-- never by a direct call from the request pool.
REVOKE EXECUTE ON FUNCTION events.publish(text, jsonb, integer), events.publish_many(text, jsonb [], integer)
FROM public, restartix_app;
GRANT EXECUTE ON FUNCTION events.publish(text, jsonb, integer), events.publish_many(text, jsonb [], integer)
TO restartix_system;
GRANT EXECUTE ON FUNCTION
events.publish_for(uuid, text, jsonb, integer), events.publish_many_for(uuid, text, jsonb [], integer)
TO restartix_system;
GRANT EXECUTE ON FUNCTION events.type_patterns(text) TO restartix_system;

-- The catalog may have been loaded before these triggers existed (a first migrate).
SELECT events.refresh_routes();
