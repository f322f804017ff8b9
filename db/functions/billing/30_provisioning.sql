-- A new organization gets its companions at once: settings, billing profile, org
-- entitlement defaults, a Free subscription (snapshotted) and a default patient tier.

CREATE OR REPLACE FUNCTION billing.provision_organization() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_tier uuid;
    v_version uuid;
BEGIN
    INSERT INTO tenancy.organization_settings (organization_id) VALUES (NEW.id);
    INSERT INTO billing.organization_billing (organization_id, legal_name) VALUES (NEW.id, NEW.name);
    INSERT INTO billing.organization_entitlements (organization_id, entitlement_code, enabled, reason)
    SELECT NEW.id, e.code, e.default_enabled, 'default at provisioning'
    FROM billing.entitlements AS e WHERE e.scope = 'org';
    PERFORM billing.subscribe_snapshot(NEW.id, billing.latest_version('free'), 'base');
    INSERT INTO billing.patient_tiers (organization_id, code, name, description, is_default)
    VALUES (NEW.id, 'standard', 'Standard', 'Every patient starts here.', true)
    RETURNING id INTO v_tier;
    INSERT INTO billing.patient_tier_versions (patient_tier_id, organization_id, version)
    VALUES (v_tier, NEW.id, 1) RETURNING id INTO v_version;
    INSERT INTO billing.patient_tier_limits (patient_tier_version_id, organization_id, limit_code, value)
    VALUES (v_version, NEW.id, 'bookings.monthly', 4);
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION billing.provision_organization() IS 'AFTER INSERT on organizations: settings, billing, org entitlements, Free subscription, default patient tier.';

CREATE OR REPLACE TRIGGER organizations_provision
AFTER INSERT ON tenancy.organizations
FOR EACH ROW EXECUTE FUNCTION billing.provision_organization();

CREATE OR REPLACE TRIGGER organization_settings_touch BEFORE UPDATE ON tenancy.organization_settings
FOR EACH ROW EXECUTE FUNCTION util.touch_updated_at();
CREATE OR REPLACE TRIGGER organization_billing_touch BEFORE UPDATE ON billing.organization_billing
FOR EACH ROW EXECUTE FUNCTION util.touch_updated_at();
CREATE OR REPLACE TRIGGER patient_tiers_touch BEFORE UPDATE ON billing.patient_tiers
FOR EACH ROW EXECUTE FUNCTION util.touch_updated_at();
