-- Series (a course of sessions booked in one call, each through appointments.book so every
-- booking rule, lock and gate applies) and the specialists' ICS feeds (a revocable bearer
-- URL whose token is stored only as its SHA-256). docs/appointments.md has the rules.

CREATE OR REPLACE FUNCTION appointments.series_starts(
    p_tz text, p_weekdays integer [], p_time time, p_from date, p_count integer, p_until date
) RETURNS timestamptz []
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
-- The dates from p_from whose ISO weekday (1 Monday .. 7 Sunday) is listed, each at p_time on
-- the wall clock of p_tz, so 09:00 stays 09:00 across a daylight-saving change: p_count of
-- them, or every one up to p_until. More than 52 is invalid_field.
DECLARE
    v_day date := p_from;
    v_out timestamptz [] := '{}';
BEGIN
    LOOP
        EXIT WHEN p_count IS NOT NULL AND pg_catalog.cardinality(v_out) >= p_count;
        EXIT WHEN p_until IS NOT NULL AND v_day > p_until;
        IF extract(ISODOW FROM v_day)::integer = ANY (p_weekdays) THEN
            IF pg_catalog.cardinality(v_out) >= 52 THEN
                RAISE EXCEPTION 'invalid_field' USING DETAIL = 'until: the rule gives more than 52 sessions.';
            END IF;
            v_out := v_out || ((v_day + p_time) AT TIME ZONE p_tz);
        END IF;
        v_day := v_day + 1;
    END LOOP;
    RETURN v_out;
END;
$$;
COMMENT ON FUNCTION appointments.series_starts(text, integer [], time, date, integer, date) IS 'Internal: the starts a weekly rule gives (wall-clock time in a zone, a count or a last date, at most 52).';

CREATE OR REPLACE FUNCTION appointments.series_failure_reason(p_cal scheduling.calendars, p_start timestamptz)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
-- Why booking refused a start (slot_taken says only "not offered"): the clinic is closed that
-- date, the start is outside the calendar's booking window, or the slot is not free (taken,
-- held, outside hours or off the grid).
DECLARE
    v_org_tz text;
BEGIN
    SELECT coalesce(os.timezone, p_cal.timezone) INTO v_org_tz
    FROM tenancy.organization_settings AS os WHERE os.organization_id = p_cal.organization_id;
    IF EXISTS (
        SELECT 1 FROM scheduling.organization_closures AS c
        WHERE c.organization_id = p_cal.organization_id
          AND c.closure_date = (p_start AT TIME ZONE coalesce(v_org_tz, p_cal.timezone))::date
    ) THEN
        RETURN 'closed';
    END IF;
    IF p_start <= util.now()
       OR (p_cal.min_notice_minutes IS NOT NULL AND p_start < util.now() + pg_catalog.make_interval(mins => p_cal.min_notice_minutes))
       OR (p_cal.max_advance_days IS NOT NULL AND p_start > util.now() + pg_catalog.make_interval(hours => 24 * p_cal.max_advance_days)) THEN
        RETURN 'outside_booking_window';
    END IF;
    RETURN 'unavailable';
END;
$$;
COMMENT ON FUNCTION appointments.series_failure_reason(scheduling.calendars, timestamptz) IS 'Internal: closed, outside_booking_window or unavailable, for a start booking refused.';

CREATE OR REPLACE FUNCTION appointments.book_series(
    p_calendar_id uuid, p_patient_id uuid,
    p_weekdays integer [], p_time time, p_from date, p_count integer, p_until date,
    p_starts timestamptz [],
    p_mode text DEFAULT 'all_or_nothing', p_holds jsonb DEFAULT '[]',
    p_specialist_id uuid DEFAULT NULL, p_modality text DEFAULT NULL, p_notes text DEFAULT NULL
) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Either a weekly rule (p_weekdays, p_time, p_from and p_count or p_until) or an explicit list
-- of starts (p_starts). Each session is appointments.book in its own subtransaction. Every
-- session keeps one specialist: the one asked for, or the first session's; on calendars whose
-- strategy assigns (round robin, priority) the others are passed to book as busy at that
-- session, so the strategy can only pick them. all_or_nothing: any refused session rolls the
-- series back (series_unavailable with every refused start and why); partial: what can be
-- booked is, and the refused starts come back (series_unavailable when none can).
DECLARE
    v_org uuid := iam.current_org_id();
    v_cal scheduling.calendars;
    v_starts timestamptz [];
    v_start timestamptz;
    v_duration interval;
    v_all uuid [];
    v_pin uuid := p_specialist_id;
    v_series uuid;
    v_id uuid;
    v_spec uuid;
    v_holds jsonb;
    v_booked jsonb := '[]';
    v_failed jsonb := '[]';
    v_code text;
    v_detail text;
BEGIN
    PERFORM people.require_member_permission('appointments.book');
    IF p_mode IS NULL OR p_mode NOT IN ('all_or_nothing', 'partial') THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'mode: all_or_nothing or partial.';
    END IF;
    IF p_holds IS NULL OR pg_catalog.jsonb_typeof(p_holds) <> 'array' THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'holds: a JSON array.';
    END IF;
    IF p_modality IS NOT NULL AND p_modality NOT IN ('in_clinic', 'video', 'home_visit') THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'modality: in_clinic, video or home_visit.';
    END IF;
    IF pg_catalog.length(p_notes) > 4000 THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'notes: at most 4000 characters.';
    END IF;
    IF (p_starts IS NULL) = (p_weekdays IS NULL) THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'rule or starts: give exactly one.';
    END IF;
    IF p_starts IS NOT NULL THEN
        IF p_time IS NOT NULL OR p_from IS NOT NULL OR p_count IS NOT NULL OR p_until IS NOT NULL THEN
            RAISE EXCEPTION 'invalid_field' USING DETAIL = 'starts: a list of starts takes no rule fields.';
        END IF;
        IF pg_catalog.cardinality(p_starts) NOT BETWEEN 1 AND 52 THEN
            RAISE EXCEPTION 'invalid_field' USING DETAIL = 'starts: between 1 and 52 sessions.';
        END IF;
        IF pg_catalog.array_position(p_starts, NULL) IS NOT NULL THEN
            RAISE EXCEPTION 'invalid_field' USING DETAIL = 'starts: every start is a date-time.';
        END IF;
        IF (SELECT pg_catalog.count(DISTINCT s) FROM pg_catalog.unnest(p_starts) AS s) <> pg_catalog.cardinality(p_starts) THEN
            RAISE EXCEPTION 'invalid_field' USING DETAIL = 'starts: a start is listed twice.';
        END IF;
    ELSE
        IF pg_catalog.cardinality(p_weekdays) NOT BETWEEN 1 AND 7
           OR pg_catalog.array_position(p_weekdays, NULL) IS NOT NULL
           OR NOT (1 <= ALL (p_weekdays) AND 7 >= ALL (p_weekdays))
           OR (SELECT pg_catalog.count(DISTINCT w) FROM pg_catalog.unnest(p_weekdays) AS w) <> pg_catalog.cardinality(p_weekdays) THEN
            RAISE EXCEPTION 'invalid_field' USING DETAIL = 'weekdays: distinct ISO weekdays, 1 (Monday) to 7 (Sunday).';
        END IF;
        IF p_time IS NULL OR p_time >= TIME '24:00' THEN
            RAISE EXCEPTION 'invalid_field' USING DETAIL = 'time: a wall-clock time, 00:00 to 23:59.';
        END IF;
        IF p_from IS NULL THEN
            RAISE EXCEPTION 'invalid_field' USING DETAIL = 'from: the first date (YYYY-MM-DD) is required.';
        END IF;
        IF (p_count IS NULL) = (p_until IS NULL) THEN
            RAISE EXCEPTION 'invalid_field' USING DETAIL = 'count or until: give exactly one.';
        END IF;
        IF p_count NOT BETWEEN 1 AND 52 THEN
            RAISE EXCEPTION 'invalid_field' USING DETAIL = 'count: between 1 and 52 sessions.';
        END IF;
        IF p_until < p_from OR p_until > p_from + 366 THEN
            RAISE EXCEPTION 'invalid_field' USING DETAIL = 'until: on or after from, at most 366 days after it.';
        END IF;
    END IF;
    SELECT * INTO v_cal FROM scheduling.calendars AS c
    WHERE c.id = p_calendar_id AND c.organization_id = v_org AND c.deleted_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'calendar_not_found' USING DETAIL = 'No such calendar in this organization.';
    END IF;
    IF NOT v_cal.active THEN
        RAISE EXCEPTION 'calendar_inactive' USING DETAIL = 'This calendar takes no bookings.';
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM people.patients AS p WHERE p.id = p_patient_id AND p.organization_id = v_org AND p.deleted_at IS NULL
    ) THEN
        RAISE EXCEPTION 'patient_not_found' USING DETAIL = 'No such patient in this organization.';
    END IF;
    SELECT pg_catalog.array_agg(cs.specialist_id ORDER BY cs.specialist_id) INTO v_all
    FROM scheduling.calendar_specialists AS cs WHERE cs.calendar_id = v_cal.id;
    IF p_specialist_id IS NULL AND v_cal.assignment_strategy = 'patient_choice' THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'specialist_id: required on a patient-choice calendar.';
    END IF;
    IF p_specialist_id IS NOT NULL AND NOT p_specialist_id = ANY (coalesce(v_all, '{}')) THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'specialist_id: not a specialist of this calendar.';
    END IF;
    IF p_starts IS NOT NULL THEN
        SELECT pg_catalog.array_agg(s ORDER BY s) INTO v_starts FROM pg_catalog.unnest(p_starts) AS s;
    ELSE
        v_starts := appointments.series_starts(v_cal.timezone, p_weekdays, p_time, p_from, p_count, p_until);
        IF pg_catalog.cardinality(v_starts) = 0 THEN
            RAISE EXCEPTION 'invalid_field' USING DETAIL = 'until: no listed weekday falls between from and until.';
        END IF;
    END IF;
    SELECT pg_catalog.make_interval(mins => s.duration_minutes) INTO v_duration
    FROM catalog.services AS s WHERE s.id = v_cal.service_id;

    INSERT INTO appointments.series (
        organization_id, calendar_id, patient_id, specialist_id, weekdays, local_time, starts_on,
        occurrences, until_date, timezone, mode, created_by
    ) VALUES (
        v_org, v_cal.id, p_patient_id, p_specialist_id, p_weekdays::smallint [], p_time, p_from,
        p_count, p_until, v_cal.timezone, p_mode, iam.current_principal_id()
    ) RETURNING id INTO v_series;

    FOREACH v_start IN ARRAY v_starts LOOP
        -- A course is booked ahead: a start already past is refused here (availability offers
        -- past slots of a calendar without a minimum notice).
        IF v_start <= util.now() THEN
            v_failed := v_failed || pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
                'start', scheduling.rfc3339(v_start, v_cal.timezone), 'code', 'slot_taken',
                'reason', 'outside_booking_window', 'detail', 'This start is in the past.'
            ));
            CONTINUE;
        END IF;
        BEGIN
            v_holds := p_holds;
            IF v_pin IS NOT NULL AND v_cal.assignment_strategy <> 'patient_choice' THEN
                v_holds := v_holds || coalesce((
                    SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                        'specialist_id', o.id, 'start', v_start, 'end', v_start + v_duration))
                    FROM pg_catalog.unnest(v_all) AS o (id) WHERE o.id <> v_pin
                ), '[]');
            END IF;
            v_id := appointments.book(v_cal.id, p_patient_id, v_start, v_holds, v_pin, p_modality, p_notes);
            UPDATE appointments.appointments AS a SET series_id = v_series WHERE a.id = v_id
            RETURNING a.specialist_id INTO v_spec;
            v_pin := coalesce(v_pin, v_spec);
            v_booked := v_booked || pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
                'appointment_id', v_id, 'start', scheduling.rfc3339(v_start, v_cal.timezone)
            ));
        EXCEPTION WHEN raise_exception THEN
            GET STACKED DIAGNOSTICS v_code = MESSAGE_TEXT, v_detail = PG_EXCEPTION_DETAIL;
            -- Refusals of one date; anything else (gating of the patient, permissions) is the
            -- whole series' and propagates.
            IF v_code NOT IN ('slot_taken', 'limit_exceeded') THEN
                RAISE;
            END IF;
            v_failed := v_failed || pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
                'start', scheduling.rfc3339(v_start, v_cal.timezone), 'code', v_code,
                'reason', CASE WHEN v_code = 'slot_taken' THEN appointments.series_failure_reason(v_cal, v_start) ELSE v_code END,
                'detail', v_detail
            ));
        END;
    END LOOP;

    IF pg_catalog.jsonb_array_length(v_failed) > 0
       AND (p_mode = 'all_or_nothing' OR pg_catalog.jsonb_array_length(v_booked) = 0) THEN
        RAISE EXCEPTION 'series_unavailable'
            USING DETAIL = pg_catalog.format('%s of the %s sessions cannot be booked; nothing was booked.',
                                             pg_catalog.jsonb_array_length(v_failed), pg_catalog.cardinality(v_starts)),
                  HINT = pg_catalog.jsonb_build_object('failed', v_failed)::text;
    END IF;
    UPDATE appointments.series AS s SET specialist_id = v_pin WHERE s.id = v_series;
    PERFORM events.publish('appointment_series.booked', pg_catalog.jsonb_build_object(
        'series_id', v_series, 'calendar_id', v_cal.id, 'specialist_id', v_pin,
        'sessions_booked', pg_catalog.jsonb_array_length(v_booked),
        'sessions_failed', pg_catalog.jsonb_array_length(v_failed)
    ));
    RETURN pg_catalog.jsonb_build_object('series_id', v_series, 'booked', v_booked, 'failed', v_failed);
END;
$$;
COMMENT ON FUNCTION appointments.book_series(uuid, uuid, integer [], time, date, integer, date, timestamptz [], text, jsonb, uuid, text, text) IS 'Book a course of sessions (appointments.book for each, one specialist throughout): all or nothing, or partial with the refused starts and why.';

CREATE OR REPLACE FUNCTION appointments.cancel_series(p_series_id uuid, p_reason text, p_from timestamptz DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- The rest of a series: its active (requested, confirmed) sessions starting from p_from (now
-- by default; never before now), each through appointments.cancel so the plan session comes
-- back and appointment.cancelled is published.
DECLARE
    v_series appointments.series;
    v_from timestamptz;
    v_id uuid;
    v_cancelled integer := 0;
    v_returned integer := 0;
BEGIN
    PERFORM people.require_member_permission('appointments.manage');
    IF p_reason IS NULL OR pg_catalog.btrim(p_reason) = '' THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'reason: the clinic says why it cancels.';
    END IF;
    IF pg_catalog.length(p_reason) > 1000 THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'reason: at most 1000 characters.';
    END IF;
    SELECT * INTO v_series FROM appointments.series AS s
    WHERE s.id = p_series_id AND s.organization_id = iam.current_org_id()
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'series_not_found' USING DETAIL = 'No such series in this organization.';
    END IF;
    v_from := greatest(coalesce(p_from, util.now()), util.now());
    FOR v_id IN
        SELECT a.id FROM appointments.appointments AS a
        WHERE a.organization_id = v_series.organization_id AND a.series_id = v_series.id
          AND a.deleted_at IS NULL AND a.status IN ('requested', 'confirmed')
          AND pg_catalog.lower(a.period) >= v_from
        ORDER BY pg_catalog.lower(a.period), a.id
    LOOP
        IF appointments.cancel(v_id, p_reason) THEN
            v_returned := v_returned + 1;
        END IF;
        v_cancelled := v_cancelled + 1;
    END LOOP;
    UPDATE appointments.series AS s
    SET cancelled_at = util.now(), cancelled_from = v_from, cancellation_reason = pg_catalog.btrim(p_reason)
    WHERE s.id = v_series.id;
    PERFORM events.publish('appointment_series.cancelled', pg_catalog.jsonb_build_object(
        'series_id', v_series.id, 'sessions_cancelled', v_cancelled, 'sessions_returned', v_returned
    ));
    RETURN pg_catalog.jsonb_build_object('sessions_cancelled', v_cancelled, 'sessions_returned', v_returned);
END;
$$;
COMMENT ON FUNCTION appointments.cancel_series(uuid, text, timestamptz) IS 'Cancel the remaining active sessions of a series from a time (appointments.manage), each through appointments.cancel.';

-- Calendar feeds.

CREATE OR REPLACE FUNCTION appointments.my_specialist_ids() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
    -- Security definer: the feeds' policy calls it. The acting member's own specialist
    -- records in the current organization.
    SELECT s.id FROM people.specialists AS s
    WHERE s.organization_id = iam.current_member_org_id()
      AND s.human_id = iam.current_principal_id()
      AND s.deleted_at IS NULL
      AND NOT iam.principal_is_blocked(iam.current_principal_id());
$$;
COMMENT ON FUNCTION appointments.my_specialist_ids() IS 'The acting member''s own specialist records in the current organization.';

CREATE OR REPLACE FUNCTION appointments.require_feed_manager(p_specialist_id uuid) RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
-- The specialist themself, or a member holding appointments.manage.
BEGIN
    IF iam.current_member_org_id() IS NULL THEN
        RAISE EXCEPTION 'permission_denied' USING DETAIL = 'Calendar feeds are for members of the organization.',
            ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM people.specialists AS s
        WHERE s.id = p_specialist_id AND s.organization_id = iam.current_member_org_id() AND s.deleted_at IS NULL
    ) THEN
        RAISE EXCEPTION 'specialist_not_found' USING DETAIL = 'No such specialist in this organization.';
    END IF;
    IF NOT people.member_holds('appointments.manage')
       AND NOT p_specialist_id IN (SELECT appointments.my_specialist_ids()) THEN
        RAISE EXCEPTION 'permission_denied' USING DETAIL = 'A calendar feed is the specialist''s own or appointments.manage staff''s.',
            ERRCODE = 'insufficient_privilege';
    END IF;
END;
$$;
COMMENT ON FUNCTION appointments.require_feed_manager(uuid) IS 'Internal: raises unless the actor is that specialist or holds appointments.manage in the organization.';

CREATE OR REPLACE FUNCTION appointments.create_calendar_feed(p_specialist_id uuid, p_include_patient_names boolean DEFAULT FALSE)
RETURNS TABLE (id uuid, token text, created_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- A new feed replaces the live one (its URL stops working). The token is returned once; only
-- its SHA-256 is stored.
DECLARE
    v_token text := pg_catalog.replace(pg_catalog.gen_random_uuid()::text || pg_catalog.gen_random_uuid()::text, '-', '');
    v_id uuid;
    v_created timestamptz;
    v_old uuid;
BEGIN
    PERFORM appointments.require_feed_manager(p_specialist_id);
    IF p_include_patient_names IS NULL THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'include_patient_names: true or false.';
    END IF;
    UPDATE appointments.calendar_feeds AS f SET revoked_at = util.now()
    WHERE f.specialist_id = p_specialist_id AND f.organization_id = iam.current_org_id() AND f.revoked_at IS NULL
    RETURNING f.id INTO v_old;
    IF v_old IS NOT NULL THEN
        PERFORM events.publish('calendar_feed.revoked', pg_catalog.jsonb_build_object(
            'feed_id', v_old, 'specialist_id', p_specialist_id
        ));
    END IF;
    INSERT INTO appointments.calendar_feeds (organization_id, specialist_id, token_hash, include_patient_names, created_by)
    VALUES (iam.current_org_id(), p_specialist_id, pg_catalog.sha256(pg_catalog.convert_to(v_token, 'UTF8')),
            p_include_patient_names, iam.current_principal_id())
    RETURNING calendar_feeds.id, calendar_feeds.created_at INTO v_id, v_created;
    PERFORM events.publish('calendar_feed.created', pg_catalog.jsonb_build_object(
        'feed_id', v_id, 'specialist_id', p_specialist_id, 'include_patient_names', p_include_patient_names
    ));
    RETURN QUERY SELECT v_id, v_token, v_created;
END;
$$;
COMMENT ON FUNCTION appointments.create_calendar_feed(uuid, boolean) IS 'Create (or replace) a specialist''s ICS feed (the specialist or appointments.manage); returns the token once, stores its hash.';

CREATE OR REPLACE FUNCTION appointments.specialist_calendar_feed(p_specialist_id uuid)
RETURNS TABLE (
    id uuid, specialist_id uuid, include_patient_names boolean, patient_names_shown boolean,
    created_by uuid, created_at timestamptz
)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM appointments.require_feed_manager(p_specialist_id);
    RETURN QUERY
    SELECT f.id, f.specialist_id, f.include_patient_names,
        f.include_patient_names AND coalesce(os.calendar_feed_patient_names, FALSE),
        f.created_by, f.created_at
    FROM appointments.calendar_feeds AS f
    LEFT JOIN tenancy.organization_settings AS os ON os.organization_id = f.organization_id
    WHERE f.specialist_id = p_specialist_id AND f.organization_id = iam.current_org_id() AND f.revoked_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'calendar_feed_not_found' USING DETAIL = 'This specialist has no calendar feed.';
    END IF;
END;
$$;
COMMENT ON FUNCTION appointments.specialist_calendar_feed(uuid) IS 'A specialist''s live ICS feed, without its token (the specialist or appointments.manage).';

CREATE OR REPLACE FUNCTION appointments.revoke_calendar_feed(p_specialist_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_id uuid;
BEGIN
    PERFORM appointments.require_feed_manager(p_specialist_id);
    UPDATE appointments.calendar_feeds AS f SET revoked_at = util.now()
    WHERE f.specialist_id = p_specialist_id AND f.organization_id = iam.current_org_id() AND f.revoked_at IS NULL
    RETURNING f.id INTO v_id;
    IF v_id IS NULL THEN
        RAISE EXCEPTION 'calendar_feed_not_found' USING DETAIL = 'This specialist has no calendar feed.';
    END IF;
    PERFORM events.publish('calendar_feed.revoked', pg_catalog.jsonb_build_object(
        'feed_id', v_id, 'specialist_id', p_specialist_id
    ));
END;
$$;
COMMENT ON FUNCTION appointments.revoke_calendar_feed(uuid) IS 'Revoke a specialist''s ICS feed: its URL answers 404 from now on (the specialist or appointments.manage).';

CREATE OR REPLACE FUNCTION appointments.public_calendar_feed(p_token text)
RETURNS TABLE (
    feed_id uuid, organization_id uuid, specialist_id uuid, specialist_name text, organization_name text,
    patient_names_shown boolean
)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
    -- System pool, no principal: the token's hash is the whole authorization. Live feeds of
    -- live specialists of active organizations only.
    SELECT f.id, f.organization_id, f.specialist_id, s.display_name, o.name,
        f.include_patient_names AND coalesce(os.calendar_feed_patient_names, FALSE)
    FROM appointments.calendar_feeds AS f
    INNER JOIN people.specialists AS s ON s.id = f.specialist_id AND s.organization_id = f.organization_id
    INNER JOIN tenancy.organizations AS o ON o.id = f.organization_id
    LEFT JOIN tenancy.organization_settings AS os ON os.organization_id = f.organization_id
    WHERE f.token_hash = pg_catalog.sha256(pg_catalog.convert_to(coalesce(p_token, ''), 'UTF8'))
      AND f.revoked_at IS NULL AND s.deleted_at IS NULL
      AND o.status = 'active' AND o.deleted_at IS NULL
$$;
COMMENT ON FUNCTION appointments.public_calendar_feed(text) IS 'The live feed a token names (system pool): its specialist and whether patient names show; no row for an unknown or revoked token.';

CREATE OR REPLACE FUNCTION appointments.public_calendar_feed_events(p_token text)
RETURNS TABLE (
    id uuid, starts_at timestamptz, ends_at timestamptz, status text, modality text,
    service_name text, patient_name text, created_at timestamptz, updated_at timestamptz
)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
    -- The feed's specialist's appointments from 30 days back to 180 days ahead; the patient's
    -- name only when the feed asks for it and the organization allows it.
    SELECT a.id, pg_catalog.lower(a.period), pg_catalog.upper(a.period), a.status, a.modality,
        sv.name,
        CASE WHEN f.patient_names_shown
            THEN coalesce(pp.first_name || ' ' || pp.last_name, a.guest_name) END,
        a.created_at, a.updated_at
    FROM appointments.public_calendar_feed(p_token) AS f
    INNER JOIN appointments.appointments AS a
        ON a.organization_id = f.organization_id AND a.specialist_id = f.specialist_id
    INNER JOIN catalog.services AS sv ON sv.id = a.service_id
    LEFT JOIN people.patients AS p ON p.id = a.patient_id AND p.organization_id = a.organization_id
    LEFT JOIN people.patient_profiles AS pp ON pp.id = p.patient_profile_id
    WHERE a.deleted_at IS NULL
      AND a.period && pg_catalog.tstzrange(util.now() - INTERVAL '30 days', util.now() + INTERVAL '180 days')
    ORDER BY pg_catalog.lower(a.period), a.id
$$;
COMMENT ON FUNCTION appointments.public_calendar_feed_events(text) IS 'The appointments an ICS feed shows (system pool): its specialist''s, 30 days back to 180 ahead, names only when allowed.';

REVOKE EXECUTE ON FUNCTION appointments.series_starts(text, integer [], time, date, integer, date),
appointments.series_failure_reason(scheduling.calendars, timestamptz),
appointments.require_feed_manager(uuid)
FROM public, restartix_app;
REVOKE EXECUTE ON FUNCTION
appointments.book_series(uuid, uuid, integer [], time, date, integer, date, timestamptz [], text, jsonb, uuid, text, text),
appointments.cancel_series(uuid, text, timestamptz), appointments.my_specialist_ids(),
appointments.create_calendar_feed(uuid, boolean), appointments.specialist_calendar_feed(uuid),
appointments.revoke_calendar_feed(uuid), appointments.public_calendar_feed(text),
appointments.public_calendar_feed_events(text)
FROM public;
GRANT EXECUTE ON FUNCTION
appointments.book_series(uuid, uuid, integer [], time, date, integer, date, timestamptz [], text, jsonb, uuid, text, text),
appointments.cancel_series(uuid, text, timestamptz), appointments.my_specialist_ids(),
appointments.create_calendar_feed(uuid, boolean), appointments.specialist_calendar_feed(uuid),
appointments.revoke_calendar_feed(uuid)
TO restartix_app;
GRANT EXECUTE ON FUNCTION appointments.public_calendar_feed(text), appointments.public_calendar_feed_events(text)
TO restartix_system;
