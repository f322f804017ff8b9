--
-- PostgreSQL database dump
--

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: analytics; Type: SCHEMA; Schema: -; Owner: restartix_owner
--

CREATE SCHEMA "analytics";

ALTER SCHEMA "analytics" OWNER TO "restartix_owner";

--
-- Name: SCHEMA "analytics"; Type: COMMENT; Schema: -; Owner: restartix_owner
--

COMMENT ON SCHEMA "analytics" IS 'Read-only views for analysts; the only schema restartix_analyst reads.';

--
-- Name: audit; Type: SCHEMA; Schema: -; Owner: restartix_owner
--

CREATE SCHEMA "audit";

ALTER SCHEMA "audit" OWNER TO "restartix_owner";

--
-- Name: SCHEMA "audit"; Type: COMMENT; Schema: -; Owner: restartix_owner
--

COMMENT ON SCHEMA "audit" IS 'The append-only audit log.';

--
-- Name: events; Type: SCHEMA; Schema: -; Owner: restartix_owner
--

CREATE SCHEMA "events";

ALTER SCHEMA "events" OWNER TO "restartix_owner";

--
-- Name: SCHEMA "events"; Type: COMMENT; Schema: -; Owner: restartix_owner
--

COMMENT ON SCHEMA "events" IS 'The transactional outbox and its consumers.';

--
-- Name: iam; Type: SCHEMA; Schema: -; Owner: restartix_owner
--

CREATE SCHEMA "iam";

ALTER SCHEMA "iam" OWNER TO "restartix_owner";

--
-- Name: SCHEMA "iam"; Type: COMMENT; Schema: -; Owner: restartix_owner
--

COMMENT ON SCHEMA "iam" IS 'Principals, humans, roles, permissions and the session helpers policies use.';

--
-- Name: SCHEMA "public"; Type: COMMENT; Schema: -; Owner: pg_database_owner
--

COMMENT ON SCHEMA "public" IS 'standard public schema';

--
-- Name: tenancy; Type: SCHEMA; Schema: -; Owner: restartix_owner
--

CREATE SCHEMA "tenancy";

ALTER SCHEMA "tenancy" OWNER TO "restartix_owner";

--
-- Name: SCHEMA "tenancy"; Type: COMMENT; Schema: -; Owner: restartix_owner
--

COMMENT ON SCHEMA "tenancy" IS 'Organizations, their domains and memberships.';

--
-- Name: util; Type: SCHEMA; Schema: -; Owner: restartix_owner
--

CREATE SCHEMA "util";

ALTER SCHEMA "util" OWNER TO "restartix_owner";

--
-- Name: SCHEMA "util"; Type: COMMENT; Schema: -; Owner: restartix_owner
--

COMMENT ON SCHEMA "util" IS 'Small helpers shared by every domain (clock, ids, validation).';

--
-- Name: btree_gist; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS "btree_gist" WITH SCHEMA "public";

--
-- Name: EXTENSION "btree_gist"; Type: COMMENT; Schema: -; Owner:
--

COMMENT ON EXTENSION "btree_gist" IS 'support for indexing common datatypes in GiST';

--
-- Name: citext; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS "citext" WITH SCHEMA "public";

--
-- Name: EXTENSION "citext"; Type: COMMENT; Schema: -; Owner:
--

COMMENT ON EXTENSION "citext" IS 'data type for case-insensitive character strings';

--
-- Name: pg_trgm; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS "pg_trgm" WITH SCHEMA "public";

--
-- Name: EXTENSION "pg_trgm"; Type: COMMENT; Schema: -; Owner:
--

COMMENT ON EXTENSION "pg_trgm" IS 'text similarity measurement and index searching based on trigrams';

--
-- Name: unaccent; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS "unaccent" WITH SCHEMA "public";

--
-- Name: EXTENSION "unaccent"; Type: COMMENT; Schema: -; Owner:
--

COMMENT ON EXTENSION "unaccent" IS 'text search dictionary that removes accents';

--
-- Name: current_action_context(); Type: FUNCTION; Schema: iam; Owner: restartix_owner
--

CREATE FUNCTION "iam"."current_action_context"() RETURNS "text"
    LANGUAGE "sql" STABLE PARALLEL SAFE
    SET "search_path" TO ''
    AS $$ SELECT nullif(pg_catalog.current_setting('app.action_context', true), '') $$;

ALTER FUNCTION "iam"."current_action_context"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "current_action_context"(); Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON FUNCTION "iam"."current_action_context"() IS 'Why this transaction acts (e.g. org_entitlement_change), for the audit log.';

--
-- Name: current_member_org_id(); Type: FUNCTION; Schema: iam; Owner: restartix_owner
--

CREATE FUNCTION "iam"."current_member_org_id"() RETURNS "uuid"
    LANGUAGE "sql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
    SELECT m.organization_id
    FROM tenancy.organization_memberships AS m
    INNER JOIN tenancy.organizations AS o ON o.id = m.organization_id
    WHERE m.organization_id = iam.current_org_id()
      AND m.principal_id = iam.current_principal_id()
      AND m.status = 'active'
      AND o.status = 'active'
      AND o.deleted_at IS NULL
      AND NOT iam.principal_is_blocked(m.principal_id)
$$;

ALTER FUNCTION "iam"."current_member_org_id"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "current_member_org_id"(); Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON FUNCTION "iam"."current_member_org_id"() IS 'The current organization when the acting principal is an active, unblocked member of it; else NULL.';

--
-- Name: current_org_id(); Type: FUNCTION; Schema: iam; Owner: restartix_owner
--

CREATE FUNCTION "iam"."current_org_id"() RETURNS "uuid"
    LANGUAGE "sql" STABLE PARALLEL SAFE
    SET "search_path" TO ''
    AS $$ SELECT nullif(pg_catalog.current_setting('app.current_org_id', true), '')::uuid $$;

ALTER FUNCTION "iam"."current_org_id"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "current_org_id"(); Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON FUNCTION "iam"."current_org_id"() IS 'The organization this transaction acts in, or NULL.';

--
-- Name: current_platform_role(); Type: FUNCTION; Schema: iam; Owner: restartix_owner
--

CREATE FUNCTION "iam"."current_platform_role"() RETURNS "text"
    LANGUAGE "sql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
    SELECT pm.role
    FROM iam.platform_memberships AS pm
    WHERE pm.principal_id = iam.current_principal_id()
      AND NOT iam.principal_is_blocked(pm.principal_id)
$$;

ALTER FUNCTION "iam"."current_platform_role"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "current_platform_role"(); Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON FUNCTION "iam"."current_platform_role"() IS 'superadmin, support or NULL for the acting principal; NULL when blocked.';

--
-- Name: current_principal_id(); Type: FUNCTION; Schema: iam; Owner: restartix_owner
--

CREATE FUNCTION "iam"."current_principal_id"() RETURNS "uuid"
    LANGUAGE "sql" STABLE PARALLEL SAFE
    SET "search_path" TO ''
    AS $$ SELECT nullif(pg_catalog.current_setting('app.current_principal_id', true), '')::uuid $$;

ALTER FUNCTION "iam"."current_principal_id"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "current_principal_id"(); Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON FUNCTION "iam"."current_principal_id"() IS 'The acting principal of this transaction, or NULL.';

--
-- Name: current_request_id(); Type: FUNCTION; Schema: iam; Owner: restartix_owner
--

CREATE FUNCTION "iam"."current_request_id"() RETURNS "text"
    LANGUAGE "sql" STABLE PARALLEL SAFE
    SET "search_path" TO ''
    AS $$ SELECT nullif(pg_catalog.current_setting('app.request_id', true), '') $$;

ALTER FUNCTION "iam"."current_request_id"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "current_request_id"(); Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON FUNCTION "iam"."current_request_id"() IS 'The request id carried from the HTTP request into the audit log.';

--
-- Name: guard_human_block(); Type: FUNCTION; Schema: iam; Owner: restartix_owner
--

CREATE FUNCTION "iam"."guard_human_block"() RETURNS "trigger"
    LANGUAGE "plpgsql"
    SET "search_path" TO ''
    AS $$
BEGIN
    IF NEW.blocked_at IS DISTINCT FROM OLD.blocked_at
       AND current_user = 'restartix_app'
       AND NOT iam.is_platform_admin() THEN
        RAISE EXCEPTION 'only a platform administrator may block or unblock a human'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;

ALTER FUNCTION "iam"."guard_human_block"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "guard_human_block"(); Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON FUNCTION "iam"."guard_human_block"() IS 'Only platform admins change humans.blocked_at through the request pool.';

--
-- Name: guard_system_roles(); Type: FUNCTION; Schema: iam; Owner: restartix_owner
--

CREATE FUNCTION "iam"."guard_system_roles"() RETURNS "trigger"
    LANGUAGE "plpgsql"
    SET "search_path" TO ''
    AS $$
DECLARE
    v_role_id uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.role_id ELSE NEW.role_id END;
    v_org uuid;
BEGIN
    SELECT r.organization_id INTO v_org FROM iam.roles AS r WHERE r.id = v_role_id;
    IF v_org IS NULL AND current_user = 'restartix_app' AND NOT iam.is_platform_admin() THEN
        RAISE EXCEPTION 'system role templates are read-only'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;

ALTER FUNCTION "iam"."guard_system_roles"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "guard_system_roles"(); Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON FUNCTION "iam"."guard_system_roles"() IS 'Permissions of system role templates change only by a platform admin or a migration.';

--
-- Name: has_permission("text"); Type: FUNCTION; Schema: iam; Owner: restartix_owner
--

CREATE FUNCTION "iam"."has_permission"("p_code" "text") RETURNS boolean
    LANGUAGE "sql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
    SELECT CASE iam.current_platform_role()
        WHEN 'superadmin' THEN true
        -- Support staff read everywhere and change nothing.
        WHEN 'support' THEN p_code LIKE '%.read'
        ELSE EXISTS (
            SELECT 1
            FROM tenancy.organization_memberships AS m
            INNER JOIN iam.role_permissions AS rp ON rp.role_id = m.role_id
            WHERE m.organization_id = iam.current_member_org_id()
              AND m.principal_id = iam.current_principal_id()
              AND rp.permission_code = p_code
        )
    END
$$;

ALTER FUNCTION "iam"."has_permission"("p_code" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "has_permission"("p_code" "text"); Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON FUNCTION "iam"."has_permission"("p_code" "text") IS 'Whether the acting principal holds a permission in the current organization (platform roles honoured, blocked humans hold none).';

--
-- Name: is_platform_admin(); Type: FUNCTION; Schema: iam; Owner: restartix_owner
--

CREATE FUNCTION "iam"."is_platform_admin"() RETURNS boolean
    LANGUAGE "sql" STABLE
    SET "search_path" TO ''
    AS $$ SELECT coalesce(iam.current_platform_role() = 'superadmin', false) $$;

ALTER FUNCTION "iam"."is_platform_admin"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "is_platform_admin"(); Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON FUNCTION "iam"."is_platform_admin"() IS 'True when the acting principal is an unblocked platform superadmin.';

--
-- Name: is_platform_staff(); Type: FUNCTION; Schema: iam; Owner: restartix_owner
--

CREATE FUNCTION "iam"."is_platform_staff"() RETURNS boolean
    LANGUAGE "sql" STABLE
    SET "search_path" TO ''
    AS $$ SELECT iam.current_platform_role() IS NOT NULL $$;

ALTER FUNCTION "iam"."is_platform_staff"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "is_platform_staff"(); Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON FUNCTION "iam"."is_platform_staff"() IS 'True for unblocked superadmins and support staff: they may read across organizations.';

--
-- Name: principal_is_blocked("uuid"); Type: FUNCTION; Schema: iam; Owner: restartix_owner
--

CREATE FUNCTION "iam"."principal_is_blocked"("p_principal_id" "uuid") RETURNS boolean
    LANGUAGE "sql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
    -- An agent acting for a blocked human is blocked too.
    WITH RECURSIVE chain AS (
        SELECT p.id, p.parent_principal_id, 1 AS depth
        FROM iam.principals AS p WHERE p.id = p_principal_id
        UNION ALL
        SELECT p.id, p.parent_principal_id, c.depth + 1
        FROM iam.principals AS p
        INNER JOIN chain AS c ON p.id = c.parent_principal_id
        WHERE c.depth < 8
    )
    SELECT EXISTS (
        SELECT 1 FROM chain AS c
        INNER JOIN iam.humans AS h ON h.principal_id = c.id
        WHERE h.blocked_at IS NOT NULL
    )
$$;

ALTER FUNCTION "iam"."principal_is_blocked"("p_principal_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "principal_is_blocked"("p_principal_id" "uuid"); Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON FUNCTION "iam"."principal_is_blocked"("p_principal_id" "uuid") IS 'True when the principal, or a principal it acts for, is a blocked human.';

--
-- Name: check_membership_role(); Type: FUNCTION; Schema: tenancy; Owner: restartix_owner
--

CREATE FUNCTION "tenancy"."check_membership_role"() RETURNS "trigger"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_role_org uuid;
BEGIN
    SELECT r.organization_id INTO v_role_org FROM iam.roles AS r WHERE r.id = NEW.role_id;
    IF v_role_org IS NOT NULL AND v_role_org <> NEW.organization_id THEN
        RAISE EXCEPTION 'role % belongs to another organization', NEW.role_id
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'organization_memberships_role_in_org',
                  TABLE = 'organization_memberships', SCHEMA = 'tenancy';
    END IF;
    RETURN NEW;
END;
$$;

ALTER FUNCTION "tenancy"."check_membership_role"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "check_membership_role"(); Type: COMMENT; Schema: tenancy; Owner: restartix_owner
--

COMMENT ON FUNCTION "tenancy"."check_membership_role"() IS 'A membership''s role is a system template or a custom role of the same organization.';

--
-- Name: resolve_org("text"); Type: FUNCTION; Schema: tenancy; Owner: restartix_owner
--

CREATE FUNCTION "tenancy"."resolve_org"("p_host" "text") RETURNS TABLE("id" "uuid", "slug" "text", "name" "text", "primary_domain" "text")
    LANGUAGE "sql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
    -- A verified custom domain, or <slug>.<platform domain> (the first label of the host).
    WITH host AS (
        SELECT pg_catalog.lower(pg_catalog.rtrim(pg_catalog.split_part(p_host, ':', 1), '.')) AS h
        WHERE p_host IS NOT NULL AND pg_catalog.length(p_host) <= 260
    ),
    match AS (
        SELECT d.organization_id AS org_id, 1 AS rank
        FROM tenancy.organization_domains AS d, host
        WHERE d.domain = host.h AND d.verified_at IS NOT NULL
        UNION ALL
        SELECT o.id, 2
        FROM tenancy.organizations AS o, host
        WHERE o.slug = pg_catalog.split_part(host.h, '.', 1) AND o.deleted_at IS NULL
    )
    SELECT o.id, o.slug, o.name, pd.domain
    FROM match
    INNER JOIN tenancy.organizations AS o ON o.id = match.org_id
    LEFT JOIN tenancy.organization_domains AS pd ON pd.organization_id = o.id AND pd.is_primary
    WHERE o.status = 'active' AND o.deleted_at IS NULL
    ORDER BY match.rank
    LIMIT 1
$$;

ALTER FUNCTION "tenancy"."resolve_org"("p_host" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "resolve_org"("p_host" "text"); Type: COMMENT; Schema: tenancy; Owner: restartix_owner
--

COMMENT ON FUNCTION "tenancy"."resolve_org"("p_host" "text") IS 'Public fields of the active organization a host name routes to (custom domain first, then slug subdomain).';

--
-- Name: resolve_org_by_slug("text"); Type: FUNCTION; Schema: tenancy; Owner: restartix_owner
--

CREATE FUNCTION "tenancy"."resolve_org_by_slug"("p_slug" "text") RETURNS TABLE("id" "uuid", "slug" "text", "name" "text", "primary_domain" "text")
    LANGUAGE "sql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
    SELECT o.id, o.slug, o.name, pd.domain
    FROM tenancy.organizations AS o
    LEFT JOIN tenancy.organization_domains AS pd ON pd.organization_id = o.id AND pd.is_primary
    WHERE o.slug = pg_catalog.lower(p_slug)
      AND o.status = 'active'
      AND o.deleted_at IS NULL
$$;

ALTER FUNCTION "tenancy"."resolve_org_by_slug"("p_slug" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "resolve_org_by_slug"("p_slug" "text"); Type: COMMENT; Schema: tenancy; Owner: restartix_owner
--

COMMENT ON FUNCTION "tenancy"."resolve_org_by_slug"("p_slug" "text") IS 'Public fields of the active organization with this slug.';

--
-- Name: now(); Type: FUNCTION; Schema: util; Owner: restartix_owner
--

CREATE FUNCTION "util"."now"() RETURNS timestamp with time zone
    LANGUAGE "sql" STABLE PARALLEL SAFE
    AS $$ SELECT pg_catalog.now() $$;

ALTER FUNCTION "util"."now"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "now"(); Type: COMMENT; Schema: util; Owner: restartix_owner
--

COMMENT ON FUNCTION "util"."now"() IS 'The current transaction time; replaced by a freezable clock in test databases.';

--
-- Name: reset_policies("regclass"); Type: FUNCTION; Schema: util; Owner: restartix_owner
--

CREATE FUNCTION "util"."reset_policies"("p_table" "regclass") RETURNS "void"
    LANGUAGE "plpgsql"
    SET "search_path" TO ''
    AS $$
DECLARE
    v_policy name;
BEGIN
    -- Every policy of the table is dropped, so a policy removed from its file disappears too.
    FOR v_policy IN SELECT polname FROM pg_catalog.pg_policy WHERE polrelid = p_table LOOP
        EXECUTE pg_catalog.format('DROP POLICY %I ON %s', v_policy, p_table);
    END LOOP;
    EXECUTE pg_catalog.format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', p_table);
    EXECUTE pg_catalog.format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', p_table);
END;
$$;

ALTER FUNCTION "util"."reset_policies"("p_table" "regclass") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "reset_policies"("p_table" "regclass"); Type: COMMENT; Schema: util; Owner: restartix_owner
--

COMMENT ON FUNCTION "util"."reset_policies"("p_table" "regclass") IS 'Drops every policy of a table and enables and forces row-level security on it.';

--
-- Name: touch_updated_at(); Type: FUNCTION; Schema: util; Owner: restartix_owner
--

CREATE FUNCTION "util"."touch_updated_at"() RETURNS "trigger"
    LANGUAGE "plpgsql"
    SET "search_path" TO ''
    AS $$
BEGIN
    NEW.updated_at := util.now();
    RETURN NEW;
END;
$$;

ALTER FUNCTION "util"."touch_updated_at"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "touch_updated_at"(); Type: COMMENT; Schema: util; Owner: restartix_owner
--

COMMENT ON FUNCTION "util"."touch_updated_at"() IS 'BEFORE UPDATE trigger: sets updated_at to the (freezable) current time.';

SET default_table_access_method = "heap";

--
-- Name: humans; Type: TABLE; Schema: iam; Owner: restartix_owner
--

CREATE TABLE "iam"."humans" (
    "principal_id" "uuid" NOT NULL,
    "kind" "text" DEFAULT 'human'::"text" NOT NULL,
    "idp_subject" "text" NOT NULL,
    "email" "public"."citext" NOT NULL,
    "display_name" "text" DEFAULT ''::"text" NOT NULL,
    "locale" "text" DEFAULT 'en'::"text" NOT NULL,
    "blocked_at" timestamp with time zone,
    "last_activity_at" timestamp with time zone,
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "updated_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    CONSTRAINT "humans_display_name_length" CHECK (("length"("display_name") <= 200)),
    CONSTRAINT "humans_email_valid" CHECK ((("length"(("email")::"text") <= 254) AND ("email" OPERATOR("public".~) '^[^@\s]+@[^@\s]+\.[^@\s]+$'::"public"."citext"))),
    CONSTRAINT "humans_idp_subject_valid" CHECK ((("length"("idp_subject") >= 1) AND ("length"("idp_subject") <= 255))),
    CONSTRAINT "humans_kind_human" CHECK (("kind" = 'human'::"text")),
    CONSTRAINT "humans_locale_valid" CHECK (("locale" = ANY (ARRAY['en'::"text", 'ro'::"text"])))
);

ALTER TABLE ONLY "iam"."humans" FORCE ROW LEVEL SECURITY;

ALTER TABLE "iam"."humans" OWNER TO "restartix_owner";

--
-- Name: TABLE "humans"; Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON TABLE "iam"."humans" IS 'A human principal bound to the identity provider subject.';

--
-- Name: permissions; Type: TABLE; Schema: iam; Owner: restartix_owner
--

CREATE TABLE "iam"."permissions" (
    "code" "text" NOT NULL,
    "description" "text" NOT NULL,
    CONSTRAINT "permissions_code_format" CHECK (("code" ~ '^[a-z_]+\.[a-z_]+$'::"text"))
);

ALTER TABLE ONLY "iam"."permissions" FORCE ROW LEVEL SECURITY;

ALTER TABLE "iam"."permissions" OWNER TO "restartix_owner";

--
-- Name: TABLE "permissions"; Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON TABLE "iam"."permissions" IS 'The catalog of permission codes a role can grant.';

--
-- Name: platform_memberships; Type: TABLE; Schema: iam; Owner: restartix_owner
--

CREATE TABLE "iam"."platform_memberships" (
    "principal_id" "uuid" NOT NULL,
    "role" "text" NOT NULL,
    "granted_by" "uuid",
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    CONSTRAINT "platform_memberships_role_valid" CHECK (("role" = ANY (ARRAY['superadmin'::"text", 'support'::"text"])))
);

ALTER TABLE ONLY "iam"."platform_memberships" FORCE ROW LEVEL SECURITY;

ALTER TABLE "iam"."platform_memberships" OWNER TO "restartix_owner";

--
-- Name: TABLE "platform_memberships"; Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON TABLE "iam"."platform_memberships" IS 'Platform staff: superadmins act everywhere, support reads everywhere.';

--
-- Name: principals; Type: TABLE; Schema: iam; Owner: restartix_owner
--

CREATE TABLE "iam"."principals" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "kind" "text" NOT NULL,
    "parent_principal_id" "uuid",
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    CONSTRAINT "principals_kind_valid" CHECK (("kind" = ANY (ARRAY['human'::"text", 'agent'::"text", 'service_account'::"text", 'system'::"text"]))),
    CONSTRAINT "principals_not_own_parent" CHECK (("parent_principal_id" <> "id"))
);

ALTER TABLE ONLY "iam"."principals" FORCE ROW LEVEL SECURITY;

ALTER TABLE "iam"."principals" OWNER TO "restartix_owner";

--
-- Name: TABLE "principals"; Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON TABLE "iam"."principals" IS 'Root identity of every actor: humans, agents, service accounts and the system.';

--
-- Name: role_permissions; Type: TABLE; Schema: iam; Owner: restartix_owner
--

CREATE TABLE "iam"."role_permissions" (
    "role_id" "uuid" NOT NULL,
    "permission_code" "text" NOT NULL
);

ALTER TABLE ONLY "iam"."role_permissions" FORCE ROW LEVEL SECURITY;

ALTER TABLE "iam"."role_permissions" OWNER TO "restartix_owner";

--
-- Name: TABLE "role_permissions"; Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON TABLE "iam"."role_permissions" IS 'Which permissions a role grants.';

--
-- Name: roles; Type: TABLE; Schema: iam; Owner: restartix_owner
--

CREATE TABLE "iam"."roles" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "organization_id" "uuid",
    "code" "text" NOT NULL,
    "name" "text" NOT NULL,
    "description" "text" DEFAULT ''::"text" NOT NULL,
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "updated_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    CONSTRAINT "roles_code_format" CHECK (("code" ~ '^[a-z][a-z0-9_]{1,62}$'::"text")),
    CONSTRAINT "roles_description_length" CHECK (("length"("description") <= 1000)),
    CONSTRAINT "roles_name_length" CHECK ((("length"("btrim"("name")) >= 1) AND ("length"("btrim"("name")) <= 100)))
);

ALTER TABLE ONLY "iam"."roles" FORCE ROW LEVEL SECURITY;

ALTER TABLE "iam"."roles" OWNER TO "restartix_owner";

--
-- Name: TABLE "roles"; Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON TABLE "iam"."roles" IS 'System role templates (no organization) and custom roles of one organization.';

--
-- Name: organization_domains; Type: TABLE; Schema: tenancy; Owner: restartix_owner
--

CREATE TABLE "tenancy"."organization_domains" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "domain" "text" NOT NULL,
    "verification_token" "text" DEFAULT "replace"(("gen_random_uuid"())::"text", '-'::"text", ''::"text") NOT NULL,
    "verified_at" timestamp with time zone,
    "is_primary" boolean DEFAULT false NOT NULL,
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "updated_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    CONSTRAINT "organization_domains_domain_format" CHECK ((("length"("domain") <= 253) AND ("domain" = "lower"("domain")) AND ("domain" ~ '^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$'::"text"))),
    CONSTRAINT "organization_domains_primary_is_verified" CHECK (((NOT "is_primary") OR ("verified_at" IS NOT NULL)))
);

ALTER TABLE ONLY "tenancy"."organization_domains" FORCE ROW LEVEL SECURITY;

ALTER TABLE "tenancy"."organization_domains" OWNER TO "restartix_owner";

--
-- Name: TABLE "organization_domains"; Type: COMMENT; Schema: tenancy; Owner: restartix_owner
--

COMMENT ON TABLE "tenancy"."organization_domains" IS 'Custom domains of an organization; at most one primary, only verified ones.';

--
-- Name: organization_memberships; Type: TABLE; Schema: tenancy; Owner: restartix_owner
--

CREATE TABLE "tenancy"."organization_memberships" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "principal_id" "uuid" NOT NULL,
    "role_id" "uuid" NOT NULL,
    "status" "text" DEFAULT 'invited'::"text" NOT NULL,
    "invited_at" timestamp with time zone,
    "invited_by" "uuid",
    "accepted_at" timestamp with time zone,
    "last_used_at" timestamp with time zone,
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "updated_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    CONSTRAINT "organization_memberships_status_valid" CHECK (("status" = ANY (ARRAY['invited'::"text", 'active'::"text", 'suspended'::"text"])))
);

ALTER TABLE ONLY "tenancy"."organization_memberships" FORCE ROW LEVEL SECURITY;

ALTER TABLE "tenancy"."organization_memberships" OWNER TO "restartix_owner";

--
-- Name: TABLE "organization_memberships"; Type: COMMENT; Schema: tenancy; Owner: restartix_owner
--

COMMENT ON TABLE "tenancy"."organization_memberships" IS 'A principal''s one role in one organization (one hat per org).';

--
-- Name: organizations; Type: TABLE; Schema: tenancy; Owner: restartix_owner
--

CREATE TABLE "tenancy"."organizations" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "slug" "text" NOT NULL,
    "name" "text" NOT NULL,
    "status" "text" DEFAULT 'active'::"text" NOT NULL,
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "updated_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "deleted_at" timestamp with time zone,
    CONSTRAINT "organizations_name_length" CHECK ((("length"("btrim"("name")) >= 1) AND ("length"("btrim"("name")) <= 200))),
    CONSTRAINT "organizations_slug_format" CHECK ((("slug" ~ '^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$'::"text") AND ("slug" !~ '--'::"text"))),
    CONSTRAINT "organizations_slug_not_reserved" CHECK (("slug" <> ALL (ARRAY['www'::"text", 'api'::"text", 'app'::"text", 'console'::"text", 'admin'::"text", 'portal'::"text", 'auth'::"text", 'login'::"text", 'mail'::"text", 'static'::"text", 'assets'::"text", 'cdn'::"text", 'docs'::"text", 'status'::"text", 'help'::"text", 'support'::"text", 'billing'::"text", 'restartix'::"text", 'system'::"text", 'public'::"text", 'internal'::"text", 'dev'::"text", 'staging'::"text", 'test'::"text"]))),
    CONSTRAINT "organizations_status_valid" CHECK (("status" = ANY (ARRAY['active'::"text", 'suspended'::"text"])))
);

ALTER TABLE ONLY "tenancy"."organizations" FORCE ROW LEVEL SECURITY;

ALTER TABLE "tenancy"."organizations" OWNER TO "restartix_owner";

--
-- Name: TABLE "organizations"; Type: COMMENT; Schema: tenancy; Owner: restartix_owner
--

COMMENT ON TABLE "tenancy"."organizations" IS 'A clinic: the tenant every org-scoped row belongs to.';

--
-- Name: humans humans_email_key; Type: CONSTRAINT; Schema: iam; Owner: restartix_owner
--

ALTER TABLE ONLY "iam"."humans"
    ADD CONSTRAINT "humans_email_key" UNIQUE ("email");

--
-- Name: humans humans_idp_subject_key; Type: CONSTRAINT; Schema: iam; Owner: restartix_owner
--

ALTER TABLE ONLY "iam"."humans"
    ADD CONSTRAINT "humans_idp_subject_key" UNIQUE ("idp_subject");

--
-- Name: humans humans_pkey; Type: CONSTRAINT; Schema: iam; Owner: restartix_owner
--

ALTER TABLE ONLY "iam"."humans"
    ADD CONSTRAINT "humans_pkey" PRIMARY KEY ("principal_id");

--
-- Name: permissions permissions_pkey; Type: CONSTRAINT; Schema: iam; Owner: restartix_owner
--

ALTER TABLE ONLY "iam"."permissions"
    ADD CONSTRAINT "permissions_pkey" PRIMARY KEY ("code");

--
-- Name: platform_memberships platform_memberships_pkey; Type: CONSTRAINT; Schema: iam; Owner: restartix_owner
--

ALTER TABLE ONLY "iam"."platform_memberships"
    ADD CONSTRAINT "platform_memberships_pkey" PRIMARY KEY ("principal_id");

--
-- Name: principals principals_id_kind_key; Type: CONSTRAINT; Schema: iam; Owner: restartix_owner
--

ALTER TABLE ONLY "iam"."principals"
    ADD CONSTRAINT "principals_id_kind_key" UNIQUE ("id", "kind");

--
-- Name: principals principals_pkey; Type: CONSTRAINT; Schema: iam; Owner: restartix_owner
--

ALTER TABLE ONLY "iam"."principals"
    ADD CONSTRAINT "principals_pkey" PRIMARY KEY ("id");

--
-- Name: role_permissions role_permissions_pkey; Type: CONSTRAINT; Schema: iam; Owner: restartix_owner
--

ALTER TABLE ONLY "iam"."role_permissions"
    ADD CONSTRAINT "role_permissions_pkey" PRIMARY KEY ("role_id", "permission_code");

--
-- Name: roles roles_pkey; Type: CONSTRAINT; Schema: iam; Owner: restartix_owner
--

ALTER TABLE ONLY "iam"."roles"
    ADD CONSTRAINT "roles_pkey" PRIMARY KEY ("id");

--
-- Name: organization_domains organization_domains_domain_key; Type: CONSTRAINT; Schema: tenancy; Owner: restartix_owner
--

ALTER TABLE ONLY "tenancy"."organization_domains"
    ADD CONSTRAINT "organization_domains_domain_key" UNIQUE ("domain");

--
-- Name: organization_domains organization_domains_pkey; Type: CONSTRAINT; Schema: tenancy; Owner: restartix_owner
--

ALTER TABLE ONLY "tenancy"."organization_domains"
    ADD CONSTRAINT "organization_domains_pkey" PRIMARY KEY ("id");

--
-- Name: organization_memberships organization_memberships_one_hat; Type: CONSTRAINT; Schema: tenancy; Owner: restartix_owner
--

ALTER TABLE ONLY "tenancy"."organization_memberships"
    ADD CONSTRAINT "organization_memberships_one_hat" UNIQUE ("organization_id", "principal_id");

--
-- Name: organization_memberships organization_memberships_pkey; Type: CONSTRAINT; Schema: tenancy; Owner: restartix_owner
--

ALTER TABLE ONLY "tenancy"."organization_memberships"
    ADD CONSTRAINT "organization_memberships_pkey" PRIMARY KEY ("id");

--
-- Name: organizations organizations_pkey; Type: CONSTRAINT; Schema: tenancy; Owner: restartix_owner
--

ALTER TABLE ONLY "tenancy"."organizations"
    ADD CONSTRAINT "organizations_pkey" PRIMARY KEY ("id");

--
-- Name: principals_one_system; Type: INDEX; Schema: iam; Owner: restartix_owner
--

CREATE UNIQUE INDEX "principals_one_system" ON "iam"."principals" USING "btree" ((true)) WHERE ("kind" = 'system'::"text");

--
-- Name: principals_parent_idx; Type: INDEX; Schema: iam; Owner: restartix_owner
--

CREATE INDEX "principals_parent_idx" ON "iam"."principals" USING "btree" ("parent_principal_id") WHERE ("parent_principal_id" IS NOT NULL);

--
-- Name: role_permissions_permission_idx; Type: INDEX; Schema: iam; Owner: restartix_owner
--

CREATE INDEX "role_permissions_permission_idx" ON "iam"."role_permissions" USING "btree" ("permission_code");

--
-- Name: roles_org_code_key; Type: INDEX; Schema: iam; Owner: restartix_owner
--

CREATE UNIQUE INDEX "roles_org_code_key" ON "iam"."roles" USING "btree" ("organization_id", "code") WHERE ("organization_id" IS NOT NULL);

--
-- Name: roles_system_code_key; Type: INDEX; Schema: iam; Owner: restartix_owner
--

CREATE UNIQUE INDEX "roles_system_code_key" ON "iam"."roles" USING "btree" ("code") WHERE ("organization_id" IS NULL);

--
-- Name: organization_domains_one_primary; Type: INDEX; Schema: tenancy; Owner: restartix_owner
--

CREATE UNIQUE INDEX "organization_domains_one_primary" ON "tenancy"."organization_domains" USING "btree" ("organization_id") WHERE "is_primary";

--
-- Name: organization_domains_org_idx; Type: INDEX; Schema: tenancy; Owner: restartix_owner
--

CREATE INDEX "organization_domains_org_idx" ON "tenancy"."organization_domains" USING "btree" ("organization_id");

--
-- Name: organization_memberships_principal_idx; Type: INDEX; Schema: tenancy; Owner: restartix_owner
--

CREATE INDEX "organization_memberships_principal_idx" ON "tenancy"."organization_memberships" USING "btree" ("principal_id");

--
-- Name: organization_memberships_role_idx; Type: INDEX; Schema: tenancy; Owner: restartix_owner
--

CREATE INDEX "organization_memberships_role_idx" ON "tenancy"."organization_memberships" USING "btree" ("role_id");

--
-- Name: organizations_slug_key; Type: INDEX; Schema: tenancy; Owner: restartix_owner
--

CREATE UNIQUE INDEX "organizations_slug_key" ON "tenancy"."organizations" USING "btree" ("slug") WHERE ("deleted_at" IS NULL);

--
-- Name: humans humans_guard_block; Type: TRIGGER; Schema: iam; Owner: restartix_owner
--

CREATE TRIGGER "humans_guard_block" BEFORE UPDATE OF "blocked_at" ON "iam"."humans" FOR EACH ROW EXECUTE FUNCTION "iam"."guard_human_block"();

--
-- Name: humans humans_touch; Type: TRIGGER; Schema: iam; Owner: restartix_owner
--

CREATE TRIGGER "humans_touch" BEFORE UPDATE ON "iam"."humans" FOR EACH ROW EXECUTE FUNCTION "util"."touch_updated_at"();

--
-- Name: role_permissions role_permissions_guard_system; Type: TRIGGER; Schema: iam; Owner: restartix_owner
--

CREATE TRIGGER "role_permissions_guard_system" BEFORE INSERT OR DELETE OR UPDATE ON "iam"."role_permissions" FOR EACH ROW EXECUTE FUNCTION "iam"."guard_system_roles"();

--
-- Name: roles roles_touch; Type: TRIGGER; Schema: iam; Owner: restartix_owner
--

CREATE TRIGGER "roles_touch" BEFORE UPDATE ON "iam"."roles" FOR EACH ROW EXECUTE FUNCTION "util"."touch_updated_at"();

--
-- Name: organization_domains organization_domains_touch; Type: TRIGGER; Schema: tenancy; Owner: restartix_owner
--

CREATE TRIGGER "organization_domains_touch" BEFORE UPDATE ON "tenancy"."organization_domains" FOR EACH ROW EXECUTE FUNCTION "util"."touch_updated_at"();

--
-- Name: organization_memberships organization_memberships_role_in_org; Type: TRIGGER; Schema: tenancy; Owner: restartix_owner
--

CREATE TRIGGER "organization_memberships_role_in_org" BEFORE INSERT OR UPDATE OF "role_id", "organization_id" ON "tenancy"."organization_memberships" FOR EACH ROW EXECUTE FUNCTION "tenancy"."check_membership_role"();

--
-- Name: organization_memberships organization_memberships_touch; Type: TRIGGER; Schema: tenancy; Owner: restartix_owner
--

CREATE TRIGGER "organization_memberships_touch" BEFORE UPDATE ON "tenancy"."organization_memberships" FOR EACH ROW EXECUTE FUNCTION "util"."touch_updated_at"();

--
-- Name: organizations organizations_touch; Type: TRIGGER; Schema: tenancy; Owner: restartix_owner
--

CREATE TRIGGER "organizations_touch" BEFORE UPDATE ON "tenancy"."organizations" FOR EACH ROW EXECUTE FUNCTION "util"."touch_updated_at"();

--
-- Name: humans humans_principal_is_human; Type: FK CONSTRAINT; Schema: iam; Owner: restartix_owner
--

ALTER TABLE ONLY "iam"."humans"
    ADD CONSTRAINT "humans_principal_is_human" FOREIGN KEY ("principal_id", "kind") REFERENCES "iam"."principals"("id", "kind") ON DELETE CASCADE;

--
-- Name: platform_memberships platform_memberships_granted_by_fkey; Type: FK CONSTRAINT; Schema: iam; Owner: restartix_owner
--

ALTER TABLE ONLY "iam"."platform_memberships"
    ADD CONSTRAINT "platform_memberships_granted_by_fkey" FOREIGN KEY ("granted_by") REFERENCES "iam"."principals"("id") ON DELETE SET NULL;

--
-- Name: platform_memberships platform_memberships_principal_id_fkey; Type: FK CONSTRAINT; Schema: iam; Owner: restartix_owner
--

ALTER TABLE ONLY "iam"."platform_memberships"
    ADD CONSTRAINT "platform_memberships_principal_id_fkey" FOREIGN KEY ("principal_id") REFERENCES "iam"."principals"("id") ON DELETE CASCADE;

--
-- Name: principals principals_parent_principal_id_fkey; Type: FK CONSTRAINT; Schema: iam; Owner: restartix_owner
--

ALTER TABLE ONLY "iam"."principals"
    ADD CONSTRAINT "principals_parent_principal_id_fkey" FOREIGN KEY ("parent_principal_id") REFERENCES "iam"."principals"("id") ON DELETE RESTRICT;

--
-- Name: role_permissions role_permissions_permission_code_fkey; Type: FK CONSTRAINT; Schema: iam; Owner: restartix_owner
--

ALTER TABLE ONLY "iam"."role_permissions"
    ADD CONSTRAINT "role_permissions_permission_code_fkey" FOREIGN KEY ("permission_code") REFERENCES "iam"."permissions"("code") ON DELETE CASCADE;

--
-- Name: role_permissions role_permissions_role_id_fkey; Type: FK CONSTRAINT; Schema: iam; Owner: restartix_owner
--

ALTER TABLE ONLY "iam"."role_permissions"
    ADD CONSTRAINT "role_permissions_role_id_fkey" FOREIGN KEY ("role_id") REFERENCES "iam"."roles"("id") ON DELETE CASCADE;

--
-- Name: roles roles_organization_id_fkey; Type: FK CONSTRAINT; Schema: iam; Owner: restartix_owner
--

ALTER TABLE ONLY "iam"."roles"
    ADD CONSTRAINT "roles_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: organization_domains organization_domains_organization_id_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: restartix_owner
--

ALTER TABLE ONLY "tenancy"."organization_domains"
    ADD CONSTRAINT "organization_domains_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: organization_memberships organization_memberships_invited_by_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: restartix_owner
--

ALTER TABLE ONLY "tenancy"."organization_memberships"
    ADD CONSTRAINT "organization_memberships_invited_by_fkey" FOREIGN KEY ("invited_by") REFERENCES "iam"."principals"("id") ON DELETE SET NULL;

--
-- Name: organization_memberships organization_memberships_organization_id_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: restartix_owner
--

ALTER TABLE ONLY "tenancy"."organization_memberships"
    ADD CONSTRAINT "organization_memberships_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: organization_memberships organization_memberships_principal_id_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: restartix_owner
--

ALTER TABLE ONLY "tenancy"."organization_memberships"
    ADD CONSTRAINT "organization_memberships_principal_id_fkey" FOREIGN KEY ("principal_id") REFERENCES "iam"."principals"("id") ON DELETE CASCADE;

--
-- Name: organization_memberships organization_memberships_role_id_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: restartix_owner
--

ALTER TABLE ONLY "tenancy"."organization_memberships"
    ADD CONSTRAINT "organization_memberships_role_id_fkey" FOREIGN KEY ("role_id") REFERENCES "iam"."roles"("id") ON DELETE RESTRICT;

--
-- Name: roles authenticated principals read system role templates; Type: POLICY; Schema: iam; Owner: restartix_owner
--

CREATE POLICY "authenticated principals read system role templates" ON "iam"."roles" FOR SELECT TO "restartix_app" USING ((("organization_id" IS NULL) AND (( SELECT "iam"."current_principal_id"() AS "current_principal_id") IS NOT NULL)));

--
-- Name: permissions authenticated principals read the permission catalog; Type: POLICY; Schema: iam; Owner: restartix_owner
--

CREATE POLICY "authenticated principals read the permission catalog" ON "iam"."permissions" FOR SELECT TO "restartix_app" USING ((( SELECT "iam"."current_principal_id"() AS "current_principal_id") IS NOT NULL));

--
-- Name: humans; Type: ROW SECURITY; Schema: iam; Owner: restartix_owner
--

ALTER TABLE "iam"."humans" ENABLE ROW LEVEL SECURITY;

--
-- Name: humans humans read their own profile; Type: POLICY; Schema: iam; Owner: restartix_owner
--

CREATE POLICY "humans read their own profile" ON "iam"."humans" FOR SELECT TO "restartix_app" USING (("principal_id" = ( SELECT "iam"."current_principal_id"() AS "current_principal_id")));

--
-- Name: humans members read the humans of their organization; Type: POLICY; Schema: iam; Owner: restartix_owner
--

CREATE POLICY "members read the humans of their organization" ON "iam"."humans" FOR SELECT TO "restartix_app" USING ((EXISTS ( SELECT 1
   FROM "tenancy"."organization_memberships" "m"
  WHERE (("m"."principal_id" = "humans"."principal_id") AND ("m"."organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id"))))));

--
-- Name: principals members read the principals of their organization; Type: POLICY; Schema: iam; Owner: restartix_owner
--

CREATE POLICY "members read the principals of their organization" ON "iam"."principals" FOR SELECT TO "restartix_app" USING ((EXISTS ( SELECT 1
   FROM "tenancy"."organization_memberships" "m"
  WHERE (("m"."principal_id" = "principals"."id") AND ("m"."organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id"))))));

--
-- Name: roles members read their organization's custom roles; Type: POLICY; Schema: iam; Owner: restartix_owner
--

CREATE POLICY "members read their organization's custom roles" ON "iam"."roles" FOR SELECT TO "restartix_app" USING (("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")));

--
-- Name: permissions; Type: ROW SECURITY; Schema: iam; Owner: restartix_owner
--

ALTER TABLE "iam"."permissions" ENABLE ROW LEVEL SECURITY;

--
-- Name: humans platform admins edit every human; Type: POLICY; Schema: iam; Owner: restartix_owner
--

CREATE POLICY "platform admins edit every human" ON "iam"."humans" FOR UPDATE TO "restartix_app" USING (( SELECT "iam"."is_platform_admin"() AS "is_platform_admin")) WITH CHECK (( SELECT "iam"."is_platform_admin"() AS "is_platform_admin"));

--
-- Name: platform_memberships platform admins grant and revoke platform roles; Type: POLICY; Schema: iam; Owner: restartix_owner
--

CREATE POLICY "platform admins grant and revoke platform roles" ON "iam"."platform_memberships" TO "restartix_app" USING (( SELECT "iam"."is_platform_admin"() AS "is_platform_admin")) WITH CHECK (( SELECT "iam"."is_platform_admin"() AS "is_platform_admin"));

--
-- Name: roles platform admins manage system role templates; Type: POLICY; Schema: iam; Owner: restartix_owner
--

CREATE POLICY "platform admins manage system role templates" ON "iam"."roles" TO "restartix_app" USING ((("organization_id" IS NULL) AND ( SELECT "iam"."is_platform_admin"() AS "is_platform_admin"))) WITH CHECK ((("organization_id" IS NULL) AND ( SELECT "iam"."is_platform_admin"() AS "is_platform_admin")));

--
-- Name: role_permissions platform admins manage template permissions; Type: POLICY; Schema: iam; Owner: restartix_owner
--

CREATE POLICY "platform admins manage template permissions" ON "iam"."role_permissions" TO "restartix_app" USING (( SELECT "iam"."is_platform_admin"() AS "is_platform_admin")) WITH CHECK (( SELECT "iam"."is_platform_admin"() AS "is_platform_admin"));

--
-- Name: humans platform staff read every human; Type: POLICY; Schema: iam; Owner: restartix_owner
--

CREATE POLICY "platform staff read every human" ON "iam"."humans" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_staff"() AS "is_platform_staff"));

--
-- Name: principals platform staff read every principal; Type: POLICY; Schema: iam; Owner: restartix_owner
--

CREATE POLICY "platform staff read every principal" ON "iam"."principals" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_staff"() AS "is_platform_staff"));

--
-- Name: roles platform staff read every role; Type: POLICY; Schema: iam; Owner: restartix_owner
--

CREATE POLICY "platform staff read every role" ON "iam"."roles" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_staff"() AS "is_platform_staff"));

--
-- Name: platform_memberships platform staff read platform roles; Type: POLICY; Schema: iam; Owner: restartix_owner
--

CREATE POLICY "platform staff read platform roles" ON "iam"."platform_memberships" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_staff"() AS "is_platform_staff"));

--
-- Name: platform_memberships; Type: ROW SECURITY; Schema: iam; Owner: restartix_owner
--

ALTER TABLE "iam"."platform_memberships" ENABLE ROW LEVEL SECURITY;

--
-- Name: principals; Type: ROW SECURITY; Schema: iam; Owner: restartix_owner
--

ALTER TABLE "iam"."principals" ENABLE ROW LEVEL SECURITY;

--
-- Name: role_permissions principals read the permissions of roles they can see; Type: POLICY; Schema: iam; Owner: restartix_owner
--

CREATE POLICY "principals read the permissions of roles they can see" ON "iam"."role_permissions" FOR SELECT TO "restartix_app" USING ((EXISTS ( SELECT 1
   FROM "iam"."roles" "r"
  WHERE ("r"."id" = "role_permissions"."role_id"))));

--
-- Name: platform_memberships principals read their own platform role; Type: POLICY; Schema: iam; Owner: restartix_owner
--

CREATE POLICY "principals read their own platform role" ON "iam"."platform_memberships" FOR SELECT TO "restartix_app" USING (("principal_id" = ( SELECT "iam"."current_principal_id"() AS "current_principal_id")));

--
-- Name: principals principals read themselves; Type: POLICY; Schema: iam; Owner: restartix_owner
--

CREATE POLICY "principals read themselves" ON "iam"."principals" FOR SELECT TO "restartix_app" USING (("id" = ( SELECT "iam"."current_principal_id"() AS "current_principal_id")));

--
-- Name: roles role managers create custom roles; Type: POLICY; Schema: iam; Owner: restartix_owner
--

CREATE POLICY "role managers create custom roles" ON "iam"."roles" FOR INSERT TO "restartix_app" WITH CHECK ((("organization_id" = ( SELECT "iam"."current_org_id"() AS "current_org_id")) AND ( SELECT "iam"."has_permission"('roles.manage'::"text") AS "has_permission")));

--
-- Name: roles role managers delete custom roles; Type: POLICY; Schema: iam; Owner: restartix_owner
--

CREATE POLICY "role managers delete custom roles" ON "iam"."roles" FOR DELETE TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_org_id"() AS "current_org_id")) AND ( SELECT "iam"."has_permission"('roles.manage'::"text") AS "has_permission")));

--
-- Name: roles role managers edit custom roles; Type: POLICY; Schema: iam; Owner: restartix_owner
--

CREATE POLICY "role managers edit custom roles" ON "iam"."roles" FOR UPDATE TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_org_id"() AS "current_org_id")) AND ( SELECT "iam"."has_permission"('roles.manage'::"text") AS "has_permission"))) WITH CHECK ((("organization_id" = ( SELECT "iam"."current_org_id"() AS "current_org_id")) AND ( SELECT "iam"."has_permission"('roles.manage'::"text") AS "has_permission")));

--
-- Name: role_permissions role managers grant permissions to custom roles; Type: POLICY; Schema: iam; Owner: restartix_owner
--

CREATE POLICY "role managers grant permissions to custom roles" ON "iam"."role_permissions" FOR INSERT TO "restartix_app" WITH CHECK ((EXISTS ( SELECT 1
   FROM "iam"."roles" "r"
  WHERE (("r"."id" = "role_permissions"."role_id") AND ("r"."organization_id" = ( SELECT "iam"."current_org_id"() AS "current_org_id")) AND ( SELECT "iam"."has_permission"('roles.manage'::"text") AS "has_permission")))));

--
-- Name: role_permissions role managers revoke permissions from custom roles; Type: POLICY; Schema: iam; Owner: restartix_owner
--

CREATE POLICY "role managers revoke permissions from custom roles" ON "iam"."role_permissions" FOR DELETE TO "restartix_app" USING ((EXISTS ( SELECT 1
   FROM "iam"."roles" "r"
  WHERE (("r"."id" = "role_permissions"."role_id") AND ("r"."organization_id" = ( SELECT "iam"."current_org_id"() AS "current_org_id")) AND ( SELECT "iam"."has_permission"('roles.manage'::"text") AS "has_permission")))));

--
-- Name: role_permissions; Type: ROW SECURITY; Schema: iam; Owner: restartix_owner
--

ALTER TABLE "iam"."role_permissions" ENABLE ROW LEVEL SECURITY;

--
-- Name: roles; Type: ROW SECURITY; Schema: iam; Owner: restartix_owner
--

ALTER TABLE "iam"."roles" ENABLE ROW LEVEL SECURITY;

--
-- Name: humans the system pool reads and provisions humans; Type: POLICY; Schema: iam; Owner: restartix_owner
--

CREATE POLICY "the system pool reads and provisions humans" ON "iam"."humans" TO "restartix_system" USING (true) WITH CHECK (true);

--
-- Name: principals the system pool reads and provisions principals; Type: POLICY; Schema: iam; Owner: restartix_owner
--

CREATE POLICY "the system pool reads and provisions principals" ON "iam"."principals" TO "restartix_system" USING (true) WITH CHECK (("kind" = ANY (ARRAY['human'::"text", 'agent'::"text", 'service_account'::"text"])));

--
-- Name: humans unblocked humans edit their own profile; Type: POLICY; Schema: iam; Owner: restartix_owner
--

CREATE POLICY "unblocked humans edit their own profile" ON "iam"."humans" FOR UPDATE TO "restartix_app" USING ((("principal_id" = ( SELECT "iam"."current_principal_id"() AS "current_principal_id")) AND (NOT ( SELECT "iam"."principal_is_blocked"("iam"."current_principal_id"()) AS "principal_is_blocked")))) WITH CHECK (("principal_id" = ( SELECT "iam"."current_principal_id"() AS "current_principal_id")));

--
-- Name: organization_domains domain managers manage their organization's domains; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "domain managers manage their organization's domains" ON "tenancy"."organization_domains" TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('domains.manage'::"text") AS "has_permission"))) WITH CHECK ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('domains.manage'::"text") AS "has_permission")));

--
-- Name: organization_memberships inviters invite into their organization; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "inviters invite into their organization" ON "tenancy"."organization_memberships" FOR INSERT TO "restartix_app" WITH CHECK ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ("status" = 'invited'::"text") AND ( SELECT "iam"."has_permission"('members.invite'::"text") AS "has_permission")));

--
-- Name: organization_memberships member managers change memberships; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "member managers change memberships" ON "tenancy"."organization_memberships" FOR UPDATE TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('members.manage'::"text") AS "has_permission"))) WITH CHECK (("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")));

--
-- Name: organization_memberships member managers remove memberships; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "member managers remove memberships" ON "tenancy"."organization_memberships" FOR DELETE TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('members.manage'::"text") AS "has_permission")));

--
-- Name: organizations members read their current organization; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "members read their current organization" ON "tenancy"."organizations" FOR SELECT TO "restartix_app" USING (("id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")));

--
-- Name: organization_domains members read their organization's domains; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "members read their organization's domains" ON "tenancy"."organization_domains" FOR SELECT TO "restartix_app" USING (("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")));

--
-- Name: organization_memberships members read their organization's memberships; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "members read their organization's memberships" ON "tenancy"."organization_memberships" FOR SELECT TO "restartix_app" USING (("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")));

--
-- Name: organizations organization editors update their organization; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "organization editors update their organization" ON "tenancy"."organizations" FOR UPDATE TO "restartix_app" USING ((("id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('organizations.update'::"text") AS "has_permission"))) WITH CHECK (("id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")));

--
-- Name: organization_domains; Type: ROW SECURITY; Schema: tenancy; Owner: restartix_owner
--

ALTER TABLE "tenancy"."organization_domains" ENABLE ROW LEVEL SECURITY;

--
-- Name: organization_memberships; Type: ROW SECURITY; Schema: tenancy; Owner: restartix_owner
--

ALTER TABLE "tenancy"."organization_memberships" ENABLE ROW LEVEL SECURITY;

--
-- Name: organizations; Type: ROW SECURITY; Schema: tenancy; Owner: restartix_owner
--

ALTER TABLE "tenancy"."organizations" ENABLE ROW LEVEL SECURITY;

--
-- Name: organizations platform admins create and update organizations; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "platform admins create and update organizations" ON "tenancy"."organizations" TO "restartix_app" USING (( SELECT "iam"."is_platform_admin"() AS "is_platform_admin")) WITH CHECK (( SELECT "iam"."is_platform_admin"() AS "is_platform_admin"));

--
-- Name: organization_memberships platform admins manage every membership; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "platform admins manage every membership" ON "tenancy"."organization_memberships" TO "restartix_app" USING (( SELECT "iam"."is_platform_admin"() AS "is_platform_admin")) WITH CHECK (( SELECT "iam"."is_platform_admin"() AS "is_platform_admin"));

--
-- Name: organization_domains platform staff read every domain; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "platform staff read every domain" ON "tenancy"."organization_domains" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_staff"() AS "is_platform_staff"));

--
-- Name: organization_memberships platform staff read every membership; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "platform staff read every membership" ON "tenancy"."organization_memberships" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_staff"() AS "is_platform_staff"));

--
-- Name: organizations platform staff read every organization; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "platform staff read every organization" ON "tenancy"."organizations" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_staff"() AS "is_platform_staff"));

--
-- Name: organizations principals read the organizations they belong to; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "principals read the organizations they belong to" ON "tenancy"."organizations" FOR SELECT TO "restartix_app" USING ((EXISTS ( SELECT 1
   FROM "tenancy"."organization_memberships" "m"
  WHERE (("m"."organization_id" = "organizations"."id") AND ("m"."principal_id" = ( SELECT "iam"."current_principal_id"() AS "current_principal_id"))))));

--
-- Name: organization_memberships principals read their own memberships; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "principals read their own memberships" ON "tenancy"."organization_memberships" FOR SELECT TO "restartix_app" USING (("principal_id" = ( SELECT "iam"."current_principal_id"() AS "current_principal_id")));

--
-- Name: organization_memberships the system pool reads memberships and records their use; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "the system pool reads memberships and records their use" ON "tenancy"."organization_memberships" TO "restartix_system" USING (true) WITH CHECK (true);

--
-- Name: SCHEMA "analytics"; Type: ACL; Schema: -; Owner: restartix_owner
--

GRANT USAGE ON SCHEMA "analytics" TO "restartix_analyst";

--
-- Name: SCHEMA "audit"; Type: ACL; Schema: -; Owner: restartix_owner
--

GRANT USAGE ON SCHEMA "audit" TO "restartix_app";
GRANT USAGE ON SCHEMA "audit" TO "restartix_system";

--
-- Name: SCHEMA "events"; Type: ACL; Schema: -; Owner: restartix_owner
--

GRANT USAGE ON SCHEMA "events" TO "restartix_app";
GRANT USAGE ON SCHEMA "events" TO "restartix_system";

--
-- Name: SCHEMA "iam"; Type: ACL; Schema: -; Owner: restartix_owner
--

GRANT USAGE ON SCHEMA "iam" TO "restartix_app";
GRANT USAGE ON SCHEMA "iam" TO "restartix_system";

--
-- Name: SCHEMA "public"; Type: ACL; Schema: -; Owner: pg_database_owner
--

REVOKE USAGE ON SCHEMA "public" FROM PUBLIC;
GRANT USAGE ON SCHEMA "public" TO "restartix_app";
GRANT USAGE ON SCHEMA "public" TO "restartix_system";
GRANT USAGE ON SCHEMA "public" TO "restartix_analyst";

--
-- Name: SCHEMA "tenancy"; Type: ACL; Schema: -; Owner: restartix_owner
--

GRANT USAGE ON SCHEMA "tenancy" TO "restartix_app";
GRANT USAGE ON SCHEMA "tenancy" TO "restartix_system";

--
-- Name: SCHEMA "util"; Type: ACL; Schema: -; Owner: restartix_owner
--

GRANT USAGE ON SCHEMA "util" TO "restartix_app";
GRANT USAGE ON SCHEMA "util" TO "restartix_system";

--
-- Name: FUNCTION "current_action_context"(); Type: ACL; Schema: iam; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "iam"."current_action_context"() FROM PUBLIC;
GRANT ALL ON FUNCTION "iam"."current_action_context"() TO "restartix_app";
GRANT ALL ON FUNCTION "iam"."current_action_context"() TO "restartix_system";

--
-- Name: FUNCTION "current_member_org_id"(); Type: ACL; Schema: iam; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "iam"."current_member_org_id"() FROM PUBLIC;
GRANT ALL ON FUNCTION "iam"."current_member_org_id"() TO "restartix_app";
GRANT ALL ON FUNCTION "iam"."current_member_org_id"() TO "restartix_system";

--
-- Name: FUNCTION "current_org_id"(); Type: ACL; Schema: iam; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "iam"."current_org_id"() FROM PUBLIC;
GRANT ALL ON FUNCTION "iam"."current_org_id"() TO "restartix_app";
GRANT ALL ON FUNCTION "iam"."current_org_id"() TO "restartix_system";

--
-- Name: FUNCTION "current_platform_role"(); Type: ACL; Schema: iam; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "iam"."current_platform_role"() FROM PUBLIC;
GRANT ALL ON FUNCTION "iam"."current_platform_role"() TO "restartix_app";
GRANT ALL ON FUNCTION "iam"."current_platform_role"() TO "restartix_system";

--
-- Name: FUNCTION "current_principal_id"(); Type: ACL; Schema: iam; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "iam"."current_principal_id"() FROM PUBLIC;
GRANT ALL ON FUNCTION "iam"."current_principal_id"() TO "restartix_app";
GRANT ALL ON FUNCTION "iam"."current_principal_id"() TO "restartix_system";

--
-- Name: FUNCTION "current_request_id"(); Type: ACL; Schema: iam; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "iam"."current_request_id"() FROM PUBLIC;
GRANT ALL ON FUNCTION "iam"."current_request_id"() TO "restartix_app";
GRANT ALL ON FUNCTION "iam"."current_request_id"() TO "restartix_system";

--
-- Name: FUNCTION "guard_human_block"(); Type: ACL; Schema: iam; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "iam"."guard_human_block"() FROM PUBLIC;

--
-- Name: FUNCTION "guard_system_roles"(); Type: ACL; Schema: iam; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "iam"."guard_system_roles"() FROM PUBLIC;

--
-- Name: FUNCTION "has_permission"("p_code" "text"); Type: ACL; Schema: iam; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "iam"."has_permission"("p_code" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "iam"."has_permission"("p_code" "text") TO "restartix_app";
GRANT ALL ON FUNCTION "iam"."has_permission"("p_code" "text") TO "restartix_system";

--
-- Name: FUNCTION "is_platform_admin"(); Type: ACL; Schema: iam; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "iam"."is_platform_admin"() FROM PUBLIC;
GRANT ALL ON FUNCTION "iam"."is_platform_admin"() TO "restartix_app";
GRANT ALL ON FUNCTION "iam"."is_platform_admin"() TO "restartix_system";

--
-- Name: FUNCTION "is_platform_staff"(); Type: ACL; Schema: iam; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "iam"."is_platform_staff"() FROM PUBLIC;
GRANT ALL ON FUNCTION "iam"."is_platform_staff"() TO "restartix_app";
GRANT ALL ON FUNCTION "iam"."is_platform_staff"() TO "restartix_system";

--
-- Name: FUNCTION "principal_is_blocked"("p_principal_id" "uuid"); Type: ACL; Schema: iam; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "iam"."principal_is_blocked"("p_principal_id" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "iam"."principal_is_blocked"("p_principal_id" "uuid") TO "restartix_app";
GRANT ALL ON FUNCTION "iam"."principal_is_blocked"("p_principal_id" "uuid") TO "restartix_system";

--
-- Name: FUNCTION "check_membership_role"(); Type: ACL; Schema: tenancy; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "tenancy"."check_membership_role"() FROM PUBLIC;

--
-- Name: FUNCTION "resolve_org"("p_host" "text"); Type: ACL; Schema: tenancy; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "tenancy"."resolve_org"("p_host" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "tenancy"."resolve_org"("p_host" "text") TO "restartix_app";
GRANT ALL ON FUNCTION "tenancy"."resolve_org"("p_host" "text") TO "restartix_system";

--
-- Name: FUNCTION "resolve_org_by_slug"("p_slug" "text"); Type: ACL; Schema: tenancy; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "tenancy"."resolve_org_by_slug"("p_slug" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "tenancy"."resolve_org_by_slug"("p_slug" "text") TO "restartix_app";
GRANT ALL ON FUNCTION "tenancy"."resolve_org_by_slug"("p_slug" "text") TO "restartix_system";

--
-- Name: FUNCTION "now"(); Type: ACL; Schema: util; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "util"."now"() FROM PUBLIC;
GRANT ALL ON FUNCTION "util"."now"() TO "restartix_app";
GRANT ALL ON FUNCTION "util"."now"() TO "restartix_system";
GRANT ALL ON FUNCTION "util"."now"() TO "restartix_analyst";

--
-- Name: FUNCTION "reset_policies"("p_table" "regclass"); Type: ACL; Schema: util; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "util"."reset_policies"("p_table" "regclass") FROM PUBLIC;

--
-- Name: FUNCTION "touch_updated_at"(); Type: ACL; Schema: util; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "util"."touch_updated_at"() FROM PUBLIC;

--
-- Name: TABLE "humans"; Type: ACL; Schema: iam; Owner: restartix_owner
--

GRANT SELECT ON TABLE "iam"."humans" TO "restartix_app";
GRANT SELECT,INSERT ON TABLE "iam"."humans" TO "restartix_system";

--
-- Name: COLUMN "humans"."display_name"; Type: ACL; Schema: iam; Owner: restartix_owner
--

GRANT UPDATE("display_name") ON TABLE "iam"."humans" TO "restartix_app";

--
-- Name: COLUMN "humans"."locale"; Type: ACL; Schema: iam; Owner: restartix_owner
--

GRANT UPDATE("locale") ON TABLE "iam"."humans" TO "restartix_app";

--
-- Name: COLUMN "humans"."blocked_at"; Type: ACL; Schema: iam; Owner: restartix_owner
--

GRANT UPDATE("blocked_at") ON TABLE "iam"."humans" TO "restartix_app";

--
-- Name: COLUMN "humans"."last_activity_at"; Type: ACL; Schema: iam; Owner: restartix_owner
--

GRANT UPDATE("last_activity_at") ON TABLE "iam"."humans" TO "restartix_app";
GRANT UPDATE("last_activity_at") ON TABLE "iam"."humans" TO "restartix_system";

--
-- Name: TABLE "permissions"; Type: ACL; Schema: iam; Owner: restartix_owner
--

GRANT SELECT ON TABLE "iam"."permissions" TO "restartix_app";

--
-- Name: TABLE "platform_memberships"; Type: ACL; Schema: iam; Owner: restartix_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE "iam"."platform_memberships" TO "restartix_app";

--
-- Name: TABLE "principals"; Type: ACL; Schema: iam; Owner: restartix_owner
--

GRANT SELECT ON TABLE "iam"."principals" TO "restartix_app";
GRANT SELECT,INSERT ON TABLE "iam"."principals" TO "restartix_system";

--
-- Name: TABLE "role_permissions"; Type: ACL; Schema: iam; Owner: restartix_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE "iam"."role_permissions" TO "restartix_app";

--
-- Name: TABLE "roles"; Type: ACL; Schema: iam; Owner: restartix_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE "iam"."roles" TO "restartix_app";

--
-- Name: TABLE "organization_domains"; Type: ACL; Schema: tenancy; Owner: restartix_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE "tenancy"."organization_domains" TO "restartix_app";

--
-- Name: TABLE "organization_memberships"; Type: ACL; Schema: tenancy; Owner: restartix_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE "tenancy"."organization_memberships" TO "restartix_app";
GRANT SELECT ON TABLE "tenancy"."organization_memberships" TO "restartix_system";

--
-- Name: COLUMN "organization_memberships"."last_used_at"; Type: ACL; Schema: tenancy; Owner: restartix_owner
--

GRANT UPDATE("last_used_at") ON TABLE "tenancy"."organization_memberships" TO "restartix_system";

--
-- Name: TABLE "organizations"; Type: ACL; Schema: tenancy; Owner: restartix_owner
--

GRANT SELECT,INSERT,UPDATE ON TABLE "tenancy"."organizations" TO "restartix_app";

--
-- Name: DEFAULT PRIVILEGES FOR FUNCTIONS; Type: DEFAULT ACL; Schema: -; Owner: restartix_owner
--

ALTER DEFAULT PRIVILEGES FOR ROLE "restartix_owner" REVOKE ALL ON FUNCTIONS  FROM PUBLIC;

--
-- PostgreSQL database dump complete
--
