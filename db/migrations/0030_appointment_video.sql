-- Video rooms (issue 22, "Video rooms"): one provider room per video appointment, asked for
-- when the appointment starts and removed when it ends. The row is written in the transition's
-- transaction (a trigger, db/functions/appointments/50_video.sql); a worker talks to the
-- provider with retries and records each outcome here, so the transition never waits on the
-- provider and never fails because of it.

CREATE TABLE appointments.video_rooms (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id),
    appointment_id uuid NOT NULL,
    -- The Cat A account the room was asked of (integrations.resolve_provider at the start):
    -- the room is deleted through the same account, whatever the default has become since.
    provider_id uuid REFERENCES integrations.platform_service_providers (id) ON DELETE SET NULL,
    provider text,
    room_name text NOT NULL DEFAULT ('rx-' || replace(gen_random_uuid()::text, '-', '')),
    room_url text,
    state text NOT NULL DEFAULT 'pending',
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT util.now(),
    leased_by text,
    lease_expires_at timestamptz,
    last_error text,
    expires_at timestamptz NOT NULL,
    started_at timestamptz NOT NULL,
    room_created_at timestamptz,
    ended_at timestamptz,
    room_deleted_at timestamptz,
    minutes integer,
    metered_minutes integer,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT video_rooms_appointment_key UNIQUE (appointment_id),
    CONSTRAINT video_rooms_room_name_key UNIQUE (room_name),
    CONSTRAINT video_rooms_appointment_fkey FOREIGN KEY (appointment_id, organization_id)
    REFERENCES appointments.appointments (id, organization_id),
    CONSTRAINT video_rooms_state_valid CHECK (
        state IN ('pending', 'created', 'deleting', 'deleted', 'failed', 'refused')
    ),
    CONSTRAINT video_rooms_attempts_valid CHECK (attempts >= 0),
    CONSTRAINT video_rooms_provider_length CHECK (length(provider) <= 100),
    CONSTRAINT video_rooms_room_name_valid CHECK (room_name ~ '^[A-Za-z0-9_-]{1,100}$'),
    CONSTRAINT video_rooms_room_url_length CHECK (length(room_url) <= 500),
    CONSTRAINT video_rooms_leased_by_length CHECK (length(leased_by) <= 200),
    CONSTRAINT video_rooms_last_error_length CHECK (length(last_error) <= 1000),
    CONSTRAINT video_rooms_minutes_valid CHECK (minutes >= 0 AND metered_minutes >= 0 AND metered_minutes <= minutes),
    CONSTRAINT video_rooms_created_has_url CHECK (state <> 'created' OR room_url IS NOT NULL)
);
COMMENT ON TABLE appointments.video_rooms IS 'The provider room of a video appointment: pending, created, deleting, deleted, failed or refused (quota), with its retries and the minutes metered.';
CREATE INDEX video_rooms_org_idx ON appointments.video_rooms (organization_id, id);
-- What a worker claims: due work, in due order.
CREATE INDEX video_rooms_due_idx ON appointments.video_rooms (next_attempt_at)
WHERE state IN ('pending', 'deleting');

-- Reads only: the trigger and the worker functions write.
GRANT SELECT ON appointments.video_rooms TO restartix_app, restartix_system;
