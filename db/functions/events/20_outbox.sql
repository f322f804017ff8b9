-- Publishing: one row in events.outbox, one delivery per subscribed consumer, and a NOTIFY,
-- all in the caller's transaction. A rolled-back transaction publishes nothing, and the
-- NOTIFY is delivered only at commit, so a woken worker always finds the committed event.

CREATE OR REPLACE FUNCTION events.publish_for(
    p_organization_id uuid, p_type text, p_payload jsonb, p_version integer DEFAULT 1
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_actor_id uuid := nullif(pg_catalog.current_setting('app.current_principal_id', true), '')::uuid;
    v_actor_type text;
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
    IF NOT EXISTS (
        SELECT 1 FROM events.event_types AS t WHERE t.type = p_type AND t.version = p_version
    ) THEN
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
    INSERT INTO events.deliveries (consumer_id, event_id, position, lane)
    SELECT c.id, v_id, v_position, coalesce(p_organization_id, '00000000-0000-0000-0000-000000000000')
    FROM events.consumers AS c
    WHERE c.enabled AND c.types OPERATOR(pg_catalog.&&) events.type_patterns(p_type);

    -- Identical notifications of one transaction are folded into one, sent at commit.
    PERFORM pg_catalog.pg_notify('restartix_events', '');
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION events.publish_for(uuid, text, jsonb, integer) IS 'Publish an event for an explicit organization (NULL: a platform event); system pool and triggers only.';

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

CREATE OR REPLACE FUNCTION events.type_patterns(p_type text) RETURNS text []
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = ''
AS $$
DECLARE
    -- The consumer type patterns that select this type: '*', the type itself, and one
    -- 'prefix.*' per dotted prefix ('role.updated' -> '*', 'role.updated', 'role.*').
    -- plpgsql, not SQL: on the publish path, and its expressions take the fast path.
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

REVOKE EXECUTE ON FUNCTION events.publish_for(uuid, text, jsonb, integer) FROM public;
-- Events are published from inside the domains' SECURITY DEFINER functions (as the owner),
-- never by a direct call from the request pool.
REVOKE EXECUTE ON FUNCTION events.publish(text, jsonb, integer) FROM public, restartix_app;
GRANT EXECUTE ON FUNCTION events.publish(text, jsonb, integer) TO restartix_system;
GRANT EXECUTE ON FUNCTION events.publish_for(uuid, text, jsonb, integer) TO restartix_system;
GRANT EXECUTE ON FUNCTION events.type_patterns(text) TO restartix_system;
