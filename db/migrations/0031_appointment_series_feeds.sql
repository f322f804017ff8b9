-- Appointment series and the specialists' calendar feeds (issue 22): a course of sessions
-- booked in one call (each session an appointment linked to its series), and revocable ICS
-- feed tokens of which only a hash is stored. The clinic decides whether a feed may show
-- patient names (tenancy.organization_settings.calendar_feed_patient_names, off by default).
-- Writes go through db/functions/appointments/60_series_feeds.sql; the request pool reads.

CREATE TABLE appointments.series (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    calendar_id uuid NOT NULL,
    patient_id uuid NOT NULL,
    specialist_id uuid,
    weekdays smallint [],
    local_time time,
    starts_on date,
    occurrences integer,
    until_date date,
    timezone text NOT NULL,
    mode text NOT NULL,
    created_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    cancelled_at timestamptz,
    cancelled_from timestamptz,
    cancellation_reason text,
    CONSTRAINT series_id_org_key UNIQUE (id, organization_id),
    CONSTRAINT series_calendar_fkey FOREIGN KEY (calendar_id, organization_id)
    REFERENCES scheduling.calendars (id, organization_id),
    CONSTRAINT series_patient_fkey FOREIGN KEY (patient_id, organization_id)
    REFERENCES people.patients (id, organization_id),
    CONSTRAINT series_specialist_fkey FOREIGN KEY (specialist_id, organization_id)
    REFERENCES people.specialists (id, organization_id),
    -- A rule (weekdays, local time, first date, and a count or a last date) or none (an
    -- explicit list of starts, which the series' appointments then are).
    CONSTRAINT series_rule_complete CHECK (
        (weekdays IS NULL AND local_time IS NULL AND starts_on IS NULL AND occurrences IS NULL AND until_date IS NULL)
        OR (weekdays IS NOT NULL AND local_time IS NOT NULL AND starts_on IS NOT NULL
            AND (occurrences IS NULL) <> (until_date IS NULL))
    ),
    CONSTRAINT series_weekdays_valid CHECK (
        cardinality(weekdays) BETWEEN 1 AND 7 AND weekdays <@ '{1,2,3,4,5,6,7}'::smallint []
    ),
    CONSTRAINT series_occurrences_valid CHECK (occurrences BETWEEN 1 AND 52),
    CONSTRAINT series_until_valid CHECK (until_date >= starts_on),
    CONSTRAINT series_timezone_format CHECK (timezone ~ '^[A-Za-z][A-Za-z0-9_+/-]{0,63}$'),
    CONSTRAINT series_mode_valid CHECK (mode IN ('all_or_nothing', 'partial')),
    CONSTRAINT series_cancellation_reason_length CHECK (length(cancellation_reason) <= 1000),
    CONSTRAINT series_cancelled_consistent CHECK ((cancelled_at IS NULL) = (cancelled_from IS NULL))
);
COMMENT ON TABLE appointments.series IS 'A course of sessions booked in one call: its rule (ISO weekdays 1-7 and a wall-clock time in the calendar''s zone) and the specialist every session keeps.';
COMMENT ON COLUMN appointments.series.local_time IS 'Wall-clock start in the series'' time zone: it stays the same across a daylight-saving change.';
CREATE INDEX series_org_idx ON appointments.series (organization_id, id);
CREATE INDEX series_patient_idx ON appointments.series (organization_id, patient_id);

ALTER TABLE appointments.appointments
ADD CONSTRAINT appointments_series_fkey FOREIGN KEY (series_id, organization_id)
REFERENCES appointments.series (id, organization_id);
CREATE INDEX appointments_series_idx ON appointments.appointments (series_id) WHERE series_id IS NOT NULL;

CREATE TABLE appointments.calendar_feeds (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    specialist_id uuid NOT NULL,
    token_hash bytea NOT NULL,
    include_patient_names boolean NOT NULL DEFAULT FALSE,
    created_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    revoked_at timestamptz,
    CONSTRAINT calendar_feeds_id_org_key UNIQUE (id, organization_id),
    CONSTRAINT calendar_feeds_token_hash_key UNIQUE (token_hash),
    CONSTRAINT calendar_feeds_token_hash_length CHECK (length(token_hash) = 32),
    CONSTRAINT calendar_feeds_specialist_fkey FOREIGN KEY (specialist_id, organization_id)
    REFERENCES people.specialists (id, organization_id) ON DELETE CASCADE
);
COMMENT ON TABLE appointments.calendar_feeds IS 'A specialist''s ICS feed URL: the SHA-256 of its bearer token (never the token), revocable; one live feed per specialist.';
COMMENT ON COLUMN appointments.calendar_feeds.include_patient_names IS 'Asked for by the feed''s creator; names appear only while the organization''s calendar_feed_patient_names setting allows them.';
CREATE UNIQUE INDEX calendar_feeds_live_key ON appointments.calendar_feeds (specialist_id) WHERE revoked_at IS NULL;
CREATE INDEX calendar_feeds_org_idx ON appointments.calendar_feeds (organization_id, specialist_id);

ALTER TABLE tenancy.organization_settings
ADD COLUMN calendar_feed_patient_names boolean NOT NULL DEFAULT FALSE;
COMMENT ON COLUMN tenancy.organization_settings.calendar_feed_patient_names IS 'Whether specialists'' ICS feeds may show patient names (only feeds that ask for them); off by default.';

GRANT SELECT ON TABLE appointments.series TO restartix_app;
-- The token hash is for the feed lookup (system pool) only: the request pool reads the rest.
GRANT SELECT (id, organization_id, specialist_id, include_patient_names, created_by, created_at, revoked_at)
ON appointments.calendar_feeds TO restartix_app;
