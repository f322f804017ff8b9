-- Which calendars' availability an event touched, for the relay that tells the public booking
-- pages' live streams to refetch (workers/consumers/availability_relay.py, system pool).

CREATE OR REPLACE FUNCTION scheduling.touched_calendars(
    p_org uuid, p_calendar_id uuid, p_appointment_id uuid, p_specialist_id uuid
) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
    -- The named calendar, the appointment's calendar, every calendar of the specialist, or,
    -- when the event names none of them (a closure), every calendar of the organization.
    SELECT c.id FROM scheduling.calendars AS c
    WHERE c.organization_id = p_org AND c.deleted_at IS NULL
      AND (
          c.id = p_calendar_id
          OR c.id = (SELECT a.calendar_id FROM appointments.appointments AS a
                     WHERE a.id = p_appointment_id AND a.organization_id = p_org)
          OR c.id IN (SELECT cs.calendar_id FROM scheduling.calendar_specialists AS cs
                      WHERE cs.specialist_id = p_specialist_id AND cs.organization_id = p_org)
          OR (p_calendar_id IS NULL AND p_appointment_id IS NULL AND p_specialist_id IS NULL)
      )
    ORDER BY c.id;
$$;
COMMENT ON FUNCTION scheduling.touched_calendars(uuid, uuid, uuid, uuid) IS 'The live calendars of an organization whose availability an event touched (the relay of the live streams).';

REVOKE EXECUTE ON FUNCTION scheduling.touched_calendars(uuid, uuid, uuid, uuid) FROM public, restartix_app;
GRANT EXECUTE ON FUNCTION scheduling.touched_calendars(uuid, uuid, uuid, uuid) TO restartix_system;
