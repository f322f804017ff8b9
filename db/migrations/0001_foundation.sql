-- Foundation: the domain schemas, the extensions every later layer relies on, and the
-- schema-level privileges of the runtime roles. Objects are created as restartix_owner.

CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;

CREATE SCHEMA util;
COMMENT ON SCHEMA util IS 'Small helpers shared by every domain (clock, ids, validation).';
CREATE SCHEMA iam;
COMMENT ON SCHEMA iam IS 'Principals, humans, roles, permissions and the session helpers policies use.';
CREATE SCHEMA tenancy;
COMMENT ON SCHEMA tenancy IS 'Organizations, their domains and memberships.';
CREATE SCHEMA audit;
COMMENT ON SCHEMA audit IS 'The append-only audit log.';
CREATE SCHEMA events;
COMMENT ON SCHEMA events IS 'The transactional outbox and its consumers.';
CREATE SCHEMA analytics;
COMMENT ON SCHEMA analytics IS 'Read-only views for analysts; the only schema restartix_analyst reads.';

REVOKE ALL ON SCHEMA public FROM public;
GRANT USAGE ON SCHEMA public TO restartix_app, restartix_system, restartix_analyst;
GRANT USAGE ON SCHEMA util, iam, tenancy, audit, events TO restartix_app, restartix_system;
GRANT USAGE ON SCHEMA analytics TO restartix_analyst;

-- Functions are executable by PUBLIC by default; every schema's functions are granted
-- explicitly instead, so a new function is closed until a file says who may call it.
ALTER DEFAULT PRIVILEGES FOR ROLE restartix_owner REVOKE EXECUTE ON FUNCTIONS FROM public;

-- The clock every default and function reads, so tests can freeze time (tests.freeze_time
-- replaces this function in test databases only).
CREATE FUNCTION util.now() RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT pg_catalog.now() $$;
COMMENT ON FUNCTION util.now() IS 'The current transaction time; replaced by a freezable clock in test databases.';
GRANT EXECUTE ON FUNCTION util.now() TO restartix_app, restartix_system, restartix_analyst;
