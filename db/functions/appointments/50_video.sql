-- Video rooms (docs/appointments.md, "Video rooms"). A trigger on the appointment's status
-- writes the room's row in the transition's own transaction (never a call to the provider);
-- the worker (workers/consumers/video_rooms.py) claims due rows, creates or deletes the room
-- at the provider and records the outcome; the join functions hand the API what it needs to
-- ask the provider for a meeting token.

CREATE OR REPLACE FUNCTION appointments.video_quota_refusal(p_org uuid) RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
-- Why a room may not be created now, or NULL: the plan lacks video consultations, or the
-- month's video.minutes are used up (at least one minute must remain). A limit no
-- subscription sets counts as 0, as in billing.enforce_limit_for.
DECLARE
    v_limit bigint;
    v_source text;
    v_usage bigint;
BEGIN
    IF NOT billing.entitlement_on('organization', p_org, 'video_consultations') THEN
        RETURN 'video_consultations: video consultations are not in the organization''s plan.';
    END IF;
    SELECT l.value, l.source INTO v_limit, v_source FROM billing.limit_value('organization', p_org, 'video.minutes') AS l;
    IF v_limit IS NULL AND v_source <> 'none' THEN
        RETURN NULL;
    END IF;
    v_usage := billing.usage_of(p_org, 'video.minutes');
    IF v_usage >= coalesce(v_limit, 0) THEN
        RETURN pg_catalog.format('video.minutes: the month''s %s video minutes are used up (in use: %s).', coalesce(v_limit, 0), v_usage);
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION appointments.video_quota_refusal(uuid) IS 'Internal: why an organization may not open a video room now (entitlement or video.minutes quota), or NULL.';

CREATE OR REPLACE FUNCTION appointments.meter_video_minutes(p_room appointments.video_rooms, p_minutes integer, p_at timestamptz)
RETURNS integer
LANGUAGE plpgsql
SET search_path = ''
AS $$
-- Records a finished room's minutes as video_minutes (idempotency key: the room). The call
-- already happened, so a session that ran past the remaining quota must not undo the end of
-- the appointment: what still fits is recorded and the rest is reported on the room
-- (minutes - metered_minutes). Returns the minutes recorded.
DECLARE
    v_key text := 'video_room:' || p_room.id::text;
    v_limit bigint;
    v_fit bigint;
BEGIN
    IF p_minutes < 1 THEN
        RETURN 0;
    END IF;
    BEGIN
        PERFORM metering.record_usage('video_minutes', p_minutes, p_at, v_key);
        RETURN p_minutes;
    EXCEPTION WHEN raise_exception THEN
        IF SQLERRM <> 'limit_exceeded' THEN
            RAISE;
        END IF;
    END;
    SELECT l.value INTO v_limit FROM billing.limit_value('organization', p_room.organization_id, 'video.minutes') AS l;
    v_fit := least(p_minutes, greatest(coalesce(v_limit, 0) - billing.usage_of(p_room.organization_id, 'video.minutes'), 0));
    IF v_fit > 0 THEN
        PERFORM metering.record_usage('video_minutes', v_fit, p_at, v_key);
    END IF;
    RETURN v_fit;
END;
$$;
COMMENT ON FUNCTION appointments.meter_video_minutes(appointments.video_rooms, integer, timestamptz) IS 'Internal: meters a finished room''s minutes against video.minutes, recording what fits when the session overran the quota.';

CREATE OR REPLACE FUNCTION appointments.video_room_follow_status() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Entering inprogress (video only): a pending row, or a refused one (quota) or a failed one
-- (no provider) that the worker never touches. Leaving inprogress: a created room is metered
-- and queued for deletion; a pending one the worker never tried is simply over, one it may
-- have asked for is deleted too (a create may have reached the provider).
DECLARE
    v_now timestamptz := util.now();
    v_provider record;
    v_refusal text;
    v_room appointments.video_rooms;
    v_minutes integer;
    v_metered integer;
BEGIN
    IF NEW.status = 'inprogress' AND NEW.modality = 'video' THEN
        SELECT r.id, r.provider INTO v_provider FROM integrations.resolve_provider('video', NEW.organization_id) AS r;
        v_refusal := appointments.video_quota_refusal(NEW.organization_id);
        INSERT INTO appointments.video_rooms AS v (
            organization_id, appointment_id, provider_id, provider, state, last_error, expires_at, started_at, next_attempt_at
        ) VALUES (
            NEW.organization_id, NEW.id, v_provider.id, v_provider.provider,
            CASE WHEN v_refusal IS NOT NULL THEN 'refused' WHEN v_provider.id IS NULL THEN 'failed' ELSE 'pending' END,
            coalesce(v_refusal, CASE WHEN v_provider.id IS NULL THEN 'no_video_provider: no video provider is configured for this organization.' END),
            greatest(pg_catalog.upper(NEW.period), v_now) + INTERVAL '2 hours', v_now, v_now
        )
        ON CONFLICT (appointment_id) DO NOTHING;
    ELSIF OLD.status = 'inprogress' THEN
        SELECT * INTO v_room FROM appointments.video_rooms AS v WHERE v.appointment_id = NEW.id FOR UPDATE;
        IF NOT FOUND OR v_room.ended_at IS NOT NULL THEN
            RETURN NULL;
        END IF;
        IF v_room.state = 'created' THEN
            -- Whole minutes, rounded up, from the later of the start and the room's creation.
            v_minutes := pg_catalog.ceil(
                extract(EPOCH FROM v_now - greatest(v_room.started_at, v_room.room_created_at)) / 60
            )::integer;
            v_minutes := greatest(v_minutes, 0);
            v_metered := appointments.meter_video_minutes(v_room, v_minutes, v_now);
        END IF;
        UPDATE appointments.video_rooms AS v SET
            ended_at = v_now,
            minutes = v_minutes,
            metered_minutes = v_metered,
            state = CASE
                WHEN v.state = 'created' OR (v.state = 'pending' AND v.attempts > 0) THEN 'deleting'
                WHEN v.state = 'pending' THEN 'deleted'
                ELSE v.state
            END,
            attempts = CASE WHEN v.state IN ('created', 'pending') THEN 0 ELSE v.attempts END,
            next_attempt_at = v_now
        WHERE v.id = v_room.id;
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION appointments.video_room_follow_status() IS 'AFTER UPDATE OF status trigger: queues a video appointment''s room on inprogress, meters and queues its deletion when it ends.';

CREATE OR REPLACE TRIGGER appointments_video_room AFTER UPDATE OF status ON appointments.appointments
FOR EACH ROW
WHEN (old.status IS DISTINCT FROM new.status AND (new.status = 'inprogress' OR old.status = 'inprogress'))
EXECUTE FUNCTION appointments.video_room_follow_status();

CREATE OR REPLACE TRIGGER video_rooms_touch BEFORE UPDATE ON appointments.video_rooms
FOR EACH ROW EXECUTE FUNCTION util.touch_updated_at();

CREATE OR REPLACE FUNCTION appointments.video_rooms_claim(p_worker text, p_limit integer, p_lease interval)
RETURNS TABLE (
    id uuid, organization_id uuid, appointment_id uuid, provider_id uuid, provider text, config jsonb,
    room_name text, state text, attempt integer, expires_at timestamptz
)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- System pool only. Leases due rows (pending: create; deleting: delete) for p_lease; a
-- worker that dies leaves its lease to expire. Each claim counts an attempt.
DECLARE
    v_now timestamptz := util.now();
BEGIN
    IF p_worker IS NULL OR pg_catalog.length(p_worker) NOT BETWEEN 1 AND 200 THEN
        RAISE EXCEPTION 'worker name must be 1 to 200 characters' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_limit NOT BETWEEN 1 AND 1000 OR p_lease NOT BETWEEN INTERVAL '1 second' AND INTERVAL '15 minutes' THEN
        RAISE EXCEPTION 'limit must be 1 to 1000 and lease 1 second to 15 minutes' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN QUERY
    WITH picked AS (
        SELECT v.id FROM appointments.video_rooms AS v
        WHERE v.state IN ('pending', 'deleting') AND v.next_attempt_at <= v_now
          AND (v.lease_expires_at IS NULL OR v.lease_expires_at <= v_now)
        ORDER BY v.next_attempt_at
        LIMIT p_limit
        FOR UPDATE SKIP LOCKED
    ),

    leased AS (
        UPDATE appointments.video_rooms AS v SET
            attempts = v.attempts + 1, leased_by = p_worker, lease_expires_at = v_now + p_lease
        FROM picked AS p
        WHERE v.id = p.id
        RETURNING v.id, v.organization_id, v.appointment_id, v.provider_id, v.provider, v.room_name, v.state, v.attempts, v.expires_at
    )

    SELECT l.id, l.organization_id, l.appointment_id, l.provider_id, l.provider, p.config,
           l.room_name, l.state, l.attempts, l.expires_at
    FROM leased AS l
    LEFT JOIN integrations.platform_service_providers AS p ON p.id = l.provider_id;
END;
$$;
COMMENT ON FUNCTION appointments.video_rooms_claim(text, integer, interval) IS 'Lease due video rooms for a worker (create the pending, delete the ending), with their provider''s settings.';

CREATE OR REPLACE FUNCTION appointments.video_retry_delay(p_attempt integer) RETURNS interval
LANGUAGE sql VOLATILE
SET search_path = ''
AS $$
    -- 5 s doubling per attempt, capped at 10 minutes, with 50-100 % jitter.
    SELECT pg_catalog.make_interval(secs => least(5 * 2 ^ least(greatest(p_attempt, 1) - 1, 20), 600) * (0.5 + pg_catalog.random() / 2))
$$;
COMMENT ON FUNCTION appointments.video_retry_delay(integer) IS 'Internal: the wait before a video room''s next provider attempt.';

CREATE OR REPLACE FUNCTION appointments.video_room_record(
    p_id uuid, p_worker text, p_operation text, p_ok boolean, p_permanent boolean, p_room_url text, p_error text
) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- System pool only. Records what the provider said about a leased row and moves it on:
-- create ok -> created (appointment.video_room_created); delete ok -> deleted
-- (appointment.video_room_deleted); a transient failure retries on the schedule, a
-- permanent one (a 4xx) or the 10th fails. A create answered after the appointment ended
-- only frees the row for its deletion. Returns the new state; NULL when the lease was lost.
DECLARE
    c_max_attempts CONSTANT integer := 10;
    v_now timestamptz := util.now();
    v_room appointments.video_rooms;
    v_state text;
BEGIN
    IF p_operation IS NULL OR p_operation NOT IN ('create', 'delete') THEN
        RAISE EXCEPTION 'operation must be create or delete' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_ok AND p_operation = 'create' AND (p_room_url IS NULL OR pg_catalog.length(p_room_url) NOT BETWEEN 1 AND 500) THEN
        RAISE EXCEPTION 'a created room needs its URL (1 to 500 characters)' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT * INTO v_room FROM appointments.video_rooms AS v WHERE v.id = p_id FOR UPDATE;
    IF NOT FOUND OR v_room.leased_by IS DISTINCT FROM p_worker THEN
        RETURN NULL;
    END IF;
    v_state := v_room.state;
    IF (p_operation = 'create' AND v_room.state <> 'pending') OR (p_operation = 'delete' AND v_room.state <> 'deleting') THEN
        -- The appointment ended while the create was in flight: deletion takes over now.
        UPDATE appointments.video_rooms AS v SET leased_by = NULL, lease_expires_at = NULL,
            room_url = CASE WHEN p_ok AND p_operation = 'create' THEN p_room_url ELSE v.room_url END
        WHERE v.id = v_room.id;
        RETURN v_state;
    END IF;
    IF p_ok THEN
        v_state := CASE p_operation WHEN 'create' THEN 'created' ELSE 'deleted' END;
    ELSIF p_permanent OR v_room.attempts >= c_max_attempts THEN
        v_state := 'failed';
    END IF;
    UPDATE appointments.video_rooms AS v SET
        state = v_state,
        room_url = CASE WHEN p_ok AND p_operation = 'create' THEN p_room_url ELSE v.room_url END,
        room_created_at = CASE WHEN v_state = 'created' THEN v_now ELSE v.room_created_at END,
        room_deleted_at = CASE WHEN v_state = 'deleted' THEN v_now ELSE v.room_deleted_at END,
        last_error = CASE WHEN p_ok THEN NULL ELSE pg_catalog.left(coalesce(nullif(p_error, ''), 'unknown error'), 1000) END,
        next_attempt_at = CASE WHEN v_state IN ('pending', 'deleting') THEN v_now + appointments.video_retry_delay(v.attempts) ELSE v.next_attempt_at END,
        leased_by = NULL, lease_expires_at = NULL
    WHERE v.id = v_room.id;
    IF v_state = 'created' THEN
        PERFORM events.publish_for(v_room.organization_id, 'appointment.video_room_created', pg_catalog.jsonb_build_object(
            'appointment_id', v_room.appointment_id, 'video_room_id', v_room.id, 'provider', v_room.provider
        ));
    ELSIF v_state = 'deleted' AND v_room.room_created_at IS NOT NULL THEN
        PERFORM events.publish_for(v_room.organization_id, 'appointment.video_room_deleted', pg_catalog.jsonb_build_object(
            'appointment_id', v_room.appointment_id, 'video_room_id', v_room.id,
            'minutes', coalesce(v_room.minutes, 0), 'metered_minutes', coalesce(v_room.metered_minutes, 0)
        ));
    END IF;
    RETURN v_state;
END;
$$;
COMMENT ON FUNCTION appointments.video_room_record(uuid, text, text, boolean, boolean, text, text) IS 'Record a provider outcome for a leased video room: created, deleted, retried on the schedule or failed.';

CREATE OR REPLACE FUNCTION appointments.video_room_not_ready(p_status text, p_state text) RETURNS void
LANGUAGE plpgsql IMMUTABLE
SET search_path = ''
AS $$
BEGIN
    IF p_status IS DISTINCT FROM 'inprogress' OR p_state IS DISTINCT FROM 'created' THEN
        RAISE EXCEPTION 'video_room_not_ready'
            USING DETAIL = CASE
                WHEN p_state IS NULL THEN 'This appointment has no video room.'
                WHEN p_status IS DISTINCT FROM 'inprogress' THEN 'The video room is open only while the appointment is in progress.'
                ELSE pg_catalog.format('The video room is %s, not yet created.', p_state)
            END,
            HINT = pg_catalog.jsonb_build_object('status', p_status, 'state', p_state)::text;
    END IF;
END;
$$;
COMMENT ON FUNCTION appointments.video_room_not_ready(text, text) IS 'Internal: raises video_room_not_ready unless the appointment is in progress and its room created.';

CREATE OR REPLACE FUNCTION appointments.video_join(p_id uuid)
RETURNS TABLE (room_name text, room_url text, provider_id uuid, provider text, config jsonb, expires_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
-- The clinic's side (appointments.manage): the room to join with an owner token.
DECLARE
    v_status text;
    v_room appointments.video_rooms;
BEGIN
    PERFORM people.require_member_permission('appointments.manage');
    SELECT a.status INTO v_status FROM appointments.appointments AS a
    WHERE a.id = p_id AND a.organization_id = iam.current_org_id() AND a.deleted_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'appointment_not_found' USING DETAIL = 'No such appointment in this organization.';
    END IF;
    SELECT * INTO v_room FROM appointments.video_rooms AS v WHERE v.appointment_id = p_id;
    PERFORM appointments.video_room_not_ready(v_status, v_room.state);
    RETURN QUERY
    SELECT v_room.room_name, v_room.room_url, v_room.provider_id, v_room.provider, p.config, v_room.expires_at
    FROM integrations.platform_service_providers AS p WHERE p.id = v_room.provider_id;
END;
$$;
COMMENT ON FUNCTION appointments.video_join(uuid) IS 'The clinic joins a video appointment''s room (appointments.manage): only while in progress with the room created.';

CREATE OR REPLACE FUNCTION appointments.my_video_join(p_id uuid)
RETURNS TABLE (room_name text, room_url text, provider_id uuid, provider text, config jsonb, expires_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
-- The patient's side: their own appointment, or one of a person they book for.
DECLARE
    v_status text;
    v_room appointments.video_rooms;
BEGIN
    PERFORM people.require_human();
    SELECT a.status INTO v_status FROM appointments.appointments AS a
    INNER JOIN people.patients AS pt ON pt.id = a.patient_id AND pt.organization_id = a.organization_id
    WHERE a.id = p_id AND a.deleted_at IS NULL AND pt.deleted_at IS NULL
      AND pt.patient_profile_id IN (SELECT appointments.my_profile_ids());
    IF NOT FOUND THEN
        RAISE EXCEPTION 'appointment_not_found' USING DETAIL = 'No such appointment of yours.';
    END IF;
    SELECT * INTO v_room FROM appointments.video_rooms AS v WHERE v.appointment_id = p_id;
    PERFORM appointments.video_room_not_ready(v_status, v_room.state);
    RETURN QUERY
    SELECT v_room.room_name, v_room.room_url, v_room.provider_id, v_room.provider, p.config, v_room.expires_at
    FROM integrations.platform_service_providers AS p WHERE p.id = v_room.provider_id;
END;
$$;
COMMENT ON FUNCTION appointments.my_video_join(uuid) IS 'A patient (or their booking caregiver) joins their video appointment''s room: only while in progress with the room created.';

REVOKE EXECUTE ON FUNCTION appointments.video_quota_refusal(uuid),
appointments.meter_video_minutes(appointments.video_rooms, integer, timestamptz),
appointments.video_room_follow_status(), appointments.video_retry_delay(integer),
appointments.video_room_not_ready(text, text),
appointments.video_rooms_claim(text, integer, interval),
appointments.video_room_record(uuid, text, text, boolean, boolean, text, text),
appointments.video_join(uuid), appointments.my_video_join(uuid)
FROM public, restartix_app;
GRANT EXECUTE ON FUNCTION appointments.video_rooms_claim(text, integer, interval),
appointments.video_room_record(uuid, text, text, boolean, boolean, text, text) TO restartix_system;
GRANT EXECUTE ON FUNCTION appointments.video_join(uuid), appointments.my_video_join(uuid) TO restartix_app;
