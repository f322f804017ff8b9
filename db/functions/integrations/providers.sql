-- Provider resolution (docs/integrations.md): an organization's override row for a category,
-- else the platform default. Credentials never pass through SQL functions: the system side
-- reads the ciphertext under its own grant and decrypts it in the application.

CREATE OR REPLACE TRIGGER platform_service_providers_touch BEFORE UPDATE ON integrations.platform_service_providers
FOR EACH ROW EXECUTE FUNCTION util.touch_updated_at();
CREATE OR REPLACE TRIGGER organization_integrations_touch BEFORE UPDATE ON integrations.organization_integrations
FOR EACH ROW EXECUTE FUNCTION util.touch_updated_at();

CREATE OR REPLACE FUNCTION integrations.forget_revoked_credentials() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
    -- A disconnected account's tokens are useless and still secret: they are not kept.
    IF NEW.status = 'disconnected' THEN
        NEW.credentials_encrypted := NULL;
    END IF;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION integrations.forget_revoked_credentials() IS 'BEFORE INSERT/UPDATE trigger: a disconnected integration keeps no credentials.';

CREATE OR REPLACE TRIGGER organization_integrations_forget_credentials
BEFORE INSERT OR UPDATE ON integrations.organization_integrations
FOR EACH ROW EXECUTE FUNCTION integrations.forget_revoked_credentials();

CREATE OR REPLACE FUNCTION integrations.resolve_provider(p_category text, p_org uuid)
RETURNS TABLE (id uuid, organization_id uuid, category text, provider text, config jsonb, source text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    -- Members ask for their own organization; staff and the system side for any.
    IF util.called_from_request_pool()
       AND NOT (p_org IS NOT NULL AND iam.current_member_org_id() IS NOT DISTINCT FROM p_org)
       AND NOT iam.is_platform_staff() THEN
        RAISE EXCEPTION 'permission_denied'
            USING DETAIL = 'Providers are resolved for an organization the caller is a member of.',
                  ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN QUERY
    SELECT p.id, p.organization_id, p.category, p.provider, p.config,
           CASE WHEN p.organization_id IS NULL THEN 'platform' ELSE 'organization' END
    FROM integrations.platform_service_providers AS p
    WHERE p.category = p_category
      AND p.enabled
      AND ((p_org IS NOT NULL AND p.organization_id = p_org) OR (p.organization_id IS NULL AND p.is_default))
    -- The override first; a disabled override falls back to the platform default.
    ORDER BY p.organization_id NULLS LAST
    LIMIT 1;
END;
$$;
COMMENT ON FUNCTION integrations.resolve_provider(text, uuid) IS 'The provider an organization uses for a category: its enabled override, else the enabled platform default; no row when neither exists. Never returns credentials.';

GRANT EXECUTE ON FUNCTION integrations.resolve_provider(text, uuid) TO restartix_app, restartix_system;
