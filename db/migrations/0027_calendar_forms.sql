-- Calendar forms (seed 5.3): the form templates a calendar asks for, besides its service's,
-- required or optional, before booking or after the visit. Booking gates on the required
-- before-booking ones (appointments).

CREATE TABLE scheduling.calendar_forms (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL,
    calendar_id uuid NOT NULL,
    form_template_id uuid NOT NULL,
    required boolean NOT NULL DEFAULT TRUE,
    stage text NOT NULL DEFAULT 'before_booking',
    created_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT calendar_forms_calendar_fkey FOREIGN KEY (calendar_id, organization_id)
    REFERENCES scheduling.calendars (id, organization_id) ON DELETE CASCADE,
    CONSTRAINT calendar_forms_template_fkey FOREIGN KEY (form_template_id, organization_id)
    REFERENCES forms.form_templates (id, organization_id) ON DELETE CASCADE,
    CONSTRAINT calendar_forms_calendar_template_key UNIQUE (calendar_id, form_template_id, stage),
    CONSTRAINT calendar_forms_stage_valid CHECK (stage IN ('before_booking', 'after_visit'))
);
COMMENT ON TABLE scheduling.calendar_forms IS 'The form templates a calendar asks for, required or optional, before booking or after the visit.';
CREATE INDEX calendar_forms_org_idx ON scheduling.calendar_forms (organization_id, calendar_id);
CREATE INDEX calendar_forms_template_idx ON scheduling.calendar_forms (organization_id, form_template_id);

GRANT SELECT ON TABLE scheduling.calendar_forms TO restartix_app;
