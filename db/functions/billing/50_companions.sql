-- Editing an organization's settings and billing profile: permission-checked, audited by
-- the table triggers, and published as events. SECURITY DEFINER: the request pool has no
-- write grant on these tables; the permission check and the organization filter are here.

CREATE OR REPLACE FUNCTION tenancy.update_settings(p_changes jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_unknown text;
BEGIN
    PERFORM iam.require_permission('organizations.update_settings');
    SELECT pg_catalog.string_agg(k, ', ') INTO v_unknown FROM pg_catalog.jsonb_object_keys(p_changes) AS k
    WHERE k NOT IN ('timezone', 'default_locale', 'week_starts_on', 'booking_lead_minutes',
                    'cancellation_notice_hours', 'brand_color', 'calendar_feed_patient_names');
    IF v_unknown IS NOT NULL THEN
        RAISE EXCEPTION 'unknown_setting' USING DETAIL = 'Unknown settings: ' || v_unknown;
    END IF;
    IF p_changes ? 'timezone' AND NOT EXISTS (
        SELECT 1 FROM pg_catalog.pg_timezone_names WHERE name = p_changes ->> 'timezone'
    ) THEN
        RAISE EXCEPTION 'invalid_timezone' USING DETAIL = 'Not an IANA time zone: ' || (p_changes ->> 'timezone');
    END IF;
    UPDATE tenancy.organization_settings SET
        timezone = coalesce(p_changes ->> 'timezone', timezone),
        default_locale = coalesce(p_changes ->> 'default_locale', default_locale),
        week_starts_on = coalesce((p_changes ->> 'week_starts_on')::smallint, week_starts_on),
        booking_lead_minutes = coalesce((p_changes ->> 'booking_lead_minutes')::integer, booking_lead_minutes),
        cancellation_notice_hours = coalesce((p_changes ->> 'cancellation_notice_hours')::integer, cancellation_notice_hours),
        brand_color = CASE WHEN p_changes ? 'brand_color' THEN p_changes ->> 'brand_color' ELSE brand_color END,
        calendar_feed_patient_names = coalesce((p_changes ->> 'calendar_feed_patient_names')::boolean, calendar_feed_patient_names)
    WHERE organization_id = iam.current_org_id();
    PERFORM events.publish('organization_settings.updated',
        pg_catalog.jsonb_build_object('changed', (SELECT pg_catalog.jsonb_agg(k) FROM pg_catalog.jsonb_object_keys(p_changes) AS k)));
END;
$$;
COMMENT ON FUNCTION tenancy.update_settings(jsonb) IS 'Change some settings of the current organization (organizations.update_settings).';

CREATE OR REPLACE FUNCTION billing.update_billing_profile(
    p_legal_name text, p_billing_email text, p_address_line text, p_city text, p_country text,
    p_tax_id_encrypted bytea, p_set_tax_id boolean
) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- NULL leaves a field as it is; the tax id arrives encrypted by the application.
BEGIN
    PERFORM iam.require_permission('organizations.manage_billing');
    UPDATE billing.organization_billing SET
        legal_name = coalesce(p_legal_name, legal_name),
        billing_email = coalesce(p_billing_email::public.citext, billing_email),
        address_line = coalesce(p_address_line, address_line),
        city = coalesce(p_city, city),
        country = coalesce(p_country, country),
        tax_id_encrypted = CASE WHEN p_set_tax_id THEN p_tax_id_encrypted ELSE tax_id_encrypted END
    WHERE organization_id = iam.current_org_id();
    PERFORM events.publish('organization_billing.updated', '{}'::jsonb);
END;
$$;
COMMENT ON FUNCTION billing.update_billing_profile(text, text, text, text, text, bytea, boolean) IS 'Change the billing profile of the current organization (organizations.manage_billing).';

GRANT EXECUTE ON FUNCTION tenancy.update_settings(jsonb),
billing.update_billing_profile(text, text, text, text, text, bytea, boolean) TO restartix_app;
