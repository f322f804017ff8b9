-- events.publish_for as it was before events.routes: the catalog check and every consumer's
-- patterns matched against the type, for each event. bench/outbox.py measures against it.
CREATE SCHEMA bench_baseline;
CREATE FUNCTION bench_baseline.publish_for(
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
        RAISE EXCEPTION 'event_payload_not_object';
    END IF;
    IF pg_catalog.octet_length(p_payload::text) > 262144 THEN
        RAISE EXCEPTION 'event_payload_too_large';
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM events.event_types AS t WHERE t.type = p_type AND t.version = p_version
    ) THEN
        RAISE EXCEPTION 'event_type_unknown';
    END IF;
    IF v_actor_id IS NOT NULL THEN
        SELECT p.kind INTO v_actor_type FROM iam.principals AS p WHERE p.id = v_actor_id;
    END IF;
    IF v_actor_type IS NULL THEN
        v_actor_id := '00000000-0000-0000-0000-000000000001';
        v_actor_type := 'system';
    END IF;
    INSERT INTO events.outbox (type, version, organization_id, actor_id, actor_type, request_id, payload)
    VALUES (
        p_type, p_version, p_organization_id, v_actor_id, v_actor_type,
        nullif(pg_catalog.current_setting('app.request_id', true), ''), p_payload
    )
    RETURNING id, position INTO v_id, v_position;
    INSERT INTO events.deliveries (consumer_id, event_id, position, lane)
    SELECT c.id, v_id, v_position, coalesce(p_organization_id, '00000000-0000-0000-0000-000000000000')
    FROM events.consumers AS c
    WHERE c.enabled AND c.types OPERATOR(pg_catalog.&&) events.type_patterns(p_type);
    PERFORM pg_catalog.pg_notify('restartix_events', '');
    RETURN v_id;
END;
$$;
GRANT USAGE ON SCHEMA bench_baseline TO restartix_system;
GRANT EXECUTE ON FUNCTION bench_baseline.publish_for(uuid, text, jsonb, integer) TO restartix_system;
