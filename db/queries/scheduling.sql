-- name: weekly_hours_list
-- A specialist's weekly intervals (scheduling.read), by weekday and start.
-- sort: weekday integer, start_time text
-- key: id uuid
SELECT
    w.id,
    w.specialist_id,
    w.weekday,
    to_char(w.start_time, 'HH24:MI') AS start_time,
    CASE WHEN w.end_time = '24:00'::time THEN '24:00' ELSE to_char(w.end_time, 'HH24:MI') END AS end_time,
    w.valid_from,
    w.valid_until,
    w.created_at
FROM scheduling.specialist_weekly_hours AS w
WHERE w.specialist_id = %(specialist)s::uuid;

-- name: weekly_hours_add
-- Adds one weekly interval (scheduling.manage); overlaps on the same day are refused.
SELECT scheduling.add_weekly_hours(
    %(specialist)s::uuid, %(weekday)s::integer, %(start_time)s::text, %(end_time)s::text,
    %(valid_from)s::date, %(valid_until)s::date
) AS id;

-- name: weekly_hours_by_id
-- One weekly interval as the caller's policies show it.
SELECT
    w.id,
    w.specialist_id,
    w.weekday,
    to_char(w.start_time, 'HH24:MI') AS start_time,
    CASE WHEN w.end_time = '24:00'::time THEN '24:00' ELSE to_char(w.end_time, 'HH24:MI') END AS end_time,
    w.valid_from,
    w.valid_until,
    w.created_at
FROM scheduling.specialist_weekly_hours AS w
WHERE w.id = %(id)s::uuid AND w.organization_id = %(org)s::uuid;

-- name: weekly_hours_delete
-- Removes one weekly interval (scheduling.manage).
SELECT scheduling.delete_weekly_hours(%(id)s::uuid);

-- name: overrides_list
-- A specialist's date overrides (scheduling.read), by date.
-- sort: override_date date
-- key: id uuid
SELECT
    o.id,
    o.specialist_id,
    o.override_date,
    o.unavailable,
    o.intervals,
    o.updated_at
FROM scheduling.specialist_schedule_overrides AS o
WHERE o.specialist_id = %(specialist)s::uuid;

-- name: override_set
-- Sets the override of one date (scheduling.manage): the day off or replacement intervals.
SELECT scheduling.set_override(
    %(specialist)s::uuid, %(date)s::date, %(unavailable)s::boolean, %(intervals)s::jsonb
) AS id;

-- name: override_by_id
-- One override as the caller's policies show it.
SELECT
    o.id,
    o.specialist_id,
    o.override_date,
    o.unavailable,
    o.intervals,
    o.updated_at
FROM scheduling.specialist_schedule_overrides AS o
WHERE o.id = %(id)s::uuid AND o.organization_id = %(org)s::uuid;

-- name: override_delete
-- Removes an override (scheduling.manage).
SELECT scheduling.delete_override(%(id)s::uuid);

-- name: closures_list
-- The organization's closed dates (scheduling.read).
-- sort: closure_date date
-- key: id uuid
SELECT
    c.id,
    c.closure_date,
    c.reason,
    c.created_at
FROM scheduling.organization_closures AS c;

-- name: closure_add
-- Closes the clinic on a date (scheduling.manage).
SELECT scheduling.add_closure(%(date)s::date, %(reason)s::text) AS id;

-- name: closure_by_id
-- One closure as the caller's policies show it.
SELECT
    c.id,
    c.closure_date,
    c.reason,
    c.created_at
FROM scheduling.organization_closures AS c
WHERE c.id = %(id)s::uuid AND c.organization_id = %(org)s::uuid;

-- name: closure_delete
-- Reopens a closed date (scheduling.manage).
SELECT scheduling.delete_closure(%(id)s::uuid);

-- name: calendars_list
-- The organization's live calendars (scheduling.read).
-- sort: name text, created_at timestamptz
-- key: id uuid
SELECT
    c.id,
    c.organization_id,
    c.name,
    c.slug,
    c.service_id,
    c.modality,
    c.assignment_strategy,
    c.slot_interval_minutes,
    c.min_notice_minutes,
    c.max_advance_days,
    c.buffer_before_minutes,
    c.buffer_after_minutes,
    c.hours,
    c.timezone,
    c.public,
    c.active,
    c.auto_confirm,
    c.cancellation_window_hours,
    c.request_expiry_hours,
    c.created_at,
    c.updated_at
FROM scheduling.calendars AS c
WHERE c.deleted_at IS NULL;

-- name: calendar_by_id
-- One live calendar as the caller's policies show it.
SELECT
    c.id,
    c.organization_id,
    c.name,
    c.slug,
    c.service_id,
    c.modality,
    c.assignment_strategy,
    c.slot_interval_minutes,
    c.min_notice_minutes,
    c.max_advance_days,
    c.buffer_before_minutes,
    c.buffer_after_minutes,
    c.hours,
    c.timezone,
    c.public,
    c.active,
    c.auto_confirm,
    c.cancellation_window_hours,
    c.request_expiry_hours,
    c.created_at,
    c.updated_at
FROM scheduling.calendars AS c
WHERE c.id = %(id)s::uuid AND c.organization_id = %(org)s::uuid AND c.deleted_at IS NULL;

-- name: calendar_create
-- Adds a calendar from a JSON object of fields (scheduling.manage).
SELECT scheduling.create_calendar(%(fields)s::jsonb) AS id;

-- name: calendar_update
-- Sets the fields named in the JSON object (scheduling.manage).
SELECT scheduling.update_calendar(%(id)s::uuid, %(changes)s::jsonb);

-- name: calendar_delete
-- Soft-deletes a calendar (scheduling.manage).
SELECT scheduling.delete_calendar(%(id)s::uuid);

-- name: calendar_specialists_list
-- The specialists of a calendar (scheduling.read), by priority.
-- sort: priority integer
-- key: specialist_id uuid
SELECT
    cs.calendar_id,
    cs.specialist_id,
    cs.priority,
    cs.hours,
    cs.created_at
FROM scheduling.calendar_specialists AS cs
WHERE cs.calendar_id = %(calendar)s::uuid;

-- name: calendar_specialist_set
-- Puts a specialist on a calendar or changes their priority and hours (scheduling.manage).
SELECT scheduling.set_calendar_specialist(
    %(calendar)s::uuid, %(specialist)s::uuid, %(priority)s::integer, %(hours)s::jsonb
);

-- name: calendar_specialist_by_id
-- One specialist of a calendar as the caller's policies show it.
SELECT
    cs.calendar_id,
    cs.specialist_id,
    cs.priority,
    cs.hours,
    cs.created_at
FROM scheduling.calendar_specialists AS cs
WHERE cs.calendar_id = %(calendar)s::uuid AND cs.specialist_id = %(specialist)s::uuid;

-- name: calendar_specialist_remove
-- Takes a specialist off a calendar (scheduling.manage).
SELECT scheduling.remove_calendar_specialist(%(calendar)s::uuid, %(specialist)s::uuid);

-- name: calendar_forms_list
-- The form templates a calendar asks for (scheduling.read).
SELECT
    cf.id,
    cf.calendar_id,
    cf.form_template_id,
    cf.required,
    cf.stage,
    cf.created_at
FROM scheduling.calendar_forms AS cf
WHERE cf.organization_id = %(org)s::uuid AND cf.calendar_id = %(calendar)s::uuid
ORDER BY cf.stage, cf.created_at, cf.id;

-- name: calendar_form_set
-- Asks for a template on a calendar, or changes whether it is required (scheduling.manage).
SELECT scheduling.set_calendar_form(
    %(calendar)s::uuid, %(template)s::uuid, %(required)s::boolean, %(stage)s::text
) AS id;

-- name: calendar_form_remove
-- Stops asking for a template on a calendar (scheduling.manage).
SELECT scheduling.remove_calendar_form(%(calendar)s::uuid, %(id)s::uuid);

-- name: member_availability
-- A calendar's free slots for a member holding scheduling.read, with live holds.
SELECT
    a.start_text AS start,
    a.end_text AS "end",
    a.specialist_ids
FROM scheduling.member_availability(
    %(calendar)s::uuid, %(first)s::date, %(last)s::date, %(tz)s::text, %(holds)s::jsonb
) AS a;

-- name: public_calendar
-- A public, active calendar of an active organization: what holds and the booking page
-- need (system pool).
SELECT
    c.id,
    c.organization_id,
    c.assignment_strategy,
    c.duration_minutes
FROM scheduling.public_calendar(%(calendar)s::uuid) AS c;

-- name: public_availability
-- A public calendar's free slots with live holds (system pool).
SELECT
    a.start_text AS start,
    a.end_text AS "end",
    a.specialist_ids
FROM scheduling.public_availability(
    %(calendar)s::uuid, %(first)s::date, %(last)s::date, %(tz)s::text, %(holds)s::jsonb
) AS a;

-- name: public_specialists
-- Display names of the specialists of a public patient_choice calendar (system pool).
SELECT
    p.id,
    p.display_name
FROM scheduling.public_calendar_specialists(%(calendar)s::uuid) AS p;

-- name: pick_specialist
-- The specialist the calendar's strategy gives a start, with live holds (system pool).
SELECT scheduling.pick_specialist(
    %(calendar)s::uuid, %(start)s::timestamptz, %(holds)s::jsonb, %(requested)s::uuid, FALSE
) AS specialist_id;

-- name: touched_calendars
-- The live calendars whose availability an event touched (system pool, the live-stream relay).
SELECT t.id
FROM scheduling.touched_calendars(
    %(org)s::uuid, %(calendar)s::uuid, %(appointment)s::uuid, %(specialist)s::uuid
) AS t (id);
