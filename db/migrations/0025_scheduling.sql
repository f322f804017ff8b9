-- Scheduling (seed 5.1-5.5): specialists' weekly hours and date overrides, organization
-- closures, calendars (a bookable service with its specialists and assignment strategy),
-- the assignment tracking round-robin reads, and the core of appointments.appointments that
-- availability needs (the appointments issue builds booking and transitions on it).
-- Times of day are wall-clock times in a zone; docs/scheduling.md has the contract.
-- The request pool only reads; writes go through db/functions/scheduling/.
-- Deferred: calendar_forms (the forms domain lands its templates first).

CREATE SCHEMA scheduling;
COMMENT ON SCHEMA scheduling IS 'Weekly hours, overrides, closures, calendars, assignment and availability.';
GRANT USAGE ON SCHEMA scheduling TO restartix_app, restartix_system;

CREATE SCHEMA appointments;
COMMENT ON SCHEMA appointments IS 'Appointments: booked time of a specialist for a patient.';
GRANT USAGE ON SCHEMA appointments TO restartix_app, restartix_system;

-- The zone names availability accepts: pg_timezone_names scans the zone directory on every
-- read (60+ ms), far too slow for a request path, so the names are copied once. Exact case;
-- no posix/ or right/ copies, no localtime, no abbreviations other than UTC.
CREATE TABLE scheduling.time_zones (
    name text PRIMARY KEY
);
COMMENT ON TABLE scheduling.time_zones IS 'IANA zone names the server knows, as pg_timezone_names lists them (no aliases of abbreviations).';
INSERT INTO scheduling.time_zones (name)
SELECT z.name FROM pg_catalog.pg_timezone_names AS z
WHERE z.name NOT LIKE 'posix/%' AND z.name NOT LIKE 'right/%' AND z.name <> 'localtime'
  AND (z.name = 'UTC' OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_timezone_abbrevs AS a WHERE a.abbrev = z.name))
ON CONFLICT DO NOTHING;

CREATE TABLE scheduling.specialist_weekly_hours (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL,
    specialist_id uuid NOT NULL,
    weekday smallint NOT NULL,
    start_time time NOT NULL,
    end_time time NOT NULL,
    valid_from date,
    valid_until date,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT specialist_weekly_hours_specialist_fkey FOREIGN KEY (specialist_id, organization_id)
    REFERENCES people.specialists (id, organization_id) ON DELETE CASCADE,
    CONSTRAINT specialist_weekly_hours_weekday_valid CHECK (weekday BETWEEN 1 AND 7),
    CONSTRAINT specialist_weekly_hours_order_valid CHECK (start_time < end_time),
    CONSTRAINT specialist_weekly_hours_validity_valid CHECK (valid_until >= valid_from)
);
COMMENT ON TABLE scheduling.specialist_weekly_hours IS 'A specialist''s working interval on an ISO weekday, wall-clock in their scheduling zone, optionally for a date range.';
CREATE INDEX specialist_weekly_hours_org_idx ON scheduling.specialist_weekly_hours (organization_id, specialist_id, weekday);

CREATE TABLE scheduling.specialist_schedule_overrides (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL,
    specialist_id uuid NOT NULL,
    override_date date NOT NULL,
    unavailable boolean NOT NULL DEFAULT FALSE,
    -- [{"start": "HH:MM", "end": "HH:MM"}], sorted and disjoint (the writing function checks).
    intervals jsonb NOT NULL DEFAULT '[]',
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT specialist_schedule_overrides_specialist_fkey FOREIGN KEY (specialist_id, organization_id)
    REFERENCES people.specialists (id, organization_id) ON DELETE CASCADE,
    CONSTRAINT specialist_schedule_overrides_date_key UNIQUE (organization_id, specialist_id, override_date),
    CONSTRAINT specialist_schedule_overrides_intervals_array CHECK (jsonb_typeof(intervals) = 'array'),
    CONSTRAINT specialist_schedule_overrides_unavailable_empty CHECK (NOT unavailable OR intervals = '[]')
);
COMMENT ON TABLE scheduling.specialist_schedule_overrides IS 'A specialist''s hours for one local date: the whole day off, or replacement intervals.';

CREATE TABLE scheduling.organization_closures (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    closure_date date NOT NULL,
    reason text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT organization_closures_date_key UNIQUE (organization_id, closure_date),
    CONSTRAINT organization_closures_reason_length CHECK (length(reason) <= 200)
);
COMMENT ON TABLE scheduling.organization_closures IS 'A date (in the organization''s zone) when the whole clinic is closed.';

CREATE TABLE scheduling.calendars (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    name text NOT NULL,
    slug text NOT NULL,
    service_id uuid NOT NULL,
    modality text NOT NULL DEFAULT 'in_clinic',
    assignment_strategy text NOT NULL DEFAULT 'round_robin',
    -- NULL: the service's duration (slot interval) or buffers.
    slot_interval_minutes integer,
    min_notice_minutes integer,
    max_advance_days integer,
    buffer_before_minutes integer,
    buffer_after_minutes integer,
    -- NULL: no restriction; else [{"weekday": 1-7, "start": "HH:MM", "end": "HH:MM"}] in `timezone`.
    hours jsonb,
    timezone text NOT NULL DEFAULT 'Europe/Bucharest',
    public boolean NOT NULL DEFAULT FALSE,
    active boolean NOT NULL DEFAULT TRUE,
    created_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    deleted_at timestamptz,
    CONSTRAINT calendars_id_org_key UNIQUE (id, organization_id),
    CONSTRAINT calendars_service_fkey FOREIGN KEY (service_id, organization_id)
    REFERENCES catalog.services (id, organization_id),
    CONSTRAINT calendars_name_length CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    CONSTRAINT calendars_slug_format CHECK (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$'),
    CONSTRAINT calendars_modality_valid CHECK (modality IN ('in_clinic', 'video', 'home_visit')),
    CONSTRAINT calendars_strategy_valid CHECK (assignment_strategy IN ('round_robin', 'priority', 'patient_choice')),
    CONSTRAINT calendars_slot_interval_valid CHECK (slot_interval_minutes BETWEEN 5 AND 1440),
    CONSTRAINT calendars_min_notice_valid CHECK (min_notice_minutes BETWEEN 0 AND 525600),
    CONSTRAINT calendars_max_advance_valid CHECK (max_advance_days BETWEEN 1 AND 730),
    CONSTRAINT calendars_buffers_valid CHECK (
        buffer_before_minutes BETWEEN 0 AND 480 AND buffer_after_minutes BETWEEN 0 AND 480
    ),
    CONSTRAINT calendars_hours_array CHECK (jsonb_typeof(hours) = 'array'),
    CONSTRAINT calendars_timezone_format CHECK (timezone ~ '^[A-Za-z][A-Za-z0-9_+/-]{0,63}$')
);
COMMENT ON TABLE scheduling.calendars IS 'A bookable service of an organization: its specialists, strategy, slot grid, window and hours.';
CREATE INDEX calendars_org_idx ON scheduling.calendars (organization_id, id);
CREATE INDEX calendars_org_name_idx ON scheduling.calendars (organization_id, name, id);
CREATE INDEX calendars_org_created_idx ON scheduling.calendars (organization_id, created_at, id);
CREATE INDEX calendars_service_idx ON scheduling.calendars (organization_id, service_id);
CREATE UNIQUE INDEX calendars_slug_key ON scheduling.calendars (organization_id, slug) WHERE deleted_at IS NULL;

CREATE TABLE scheduling.calendar_specialists (
    calendar_id uuid NOT NULL,
    organization_id uuid NOT NULL,
    specialist_id uuid NOT NULL,
    priority integer NOT NULL DEFAULT 1,
    -- NULL: the specialist's weekly hours; else these replace them for this calendar,
    -- [{"weekday": 1-7, "start": "HH:MM", "end": "HH:MM"}] in the specialist's zone.
    hours jsonb,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    PRIMARY KEY (calendar_id, specialist_id),
    CONSTRAINT calendar_specialists_calendar_fkey FOREIGN KEY (calendar_id, organization_id)
    REFERENCES scheduling.calendars (id, organization_id) ON DELETE CASCADE,
    CONSTRAINT calendar_specialists_specialist_fkey FOREIGN KEY (specialist_id, organization_id)
    REFERENCES people.specialists (id, organization_id) ON DELETE CASCADE,
    CONSTRAINT calendar_specialists_priority_valid CHECK (priority BETWEEN 1 AND 1000),
    CONSTRAINT calendar_specialists_hours_array CHECK (jsonb_typeof(hours) = 'array')
);
COMMENT ON TABLE scheduling.calendar_specialists IS 'A specialist on a calendar: priority (1 = highest) and optional hours for this calendar.';
CREATE INDEX calendar_specialists_org_idx ON scheduling.calendar_specialists (organization_id, calendar_id);
CREATE INDEX calendar_specialists_specialist_idx ON scheduling.calendar_specialists (organization_id, specialist_id);

CREATE TABLE scheduling.specialist_assignment_tracking (
    calendar_id uuid NOT NULL,
    organization_id uuid NOT NULL,
    specialist_id uuid NOT NULL,
    last_assigned_at timestamptz,
    assignment_count integer NOT NULL DEFAULT 0,
    PRIMARY KEY (calendar_id, specialist_id),
    CONSTRAINT specialist_assignment_tracking_member_fkey FOREIGN KEY (calendar_id, specialist_id)
    REFERENCES scheduling.calendar_specialists (calendar_id, specialist_id) ON DELETE CASCADE,
    CONSTRAINT specialist_assignment_tracking_calendar_fkey FOREIGN KEY (calendar_id, organization_id)
    REFERENCES scheduling.calendars (id, organization_id) ON DELETE CASCADE,
    CONSTRAINT specialist_assignment_tracking_count_valid CHECK (assignment_count >= 0)
);
COMMENT ON TABLE scheduling.specialist_assignment_tracking IS 'When each specialist of a calendar was last assigned, and how often: round-robin''s memory.';
CREATE INDEX specialist_assignment_tracking_org_idx ON scheduling.specialist_assignment_tracking (organization_id, calendar_id);

CREATE TABLE appointments.appointments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    calendar_id uuid,
    service_id uuid NOT NULL,
    specialist_id uuid NOT NULL,
    patient_id uuid NOT NULL,
    period tstzrange NOT NULL,
    status text NOT NULL DEFAULT 'requested',
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    deleted_at timestamptz,
    CONSTRAINT appointments_id_org_key UNIQUE (id, organization_id),
    CONSTRAINT appointments_calendar_fkey FOREIGN KEY (calendar_id, organization_id)
    REFERENCES scheduling.calendars (id, organization_id),
    CONSTRAINT appointments_service_fkey FOREIGN KEY (service_id, organization_id)
    REFERENCES catalog.services (id, organization_id),
    CONSTRAINT appointments_specialist_fkey FOREIGN KEY (specialist_id, organization_id)
    REFERENCES people.specialists (id, organization_id),
    CONSTRAINT appointments_patient_fkey FOREIGN KEY (patient_id, organization_id)
    REFERENCES people.patients (id, organization_id),
    CONSTRAINT appointments_status_valid CHECK (
        status IN ('requested', 'confirmed', 'inprogress', 'done', 'cancelled', 'no_show')
    ),
    CONSTRAINT appointments_period_valid CHECK (
        NOT isempty(period) AND NOT lower_inf(period) AND NOT upper_inf(period)
        AND lower_inc(period) AND NOT upper_inc(period)
    ),
    -- One specialist is never booked twice at once (active, live appointments).
    CONSTRAINT appointments_no_overlap EXCLUDE USING gist (
        organization_id WITH =, specialist_id WITH =, period WITH &&
    ) WHERE (status IN ('requested', 'confirmed', 'inprogress') AND deleted_at IS NULL)
);
COMMENT ON TABLE appointments.appointments IS 'Booked time of a specialist for a patient; active ones (requested, confirmed, inprogress) never overlap.';
CREATE INDEX appointments_org_idx ON appointments.appointments (organization_id, id);
CREATE INDEX appointments_org_created_idx ON appointments.appointments (organization_id, created_at, id);
CREATE INDEX appointments_patient_idx ON appointments.appointments (organization_id, patient_id);
CREATE INDEX appointments_calendar_idx ON appointments.appointments (organization_id, calendar_id);

GRANT SELECT ON TABLE scheduling.specialist_weekly_hours, scheduling.specialist_schedule_overrides,
scheduling.organization_closures, scheduling.calendars, scheduling.calendar_specialists,
scheduling.specialist_assignment_tracking, appointments.appointments TO restartix_app;

INSERT INTO iam.permissions (code, description) VALUES
('scheduling.read', 'See the organization''s hours, overrides, closures, calendars and availability.'),
('scheduling.manage', 'Set hours, overrides and closures; create, edit and delete calendars and their specialists.');
-- Owners and admins run scheduling; the front desk runs it too (it keeps the diary);
-- clinicians read it.
INSERT INTO iam.role_permissions (role_id, permission_code)
SELECT r.id, p.code
FROM iam.roles AS r
CROSS JOIN (VALUES ('scheduling.read'), ('scheduling.manage')) AS p (code)
WHERE r.organization_id IS NULL AND (
    r.code IN ('owner', 'admin', 'receptionist')
    OR (r.code = 'specialist' AND p.code = 'scheduling.read')
);
