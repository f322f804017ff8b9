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
-- Name: ensure_partitions(integer, timestamp with time zone); Type: FUNCTION; Schema: audit; Owner: restartix_owner
--

CREATE FUNCTION "audit"."ensure_partitions"("p_ahead" integer DEFAULT 3, "p_from" timestamp with time zone DEFAULT NULL::timestamp with time zone) RETURNS SETOF "text"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_first date := pg_catalog.date_trunc('month', coalesce(p_from, util.now()) AT TIME ZONE 'UTC')::date;
    v_month date;
    v_parent text;
    v_name text;
BEGIN
    IF p_ahead IS NULL OR p_ahead < 0 OR p_ahead > 36 THEN
        RAISE EXCEPTION 'ahead must be between 0 and 36 months, got %', p_ahead
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR i IN 0..p_ahead LOOP
        v_month := (v_first + pg_catalog.make_interval(months => i))::date;
        -- The audit rows first: the provenance partition's foreign key points at them.
        FOREACH v_parent IN ARRAY ARRAY['audit_log', 'audit_ai_provenance'] LOOP
            v_name := v_parent || '_p' || pg_catalog.to_char(v_month, 'YYYY_MM');
            IF pg_catalog.to_regclass('audit.' || v_name) IS NULL THEN
                EXECUTE pg_catalog.format(
                    'CREATE TABLE audit.%I PARTITION OF audit.%I FOR VALUES FROM (%L) TO (%L)',
                    v_name, v_parent,
                    (v_month::timestamp AT TIME ZONE 'UTC'),
                    ((v_month + INTERVAL '1 month')::timestamp AT TIME ZONE 'UTC')
                );
                -- Partitions are reached only through their parent; directly, nobody reads them.
                EXECUTE pg_catalog.format('ALTER TABLE audit.%I ENABLE ROW LEVEL SECURITY', v_name);
                EXECUTE pg_catalog.format('ALTER TABLE audit.%I FORCE ROW LEVEL SECURITY', v_name);
                EXECUTE pg_catalog.format(
                    'CREATE TRIGGER %I BEFORE TRUNCATE ON audit.%I '
                    'FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()',
                    v_name || '_no_truncate', v_name
                );
                RETURN NEXT 'audit.' || v_name;
            END IF;
        END LOOP;
    END LOOP;
END;
$$;

ALTER FUNCTION "audit"."ensure_partitions"("p_ahead" integer, "p_from" timestamp with time zone) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "ensure_partitions"("p_ahead" integer, "p_from" timestamp with time zone); Type: COMMENT; Schema: audit; Owner: restartix_owner
--

COMMENT ON FUNCTION "audit"."ensure_partitions"("p_ahead" integer, "p_from" timestamp with time zone) IS 'Creates the missing monthly partitions of both audit tables from this month to N months ahead; returns the ones created.';

--
-- Name: log_change(); Type: FUNCTION; Schema: audit; Owner: restartix_owner
--

CREATE FUNCTION "audit"."log_change"() RETURNS "trigger"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- On the write path of every audited table: session values are read with current_setting
-- directly and no SQL-language helper is called, because each such call is planned anew.
DECLARE
    -- TG_ARGV[0]: {"org": column or null, "key": [pk columns], "masked": [...], "quiet": [...]}
    v_config jsonb := TG_ARGV[0]::jsonb;
    v_old jsonb;
    v_new jsonb;
    v_row jsonb;
    v_changed text [];
    v_masked jsonb := v_config -> 'masked';
    v_org uuid;
    v_entity text;
    v_actor_id uuid := nullif(pg_catalog.current_setting('app.current_principal_id', true), '')::uuid;
    v_actor_type text;
    v_audit_id uuid;
    v_created_at timestamptz := util.now();
    v_provenance jsonb;
    v_key text;
BEGIN
    IF TG_OP <> 'INSERT' THEN v_old := pg_catalog.to_jsonb(OLD); END IF;
    IF TG_OP <> 'DELETE' THEN v_new := pg_catalog.to_jsonb(NEW); END IF;
    v_row := coalesce(v_new, v_old);

    IF TG_OP = 'UPDATE' THEN
        SELECT pg_catalog.array_agg(n.key ORDER BY n.key),
               pg_catalog.jsonb_object_agg(n.key, o.value),
               pg_catalog.jsonb_object_agg(n.key, n.value)
        INTO v_changed, v_old, v_new
        FROM pg_catalog.jsonb_each(v_new) AS n
        INNER JOIN pg_catalog.jsonb_each(v_old) AS o ON o.key = n.key
        WHERE n.value IS DISTINCT FROM o.value AND n.key <> 'updated_at';
        -- An update that changes nothing, or only bookkeeping columns, is not an event.
        IF v_changed IS NULL
           OR (v_config -> 'quiet') OPERATOR(pg_catalog.@>) pg_catalog.to_jsonb(v_changed) THEN
            RETURN NULL;
        END IF;
    ELSE
        SELECT pg_catalog.array_agg(k ORDER BY k) INTO v_changed
        FROM pg_catalog.jsonb_object_keys(v_row) AS k;
    END IF;

    -- Values of pii_regulated and auth_secret columns never reach the log.
    IF pg_catalog.jsonb_array_length(v_masked) > 0 THEN
        FOR v_key IN SELECT pg_catalog.jsonb_array_elements_text(v_masked) LOOP
            IF v_old OPERATOR(pg_catalog.?) v_key THEN
                v_old := pg_catalog.jsonb_set(v_old, ARRAY[v_key], '"[redacted]"');
            END IF;
            IF v_new OPERATOR(pg_catalog.?) v_key THEN
                v_new := pg_catalog.jsonb_set(v_new, ARRAY[v_key], '"[redacted]"');
            END IF;
        END LOOP;
    END IF;

    v_org := CASE
        WHEN v_config ->> 'org' IS NOT NULL THEN (v_row ->> (v_config ->> 'org'))::uuid
        ELSE nullif(pg_catalog.current_setting('app.current_org_id', true), '')::uuid
    END;
    IF pg_catalog.jsonb_array_length(v_config -> 'key') = 1 THEN
        v_entity := v_row ->> (v_config -> 'key' ->> 0);
    ELSE
        SELECT pg_catalog.string_agg(v_row ->> k, ',' ORDER BY ord) INTO v_entity
        FROM pg_catalog.jsonb_array_elements_text(v_config -> 'key') WITH ORDINALITY AS key_columns (k, ord);
    END IF;

    IF v_actor_id IS NOT NULL THEN
        SELECT p.kind INTO v_actor_type FROM iam.principals AS p WHERE p.id = v_actor_id;
    END IF;
    IF v_actor_type IS NULL THEN
        -- No actor, or an id that names no principal: recorded as the system, never dropped.
        v_actor_id := '00000000-0000-0000-0000-000000000001';
        v_actor_type := 'system';
    END IF;

    INSERT INTO audit.audit_log (
        created_at, organization_id, actor_id, actor_type, action, entity_type, entity_id,
        changed_columns, old_values, new_values, request_id, action_context,
        impersonation_id, break_glass_id, ip, user_agent
    ) VALUES (
        v_created_at, v_org, v_actor_id, v_actor_type, pg_catalog.lower(TG_OP),
        TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, v_entity, v_changed, v_old, v_new,
        nullif(pg_catalog.current_setting('app.request_id', true), ''),
        nullif(pg_catalog.current_setting('app.action_context', true), ''),
        nullif(pg_catalog.current_setting('app.impersonation_id', true), '')::uuid,
        nullif(pg_catalog.current_setting('app.break_glass_id', true), '')::uuid,
        nullif(pg_catalog.current_setting('app.client_ip', true), '')::inet,
        pg_catalog.left(nullif(pg_catalog.current_setting('app.user_agent', true), ''), 512)
    ) RETURNING id INTO v_audit_id;

    v_provenance := nullif(pg_catalog.current_setting('app.ai_provenance', true), '')::jsonb;
    IF v_provenance IS NOT NULL THEN
        INSERT INTO audit.audit_ai_provenance (
            audit_log_id, audit_log_created_at, organization_id, model, prompt_hash, tool_calls,
            confidence, details
        ) VALUES (
            v_audit_id, v_created_at, v_org, v_provenance ->> 'model', v_provenance ->> 'prompt_hash',
            coalesce(v_provenance -> 'tool_calls', '[]'::jsonb), (v_provenance ->> 'confidence')::numeric,
            v_provenance - ARRAY['model', 'prompt_hash', 'tool_calls', 'confidence']
        );
    END IF;
    RETURN NULL;
END;
$$;

ALTER FUNCTION "audit"."log_change"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "log_change"(); Type: COMMENT; Schema: audit; Owner: restartix_owner
--

COMMENT ON FUNCTION "audit"."log_change"() IS 'AFTER ROW trigger writing one audit row per mutation (sensitive values masked); attach with audit.track().';

--
-- Name: refuse_change(); Type: FUNCTION; Schema: audit; Owner: restartix_owner
--

CREATE FUNCTION "audit"."refuse_change"() RETURNS "trigger"
    LANGUAGE "plpgsql"
    SET "search_path" TO ''
    AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % on %.% is refused', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

ALTER FUNCTION "audit"."refuse_change"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "refuse_change"(); Type: COMMENT; Schema: audit; Owner: restartix_owner
--

COMMENT ON FUNCTION "audit"."refuse_change"() IS 'Raises for any UPDATE, DELETE or TRUNCATE of audit rows, whoever runs it.';

--
-- Name: retire_month("date"); Type: FUNCTION; Schema: audit; Owner: restartix_owner
--

CREATE FUNCTION "audit"."retire_month"("p_month" "date") RETURNS "void"
    LANGUAGE "plpgsql"
    SET "search_path" TO ''
    AS $$
DECLARE
    v_suffix text := '_p' || pg_catalog.to_char(p_month, 'YYYY_MM');
BEGIN
    IF pg_catalog.date_trunc('month', p_month) >= pg_catalog.date_trunc('month', util.now()) THEN
        RAISE EXCEPTION 'refusing to retire the current or a future month (%)', p_month
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- Provenance first: its foreign key references the audit month being dropped.
    EXECUTE pg_catalog.format('DROP TABLE IF EXISTS audit.%I', 'audit_ai_provenance' || v_suffix);
    EXECUTE pg_catalog.format('DROP TABLE IF EXISTS audit.%I', 'audit_log' || v_suffix);
END;
$$;

ALTER FUNCTION "audit"."retire_month"("p_month" "date") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "retire_month"("p_month" "date"); Type: COMMENT; Schema: audit; Owner: restartix_owner
--

COMMENT ON FUNCTION "audit"."retire_month"("p_month" "date") IS 'Drops one past month of both audit tables together, after it has been archived (owner only).';

--
-- Name: track("regclass", "text", "text"[]); Type: FUNCTION; Schema: audit; Owner: restartix_owner
--

CREATE FUNCTION "audit"."track"("p_table" "regclass", "p_org_column" "text" DEFAULT 'organization_id'::"text", "p_quiet" "text"[] DEFAULT '{}'::"text"[]) RETURNS "void"
    LANGUAGE "plpgsql"
    SET "search_path" TO ''
    AS $$
DECLARE
    v_schema text;
    v_name text;
    v_config jsonb;
BEGIN
    SELECT n.nspname, c.relname INTO v_schema, v_name
    FROM pg_catalog.pg_class AS c INNER JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
    WHERE c.oid = p_table;

    v_config := pg_catalog.jsonb_build_object(
        'org', CASE WHEN EXISTS (
            SELECT 1 FROM pg_catalog.pg_attribute AS a
            WHERE a.attrelid = p_table AND a.attname = p_org_column AND NOT a.attisdropped
        ) THEN p_org_column END,
        'key', (
            SELECT pg_catalog.jsonb_agg(a.attname ORDER BY k.ord)
            FROM pg_catalog.pg_index AS i
            CROSS JOIN LATERAL pg_catalog.unnest(i.indkey) WITH ORDINALITY AS k (attnum, ord)
            INNER JOIN pg_catalog.pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
            WHERE i.indrelid = p_table AND i.indisprimary
        ),
        -- Values of these classes are never written to the audit log, only the column name.
        'masked', coalesce((
            SELECT pg_catalog.jsonb_agg(cc.column_name ORDER BY cc.column_name)
            FROM util.column_classification AS cc
            WHERE cc.table_schema = v_schema AND cc.table_name = v_name
              AND cc.class IN ('pii_regulated', 'auth_secret')
        ), '[]'::jsonb),
        'quiet', pg_catalog.to_jsonb(p_quiet)
    );
    EXECUTE pg_catalog.format(
        'CREATE OR REPLACE TRIGGER audit_log_changes AFTER INSERT OR UPDATE OR DELETE ON %s '
        'FOR EACH ROW EXECUTE FUNCTION audit.log_change(%L)',
        p_table, v_config::text
    );
END;
$$;

ALTER FUNCTION "audit"."track"("p_table" "regclass", "p_org_column" "text", "p_quiet" "text"[]) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "track"("p_table" "regclass", "p_org_column" "text", "p_quiet" "text"[]); Type: COMMENT; Schema: audit; Owner: restartix_owner
--

COMMENT ON FUNCTION "audit"."track"("p_table" "regclass", "p_org_column" "text", "p_quiet" "text"[]) IS 'Attaches (or refreshes) the audit trigger of a table with its org column, key and masked columns.';

--
-- Name: current_action_context(); Type: FUNCTION; Schema: iam; Owner: restartix_owner
--

CREATE FUNCTION "iam"."current_action_context"() RETURNS "text"
    LANGUAGE "sql" STABLE PARALLEL SAFE
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
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    RETURN (
    SELECT m.organization_id
    FROM tenancy.organization_memberships AS m
    INNER JOIN tenancy.organizations AS o ON o.id = m.organization_id
    WHERE m.organization_id = iam.current_org_id()
      AND m.principal_id = iam.current_principal_id()
      AND m.status = 'active'
      AND o.status = 'active'
      AND o.deleted_at IS NULL
      AND NOT iam.principal_is_blocked(m.principal_id)
    );
END;
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
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    RETURN (
        SELECT pm.role
        FROM iam.platform_memberships AS pm
        WHERE pm.principal_id = iam.current_principal_id()
          AND NOT iam.principal_is_blocked(pm.principal_id)
    );
END;
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
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    RETURN CASE iam.current_platform_role()
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
    END;
END;
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
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    -- An agent acting for a blocked human is blocked too.
    RETURN EXISTS (
    WITH RECURSIVE chain AS (
        SELECT p.id, p.parent_principal_id, 1 AS depth
        FROM iam.principals AS p WHERE p.id = p_principal_id
        UNION ALL
        SELECT p.id, p.parent_principal_id, c.depth + 1
        FROM iam.principals AS p
        INNER JOIN chain AS c ON p.id = c.parent_principal_id
        WHERE c.depth < 8
    )
        SELECT 1 FROM chain AS c
        INNER JOIN iam.humans AS h ON h.principal_id = c.id
        WHERE h.blocked_at IS NOT NULL
    );
END;
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

--
-- Name: audit_ai_provenance; Type: TABLE; Schema: audit; Owner: restartix_owner
--

CREATE TABLE "audit"."audit_ai_provenance" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "audit_log_id" "uuid" NOT NULL,
    "audit_log_created_at" timestamp with time zone NOT NULL,
    "organization_id" "uuid",
    "model" "text" NOT NULL,
    "prompt_hash" "text",
    "tool_calls" "jsonb" DEFAULT '[]'::"jsonb" NOT NULL,
    "confidence" numeric(5,4),
    "details" "jsonb" DEFAULT '{}'::"jsonb" NOT NULL,
    CONSTRAINT "audit_ai_provenance_confidence_range" CHECK ((("confidence" >= (0)::numeric) AND ("confidence" <= (1)::numeric)))
)
PARTITION BY RANGE ("audit_log_created_at");

ALTER TABLE ONLY "audit"."audit_ai_provenance" FORCE ROW LEVEL SECURITY;

ALTER TABLE "audit"."audit_ai_provenance" OWNER TO "restartix_owner";

--
-- Name: TABLE "audit_ai_provenance"; Type: COMMENT; Schema: audit; Owner: restartix_owner
--

COMMENT ON TABLE "audit"."audit_ai_provenance" IS 'How an AI actor reached a mutation (model, prompt hash, tool calls); partitioned with its audit row.';

SET default_table_access_method = "heap";

--
-- Name: audit_log; Type: TABLE; Schema: audit; Owner: restartix_owner
--

CREATE TABLE "audit"."audit_log" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "organization_id" "uuid",
    "actor_id" "uuid" NOT NULL,
    "actor_type" "text" NOT NULL,
    "action" "text" NOT NULL,
    "entity_type" "text" NOT NULL,
    "entity_id" "text",
    "changed_columns" "text"[],
    "old_values" "jsonb",
    "new_values" "jsonb",
    "request_id" "text",
    "action_context" "text",
    "impersonation_id" "uuid",
    "break_glass_id" "uuid",
    "ip" "inet",
    "user_agent" "text",
    CONSTRAINT "audit_log_action_format" CHECK (("action" ~ '^[a-z][a-z0-9_.]{0,62}$'::"text")),
    CONSTRAINT "audit_log_actor_type_valid" CHECK (("actor_type" = ANY (ARRAY['human'::"text", 'agent'::"text", 'service_account'::"text", 'system'::"text"])))
)
PARTITION BY RANGE ("created_at");

ALTER TABLE ONLY "audit"."audit_log" FORCE ROW LEVEL SECURITY;

ALTER TABLE "audit"."audit_log" OWNER TO "restartix_owner";

--
-- Name: TABLE "audit_log"; Type: COMMENT; Schema: audit; Owner: restartix_owner
--

COMMENT ON TABLE "audit"."audit_log" IS 'Every mutation of a tenant or IAM table, one row each; append-only, partitioned by month.';

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
-- Name: column_classification; Type: TABLE; Schema: util; Owner: restartix_owner
--

CREATE TABLE "util"."column_classification" (
    "table_schema" "text" NOT NULL,
    "table_name" "text" NOT NULL,
    "column_name" "text" NOT NULL,
    "class" "text" NOT NULL,
    "egress" "text"[] DEFAULT '{}'::"text"[] NOT NULL,
    CONSTRAINT "column_classification_class_valid" CHECK (("class" = ANY (ARRAY['public'::"text", 'org_internal'::"text", 'pii_basic'::"text", 'pii_regulated'::"text", 'clinical'::"text", 'clinical_sensitive'::"text", 'auth_secret'::"text", 'audit_only'::"text", 'system_metadata'::"text"]))),
    CONSTRAINT "column_classification_egress_valid" CHECK (("egress" <@ ARRAY['bulk_export'::"text", 'analytics_internal'::"text", 'webhook_egress'::"text", 'marketing_email'::"text", 'support_export'::"text", 'ai_processing'::"text"]))
);

ALTER TABLE ONLY "util"."column_classification" FORCE ROW LEVEL SECURITY;

ALTER TABLE "util"."column_classification" OWNER TO "restartix_owner";

--
-- Name: TABLE "column_classification"; Type: COMMENT; Schema: util; Owner: restartix_owner
--

COMMENT ON TABLE "util"."column_classification" IS 'docs/data-classification.md loaded by every migrate: the class and allowed egress of every column.';

--
-- Name: audit_ai_provenance audit_ai_provenance_pkey; Type: CONSTRAINT; Schema: audit; Owner: restartix_owner
--

ALTER TABLE ONLY "audit"."audit_ai_provenance"
    ADD CONSTRAINT "audit_ai_provenance_pkey" PRIMARY KEY ("id", "audit_log_created_at");

--
-- Name: audit_log audit_log_pkey; Type: CONSTRAINT; Schema: audit; Owner: restartix_owner
--

ALTER TABLE ONLY "audit"."audit_log"
    ADD CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id", "created_at");

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
-- Name: column_classification column_classification_pkey; Type: CONSTRAINT; Schema: util; Owner: restartix_owner
--

ALTER TABLE ONLY "util"."column_classification"
    ADD CONSTRAINT "column_classification_pkey" PRIMARY KEY ("table_schema", "table_name", "column_name");

--
-- Name: audit_ai_provenance_audit_idx; Type: INDEX; Schema: audit; Owner: restartix_owner
--

CREATE INDEX "audit_ai_provenance_audit_idx" ON ONLY "audit"."audit_ai_provenance" USING "btree" ("audit_log_id", "audit_log_created_at");

--
-- Name: audit_ai_provenance_org_idx; Type: INDEX; Schema: audit; Owner: restartix_owner
--

CREATE INDEX "audit_ai_provenance_org_idx" ON ONLY "audit"."audit_ai_provenance" USING "btree" ("organization_id", "audit_log_created_at");

--
-- Name: audit_log_actor_idx; Type: INDEX; Schema: audit; Owner: restartix_owner
--

CREATE INDEX "audit_log_actor_idx" ON ONLY "audit"."audit_log" USING "btree" ("actor_id", "created_at" DESC);

--
-- Name: audit_log_entity_idx; Type: INDEX; Schema: audit; Owner: restartix_owner
--

CREATE INDEX "audit_log_entity_idx" ON ONLY "audit"."audit_log" USING "btree" ("entity_type", "entity_id", "created_at" DESC);

--
-- Name: audit_log_org_time_idx; Type: INDEX; Schema: audit; Owner: restartix_owner
--

CREATE INDEX "audit_log_org_time_idx" ON ONLY "audit"."audit_log" USING "btree" ("organization_id", "created_at" DESC);

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
-- Name: audit_ai_provenance audit_ai_provenance_append_only; Type: TRIGGER; Schema: audit; Owner: restartix_owner
--

CREATE TRIGGER "audit_ai_provenance_append_only" BEFORE DELETE OR UPDATE ON "audit"."audit_ai_provenance" FOR EACH ROW EXECUTE FUNCTION "audit"."refuse_change"();

--
-- Name: audit_ai_provenance audit_ai_provenance_no_truncate; Type: TRIGGER; Schema: audit; Owner: restartix_owner
--

CREATE TRIGGER "audit_ai_provenance_no_truncate" BEFORE TRUNCATE ON "audit"."audit_ai_provenance" FOR EACH STATEMENT EXECUTE FUNCTION "audit"."refuse_change"();

--
-- Name: audit_log audit_log_append_only; Type: TRIGGER; Schema: audit; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_append_only" BEFORE DELETE OR UPDATE ON "audit"."audit_log" FOR EACH ROW EXECUTE FUNCTION "audit"."refuse_change"();

--
-- Name: audit_log audit_log_no_truncate; Type: TRIGGER; Schema: audit; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit"."audit_log" FOR EACH STATEMENT EXECUTE FUNCTION "audit"."refuse_change"();

--
-- Name: humans audit_log_changes; Type: TRIGGER; Schema: iam; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "iam"."humans" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["principal_id"], "org": null, "quiet": ["last_activity_at"], "masked": []}');

--
-- Name: permissions audit_log_changes; Type: TRIGGER; Schema: iam; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "iam"."permissions" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["code"], "org": null, "quiet": [], "masked": []}');

--
-- Name: platform_memberships audit_log_changes; Type: TRIGGER; Schema: iam; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "iam"."platform_memberships" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["principal_id"], "org": null, "quiet": [], "masked": []}');

--
-- Name: principals audit_log_changes; Type: TRIGGER; Schema: iam; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "iam"."principals" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": null, "quiet": [], "masked": []}');

--
-- Name: role_permissions audit_log_changes; Type: TRIGGER; Schema: iam; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "iam"."role_permissions" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["role_id", "permission_code"], "org": null, "quiet": [], "masked": []}');

--
-- Name: roles audit_log_changes; Type: TRIGGER; Schema: iam; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "iam"."roles" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": [], "masked": []}');

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
-- Name: organization_domains audit_log_changes; Type: TRIGGER; Schema: tenancy; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "tenancy"."organization_domains" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: organization_memberships audit_log_changes; Type: TRIGGER; Schema: tenancy; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "tenancy"."organization_memberships" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": ["last_used_at"], "masked": []}');

--
-- Name: organizations audit_log_changes; Type: TRIGGER; Schema: tenancy; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "tenancy"."organizations" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "id", "quiet": [], "masked": []}');

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
-- Name: audit_ai_provenance audit_ai_provenance_audit_row; Type: FK CONSTRAINT; Schema: audit; Owner: restartix_owner
--

ALTER TABLE "audit"."audit_ai_provenance"
    ADD CONSTRAINT "audit_ai_provenance_audit_row" FOREIGN KEY ("audit_log_id", "audit_log_created_at") REFERENCES "audit"."audit_log"("id", "created_at");

--
-- Name: audit_log audit_log_actor_id_fkey; Type: FK CONSTRAINT; Schema: audit; Owner: restartix_owner
--

ALTER TABLE "audit"."audit_log"
    ADD CONSTRAINT "audit_log_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "iam"."principals"("id");

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
-- Name: audit_ai_provenance; Type: ROW SECURITY; Schema: audit; Owner: restartix_owner
--

ALTER TABLE "audit"."audit_ai_provenance" ENABLE ROW LEVEL SECURITY;

--
-- Name: audit_log; Type: ROW SECURITY; Schema: audit; Owner: restartix_owner
--

ALTER TABLE "audit"."audit_log" ENABLE ROW LEVEL SECURITY;

--
-- Name: audit_ai_provenance auditors read their organization's AI provenance; Type: POLICY; Schema: audit; Owner: restartix_owner
--

CREATE POLICY "auditors read their organization's AI provenance" ON "audit"."audit_ai_provenance" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('audit.read'::"text") AS "has_permission")));

--
-- Name: audit_log auditors read their organization's audit log; Type: POLICY; Schema: audit; Owner: restartix_owner
--

CREATE POLICY "auditors read their organization's audit log" ON "audit"."audit_log" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('audit.read'::"text") AS "has_permission")));

--
-- Name: audit_ai_provenance platform admins read all AI provenance; Type: POLICY; Schema: audit; Owner: restartix_owner
--

CREATE POLICY "platform admins read all AI provenance" ON "audit"."audit_ai_provenance" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_admin"() AS "is_platform_admin"));

--
-- Name: audit_log platform admins read every audit row; Type: POLICY; Schema: audit; Owner: restartix_owner
--

CREATE POLICY "platform admins read every audit row" ON "audit"."audit_log" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_admin"() AS "is_platform_admin"));

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
-- Name: column_classification; Type: ROW SECURITY; Schema: util; Owner: restartix_owner
--

ALTER TABLE "util"."column_classification" ENABLE ROW LEVEL SECURITY;

--
-- Name: column_classification everyone reads the classification registry; Type: POLICY; Schema: util; Owner: restartix_owner
--

CREATE POLICY "everyone reads the classification registry" ON "util"."column_classification" FOR SELECT TO "restartix_app", "restartix_system", "restartix_analyst" USING (true);

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
-- Name: FUNCTION "ensure_partitions"("p_ahead" integer, "p_from" timestamp with time zone); Type: ACL; Schema: audit; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "audit"."ensure_partitions"("p_ahead" integer, "p_from" timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION "audit"."ensure_partitions"("p_ahead" integer, "p_from" timestamp with time zone) TO "restartix_system";

--
-- Name: FUNCTION "log_change"(); Type: ACL; Schema: audit; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "audit"."log_change"() FROM PUBLIC;

--
-- Name: FUNCTION "refuse_change"(); Type: ACL; Schema: audit; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "audit"."refuse_change"() FROM PUBLIC;

--
-- Name: FUNCTION "retire_month"("p_month" "date"); Type: ACL; Schema: audit; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "audit"."retire_month"("p_month" "date") FROM PUBLIC;

--
-- Name: FUNCTION "track"("p_table" "regclass", "p_org_column" "text", "p_quiet" "text"[]); Type: ACL; Schema: audit; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "audit"."track"("p_table" "regclass", "p_org_column" "text", "p_quiet" "text"[]) FROM PUBLIC;

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
-- Name: TABLE "audit_ai_provenance"; Type: ACL; Schema: audit; Owner: restartix_owner
--

GRANT SELECT ON TABLE "audit"."audit_ai_provenance" TO "restartix_app";

--
-- Name: TABLE "audit_log"; Type: ACL; Schema: audit; Owner: restartix_owner
--

GRANT SELECT ON TABLE "audit"."audit_log" TO "restartix_app";

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
-- Name: TABLE "column_classification"; Type: ACL; Schema: util; Owner: restartix_owner
--

GRANT SELECT ON TABLE "util"."column_classification" TO "restartix_app";
GRANT SELECT ON TABLE "util"."column_classification" TO "restartix_system";
GRANT SELECT ON TABLE "util"."column_classification" TO "restartix_analyst";

--
-- Name: DEFAULT PRIVILEGES FOR FUNCTIONS; Type: DEFAULT ACL; Schema: -; Owner: restartix_owner
--

ALTER DEFAULT PRIVILEGES FOR ROLE "restartix_owner" REVOKE ALL ON FUNCTIONS  FROM PUBLIC;

--
-- PostgreSQL database dump complete
--
