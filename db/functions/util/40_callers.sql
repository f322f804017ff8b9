-- Who is calling a security-definer function: the request (and analyst) pools act for a
-- principal and must pass the function's own checks; the system pool, migrations and
-- operators are trusted callers. Reads the login role and the SET ROLE of the session,
-- which a security-definer function does not change (as billing.require_platform_admin).

-- No SET clause, so the planner can inline it; it names nothing outside pg_catalog.
CREATE OR REPLACE FUNCTION util.called_from_request_pool() RETURNS boolean
LANGUAGE sql STABLE
AS $$
    SELECT session_user IN ('restartix_app', 'restartix_analyst')
        OR pg_catalog.current_setting('role') IN ('restartix_app', 'restartix_analyst')
$$;
COMMENT ON FUNCTION util.called_from_request_pool() IS 'True when the caller is the request or analyst pool (checked by the function), false for the system pool and operators (trusted).';
