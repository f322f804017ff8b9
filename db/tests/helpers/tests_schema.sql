-- The pgTAP helpers, installed in test databases only (never by `restartix db migrate`).
-- Every helper acts transaction-locally, so a test file's BEGIN ... ROLLBACK undoes it.

CREATE SCHEMA tests;
COMMENT ON SCHEMA tests IS 'pgTAP helpers; exists in test databases only.';
GRANT USAGE ON SCHEMA tests TO restartix_owner, restartix_app, restartix_system;

-- The clock, made freezable: select tests.freeze_time('2026-03-29 00:30+00');
CREATE OR REPLACE FUNCTION util.now() RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT coalesce(
        nullif(pg_catalog.current_setting('tests.frozen_now', true), '')::timestamptz,
        pg_catalog.now()
    )
$$;
COMMENT ON FUNCTION util.now() IS 'Test databases only: the frozen time set by tests.freeze_time, else now().';

-- select tests.freeze_time('2026-03-29 00:30+00');  -- util.now() returns it until rollback
CREATE FUNCTION tests.freeze_time(p_at timestamptz) RETURNS void
LANGUAGE sql
AS $$ SELECT pg_catalog.set_config('tests.frozen_now', coalesce(p_at::text, ''), true) $$;
COMMENT ON FUNCTION tests.freeze_time(timestamptz) IS 'Freeze util.now() at a time for this transaction; NULL unfreezes.';

-- select tests.create_org('clinic-a');  -- returns the new organization id
CREATE FUNCTION tests.create_org(p_slug text, p_name text DEFAULT NULL) RETURNS uuid
LANGUAGE sql
AS $$
    INSERT INTO tenancy.organizations (slug, name)
    VALUES (p_slug, coalesce(p_name, pg_catalog.initcap(pg_catalog.replace(p_slug, '-', ' '))))
    RETURNING id
$$;
COMMENT ON FUNCTION tests.create_org(text, text) IS 'Create an active organization; returns its id.';

-- select tests.create_human('ana@clinic-a.test');  -- returns the new principal id
CREATE FUNCTION tests.create_human(p_email text) RETURNS uuid
LANGUAGE sql
AS $$
    WITH p AS (INSERT INTO iam.principals (kind) VALUES ('human') RETURNING id)
    INSERT INTO iam.humans (principal_id, idp_subject, email, display_name)
    SELECT p.id, 'test|' || p_email, p_email, pg_catalog.split_part(p_email, '@', 1) FROM p
    RETURNING principal_id
$$;
COMMENT ON FUNCTION tests.create_human(text) IS 'Create a human principal with this email; returns the principal id.';

-- select tests.add_member(org_id, principal_id, 'admin');  -- an active membership
CREATE FUNCTION tests.add_member(
    p_org_id uuid, p_principal_id uuid, p_role_code text, p_status text DEFAULT 'active'
) RETURNS uuid
LANGUAGE sql
AS $$
    INSERT INTO tenancy.organization_memberships (organization_id, principal_id, role_id, status, accepted_at)
    SELECT p_org_id, p_principal_id, r.id, p_status, CASE WHEN p_status = 'active' THEN util.now() END
    FROM iam.roles AS r
    WHERE r.code = p_role_code AND (r.organization_id IS NULL OR r.organization_id = p_org_id)
    ORDER BY r.organization_id NULLS LAST
    LIMIT 1
    RETURNING id
$$;
COMMENT ON FUNCTION tests.add_member(uuid, uuid, text, text) IS 'Give a principal a role (by code) in an organization; returns the membership id.';

-- select tests.make_platform(principal_id, 'superadmin');
CREATE FUNCTION tests.make_platform(p_principal_id uuid, p_role text) RETURNS void
LANGUAGE sql
AS $$ INSERT INTO iam.platform_memberships (principal_id, role) VALUES (p_principal_id, p_role) $$;
COMMENT ON FUNCTION tests.make_platform(uuid, text) IS 'Grant a platform role (superadmin or support).';

-- select tests.authenticate_as(principal_id, org_id);  -- now acting as restartix_app
CREATE FUNCTION tests.authenticate_as(p_principal_id uuid, p_org_id uuid DEFAULT NULL) RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM pg_catalog.set_config('app.current_principal_id', coalesce(p_principal_id::text, ''), true);
    PERFORM pg_catalog.set_config('app.current_org_id', coalesce(p_org_id::text, ''), true);
    PERFORM pg_catalog.set_config('app.request_id', 'test-' || pg_catalog.gen_random_uuid(), true);
    PERFORM pg_catalog.set_config('role', 'restartix_app', true);
END;
$$;
COMMENT ON FUNCTION tests.authenticate_as(uuid, uuid) IS 'Act as this principal in this organization through the request pool role, until rollback.';

-- select tests.authenticate_as_system();  -- acting as restartix_system
CREATE FUNCTION tests.authenticate_as_system() RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM pg_catalog.set_config('app.current_principal_id', '', true);
    PERFORM pg_catalog.set_config('app.current_org_id', '', true);
    PERFORM pg_catalog.set_config('role', 'restartix_system', true);
END;
$$;
COMMENT ON FUNCTION tests.authenticate_as_system() IS 'Act through the system pool role, until rollback.';

-- select tests.clear_authentication();  -- back to the test's superuser, no principal
CREATE FUNCTION tests.clear_authentication() RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM pg_catalog.set_config('app.current_principal_id', '', true);
    PERFORM pg_catalog.set_config('app.current_org_id', '', true);
    PERFORM pg_catalog.set_config('app.request_id', '', true);
    PERFORM pg_catalog.set_config('role', 'none', true);
END;
$$;
COMMENT ON FUNCTION tests.clear_authentication() IS 'Stop acting as anyone: back to the session user with no principal set.';

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA tests TO restartix_owner, restartix_app, restartix_system;
GRANT EXECUTE ON FUNCTION util.now() TO restartix_app, restartix_system, restartix_analyst;
