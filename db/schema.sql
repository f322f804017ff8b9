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
-- Name: appointments; Type: SCHEMA; Schema: -; Owner: restartix_owner
--

CREATE SCHEMA "appointments";

ALTER SCHEMA "appointments" OWNER TO "restartix_owner";

--
-- Name: SCHEMA "appointments"; Type: COMMENT; Schema: -; Owner: restartix_owner
--

COMMENT ON SCHEMA "appointments" IS 'Appointments: booked time of a specialist for a patient.';

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
-- Name: billing; Type: SCHEMA; Schema: -; Owner: restartix_owner
--

CREATE SCHEMA "billing";

ALTER SCHEMA "billing" OWNER TO "restartix_owner";

--
-- Name: SCHEMA "billing"; Type: COMMENT; Schema: -; Owner: restartix_owner
--

COMMENT ON SCHEMA "billing" IS 'Tiers, subscriptions with snapshots, overrides, entitlements and limits.';

--
-- Name: catalog; Type: SCHEMA; Schema: -; Owner: restartix_owner
--

CREATE SCHEMA "catalog";

ALTER SCHEMA "catalog" OWNER TO "restartix_owner";

--
-- Name: SCHEMA "catalog"; Type: COMMENT; Schema: -; Owner: restartix_owner
--

COMMENT ON SCHEMA "catalog" IS 'Services, service plans and their versions, patient enrollments, products.';

--
-- Name: consent; Type: SCHEMA; Schema: -; Owner: restartix_owner
--

CREATE SCHEMA "consent";

ALTER SCHEMA "consent" OWNER TO "restartix_owner";

--
-- Name: SCHEMA "consent"; Type: COMMENT; Schema: -; Owner: restartix_owner
--

COMMENT ON SCHEMA "consent" IS 'Policy documents and the append-only ledger of consents and acknowledgements.';

--
-- Name: crypto; Type: SCHEMA; Schema: -; Owner: restartix_owner
--

CREATE SCHEMA "crypto";

ALTER SCHEMA "crypto" OWNER TO "restartix_owner";

--
-- Name: SCHEMA "crypto"; Type: COMMENT; Schema: -; Owner: restartix_owner
--

COMMENT ON SCHEMA "crypto" IS 'Wrapped per-organization data keys for application-level field encryption.';

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
-- Name: integrations; Type: SCHEMA; Schema: -; Owner: restartix_owner
--

CREATE SCHEMA "integrations";

ALTER SCHEMA "integrations" OWNER TO "restartix_owner";

--
-- Name: SCHEMA "integrations"; Type: COMMENT; Schema: -; Owner: restartix_owner
--

COMMENT ON SCHEMA "integrations" IS 'Platform service providers (Cat A) and clinic-connected integrations (Cat B).';

--
-- Name: metering; Type: SCHEMA; Schema: -; Owner: restartix_owner
--

CREATE SCHEMA "metering";

ALTER SCHEMA "metering" OWNER TO "restartix_owner";

--
-- Name: SCHEMA "metering"; Type: COMMENT; Schema: -; Owner: restartix_owner
--

COMMENT ON SCHEMA "metering" IS 'Usage events, their monthly rollups and the meters that feed billing quotas.';

--
-- Name: people; Type: SCHEMA; Schema: -; Owner: restartix_owner
--

CREATE SCHEMA "people";

ALTER SCHEMA "people" OWNER TO "restartix_owner";

--
-- Name: SCHEMA "people"; Type: COMMENT; Schema: -; Owner: restartix_owner
--

COMMENT ON SCHEMA "people" IS 'Patient profiles, their caregivers, and the patients of each organization.';

--
-- Name: SCHEMA "public"; Type: COMMENT; Schema: -; Owner: pg_database_owner
--

COMMENT ON SCHEMA "public" IS 'standard public schema';

--
-- Name: scheduling; Type: SCHEMA; Schema: -; Owner: restartix_owner
--

CREATE SCHEMA "scheduling";

ALTER SCHEMA "scheduling" OWNER TO "restartix_owner";

--
-- Name: SCHEMA "scheduling"; Type: COMMENT; Schema: -; Owner: restartix_owner
--

COMMENT ON SCHEMA "scheduling" IS 'Weekly hours, overrides, closures, calendars, assignment and availability.';

--
-- Name: storage; Type: SCHEMA; Schema: -; Owner: restartix_owner
--

CREATE SCHEMA "storage";

ALTER SCHEMA "storage" OWNER TO "restartix_owner";

--
-- Name: SCHEMA "storage"; Type: COMMENT; Schema: -; Owner: restartix_owner
--

COMMENT ON SCHEMA "storage" IS 'Files organizations store in S3: keys, types, sizes, checksums and upload state.';

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
-- Name: money; Type: TYPE; Schema: catalog; Owner: restartix_owner
--

CREATE TYPE "catalog"."money" AS (
	"amount" bigint,
	"currency" "text"
);

ALTER TYPE "catalog"."money" OWNER TO "restartix_owner";

--
-- Name: TYPE "money"; Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON TYPE "catalog"."money" IS 'An amount in minor units with its ISO 4217 currency.';

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
    FOR v_month IN SELECT * FROM util.months_ahead(v_first, p_ahead) LOOP
        -- The audit rows first: the provenance partition's foreign key points at them.
        FOREACH v_parent IN ARRAY ARRAY['audit_log', 'audit_ai_provenance'] LOOP
            v_name := util.ensure_month_partition(
                'audit', v_parent, v_month,
                (v_month::timestamp AT TIME ZONE 'UTC')::text,
                ((v_month + INTERVAL '1 month')::timestamp AT TIME ZONE 'UTC')::text
            );
            IF v_name IS NOT NULL THEN
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
-- Name: add_override("text", "uuid", "uuid", "text", "text", boolean, bigint, "text", "uuid", timestamp with time zone); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."add_override"("p_side" "text", "p_org" "uuid", "p_owner" "uuid", "p_entitlement" "text", "p_limit" "text", "p_enabled" boolean, "p_value" bigint, "p_reason" "text", "p_granted_by" "uuid", "p_expires_at" timestamp with time zone) RETURNS "uuid"
    LANGUAGE "plpgsql"
    SET "search_path" TO ''
    AS $_$
-- An organization's override is owned by the organization itself (its owner column is
-- organization_id, set once).
DECLARE
    t record := billing.side_tables(p_side);
    v_columns text := CASE WHEN t.owner_column = 'organization_id' THEN 'organization_id' ELSE 'organization_id, ' || t.owner_column END;
    v_values text := CASE WHEN t.owner_column = 'organization_id' THEN '$1' ELSE '$1, $2' END;
    v_id uuid;
BEGIN
    EXECUTE pg_catalog.format(
        'INSERT INTO %1$s (%2$s, entitlement_code, limit_code, enabled, value, reason, granted_by, expires_at) '
        'VALUES (%3$s, $3, $4, $5, $6, $7, $8, $9) RETURNING id',
        t.overrides, v_columns, v_values
    ) INTO v_id USING p_org, p_owner, p_entitlement, p_limit, p_enabled, p_value, p_reason, p_granted_by, p_expires_at;
    RETURN v_id;
END;
$_$;

ALTER FUNCTION "billing"."add_override"("p_side" "text", "p_org" "uuid", "p_owner" "uuid", "p_entitlement" "text", "p_limit" "text", "p_enabled" boolean, "p_value" bigint, "p_reason" "text", "p_granted_by" "uuid", "p_expires_at" timestamp with time zone) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "add_override"("p_side" "text", "p_org" "uuid", "p_owner" "uuid", "p_entitlement" "text", "p_limit" "text", "p_enabled" boolean, "p_value" bigint, "p_reason" "text", "p_granted_by" "uuid", "p_expires_at" timestamp with time zone); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."add_override"("p_side" "text", "p_org" "uuid", "p_owner" "uuid", "p_entitlement" "text", "p_limit" "text", "p_enabled" boolean, "p_value" bigint, "p_reason" "text", "p_granted_by" "uuid", "p_expires_at" timestamp with time zone) IS 'Internal: records an override of one entitlement or limit of an organization or a patient.';

--
-- Name: attach_addon("uuid", "text"); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."attach_addon"("p_org" "uuid", "p_tier_code" "text") RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    PERFORM billing.require_platform_admin();
    IF (SELECT t.kind FROM billing.tiers AS t WHERE t.code = p_tier_code) IS DISTINCT FROM 'addon' THEN
        RAISE EXCEPTION 'tier_not_addon' USING DETAIL = 'Only add-on tiers can be attached.';
    END IF;
    RETURN billing.subscribe_snapshot(p_org, billing.latest_version(p_tier_code), 'addon');
END;
$$;

ALTER FUNCTION "billing"."attach_addon"("p_org" "uuid", "p_tier_code" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "attach_addon"("p_org" "uuid", "p_tier_code" "text"); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."attach_addon"("p_org" "uuid", "p_tier_code" "text") IS 'Platform admins attach an add-on (its limits add to the base tier''s).';

--
-- Name: change_tier("uuid", "text"); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."change_tier"("p_org" "uuid", "p_tier_code" "text") RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_version uuid := billing.latest_version(p_tier_code);
    v_current uuid;
BEGIN
    PERFORM billing.require_platform_admin();
    IF (SELECT t.kind FROM billing.tiers AS t WHERE t.code = p_tier_code) <> 'base' THEN
        RAISE EXCEPTION 'tier_not_base' USING DETAIL = 'An add-on cannot be an organization''s base tier.';
    END IF;
    SELECT s.id INTO v_current FROM billing.organization_subscriptions AS s
    WHERE s.organization_id = p_org AND s.kind = 'base' AND s.status = 'active' FOR UPDATE;
    IF v_current IS NOT NULL THEN
        PERFORM billing.end_subscription(v_current);
    END IF;
    RETURN billing.subscribe_snapshot(p_org, v_version, 'base');
END;
$$;

ALTER FUNCTION "billing"."change_tier"("p_org" "uuid", "p_tier_code" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "change_tier"("p_org" "uuid", "p_tier_code" "text"); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."change_tier"("p_org" "uuid", "p_tier_code" "text") IS 'Platform admins move an organization to the newest version of another base tier.';

--
-- Name: effective_entitlements("uuid"); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."effective_entitlements"("p_org" "uuid") RETURNS TABLE("code" "text", "enabled" boolean, "source" "text")
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    PERFORM billing.require_org_reader(p_org);
    RETURN QUERY
    SELECT v.code, v.enabled, v.source FROM billing.entitlement_values('organization', p_org) AS v
    UNION ALL
    SELECT e.code, coalesce(oe.enabled, e.default_enabled),
           CASE WHEN oe.organization_id IS NULL THEN 'default' ELSE 'organization' END
    FROM billing.entitlements AS e
    LEFT JOIN billing.organization_entitlements AS oe
        ON oe.organization_id = p_org AND oe.entitlement_code = e.code
    WHERE e.scope = 'org'
    ORDER BY 1;
END;
$$;

ALTER FUNCTION "billing"."effective_entitlements"("p_org" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "effective_entitlements"("p_org" "uuid"); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."effective_entitlements"("p_org" "uuid") IS 'Every tier and org entitlement of an organization with its value and where it came from.';

--
-- Name: effective_limit("uuid", "text"); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."effective_limit"("p_org" "uuid", "p_code" "text") RETURNS TABLE("value" bigint, "source" "text")
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- NULL value: unlimited. A live override replaces the snapshot; add-ons add to the base.
BEGIN
    PERFORM billing.require_org_reader(p_org);
    RETURN QUERY SELECT l.value, l.source FROM billing.limit_value('organization', p_org, p_code) AS l;
END;
$$;

ALTER FUNCTION "billing"."effective_limit"("p_org" "uuid", "p_code" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "effective_limit"("p_org" "uuid", "p_code" "text"); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."effective_limit"("p_org" "uuid", "p_code" "text") IS 'An organization''s limit (NULL: unlimited) and its source: override, subscription(+addon) or none.';

--
-- Name: end_override("text", "uuid", "uuid"); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."end_override"("p_side" "text", "p_override" "uuid", "p_owner" "uuid") RETURNS "uuid"
    LANGUAGE "plpgsql"
    SET "search_path" TO ''
    AS $_$
-- Revokes an unrevoked override (of this owner, when one is named); its organization, or NULL.
DECLARE
    t record := billing.side_tables(p_side);
    v_org uuid;
BEGIN
    EXECUTE pg_catalog.format(
        'UPDATE %1$s SET revoked_at = util.now() WHERE id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR %2$I = $2) '
        'RETURNING organization_id',
        t.overrides, t.owner_column
    ) INTO v_org USING p_override, p_owner;
    RETURN v_org;
END;
$_$;

ALTER FUNCTION "billing"."end_override"("p_side" "text", "p_override" "uuid", "p_owner" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "end_override"("p_side" "text", "p_override" "uuid", "p_owner" "uuid"); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."end_override"("p_side" "text", "p_override" "uuid", "p_owner" "uuid") IS 'Internal: revokes an override of an organization or a patient; its organization, or NULL when none was live.';

--
-- Name: end_subscription("uuid"); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."end_subscription"("p_subscription" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_org uuid;
BEGIN
    PERFORM billing.require_platform_admin();
    UPDATE billing.organization_subscriptions SET status = 'ended', ended_at = util.now()
    WHERE id = p_subscription AND status = 'active'
    RETURNING organization_id INTO v_org;
    IF v_org IS NULL THEN
        RAISE EXCEPTION 'subscription_not_found' USING DETAIL = 'No active subscription with this id.';
    END IF;
    PERFORM events.publish_for(v_org, 'subscription.ended', pg_catalog.jsonb_build_object('subscription_id', p_subscription));
END;
$$;

ALTER FUNCTION "billing"."end_subscription"("p_subscription" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "end_subscription"("p_subscription" "uuid"); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."end_subscription"("p_subscription" "uuid") IS 'Ends an active subscription (its snapshot stays for history).';

--
-- Name: enforce_limit("text", bigint); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."enforce_limit"("p_code" "text", "p_delta" bigint DEFAULT 1) RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_org uuid := iam.current_org_id();
BEGIN
    IF v_org IS NULL THEN
        RAISE EXCEPTION 'organization_not_found' USING DETAIL = 'No organization in scope.';
    END IF;
    -- Only those who may read the organization's limits learn them from a refusal.
    PERFORM billing.require_org_reader(v_org);
    PERFORM billing.enforce_limit_for(v_org, p_code, p_delta);
END;
$$;

ALTER FUNCTION "billing"."enforce_limit"("p_code" "text", "p_delta" bigint) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "enforce_limit"("p_code" "text", "p_delta" bigint); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."enforce_limit"("p_code" "text", "p_delta" bigint) IS 'Raises limit_exceeded (details in HINT as JSON) unless usage + delta fits the current organization''s limit.';

--
-- Name: enforce_limit_for("uuid", "text", bigint); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."enforce_limit_for"("p_org" "uuid", "p_code" "text", "p_delta" bigint) RETURNS "void"
    LANGUAGE "plpgsql"
    SET "search_path" TO ''
    AS $$
-- Serialized per organization and limit with a transaction lock, so two concurrent writes
-- cannot both pass a limit of one: the second counts after the first has committed.
DECLARE
    v_limit bigint;
    v_source text;
    v_usage bigint;
BEGIN
    PERFORM billing.lock_limit(p_org, p_code);
    SELECT l.value, l.source INTO v_limit, v_source FROM billing.limit_value('organization', p_org, p_code) AS l;
    IF v_limit IS NULL AND v_source <> 'none' THEN
        RETURN;
    END IF;
    v_usage := billing.usage_of(p_org, p_code);
    IF v_usage + p_delta > coalesce(v_limit, 0) THEN
        RAISE EXCEPTION 'limit_exceeded'
            USING DETAIL = pg_catalog.format('The %s limit of %s is reached (in use: %s).', p_code, coalesce(v_limit, 0), v_usage),
                  HINT = pg_catalog.jsonb_build_object('kind', 'limit', 'limit_code', p_code, 'limit', coalesce(v_limit, 0),
                                                       'usage', v_usage, 'requested', p_delta, 'source', v_source)::text;
    END IF;
END;
$$;

ALTER FUNCTION "billing"."enforce_limit_for"("p_org" "uuid", "p_code" "text", "p_delta" bigint) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "enforce_limit_for"("p_org" "uuid", "p_code" "text", "p_delta" bigint); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."enforce_limit_for"("p_org" "uuid", "p_code" "text", "p_delta" bigint) IS 'Internal: raises limit_exceeded unless usage + delta fits an organization''s limit (the callers check who acts).';

--
-- Name: entitlement_on("text", "uuid", "text"); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."entitlement_on"("p_side" "text", "p_owner" "uuid", "p_code" "text") RETURNS boolean
    LANGUAGE "sql" STABLE
    AS $$
    -- One entitlement, whatever its scope: a live override wins, else an enabled snapshot row.
    SELECT coalesce(
        (SELECT o.enabled FROM billing.live_overrides(p_side, p_owner) AS o WHERE o.entitlement_code = p_code),
        EXISTS (
            SELECT 1 FROM billing.snapshot_rows(p_side, p_owner) AS se
            WHERE se.entitlement_code = p_code AND se.enabled
        )
    )
$$;

ALTER FUNCTION "billing"."entitlement_on"("p_side" "text", "p_owner" "uuid", "p_code" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "entitlement_on"("p_side" "text", "p_owner" "uuid", "p_code" "text"); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."entitlement_on"("p_side" "text", "p_owner" "uuid", "p_code" "text") IS 'Internal: whether an owner''s subscriptions (or a live override) include an entitlement.';

--
-- Name: entitlement_values("text", "uuid"); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."entitlement_values"("p_side" "text", "p_owner" "uuid") RETURNS TABLE("code" "text", "enabled" boolean, "source" "text")
    LANGUAGE "sql" STABLE
    AS $$
    -- Every entitlement a tier of this side can grant (tier-scoped for organizations,
    -- patient-scoped for patients): a live override wins, else the snapshot, else off.
    WITH snapshot AS (
        SELECT se.entitlement_code AS code, pg_catalog.bool_or(se.enabled) AS enabled,
               CASE WHEN pg_catalog.bool_or(se.enabled AND se.kind = 'addon') AND NOT pg_catalog.bool_or(se.enabled AND se.kind = 'base')
                    THEN 'addon' ELSE 'subscription' END AS source
        FROM billing.snapshot_rows(p_side, p_owner) AS se
        WHERE se.entitlement_code IS NOT NULL
        GROUP BY se.entitlement_code
    ),
    override AS (
        SELECT o.entitlement_code AS code, o.enabled
        FROM billing.live_overrides(p_side, p_owner) AS o
        WHERE o.entitlement_code IS NOT NULL
    )
    SELECT e.code,
           coalesce(ov.enabled, sn.enabled, false),
           CASE WHEN ov.code IS NOT NULL THEN 'override' WHEN sn.code IS NOT NULL THEN sn.source ELSE 'none' END
    FROM billing.entitlements AS e
    LEFT JOIN snapshot AS sn ON sn.code = e.code
    LEFT JOIN override AS ov ON ov.code = e.code
    WHERE e.scope = CASE p_side WHEN 'organization' THEN 'tier' ELSE 'patient' END
$$;

ALTER FUNCTION "billing"."entitlement_values"("p_side" "text", "p_owner" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "entitlement_values"("p_side" "text", "p_owner" "uuid"); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."entitlement_values"("p_side" "text", "p_owner" "uuid") IS 'Internal: each tier (or patient) entitlement of an owner with its value and source: override, subscription, addon or none.';

--
-- Name: grant_override("uuid", "text", "text", boolean, bigint, "text", timestamp with time zone); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."grant_override"("p_org" "uuid", "p_entitlement" "text", "p_limit" "text", "p_enabled" boolean, "p_value" bigint, "p_reason" "text", "p_expires_at" timestamp with time zone DEFAULT NULL::timestamp with time zone) RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_id uuid;
BEGIN
    PERFORM billing.require_platform_admin();
    v_id := billing.add_override('organization', p_org, p_org, p_entitlement, p_limit, p_enabled, p_value, p_reason,
        coalesce(iam.current_principal_id(), '00000000-0000-0000-0000-000000000001'), p_expires_at);
    PERFORM events.publish_for(p_org, 'subscription.override_granted', pg_catalog.jsonb_build_object(
        'override_id', v_id, 'entitlement', p_entitlement, 'limit', p_limit, 'enabled', p_enabled,
        'value', p_value, 'expires_at', p_expires_at));
    RETURN v_id;
END;
$$;

ALTER FUNCTION "billing"."grant_override"("p_org" "uuid", "p_entitlement" "text", "p_limit" "text", "p_enabled" boolean, "p_value" bigint, "p_reason" "text", "p_expires_at" timestamp with time zone) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "grant_override"("p_org" "uuid", "p_entitlement" "text", "p_limit" "text", "p_enabled" boolean, "p_value" bigint, "p_reason" "text", "p_expires_at" timestamp with time zone); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."grant_override"("p_org" "uuid", "p_entitlement" "text", "p_limit" "text", "p_enabled" boolean, "p_value" bigint, "p_reason" "text", "p_expires_at" timestamp with time zone) IS 'Platform admins override one entitlement or limit of an organization, with a reason and optional expiry.';

--
-- Name: has_org_entitlement("text"); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."has_org_entitlement"("p_code" "text") RETURNS boolean
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    RETURN billing.org_entitlement_on(iam.current_org_id(), p_code);
END;
$$;

ALTER FUNCTION "billing"."has_org_entitlement"("p_code" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "has_org_entitlement"("p_code" "text"); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."has_org_entitlement"("p_code" "text") IS 'Whether an org-scoped entitlement is on for the current organization (current_app_has_org_entitlement in the seed).';

--
-- Name: has_tier_entitlement("text"); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."has_tier_entitlement"("p_code" "text") RETURNS boolean
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    RETURN billing.entitlement_on('organization', iam.current_org_id(), p_code);
END;
$$;

ALTER FUNCTION "billing"."has_tier_entitlement"("p_code" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "has_tier_entitlement"("p_code" "text"); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."has_tier_entitlement"("p_code" "text") IS 'Whether the current organization''s subscriptions (or a live override) include a tier entitlement.';

--
-- Name: latest_version("text"); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."latest_version"("p_tier_code" "text") RETURNS "uuid"
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_id uuid;
BEGIN
    SELECT v.id INTO v_id FROM billing.tier_versions AS v
    INNER JOIN billing.tiers AS t ON t.id = v.tier_id
    WHERE t.code = p_tier_code AND t.status = 'active'
    ORDER BY v.version DESC LIMIT 1;
    IF v_id IS NULL THEN
        RAISE EXCEPTION 'tier_not_found' USING DETAIL = 'No active tier with code ' || coalesce(p_tier_code, 'NULL') || '.';
    END IF;
    RETURN v_id;
END;
$$;

ALTER FUNCTION "billing"."latest_version"("p_tier_code" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "latest_version"("p_tier_code" "text"); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."latest_version"("p_tier_code" "text") IS 'The newest version of an active tier.';

--
-- Name: limit_usage("uuid", "text"); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."limit_usage"("p_org" "uuid", "p_code" "text") RETURNS bigint
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    PERFORM billing.require_org_reader(p_org);
    RETURN billing.usage_of(p_org, p_code);
END;
$$;

ALTER FUNCTION "billing"."limit_usage"("p_org" "uuid", "p_code" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "limit_usage"("p_org" "uuid", "p_code" "text"); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."limit_usage"("p_org" "uuid", "p_code" "text") IS 'Current usage of a limit: counted from the data a standing limit governs, or this month''s metered rollup for a quota.';

--
-- Name: limit_value("text", "uuid", "text"); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."limit_value"("p_side" "text", "p_owner" "uuid", "p_code" "text") RETURNS TABLE("value" bigint, "source" "text")
    LANGUAGE "sql" STABLE
    AS $$
    -- NULL value: unlimited. A live override replaces the snapshot; add-ons add to the base;
    -- a limit no subscription sets reads (0, 'none') and each caller says what none means.
    -- One row always: the override's, else the snapshot's aggregate (never empty).
    WITH ov AS (
        SELECT o.value FROM billing.live_overrides(p_side, p_owner) AS o WHERE o.limit_code = p_code
    ),
    sn AS (
        SELECT pg_catalog.count(*) AS n,
               CASE WHEN pg_catalog.bool_or(sl.value IS NULL AND sl.kind = 'base') THEN NULL
                    ELSE coalesce(pg_catalog.sum(sl.value), 0)::bigint END AS value,
               CASE WHEN pg_catalog.bool_or(sl.kind = 'addon') THEN 'subscription+addon' ELSE 'subscription' END AS source
        FROM billing.snapshot_rows(p_side, p_owner) AS sl
        WHERE sl.limit_code = p_code
    )
    SELECT ov.value, 'override'::text FROM ov
    UNION ALL
    SELECT CASE WHEN sn.n > 0 THEN sn.value ELSE 0 END, CASE WHEN sn.n > 0 THEN sn.source ELSE 'none' END
    FROM sn WHERE NOT EXISTS (SELECT 1 FROM ov)
$$;

ALTER FUNCTION "billing"."limit_value"("p_side" "text", "p_owner" "uuid", "p_code" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "limit_value"("p_side" "text", "p_owner" "uuid", "p_code" "text"); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."limit_value"("p_side" "text", "p_owner" "uuid", "p_code" "text") IS 'Internal: an owner''s limit (NULL: unlimited) and its source: override, subscription(+addon) or none.';

--
-- Name: live_overrides("text", "uuid"); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."live_overrides"("p_side" "text", "p_owner" "uuid") RETURNS TABLE("id" "uuid", "entitlement_code" "text", "limit_code" "text", "enabled" boolean, "value" bigint, "expires_at" timestamp with time zone)
    LANGUAGE "sql" STABLE
    AS $$
    -- The newest unrevoked, unexpired override of each entitlement and limit of an owner.
    SELECT DISTINCT ON (o.entitlement_code, o.limit_code)
        o.id, o.entitlement_code, o.limit_code, o.enabled, o.value, o.expires_at
    FROM (
        SELECT oo.id, oo.entitlement_code, oo.limit_code, oo.enabled, oo.value, oo.expires_at, oo.created_at
        FROM billing.organization_subscription_overrides AS oo
        WHERE p_side = 'organization' AND oo.organization_id = p_owner AND oo.revoked_at IS NULL
        UNION ALL
        SELECT po.id, po.entitlement_code, po.limit_code, po.enabled, po.value, po.expires_at, po.created_at
        FROM people.patient_subscription_overrides AS po
        WHERE p_side = 'patient' AND po.patient_id = p_owner AND po.revoked_at IS NULL
    ) AS o
    WHERE o.expires_at IS NULL OR o.expires_at > util.now()
    ORDER BY o.entitlement_code, o.limit_code, o.created_at DESC
$$;

ALTER FUNCTION "billing"."live_overrides"("p_side" "text", "p_owner" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "live_overrides"("p_side" "text", "p_owner" "uuid"); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."live_overrides"("p_side" "text", "p_owner" "uuid") IS 'Internal: the newest live override of each entitlement and limit of an organization or a patient.';

--
-- Name: lock_limit("uuid", "text"); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."lock_limit"("p_org" "uuid", "p_code" "text") RETURNS "void"
    LANGUAGE "plpgsql"
    SET "search_path" TO ''
    AS $$
BEGIN
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(p_org::text || '/' || p_code, 0));
END;
$$;

ALTER FUNCTION "billing"."lock_limit"("p_org" "uuid", "p_code" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "lock_limit"("p_org" "uuid", "p_code" "text"); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."lock_limit"("p_org" "uuid", "p_code" "text") IS 'Transaction lock serializing the checks and writes of one organization''s limit (enforce_limit, metering.record_usage).';

--
-- Name: migrate_subscription("uuid"); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."migrate_subscription"("p_subscription" "uuid") RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- Deliberately moves one subscription to its tier's newest version (a new snapshot).
DECLARE
    v_sub billing.organization_subscriptions;
    v_tier_code text;
    v_latest uuid;
BEGIN
    PERFORM billing.require_platform_admin();
    SELECT * INTO v_sub FROM billing.organization_subscriptions WHERE id = p_subscription AND status = 'active' FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'subscription_not_found' USING DETAIL = 'No active subscription with this id.';
    END IF;
    SELECT t.code INTO v_tier_code FROM billing.tier_versions AS v JOIN billing.tiers AS t ON t.id = v.tier_id
    WHERE v.id = v_sub.tier_version_id;
    v_latest := billing.latest_version(v_tier_code);
    IF v_latest = v_sub.tier_version_id THEN
        RETURN v_sub.id;
    END IF;
    PERFORM billing.end_subscription(v_sub.id);
    RETURN billing.subscribe_snapshot(v_sub.organization_id, v_latest, v_sub.kind);
END;
$$;

ALTER FUNCTION "billing"."migrate_subscription"("p_subscription" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "migrate_subscription"("p_subscription" "uuid"); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."migrate_subscription"("p_subscription" "uuid") IS 'Platform admins move a subscription to the newest version of its tier (a fresh snapshot).';

--
-- Name: org_entitlement_on("uuid", "text"); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."org_entitlement_on"("p_org" "uuid", "p_code" "text") RETURNS boolean
    LANGUAGE "sql" STABLE
    AS $$
    -- No SET clause, so that it inlines; every name is schema-qualified.
    SELECT coalesce((
        SELECT coalesce(oe.enabled, e.default_enabled)
        FROM billing.entitlements AS e
        LEFT JOIN billing.organization_entitlements AS oe
            ON oe.organization_id = p_org AND oe.entitlement_code = e.code
        WHERE e.code = p_code AND e.scope = 'org'
    ), false)
$$;

ALTER FUNCTION "billing"."org_entitlement_on"("p_org" "uuid", "p_code" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "org_entitlement_on"("p_org" "uuid", "p_code" "text"); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."org_entitlement_on"("p_org" "uuid", "p_code" "text") IS 'Internal: whether an org-scoped entitlement is on for an organization (the caller checks who asks).';

--
-- Name: provision_organization(); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."provision_organization"() RETURNS "trigger"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
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

ALTER FUNCTION "billing"."provision_organization"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "provision_organization"(); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."provision_organization"() IS 'AFTER INSERT on organizations: settings, billing, org entitlements, Free subscription, default patient tier.';

--
-- Name: publish_tier_version("text", "jsonb", "jsonb", integer); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."publish_tier_version"("p_tier_code" "text", "p_entitlements" "jsonb", "p_limits" "jsonb", "p_monthly_price_cents" integer DEFAULT NULL::integer) RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- A catalog edit is a new version; existing subscriptions keep their snapshots.
DECLARE
    v_tier billing.tiers;
    v_prev billing.tier_versions;
    v_new uuid;
BEGIN
    PERFORM billing.require_platform_admin();
    SELECT * INTO v_tier FROM billing.tiers WHERE code = p_tier_code;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'tier_not_found' USING DETAIL = 'No tier with code ' || coalesce(p_tier_code, 'NULL') || '.';
    END IF;
    IF pg_catalog.jsonb_typeof(p_entitlements) <> 'object' OR pg_catalog.jsonb_typeof(p_limits) <> 'object' THEN
        RAISE EXCEPTION 'invalid_catalog' USING DETAIL = 'Entitlements and limits are JSON objects keyed by code.';
    END IF;
    SELECT * INTO v_prev FROM billing.tier_versions WHERE tier_id = v_tier.id ORDER BY version DESC LIMIT 1 FOR UPDATE;
    INSERT INTO billing.tier_versions (tier_id, version, monthly_price_cents, currency, published_by)
    VALUES (v_tier.id, coalesce(v_prev.version, 0) + 1, coalesce(p_monthly_price_cents, v_prev.monthly_price_cents, 0),
            coalesce(v_prev.currency, 'EUR'), iam.current_principal_id())
    RETURNING id INTO v_new;
    INSERT INTO billing.tier_entitlements (tier_version_id, entitlement_code, enabled)
    SELECT v_new, e.key, (e.value)::text::boolean FROM pg_catalog.jsonb_each(p_entitlements) AS e;
    INSERT INTO billing.tier_limits (tier_version_id, limit_code, value)
    SELECT v_new, l.key, CASE WHEN l.value = 'null'::jsonb THEN NULL ELSE (l.value)::text::bigint END
    FROM pg_catalog.jsonb_each(p_limits) AS l;
    RETURN v_new;
END;
$$;

ALTER FUNCTION "billing"."publish_tier_version"("p_tier_code" "text", "p_entitlements" "jsonb", "p_limits" "jsonb", "p_monthly_price_cents" integer) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "publish_tier_version"("p_tier_code" "text", "p_entitlements" "jsonb", "p_limits" "jsonb", "p_monthly_price_cents" integer); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."publish_tier_version"("p_tier_code" "text", "p_entitlements" "jsonb", "p_limits" "jsonb", "p_monthly_price_cents" integer) IS 'Platform admins publish a new version of a tier; live snapshots are untouched.';

--
-- Name: require_org_reader("uuid"); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."require_org_reader"("p_org" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    -- Plans, limits and usage are the organization's business: its members and platform
    -- staff ask, and the trusted system side.
    IF util.called_from_request_pool()
       AND iam.current_member_org_id() IS DISTINCT FROM p_org
       AND NOT iam.is_platform_staff() THEN
        RAISE EXCEPTION 'permission_denied'
            USING DETAIL = 'Entitlements, limits and usage are read by the organization''s members and platform staff.',
                  ERRCODE = 'insufficient_privilege';
    END IF;
END;
$$;

ALTER FUNCTION "billing"."require_org_reader"("p_org" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "require_org_reader"("p_org" "uuid"); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."require_org_reader"("p_org" "uuid") IS 'Raises 42501 unless the caller may read this organization''s entitlements, limits and usage.';

--
-- Name: require_platform_admin(); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."require_platform_admin"() RETURNS "void"
    LANGUAGE "plpgsql" STABLE
    SET "search_path" TO ''
    AS $$
BEGIN
    -- The runtime roles need a platform admin; migrations and operators (other roles) do not.
    IF NOT iam.is_platform_admin() AND (
        session_user IN ('restartix_app', 'restartix_system', 'restartix_analyst')
        OR pg_catalog.current_setting('role') IN ('restartix_app', 'restartix_system', 'restartix_analyst')
    ) THEN
        RAISE EXCEPTION 'permission_denied' USING DETAIL = 'Only platform administrators manage tiers and subscriptions.',
            ERRCODE = 'insufficient_privilege';
    END IF;
END;
$$;

ALTER FUNCTION "billing"."require_platform_admin"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "require_platform_admin"(); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."require_platform_admin"() IS 'Raises 42501 when a runtime role acts without a platform admin (migrations and operators pass).';

--
-- Name: revoke_override("uuid"); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."revoke_override"("p_override" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_org uuid;
BEGIN
    PERFORM billing.require_platform_admin();
    v_org := billing.end_override('organization', p_override, NULL);
    IF v_org IS NULL THEN
        RAISE EXCEPTION 'override_not_found' USING DETAIL = 'No active override with this id.';
    END IF;
    PERFORM events.publish_for(v_org, 'subscription.override_revoked', pg_catalog.jsonb_build_object('override_id', p_override));
END;
$$;

ALTER FUNCTION "billing"."revoke_override"("p_override" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "revoke_override"("p_override" "uuid"); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."revoke_override"("p_override" "uuid") IS 'Platform admins revoke an override before its expiry.';

--
-- Name: save_patient_tier("uuid", "text", "text", "text", "jsonb", "jsonb", boolean); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."save_patient_tier"("p_tier" "uuid", "p_code" "text", "p_name" "text", "p_description" "text", "p_entitlements" "jsonb", "p_limits" "jsonb", "p_is_default" boolean DEFAULT NULL::boolean) RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- p_tier NULL creates a tier; otherwise edits it. New perks or limits publish a new version.
DECLARE
    v_org uuid := iam.current_org_id();
    v_id uuid := p_tier;
    v_version integer;
    v_version_id uuid;
    v_bad text;
BEGIN
    PERFORM iam.require_permission('patient_tiers.manage');
    SELECT pg_catalog.string_agg(k, ', ') INTO v_bad FROM pg_catalog.jsonb_object_keys(coalesce(p_entitlements, '{}')) AS k
    WHERE NOT EXISTS (SELECT 1 FROM billing.entitlements AS e WHERE e.code = k AND e.scope = 'patient');
    IF v_bad IS NOT NULL THEN
        RAISE EXCEPTION 'unknown_entitlement' USING DETAIL = 'Not patient entitlements: ' || v_bad;
    END IF;
    SELECT pg_catalog.string_agg(k, ', ') INTO v_bad FROM pg_catalog.jsonb_object_keys(coalesce(p_limits, '{}')) AS k
    WHERE NOT EXISTS (SELECT 1 FROM billing.limit_definitions AS l WHERE l.code = k);
    IF v_bad IS NOT NULL THEN
        RAISE EXCEPTION 'unknown_limit' USING DETAIL = 'Unknown limits: ' || v_bad;
    END IF;
    IF v_id IS NULL THEN
        INSERT INTO billing.patient_tiers (organization_id, code, name, description)
        VALUES (v_org, p_code, pg_catalog.btrim(p_name), coalesce(p_description, ''))
        RETURNING id INTO v_id;
    ELSE
        UPDATE billing.patient_tiers SET name = coalesce(pg_catalog.btrim(p_name), name),
                                         description = coalesce(p_description, description)
        WHERE id = v_id AND organization_id = v_org;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'not_found' USING DETAIL = 'No such patient tier in this organization.';
        END IF;
    END IF;
    IF p_is_default THEN
        UPDATE billing.patient_tiers SET is_default = false WHERE organization_id = v_org AND is_default AND id <> v_id;
        UPDATE billing.patient_tiers SET is_default = true WHERE id = v_id;
    END IF;
    IF p_tier IS NULL OR p_entitlements IS NOT NULL OR p_limits IS NOT NULL THEN
        SELECT coalesce(pg_catalog.max(v.version), 0) + 1 INTO v_version
        FROM billing.patient_tier_versions AS v WHERE v.patient_tier_id = v_id;
        INSERT INTO billing.patient_tier_versions (patient_tier_id, organization_id, version, published_by)
        VALUES (v_id, v_org, v_version, iam.current_principal_id()) RETURNING id INTO v_version_id;
        INSERT INTO billing.patient_tier_entitlements (patient_tier_version_id, organization_id, entitlement_code, enabled)
        SELECT v_version_id, v_org, e.key, (e.value)::text::boolean FROM pg_catalog.jsonb_each(coalesce(p_entitlements, '{}')) AS e;
        INSERT INTO billing.patient_tier_limits (patient_tier_version_id, organization_id, limit_code, value)
        SELECT v_version_id, v_org, l.key, CASE WHEN l.value = 'null'::jsonb THEN NULL ELSE (l.value)::text::bigint END
        FROM pg_catalog.jsonb_each(coalesce(p_limits, '{}')) AS l;
    END IF;
    PERFORM events.publish('patient_tier.saved', pg_catalog.jsonb_build_object(
        'patient_tier_id', v_id, 'version', v_version));
    RETURN v_id;
END;
$$;

ALTER FUNCTION "billing"."save_patient_tier"("p_tier" "uuid", "p_code" "text", "p_name" "text", "p_description" "text", "p_entitlements" "jsonb", "p_limits" "jsonb", "p_is_default" boolean) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "save_patient_tier"("p_tier" "uuid", "p_code" "text", "p_name" "text", "p_description" "text", "p_entitlements" "jsonb", "p_limits" "jsonb", "p_is_default" boolean); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."save_patient_tier"("p_tier" "uuid", "p_code" "text", "p_name" "text", "p_description" "text", "p_entitlements" "jsonb", "p_limits" "jsonb", "p_is_default" boolean) IS 'Create or edit a patient tier of the current organization; perks and limits publish a new version.';

--
-- Name: set_org_entitlement("uuid", "text", boolean, "text"); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."set_org_entitlement"("p_org" "uuid", "p_code" "text", "p_enabled" boolean, "p_reason" "text") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    PERFORM billing.require_platform_admin();
    IF NOT EXISTS (SELECT 1 FROM billing.entitlements WHERE code = p_code AND scope = 'org') THEN
        RAISE EXCEPTION 'entitlement_not_found' USING DETAIL = 'No org-scoped entitlement with code ' || coalesce(p_code, 'NULL') || '.';
    END IF;
    -- Carried into the audit row of this write.
    PERFORM pg_catalog.set_config('app.action_context', 'org_entitlement_change', true);
    INSERT INTO billing.organization_entitlements (organization_id, entitlement_code, enabled, reason, updated_by)
    VALUES (p_org, p_code, p_enabled, coalesce(p_reason, ''), iam.current_principal_id())
    ON CONFLICT (organization_id, entitlement_code) DO UPDATE
    SET enabled = EXCLUDED.enabled, reason = EXCLUDED.reason, updated_by = EXCLUDED.updated_by, updated_at = util.now();
    PERFORM events.publish_for(p_org, 'org_entitlement.changed', pg_catalog.jsonb_build_object(
        'entitlement', p_code, 'enabled', p_enabled));
END;
$$;

ALTER FUNCTION "billing"."set_org_entitlement"("p_org" "uuid", "p_code" "text", "p_enabled" boolean, "p_reason" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "set_org_entitlement"("p_org" "uuid", "p_code" "text", "p_enabled" boolean, "p_reason" "text"); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."set_org_entitlement"("p_org" "uuid", "p_code" "text", "p_enabled" boolean, "p_reason" "text") IS 'Platform admins switch an org-scoped entitlement on or off (audited as org_entitlement_change).';

--
-- Name: side_tables("text"); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."side_tables"("p_side" "text", OUT "subscriptions" "text", OUT "snapshot" "text", OUT "overrides" "text", OUT "catalog" "text", OUT "version_column" "text", OUT "owner_column" "text", OUT "kind_column" "text") RETURNS "record"
    LANGUAGE "plpgsql" IMMUTABLE
    SET "search_path" TO ''
    AS $$
-- The only place the two sides differ: which tables and columns. Every statement of the
-- engine is built from these constants, never from input.
BEGIN
    CASE p_side
        WHEN 'organization' THEN
            subscriptions := 'billing.organization_subscriptions';
            snapshot := 'billing.organization_subscription';
            overrides := 'billing.organization_subscription_overrides';
            catalog := 'billing.tier';
            version_column := 'tier_version_id';
            owner_column := 'organization_id';
            kind_column := 's.kind';
        WHEN 'patient' THEN
            subscriptions := 'people.patient_subscriptions';
            snapshot := 'people.patient_subscription';
            overrides := 'people.patient_subscription_overrides';
            catalog := 'billing.patient_tier';
            version_column := 'patient_tier_version_id';
            owner_column := 'patient_id';
            kind_column := '''base''::text';
        ELSE
            RAISE EXCEPTION 'unknown subscription side %', p_side USING ERRCODE = 'invalid_parameter_value';
    END CASE;
END;
$$;

ALTER FUNCTION "billing"."side_tables"("p_side" "text", OUT "subscriptions" "text", OUT "snapshot" "text", OUT "overrides" "text", OUT "catalog" "text", OUT "version_column" "text", OUT "owner_column" "text", OUT "kind_column" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "side_tables"("p_side" "text", OUT "subscriptions" "text", OUT "snapshot" "text", OUT "overrides" "text", OUT "catalog" "text", OUT "version_column" "text", OUT "owner_column" "text", OUT "kind_column" "text"); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."side_tables"("p_side" "text", OUT "subscriptions" "text", OUT "snapshot" "text", OUT "overrides" "text", OUT "catalog" "text", OUT "version_column" "text", OUT "owner_column" "text", OUT "kind_column" "text") IS 'Internal: the tables and columns of a subscription side (organization or patient).';

--
-- Name: snapshot_rows("text", "uuid"); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."snapshot_rows"("p_side" "text", "p_owner" "uuid") RETURNS TABLE("entitlement_code" "text", "enabled" boolean, "limit_code" "text", "value" bigint, "kind" "text")
    LANGUAGE "sql" STABLE
    AS $$
    -- The snapshot rows of an owner's active subscriptions (an entitlement row has a NULL
    -- limit_code and the other way round), with the kind of subscription each came from.
    SELECT x.entitlement_code, x.enabled, NULL::text, NULL::bigint, s.kind
    FROM billing.organization_subscription_entitlements AS x
    INNER JOIN billing.organization_subscriptions AS s ON s.id = x.subscription_id AND s.status = 'active'
    WHERE p_side = 'organization' AND x.organization_id = p_owner
    UNION ALL
    SELECT NULL::text, NULL::boolean, x.limit_code, x.value, s.kind
    FROM billing.organization_subscription_limits AS x
    INNER JOIN billing.organization_subscriptions AS s ON s.id = x.subscription_id AND s.status = 'active'
    WHERE p_side = 'organization' AND x.organization_id = p_owner
    UNION ALL
    SELECT pe.entitlement_code, pe.enabled, NULL::text, NULL::bigint, 'base'::text
    FROM people.patient_subscriptions AS ps
    INNER JOIN people.patient_subscription_entitlements AS pe ON pe.subscription_id = ps.id
    WHERE p_side = 'patient' AND ps.patient_id = p_owner AND ps.status = 'active'
    UNION ALL
    SELECT NULL::text, NULL::boolean, pl.limit_code, pl.value, 'base'::text
    FROM people.patient_subscriptions AS ps
    INNER JOIN people.patient_subscription_limits AS pl ON pl.subscription_id = ps.id
    WHERE p_side = 'patient' AND ps.patient_id = p_owner AND ps.status = 'active'
$$;

ALTER FUNCTION "billing"."snapshot_rows"("p_side" "text", "p_owner" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "snapshot_rows"("p_side" "text", "p_owner" "uuid"); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."snapshot_rows"("p_side" "text", "p_owner" "uuid") IS 'Internal: the snapshotted entitlements and limits of an owner''s active subscriptions, with their kind.';

--
-- Name: snapshot_version("text", "uuid", "uuid", "uuid"); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."snapshot_version"("p_side" "text", "p_subscription" "uuid", "p_org" "uuid", "p_version" "uuid") RETURNS "void"
    LANGUAGE "plpgsql"
    SET "search_path" TO ''
    AS $_$
-- Copies a tier version's entitlements and limits into the subscription's snapshot tables.
DECLARE
    t record := billing.side_tables(p_side);
    v_kind text;
BEGIN
    FOREACH v_kind IN ARRAY ARRAY['entitlements', 'limits'] LOOP
        EXECUTE pg_catalog.format(
            'INSERT INTO %1$s_%2$s (subscription_id, organization_id, %3$s) '
            'SELECT $1, $2, %3$s FROM %4$s_%2$s WHERE %5$I = $3',
            t.snapshot, v_kind,
            CASE v_kind WHEN 'entitlements' THEN 'entitlement_code, enabled' ELSE 'limit_code, value' END,
            t.catalog, t.version_column
        ) USING p_subscription, p_org, p_version;
    END LOOP;
END;
$_$;

ALTER FUNCTION "billing"."snapshot_version"("p_side" "text", "p_subscription" "uuid", "p_org" "uuid", "p_version" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "snapshot_version"("p_side" "text", "p_subscription" "uuid", "p_org" "uuid", "p_version" "uuid"); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."snapshot_version"("p_side" "text", "p_subscription" "uuid", "p_org" "uuid", "p_version" "uuid") IS 'Internal: copies a tier version''s entitlements and limits into a subscription''s snapshot (either side).';

--
-- Name: subscribe_snapshot("uuid", "uuid", "text"); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."subscribe_snapshot"("p_org" "uuid", "p_version" "uuid", "p_kind" "text") RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- The snapshot: the version's entitlements and limits are copied into the subscription.
DECLARE
    v_sub uuid;
BEGIN
    INSERT INTO billing.organization_subscriptions (organization_id, tier_version_id, kind, created_by)
    VALUES (p_org, p_version, p_kind, iam.current_principal_id())
    RETURNING id INTO v_sub;
    PERFORM billing.snapshot_version('organization', v_sub, p_org, p_version);
    IF p_kind = 'base' THEN
        UPDATE billing.organization_billing
        SET current_tier_id = (SELECT v.tier_id FROM billing.tier_versions AS v WHERE v.id = p_version)
        WHERE organization_id = p_org;
    END IF;
    PERFORM events.publish_for(p_org, 'subscription.started', pg_catalog.jsonb_build_object(
        'subscription_id', v_sub, 'kind', p_kind, 'tier_version_id', p_version,
        'tier', (SELECT t.code FROM billing.tier_versions AS v JOIN billing.tiers AS t ON t.id = v.tier_id WHERE v.id = p_version),
        'version', (SELECT v.version FROM billing.tier_versions AS v WHERE v.id = p_version)
    ));
    RETURN v_sub;
END;
$$;

ALTER FUNCTION "billing"."subscribe_snapshot"("p_org" "uuid", "p_version" "uuid", "p_kind" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "subscribe_snapshot"("p_org" "uuid", "p_version" "uuid", "p_kind" "text"); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."subscribe_snapshot"("p_org" "uuid", "p_version" "uuid", "p_kind" "text") IS 'Subscribes an organization to a tier version and snapshots its entitlements and limits.';

--
-- Name: update_billing_profile("text", "text", "text", "text", "text", "bytea", boolean); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."update_billing_profile"("p_legal_name" "text", "p_billing_email" "text", "p_address_line" "text", "p_city" "text", "p_country" "text", "p_tax_id_encrypted" "bytea", "p_set_tax_id" boolean) RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
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

ALTER FUNCTION "billing"."update_billing_profile"("p_legal_name" "text", "p_billing_email" "text", "p_address_line" "text", "p_city" "text", "p_country" "text", "p_tax_id_encrypted" "bytea", "p_set_tax_id" boolean) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "update_billing_profile"("p_legal_name" "text", "p_billing_email" "text", "p_address_line" "text", "p_city" "text", "p_country" "text", "p_tax_id_encrypted" "bytea", "p_set_tax_id" boolean); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."update_billing_profile"("p_legal_name" "text", "p_billing_email" "text", "p_address_line" "text", "p_city" "text", "p_country" "text", "p_tax_id_encrypted" "bytea", "p_set_tax_id" boolean) IS 'Change the billing profile of the current organization (organizations.manage_billing).';

--
-- Name: usage_of("uuid", "text"); Type: FUNCTION; Schema: billing; Owner: restartix_owner
--

CREATE FUNCTION "billing"."usage_of"("p_org" "uuid", "p_code" "text") RETURNS bigint
    LANGUAGE "plpgsql" STABLE
    SET "search_path" TO ''
    AS $$
-- Usage is computed from the data the limit governs, inside the caller's transaction.
DECLARE
    v_usage bigint;
BEGIN
    CASE p_code
        WHEN 'members.max' THEN
            RETURN (SELECT pg_catalog.count(*) FROM tenancy.organization_memberships AS m
                    WHERE m.organization_id = p_org AND m.status IN ('active', 'invited'))
                 + (SELECT pg_catalog.count(*) FROM tenancy.invitations AS i
                    WHERE i.organization_id = p_org AND i.accepted_at IS NULL AND i.revoked_at IS NULL
                      AND i.expires_at > util.now());
        WHEN 'patients.max' THEN
            -- Live patients of the organization (people.patients; soft-deleted ones do not count).
            RETURN (SELECT pg_catalog.count(*) FROM people.patients AS pt
                    WHERE pt.organization_id = p_org AND pt.deleted_at IS NULL);
        WHEN 'specialists.max' THEN
            -- Live specialists of the organization (people.specialists; soft-deleted ones do not count).
            RETURN (SELECT pg_catalog.count(*) FROM people.specialists AS s
                    WHERE s.organization_id = p_org AND s.deleted_at IS NULL);
        WHEN 'services.max' THEN
            -- Live services (catalog.services; soft-deleted ones do not count).
            RETURN (SELECT pg_catalog.count(*) FROM catalog.services AS s
                    WHERE s.organization_id = p_org AND s.deleted_at IS NULL);
        WHEN 'service_plans.max' THEN
            -- Live service plans, whatever their number of versions.
            RETURN (SELECT pg_catalog.count(*) FROM catalog.service_plans AS sp
                    WHERE sp.organization_id = p_org AND sp.deleted_at IS NULL);
        WHEN 'storage.bytes' THEN
            -- Checked files the organization keeps; retired ones stop counting when deleted.
            RETURN (SELECT coalesce(pg_catalog.sum(f.size_bytes), 0)::bigint FROM storage.files AS f
                    WHERE f.organization_id = p_org AND f.status = 'ready' AND f.deleted_at IS NULL);
        ELSE
            -- Per-month quotas: the current month's rollup of the meter that counts against it
            -- (one primary-key read, db/functions/metering/usage.sql); NULL when none does.
            v_usage := metering.limit_period_usage(p_org, p_code);
            IF v_usage IS NULL THEN
                RAISE EXCEPTION 'limit_not_measured' USING DETAIL = 'No usage is measured for limit ' || p_code || ' yet.';
            END IF;
            RETURN v_usage;
    END CASE;
END;
$$;

ALTER FUNCTION "billing"."usage_of"("p_org" "uuid", "p_code" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "usage_of"("p_org" "uuid", "p_code" "text"); Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON FUNCTION "billing"."usage_of"("p_org" "uuid", "p_code" "text") IS 'Internal: current usage of an organization''s limit (the callers check who asks).';

--
-- Name: add_money("catalog"."money", "catalog"."money"); Type: FUNCTION; Schema: catalog; Owner: restartix_owner
--

CREATE FUNCTION "catalog"."add_money"("p_total" "catalog"."money", "p_next" "catalog"."money") RETURNS "catalog"."money"
    LANGUAGE "plpgsql" IMMUTABLE
    SET "search_path" TO ''
    AS $$
-- Amounts of different currencies have no sum: adding them is an error, never a number.
BEGIN
    IF p_next IS NULL OR p_next.amount IS NULL THEN
        RETURN p_total;
    END IF;
    IF p_total IS NULL OR p_total.amount IS NULL THEN
        RETURN p_next;
    END IF;
    IF p_total.currency IS DISTINCT FROM p_next.currency THEN
        RAISE EXCEPTION 'currency_mismatch' USING DETAIL = pg_catalog.format(
            'Amounts in %s and %s cannot be added.', p_total.currency, p_next.currency
        );
    END IF;
    RETURN ROW(p_total.amount + p_next.amount, p_total.currency)::catalog.money;
END;
$$;

ALTER FUNCTION "catalog"."add_money"("p_total" "catalog"."money", "p_next" "catalog"."money") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "add_money"("p_total" "catalog"."money", "p_next" "catalog"."money"); Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON FUNCTION "catalog"."add_money"("p_total" "catalog"."money", "p_next" "catalog"."money") IS 'The sum of two amounts of one currency; raises currency_mismatch for two currencies.';

--
-- Name: check_keys("jsonb", "text"[]); Type: FUNCTION; Schema: catalog; Owner: restartix_owner
--

CREATE FUNCTION "catalog"."check_keys"("p_fields" "jsonb", "p_allowed" "text"[]) RETURNS "text"[]
    LANGUAGE "plpgsql" IMMUTABLE
    SET "search_path" TO ''
    AS $$
-- The keys of a JSON object of fields, sorted; keys outside p_allowed are refused.
DECLARE
    v_keys text [];
BEGIN
    IF pg_catalog.jsonb_typeof(p_fields) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'The fields are a JSON object.';
    END IF;
    SELECT coalesce(pg_catalog.array_agg(k ORDER BY k), '{}') INTO v_keys FROM pg_catalog.jsonb_object_keys(p_fields) AS k;
    IF NOT v_keys <@ p_allowed THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'These fields cannot be set here.';
    END IF;
    RETURN v_keys;
END;
$$;

ALTER FUNCTION "catalog"."check_keys"("p_fields" "jsonb", "p_allowed" "text"[]) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "check_keys"("p_fields" "jsonb", "p_allowed" "text"[]); Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON FUNCTION "catalog"."check_keys"("p_fields" "jsonb", "p_allowed" "text"[]) IS 'Internal: the sorted keys of a fields object; raises invalid_field for keys not allowed.';

--
-- Name: consume_session("uuid", "uuid"); Type: FUNCTION; Schema: catalog; Owner: restartix_owner
--

CREATE FUNCTION "catalog"."consume_session"("p_enrollment" "uuid", "p_appointment" "uuid") RETURNS TABLE("consumption_id" "uuid", "sessions_used" integer, "sessions_remaining" integer, "status" "text", "replayed" boolean)
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- Race-free: the enrollment row is locked before anything is read, so concurrent callers
-- take turns and the count never passes the total (the table's check is the backstop).
-- Idempotent per appointment: a second call for the same appointment answers the first
-- consumption and changes nothing; the ledger's unique key settles a race between two
-- enrollments claiming one appointment.
DECLARE
    v_row catalog.patient_service_plans;
    v_prior catalog.plan_consumptions;
    v_state text;
    v_id uuid;
BEGIN
    PERFORM people.require_member_permission('plans.enroll');
    IF p_appointment IS NULL THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'A consumption names its appointment.';
    END IF;
    v_row := catalog.lock_enrollment(p_enrollment);
    SELECT * INTO v_prior FROM catalog.plan_consumptions AS c
    WHERE c.organization_id = v_row.organization_id AND c.appointment_id = p_appointment;
    IF FOUND THEN
        IF v_prior.patient_service_plan_id <> v_row.id THEN
            RAISE EXCEPTION 'appointment_already_consumed' USING DETAIL = 'This appointment already used a session of another plan.';
        END IF;
        RETURN QUERY SELECT v_prior.id, v_row.sessions_used,
            CASE WHEN v_row.sessions_total IS NULL THEN NULL ELSE v_row.sessions_total - v_row.sessions_used END,
            catalog.enrollment_state(v_row.status, v_row.period_start, v_row.period_end), TRUE;
        RETURN;
    END IF;
    IF v_row.plan_type = 'telerehab_program' THEN
        RAISE EXCEPTION 'plan_has_no_sessions' USING DETAIL = 'A telerehab programme grants access, not sessions.';
    END IF;
    v_state := catalog.enrollment_state(v_row.status, v_row.period_start, v_row.period_end);
    IF v_state = 'revoked' THEN
        RAISE EXCEPTION 'plan_revoked' USING DETAIL = 'This plan was revoked.';
    ELSIF v_state = 'exhausted' THEN
        RAISE EXCEPTION 'plan_exhausted' USING DETAIL = 'Every session of this plan is used.';
    ELSIF v_state = 'expired' THEN
        RAISE EXCEPTION 'plan_expired' USING DETAIL = 'This plan''s period has ended.';
    ELSIF v_state = 'scheduled' THEN
        RAISE EXCEPTION 'plan_not_started' USING DETAIL = 'This plan''s period has not started yet.';
    END IF;
    INSERT INTO catalog.plan_consumptions (organization_id, patient_service_plan_id, appointment_id, consumed_by)
    VALUES (v_row.organization_id, v_row.id, p_appointment, iam.current_principal_id())
    RETURNING id INTO v_id;
    UPDATE catalog.patient_service_plans AS e SET
        sessions_used = e.sessions_used + 1,
        status = CASE WHEN e.sessions_total IS NOT NULL AND e.sessions_used + 1 >= e.sessions_total
            THEN 'exhausted' ELSE e.status END
    WHERE e.id = v_row.id
    RETURNING * INTO v_row;
    PERFORM events.publish('patient_plan.consumed', pg_catalog.jsonb_build_object(
        'patient_service_plan_id', v_row.id, 'patient_id', v_row.patient_id, 'consumption_id', v_id,
        'appointment_id', p_appointment, 'sessions_used', v_row.sessions_used,
        'sessions_remaining', v_row.sessions_total - v_row.sessions_used
    ));
    IF v_row.status = 'exhausted' THEN
        PERFORM events.publish('patient_plan.exhausted', pg_catalog.jsonb_build_object(
            'patient_service_plan_id', v_row.id, 'patient_id', v_row.patient_id, 'sessions_used', v_row.sessions_used
        ));
    END IF;
    RETURN QUERY SELECT v_id, v_row.sessions_used,
        CASE WHEN v_row.sessions_total IS NULL THEN NULL ELSE v_row.sessions_total - v_row.sessions_used END,
        v_row.status, FALSE;
END;
$$;

ALTER FUNCTION "catalog"."consume_session"("p_enrollment" "uuid", "p_appointment" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "consume_session"("p_enrollment" "uuid", "p_appointment" "uuid"); Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON FUNCTION "catalog"."consume_session"("p_enrollment" "uuid", "p_appointment" "uuid") IS 'Use one session of an enrollment for an appointment (plans.enroll): locked, never below zero, idempotent per appointment.';

--
-- Name: create_plan("text", "jsonb", integer); Type: FUNCTION; Schema: catalog; Owner: restartix_owner
--

CREATE FUNCTION "catalog"."create_plan"("p_plan_type" "text", "p_terms" "jsonb", "p_sort_order" integer DEFAULT 0) RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_plan catalog.service_plans;
BEGIN
    PERFORM people.require_member_permission('catalog.manage');
    PERFORM billing.enforce_limit('service_plans.max', 1);
    INSERT INTO catalog.service_plans (organization_id, plan_type, sort_order, created_by)
    VALUES (iam.current_org_id(), p_plan_type, coalesce(p_sort_order, 0), iam.current_principal_id())
    RETURNING * INTO v_plan;
    PERFORM catalog.insert_plan_version(v_plan, 1, p_terms);
    RETURN v_plan.id;
END;
$$;

ALTER FUNCTION "catalog"."create_plan"("p_plan_type" "text", "p_terms" "jsonb", "p_sort_order" integer) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "create_plan"("p_plan_type" "text", "p_terms" "jsonb", "p_sort_order" integer); Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON FUNCTION "catalog"."create_plan"("p_plan_type" "text", "p_terms" "jsonb", "p_sort_order" integer) IS 'Create a service plan and publish its version 1 (catalog.manage); counts against service_plans.max.';

--
-- Name: create_service("jsonb"); Type: FUNCTION; Schema: catalog; Owner: restartix_owner
--

CREATE FUNCTION "catalog"."create_service"("p_fields" "jsonb") RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_id uuid;
BEGIN
    PERFORM people.require_member_permission('catalog.manage');
    PERFORM catalog.check_keys(p_fields, ARRAY[
        'name', 'description', 'translations', 'duration_minutes', 'buffer_before_minutes',
        'buffer_after_minutes', 'price_amount', 'currency', 'modality', 'bookable_online', 'active', 'sort_order'
    ]);
    PERFORM billing.enforce_limit('services.max', 1);
    INSERT INTO catalog.services (
        organization_id, name, description, translations, duration_minutes, buffer_before_minutes,
        buffer_after_minutes, price_amount, currency, modality, bookable_online, active, sort_order, created_by
    ) VALUES (
        iam.current_org_id(),
        pg_catalog.btrim(p_fields ->> 'name'),
        coalesce(p_fields ->> 'description', ''),
        coalesce(p_fields -> 'translations', '{}'),
        (p_fields ->> 'duration_minutes')::integer,
        coalesce((p_fields ->> 'buffer_before_minutes')::integer, 0),
        coalesce((p_fields ->> 'buffer_after_minutes')::integer, 0),
        coalesce((p_fields ->> 'price_amount')::bigint, 0),
        p_fields ->> 'currency',
        coalesce(p_fields ->> 'modality', 'in_clinic'),
        coalesce((p_fields ->> 'bookable_online')::boolean, FALSE),
        coalesce((p_fields ->> 'active')::boolean, TRUE),
        coalesce((p_fields ->> 'sort_order')::integer, 0),
        iam.current_principal_id()
    ) RETURNING id INTO v_id;
    PERFORM events.publish('service.created', pg_catalog.jsonb_build_object(
        'service_id', v_id, 'bookable_online', coalesce((p_fields ->> 'bookable_online')::boolean, FALSE),
        'active', coalesce((p_fields ->> 'active')::boolean, TRUE)
    ));
    RETURN v_id;
END;
$$;

ALTER FUNCTION "catalog"."create_service"("p_fields" "jsonb") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "create_service"("p_fields" "jsonb"); Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON FUNCTION "catalog"."create_service"("p_fields" "jsonb") IS 'Add a service to the organization (catalog.manage); counts against services.max.';

--
-- Name: delete_plan("uuid"); Type: FUNCTION; Schema: catalog; Owner: restartix_owner
--

CREATE FUNCTION "catalog"."delete_plan"("p_id" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- Existing enrollments keep their version and go on being consumed; no new ones start.
DECLARE
    v_plan catalog.service_plans;
    v_at timestamptz := util.now();
BEGIN
    PERFORM people.require_member_permission('catalog.manage');
    v_plan := catalog.lock_plan(p_id);
    UPDATE catalog.service_plans SET deleted_at = v_at WHERE id = v_plan.id;
    PERFORM events.publish('service_plan.deleted', pg_catalog.jsonb_build_object(
        'service_plan_id', v_plan.id, 'deleted_at', v_at
    ));
END;
$$;

ALTER FUNCTION "catalog"."delete_plan"("p_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "delete_plan"("p_id" "uuid"); Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON FUNCTION "catalog"."delete_plan"("p_id" "uuid") IS 'Soft-delete a service plan (catalog.manage); enrollments in it are untouched.';

--
-- Name: delete_product("uuid"); Type: FUNCTION; Schema: catalog; Owner: restartix_owner
--

CREATE FUNCTION "catalog"."delete_product"("p_id" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_product catalog.products;
    v_at timestamptz := util.now();
BEGIN
    PERFORM people.require_member_permission('catalog.manage');
    v_product := catalog.lock_product(p_id);
    UPDATE catalog.products SET deleted_at = v_at WHERE id = v_product.id;
    PERFORM events.publish('product.deleted', pg_catalog.jsonb_build_object(
        'product_id', v_product.id, 'deleted_at', v_at
    ));
END;
$$;

ALTER FUNCTION "catalog"."delete_product"("p_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "delete_product"("p_id" "uuid"); Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON FUNCTION "catalog"."delete_product"("p_id" "uuid") IS 'Soft-delete a product (catalog.manage); plan versions that bundle it keep it.';

--
-- Name: delete_service("uuid"); Type: FUNCTION; Schema: catalog; Owner: restartix_owner
--

CREATE FUNCTION "catalog"."delete_service"("p_id" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- Plan versions that include the service keep it (they are immutable); new enrollments of
-- them still work, the service just no longer appears in listings.
DECLARE
    v_service catalog.services;
    v_at timestamptz := util.now();
BEGIN
    PERFORM people.require_member_permission('catalog.manage');
    v_service := catalog.lock_service(p_id);
    UPDATE catalog.services SET deleted_at = v_at WHERE id = v_service.id;
    PERFORM events.publish('service.deleted', pg_catalog.jsonb_build_object(
        'service_id', v_service.id, 'deleted_at', v_at
    ));
END;
$$;

ALTER FUNCTION "catalog"."delete_service"("p_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "delete_service"("p_id" "uuid"); Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON FUNCTION "catalog"."delete_service"("p_id" "uuid") IS 'Soft-delete a service (catalog.manage).';

--
-- Name: enroll_patient("uuid", "uuid", timestamp with time zone); Type: FUNCTION; Schema: catalog; Owner: restartix_owner
--

CREATE FUNCTION "catalog"."enroll_patient"("p_patient" "uuid", "p_plan" "uuid", "p_starts_at" timestamp with time zone DEFAULT NULL::timestamp with time zone) RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- Snapshots the plan's current version: sessions, assignments, price and period, so a later
-- version changes nothing for this patient.
DECLARE
    v_org uuid := iam.current_org_id();
    v_plan catalog.service_plans;
    v_version catalog.service_plan_versions;
    v_start timestamptz := coalesce(p_starts_at, util.now());
    v_end timestamptz;
    v_id uuid;
BEGIN
    PERFORM people.require_member_permission('plans.enroll');
    PERFORM 1 FROM people.patients AS pt
    WHERE pt.id = p_patient AND pt.organization_id = v_org AND pt.deleted_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'patient_not_found' USING DETAIL = 'No such patient in this organization.';
    END IF;
    SELECT * INTO v_plan FROM catalog.service_plans AS p
    WHERE p.id = p_plan AND p.organization_id = v_org AND p.deleted_at IS NULL
    FOR SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'service_plan_not_found' USING DETAIL = 'No such service plan in this organization.';
    END IF;
    IF NOT v_plan.active THEN
        RAISE EXCEPTION 'service_plan_inactive' USING DETAIL = 'This plan is not on sale.';
    END IF;
    IF v_start < util.now() - interval '1 year' OR v_start > util.now() + interval '1 year' THEN
        RAISE EXCEPTION 'invalid_period' USING DETAIL = 'A plan starts within a year of today.';
    END IF;
    SELECT * INTO v_version FROM catalog.service_plan_versions AS v
    WHERE v.service_plan_id = v_plan.id AND v.version = v_plan.current_version;
    v_end := CASE
        WHEN v_version.period IS NOT NULL THEN v_start + CASE v_version.period
            WHEN 'week' THEN interval '7 days' WHEN 'month' THEN interval '1 month'
            WHEN 'quarter' THEN interval '3 months' ELSE interval '1 year' END
        ELSE v_start + pg_catalog.make_interval(days => v_version.validity_days)
    END;
    INSERT INTO catalog.patient_service_plans (
        organization_id, patient_id, service_plan_id, service_plan_version_id, plan_type, period_start, period_end,
        sessions_total, assignments_total, price_amount, currency, enrolled_by
    ) VALUES (
        v_org, p_patient, v_plan.id, v_version.id, v_plan.plan_type, v_start, v_end,
        coalesce(v_version.sessions_total, v_version.sessions_per_period),
        v_version.treatment_plan_assignments_total, v_version.price_amount, v_version.currency,
        iam.current_principal_id()
    ) RETURNING id INTO v_id;
    PERFORM events.publish('patient_plan.enrolled', pg_catalog.jsonb_build_object(
        'patient_service_plan_id', v_id, 'patient_id', p_patient, 'service_plan_id', v_plan.id,
        'service_plan_version_id', v_version.id, 'plan_type', v_plan.plan_type,
        'period_start', v_start, 'period_end', v_end, 'source_tier_subscription_id', NULL
    ));
    RETURN v_id;
END;
$$;

ALTER FUNCTION "catalog"."enroll_patient"("p_patient" "uuid", "p_plan" "uuid", "p_starts_at" timestamp with time zone) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "enroll_patient"("p_patient" "uuid", "p_plan" "uuid", "p_starts_at" timestamp with time zone); Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON FUNCTION "catalog"."enroll_patient"("p_patient" "uuid", "p_plan" "uuid", "p_starts_at" timestamp with time zone) IS 'Enroll a patient of the organization in a plan''s current version (plans.enroll).';

--
-- Name: enrollment_state("text", timestamp with time zone, timestamp with time zone); Type: FUNCTION; Schema: catalog; Owner: restartix_owner
--

CREATE FUNCTION "catalog"."enrollment_state"("p_status" "text", "p_period_start" timestamp with time zone, "p_period_end" timestamp with time zone) RETURNS "text"
    LANGUAGE "sql" STABLE
    SET "search_path" TO ''
    AS $$
    -- 'expired' is derived at read time from the clock, so it never lags behind a job.
    SELECT CASE
        WHEN p_status = 'active' AND p_period_end <= util.now() THEN 'expired'
        WHEN p_status = 'active' AND p_period_start > util.now() THEN 'scheduled'
        ELSE p_status
    END;
$$;

ALTER FUNCTION "catalog"."enrollment_state"("p_status" "text", "p_period_start" timestamp with time zone, "p_period_end" timestamp with time zone) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "enrollment_state"("p_status" "text", "p_period_start" timestamp with time zone, "p_period_end" timestamp with time zone); Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON FUNCTION "catalog"."enrollment_state"("p_status" "text", "p_period_start" timestamp with time zone, "p_period_end" timestamp with time zone) IS 'An enrollment''s state now: the stored status, or expired (period over) / scheduled (not started).';

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

SET default_table_access_method = "heap";

--
-- Name: service_plans; Type: TABLE; Schema: catalog; Owner: restartix_owner
--

CREATE TABLE "catalog"."service_plans" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "plan_type" "text" NOT NULL,
    "current_version" integer DEFAULT 1 NOT NULL,
    "active" boolean DEFAULT true NOT NULL,
    "sort_order" integer DEFAULT 0 NOT NULL,
    "created_by" "uuid",
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "updated_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "deleted_at" timestamp with time zone,
    CONSTRAINT "service_plans_current_version_positive" CHECK (("current_version" > 0)),
    CONSTRAINT "service_plans_sort_order_valid" CHECK ((("sort_order" >= '-1000000'::integer) AND ("sort_order" <= 1000000))),
    CONSTRAINT "service_plans_type_valid" CHECK (("plan_type" = ANY (ARRAY['session_pack'::"text", 'membership'::"text", 'telerehab_program'::"text"])))
);

ALTER TABLE ONLY "catalog"."service_plans" FORCE ROW LEVEL SECURITY;

ALTER TABLE "catalog"."service_plans" OWNER TO "restartix_owner";

--
-- Name: TABLE "service_plans"; Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON TABLE "catalog"."service_plans" IS 'A plan a clinic sells; its terms live in immutable versions, the newest being current.';

--
-- Name: insert_plan_version("catalog"."service_plans", integer, "jsonb"); Type: FUNCTION; Schema: catalog; Owner: restartix_owner
--

CREATE FUNCTION "catalog"."insert_plan_version"("p_plan" "catalog"."service_plans", "p_version" integer, "p_terms" "jsonb") RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- Writes one version with its services and products. The keys tie services and products to
-- the plan's organization; a live check refuses deleted or foreign ones with a clear code.
DECLARE
    v_id uuid;
    t jsonb := p_terms;
    v_services uuid [];
    v_products jsonb := coalesce(p_terms -> 'products', '[]');
    v_found integer;
BEGIN
    PERFORM catalog.check_keys(t, ARRAY[
        'name', 'description', 'translations', 'price_amount', 'currency', 'validity_days', 'sessions_total',
        'period', 'sessions_per_period', 'renews', 'telerehab_access', 'library_access',
        'treatment_plan_assignments_total', 'service_ids', 'products'
    ]);
    IF pg_catalog.jsonb_typeof(coalesce(t -> 'service_ids', '[]')) <> 'array'
       OR pg_catalog.jsonb_typeof(v_products) <> 'array' THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'service_ids and products are JSON arrays.';
    END IF;
    SELECT coalesce(pg_catalog.array_agg(DISTINCT x::uuid), '{}') INTO v_services
    FROM pg_catalog.jsonb_array_elements_text(coalesce(t -> 'service_ids', '[]')) AS x;
    SELECT pg_catalog.count(*) INTO v_found FROM catalog.services AS s
    WHERE s.id = ANY (v_services) AND s.organization_id = p_plan.organization_id AND s.deleted_at IS NULL;
    IF v_found <> pg_catalog.cardinality(v_services) THEN
        RAISE EXCEPTION 'service_not_found' USING DETAIL = 'A listed service is not a live service of this organization.';
    END IF;
    SELECT pg_catalog.count(*) INTO v_found
    FROM pg_catalog.jsonb_array_elements(v_products) AS p (item)
    INNER JOIN catalog.products AS pr ON pr.id = (p.item ->> 'product_id')::uuid
    WHERE pr.organization_id = p_plan.organization_id AND pr.deleted_at IS NULL;
    IF v_found <> pg_catalog.jsonb_array_length(v_products) THEN
        RAISE EXCEPTION 'product_not_found' USING DETAIL = 'A listed product is not a live product of this organization.';
    END IF;
    INSERT INTO catalog.service_plan_versions (
        organization_id, service_plan_id, plan_type, version, name, description, translations, price_amount,
        currency, validity_days, sessions_total, period, sessions_per_period, renews, telerehab_access,
        library_access, treatment_plan_assignments_total, published_by
    ) VALUES (
        p_plan.organization_id, p_plan.id, p_plan.plan_type, p_version,
        pg_catalog.btrim(t ->> 'name'),
        coalesce(t ->> 'description', ''),
        coalesce(t -> 'translations', '{}'),
        (t ->> 'price_amount')::bigint,
        t ->> 'currency',
        (t ->> 'validity_days')::integer,
        (t ->> 'sessions_total')::integer,
        t ->> 'period',
        (t ->> 'sessions_per_period')::integer,
        coalesce((t ->> 'renews')::boolean, p_plan.plan_type = 'membership'),
        coalesce((t ->> 'telerehab_access')::boolean, FALSE),
        coalesce((t ->> 'library_access')::boolean, FALSE),
        (t ->> 'treatment_plan_assignments_total')::integer,
        iam.current_principal_id()
    ) RETURNING id INTO v_id;
    INSERT INTO catalog.service_plan_services (service_plan_version_id, organization_id, service_id)
    SELECT v_id, p_plan.organization_id, s FROM pg_catalog.unnest(v_services) AS s;
    INSERT INTO catalog.service_plan_products (service_plan_version_id, organization_id, product_id, quantity)
    SELECT v_id, p_plan.organization_id, (p.item ->> 'product_id')::uuid, coalesce((p.item ->> 'quantity')::integer, 1)
    FROM pg_catalog.jsonb_array_elements(v_products) AS p (item);
    -- The products a plan bundles are priced in the plan's currency: summing them checks it.
    PERFORM catalog.sum_money(m.amount) FROM (
        SELECT ROW(0::bigint, t ->> 'currency')::catalog.money AS amount
        UNION ALL
        SELECT ROW(pr.price_amount * spp.quantity, pr.currency)::catalog.money
        FROM catalog.service_plan_products AS spp
        INNER JOIN catalog.products AS pr ON pr.id = spp.product_id
        WHERE spp.service_plan_version_id = v_id
    ) AS m;
    UPDATE catalog.service_plans SET current_version = p_version WHERE id = p_plan.id;
    PERFORM events.publish('service_plan.published', pg_catalog.jsonb_build_object(
        'service_plan_id', p_plan.id, 'service_plan_version_id', v_id, 'version', p_version,
        'plan_type', p_plan.plan_type
    ));
    RETURN v_id;
END;
$$;

ALTER FUNCTION "catalog"."insert_plan_version"("p_plan" "catalog"."service_plans", "p_version" integer, "p_terms" "jsonb") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "insert_plan_version"("p_plan" "catalog"."service_plans", "p_version" integer, "p_terms" "jsonb"); Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON FUNCTION "catalog"."insert_plan_version"("p_plan" "catalog"."service_plans", "p_version" integer, "p_terms" "jsonb") IS 'Internal: writes and publishes one version of a plan; the callers check who may.';

--
-- Name: patient_service_plans; Type: TABLE; Schema: catalog; Owner: restartix_owner
--

CREATE TABLE "catalog"."patient_service_plans" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "patient_id" "uuid" NOT NULL,
    "service_plan_id" "uuid" NOT NULL,
    "service_plan_version_id" "uuid" NOT NULL,
    "plan_type" "text" NOT NULL,
    "status" "text" DEFAULT 'active'::"text" NOT NULL,
    "period_start" timestamp with time zone NOT NULL,
    "period_end" timestamp with time zone NOT NULL,
    "sessions_total" integer,
    "sessions_used" integer DEFAULT 0 NOT NULL,
    "assignments_total" integer,
    "assignments_used" integer DEFAULT 0 NOT NULL,
    "price_amount" bigint NOT NULL,
    "currency" "text" NOT NULL,
    "source_tier_subscription_id" "uuid",
    "enrolled_by" "uuid",
    "revoked_at" timestamp with time zone,
    "revoked_by" "uuid",
    "revoke_reason" "text",
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "updated_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    CONSTRAINT "patient_service_plans_assignments_valid" CHECK ((("assignments_used" >= 0) AND (("assignments_total" IS NULL) OR ("assignments_used" <= "assignments_total")))),
    CONSTRAINT "patient_service_plans_currency_valid" CHECK (("currency" ~ '^[A-Z]{3}$'::"text")),
    CONSTRAINT "patient_service_plans_period_valid" CHECK (("period_end" > "period_start")),
    CONSTRAINT "patient_service_plans_price_valid" CHECK (("price_amount" >= 0)),
    CONSTRAINT "patient_service_plans_revoke_reason_length" CHECK (("length"("revoke_reason") <= 500)),
    CONSTRAINT "patient_service_plans_revoked_when_revoked" CHECK ((("status" = 'revoked'::"text") = ("revoked_at" IS NOT NULL))),
    CONSTRAINT "patient_service_plans_sessions_valid" CHECK ((("sessions_used" >= 0) AND (("sessions_total" IS NULL) OR ("sessions_used" <= "sessions_total")))),
    CONSTRAINT "patient_service_plans_status_valid" CHECK (("status" = ANY (ARRAY['active'::"text", 'exhausted'::"text", 'revoked'::"text"])))
);

ALTER TABLE ONLY "catalog"."patient_service_plans" FORCE ROW LEVEL SECURITY;

ALTER TABLE "catalog"."patient_service_plans" OWNER TO "restartix_owner";

--
-- Name: TABLE "patient_service_plans"; Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON TABLE "catalog"."patient_service_plans" IS 'A patient''s enrollment in a plan version: period, sessions and assignments used; expiry is derived.';

--
-- Name: lock_enrollment("uuid"); Type: FUNCTION; Schema: catalog; Owner: restartix_owner
--

CREATE FUNCTION "catalog"."lock_enrollment"("p_id" "uuid") RETURNS "catalog"."patient_service_plans"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_row catalog.patient_service_plans;
BEGIN
    SELECT * INTO v_row FROM catalog.patient_service_plans AS e
    WHERE e.id = p_id AND e.organization_id = iam.current_org_id()
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'plan_enrollment_not_found' USING DETAIL = 'No such plan enrollment in this organization.';
    END IF;
    RETURN v_row;
END;
$$;

ALTER FUNCTION "catalog"."lock_enrollment"("p_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "lock_enrollment"("p_id" "uuid"); Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON FUNCTION "catalog"."lock_enrollment"("p_id" "uuid") IS 'Internal: locks an enrollment of the current organization, or raises plan_enrollment_not_found.';

--
-- Name: lock_plan("uuid", boolean); Type: FUNCTION; Schema: catalog; Owner: restartix_owner
--

CREATE FUNCTION "catalog"."lock_plan"("p_id" "uuid", "p_deleted" boolean DEFAULT false) RETURNS "catalog"."service_plans"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_plan catalog.service_plans;
BEGIN
    SELECT * INTO v_plan FROM catalog.service_plans AS p
    WHERE p.id = p_id AND p.organization_id = iam.current_org_id()
      AND (p.deleted_at IS NOT NULL) = p_deleted
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'service_plan_not_found' USING DETAIL = 'No such service plan in this organization.';
    END IF;
    RETURN v_plan;
END;
$$;

ALTER FUNCTION "catalog"."lock_plan"("p_id" "uuid", "p_deleted" boolean) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "lock_plan"("p_id" "uuid", "p_deleted" boolean); Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON FUNCTION "catalog"."lock_plan"("p_id" "uuid", "p_deleted" boolean) IS 'Internal: locks a live (or deleted) service plan of the current organization, or raises service_plan_not_found.';

--
-- Name: products; Type: TABLE; Schema: catalog; Owner: restartix_owner
--

CREATE TABLE "catalog"."products" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "name" "text" NOT NULL,
    "description" "text" DEFAULT ''::"text" NOT NULL,
    "sku" "text" NOT NULL,
    "price_amount" bigint DEFAULT 0 NOT NULL,
    "currency" "text" NOT NULL,
    "active" boolean DEFAULT true NOT NULL,
    "created_by" "uuid",
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "updated_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "deleted_at" timestamp with time zone,
    CONSTRAINT "products_currency_valid" CHECK (("currency" ~ '^[A-Z]{3}$'::"text")),
    CONSTRAINT "products_description_length" CHECK (("length"("description") <= 4000)),
    CONSTRAINT "products_name_length" CHECK ((("length"("btrim"("name")) >= 1) AND ("length"("btrim"("name")) <= 200))),
    CONSTRAINT "products_price_valid" CHECK ((("price_amount" >= 0) AND ("price_amount" <= '100000000000'::bigint))),
    CONSTRAINT "products_sku_format" CHECK (("sku" ~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$'::"text"))
);

ALTER TABLE ONLY "catalog"."products" FORCE ROW LEVEL SECURITY;

ALTER TABLE "catalog"."products" OWNER TO "restartix_owner";

--
-- Name: TABLE "products"; Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON TABLE "catalog"."products" IS 'A reference catalog of goods a clinic hands out or sells; no stock or fulfilment.';

--
-- Name: lock_product("uuid", boolean); Type: FUNCTION; Schema: catalog; Owner: restartix_owner
--

CREATE FUNCTION "catalog"."lock_product"("p_id" "uuid", "p_deleted" boolean DEFAULT false) RETURNS "catalog"."products"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_product catalog.products;
BEGIN
    SELECT * INTO v_product FROM catalog.products AS p
    WHERE p.id = p_id AND p.organization_id = iam.current_org_id()
      AND (p.deleted_at IS NOT NULL) = p_deleted
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'product_not_found' USING DETAIL = 'No such product in this organization.';
    END IF;
    RETURN v_product;
END;
$$;

ALTER FUNCTION "catalog"."lock_product"("p_id" "uuid", "p_deleted" boolean) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "lock_product"("p_id" "uuid", "p_deleted" boolean); Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON FUNCTION "catalog"."lock_product"("p_id" "uuid", "p_deleted" boolean) IS 'Internal: locks a live (or deleted) product of the current organization, or raises product_not_found.';

--
-- Name: translations_valid("jsonb", "jsonb"); Type: FUNCTION; Schema: util; Owner: restartix_owner
--

CREATE FUNCTION "util"."translations_valid"("p_translations" "jsonb", "p_limits" "jsonb") RETURNS boolean
    LANGUAGE "sql" IMMUTABLE
    SET "search_path" TO ''
    AS $$
    SELECT pg_catalog.jsonb_typeof(p_translations) = 'object'
       AND NOT EXISTS (
           SELECT 1
           FROM pg_catalog.jsonb_each(p_translations) AS l (locale, fields)
           WHERE l.locale NOT IN ('en', 'ro')
              OR pg_catalog.jsonb_typeof(l.fields) <> 'object'
              OR EXISTS (
                  SELECT 1
                  FROM pg_catalog.jsonb_each(l.fields) AS f (name, value)
                  WHERE NOT (p_limits ? f.name)
                     OR pg_catalog.jsonb_typeof(f.value) <> 'string'
                     OR pg_catalog.length(pg_catalog.btrim(f.value #>> '{}'))
                         NOT BETWEEN 1 AND (p_limits ->> f.name)::integer
              )
       );
$$;

ALTER FUNCTION "util"."translations_valid"("p_translations" "jsonb", "p_limits" "jsonb") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "translations_valid"("p_translations" "jsonb", "p_limits" "jsonb"); Type: COMMENT; Schema: util; Owner: restartix_owner
--

COMMENT ON FUNCTION "util"."translations_valid"("p_translations" "jsonb", "p_limits" "jsonb") IS 'Whether a translations value is {locale: {field: text}} with known locales, the given fields and lengths.';

--
-- Name: services; Type: TABLE; Schema: catalog; Owner: restartix_owner
--

CREATE TABLE "catalog"."services" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "name" "text" NOT NULL,
    "description" "text" DEFAULT ''::"text" NOT NULL,
    "translations" "jsonb" DEFAULT '{}'::"jsonb" NOT NULL,
    "duration_minutes" integer NOT NULL,
    "buffer_before_minutes" integer DEFAULT 0 NOT NULL,
    "buffer_after_minutes" integer DEFAULT 0 NOT NULL,
    "price_amount" bigint DEFAULT 0 NOT NULL,
    "currency" "text" NOT NULL,
    "modality" "text" DEFAULT 'in_clinic'::"text" NOT NULL,
    "bookable_online" boolean DEFAULT false NOT NULL,
    "active" boolean DEFAULT true NOT NULL,
    "sort_order" integer DEFAULT 0 NOT NULL,
    "created_by" "uuid",
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "updated_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "deleted_at" timestamp with time zone,
    CONSTRAINT "services_buffers_valid" CHECK (((("buffer_before_minutes" >= 0) AND ("buffer_before_minutes" <= 480)) AND (("buffer_after_minutes" >= 0) AND ("buffer_after_minutes" <= 480)))),
    CONSTRAINT "services_currency_valid" CHECK (("currency" ~ '^[A-Z]{3}$'::"text")),
    CONSTRAINT "services_description_length" CHECK (("length"("description") <= 4000)),
    CONSTRAINT "services_duration_valid" CHECK ((("duration_minutes" >= 1) AND ("duration_minutes" <= 1440))),
    CONSTRAINT "services_modality_valid" CHECK (("modality" = ANY (ARRAY['in_clinic'::"text", 'video'::"text", 'home_visit'::"text"]))),
    CONSTRAINT "services_name_length" CHECK ((("length"("btrim"("name")) >= 1) AND ("length"("btrim"("name")) <= 200))),
    CONSTRAINT "services_price_valid" CHECK ((("price_amount" >= 0) AND ("price_amount" <= '100000000000'::bigint))),
    CONSTRAINT "services_sort_order_valid" CHECK ((("sort_order" >= '-1000000'::integer) AND ("sort_order" <= 1000000))),
    CONSTRAINT "services_translations_valid" CHECK ("util"."translations_valid"("translations", '{"name": 200, "description": 4000}'::"jsonb"))
);

ALTER TABLE ONLY "catalog"."services" FORCE ROW LEVEL SECURITY;

ALTER TABLE "catalog"."services" OWNER TO "restartix_owner";

--
-- Name: TABLE "services"; Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON TABLE "catalog"."services" IS 'A kind of visit a clinic offers: duration, buffers, price, modality, online booking.';

--
-- Name: lock_service("uuid", boolean); Type: FUNCTION; Schema: catalog; Owner: restartix_owner
--

CREATE FUNCTION "catalog"."lock_service"("p_id" "uuid", "p_deleted" boolean DEFAULT false) RETURNS "catalog"."services"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_service catalog.services;
BEGIN
    SELECT * INTO v_service FROM catalog.services AS s
    WHERE s.id = p_id AND s.organization_id = iam.current_org_id()
      AND (s.deleted_at IS NOT NULL) = p_deleted
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'service_not_found' USING DETAIL = 'No such service in this organization.';
    END IF;
    RETURN v_service;
END;
$$;

ALTER FUNCTION "catalog"."lock_service"("p_id" "uuid", "p_deleted" boolean) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "lock_service"("p_id" "uuid", "p_deleted" boolean); Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON FUNCTION "catalog"."lock_service"("p_id" "uuid", "p_deleted" boolean) IS 'Internal: locks a live (or deleted) service of the current organization, or raises service_not_found.';

--
-- Name: my_plans(); Type: FUNCTION; Schema: catalog; Owner: restartix_owner
--

CREATE FUNCTION "catalog"."my_plans"() RETURNS TABLE("id" "uuid", "organization_id" "uuid", "patient_id" "uuid", "patient_profile_id" "uuid", "service_plan_id" "uuid", "service_plan_version_id" "uuid", "plan_type" "text", "name" "text", "translations" "jsonb", "state" "text", "period_start" timestamp with time zone, "period_end" timestamp with time zone, "sessions_total" integer, "sessions_used" integer, "sessions_remaining" integer, "assignments_total" integer, "assignments_used" integer, "telerehab_access" boolean, "library_access" boolean)
    LANGUAGE "sql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
    -- The person's side, across organizations: enrollments of their own profile and of those
    -- they actively care for. Price, who enrolled and revoke reasons are the clinic's.
    SELECT e.id, e.organization_id, e.patient_id, pt.patient_profile_id, e.service_plan_id,
           e.service_plan_version_id, e.plan_type, v.name, v.translations,
           catalog.enrollment_state(e.status, e.period_start, e.period_end),
           e.period_start, e.period_end, e.sessions_total, e.sessions_used,
           e.sessions_total - e.sessions_used, e.assignments_total, e.assignments_used,
           v.telerehab_access, v.library_access
    FROM catalog.patient_service_plans AS e
    INNER JOIN people.patients AS pt ON pt.id = e.patient_id AND pt.deleted_at IS NULL
    INNER JOIN catalog.service_plan_versions AS v ON v.id = e.service_plan_version_id
    WHERE pt.patient_profile_id IN (SELECT people.current_human_patient_profile_ids())
    ORDER BY e.period_end DESC, e.id
    LIMIT 500;
$$;

ALTER FUNCTION "catalog"."my_plans"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "my_plans"(); Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON FUNCTION "catalog"."my_plans"() IS 'The acting human''s enrollments (own and cared-for profiles) in every organization, with what is left.';

--
-- Name: public_services("text"); Type: FUNCTION; Schema: catalog; Owner: restartix_owner
--

CREATE FUNCTION "catalog"."public_services"("p_slug" "text") RETURNS TABLE("id" "uuid", "name" "text", "description" "text", "translations" "jsonb", "duration_minutes" integer, "price_amount" bigint, "currency" "text", "modality" "text", "sort_order" integer)
    LANGUAGE "sql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
    -- The unauthenticated booking page: only what a visitor may see of live, active,
    -- online-bookable services of an active organization. Buffers, who created it and when
    -- are internal.
    SELECT s.id, s.name, s.description, s.translations, s.duration_minutes, s.price_amount, s.currency,
           s.modality, s.sort_order
    FROM tenancy.organizations AS o
    INNER JOIN catalog.services AS s ON s.organization_id = o.id
    WHERE o.slug = pg_catalog.lower(p_slug)
      AND o.status = 'active'
      AND o.deleted_at IS NULL
      AND s.deleted_at IS NULL
      AND s.active
      AND s.bookable_online
    ORDER BY s.sort_order, s.name, s.id
    LIMIT 500;
$$;

ALTER FUNCTION "catalog"."public_services"("p_slug" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "public_services"("p_slug" "text"); Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON FUNCTION "catalog"."public_services"("p_slug" "text") IS 'Public fields of the bookable, active, live services of the active organization with this slug.';

--
-- Name: publish_plan_version("uuid", "jsonb"); Type: FUNCTION; Schema: catalog; Owner: restartix_owner
--

CREATE FUNCTION "catalog"."publish_plan_version"("p_id" "uuid", "p_terms" "jsonb") RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_plan catalog.service_plans;
    v_last integer;
BEGIN
    PERFORM people.require_member_permission('catalog.manage');
    v_plan := catalog.lock_plan(p_id);
    SELECT pg_catalog.max(v.version) INTO v_last FROM catalog.service_plan_versions AS v WHERE v.service_plan_id = v_plan.id;
    RETURN catalog.insert_plan_version(v_plan, v_last + 1, p_terms);
END;
$$;

ALTER FUNCTION "catalog"."publish_plan_version"("p_id" "uuid", "p_terms" "jsonb") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "publish_plan_version"("p_id" "uuid", "p_terms" "jsonb"); Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON FUNCTION "catalog"."publish_plan_version"("p_id" "uuid", "p_terms" "jsonb") IS 'Publish new terms of a live plan as its next version (catalog.manage); enrollments keep theirs.';

--
-- Name: refuse_version_change(); Type: FUNCTION; Schema: catalog; Owner: restartix_owner
--

CREATE FUNCTION "catalog"."refuse_version_change"() RETURNS "trigger"
    LANGUAGE "plpgsql"
    SET "search_path" TO ''
    AS $$
BEGIN
    RAISE EXCEPTION 'plan_version_immutable' USING DETAIL = 'A published plan version never changes: publish a new one.';
END;
$$;

ALTER FUNCTION "catalog"."refuse_version_change"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "refuse_version_change"(); Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON FUNCTION "catalog"."refuse_version_change"() IS 'BEFORE UPDATE trigger: published plan versions and their contents are immutable.';

--
-- Name: restore_service("uuid"); Type: FUNCTION; Schema: catalog; Owner: restartix_owner
--

CREATE FUNCTION "catalog"."restore_service"("p_id" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_service catalog.services;
BEGIN
    PERFORM people.require_member_permission('catalog.manage');
    v_service := catalog.lock_service(p_id, TRUE);
    PERFORM billing.enforce_limit('services.max', 1);
    UPDATE catalog.services SET deleted_at = NULL WHERE id = v_service.id;
    PERFORM events.publish('service.restored', pg_catalog.jsonb_build_object('service_id', v_service.id));
END;
$$;

ALTER FUNCTION "catalog"."restore_service"("p_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "restore_service"("p_id" "uuid"); Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON FUNCTION "catalog"."restore_service"("p_id" "uuid") IS 'Bring a soft-deleted service back (catalog.manage); counts against services.max again.';

--
-- Name: revoke_enrollment("uuid", "text"); Type: FUNCTION; Schema: catalog; Owner: restartix_owner
--

CREATE FUNCTION "catalog"."revoke_enrollment"("p_id" "uuid", "p_reason" "text") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- Reversing a sale is a manager's decision: catalog.manage, not plans.enroll.
DECLARE
    v_row catalog.patient_service_plans;
    v_at timestamptz := util.now();
BEGIN
    PERFORM people.require_member_permission('catalog.manage');
    v_row := catalog.lock_enrollment(p_id);
    IF v_row.status = 'revoked' THEN
        RAISE EXCEPTION 'plan_revoked' USING DETAIL = 'This plan was already revoked.';
    END IF;
    UPDATE catalog.patient_service_plans
    SET status = 'revoked', revoked_at = v_at, revoked_by = iam.current_principal_id(), revoke_reason = p_reason
    WHERE id = v_row.id;
    PERFORM events.publish('patient_plan.revoked', pg_catalog.jsonb_build_object(
        'patient_service_plan_id', v_row.id, 'patient_id', v_row.patient_id, 'revoked_at', v_at,
        'source_tier_subscription_id', v_row.source_tier_subscription_id
    ));
END;
$$;

ALTER FUNCTION "catalog"."revoke_enrollment"("p_id" "uuid", "p_reason" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "revoke_enrollment"("p_id" "uuid", "p_reason" "text"); Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON FUNCTION "catalog"."revoke_enrollment"("p_id" "uuid", "p_reason" "text") IS 'Revoke a patient''s enrollment (catalog.manage); no session can be used after it.';

--
-- Name: save_product("uuid", "jsonb"); Type: FUNCTION; Schema: catalog; Owner: restartix_owner
--

CREATE FUNCTION "catalog"."save_product"("p_id" "uuid", "p_fields" "jsonb") RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- p_id NULL creates; otherwise the named fields of a live product change.
DECLARE
    v_product catalog.products;
    v_keys text [];
    f jsonb := p_fields;
BEGIN
    PERFORM people.require_member_permission('catalog.manage');
    v_keys := catalog.check_keys(f, ARRAY['name', 'description', 'sku', 'price_amount', 'currency', 'active']);
    IF p_id IS NULL THEN
        INSERT INTO catalog.products (organization_id, name, description, sku, price_amount, currency, active, created_by)
        VALUES (
            iam.current_org_id(), pg_catalog.btrim(f ->> 'name'), coalesce(f ->> 'description', ''), f ->> 'sku',
            coalesce((f ->> 'price_amount')::bigint, 0), f ->> 'currency', coalesce((f ->> 'active')::boolean, TRUE),
            iam.current_principal_id()
        ) RETURNING * INTO v_product;
        PERFORM events.publish('product.created', pg_catalog.jsonb_build_object('product_id', v_product.id));
        RETURN v_product.id;
    END IF;
    v_product := catalog.lock_product(p_id);
    IF pg_catalog.cardinality(v_keys) = 0 THEN
        RETURN v_product.id;
    END IF;
    UPDATE catalog.products AS p SET
        name = CASE WHEN f ? 'name' THEN pg_catalog.btrim(f ->> 'name') ELSE p.name END,
        description = CASE WHEN f ? 'description' THEN f ->> 'description' ELSE p.description END,
        sku = CASE WHEN f ? 'sku' THEN f ->> 'sku' ELSE p.sku END,
        price_amount = CASE WHEN f ? 'price_amount' THEN (f ->> 'price_amount')::bigint ELSE p.price_amount END,
        currency = CASE WHEN f ? 'currency' THEN f ->> 'currency' ELSE p.currency END,
        active = CASE WHEN f ? 'active' THEN (f ->> 'active')::boolean ELSE p.active END
    WHERE p.id = v_product.id;
    PERFORM events.publish('product.updated', pg_catalog.jsonb_build_object(
        'product_id', v_product.id, 'changed', pg_catalog.to_jsonb(v_keys)
    ));
    RETURN v_product.id;
END;
$$;

ALTER FUNCTION "catalog"."save_product"("p_id" "uuid", "p_fields" "jsonb") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "save_product"("p_id" "uuid", "p_fields" "jsonb"); Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON FUNCTION "catalog"."save_product"("p_id" "uuid", "p_fields" "jsonb") IS 'Create a product, or change the named fields of a live one (catalog.manage).';

--
-- Name: update_plan("uuid", "jsonb"); Type: FUNCTION; Schema: catalog; Owner: restartix_owner
--

CREATE FUNCTION "catalog"."update_plan"("p_id" "uuid", "p_changes" "jsonb") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- Only what is not a term of sale changes in place: whether it is on sale and where it sorts.
DECLARE
    v_plan catalog.service_plans;
    v_keys text [];
BEGIN
    PERFORM people.require_member_permission('catalog.manage');
    v_keys := catalog.check_keys(p_changes, ARRAY['active', 'sort_order']);
    v_plan := catalog.lock_plan(p_id);
    IF pg_catalog.cardinality(v_keys) = 0 THEN
        RETURN;
    END IF;
    UPDATE catalog.service_plans AS p SET
        active = CASE WHEN p_changes ? 'active' THEN (p_changes ->> 'active')::boolean ELSE p.active END,
        sort_order = CASE WHEN p_changes ? 'sort_order' THEN (p_changes ->> 'sort_order')::integer ELSE p.sort_order END
    WHERE p.id = v_plan.id;
    PERFORM events.publish('service_plan.updated', pg_catalog.jsonb_build_object(
        'service_plan_id', v_plan.id, 'changed', pg_catalog.to_jsonb(v_keys)
    ));
END;
$$;

ALTER FUNCTION "catalog"."update_plan"("p_id" "uuid", "p_changes" "jsonb") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "update_plan"("p_id" "uuid", "p_changes" "jsonb"); Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON FUNCTION "catalog"."update_plan"("p_id" "uuid", "p_changes" "jsonb") IS 'Put a plan on or off sale, or move it in the list (catalog.manage).';

--
-- Name: update_service("uuid", "jsonb"); Type: FUNCTION; Schema: catalog; Owner: restartix_owner
--

CREATE FUNCTION "catalog"."update_service"("p_id" "uuid", "p_changes" "jsonb") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- Sets the fields named in p_changes. Every column here is NOT NULL, so a JSON null is
-- refused by the table, not read as "clear".
DECLARE
    v_service catalog.services;
    v_keys text [];
    c jsonb := p_changes;
BEGIN
    PERFORM people.require_member_permission('catalog.manage');
    v_keys := catalog.check_keys(c, ARRAY[
        'name', 'description', 'translations', 'duration_minutes', 'buffer_before_minutes',
        'buffer_after_minutes', 'price_amount', 'currency', 'modality', 'bookable_online', 'active', 'sort_order'
    ]);
    v_service := catalog.lock_service(p_id);
    IF pg_catalog.cardinality(v_keys) = 0 THEN
        RETURN;
    END IF;
    UPDATE catalog.services AS s SET
        name = CASE WHEN c ? 'name' THEN pg_catalog.btrim(c ->> 'name') ELSE s.name END,
        description = CASE WHEN c ? 'description' THEN c ->> 'description' ELSE s.description END,
        translations = CASE WHEN c ? 'translations' THEN c -> 'translations' ELSE s.translations END,
        duration_minutes = CASE WHEN c ? 'duration_minutes' THEN (c ->> 'duration_minutes')::integer ELSE s.duration_minutes END,
        buffer_before_minutes = CASE WHEN c ? 'buffer_before_minutes'
            THEN (c ->> 'buffer_before_minutes')::integer ELSE s.buffer_before_minutes END,
        buffer_after_minutes = CASE WHEN c ? 'buffer_after_minutes'
            THEN (c ->> 'buffer_after_minutes')::integer ELSE s.buffer_after_minutes END,
        price_amount = CASE WHEN c ? 'price_amount' THEN (c ->> 'price_amount')::bigint ELSE s.price_amount END,
        currency = CASE WHEN c ? 'currency' THEN c ->> 'currency' ELSE s.currency END,
        modality = CASE WHEN c ? 'modality' THEN c ->> 'modality' ELSE s.modality END,
        bookable_online = CASE WHEN c ? 'bookable_online' THEN (c ->> 'bookable_online')::boolean ELSE s.bookable_online END,
        active = CASE WHEN c ? 'active' THEN (c ->> 'active')::boolean ELSE s.active END,
        sort_order = CASE WHEN c ? 'sort_order' THEN (c ->> 'sort_order')::integer ELSE s.sort_order END
    WHERE s.id = v_service.id;
    PERFORM events.publish('service.updated', pg_catalog.jsonb_build_object(
        'service_id', v_service.id, 'changed', pg_catalog.to_jsonb(v_keys)
    ));
END;
$$;

ALTER FUNCTION "catalog"."update_service"("p_id" "uuid", "p_changes" "jsonb") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "update_service"("p_id" "uuid", "p_changes" "jsonb"); Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON FUNCTION "catalog"."update_service"("p_id" "uuid", "p_changes" "jsonb") IS 'Change the named fields of a live service (catalog.manage).';

--
-- Name: current_state("uuid", "uuid"); Type: FUNCTION; Schema: consent; Owner: restartix_owner
--

CREATE FUNCTION "consent"."current_state"("p_subject" "uuid" DEFAULT NULL::"uuid", "p_org" "uuid" DEFAULT NULL::"uuid") RETURNS TABLE("subject_principal_id" "uuid", "organization_id" "uuid", "purpose" "text", "status" "text", "legal_basis" "text", "withdrawable" boolean, "document_id" "uuid", "document_version" integer, "latest_document_version" integer, "consent_id" "uuid", "source" "text", "since" timestamp with time zone)
    LANGUAGE "sql" STABLE
    AS $$
    -- Security invoker: the caller's policies decide which subjects and organizations appear.
    SELECT DISTINCT ON (c.subject_principal_id, c.organization_id, c.purpose)
        c.subject_principal_id, c.organization_id, c.purpose,
        CASE
            WHEN c.action = 'withdraw' THEN 'withdrawn'
            WHEN consent.is_stale(c.organization_id, c.purpose, c.document_version) THEN 'stale'
            ELSE 'granted'
        END,
        c.legal_basis, c.withdrawable, c.document_id, c.document_version,
        (
            SELECT pg_catalog.max(d.version) FROM consent.documents AS d
            WHERE d.purpose = c.purpose
              AND (d.organization_id = c.organization_id OR (c.organization_id IS NULL AND d.organization_id IS NULL))
        ),
        c.id, c.source, c.created_at
    FROM consent.consents AS c
    WHERE (p_subject IS NULL OR c.subject_principal_id = p_subject)
      AND (p_org IS NULL OR c.organization_id = p_org)
    ORDER BY c.subject_principal_id, c.organization_id, c.purpose, c.seq DESC
$$;

ALTER FUNCTION "consent"."current_state"("p_subject" "uuid", "p_org" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "current_state"("p_subject" "uuid", "p_org" "uuid"); Type: COMMENT; Schema: consent; Owner: restartix_owner
--

COMMENT ON FUNCTION "consent"."current_state"("p_subject" "uuid", "p_org" "uuid") IS 'The current state per subject, organization and purpose the caller may read (RLS applies), optionally for one subject or organization.';

--
-- Name: grant_consent("uuid", "text", "uuid", "uuid", "text", "text"); Type: FUNCTION; Schema: consent; Owner: restartix_owner
--

CREATE FUNCTION "consent"."grant_consent"("p_org" "uuid", "p_purpose" "text", "p_document_id" "uuid" DEFAULT NULL::"uuid", "p_subject" "uuid" DEFAULT NULL::"uuid", "p_source" "text" DEFAULT 'api'::"text", "p_legal_basis" "text" DEFAULT NULL::"text") RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_subject uuid := consent.resolve_subject(p_subject);
    v_purpose consent.purposes;
    v_document consent.documents;
    v_basis text;
    v_current consent.consents;
    v_id uuid;
BEGIN
    SELECT * INTO v_purpose FROM consent.purposes AS p WHERE p.code = p_purpose;
    IF v_purpose.code IS NULL THEN
        RAISE EXCEPTION 'consent_purpose_unknown' USING DETAIL = pg_catalog.format('No consent purpose %s.', coalesce(p_purpose, 'NULL'));
    END IF;
    IF (v_purpose.scope = 'platform') <> (p_org IS NULL) THEN
        RAISE EXCEPTION 'consent_scope_mismatch' USING DETAIL = CASE
            WHEN p_org IS NULL THEN pg_catalog.format('%s is consented to for one organization: name it.', p_purpose)
            ELSE pg_catalog.format('%s is a platform purpose: give no organization.', p_purpose)
        END;
    END IF;
    -- Through the API, an organization-scope consent is recorded only by a member of that
    -- organization (patients and the public booking flow will join this rule); anyone else
    -- gets the same answer as for an organization that does not exist, so this is no oracle.
    IF p_org IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM tenancy.organizations AS o
        WHERE o.id = p_org AND o.status = 'active' AND o.deleted_at IS NULL
          AND (NOT util.called_from_request_pool() OR EXISTS (
              SELECT 1 FROM tenancy.organization_memberships AS m
              WHERE m.organization_id = o.id AND m.principal_id = v_subject
          ))
    ) THEN
        RAISE EXCEPTION 'organization_not_found' USING DETAIL = 'Organization not found.';
    END IF;
    -- The legal basis is the purpose's; only the trusted side (e.g. a signed form) names another.
    IF p_legal_basis IS NOT NULL AND p_legal_basis <> v_purpose.default_legal_basis AND util.called_from_request_pool() THEN
        RAISE EXCEPTION 'permission_denied'
            USING DETAIL = 'The legal basis of a purpose is set by the controller, not by the request.',
                  ERRCODE = 'insufficient_privilege';
    END IF;
    v_basis := coalesce(p_legal_basis, v_purpose.default_legal_basis);

    IF p_document_id IS NOT NULL THEN
        SELECT * INTO v_document FROM consent.documents AS d
        WHERE d.id = p_document_id AND d.purpose = p_purpose
          AND (d.organization_id = p_org OR (p_org IS NULL AND d.organization_id IS NULL));
        IF v_document.id IS NULL THEN
            RAISE EXCEPTION 'consent_document_not_found'
                USING DETAIL = 'No such document for this purpose and organization.';
        END IF;
    ELSE
        SELECT * INTO v_document FROM consent.documents AS d
        WHERE d.purpose = p_purpose
          AND (d.organization_id = p_org OR (p_org IS NULL AND d.organization_id IS NULL))
        ORDER BY d.version DESC LIMIT 1;
    END IF;
    IF v_document.id IS NULL AND v_purpose.document_required THEN
        RAISE EXCEPTION 'consent_document_required'
            USING DETAIL = pg_catalog.format('No %s document is published yet; there is nothing to agree to.', p_purpose);
    END IF;

    PERFORM consent.lock_subject_purpose(v_subject, p_org, p_purpose);
    SELECT * INTO v_current FROM consent.consents AS c
    WHERE c.subject_principal_id = v_subject AND c.purpose = p_purpose
      AND (c.organization_id = p_org OR (p_org IS NULL AND c.organization_id IS NULL))
    ORDER BY c.seq DESC LIMIT 1;
    -- Granting again what is already granted, on the same document, adds nothing.
    IF v_current.action = 'grant'
       AND v_current.document_id IS NOT DISTINCT FROM v_document.id
       AND v_current.legal_basis = v_basis
       AND NOT consent.is_stale(p_org, p_purpose, v_current.document_version) THEN
        RETURN v_current.id;
    END IF;

    INSERT INTO consent.consents (
        subject_principal_id, organization_id, purpose, action, legal_basis, document_id,
        document_version, source, evidence_ip, evidence_user_agent, evidence_request_id, recorded_by
    ) VALUES (
        v_subject, p_org, p_purpose, 'grant', v_basis, v_document.id, v_document.version,
        coalesce(p_source, 'api'),
        nullif(pg_catalog.current_setting('app.client_ip', true), '')::inet,
        pg_catalog.left(nullif(pg_catalog.current_setting('app.user_agent', true), ''), 512),
        pg_catalog.left(nullif(pg_catalog.current_setting('app.request_id', true), ''), 128),
        coalesce(iam.current_principal_id(), '00000000-0000-0000-0000-000000000001')
    ) RETURNING id INTO v_id;

    PERFORM events.publish_for(p_org, 'consent.granted', pg_catalog.jsonb_build_object(
        'consent_id', v_id, 'subject_principal_id', v_subject, 'purpose', p_purpose,
        'legal_basis', v_basis, 'document_id', v_document.id, 'document_version', v_document.version,
        'source', coalesce(p_source, 'api')
    ));
    RETURN v_id;
END;
$$;

ALTER FUNCTION "consent"."grant_consent"("p_org" "uuid", "p_purpose" "text", "p_document_id" "uuid", "p_subject" "uuid", "p_source" "text", "p_legal_basis" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "grant_consent"("p_org" "uuid", "p_purpose" "text", "p_document_id" "uuid", "p_subject" "uuid", "p_source" "text", "p_legal_basis" "text"); Type: COMMENT; Schema: consent; Owner: restartix_owner
--

COMMENT ON FUNCTION "consent"."grant_consent"("p_org" "uuid", "p_purpose" "text", "p_document_id" "uuid", "p_subject" "uuid", "p_source" "text", "p_legal_basis" "text") IS 'Append a grant for a purpose (the newest document by default); returns the ledger row id, the current one when nothing changes.';

--
-- Name: has_consent("uuid", "uuid", "text"); Type: FUNCTION; Schema: consent; Owner: restartix_owner
--

CREATE FUNCTION "consent"."has_consent"("p_subject" "uuid", "p_org" "uuid", "p_purpose" "text") RETURNS boolean
    LANGUAGE "sql" STABLE
    SET "search_path" TO ''
    AS $$ SELECT consent.status(p_subject, p_org, p_purpose) = 'granted' $$;

ALTER FUNCTION "consent"."has_consent"("p_subject" "uuid", "p_org" "uuid", "p_purpose" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "has_consent"("p_subject" "uuid", "p_org" "uuid", "p_purpose" "text"); Type: COMMENT; Schema: consent; Owner: restartix_owner
--

COMMENT ON FUNCTION "consent"."has_consent"("p_subject" "uuid", "p_org" "uuid", "p_purpose" "text") IS 'True when the subject''s newest row for the purpose is a grant that no newer re-consent document has made stale.';

--
-- Name: is_stale("uuid", "text", integer); Type: FUNCTION; Schema: consent; Owner: restartix_owner
--

CREATE FUNCTION "consent"."is_stale"("p_org" "uuid", "p_purpose" "text", "p_version" integer) RETURNS boolean
    LANGUAGE "sql" STABLE
    AS $$
    -- Stale: a newer version of the purpose's document that requires re-consent is published.
    SELECT EXISTS (
        SELECT 1 FROM consent.documents AS d
        WHERE d.purpose = p_purpose
          AND (d.organization_id = p_org OR (p_org IS NULL AND d.organization_id IS NULL))
          AND d.version > coalesce(p_version, 0)
          AND d.requires_reconsent
          AND d.published_at <= util.now()
    )
$$;

ALTER FUNCTION "consent"."is_stale"("p_org" "uuid", "p_purpose" "text", "p_version" integer) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "is_stale"("p_org" "uuid", "p_purpose" "text", "p_version" integer); Type: COMMENT; Schema: consent; Owner: restartix_owner
--

COMMENT ON FUNCTION "consent"."is_stale"("p_org" "uuid", "p_purpose" "text", "p_version" integer) IS 'Whether a newer document version requiring re-consent exists for an organization''s (NULL: platform) purpose.';

--
-- Name: lock_subject_purpose("uuid", "uuid", "text"); Type: FUNCTION; Schema: consent; Owner: restartix_owner
--

CREATE FUNCTION "consent"."lock_subject_purpose"("p_subject" "uuid", "p_org" "uuid", "p_purpose" "text") RETURNS "void"
    LANGUAGE "plpgsql"
    SET "search_path" TO ''
    AS $$
BEGIN
    -- Grants and withdrawals of one subject's purpose are serialized, so the newest row is
    -- always the one the decision was made against.
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(
        'consent/' || p_subject::text || '/' || coalesce(p_org::text, 'platform') || '/' || p_purpose, 0
    ));
END;
$$;

ALTER FUNCTION "consent"."lock_subject_purpose"("p_subject" "uuid", "p_org" "uuid", "p_purpose" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "lock_subject_purpose"("p_subject" "uuid", "p_org" "uuid", "p_purpose" "text"); Type: COMMENT; Schema: consent; Owner: restartix_owner
--

COMMENT ON FUNCTION "consent"."lock_subject_purpose"("p_subject" "uuid", "p_org" "uuid", "p_purpose" "text") IS 'Transaction lock serializing the ledger writes of one subject, organization and purpose.';

--
-- Name: publish_document("uuid", "text", "text", "text", "text", boolean); Type: FUNCTION; Schema: consent; Owner: restartix_owner
--

CREATE FUNCTION "consent"."publish_document"("p_org" "uuid", "p_purpose" "text", "p_title" "text", "p_url" "text", "p_content_sha256" "text", "p_requires_reconsent" boolean DEFAULT true) RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_scope text;
    v_version integer;
    v_id uuid;
BEGIN
    SELECT p.scope INTO v_scope FROM consent.purposes AS p WHERE p.code = p_purpose;
    IF v_scope IS NULL THEN
        RAISE EXCEPTION 'consent_purpose_unknown' USING DETAIL = pg_catalog.format('No consent purpose %s.', coalesce(p_purpose, 'NULL'));
    END IF;
    IF (v_scope = 'platform') <> (p_org IS NULL) THEN
        RAISE EXCEPTION 'consent_scope_mismatch'
            USING DETAIL = pg_catalog.format('%s is a %s purpose.', p_purpose, v_scope);
    END IF;
    IF util.called_from_request_pool() AND NOT iam.is_platform_admin() AND (
        p_org IS NULL
        OR iam.current_member_org_id() IS DISTINCT FROM p_org
        OR NOT iam.has_permission('consents.manage_documents')
    ) THEN
        RAISE EXCEPTION 'permission_denied'
            USING DETAIL = CASE WHEN p_org IS NULL THEN 'Only platform administrators publish platform documents.'
                                ELSE 'This needs the consents.manage_documents permission.' END,
                  ERRCODE = 'insufficient_privilege';
    END IF;
    IF p_org IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM tenancy.organizations AS o WHERE o.id = p_org AND o.deleted_at IS NULL
    ) THEN
        RAISE EXCEPTION 'organization_not_found' USING DETAIL = 'Organization not found.';
    END IF;

    -- One publisher at a time per (organization, purpose): versions are 1, 2, 3, … without gaps.
    PERFORM pg_catalog.pg_advisory_xact_lock(
        pg_catalog.hashtextextended('consent.document/' || coalesce(p_org::text, 'platform') || '/' || p_purpose, 0)
    );
    SELECT coalesce(pg_catalog.max(d.version), 0) + 1 INTO v_version
    FROM consent.documents AS d
    WHERE d.purpose = p_purpose
      AND (d.organization_id = p_org OR (p_org IS NULL AND d.organization_id IS NULL));

    INSERT INTO consent.documents (
        organization_id, purpose, version, title, url, content_sha256, requires_reconsent, published_by
    ) VALUES (
        p_org, p_purpose, v_version, p_title, p_url, pg_catalog.lower(p_content_sha256),
        coalesce(p_requires_reconsent, true), iam.current_principal_id()
    ) RETURNING id INTO v_id;

    PERFORM events.publish_for(p_org, 'consent.document_published', pg_catalog.jsonb_build_object(
        'document_id', v_id, 'purpose', p_purpose, 'version', v_version,
        'requires_reconsent', coalesce(p_requires_reconsent, true), 'title', p_title, 'url', p_url
    ));
    RETURN v_id;
END;
$$;

ALTER FUNCTION "consent"."publish_document"("p_org" "uuid", "p_purpose" "text", "p_title" "text", "p_url" "text", "p_content_sha256" "text", "p_requires_reconsent" boolean) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "publish_document"("p_org" "uuid", "p_purpose" "text", "p_title" "text", "p_url" "text", "p_content_sha256" "text", "p_requires_reconsent" boolean); Type: COMMENT; Schema: consent; Owner: restartix_owner
--

COMMENT ON FUNCTION "consent"."publish_document"("p_org" "uuid", "p_purpose" "text", "p_title" "text", "p_url" "text", "p_content_sha256" "text", "p_requires_reconsent" boolean) IS 'Publish the next version of an organization''s (NULL: the platform''s) document for a purpose; returns its id.';

--
-- Name: refuse_change(); Type: FUNCTION; Schema: consent; Owner: restartix_owner
--

CREATE FUNCTION "consent"."refuse_change"() RETURNS "trigger"
    LANGUAGE "plpgsql"
    SET "search_path" TO ''
    AS $$
BEGIN
    RAISE EXCEPTION 'consent_ledger_append_only'
        USING DETAIL = pg_catalog.format(
            '%s on %s.%s is refused: the consents ledger and its documents are append-only',
            TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
        ),
        ERRCODE = 'insufficient_privilege';
END;
$$;

ALTER FUNCTION "consent"."refuse_change"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "refuse_change"(); Type: COMMENT; Schema: consent; Owner: restartix_owner
--

COMMENT ON FUNCTION "consent"."refuse_change"() IS 'Raises 42501 for any UPDATE, DELETE or TRUNCATE of consent rows or published documents, whoever runs it.';

--
-- Name: require_reader("uuid", "uuid"); Type: FUNCTION; Schema: consent; Owner: restartix_owner
--

CREATE FUNCTION "consent"."require_reader"("p_subject" "uuid", "p_org" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    -- The subject themselves, any active member of the organization the question is about,
    -- and platform staff may ask; so may the trusted system side.
    IF util.called_from_request_pool()
       AND iam.current_principal_id() IS DISTINCT FROM p_subject
       AND NOT (p_org IS NOT NULL AND iam.current_member_org_id() IS NOT DISTINCT FROM p_org)
       AND NOT iam.is_platform_staff() THEN
        RAISE EXCEPTION 'permission_denied'
            USING DETAIL = 'Only the subject, members of the organization and platform staff read this consent state.',
                  ERRCODE = 'insufficient_privilege';
    END IF;
END;
$$;

ALTER FUNCTION "consent"."require_reader"("p_subject" "uuid", "p_org" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "require_reader"("p_subject" "uuid", "p_org" "uuid"); Type: COMMENT; Schema: consent; Owner: restartix_owner
--

COMMENT ON FUNCTION "consent"."require_reader"("p_subject" "uuid", "p_org" "uuid") IS 'Raises 42501 unless the caller may read this subject''s consent state for this organization.';

--
-- Name: resolve_subject("uuid"); Type: FUNCTION; Schema: consent; Owner: restartix_owner
--

CREATE FUNCTION "consent"."resolve_subject"("p_subject" "uuid") RETURNS "uuid"
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- Through the API a human consents for themselves only; the trusted system side (signed
-- forms, F3.5) records for the subject the form names.
DECLARE
    v_subject uuid := coalesce(p_subject, iam.current_principal_id());
BEGIN
    IF util.called_from_request_pool() AND v_subject IS DISTINCT FROM iam.current_principal_id() THEN
        RAISE EXCEPTION 'permission_denied'
            USING DETAIL = 'A person grants and withdraws only their own consents.',
                  ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM iam.principals AS p WHERE p.id = v_subject AND p.kind = 'human') THEN
        RAISE EXCEPTION 'consent_subject_invalid' USING DETAIL = 'Consent is given by a human principal.';
    END IF;
    IF iam.principal_is_blocked(v_subject) THEN
        RAISE EXCEPTION 'human_blocked' USING DETAIL = 'This account is blocked.', ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN v_subject;
END;
$$;

ALTER FUNCTION "consent"."resolve_subject"("p_subject" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "resolve_subject"("p_subject" "uuid"); Type: COMMENT; Schema: consent; Owner: restartix_owner
--

COMMENT ON FUNCTION "consent"."resolve_subject"("p_subject" "uuid") IS 'The subject a ledger write is for: the acting human, or (trusted callers) the given human; raises otherwise.';

--
-- Name: status("uuid", "uuid", "text"); Type: FUNCTION; Schema: consent; Owner: restartix_owner
--

CREATE FUNCTION "consent"."status"("p_subject" "uuid", "p_org" "uuid", "p_purpose" "text") RETURNS "text"
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- granted, stale (a newer document needs re-consent), withdrawn, or none.
DECLARE
    v_action text;
    v_version integer;
BEGIN
    PERFORM consent.require_reader(p_subject, p_org);
    SELECT c.action, c.document_version INTO v_action, v_version
    FROM consent.consents AS c
    WHERE c.subject_principal_id = p_subject
      AND c.purpose = p_purpose
      AND (c.organization_id = p_org OR (p_org IS NULL AND c.organization_id IS NULL))
    ORDER BY c.seq DESC
    LIMIT 1;
    RETURN CASE
        WHEN v_action IS NULL THEN 'none'
        WHEN v_action = 'withdraw' THEN 'withdrawn'
        WHEN consent.is_stale(p_org, p_purpose, v_version) THEN 'stale'
        ELSE 'granted'
    END;
END;
$$;

ALTER FUNCTION "consent"."status"("p_subject" "uuid", "p_org" "uuid", "p_purpose" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "status"("p_subject" "uuid", "p_org" "uuid", "p_purpose" "text"); Type: COMMENT; Schema: consent; Owner: restartix_owner
--

COMMENT ON FUNCTION "consent"."status"("p_subject" "uuid", "p_org" "uuid", "p_purpose" "text") IS 'Current state of a subject''s purpose in an organization (NULL: platform): granted, stale, withdrawn or none.';

--
-- Name: withdraw_consent("uuid", "text", "uuid"); Type: FUNCTION; Schema: consent; Owner: restartix_owner
--

CREATE FUNCTION "consent"."withdraw_consent"("p_org" "uuid", "p_purpose" "text", "p_subject" "uuid" DEFAULT NULL::"uuid") RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_subject uuid := consent.resolve_subject(p_subject);
    v_current consent.consents;
    v_id uuid;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM consent.purposes AS p WHERE p.code = p_purpose) THEN
        RAISE EXCEPTION 'consent_purpose_unknown' USING DETAIL = pg_catalog.format('No consent purpose %s.', coalesce(p_purpose, 'NULL'));
    END IF;
    PERFORM consent.lock_subject_purpose(v_subject, p_org, p_purpose);
    SELECT * INTO v_current FROM consent.consents AS c
    WHERE c.subject_principal_id = v_subject AND c.purpose = p_purpose
      AND (c.organization_id = p_org OR (p_org IS NULL AND c.organization_id IS NULL))
    ORDER BY c.seq DESC LIMIT 1;
    IF v_current.id IS NULL OR v_current.action <> 'grant' THEN
        RAISE EXCEPTION 'consent_not_granted' USING DETAIL = pg_catalog.format('There is no standing %s grant to withdraw.', p_purpose);
    END IF;
    IF NOT v_current.withdrawable THEN
        RAISE EXCEPTION 'consent_not_withdrawable'
            USING DETAIL = pg_catalog.format(
                '%s rests on the legal basis %s, not on consent, so it cannot be withdrawn; end the relationship (close the account or leave the clinic) instead.',
                p_purpose, v_current.legal_basis
            ),
                  HINT = pg_catalog.jsonb_build_object('purpose', p_purpose, 'legal_basis', v_current.legal_basis)::text;
    END IF;

    INSERT INTO consent.consents (
        subject_principal_id, organization_id, purpose, action, legal_basis, document_id,
        document_version, source, evidence_ip, evidence_user_agent, evidence_request_id, recorded_by
    ) VALUES (
        v_subject, p_org, p_purpose, 'withdraw', v_current.legal_basis, v_current.document_id,
        v_current.document_version, v_current.source,
        nullif(pg_catalog.current_setting('app.client_ip', true), '')::inet,
        pg_catalog.left(nullif(pg_catalog.current_setting('app.user_agent', true), ''), 512),
        pg_catalog.left(nullif(pg_catalog.current_setting('app.request_id', true), ''), 128),
        coalesce(iam.current_principal_id(), '00000000-0000-0000-0000-000000000001')
    ) RETURNING id INTO v_id;

    PERFORM events.publish_for(p_org, 'consent.withdrawn', pg_catalog.jsonb_build_object(
        'consent_id', v_id, 'grant_id', v_current.id, 'subject_principal_id', v_subject,
        'purpose', p_purpose, 'legal_basis', v_current.legal_basis
    ));
    RETURN v_id;
END;
$$;

ALTER FUNCTION "consent"."withdraw_consent"("p_org" "uuid", "p_purpose" "text", "p_subject" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "withdraw_consent"("p_org" "uuid", "p_purpose" "text", "p_subject" "uuid"); Type: COMMENT; Schema: consent; Owner: restartix_owner
--

COMMENT ON FUNCTION "consent"."withdraw_consent"("p_org" "uuid", "p_purpose" "text", "p_subject" "uuid") IS 'Append a withdrawal of a standing consent-based grant; raises consent_not_withdrawable for other legal bases.';

--
-- Name: encrypted_columns(); Type: FUNCTION; Schema: crypto; Owner: restartix_owner
--

CREATE FUNCTION "crypto"."encrypted_columns"() RETURNS TABLE("table_schema" "text", "table_name" "text", "column_name" "text", "row_key" "text")
    LANGUAGE "sql" STABLE
    SET "search_path" TO ''
    AS $$
    -- Classified pii_regulated or auth_secret, stored as bytea *_encrypted, in a table with
    -- organization_id and a row key: the column id, else a one-column primary key (e.g.
    -- billing.organization_billing, one row per organization). Every field's encryption
    -- context names the organization and that row key.
    SELECT cc.table_schema, cc.table_name, cc.column_name, coalesce(id_col.attname, pk_col.attname)::text
    FROM util.column_classification AS cc
    INNER JOIN pg_catalog.pg_namespace AS n ON n.nspname = cc.table_schema
    INNER JOIN pg_catalog.pg_class AS c
        ON c.relnamespace = n.oid AND c.relname = cc.table_name
    INNER JOIN pg_catalog.pg_attribute AS a
        ON a.attrelid = c.oid AND a.attname = cc.column_name AND NOT a.attisdropped
    LEFT JOIN pg_catalog.pg_attribute AS id_col
        ON id_col.attrelid = c.oid AND id_col.attname = 'id' AND NOT id_col.attisdropped
    LEFT JOIN pg_catalog.pg_index AS pk
        ON pk.indrelid = c.oid AND pk.indisprimary AND pk.indnkeyatts = 1
    LEFT JOIN pg_catalog.pg_attribute AS pk_col
        ON pk_col.attrelid = c.oid AND pk_col.attnum = pk.indkey[0]
    WHERE cc.class IN ('pii_regulated', 'auth_secret')
      AND c.relkind IN ('r', 'p')
      AND NOT c.relispartition
      AND a.atttypid = 'pg_catalog.bytea'::pg_catalog.regtype
      AND cc.column_name LIKE '%\_encrypted'
      AND coalesce(id_col.attname, pk_col.attname) IS NOT NULL
      AND EXISTS (
          SELECT 1 FROM pg_catalog.pg_attribute AS o
          WHERE o.attrelid = c.oid AND o.attname = 'organization_id' AND NOT o.attisdropped
      )
    ORDER BY 1, 2, 3
$$;

ALTER FUNCTION "crypto"."encrypted_columns"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "encrypted_columns"(); Type: COMMENT; Schema: crypto; Owner: restartix_owner
--

COMMENT ON FUNCTION "crypto"."encrypted_columns"() IS 'Encrypted field columns by the registry, with the row key their encryption context names.';

--
-- Name: guard_data_key_change(); Type: FUNCTION; Schema: crypto; Owner: restartix_owner
--

CREATE FUNCTION "crypto"."guard_data_key_change"() RETURNS "trigger"
    LANGUAGE "plpgsql"
    SET "search_path" TO ''
    AS $$
BEGIN
    -- Applies to every role, the owner included: a deleted or revived key would let a
    -- version number be reused or a shredded organization's fields be read again.
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'data key % of organization % cannot be deleted; destroy it instead',
            OLD.version, OLD.organization_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.destroyed_at IS NOT NULL THEN
        RAISE EXCEPTION 'data key % of organization % was destroyed; it cannot change',
            OLD.version, OLD.organization_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.organization_id IS DISTINCT FROM OLD.organization_id
       OR NEW.version IS DISTINCT FROM OLD.version
       OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
        RAISE EXCEPTION 'data key % of organization % cannot be renumbered, moved or redated',
            OLD.version, OLD.organization_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.retired_at IS NOT NULL AND NEW.retired_at IS DISTINCT FROM OLD.retired_at THEN
        RAISE EXCEPTION 'data key % of organization % is retired; it cannot be un-retired',
            OLD.version, OLD.organization_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;

ALTER FUNCTION "crypto"."guard_data_key_change"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "guard_data_key_change"(); Type: COMMENT; Schema: crypto; Owner: restartix_owner
--

COMMENT ON FUNCTION "crypto"."guard_data_key_change"() IS 'Keeps data keys one-way: no delete, no renumbering, no un-retiring, destroyed keys frozen.';

--
-- Name: claim("text", "text", integer, integer, interval, integer); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."claim"("p_consumer" "text", "p_worker" "text", "p_limit" integer DEFAULT 100, "p_per_lane" integer DEFAULT 20, "p_lease" interval DEFAULT NULL::interval, "p_session" integer DEFAULT NULL::integer) RETURNS TABLE("lease_id" "uuid", "event_id" "uuid", "attempt" integer, "redeliveries" integer, "lane" "uuid", "event_position" bigint, "type" "text", "version" integer, "organization_id" "uuid", "actor_id" "uuid", "actor_type" "text", "request_id" "text", "occurred_at" timestamp with time zone, "payload" "jsonb")
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
#variable_conflict use_column
DECLARE
    -- An event handed out again this many times because its worker ended while holding it is
    -- presumed to kill its workers (a poison event): it becomes a dead letter.
    c_max_redeliveries CONSTANT integer := 10;
    v_consumer events.consumers;
    v_now timestamptz := util.now();
    v_lease uuid := pg_catalog.gen_random_uuid();
    v_expires timestamptz;
    v_lock_space integer;
    -- Keys of the live worker sessions: read once, and again after reading leases to judge.
    v_live integer [];
    v_session integer;
    v_running integer [];
    v_sessionless boolean;
    -- Lanes a dead worker held come first; then lanes are visited in uuid order from a random
    -- point, wrapping once: no lane starves.
    v_orphans uuid [];
    v_orphan integer := 0;
    v_walking boolean;
    v_start uuid := pg_catalog.gen_random_uuid();
    v_cursor uuid := v_start;
    v_wrapped boolean := false;
    v_lane uuid;
    v_head record;
    v_ids uuid [];
    v_locked uuid [];
    v_n integer;
    v_taken integer := 0;
BEGIN
    -- Delivery bookkeeping need not wait for the WAL flush: a crash of the server forgets at
    -- most its last instants, which at-least-once delivery already covers (redelivery).
    PERFORM pg_catalog.set_config('synchronous_commit', 'off', true);
    SELECT * INTO v_consumer FROM events.consumers AS c WHERE c.name = p_consumer;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'consumer_unknown' USING DETAIL = pg_catalog.format('no consumer named %s', p_consumer);
    END IF;
    IF p_limit NOT BETWEEN 1 AND 1000 OR p_per_lane NOT BETWEEN 1 AND 1000 THEN
        RAISE EXCEPTION 'limit and per-lane limit must be between 1 and 1000'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_lease IS NOT NULL AND p_lease NOT BETWEEN INTERVAL '1 second' AND INTERVAL '15 minutes' THEN
        RAISE EXCEPTION 'a lease is between 1 second and 15 minutes, got %', p_lease
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    v_expires := v_now + coalesce(p_lease, v_consumer.lease);
    v_lock_space := pg_catalog.hashtext('events.lane:' || v_consumer.id);
    -- The caller's session counts only while it is held; a claim without one (or with a key
    -- nobody holds) leases on time alone.
    v_live := events.live_sessions();
    IF p_session = ANY(v_live) THEN
        v_session := p_session;
    END IF;
    -- The lanes of workers that died hold the oldest work owed: they go first. (Only a
    -- shortlist: each is judged again below, with the sessions read after its leases.)
    SELECT pg_catalog.array_agg(DISTINCT d.lane) INTO v_orphans
    FROM events.deliveries AS d
    WHERE d.consumer_id = v_consumer.id AND d.state = 'leased'
      AND d.lease_session IS NOT NULL AND NOT d.lease_session = ANY(v_live);

    WHILE v_taken < p_limit LOOP
        v_walking := v_orphan >= coalesce(pg_catalog.cardinality(v_orphans), 0);
        IF NOT v_walking THEN
            v_orphan := v_orphan + 1;
            SELECT d.lane, d.event_id, d.position, d.state, d.available_at, d.lease_expires_at, d.lease_session
            INTO v_head
            FROM events.deliveries AS d
            WHERE d.consumer_id = v_consumer.id AND d.state <> 'dead' AND d.lane = v_orphans[v_orphan]
            ORDER BY d.position
            LIMIT 1;
            CONTINUE WHEN NOT FOUND;
        -- The head (lowest position) of the next lane after the cursor.
        ELSIF v_cursor IS NULL THEN
            SELECT d.lane, d.event_id, d.position, d.state, d.available_at, d.lease_expires_at, d.lease_session
            INTO v_head
            FROM events.deliveries AS d
            WHERE d.consumer_id = v_consumer.id AND d.state <> 'dead'
            ORDER BY d.lane, d.position
            LIMIT 1;
        ELSE
            SELECT d.lane, d.event_id, d.position, d.state, d.available_at, d.lease_expires_at, d.lease_session
            INTO v_head
            FROM events.deliveries AS d
            WHERE d.consumer_id = v_consumer.id AND d.state <> 'dead' AND d.lane > v_cursor
            ORDER BY d.lane, d.position
            LIMIT 1;
        END IF;
        IF v_walking THEN
            IF NOT FOUND OR (v_wrapped AND v_head.lane > v_start) THEN
                EXIT WHEN v_wrapped;
                v_wrapped := true;
                v_cursor := NULL;
                CONTINUE;
            END IF;
            v_cursor := v_head.lane;
        END IF;
        v_lane := v_head.lane;

        -- Waiting to retry: the lane waits.
        CONTINUE WHEN v_head.state = 'pending' AND v_head.available_at > v_now;
        -- In flight under a lease that is still running and whose worker's session looks alive
        -- (this list may be a little old; it is read again below before a lease is taken over).
        IF v_head.state = 'leased' AND v_head.lease_expires_at > v_now THEN
            CONTINUE WHEN v_head.lease_session IS NULL;
            CONTINUE WHEN v_head.lease_session = ANY(v_live);
        END IF;
        -- One claimer per lane at a time, until this transaction commits its leases.
        CONTINUE WHEN NOT pg_catalog.pg_try_advisory_xact_lock(v_lock_space, pg_catalog.hashtext(v_head.lane::text));
        -- Any lease of the lane still running holds it: the head's, or a later event's in flight
        -- (it became visible first). Sessions are judged after these rows were read: a lease
        -- is only ever written while its session is held, so one seen ended now has ended.
        SELECT
            pg_catalog.array_agg(DISTINCT d.lease_session) FILTER (WHERE d.lease_session IS NOT NULL),
            coalesce(bool_or(d.lease_session IS NULL), false)
        INTO v_running, v_sessionless
        FROM events.deliveries AS d
        WHERE d.consumer_id = v_consumer.id AND d.lane = v_head.lane
          AND d.state = 'leased' AND d.lease_expires_at > v_now;
        CONTINUE WHEN v_sessionless;
        IF v_running IS NOT NULL OR v_head.lease_session IS NOT NULL THEN
            v_live := events.live_sessions();
            CONTINUE WHEN v_running OPERATOR(pg_catalog.&&) v_live;
        END IF;
        -- Lock the head itself, and make sure it is still the head and still available.
        SELECT
            d.lane, d.event_id, d.position, d.state, d.attempts, d.redeliveries, d.available_at,
            d.lease_id, d.leased_by, d.lease_expires_at, d.lease_session
        INTO v_head
        FROM events.deliveries AS d
        WHERE d.consumer_id = v_consumer.id AND d.event_id = v_head.event_id
          AND d.state <> 'dead'
          AND NOT EXISTS (
              SELECT 1 FROM events.deliveries AS e
              WHERE e.consumer_id = d.consumer_id AND e.lane = d.lane
                AND e.state <> 'dead' AND e.position < d.position
          )
        FOR UPDATE SKIP LOCKED;
        CONTINUE WHEN NOT FOUND;
        CONTINUE WHEN v_head.state = 'pending' AND v_head.available_at > v_now;

        IF v_head.state = 'leased' AND v_head.lease_session IS NOT NULL
           AND NOT (v_head.lease_session = ANY(v_live)) THEN
            -- Its worker's session has ended: the worker is gone, whatever the lease says. Its
            -- whole lease is free now. The lease's first unfinished event may have been in hand
            -- (a batch runs in position order): that one is a redelivery, not a failed attempt;
            -- the rest go back untouched. Rows of the lease another claimer has locked are
            -- left to it.
            WITH lease_rows AS (
                SELECT d.consumer_id, d.event_id, d.position, d.redeliveries
                FROM events.deliveries AS d
                WHERE d.lease_id = v_head.lease_id AND d.state = 'leased'
                FOR UPDATE SKIP LOCKED
            ),

            first_row AS (
                SELECT min(d.position) AS position
                FROM events.deliveries AS d
                WHERE d.lease_id = v_head.lease_id AND d.state = 'leased'
            ),

            freed AS (
                SELECT
                    l.consumer_id, l.event_id,
                    l.position = f.position AS in_hand,
                    l.position = f.position AND l.redeliveries + 1 >= c_max_redeliveries AS poison
                FROM lease_rows AS l CROSS JOIN first_row AS f
            )

            UPDATE events.deliveries AS d SET
                redeliveries = d.redeliveries + CASE WHEN x.in_hand THEN 1 ELSE 0 END,
                state = CASE WHEN x.poison THEN 'dead' ELSE 'pending' END,
                dead_at = CASE WHEN x.poison THEN v_now END,
                available_at = CASE WHEN x.poison THEN d.available_at ELSE v_now END,
                last_error = CASE
                    WHEN x.poison THEN pg_catalog.format(
                        'redelivered %s times: each worker holding it ended during it (the last was %s)',
                        d.redeliveries + 1, coalesce(d.leased_by, '?')
                    )
                    ELSE d.last_error
                END,
                lease_id = NULL, leased_by = NULL, lease_expires_at = NULL, lease_session = NULL
            FROM freed AS x
            WHERE d.consumer_id = x.consumer_id AND d.event_id = x.event_id;
            -- The head is ours (still locked). If it became a dead letter, the lane goes on
            -- from its next event (freed with it, or nothing to take now).
            IF (SELECT d.state FROM events.deliveries AS d
                WHERE d.consumer_id = v_consumer.id AND d.event_id = v_head.event_id) = 'dead' THEN
                SELECT d.lane, d.event_id, d.position, d.state, d.available_at INTO v_head
                FROM events.deliveries AS d
                WHERE d.consumer_id = v_consumer.id AND d.lane = v_lane AND d.state <> 'dead'
                ORDER BY d.position
                LIMIT 1
                FOR UPDATE SKIP LOCKED;
                CONTINUE WHEN NOT FOUND OR v_head.state <> 'pending' OR v_head.available_at > v_now;
            END IF;
        ELSIF v_head.state = 'leased' AND v_head.lease_expires_at > v_now THEN
            CONTINUE;
        ELSIF v_head.state = 'leased' THEN
            -- Its lease ran out while its worker's session lived on (or it had none): the
            -- handler hung or ran past its limit. A timeout is a failed attempt like any other
            -- (backoff, then dead letter), so a hanging event cannot hold the lane forever.
            UPDATE events.deliveries AS d SET
                attempts = d.attempts + 1,
                state = CASE WHEN d.attempts + 1 >= v_consumer.max_attempts THEN 'dead' ELSE 'pending' END,
                dead_at = CASE WHEN d.attempts + 1 >= v_consumer.max_attempts THEN v_now END,
                available_at = CASE
                    WHEN d.attempts + 1 >= v_consumer.max_attempts THEN d.available_at
                    ELSE v_now + events.retry_delay(d.attempts + 1, v_consumer.backoff_base, v_consumer.backoff_max)
                END,
                last_error = pg_catalog.format(
                    'lease expired at %s: the worker %s hung or ran past its limit during attempt %s',
                    d.lease_expires_at, coalesce(d.leased_by, '?'), d.attempts + 1
                ),
                lease_id = NULL, leased_by = NULL, lease_expires_at = NULL, lease_session = NULL
            WHERE d.consumer_id = v_consumer.id AND d.event_id = v_head.event_id;
            CONTINUE;
        END IF;

        -- The run: the lane's first events in order, as far as each one is available.
        SELECT pg_catalog.array_agg(r.event_id ORDER BY r.position) INTO v_ids
        FROM (
            SELECT
                x.event_id, x.position,
                bool_and(x.usable) OVER (ORDER BY x.position) AS usable_so_far
            FROM (
                SELECT
                    d.event_id, d.position,
                    (d.state = 'pending' AND d.available_at <= v_now)
                    OR (d.state = 'leased' AND d.lease_expires_at <= v_now) AS usable
                FROM events.deliveries AS d
                WHERE d.consumer_id = v_consumer.id AND d.lane = v_lane AND d.state <> 'dead'
                ORDER BY d.position
                LIMIT least(p_per_lane, p_limit - v_taken)
            ) AS x
        ) AS r
        WHERE r.usable_so_far;

        SELECT pg_catalog.array_agg(l.event_id ORDER BY l.position) INTO v_locked
        FROM (
            SELECT d.event_id, d.position
            FROM events.deliveries AS d
            WHERE d.consumer_id = v_consumer.id AND d.event_id = ANY(v_ids)
              AND (
                  (d.state = 'pending' AND d.available_at <= v_now)
                  OR (d.state = 'leased' AND d.lease_expires_at <= v_now)
              )
            ORDER BY d.position
            FOR UPDATE SKIP LOCKED
        ) AS l;

        -- Only the unbroken start of the run: an event changed or locked meanwhile cuts it.
        v_n := 0;
        WHILE v_n < coalesce(pg_catalog.cardinality(v_locked), 0) AND v_locked[v_n + 1] = v_ids[v_n + 1] LOOP
            v_n := v_n + 1;
        END LOOP;
        CONTINUE WHEN v_n = 0;

        UPDATE events.deliveries AS d SET
            state = 'leased', lease_id = v_lease, leased_by = p_worker, lease_expires_at = v_expires,
            lease_session = v_session
        WHERE d.consumer_id = v_consumer.id AND d.event_id = ANY(v_locked[1:v_n]);
        v_taken := v_taken + v_n;
    END LOOP;

    RETURN QUERY
    SELECT
        v_lease, o.id, d.attempts + 1, d.redeliveries, d.lane, d.position, o.type, o.version,
        o.organization_id, o.actor_id, o.actor_type, o.request_id, o.occurred_at, o.payload
    FROM events.deliveries AS d
    INNER JOIN events.outbox AS o ON o.id = d.event_id
    WHERE d.lease_id = v_lease AND d.state = 'leased'
    -- Position order across lanes too: a dead worker's unfinished event is its lease's first.
    ORDER BY d.position;
END;
$$;

ALTER FUNCTION "events"."claim"("p_consumer" "text", "p_worker" "text", "p_limit" integer, "p_per_lane" integer, "p_lease" interval, "p_session" integer) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "claim"("p_consumer" "text", "p_worker" "text", "p_limit" integer, "p_per_lane" integer, "p_lease" interval, "p_session" integer); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."claim"("p_consumer" "text", "p_worker" "text", "p_limit" integer, "p_per_lane" integer, "p_lease" interval, "p_session" integer) IS 'Lease up to N deliveries of a consumer for a worker session, at most one lease per organization lane, each lane''s events in order.';

--
-- Name: complete("uuid", "uuid"); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."complete"("p_lease_id" "uuid", "p_event_id" "uuid") RETURNS boolean
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    PERFORM pg_catalog.set_config('synchronous_commit', 'off', true);  -- as in events.claim
    -- Done leaves the queue and a compact record in the event's month of history.
    WITH done AS (
        DELETE FROM events.deliveries AS d
        WHERE d.lease_id = p_lease_id AND d.event_id = p_event_id AND d.state = 'leased'
        RETURNING d.event_id, d.consumer_id, d.attempts, d.redeliveries, d.last_error
    )

    INSERT INTO events.delivery_history (event_id, consumer_id, attempts, redeliveries, last_error, completed_at)
    SELECT x.event_id, x.consumer_id, x.attempts + 1, x.redeliveries, x.last_error, util.now()
    FROM done AS x;
    RETURN FOUND;
END;
$$;

ALTER FUNCTION "events"."complete"("p_lease_id" "uuid", "p_event_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "complete"("p_lease_id" "uuid", "p_event_id" "uuid"); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."complete"("p_lease_id" "uuid", "p_event_id" "uuid") IS 'Mark a leased delivery done and record it; false when the lease was lost (another worker owns it now).';

--
-- Name: consumer_status(); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."consumer_status"() RETURNS TABLE("consumer" "text", "enabled" boolean, "pending" bigint, "leased" bigint, "dead" bigint, "oldest_pending" timestamp with time zone, "orphaned" bigint)
    LANGUAGE "sql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
    -- orphaned: leased by a worker whose session has ended; the next claim frees them.
    WITH live AS (SELECT events.live_sessions() AS keys)

    SELECT
        c.name, c.enabled,
        count(*) FILTER (WHERE d.state = 'pending'),
        count(*) FILTER (WHERE d.state = 'leased'),
        count(*) FILTER (WHERE d.state = 'dead'),
        min(o.occurred_at) FILTER (WHERE d.state = 'pending'),
        count(*) FILTER (
            WHERE d.state = 'leased' AND d.lease_session IS NOT NULL AND NOT d.lease_session = ANY(live.keys)
        )
    FROM live CROSS JOIN events.consumers AS c
    LEFT JOIN events.deliveries AS d ON d.consumer_id = c.id
    LEFT JOIN events.outbox AS o ON o.id = d.event_id AND d.state = 'pending'
    GROUP BY c.name, c.enabled
    ORDER BY c.name
$$;

ALTER FUNCTION "events"."consumer_status"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "consumer_status"(); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."consumer_status"() IS 'Per consumer: deliveries pending, leased and dead, the oldest pending event''s time (lag), and leases orphaned by ended workers.';

--
-- Name: discard_dead("text", "uuid"[]); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."discard_dead"("p_consumer" "text", "p_event_ids" "uuid"[] DEFAULT NULL::"uuid"[]) RETURNS integer
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_count integer;
BEGIN
    DELETE FROM events.deliveries AS d
    USING events.consumers AS c
    WHERE c.id = d.consumer_id AND c.name = p_consumer AND d.state = 'dead'
      AND (p_event_ids IS NULL OR d.event_id = ANY(p_event_ids));
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END;
$$;

ALTER FUNCTION "events"."discard_dead"("p_consumer" "text", "p_event_ids" "uuid"[]) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "discard_dead"("p_consumer" "text", "p_event_ids" "uuid"[]); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."discard_dead"("p_consumer" "text", "p_event_ids" "uuid"[]) IS 'Drop dead letters of a consumer (all, or the listed events) after they were dealt with.';

--
-- Name: ensure_partitions(integer, timestamp with time zone); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."ensure_partitions"("p_ahead" integer DEFAULT 3, "p_from" timestamp with time zone DEFAULT NULL::timestamp with time zone) RETURNS SETOF "text"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    -- Event ids carry the real clock (never the frozen test clock), so months follow it too.
    v_first date := pg_catalog.date_trunc('month', coalesce(p_from, pg_catalog.now()) AT TIME ZONE 'UTC')::date;
    v_month date;
    v_name text;
    v_from text;
    v_to text;
BEGIN
    FOR v_month IN SELECT * FROM util.months_ahead(v_first, p_ahead) LOOP
        v_from := util.uuid_v7_floor(v_month::timestamp AT TIME ZONE 'UTC')::text;
        v_to := util.uuid_v7_floor((v_month + INTERVAL '1 month')::timestamp AT TIME ZONE 'UTC')::text;
        v_name := util.ensure_month_partition('events', 'outbox', v_month, v_from, v_to);
        -- Completed deliveries are recorded in their event's month: the two go together.
        PERFORM util.ensure_month_partition('events', 'delivery_history', v_month, v_from, v_to);
        IF v_name IS NOT NULL THEN
            RETURN NEXT 'events.' || v_name;
        END IF;
    END LOOP;
END;
$$;

ALTER FUNCTION "events"."ensure_partitions"("p_ahead" integer, "p_from" timestamp with time zone) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "ensure_partitions"("p_ahead" integer, "p_from" timestamp with time zone); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."ensure_partitions"("p_ahead" integer, "p_from" timestamp with time zone) IS 'Creates the missing monthly outbox partitions (and their delivery-history months) from this month to N months ahead; returns the outbox ones created.';

--
-- Name: fail("uuid", "uuid", "text"); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."fail"("p_lease_id" "uuid", "p_event_id" "uuid", "p_error" "text") RETURNS "text"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_row record;
BEGIN
    PERFORM pg_catalog.set_config('synchronous_commit', 'off', true);  -- as in events.claim
    UPDATE events.deliveries AS d SET
        attempts = d.attempts + 1,
        state = CASE WHEN d.attempts + 1 >= c.max_attempts THEN 'dead' ELSE 'pending' END,
        dead_at = CASE WHEN d.attempts + 1 >= c.max_attempts THEN util.now() END,
        available_at = CASE
            WHEN d.attempts + 1 >= c.max_attempts THEN d.available_at
            ELSE util.now() + events.retry_delay(d.attempts + 1, c.backoff_base, c.backoff_max)
        END,
        last_error = pg_catalog.left(coalesce(nullif(p_error, ''), 'failed'), 4000),
        lease_id = NULL, leased_by = NULL, lease_expires_at = NULL, lease_session = NULL
    FROM events.consumers AS c
    WHERE c.id = d.consumer_id
      AND d.lease_id = p_lease_id AND d.event_id = p_event_id AND d.state = 'leased'
    RETURNING d.consumer_id, d.lane, d.position, d.state INTO v_row;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    -- The rest of this lease's run in the lane goes back, unattempted, behind the failed event.
    UPDATE events.deliveries AS d SET
        state = 'pending', available_at = util.now(),
        lease_id = NULL, leased_by = NULL, lease_expires_at = NULL, lease_session = NULL
    WHERE d.lease_id = p_lease_id AND d.state = 'leased'
      AND d.consumer_id = v_row.consumer_id AND d.lane = v_row.lane AND d.position > v_row.position;
    RETURN v_row.state;
END;
$$;

ALTER FUNCTION "events"."fail"("p_lease_id" "uuid", "p_event_id" "uuid", "p_error" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "fail"("p_lease_id" "uuid", "p_event_id" "uuid", "p_error" "text"); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."fail"("p_lease_id" "uuid", "p_event_id" "uuid", "p_error" "text") IS 'Record a failed attempt: retry later with backoff, or dead-letter after max attempts; returns the new state.';

--
-- Name: forget_consumer_deliveries(); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."forget_consumer_deliveries"() RETURNS "trigger"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    DELETE FROM events.deliveries AS d WHERE d.consumer_id = OLD.id;
    RETURN NULL;
END;
$$;

ALTER FUNCTION "events"."forget_consumer_deliveries"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "forget_consumer_deliveries"(); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."forget_consumer_deliveries"() IS 'AFTER DELETE trigger on events.consumers: what a removed consumer was owed goes with it.';

--
-- Name: heartbeat("uuid"[], interval); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."heartbeat"("p_lease_ids" "uuid"[], "p_lease" interval DEFAULT NULL::interval) RETURNS integer
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_count integer;
BEGIN
    PERFORM pg_catalog.set_config('synchronous_commit', 'off', true);  -- as in events.claim
    -- A lease that has already run out is not revived: another worker may be taking it over.
    UPDATE events.deliveries AS d
    SET lease_expires_at = util.now() + coalesce(p_lease, c.lease)
    FROM events.consumers AS c
    WHERE c.id = d.consumer_id
      AND d.lease_id = ANY(p_lease_ids) AND d.state = 'leased' AND d.lease_expires_at > util.now();
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END;
$$;

ALTER FUNCTION "events"."heartbeat"("p_lease_ids" "uuid"[], "p_lease" interval) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "heartbeat"("p_lease_ids" "uuid"[], "p_lease" interval); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."heartbeat"("p_lease_ids" "uuid"[], "p_lease" interval) IS 'Extend live leases by the lease length; returns how many deliveries are still held.';

--
-- Name: hold_session(integer); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."hold_session"("p_key" integer DEFAULT NULL::integer) RETURNS integer
    LANGUAGE "plpgsql"
    SET "search_path" TO ''
    AS $$
DECLARE
    v_space integer := events.session_lock_space();
BEGIN
    -- After a reconnect the worker asks for its old key: if nobody holds it, the leases that
    -- name it are its own again. Otherwise, or the first time, a random free key.
    IF p_key IS NOT NULL AND p_key > 0 THEN
        IF pg_catalog.pg_try_advisory_lock(v_space, p_key) THEN
            RETURN p_key;
        END IF;
    END IF;
    LOOP
        p_key := 1 + pg_catalog.floor(pg_catalog.random() * 2147483646)::integer;
        IF pg_catalog.pg_try_advisory_lock(v_space, p_key) THEN
            RETURN p_key;
        END IF;
    END LOOP;
END;
$$;

ALTER FUNCTION "events"."hold_session"("p_key" integer) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "hold_session"("p_key" integer); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."hold_session"("p_key" integer) IS 'Take a worker-session lock for this connection''s lifetime (the given key when free); returns its key.';

--
-- Name: live_sessions(); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."live_sessions"() RETURNS integer[]
    LANGUAGE "sql"
    SET "search_path" TO ''
    AS $$
    -- pg_locks as it is now (not as of the statement's snapshot): call it after reading the
    -- leases it judges, since a session always began before the leases that name it.
    SELECT coalesce(pg_catalog.array_agg(l.objid::bigint::integer), '{}')
    FROM pg_catalog.pg_locks AS l
    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
      AND l.classid = events.session_lock_space()::oid
      AND l.database = (
          SELECT d.oid FROM pg_catalog.pg_database AS d WHERE d.datname = pg_catalog.current_database()
      )
$$;

ALTER FUNCTION "events"."live_sessions"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "live_sessions"(); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."live_sessions"() IS 'The keys of the worker sessions alive in this database (their advisory locks are held).';

--
-- Name: on_domain_change(); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."on_domain_change"() RETURNS "trigger"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM events.publish_for(NEW.organization_id, 'domain.added', pg_catalog.jsonb_build_object(
            'domain_id', NEW.id, 'domain', NEW.domain
        ));
        -- Inserted verified (an import, a migration): say so as well.
        IF NEW.verified_at IS NOT NULL THEN
            PERFORM events.publish_for(NEW.organization_id, 'domain.verified', pg_catalog.jsonb_build_object(
                'domain_id', NEW.id, 'domain', NEW.domain, 'verified_at', NEW.verified_at
            ));
        END IF;
        IF NEW.is_primary THEN
            PERFORM events.publish_for(NEW.organization_id, 'domain.primary_changed', pg_catalog.jsonb_build_object(
                'domain_id', NEW.id, 'domain', NEW.domain, 'is_primary', true
            ));
        END IF;
    ELSIF TG_OP = 'UPDATE' THEN
        IF NEW.verified_at IS NOT NULL AND OLD.verified_at IS NULL THEN
            PERFORM events.publish_for(NEW.organization_id, 'domain.verified', pg_catalog.jsonb_build_object(
                'domain_id', NEW.id, 'domain', NEW.domain, 'verified_at', NEW.verified_at
            ));
        END IF;
        IF NEW.is_primary IS DISTINCT FROM OLD.is_primary THEN
            PERFORM events.publish_for(NEW.organization_id, 'domain.primary_changed', pg_catalog.jsonb_build_object(
                'domain_id', NEW.id, 'domain', NEW.domain, 'is_primary', NEW.is_primary
            ));
        END IF;
    ELSE
        PERFORM events.publish_for(OLD.organization_id, 'domain.removed', pg_catalog.jsonb_build_object(
            'domain_id', OLD.id, 'domain', OLD.domain
        ));
    END IF;
    RETURN NULL;
END;
$$;

ALTER FUNCTION "events"."on_domain_change"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "on_domain_change"(); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."on_domain_change"() IS 'AFTER trigger on tenancy.organization_domains: added, verified, primary_changed, removed.';

--
-- Name: on_invitation_change(); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."on_invitation_change"() RETURNS "trigger"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- The invitee's email stays out of the payload: consumers read it under RLS if they must.
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM events.publish_for(NEW.organization_id, 'invitation.created', pg_catalog.jsonb_build_object(
            'invitation_id', NEW.id, 'role_id', NEW.role_id, 'expires_at', NEW.expires_at
        ));
    ELSIF NEW.accepted_at IS NOT NULL AND OLD.accepted_at IS NULL THEN
        PERFORM events.publish_for(NEW.organization_id, 'invitation.accepted', pg_catalog.jsonb_build_object(
            'invitation_id', NEW.id, 'role_id', NEW.role_id, 'accepted_by', NEW.accepted_by
        ));
    ELSIF NEW.revoked_at IS NOT NULL AND OLD.revoked_at IS NULL THEN
        PERFORM events.publish_for(NEW.organization_id, 'invitation.revoked', pg_catalog.jsonb_build_object(
            'invitation_id', NEW.id
        ));
    END IF;
    RETURN NULL;
END;
$$;

ALTER FUNCTION "events"."on_invitation_change"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "on_invitation_change"(); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."on_invitation_change"() IS 'AFTER trigger on tenancy.invitations: invitation.created, invitation.accepted, invitation.revoked.';

--
-- Name: on_membership_change(); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."on_membership_change"() RETURNS "trigger"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status = 'invited' THEN
            PERFORM events.publish_for(NEW.organization_id, 'membership.invited', pg_catalog.jsonb_build_object(
                'membership_id', NEW.id, 'principal_id', NEW.principal_id, 'role_id', NEW.role_id,
                'invited_by', NEW.invited_by
            ));
        ELSE
            PERFORM events.publish_for(NEW.organization_id, 'membership.added', pg_catalog.jsonb_build_object(
                'membership_id', NEW.id, 'principal_id', NEW.principal_id, 'role_id', NEW.role_id,
                'status', NEW.status
            ));
        END IF;
    ELSIF TG_OP = 'UPDATE' THEN
        IF NEW.role_id IS DISTINCT FROM OLD.role_id THEN
            PERFORM events.publish_for(NEW.organization_id, 'membership.role_changed', pg_catalog.jsonb_build_object(
                'membership_id', NEW.id, 'principal_id', NEW.principal_id,
                'from_role_id', OLD.role_id, 'to_role_id', NEW.role_id
            ));
        END IF;
        IF NEW.status IS DISTINCT FROM OLD.status THEN
            PERFORM events.publish_for(NEW.organization_id, 'membership.status_changed', pg_catalog.jsonb_build_object(
                'membership_id', NEW.id, 'principal_id', NEW.principal_id,
                'from_status', OLD.status, 'to_status', NEW.status
            ));
        END IF;
    ELSE
        PERFORM events.publish_for(OLD.organization_id, 'membership.removed', pg_catalog.jsonb_build_object(
            'membership_id', OLD.id, 'principal_id', OLD.principal_id, 'role_id', OLD.role_id,
            'status', OLD.status
        ));
    END IF;
    RETURN NULL;
END;
$$;

ALTER FUNCTION "events"."on_membership_change"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "on_membership_change"(); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."on_membership_change"() IS 'AFTER trigger on tenancy.organization_memberships: invited, added, role_changed, status_changed, removed.';

--
-- Name: on_organization_change(); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."on_organization_change"() RETURNS "trigger"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_changed text [];
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM events.publish_for(NEW.id, 'organization.created', pg_catalog.jsonb_build_object(
            'organization_id', NEW.id, 'slug', NEW.slug, 'name', NEW.name, 'status', NEW.status
        ));
        RETURN NULL;
    END IF;
    v_changed := array_remove(ARRAY[
        CASE WHEN NEW.slug IS DISTINCT FROM OLD.slug THEN 'slug' END,
        CASE WHEN NEW.name IS DISTINCT FROM OLD.name THEN 'name' END,
        CASE WHEN NEW.status IS DISTINCT FROM OLD.status THEN 'status' END,
        CASE WHEN NEW.deleted_at IS DISTINCT FROM OLD.deleted_at THEN 'deleted_at' END
    ], NULL);
    IF pg_catalog.cardinality(v_changed) > 0 THEN
        PERFORM events.publish_for(NEW.id, 'organization.updated', pg_catalog.jsonb_build_object(
            'organization_id', NEW.id, 'slug', NEW.slug, 'name', NEW.name, 'status', NEW.status,
            'deleted_at', NEW.deleted_at, 'changed', pg_catalog.to_jsonb(v_changed)
        ));
    END IF;
    RETURN NULL;
END;
$$;

ALTER FUNCTION "events"."on_organization_change"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "on_organization_change"(); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."on_organization_change"() IS 'AFTER trigger on tenancy.organizations: organization.created and organization.updated.';

--
-- Name: on_role_change(); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."on_role_change"() RETURNS "trigger"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_changed text [];
BEGIN
    -- System templates have no organization: their events are platform events.
    IF TG_OP = 'INSERT' THEN
        PERFORM events.publish_for(NEW.organization_id, 'role.created', pg_catalog.jsonb_build_object(
            'role_id', NEW.id, 'code', NEW.code, 'name', NEW.name
        ));
    ELSIF TG_OP = 'UPDATE' THEN
        v_changed := array_remove(ARRAY[
            CASE WHEN NEW.code IS DISTINCT FROM OLD.code THEN 'code' END,
            CASE WHEN NEW.name IS DISTINCT FROM OLD.name THEN 'name' END,
            CASE WHEN NEW.description IS DISTINCT FROM OLD.description THEN 'description' END
        ], NULL);
        IF pg_catalog.cardinality(v_changed) > 0 THEN
            PERFORM events.publish_for(NEW.organization_id, 'role.updated', pg_catalog.jsonb_build_object(
                'role_id', NEW.id, 'code', NEW.code, 'name', NEW.name,
                'changed', pg_catalog.to_jsonb(v_changed),
                'permissions_added', '[]'::jsonb, 'permissions_removed', '[]'::jsonb
            ));
        END IF;
    ELSE
        PERFORM events.publish_for(OLD.organization_id, 'role.deleted', pg_catalog.jsonb_build_object(
            'role_id', OLD.id, 'code', OLD.code
        ));
    END IF;
    RETURN NULL;
END;
$$;

ALTER FUNCTION "events"."on_role_change"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "on_role_change"(); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."on_role_change"() IS 'AFTER trigger on iam.roles: role.created, role.updated, role.deleted.';

--
-- Name: on_role_permissions_change(); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."on_role_permissions_change"() RETURNS "trigger"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_role record;
BEGIN
    -- One role.updated per role per statement, listing the permissions granted or revoked.
    -- Rows removed because their role was deleted are covered by role.deleted (no role left).
    -- Each branch names only the transition table its trigger has.
    IF TG_OP = 'INSERT' THEN
        FOR v_role IN
            SELECT r.id, r.organization_id, r.code, r.name, c.codes
            FROM (
                SELECT n.role_id, pg_catalog.jsonb_agg(n.permission_code ORDER BY n.permission_code) AS codes
                FROM role_permissions_added AS n GROUP BY n.role_id
            ) AS c
            INNER JOIN iam.roles AS r ON r.id = c.role_id
            ORDER BY r.id
        LOOP
            PERFORM events.publish_for(v_role.organization_id, 'role.updated', pg_catalog.jsonb_build_object(
                'role_id', v_role.id, 'code', v_role.code, 'name', v_role.name,
                'changed', '["permissions"]'::jsonb,
                'permissions_added', v_role.codes, 'permissions_removed', '[]'::jsonb
            ));
        END LOOP;
    ELSE
        FOR v_role IN
            SELECT r.id, r.organization_id, r.code, r.name, c.codes
            FROM (
                SELECT o.role_id, pg_catalog.jsonb_agg(o.permission_code ORDER BY o.permission_code) AS codes
                FROM role_permissions_removed AS o GROUP BY o.role_id
            ) AS c
            INNER JOIN iam.roles AS r ON r.id = c.role_id
            ORDER BY r.id
        LOOP
            PERFORM events.publish_for(v_role.organization_id, 'role.updated', pg_catalog.jsonb_build_object(
                'role_id', v_role.id, 'code', v_role.code, 'name', v_role.name,
                'changed', '["permissions"]'::jsonb,
                'permissions_added', '[]'::jsonb, 'permissions_removed', v_role.codes
            ));
        END LOOP;
    END IF;
    RETURN NULL;
END;
$$;

ALTER FUNCTION "events"."on_role_permissions_change"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "on_role_permissions_change"(); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."on_role_permissions_change"() IS 'AFTER STATEMENT trigger on iam.role_permissions: one role.updated per role with the permissions granted or revoked.';

--
-- Name: on_routing_change(); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."on_routing_change"() RETURNS "trigger"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    PERFORM events.refresh_routes();
    RETURN NULL;
END;
$$;

ALTER FUNCTION "events"."on_routing_change"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "on_routing_change"(); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."on_routing_change"() IS 'AFTER statement trigger on events.event_types and events.consumers: keeps events.routes in step.';

--
-- Name: orphaned_leases("text"[]); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."orphaned_leases"("p_consumers" "text"[] DEFAULT NULL::"text"[]) RETURNS bigint
    LANGUAGE "sql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
    -- Deliveries still marked leased by workers whose session has ended; the next claim of
    -- their consumer frees them. An idle worker asks, to claim at once rather than at its poll.
    SELECT count(*)
    FROM (SELECT events.live_sessions() AS keys) AS live
    CROSS JOIN events.deliveries AS d
    INNER JOIN events.consumers AS c ON d.consumer_id = c.id
    WHERE d.state = 'leased' AND d.lease_session IS NOT NULL AND NOT d.lease_session = ANY(live.keys)
      AND (p_consumers IS NULL OR c.name = ANY(p_consumers))
$$;

ALTER FUNCTION "events"."orphaned_leases"("p_consumers" "text"[]) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "orphaned_leases"("p_consumers" "text"[]); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."orphaned_leases"("p_consumers" "text"[]) IS 'How many deliveries (of the named consumers, or all) are leased by workers whose session ended.';

--
-- Name: publish("text", "jsonb", integer); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."publish"("p_type" "text", "p_payload" "jsonb", "p_version" integer DEFAULT 1) RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_org uuid := iam.current_org_id();
BEGIN
    -- The session's organization counts only for its active members and platform admins, as
    -- in the policies; without a principal, publish for an organization with publish_for.
    IF v_org IS NOT NULL
       AND iam.current_member_org_id() IS DISTINCT FROM v_org
       AND NOT iam.is_platform_admin() THEN
        RAISE EXCEPTION 'permission_denied'
            USING DETAIL = 'events are published only in an organization the acting principal is an active member of',
                  ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN events.publish_for(v_org, p_type, p_payload, p_version);
END;
$$;

ALTER FUNCTION "events"."publish"("p_type" "text", "p_payload" "jsonb", "p_version" integer) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "publish"("p_type" "text", "p_payload" "jsonb", "p_version" integer); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."publish"("p_type" "text", "p_payload" "jsonb", "p_version" integer) IS 'Publish an event in the caller''s transaction, for the session''s organization, by the session''s principal (domain functions and the system pool only).';

--
-- Name: publish_for("uuid", "text", "jsonb", integer); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."publish_for"("p_organization_id" "uuid", "p_type" "text", "p_payload" "jsonb", "p_version" integer DEFAULT 1) RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_actor_id uuid := nullif(pg_catalog.current_setting('app.current_principal_id', true), '')::uuid;
    v_actor_type text;
    v_consumers integer [];
    v_id uuid;
    v_position bigint;
BEGIN
    IF p_payload IS NULL OR pg_catalog.jsonb_typeof(p_payload) <> 'object' THEN
        RAISE EXCEPTION 'event_payload_not_object'
            USING DETAIL = pg_catalog.format(
                'the payload of an event is a JSON object, not %s',
                coalesce(pg_catalog.jsonb_typeof(p_payload), 'NULL')
            );
    END IF;
    -- Events carry ids and small facts; consumers read anything bigger under RLS themselves.
    IF pg_catalog.octet_length(p_payload::text) > 262144 THEN
        RAISE EXCEPTION 'event_payload_too_large'
            USING DETAIL = pg_catalog.format(
                'the payload of an event is at most 262144 bytes of JSON, this one has %s',
                pg_catalog.octet_length(p_payload::text)
            );
    END IF;
    -- One read checks the type against the catalog and finds its consumers.
    SELECT r.consumer_ids INTO v_consumers
    FROM events.routes AS r WHERE r.type = p_type AND r.version = p_version;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'event_type_unknown'
            USING DETAIL = pg_catalog.format(
                'event type %s version %s is not in the catalog (events.event_types)',
                coalesce(p_type, 'NULL'), coalesce(p_version::text, 'NULL')
            );
    END IF;

    IF v_actor_id IS NOT NULL THEN
        SELECT p.kind INTO v_actor_type FROM iam.principals AS p WHERE p.id = v_actor_id;
    END IF;
    IF v_actor_type IS NULL THEN
        -- No actor, or an id that names no principal: the system acted, as in the audit log.
        v_actor_id := '00000000-0000-0000-0000-000000000001';
        v_actor_type := 'system';
    END IF;

    INSERT INTO events.outbox (type, version, organization_id, actor_id, actor_type, request_id, payload)
    VALUES (
        p_type, p_version, p_organization_id, v_actor_id, v_actor_type,
        nullif(pg_catalog.current_setting('app.request_id', true), ''), p_payload
    )
    RETURNING id, position INTO v_id, v_position;

    -- Fan out now, in this transaction: each consumer owes this event from the moment it commits.
    IF pg_catalog.cardinality(v_consumers) > 0 THEN
        INSERT INTO events.deliveries (consumer_id, event_id, position, lane)
        SELECT c.id, v_id, v_position, coalesce(p_organization_id, '00000000-0000-0000-0000-000000000000')
        FROM pg_catalog.unnest(v_consumers) AS c (id);
    END IF;

    -- Identical notifications of one transaction are folded into one, sent at commit.
    PERFORM pg_catalog.pg_notify('restartix_events', '');
    RETURN v_id;
END;
$$;

ALTER FUNCTION "events"."publish_for"("p_organization_id" "uuid", "p_type" "text", "p_payload" "jsonb", "p_version" integer) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "publish_for"("p_organization_id" "uuid", "p_type" "text", "p_payload" "jsonb", "p_version" integer); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."publish_for"("p_organization_id" "uuid", "p_type" "text", "p_payload" "jsonb", "p_version" integer) IS 'Publish an event for an explicit organization (NULL: a platform event); system pool and triggers only.';

--
-- Name: publish_many("text", "jsonb"[], integer); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."publish_many"("p_type" "text", "p_payloads" "jsonb"[], "p_version" integer DEFAULT 1) RETURNS "uuid"[]
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_org uuid := iam.current_org_id();
BEGIN
    -- Who may, as in events.publish.
    IF v_org IS NOT NULL
       AND iam.current_member_org_id() IS DISTINCT FROM v_org
       AND NOT iam.is_platform_admin() THEN
        RAISE EXCEPTION 'permission_denied'
            USING DETAIL = 'events are published only in an organization the acting principal is an active member of',
                  ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN events.publish_many_for(v_org, p_type, p_payloads, p_version);
END;
$$;

ALTER FUNCTION "events"."publish_many"("p_type" "text", "p_payloads" "jsonb"[], "p_version" integer) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "publish_many"("p_type" "text", "p_payloads" "jsonb"[], "p_version" integer); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."publish_many"("p_type" "text", "p_payloads" "jsonb"[], "p_version" integer) IS 'Publish many events of one type in the caller''s transaction, in array order, for the session''s organization.';

--
-- Name: publish_many_for("uuid", "text", "jsonb"[], integer); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."publish_many_for"("p_organization_id" "uuid", "p_type" "text", "p_payloads" "jsonb"[], "p_version" integer DEFAULT 1) RETURNS "uuid"[]
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_actor_id uuid := nullif(pg_catalog.current_setting('app.current_principal_id', true), '')::uuid;
    v_actor_type text;
    v_consumers integer [];
    v_bad record;
    v_ids uuid [];
BEGIN
    -- Nothing to publish (an empty array, or the NULL of array_agg over no rows): no event,
    -- no NOTIFY.
    IF coalesce(pg_catalog.cardinality(p_payloads), 0) = 0 THEN
        RETURN '{}';
    END IF;
    -- The rules of events.publish_for, for every payload; the first offender is named.
    SELECT p.ord, pg_catalog.jsonb_typeof(p.payload) AS kind INTO v_bad
    FROM pg_catalog.unnest(p_payloads) WITH ORDINALITY AS p (payload, ord)
    WHERE p.payload IS NULL OR pg_catalog.jsonb_typeof(p.payload) <> 'object'
    ORDER BY p.ord LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'event_payload_not_object'
            USING DETAIL = pg_catalog.format(
                'the payload of an event is a JSON object, not %s (payload %s of %s)',
                coalesce(v_bad.kind, 'NULL'), v_bad.ord, pg_catalog.cardinality(p_payloads)
            );
    END IF;
    SELECT p.ord, pg_catalog.octet_length(p.payload::text) AS bytes INTO v_bad
    FROM pg_catalog.unnest(p_payloads) WITH ORDINALITY AS p (payload, ord)
    WHERE pg_catalog.octet_length(p.payload::text) > 262144
    ORDER BY p.ord LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'event_payload_too_large'
            USING DETAIL = pg_catalog.format(
                'the payload of an event is at most 262144 bytes of JSON, this one has %s (payload %s of %s)',
                v_bad.bytes, v_bad.ord, pg_catalog.cardinality(p_payloads)
            );
    END IF;
    SELECT r.consumer_ids INTO v_consumers
    FROM events.routes AS r WHERE r.type = p_type AND r.version = p_version;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'event_type_unknown'
            USING DETAIL = pg_catalog.format(
                'event type %s version %s is not in the catalog (events.event_types)',
                coalesce(p_type, 'NULL'), coalesce(p_version::text, 'NULL')
            );
    END IF;

    IF v_actor_id IS NOT NULL THEN
        SELECT p.kind INTO v_actor_type FROM iam.principals AS p WHERE p.id = v_actor_id;
    END IF;
    IF v_actor_type IS NULL THEN
        v_actor_id := '00000000-0000-0000-0000-000000000001';
        v_actor_type := 'system';
    END IF;

    -- One statement: the events take positions in the order of the array (the organization's
    -- order for its consumers), and every consumer's delivery of each is written with them.
    WITH published AS (
        INSERT INTO events.outbox (type, version, organization_id, actor_id, actor_type, request_id, payload)
        SELECT
            p_type, p_version, p_organization_id, v_actor_id, v_actor_type,
            nullif(pg_catalog.current_setting('app.request_id', true), ''), p.payload
        FROM pg_catalog.unnest(p_payloads) WITH ORDINALITY AS p (payload, ord)
        ORDER BY p.ord
        RETURNING id, position
    ),

    fanned_out AS (
        INSERT INTO events.deliveries (consumer_id, event_id, position, lane)
        SELECT c.id, e.id, e.position, coalesce(p_organization_id, '00000000-0000-0000-0000-000000000000')
        FROM published AS e CROSS JOIN pg_catalog.unnest(v_consumers) AS c (id)
    )

    SELECT pg_catalog.array_agg(e.id ORDER BY e.position) INTO v_ids FROM published AS e;

    PERFORM pg_catalog.pg_notify('restartix_events', '');
    RETURN v_ids;
END;
$$;

ALTER FUNCTION "events"."publish_many_for"("p_organization_id" "uuid", "p_type" "text", "p_payloads" "jsonb"[], "p_version" integer) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "publish_many_for"("p_organization_id" "uuid", "p_type" "text", "p_payloads" "jsonb"[], "p_version" integer); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."publish_many_for"("p_organization_id" "uuid", "p_type" "text", "p_payloads" "jsonb"[], "p_version" integer) IS 'Publish many events of one type for an explicit organization in one statement, in array order; system pool and triggers only.';

--
-- Name: refresh_routes(); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."refresh_routes"() RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    -- One refresh at a time. Under READ COMMITTED each statement below reads what the
    -- previous refresh committed, so two consumers registered at once both end up routed.
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('events.routes'));
    -- Types gone from the catalog lose their routes with them (ON DELETE CASCADE).
    INSERT INTO events.routes AS r (type, version, consumer_ids)
    SELECT
        t.type, t.version,
        coalesce(pg_catalog.array_agg(c.id ORDER BY c.id) FILTER (WHERE c.id IS NOT NULL), '{}')
    FROM events.event_types AS t
    LEFT JOIN events.consumers AS c
        ON c.enabled AND c.types OPERATOR(pg_catalog.&&) events.type_patterns(t.type)
    GROUP BY t.type, t.version
    ON CONFLICT (type, version) DO UPDATE SET consumer_ids = excluded.consumer_ids
    WHERE r.consumer_ids IS DISTINCT FROM excluded.consumer_ids;
END;
$$;

ALTER FUNCTION "events"."refresh_routes"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "refresh_routes"(); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."refresh_routes"() IS 'Recompute events.routes (each event type''s enabled consumers) from the catalog and the consumers.';

--
-- Name: register_consumer("text", "text"[], integer, interval, interval, interval); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."register_consumer"("p_name" "text", "p_types" "text"[] DEFAULT '{*}'::"text"[], "p_max_attempts" integer DEFAULT 10, "p_lease" interval DEFAULT '00:00:30'::interval, "p_backoff_base" interval DEFAULT '00:00:01'::interval, "p_backoff_max" interval DEFAULT '00:10:00'::interval) RETURNS integer
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_id integer;
BEGIN
    -- The code that runs a consumer is the source of its settings; `enabled` stays an operator's.
    INSERT INTO events.consumers AS c (name, types, max_attempts, lease, backoff_base, backoff_max)
    VALUES (p_name, p_types, p_max_attempts, p_lease, p_backoff_base, p_backoff_max)
    ON CONFLICT (name) DO UPDATE SET
        types = excluded.types,
        max_attempts = excluded.max_attempts,
        lease = excluded.lease,
        backoff_base = excluded.backoff_base,
        backoff_max = excluded.backoff_max,
        updated_at = util.now()
    WHERE (c.types, c.max_attempts, c.lease, c.backoff_base, c.backoff_max)
        IS DISTINCT FROM (excluded.types, excluded.max_attempts, excluded.lease,
                          excluded.backoff_base, excluded.backoff_max)
    RETURNING c.id INTO v_id;
    IF v_id IS NULL THEN
        SELECT c.id INTO v_id FROM events.consumers AS c WHERE c.name = p_name;
    END IF;
    RETURN v_id;
END;
$$;

ALTER FUNCTION "events"."register_consumer"("p_name" "text", "p_types" "text"[], "p_max_attempts" integer, "p_lease" interval, "p_backoff_base" interval, "p_backoff_max" interval) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "register_consumer"("p_name" "text", "p_types" "text"[], "p_max_attempts" integer, "p_lease" interval, "p_backoff_base" interval, "p_backoff_max" interval); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."register_consumer"("p_name" "text", "p_types" "text"[], "p_max_attempts" integer, "p_lease" interval, "p_backoff_base" interval, "p_backoff_max" interval) IS 'Create a consumer or update its types and retry settings; it receives events published from then on.';

--
-- Name: release("uuid"); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."release"("p_lease_id" "uuid") RETURNS integer
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_count integer;
BEGIN
    PERFORM pg_catalog.set_config('synchronous_commit', 'off', true);  -- as in events.claim
    UPDATE events.deliveries AS d SET
        state = 'pending', available_at = util.now(),
        lease_id = NULL, leased_by = NULL, lease_expires_at = NULL, lease_session = NULL
    WHERE d.lease_id = p_lease_id AND d.state = 'leased';
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END;
$$;

ALTER FUNCTION "events"."release"("p_lease_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "release"("p_lease_id" "uuid"); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."release"("p_lease_id" "uuid") IS 'Give back what a lease still holds, unattempted and available at once (graceful shutdown).';

--
-- Name: replay("text", timestamp with time zone, timestamp with time zone); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."replay"("p_consumer" "text", "p_from" timestamp with time zone, "p_to" timestamp with time zone) RETURNS integer
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_consumer events.consumers;
    v_count integer;
BEGIN
    SELECT * INTO v_consumer FROM events.consumers AS c WHERE c.name = p_consumer;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'consumer_unknown' USING DETAIL = pg_catalog.format('no consumer named %s', p_consumer);
    END IF;
    IF p_from IS NULL OR p_to IS NULL OR p_from >= p_to THEN
        RAISE EXCEPTION 'a replay range needs from < to, got [%, %)', p_from, p_to
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- Owed again from the first attempt: new deliveries for events the consumer is done with,
    -- dead letters brought back; deliveries still pending or leased stay as they are.
    INSERT INTO events.deliveries AS d (consumer_id, event_id, position, lane)
    SELECT v_consumer.id, o.id, o.position, coalesce(o.organization_id, '00000000-0000-0000-0000-000000000000')
    FROM events.outbox AS o
    WHERE o.id >= util.uuid_v7_floor(p_from) AND o.id < util.uuid_v7_floor(p_to)
      AND v_consumer.types OPERATOR(pg_catalog.&&) events.type_patterns(o.type)
    ON CONFLICT (consumer_id, event_id) DO UPDATE SET
        state = 'pending', attempts = 0, redeliveries = 0, available_at = util.now(), last_error = NULL,
        dead_at = NULL
    WHERE d.state = 'dead';
    GET DIAGNOSTICS v_count = ROW_COUNT;
    PERFORM pg_catalog.pg_notify('restartix_events', '');
    RETURN v_count;
END;
$$;

ALTER FUNCTION "events"."replay"("p_consumer" "text", "p_from" timestamp with time zone, "p_to" timestamp with time zone) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "replay"("p_consumer" "text", "p_from" timestamp with time zone, "p_to" timestamp with time zone); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."replay"("p_consumer" "text", "p_from" timestamp with time zone, "p_to" timestamp with time zone) IS 'Deliver again to one consumer every event of its types recorded in [from, to); returns how many are owed anew.';

--
-- Name: retire_month("date"); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."retire_month"("p_month" "date") RETURNS "void"
    LANGUAGE "plpgsql"
    SET "search_path" TO ''
    AS $$
DECLARE
    v_start date := pg_catalog.date_trunc('month', p_month)::date;
    v_name text := 'outbox_p' || pg_catalog.to_char(p_month, 'YYYY_MM');
BEGIN
    IF v_start >= pg_catalog.date_trunc('month', pg_catalog.now() AT TIME ZONE 'UTC')::date THEN
        RAISE EXCEPTION 'refusing to retire the current or a future month (%)', p_month
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- Work still owed (dead letters included) keeps its month: replay or discard it first.
    IF EXISTS (
        SELECT 1 FROM events.deliveries AS d
        WHERE d.event_id >= util.uuid_v7_floor(v_start::timestamp AT TIME ZONE 'UTC')
          AND d.event_id < util.uuid_v7_floor((v_start + INTERVAL '1 month')::timestamp AT TIME ZONE 'UTC')
    ) THEN
        RAISE EXCEPTION 'events_month_has_deliveries'
            USING DETAIL = pg_catalog.format('deliveries still point into %s; finish, replay or discard them first', v_name);
    END IF;
    EXECUTE pg_catalog.format('DROP TABLE IF EXISTS events.%I', v_name);
    -- The month's record of completed deliveries goes with its events.
    EXECUTE pg_catalog.format(
        'DROP TABLE IF EXISTS events.%I', 'delivery_history_p' || pg_catalog.to_char(p_month, 'YYYY_MM')
    );
END;
$$;

ALTER FUNCTION "events"."retire_month"("p_month" "date") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "retire_month"("p_month" "date"); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."retire_month"("p_month" "date") IS 'Drops one past month of the outbox and its delivery history once no delivery points into it (owner only).';

--
-- Name: retry_delay(integer, interval, interval); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."retry_delay"("p_attempts" integer, "p_base" interval, "p_max" interval) RETURNS interval
    LANGUAGE "sql" PARALLEL SAFE
    AS $$
    -- Exponential, capped, with "equal jitter": between half and all of the capped delay, so
    -- events that failed together (an outage) do not all come back in the same instant.
    SELECT d * (0.5 + pg_catalog.random() * 0.5)
    FROM (
        SELECT least(p_max, p_base * pg_catalog.power(2, least(greatest(p_attempts, 1) - 1, 30))) AS d
    ) AS capped
$$;

ALTER FUNCTION "events"."retry_delay"("p_attempts" integer, "p_base" interval, "p_max" interval) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "retry_delay"("p_attempts" integer, "p_base" interval, "p_max" interval); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."retry_delay"("p_attempts" integer, "p_base" interval, "p_max" interval) IS 'Backoff before retry number N+1: base * 2^(N-1), capped at max, with jitter (50-100%).';

--
-- Name: session_lock_space(); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."session_lock_space"() RETURNS integer
    LANGUAGE "sql" IMMUTABLE PARALLEL SAFE
    SET "search_path" TO ''
    AS $$
    SELECT pg_catalog.hashtext('events.worker_session')
$$;

ALTER FUNCTION "events"."session_lock_space"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "session_lock_space"(); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."session_lock_space"() IS 'The first key of every worker-session advisory lock (the second is the session key).';

--
-- Name: type_patterns("text"); Type: FUNCTION; Schema: events; Owner: restartix_owner
--

CREATE FUNCTION "events"."type_patterns"("p_type" "text") RETURNS "text"[]
    LANGUAGE "plpgsql" IMMUTABLE PARALLEL SAFE
    SET "search_path" TO ''
    AS $$
DECLARE
    -- The consumer type patterns that select this type: '*', the type itself, and one
    -- 'prefix.*' per dotted prefix ('role.updated' -> '*', 'role.updated', 'role.*').
    v_parts text [] := pg_catalog.string_to_array(p_type, '.');
    v_patterns text [] := ARRAY['*', p_type];
BEGIN
    FOR i IN 1 .. coalesce(pg_catalog.cardinality(v_parts), 0) - 1 LOOP
        v_patterns := v_patterns || (pg_catalog.array_to_string(v_parts[1:i], '.') || '.*');
    END LOOP;
    RETURN v_patterns;
END;
$$;

ALTER FUNCTION "events"."type_patterns"("p_type" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "type_patterns"("p_type" "text"); Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON FUNCTION "events"."type_patterns"("p_type" "text") IS 'The consumer type patterns that select an event type: *, itself, and each prefix.*.';

--
-- Name: acts_as_owner(); Type: FUNCTION; Schema: iam; Owner: restartix_owner
--

CREATE FUNCTION "iam"."acts_as_owner"() RETURNS boolean
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    RETURN iam.is_platform_admin() OR EXISTS (
        SELECT 1 FROM tenancy.organization_memberships AS m
        INNER JOIN iam.roles AS r ON r.id = m.role_id
        WHERE m.organization_id = iam.current_member_org_id()
          AND m.principal_id = iam.current_principal_id()
          AND m.status = 'active' AND r.code = 'owner' AND r.organization_id IS NULL
    );
END;
$$;

ALTER FUNCTION "iam"."acts_as_owner"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "acts_as_owner"(); Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON FUNCTION "iam"."acts_as_owner"() IS 'True when the acting principal is an active owner of the current organization or a platform admin.';

--
-- Name: begin_request("uuid", "uuid", "text", "text", "text", "text"); Type: FUNCTION; Schema: iam; Owner: restartix_owner
--

CREATE FUNCTION "iam"."begin_request"("p_principal" "uuid", "p_org" "uuid", "p_request_id" "text", "p_client_ip" "text", "p_user_agent" "text", "p_requires" "text", OUT "blocked" boolean, OUT "org_visible" boolean, OUT "allowed" boolean) RETURNS "record"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    -- transaction-local (is_local = true): the settings end with the request's transaction.
    PERFORM pg_catalog.set_config('app.current_principal_id', p_principal::text, true),
            pg_catalog.set_config('app.current_org_id', coalesce(p_org::text, ''), true),
            pg_catalog.set_config('app.request_id', coalesce(p_request_id, ''), true),
            pg_catalog.set_config('app.action_context', '', true),
            pg_catalog.set_config('app.client_ip', coalesce(p_client_ip, ''), true),
            pg_catalog.set_config('app.user_agent', coalesce(p_user_agent, ''), true),
            pg_catalog.set_config('app.scope', '', true);
    blocked := iam.principal_is_blocked(p_principal);
    IF blocked THEN
        org_visible := false;
        allowed := false;
        RETURN;
    END IF;
    -- Platform staff see every live organization; anyone else only their own, active ones.
    org_visible := p_org IS NULL
        OR iam.current_member_org_id() IS NOT NULL
        OR (iam.is_platform_staff() AND EXISTS (
            SELECT 1 FROM tenancy.organizations AS o WHERE o.id = p_org
        ));
    allowed := org_visible AND (p_requires IS NULL OR iam.holds(p_requires));
    -- What the policies of this request's statements will ask again and again, answered once
    -- (iam.scope_answer): decided at the start of the request, like its permission.
    PERFORM pg_catalog.set_config('app.scope', pg_catalog.concat_ws('/',
        p_principal::text, coalesce(p_org::text, ''),
        coalesce(iam.current_member_org_id()::text, ''), coalesce(iam.current_platform_role(), '')
    ), true);
END;
$$;

ALTER FUNCTION "iam"."begin_request"("p_principal" "uuid", "p_org" "uuid", "p_request_id" "text", "p_client_ip" "text", "p_user_agent" "text", "p_requires" "text", OUT "blocked" boolean, OUT "org_visible" boolean, OUT "allowed" boolean) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "begin_request"("p_principal" "uuid", "p_org" "uuid", "p_request_id" "text", "p_client_ip" "text", "p_user_agent" "text", "p_requires" "text", OUT "blocked" boolean, OUT "org_visible" boolean, OUT "allowed" boolean); Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON FUNCTION "iam"."begin_request"("p_principal" "uuid", "p_org" "uuid", "p_request_id" "text", "p_client_ip" "text", "p_user_agent" "text", "p_requires" "text", OUT "blocked" boolean, OUT "org_visible" boolean, OUT "allowed" boolean) IS 'Opens a request: sets the scope transaction-locally; says whether the human is blocked, the organization visible and the requirement met.';

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
DECLARE
    v_recorded text := iam.scope_answer(3);
BEGIN
    IF v_recorded IS NOT NULL THEN
        RETURN nullif(v_recorded, '')::uuid;
    END IF;
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
DECLARE
    v_recorded text := iam.scope_answer(4);
BEGIN
    IF v_recorded IS NOT NULL THEN
        RETURN nullif(v_recorded, '');
    END IF;
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
-- Name: delete_role("uuid"); Type: FUNCTION; Schema: iam; Owner: restartix_owner
--

CREATE FUNCTION "iam"."delete_role"("p_role" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    PERFORM iam.require_permission('roles.manage');
    IF NOT EXISTS (SELECT 1 FROM iam.roles WHERE id = p_role AND organization_id = iam.current_org_id()) THEN
        RAISE EXCEPTION 'role_not_found' USING DETAIL = 'No such custom role in this organization (system templates are read-only).';
    END IF;
    PERFORM iam.require_grantable(iam.role_permission_codes(p_role), 'Deleting this role');
    IF EXISTS (SELECT 1 FROM tenancy.organization_memberships WHERE role_id = p_role) THEN
        RAISE EXCEPTION 'role_in_use' USING DETAIL = 'Members still hold this role; give them another first.';
    END IF;
    DELETE FROM iam.roles WHERE id = p_role;
END;
$$;

ALTER FUNCTION "iam"."delete_role"("p_role" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "delete_role"("p_role" "uuid"); Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON FUNCTION "iam"."delete_role"("p_role" "uuid") IS 'Delete a custom role no member holds.';

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
-- Name: holds("text"); Type: FUNCTION; Schema: iam; Owner: restartix_owner
--

CREATE FUNCTION "iam"."holds"("p_requirement" "text") RETURNS boolean
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    RETURN CASE p_requirement
        WHEN 'platform:admin' THEN iam.is_platform_admin()
        WHEN 'platform:staff' THEN iam.is_platform_staff()
        ELSE EXISTS (
            SELECT 1 FROM pg_catalog.string_to_array(p_requirement, '|') AS a (codes)
            CROSS JOIN LATERAL pg_catalog.unnest(a.codes) AS c (code)
            WHERE iam.has_permission(c.code)
        )
    END;
END;
$$;

ALTER FUNCTION "iam"."holds"("p_requirement" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "holds"("p_requirement" "text"); Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON FUNCTION "iam"."holds"("p_requirement" "text") IS 'Whether the acting principal meets a requirement: a permission code here (or any of a|b), or platform:admin / platform:staff.';

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
-- Name: require_grantable("text"[], "text"); Type: FUNCTION; Schema: iam; Owner: restartix_owner
--

CREATE FUNCTION "iam"."require_grantable"("p_permissions" "text"[], "p_what" "text") RETURNS "void"
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_missing text [];
BEGIN
    IF iam.acts_as_owner() THEN
        RETURN;
    END IF;
    SELECT pg_catalog.array_agg(DISTINCT p ORDER BY p) INTO v_missing
    FROM pg_catalog.unnest(coalesce(p_permissions, '{}')) AS p
    WHERE NOT iam.has_permission(p);
    IF v_missing IS NOT NULL THEN
        RAISE EXCEPTION 'permission_denied'
            USING DETAIL = p_what || ' needs permissions you do not hold: ' || pg_catalog.array_to_string(v_missing, ', '),
                  ERRCODE = 'insufficient_privilege';
    END IF;
END;
$$;

ALTER FUNCTION "iam"."require_grantable"("p_permissions" "text"[], "p_what" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "require_grantable"("p_permissions" "text"[], "p_what" "text"); Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON FUNCTION "iam"."require_grantable"("p_permissions" "text"[], "p_what" "text") IS 'Raises permission_denied unless the actor holds every one of these permissions (owners and platform admins excepted).';

--
-- Name: require_permission("text"); Type: FUNCTION; Schema: iam; Owner: restartix_owner
--

CREATE FUNCTION "iam"."require_permission"("p_code" "text") RETURNS "void"
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    IF NOT iam.has_permission(p_code) THEN
        RAISE EXCEPTION 'permission_denied' USING DETAIL = 'This needs the ' || p_code || ' permission.',
            ERRCODE = 'insufficient_privilege';
    END IF;
END;
$$;

ALTER FUNCTION "iam"."require_permission"("p_code" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "require_permission"("p_code" "text"); Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON FUNCTION "iam"."require_permission"("p_code" "text") IS 'Raises permission_denied (42501) unless the acting principal holds the permission here.';

--
-- Name: require_platform_admin(); Type: FUNCTION; Schema: iam; Owner: restartix_owner
--

CREATE FUNCTION "iam"."require_platform_admin"() RETURNS "void"
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    IF NOT iam.is_platform_admin() THEN
        RAISE EXCEPTION 'permission_denied' USING DETAIL = 'This is for platform administrators.',
            ERRCODE = 'insufficient_privilege';
    END IF;
END;
$$;

ALTER FUNCTION "iam"."require_platform_admin"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "require_platform_admin"(); Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON FUNCTION "iam"."require_platform_admin"() IS 'Raises permission_denied (42501) unless an unblocked platform superadmin acts.';

--
-- Name: role_permission_codes("uuid"); Type: FUNCTION; Schema: iam; Owner: restartix_owner
--

CREATE FUNCTION "iam"."role_permission_codes"("p_role" "uuid") RETURNS "text"[]
    LANGUAGE "sql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
    SELECT coalesce(pg_catalog.array_agg(rp.permission_code ORDER BY rp.permission_code), '{}')
    FROM iam.role_permissions AS rp WHERE rp.role_id = p_role
$$;

ALTER FUNCTION "iam"."role_permission_codes"("p_role" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "role_permission_codes"("p_role" "uuid"); Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON FUNCTION "iam"."role_permission_codes"("p_role" "uuid") IS 'The permission codes a role grants (internal: for the subset checks).';

--
-- Name: save_role("uuid", "text", "text", "text", "text"[]); Type: FUNCTION; Schema: iam; Owner: restartix_owner
--

CREATE FUNCTION "iam"."save_role"("p_role" "uuid", "p_code" "text", "p_name" "text", "p_description" "text", "p_permissions" "text"[]) RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- p_role NULL creates a custom role in the current organization; otherwise edits it.
DECLARE
    v_id uuid := p_role;
    v_unknown text [];
BEGIN
    PERFORM iam.require_permission('roles.manage');
    SELECT pg_catalog.array_agg(p ORDER BY p) INTO v_unknown
    FROM pg_catalog.unnest(coalesce(p_permissions, '{}')) AS p
    WHERE NOT EXISTS (SELECT 1 FROM iam.permissions AS c WHERE c.code = p);
    IF v_unknown IS NOT NULL THEN
        RAISE EXCEPTION 'unknown_permission' USING DETAIL = 'Unknown permissions: ' || pg_catalog.array_to_string(v_unknown, ', ');
    END IF;
    PERFORM iam.require_grantable(p_permissions, 'This role');
    IF v_id IS NULL THEN
        INSERT INTO iam.roles (organization_id, code, name, description)
        VALUES (iam.current_org_id(), p_code, pg_catalog.btrim(p_name), coalesce(p_description, ''))
        RETURNING id INTO v_id;
    ELSE
        IF NOT EXISTS (SELECT 1 FROM iam.roles WHERE id = v_id AND organization_id = iam.current_org_id()) THEN
            RAISE EXCEPTION 'role_not_found' USING DETAIL = 'No such custom role in this organization (system templates are read-only).';
        END IF;
        -- Editing a role is handing out what it grants now, too.
        PERFORM iam.require_grantable(iam.role_permission_codes(v_id), 'Editing this role');
        UPDATE iam.roles SET name = coalesce(pg_catalog.btrim(p_name), name),
                             description = coalesce(p_description, description)
        WHERE id = v_id;
    END IF;
    IF p_permissions IS NOT NULL THEN
        DELETE FROM iam.role_permissions WHERE role_id = v_id AND permission_code <> ALL (p_permissions);
        INSERT INTO iam.role_permissions (role_id, permission_code)
        SELECT v_id, p FROM pg_catalog.unnest(p_permissions) AS p
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN v_id;
END;
$$;

ALTER FUNCTION "iam"."save_role"("p_role" "uuid", "p_code" "text", "p_name" "text", "p_description" "text", "p_permissions" "text"[]) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "save_role"("p_role" "uuid", "p_code" "text", "p_name" "text", "p_description" "text", "p_permissions" "text"[]); Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON FUNCTION "iam"."save_role"("p_role" "uuid", "p_code" "text", "p_name" "text", "p_description" "text", "p_permissions" "text"[]) IS 'Create or edit a custom role of the current organization and set its permissions.';

--
-- Name: scope_answer(integer); Type: FUNCTION; Schema: iam; Owner: restartix_owner
--

CREATE FUNCTION "iam"."scope_answer"("p_part" integer) RETURNS "text"
    LANGUAGE "plpgsql" STABLE
    SET "search_path" TO ''
    AS $$
-- iam.begin_request records what it found as app.scope = principal/org/member org/platform
-- role. Policies ask for the member organization and the platform role several times per
-- statement; while the scope is still the one it was recorded for, the answer is read back
-- instead of queried again. NULL means "not recorded": the caller computes it.
DECLARE
    v_parts text [] := pg_catalog.string_to_array(pg_catalog.current_setting('app.scope', true), '/');
BEGIN
    IF pg_catalog.array_length(v_parts, 1) = 4
       AND v_parts[1] = coalesce(pg_catalog.current_setting('app.current_principal_id', true), '')
       AND v_parts[2] = coalesce(pg_catalog.current_setting('app.current_org_id', true), '') THEN
        RETURN v_parts[p_part];
    END IF;
    RETURN NULL;
END;
$$;

ALTER FUNCTION "iam"."scope_answer"("p_part" integer) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "scope_answer"("p_part" integer); Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON FUNCTION "iam"."scope_answer"("p_part" integer) IS 'An answer iam.begin_request recorded for the current principal and organization (empty for none), or NULL when none was recorded.';

--
-- Name: set_human_blocked("uuid", boolean); Type: FUNCTION; Schema: iam; Owner: restartix_owner
--

CREATE FUNCTION "iam"."set_human_blocked"("p_principal" "uuid", "p_blocked" boolean) RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    PERFORM iam.require_platform_admin();
    IF p_principal = iam.current_principal_id() THEN
        RAISE EXCEPTION 'cannot_block_self' USING DETAIL = 'You cannot block yourself.';
    END IF;
    UPDATE iam.humans SET blocked_at = CASE WHEN p_blocked THEN coalesce(blocked_at, util.now()) END
    WHERE principal_id = p_principal;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'not_found' USING DETAIL = 'No such human.';
    END IF;
END;
$$;

ALTER FUNCTION "iam"."set_human_blocked"("p_principal" "uuid", "p_blocked" boolean) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "set_human_blocked"("p_principal" "uuid", "p_blocked" boolean); Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON FUNCTION "iam"."set_human_blocked"("p_principal" "uuid", "p_blocked" boolean) IS 'Platform admins block or unblock a human everywhere.';

--
-- Name: set_platform_role("uuid", "text"); Type: FUNCTION; Schema: iam; Owner: restartix_owner
--

CREATE FUNCTION "iam"."set_platform_role"("p_principal" "uuid", "p_role" "text") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- p_role NULL revokes.
BEGIN
    PERFORM iam.require_platform_admin();
    IF NOT EXISTS (SELECT 1 FROM iam.humans WHERE principal_id = p_principal) THEN
        RAISE EXCEPTION 'not_found' USING DETAIL = 'No such human.';
    END IF;
    IF p_role IS NULL THEN
        IF p_principal = iam.current_principal_id() THEN
            RAISE EXCEPTION 'cannot_revoke_self' USING DETAIL = 'You cannot revoke your own platform role.';
        END IF;
        DELETE FROM iam.platform_memberships WHERE principal_id = p_principal;
    ELSE
        INSERT INTO iam.platform_memberships (principal_id, role, granted_by)
        VALUES (p_principal, p_role, iam.current_principal_id())
        ON CONFLICT (principal_id) DO UPDATE SET role = EXCLUDED.role, granted_by = EXCLUDED.granted_by;
    END IF;
END;
$$;

ALTER FUNCTION "iam"."set_platform_role"("p_principal" "uuid", "p_role" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "set_platform_role"("p_principal" "uuid", "p_role" "text"); Type: COMMENT; Schema: iam; Owner: restartix_owner
--

COMMENT ON FUNCTION "iam"."set_platform_role"("p_principal" "uuid", "p_role" "text") IS 'Platform admins grant (superadmin, support) or revoke (NULL) a platform role.';

--
-- Name: forget_revoked_credentials(); Type: FUNCTION; Schema: integrations; Owner: restartix_owner
--

CREATE FUNCTION "integrations"."forget_revoked_credentials"() RETURNS "trigger"
    LANGUAGE "plpgsql"
    SET "search_path" TO ''
    AS $$
BEGIN
    -- A disconnected account's tokens are useless and still secret: they are not kept.
    IF NEW.status = 'disconnected' THEN
        NEW.credentials_encrypted := NULL;
    END IF;
    RETURN NEW;
END;
$$;

ALTER FUNCTION "integrations"."forget_revoked_credentials"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "forget_revoked_credentials"(); Type: COMMENT; Schema: integrations; Owner: restartix_owner
--

COMMENT ON FUNCTION "integrations"."forget_revoked_credentials"() IS 'BEFORE INSERT/UPDATE trigger: a disconnected integration keeps no credentials.';

--
-- Name: resolve_provider("text", "uuid"); Type: FUNCTION; Schema: integrations; Owner: restartix_owner
--

CREATE FUNCTION "integrations"."resolve_provider"("p_category" "text", "p_org" "uuid") RETURNS TABLE("id" "uuid", "organization_id" "uuid", "category" "text", "provider" "text", "config" "jsonb", "source" "text")
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
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

ALTER FUNCTION "integrations"."resolve_provider"("p_category" "text", "p_org" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "resolve_provider"("p_category" "text", "p_org" "uuid"); Type: COMMENT; Schema: integrations; Owner: restartix_owner
--

COMMENT ON FUNCTION "integrations"."resolve_provider"("p_category" "text", "p_org" "uuid") IS 'The provider an organization uses for a category: its enabled override, else the enabled platform default; no row when neither exists. Never returns credentials.';

--
-- Name: ensure_partitions(integer, timestamp with time zone); Type: FUNCTION; Schema: metering; Owner: restartix_owner
--

CREATE FUNCTION "metering"."ensure_partitions"("p_ahead" integer DEFAULT 3, "p_from" timestamp with time zone DEFAULT NULL::timestamp with time zone) RETURNS SETOF "text"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- No default partition, as for the audit log: an uncovered month fails loudly (23514)
-- instead of filling a catch-all that would later block attaching the real month.
DECLARE
    v_first date := metering.period_start(coalesce(p_from, util.now()));
    v_month date;
    v_name text;
BEGIN
    FOR v_month IN SELECT * FROM util.months_ahead(v_first, p_ahead) LOOP
        v_name := util.ensure_month_partition(
            'metering', 'usage_events', v_month,
            (v_month::timestamp AT TIME ZONE 'UTC')::text,
            ((v_month + INTERVAL '1 month')::timestamp AT TIME ZONE 'UTC')::text
        );
        IF v_name IS NOT NULL THEN
            RETURN NEXT 'metering.' || v_name;
        END IF;
    END LOOP;
END;
$$;

ALTER FUNCTION "metering"."ensure_partitions"("p_ahead" integer, "p_from" timestamp with time zone) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "ensure_partitions"("p_ahead" integer, "p_from" timestamp with time zone); Type: COMMENT; Schema: metering; Owner: restartix_owner
--

COMMENT ON FUNCTION "metering"."ensure_partitions"("p_ahead" integer, "p_from" timestamp with time zone) IS 'Creates the missing monthly usage event partitions from a month (default: this one) to N months ahead; returns the ones created.';

--
-- Name: limit_period_usage("uuid", "text"); Type: FUNCTION; Schema: metering; Owner: restartix_owner
--

CREATE FUNCTION "metering"."limit_period_usage"("p_org" "uuid", "p_limit_code" "text") RETURNS bigint
    LANGUAGE "plpgsql" STABLE
    SET "search_path" TO ''
    AS $$
-- plpgsql, so its plans are cached per session: it runs inside every quota check.
DECLARE
    v_meter text;
BEGIN
    SELECT m.code INTO v_meter
    FROM metering.meters AS m
    INNER JOIN billing.limit_definitions AS d ON d.code = m.limit_code
    WHERE m.limit_code = p_limit_code AND d.period = 'month';
    IF v_meter IS NULL THEN
        RETURN NULL;
    END IF;
    -- One primary-key read of this month's rollup, however many events there are.
    RETURN coalesce((
        SELECT r.quantity FROM metering.usage_rollups AS r
        WHERE r.organization_id = p_org AND r.meter = v_meter
          AND r.period_start = metering.period_start(util.now())
    ), 0);
END;
$$;

ALTER FUNCTION "metering"."limit_period_usage"("p_org" "uuid", "p_limit_code" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "limit_period_usage"("p_org" "uuid", "p_limit_code" "text"); Type: COMMENT; Schema: metering; Owner: restartix_owner
--

COMMENT ON FUNCTION "metering"."limit_period_usage"("p_org" "uuid", "p_limit_code" "text") IS 'This month''s metered usage of a per-month limit for an organization (NULL when no meter counts against it).';

--
-- Name: period_start(timestamp with time zone); Type: FUNCTION; Schema: metering; Owner: restartix_owner
--

CREATE FUNCTION "metering"."period_start"("p_at" timestamp with time zone) RETURNS "date"
    LANGUAGE "sql" IMMUTABLE PARALLEL SAFE
    AS $$ SELECT pg_catalog.date_trunc('month', p_at AT TIME ZONE 'UTC')::date $$;

ALTER FUNCTION "metering"."period_start"("p_at" timestamp with time zone) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "period_start"("p_at" timestamp with time zone); Type: COMMENT; Schema: metering; Owner: restartix_owner
--

COMMENT ON FUNCTION "metering"."period_start"("p_at" timestamp with time zone) IS 'The first day of the UTC month an instant falls in: the metering period.';

--
-- Name: record_usage("text", bigint, timestamp with time zone, "text"); Type: FUNCTION; Schema: metering; Owner: restartix_owner
--

CREATE FUNCTION "metering"."record_usage"("p_meter" "text", "p_quantity" bigint, "p_occurred_at" timestamp with time zone, "p_idempotency_key" "text") RETURNS TABLE("event_id" "uuid", "duplicate" boolean, "period_start" "date", "period_quantity" bigint)
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_org uuid := iam.current_org_id();
    v_meter metering.meters;
    v_limit_period text;
    v_period date;
    v_key metering.usage_event_keys;
    v_event uuid;
    v_total bigint;
BEGIN
    IF v_org IS NULL OR NOT EXISTS (
        SELECT 1 FROM tenancy.organizations AS o WHERE o.id = v_org AND o.deleted_at IS NULL
    ) THEN
        RAISE EXCEPTION 'organization_not_found' USING DETAIL = 'No organization in scope.';
    END IF;
    -- Usage is reported by the platform's own services: the system pool, or a request acting
    -- as an active member of the organization (the feature route authorizes the action).
    IF util.called_from_request_pool()
       AND iam.current_member_org_id() IS DISTINCT FROM v_org
       AND NOT iam.is_platform_admin() THEN
        RAISE EXCEPTION 'permission_denied'
            USING DETAIL = 'Usage is recorded only in an organization the acting principal is an active member of.',
                  ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT * INTO v_meter FROM metering.meters AS m WHERE m.code = p_meter;
    IF v_meter.code IS NULL THEN
        RAISE EXCEPTION 'meter_unknown' USING DETAIL = pg_catalog.format('No meter %s.', coalesce(p_meter, 'NULL'));
    END IF;
    IF p_quantity IS NULL OR p_quantity < 1 OR p_quantity > 1000000000000 THEN
        RAISE EXCEPTION 'usage_quantity_invalid' USING DETAIL = 'The quantity is a whole number from 1 to 10^12.';
    END IF;
    IF p_idempotency_key IS NULL OR pg_catalog.length(p_idempotency_key) NOT BETWEEN 1 AND 200 THEN
        RAISE EXCEPTION 'idempotency_key_invalid' USING DETAIL = 'The idempotency key is 1 to 200 characters.';
    END IF;
    -- Late reports are taken for this month and the previous one (both partitions exist);
    -- the clock may run a little ahead at the reporter.
    IF p_occurred_at IS NULL
       OR p_occurred_at > util.now() + INTERVAL '5 minutes'
       OR p_occurred_at < (metering.period_start(util.now()) - INTERVAL '1 month')::timestamp AT TIME ZONE 'UTC' THEN
        RAISE EXCEPTION 'usage_out_of_window'
            USING DETAIL = 'Usage is reported for the current or the previous month, never ahead of time.';
    END IF;
    v_period := metering.period_start(p_occurred_at);

    -- The limit's lock first, then the dedupe, then the check: a retried report waits for the
    -- original, finds its key and is answered as a duplicate, never as over the limit.
    IF v_meter.limit_code IS NOT NULL THEN
        PERFORM billing.lock_limit(v_org, v_meter.limit_code);
        SELECT d.period INTO v_limit_period FROM billing.limit_definitions AS d WHERE d.code = v_meter.limit_code;
    END IF;

    INSERT INTO metering.usage_event_keys AS k (organization_id, idempotency_key, event_id, meter, quantity, occurred_at)
    VALUES (v_org, p_idempotency_key, pg_catalog.gen_random_uuid(), p_meter, p_quantity, p_occurred_at)
    ON CONFLICT (organization_id, idempotency_key) DO NOTHING
    RETURNING k.event_id INTO v_event;
    IF v_event IS NULL THEN
        SELECT * INTO v_key FROM metering.usage_event_keys AS k
        WHERE k.organization_id = v_org AND k.idempotency_key = p_idempotency_key;
        IF v_key.meter <> p_meter OR v_key.quantity <> p_quantity OR v_key.occurred_at <> p_occurred_at THEN
            RAISE EXCEPTION 'idempotency_key_reused'
                USING DETAIL = 'This idempotency key already recorded different usage (meter, quantity or time).';
        END IF;
        RETURN QUERY
        SELECT v_key.event_id, true, metering.period_start(v_key.occurred_at), coalesce((
            SELECT r.quantity FROM metering.usage_rollups AS r
            WHERE r.organization_id = v_org AND r.meter = p_meter
              AND r.period_start = metering.period_start(v_key.occurred_at)
        ), 0);
        RETURN;
    END IF;

    -- A quota guards what is still to be consumed: only reports of the current month count
    -- against it; a late report for last month is recorded as it happened.
    IF v_limit_period = 'month' AND v_period = metering.period_start(util.now()) THEN
        PERFORM billing.enforce_limit(v_meter.limit_code, p_quantity);
    END IF;

    INSERT INTO metering.usage_events (id, organization_id, meter, quantity, occurred_at, idempotency_key, recorded_by)
    VALUES (
        v_event, v_org, p_meter, p_quantity, p_occurred_at, p_idempotency_key,
        coalesce(iam.current_principal_id(), '00000000-0000-0000-0000-000000000001')
    );
    INSERT INTO metering.usage_rollups AS r (organization_id, meter, period_start, quantity, event_count)
    VALUES (v_org, p_meter, v_period, p_quantity, 1)
    ON CONFLICT ON CONSTRAINT usage_rollups_pkey DO UPDATE
    SET quantity = r.quantity + excluded.quantity,
        event_count = r.event_count + 1,
        updated_at = util.now()
    RETURNING r.quantity INTO v_total;

    RETURN QUERY SELECT v_event, false, v_period, v_total;
END;
$$;

ALTER FUNCTION "metering"."record_usage"("p_meter" "text", "p_quantity" bigint, "p_occurred_at" timestamp with time zone, "p_idempotency_key" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "record_usage"("p_meter" "text", "p_quantity" bigint, "p_occurred_at" timestamp with time zone, "p_idempotency_key" "text"); Type: COMMENT; Schema: metering; Owner: restartix_owner
--

COMMENT ON FUNCTION "metering"."record_usage"("p_meter" "text", "p_quantity" bigint, "p_occurred_at" timestamp with time zone, "p_idempotency_key" "text") IS 'Record usage for the current organization once per idempotency key, update its monthly rollup and enforce the meter''s quota race-free.';

--
-- Name: retire_month("date"); Type: FUNCTION; Schema: metering; Owner: restartix_owner
--

CREATE FUNCTION "metering"."retire_month"("p_month" "date") RETURNS "void"
    LANGUAGE "plpgsql"
    SET "search_path" TO ''
    AS $$
DECLARE
    v_start date := metering.period_start(p_month::timestamp AT TIME ZONE 'UTC');
BEGIN
    -- The current month and the one before still take late reports; rollups stay forever.
    IF v_start >= (metering.period_start(util.now()) - INTERVAL '1 month')::date THEN
        RAISE EXCEPTION 'refusing to retire a month that still takes usage reports (%)', p_month
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE pg_catalog.format('DROP TABLE IF EXISTS metering.%I', 'usage_events_p' || pg_catalog.to_char(v_start, 'YYYY_MM'));
    DELETE FROM metering.usage_event_keys AS k
    WHERE k.occurred_at >= (v_start::timestamp AT TIME ZONE 'UTC')
      AND k.occurred_at < ((v_start + INTERVAL '1 month')::timestamp AT TIME ZONE 'UTC');
END;
$$;

ALTER FUNCTION "metering"."retire_month"("p_month" "date") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "retire_month"("p_month" "date"); Type: COMMENT; Schema: metering; Owner: restartix_owner
--

COMMENT ON FUNCTION "metering"."retire_month"("p_month" "date") IS 'Drops one closed month of usage events and its idempotency keys (owner only); the rollups stay.';

--
-- Name: add_caregiver("uuid", "text", "text", "text"[]); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."add_caregiver"("p_patient" "uuid", "p_email" "text", "p_relationship" "text", "p_permissions" "text"[]) RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- Staff record that a human with an account (found by email) acts for their patient.
DECLARE
    v_patient people.patients;
    v_human uuid;
BEGIN
    PERFORM people.require_member_permission('patients.manage');
    v_patient := people.lock_patient(p_patient);
    SELECT h.principal_id INTO v_human FROM iam.humans AS h WHERE h.email = p_email::public.citext;
    IF v_human IS NULL THEN
        RAISE EXCEPTION 'caregiver_unknown' USING DETAIL = 'A caregiver needs an account with this email.';
    END IF;
    IF EXISTS (SELECT 1 FROM people.patient_profiles AS pp WHERE pp.id = v_patient.patient_profile_id AND pp.human_id = v_human) THEN
        RAISE EXCEPTION 'caregiver_is_patient' USING DETAIL = 'A patient is not their own caregiver.';
    END IF;
    RETURN people.add_caregiver_link(v_patient.patient_profile_id, v_human, p_relationship, p_permissions);
END;
$$;

ALTER FUNCTION "people"."add_caregiver"("p_patient" "uuid", "p_email" "text", "p_relationship" "text", "p_permissions" "text"[]) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "add_caregiver"("p_patient" "uuid", "p_email" "text", "p_relationship" "text", "p_permissions" "text"[]); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."add_caregiver"("p_patient" "uuid", "p_email" "text", "p_relationship" "text", "p_permissions" "text"[]) IS 'Record a caregiver (an existing human, by email) for a patient of the organization (patients.manage).';

--
-- Name: add_caregiver_link("uuid", "uuid", "text", "text"[]); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."add_caregiver_link"("p_profile" "uuid", "p_human" "uuid", "p_relationship" "text", "p_permissions" "text"[]) RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_id uuid;
    v_permissions text [] := ARRAY(SELECT DISTINCT x FROM pg_catalog.unnest(coalesce(p_permissions, '{}')) AS x ORDER BY x);
BEGIN
    INSERT INTO people.patient_caregivers (patient_profile_id, caregiver_human_id, relationship, permissions, created_by)
    VALUES (p_profile, p_human, p_relationship, v_permissions, iam.current_principal_id())
    RETURNING id INTO v_id;
    PERFORM events.publish('caregiver.added', pg_catalog.jsonb_build_object(
        'caregiver_id', v_id, 'patient_profile_id', p_profile, 'caregiver_human_id', p_human,
        'relationship', p_relationship, 'permissions', pg_catalog.to_jsonb(v_permissions)
    ));
    RETURN v_id;
END;
$$;

ALTER FUNCTION "people"."add_caregiver_link"("p_profile" "uuid", "p_human" "uuid", "p_relationship" "text", "p_permissions" "text"[]) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "add_caregiver_link"("p_profile" "uuid", "p_human" "uuid", "p_relationship" "text", "p_permissions" "text"[]); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."add_caregiver_link"("p_profile" "uuid", "p_human" "uuid", "p_relationship" "text", "p_permissions" "text"[]) IS 'Internal: records a caregiver link and publishes caregiver.added; the callers check who may.';

--
-- Name: apply_profile_changes("uuid", "jsonb", "text"[]); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."apply_profile_changes"("p_profile" "uuid", "p_changes" "jsonb", "p_allowed" "text"[]) RETURNS "text"[]
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- Sets the profile columns named in p_changes (a JSON null clears one); keys outside
-- p_allowed are refused. Returns the keys changed, sorted.
DECLARE
    v_keys text [];
BEGIN
    SELECT coalesce(pg_catalog.array_agg(k ORDER BY k), '{}') INTO v_keys FROM pg_catalog.jsonb_object_keys(p_changes) AS k;
    IF NOT v_keys <@ p_allowed THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'These fields cannot be changed here.';
    END IF;
    IF pg_catalog.cardinality(v_keys) = 0 THEN
        RETURN v_keys;
    END IF;
    UPDATE people.patient_profiles AS pp SET
        first_name = CASE WHEN p_changes ? 'first_name' THEN pg_catalog.btrim(p_changes ->> 'first_name') ELSE pp.first_name END,
        last_name = CASE WHEN p_changes ? 'last_name' THEN pg_catalog.btrim(p_changes ->> 'last_name') ELSE pp.last_name END,
        date_of_birth = CASE WHEN p_changes ? 'date_of_birth' THEN (p_changes ->> 'date_of_birth')::date ELSE pp.date_of_birth END,
        sex = CASE WHEN p_changes ? 'sex' THEN p_changes ->> 'sex' ELSE pp.sex END,
        phone = CASE WHEN p_changes ? 'phone' THEN p_changes ->> 'phone' ELSE pp.phone END,
        email = CASE WHEN p_changes ? 'email' THEN (p_changes ->> 'email')::public.citext ELSE pp.email END,
        emergency_contact_name = CASE WHEN p_changes ? 'emergency_contact_name'
            THEN p_changes ->> 'emergency_contact_name' ELSE pp.emergency_contact_name END,
        emergency_contact_phone = CASE WHEN p_changes ? 'emergency_contact_phone'
            THEN p_changes ->> 'emergency_contact_phone' ELSE pp.emergency_contact_phone END,
        locale = CASE WHEN p_changes ? 'locale' THEN p_changes ->> 'locale' ELSE pp.locale END,
        address_line = CASE WHEN p_changes ? 'address_line' THEN p_changes ->> 'address_line' ELSE pp.address_line END,
        city = CASE WHEN p_changes ? 'city' THEN p_changes ->> 'city' ELSE pp.city END,
        postal_code = CASE WHEN p_changes ? 'postal_code' THEN p_changes ->> 'postal_code' ELSE pp.postal_code END,
        country = CASE WHEN p_changes ? 'country' THEN p_changes ->> 'country' ELSE pp.country END
    WHERE pp.id = p_profile;
    RETURN v_keys;
END;
$$;

ALTER FUNCTION "people"."apply_profile_changes"("p_profile" "uuid", "p_changes" "jsonb", "p_allowed" "text"[]) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "apply_profile_changes"("p_profile" "uuid", "p_changes" "jsonb", "p_allowed" "text"[]); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."apply_profile_changes"("p_profile" "uuid", "p_changes" "jsonb", "p_allowed" "text"[]) IS 'Internal: sets the named columns of a patient profile; the callers check who may.';

--
-- Name: begin_signature_upload("uuid", "text", "text", timestamp with time zone); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."begin_signature_upload"("p_id" "uuid", "p_object_key" "text", "p_declared_mime" "text", "p_expires_at" timestamp with time zone) RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    -- The member check and the specialist's existence first; then the one upload path.
    PERFORM people.require_member_permission('specialists.manage');
    PERFORM people.lock_specialist(p_id);
    RETURN storage.begin_upload('specialist_signature', p_object_key, p_declared_mime, p_expires_at);
END;
$$;

ALTER FUNCTION "people"."begin_signature_upload"("p_id" "uuid", "p_object_key" "text", "p_declared_mime" "text", "p_expires_at" timestamp with time zone) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "begin_signature_upload"("p_id" "uuid", "p_object_key" "text", "p_declared_mime" "text", "p_expires_at" timestamp with time zone); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."begin_signature_upload"("p_id" "uuid", "p_object_key" "text", "p_declared_mime" "text", "p_expires_at" timestamp with time zone) IS 'Record a signature upload grant for a live specialist (specialists.manage); returns the pending file id.';

--
-- Name: change_patient_tier("uuid", "text"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."change_patient_tier"("p_patient" "uuid", "p_tier_code" "text") RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- Moving to the same tier takes its newest version: a fresh snapshot.
DECLARE
    v_patient people.patients;
    v_tier uuid;
BEGIN
    PERFORM people.require_member_permission('patients.manage');
    v_patient := people.lock_patient(p_patient);
    SELECT t.id INTO v_tier FROM billing.patient_tiers AS t
    WHERE t.organization_id = v_patient.organization_id AND t.code = p_tier_code AND t.status = 'active';
    IF v_tier IS NULL THEN
        RAISE EXCEPTION 'patient_tier_not_found' USING DETAIL = 'No active patient tier with this code in this organization.';
    END IF;
    PERFORM people.end_active_subscription(v_patient.id);
    RETURN people.subscribe_patient(v_patient.id, v_patient.organization_id, v_tier, 'tier_changed');
END;
$$;

ALTER FUNCTION "people"."change_patient_tier"("p_patient" "uuid", "p_tier_code" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "change_patient_tier"("p_patient" "uuid", "p_tier_code" "text"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."change_patient_tier"("p_patient" "uuid", "p_tier_code" "text") IS 'Move a patient to the newest version of a patient tier, by code (patients.manage).';

--
-- Name: check_changes("jsonb", "jsonb"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."check_changes"("p_changes" "jsonb", "p_types" "jsonb") RETURNS "text"[]
    LANGUAGE "plpgsql" IMMUTABLE
    SET "search_path" TO ''
    AS $$
-- The keys of a JSON change set, sorted, after checking each is allowed and of its type
-- (p_types maps a key to the JSON types it accepts, e.g. {"bio": ["string", "null"]}).
DECLARE
    v_keys text [];
    v_key text;
BEGIN
    IF p_changes IS NULL OR pg_catalog.jsonb_typeof(p_changes) <> 'object' THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'Changes are a JSON object.';
    END IF;
    SELECT coalesce(pg_catalog.array_agg(k ORDER BY k), '{}') INTO v_keys FROM pg_catalog.jsonb_object_keys(p_changes) AS k;
    FOREACH v_key IN ARRAY v_keys LOOP
        IF NOT p_types ? v_key THEN
            RAISE EXCEPTION 'invalid_field' USING DETAIL = pg_catalog.format('The field %s cannot be changed here.', v_key);
        END IF;
        IF NOT (p_types -> v_key) ? pg_catalog.jsonb_typeof(p_changes -> v_key) THEN
            RAISE EXCEPTION 'invalid_field'
                USING DETAIL = pg_catalog.format('The field %s is not a %s.', v_key, p_types ->> v_key);
        END IF;
    END LOOP;
    RETURN v_keys;
END;
$$;

ALTER FUNCTION "people"."check_changes"("p_changes" "jsonb", "p_types" "jsonb") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "check_changes"("p_changes" "jsonb", "p_types" "jsonb"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."check_changes"("p_changes" "jsonb", "p_types" "jsonb") IS 'Internal: the sorted keys of a change set, each checked against the allowed keys and their JSON types.';

--
-- Name: check_specialist_human("uuid"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."check_specialist_human"("p_human" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    -- A login is linked only to a person who works here: an active member of the
    -- organization in scope. No login (NULL) is always fine.
    IF p_human IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM tenancy.organization_memberships AS m
        INNER JOIN iam.humans AS h ON h.principal_id = m.principal_id
        WHERE m.organization_id = iam.current_org_id() AND m.principal_id = p_human AND m.status = 'active'
    ) THEN
        RAISE EXCEPTION 'specialist_human_not_member'
            USING DETAIL = 'A specialist''s login must be an active member of this organization.';
    END IF;
END;
$$;

ALTER FUNCTION "people"."check_specialist_human"("p_human" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "check_specialist_human"("p_human" "uuid"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."check_specialist_human"("p_human" "uuid") IS 'Internal: raises specialist_human_not_member unless the human is an active member of the organization in scope.';

--
-- Name: check_timezone("text"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."check_timezone"("p_zone" "text") RETURNS "void"
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    -- The table's CHECK sees only the shape; the zone must be one this server knows, or
    -- every slot computed for the specialist later would fail.
    IF p_zone IS NULL OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_timezone_names AS z WHERE z.name = p_zone) THEN
        RAISE EXCEPTION 'invalid_timezone'
            USING DETAIL = pg_catalog.format('%s is not an IANA time zone name (e.g. Europe/Bucharest).', coalesce(p_zone, 'null'));
    END IF;
END;
$$;

ALTER FUNCTION "people"."check_timezone"("p_zone" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "check_timezone"("p_zone" "text"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."check_timezone"("p_zone" "text") IS 'Internal: raises invalid_timezone unless the name is a time zone in pg_timezone_names.';

--
-- Name: claim_guest_profiles("uuid"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."claim_guest_profiles"("p_human" "uuid") RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_email public.citext;
    v_own uuid;
    v_guest uuid;
    v_patient people.patients;
BEGIN
    SELECT h.email INTO v_email FROM iam.humans AS h WHERE h.principal_id = p_human;
    SELECT pp.id INTO v_own FROM people.patient_profiles AS pp WHERE pp.human_id = p_human;
    FOR v_guest IN
        SELECT pp.id FROM people.patient_profiles AS pp
        WHERE pp.human_id IS NULL AND pp.email = v_email
          AND NOT EXISTS (SELECT 1 FROM people.patient_caregivers AS c WHERE c.patient_profile_id = pp.id)
        ORDER BY pp.created_at, pp.id
        FOR UPDATE
    LOOP
        IF v_own IS NULL THEN
            UPDATE people.patient_profiles SET human_id = p_human WHERE id = v_guest;
            v_own := v_guest;
        END IF;
        FOR v_patient IN
            SELECT * FROM people.patients AS pt WHERE pt.patient_profile_id = v_guest ORDER BY pt.created_at FOR UPDATE
        LOOP
            IF v_guest <> v_own THEN
                CONTINUE WHEN v_patient.deleted_at IS NULL AND EXISTS (
                    SELECT 1 FROM people.patients AS mine
                    WHERE mine.organization_id = v_patient.organization_id
                      AND mine.patient_profile_id = v_own AND mine.deleted_at IS NULL
                );
                UPDATE people.patients SET patient_profile_id = v_own WHERE id = v_patient.id;
            END IF;
            PERFORM events.publish_for(v_patient.organization_id, 'patient_profile.claimed', pg_catalog.jsonb_build_object(
                'patient_id', v_patient.id, 'patient_profile_id', v_own, 'previous_patient_profile_id', v_guest
            ));
        END LOOP;
        IF v_guest <> v_own AND NOT EXISTS (SELECT 1 FROM people.patients AS pt WHERE pt.patient_profile_id = v_guest) THEN
            BEGIN
                DELETE FROM people.patient_profiles WHERE id = v_guest;
            EXCEPTION WHEN foreign_key_violation THEN
                -- Something else still points at the guest profile: it stays, unclaimed.
                NULL;
            END;
        END IF;
    END LOOP;
    RETURN v_own;
END;
$$;

ALTER FUNCTION "people"."claim_guest_profiles"("p_human" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "claim_guest_profiles"("p_human" "uuid"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."claim_guest_profiles"("p_human" "uuid") IS 'Internal: a human claims the guest profiles carrying their verified email (see the rule above); returns their own profile id or NULL.';

--
-- Name: create_my_profile("jsonb", "text"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."create_my_profile"("p_fields" "jsonb", "p_relationship" "text" DEFAULT NULL::"text") RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- Without a relationship: the signed-in human's own profile (one each). With one: a profile
-- of someone they care for (a child), which has no account, and the caregiver link to it.
DECLARE
    v_me uuid := people.require_human();
    v_profile uuid;
BEGIN
    IF NOT (p_fields ? 'first_name' AND p_fields ? 'last_name') THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'A profile needs a first and a last name.';
    END IF;
    IF p_relationship IS NULL AND EXISTS (SELECT 1 FROM people.patient_profiles AS pp WHERE pp.human_id = v_me) THEN
        RAISE EXCEPTION 'profile_exists' USING DETAIL = 'You already have a profile of your own.';
    END IF;
    -- A guest profile the clinic made with this human's verified email becomes theirs
    -- (db/functions/people/60_onboarding.sql), filled in with what they give now.
    IF p_relationship IS NULL THEN
        v_profile := people.claim_guest_profiles(v_me);
        IF v_profile IS NOT NULL THEN
            PERFORM people.apply_profile_changes(v_profile, p_fields, ARRAY[
                'first_name', 'last_name', 'date_of_birth', 'sex', 'phone', 'email', 'emergency_contact_name',
                'emergency_contact_phone', 'locale', 'address_line', 'city', 'postal_code', 'country'
            ]);
            RETURN v_profile;
        END IF;
    END IF;
    INSERT INTO people.patient_profiles (human_id, first_name, last_name, created_by)
    VALUES (CASE WHEN p_relationship IS NULL THEN v_me END, pg_catalog.btrim(p_fields ->> 'first_name'),
            pg_catalog.btrim(p_fields ->> 'last_name'), v_me)
    RETURNING id INTO v_profile;
    PERFORM people.apply_profile_changes(v_profile, p_fields - 'first_name' - 'last_name', ARRAY[
        'date_of_birth', 'sex', 'phone', 'email', 'emergency_contact_name', 'emergency_contact_phone',
        'locale', 'address_line', 'city', 'postal_code', 'country'
    ]);
    IF p_relationship IS NOT NULL THEN
        PERFORM people.add_caregiver_link(v_profile, v_me, p_relationship, ARRAY['book', 'sign_forms', 'view_records']);
    END IF;
    RETURN v_profile;
END;
$$;

ALTER FUNCTION "people"."create_my_profile"("p_fields" "jsonb", "p_relationship" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "create_my_profile"("p_fields" "jsonb", "p_relationship" "text"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."create_my_profile"("p_fields" "jsonb", "p_relationship" "text") IS 'The signed-in human creates (or claims, from guest profiles with their email) their own profile, or one of a person they care for.';

--
-- Name: create_patient("text", "text", "text", "text", "text", "text"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."create_patient"("p_first_name" "text", "p_last_name" "text", "p_phone" "text" DEFAULT NULL::"text", "p_email" "text" DEFAULT NULL::"text", "p_consumer_id" "text" DEFAULT NULL::"text", "p_notes" "text" DEFAULT NULL::"text") RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- Staff register a person without an account: a new guest profile (no human yet) holding
-- the contact fields, and the organization's patient row. The rest of the profile is the
-- patient's to fill in.
DECLARE
    v_profile uuid;
    v_patient uuid;
BEGIN
    PERFORM people.require_member_permission('patients.manage');
    PERFORM billing.enforce_limit('patients.max', 1);
    INSERT INTO people.patient_profiles (first_name, last_name, phone, email, created_by)
    VALUES (pg_catalog.btrim(p_first_name), pg_catalog.btrim(p_last_name), p_phone, p_email::public.citext,
            iam.current_principal_id())
    RETURNING id INTO v_profile;
    INSERT INTO people.patients (organization_id, patient_profile_id, consumer_id, notes, created_by)
    VALUES (iam.current_org_id(), v_profile, p_consumer_id, p_notes, iam.current_principal_id())
    RETURNING id INTO v_patient;
    PERFORM events.publish('patient.created', pg_catalog.jsonb_build_object(
        'patient_id', v_patient, 'patient_profile_id', v_profile, 'profile_shared', FALSE
    ));
    RETURN v_patient;
END;
$$;

ALTER FUNCTION "people"."create_patient"("p_first_name" "text", "p_last_name" "text", "p_phone" "text", "p_email" "text", "p_consumer_id" "text", "p_notes" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "create_patient"("p_first_name" "text", "p_last_name" "text", "p_phone" "text", "p_email" "text", "p_consumer_id" "text", "p_notes" "text"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."create_patient"("p_first_name" "text", "p_last_name" "text", "p_phone" "text", "p_email" "text", "p_consumer_id" "text", "p_notes" "text") IS 'Register a patient (patients.manage) with a new guest profile; counts against patients.max.';

--
-- Name: create_specialist("text", "text", "text", "text", boolean, "uuid"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."create_specialist"("p_display_name" "text", "p_title" "text" DEFAULT NULL::"text", "p_bio" "text" DEFAULT NULL::"text", "p_scheduling_timezone" "text" DEFAULT 'Europe/Bucharest'::"text", "p_scheduling_active" boolean DEFAULT false, "p_human_id" "uuid" DEFAULT NULL::"uuid") RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_id uuid;
BEGIN
    PERFORM people.require_member_permission('specialists.manage');
    PERFORM people.check_timezone(p_scheduling_timezone);
    PERFORM people.check_specialist_human(p_human_id);
    PERFORM billing.enforce_limit('specialists.max', 1);
    INSERT INTO people.specialists (
        organization_id, human_id, display_name, title, bio, scheduling_timezone, scheduling_active, created_by
    ) VALUES (
        iam.current_org_id(), p_human_id, pg_catalog.btrim(p_display_name), pg_catalog.btrim(p_title), p_bio,
        p_scheduling_timezone, coalesce(p_scheduling_active, FALSE), iam.current_principal_id()
    )
    RETURNING id INTO v_id;
    PERFORM events.publish('specialist.created', pg_catalog.jsonb_build_object(
        'specialist_id', v_id, 'human_id', p_human_id, 'scheduling_active', coalesce(p_scheduling_active, FALSE)
    ));
    RETURN v_id;
END;
$$;

ALTER FUNCTION "people"."create_specialist"("p_display_name" "text", "p_title" "text", "p_bio" "text", "p_scheduling_timezone" "text", "p_scheduling_active" boolean, "p_human_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "create_specialist"("p_display_name" "text", "p_title" "text", "p_bio" "text", "p_scheduling_timezone" "text", "p_scheduling_active" boolean, "p_human_id" "uuid"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."create_specialist"("p_display_name" "text", "p_title" "text", "p_bio" "text", "p_scheduling_timezone" "text", "p_scheduling_active" boolean, "p_human_id" "uuid") IS 'Add a specialist (specialists.manage), optionally linked to a member''s login; counts against specialists.max.';

--
-- Name: create_specialty("text", "text", "jsonb"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."create_specialty"("p_code" "text", "p_name" "text", "p_translations" "jsonb" DEFAULT '{}'::"jsonb") RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_id uuid;
BEGIN
    PERFORM people.require_member_permission('specialists.manage');
    INSERT INTO people.specialties (organization_id, code, name, translations, created_by)
    VALUES (iam.current_org_id(), p_code, pg_catalog.btrim(p_name), coalesce(p_translations, '{}'), iam.current_principal_id())
    RETURNING id INTO v_id;
    PERFORM events.publish('specialty.created', pg_catalog.jsonb_build_object('specialty_id', v_id));
    RETURN v_id;
END;
$$;

ALTER FUNCTION "people"."create_specialty"("p_code" "text", "p_name" "text", "p_translations" "jsonb") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "create_specialty"("p_code" "text", "p_name" "text", "p_translations" "jsonb"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."create_specialty"("p_code" "text", "p_name" "text", "p_translations" "jsonb") IS 'Add a specialty to the organization''s list (specialists.manage).';

--
-- Name: current_human_patient_profile_ids(); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."current_human_patient_profile_ids"() RETURNS SETOF "uuid"
    LANGUAGE "sql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
    -- Security definer: the policies of patient_profiles and patient_caregivers call it, so it
    -- must not itself be filtered by them. It answers about the acting principal only.
    SELECT pp.id
    FROM people.patient_profiles AS pp
    WHERE pp.human_id = iam.current_principal_id()
      AND NOT iam.principal_is_blocked(iam.current_principal_id())
    UNION
    SELECT c.patient_profile_id
    FROM people.patient_caregivers AS c
    WHERE c.caregiver_human_id = iam.current_principal_id()
      AND c.starts_at <= util.now()
      AND (c.ends_at IS NULL OR c.ends_at > util.now())
      AND NOT iam.principal_is_blocked(iam.current_principal_id());
$$;

ALTER FUNCTION "people"."current_human_patient_profile_ids"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "current_human_patient_profile_ids"(); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."current_human_patient_profile_ids"() IS 'The acting human''s own patient profile and the profiles they are an active caregiver of.';

--
-- Name: delete_patient("uuid"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."delete_patient"("p_id" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_patient people.patients;
    v_at timestamptz := util.now();
BEGIN
    PERFORM people.require_member_permission('patients.manage');
    v_patient := people.lock_patient(p_id);
    UPDATE people.patients SET deleted_at = v_at WHERE id = v_patient.id;
    PERFORM events.publish('patient.deleted', pg_catalog.jsonb_build_object(
        'patient_id', v_patient.id, 'patient_profile_id', v_patient.patient_profile_id, 'deleted_at', v_at
    ));
END;
$$;

ALTER FUNCTION "people"."delete_patient"("p_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "delete_patient"("p_id" "uuid"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."delete_patient"("p_id" "uuid") IS 'Soft-delete a patient of the organization (patients.manage); the profile stays the person''s.';

--
-- Name: delete_specialist("uuid"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."delete_specialist"("p_id" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_specialist people.specialists;
    v_at timestamptz := util.now();
BEGIN
    PERFORM people.require_member_permission('specialists.manage');
    v_specialist := people.lock_specialist(p_id);
    -- Specialties and signature stay with the row, so a restore brings them back.
    UPDATE people.specialists SET deleted_at = v_at WHERE id = v_specialist.id;
    PERFORM events.publish('specialist.deleted', pg_catalog.jsonb_build_object(
        'specialist_id', v_specialist.id, 'deleted_at', v_at
    ));
END;
$$;

ALTER FUNCTION "people"."delete_specialist"("p_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "delete_specialist"("p_id" "uuid"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."delete_specialist"("p_id" "uuid") IS 'Soft-delete a specialist of the organization (specialists.manage).';

--
-- Name: delete_specialty("uuid"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."delete_specialty"("p_id" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- A hard delete: a specialty is a label nothing historical points to, the audit log keeps
-- the row, and its links to specialists go with it (each link's removal is audited too).
DECLARE
    v_links integer;
BEGIN
    PERFORM people.require_member_permission('specialists.manage');
    PERFORM people.lock_specialty(p_id);
    SELECT pg_catalog.count(*) INTO v_links FROM people.specialist_specialties AS ss WHERE ss.specialty_id = p_id;
    DELETE FROM people.specialties AS sp WHERE sp.id = p_id;
    PERFORM events.publish('specialty.deleted', pg_catalog.jsonb_build_object(
        'specialty_id', p_id, 'specialists_unlinked', v_links
    ));
END;
$$;

ALTER FUNCTION "people"."delete_specialty"("p_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "delete_specialty"("p_id" "uuid"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."delete_specialty"("p_id" "uuid") IS 'Delete a specialty and its links to specialists (specialists.manage).';

--
-- Name: end_active_subscription("uuid"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."end_active_subscription"("p_patient" "uuid") RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_sub uuid;
BEGIN
    UPDATE people.patient_subscriptions SET status = 'ended', ended_at = util.now()
    WHERE patient_id = p_patient AND status = 'active'
    RETURNING id INTO v_sub;
    RETURN v_sub;
END;
$$;

ALTER FUNCTION "people"."end_active_subscription"("p_patient" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "end_active_subscription"("p_patient" "uuid"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."end_active_subscription"("p_patient" "uuid") IS 'Internal: ends a patient''s active subscription (its snapshot stays for history); its id, or NULL.';

--
-- Name: end_caregiver("uuid", "uuid"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."end_caregiver"("p_patient" "uuid", "p_caregiver" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_patient people.patients;
    v_link people.patient_caregivers;
    v_at timestamptz := util.now();
BEGIN
    PERFORM people.require_member_permission('patients.manage');
    v_patient := people.lock_patient(p_patient);
    UPDATE people.patient_caregivers AS c SET ends_at = greatest(v_at, c.starts_at)
    WHERE c.id = p_caregiver AND c.patient_profile_id = v_patient.patient_profile_id
      AND (c.ends_at IS NULL OR c.ends_at > v_at)
    RETURNING * INTO v_link;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'caregiver_not_found' USING DETAIL = 'No active caregiver with this id for this patient.';
    END IF;
    PERFORM events.publish('caregiver.removed', pg_catalog.jsonb_build_object(
        'caregiver_id', v_link.id, 'patient_profile_id', v_link.patient_profile_id,
        'caregiver_human_id', v_link.caregiver_human_id, 'ends_at', v_link.ends_at
    ));
END;
$$;

ALTER FUNCTION "people"."end_caregiver"("p_patient" "uuid", "p_caregiver" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "end_caregiver"("p_patient" "uuid", "p_caregiver" "uuid"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."end_caregiver"("p_patient" "uuid", "p_caregiver" "uuid") IS 'End a caregiver''s link to a patient of the organization (patients.manage); they stop acting for them at once.';

--
-- Name: end_patient_subscription("uuid"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."end_patient_subscription"("p_patient" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_patient people.patients;
    v_sub uuid;
BEGIN
    PERFORM people.require_member_permission('patients.manage');
    v_patient := people.lock_patient(p_patient);
    v_sub := people.end_active_subscription(v_patient.id);
    IF v_sub IS NULL THEN
        RAISE EXCEPTION 'patient_subscription_not_found' USING DETAIL = 'This patient has no active subscription.';
    END IF;
    PERFORM events.publish('patient_subscription.changed', pg_catalog.jsonb_build_object(
        'patient_id', v_patient.id, 'patient_subscription_id', v_sub, 'change', 'ended'
    ));
END;
$$;

ALTER FUNCTION "people"."end_patient_subscription"("p_patient" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "end_patient_subscription"("p_patient" "uuid"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."end_patient_subscription"("p_patient" "uuid") IS 'End a patient''s active subscription (patients.manage); the patient keeps no tier until changed again.';

--
-- Name: grant_patient_override("uuid", "text", "text", boolean, bigint, "text", timestamp with time zone); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."grant_patient_override"("p_patient" "uuid", "p_entitlement" "text", "p_limit" "text", "p_enabled" boolean, "p_value" bigint, "p_reason" "text", "p_expires_at" timestamp with time zone DEFAULT NULL::timestamp with time zone) RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_patient people.patients;
    v_id uuid;
BEGIN
    PERFORM people.require_member_permission('patients.manage');
    v_patient := people.lock_patient(p_patient);
    IF p_entitlement IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM billing.entitlements AS e WHERE e.code = p_entitlement AND e.scope = 'patient'
    ) THEN
        RAISE EXCEPTION 'unknown_entitlement' USING DETAIL = 'Not a patient entitlement: ' || p_entitlement;
    END IF;
    v_id := billing.add_override('patient', v_patient.organization_id, v_patient.id, p_entitlement, p_limit, p_enabled,
        p_value, pg_catalog.btrim(p_reason), iam.current_principal_id(), p_expires_at);
    PERFORM events.publish('patient_subscription.changed', pg_catalog.jsonb_build_object(
        'patient_id', v_patient.id, 'change', 'override_granted', 'override_id', v_id
    ));
    RETURN v_id;
END;
$$;

ALTER FUNCTION "people"."grant_patient_override"("p_patient" "uuid", "p_entitlement" "text", "p_limit" "text", "p_enabled" boolean, "p_value" bigint, "p_reason" "text", "p_expires_at" timestamp with time zone) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "grant_patient_override"("p_patient" "uuid", "p_entitlement" "text", "p_limit" "text", "p_enabled" boolean, "p_value" bigint, "p_reason" "text", "p_expires_at" timestamp with time zone); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."grant_patient_override"("p_patient" "uuid", "p_entitlement" "text", "p_limit" "text", "p_enabled" boolean, "p_value" bigint, "p_reason" "text", "p_expires_at" timestamp with time zone) IS 'Override one perk or limit of a patient, with a reason and optional expiry (patients.manage).';

--
-- Name: patients; Type: TABLE; Schema: people; Owner: restartix_owner
--

CREATE TABLE "people"."patients" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "patient_profile_id" "uuid" NOT NULL,
    "profile_shared" boolean DEFAULT false NOT NULL,
    "consumer_id" "text",
    "notes" "text",
    "created_by" "uuid",
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "updated_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "deleted_at" timestamp with time zone,
    CONSTRAINT "patients_consumer_id_length" CHECK ((("length"("btrim"("consumer_id")) >= 1) AND ("length"("btrim"("consumer_id")) <= 64))),
    CONSTRAINT "patients_notes_length" CHECK (("length"("notes") <= 4000))
);

ALTER TABLE ONLY "people"."patients" FORCE ROW LEVEL SECURITY;

ALTER TABLE "people"."patients" OWNER TO "restartix_owner";

--
-- Name: TABLE "patients"; Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON TABLE "people"."patients" IS 'A patient profile registered with one organization; profile_shared opens the rest of the profile to it.';

--
-- Name: lock_patient("uuid", boolean); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."lock_patient"("p_id" "uuid", "p_deleted" boolean DEFAULT false) RETURNS "people"."patients"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_patient people.patients;
BEGIN
    SELECT * INTO v_patient FROM people.patients AS pt
    WHERE pt.id = p_id AND pt.organization_id = iam.current_org_id()
      AND (pt.deleted_at IS NOT NULL) = p_deleted
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'patient_not_found' USING DETAIL = 'No such patient in this organization.';
    END IF;
    RETURN v_patient;
END;
$$;

ALTER FUNCTION "people"."lock_patient"("p_id" "uuid", "p_deleted" boolean) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "lock_patient"("p_id" "uuid", "p_deleted" boolean); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."lock_patient"("p_id" "uuid", "p_deleted" boolean) IS 'Internal: locks a live (or deleted) patient of the current organization, or raises patient_not_found.';

--
-- Name: specialists; Type: TABLE; Schema: people; Owner: restartix_owner
--

CREATE TABLE "people"."specialists" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "human_id" "uuid",
    "display_name" "text" NOT NULL,
    "title" "text",
    "bio" "text",
    "scheduling_timezone" "text" DEFAULT 'Europe/Bucharest'::"text" NOT NULL,
    "scheduling_active" boolean DEFAULT false NOT NULL,
    "signature_file_id" "uuid",
    "created_by" "uuid",
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "updated_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "deleted_at" timestamp with time zone,
    CONSTRAINT "specialists_bio_length" CHECK (("length"("bio") <= 4000)),
    CONSTRAINT "specialists_display_name_length" CHECK ((("length"("btrim"("display_name")) >= 1) AND ("length"("btrim"("display_name")) <= 200))),
    CONSTRAINT "specialists_scheduling_timezone_format" CHECK (("scheduling_timezone" ~ '^[A-Za-z][A-Za-z0-9_+/-]{0,63}$'::"text")),
    CONSTRAINT "specialists_title_length" CHECK ((("length"("btrim"("title")) >= 1) AND ("length"("btrim"("title")) <= 100)))
);

ALTER TABLE ONLY "people"."specialists" FORCE ROW LEVEL SECURITY;

ALTER TABLE "people"."specialists" OWNER TO "restartix_owner";

--
-- Name: TABLE "specialists"; Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON TABLE "people"."specialists" IS 'A clinician of an organization, with or without a login: name, title, bio, scheduling zone and signature.';

--
-- Name: lock_specialist("uuid", boolean); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."lock_specialist"("p_id" "uuid", "p_deleted" boolean DEFAULT false) RETURNS "people"."specialists"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_specialist people.specialists;
BEGIN
    SELECT * INTO v_specialist FROM people.specialists AS s
    WHERE s.id = p_id AND s.organization_id = iam.current_org_id()
      AND (s.deleted_at IS NOT NULL) = p_deleted
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'specialist_not_found' USING DETAIL = 'No such specialist in this organization.';
    END IF;
    RETURN v_specialist;
END;
$$;

ALTER FUNCTION "people"."lock_specialist"("p_id" "uuid", "p_deleted" boolean) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "lock_specialist"("p_id" "uuid", "p_deleted" boolean); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."lock_specialist"("p_id" "uuid", "p_deleted" boolean) IS 'Internal: locks a live (or deleted) specialist of the current organization, or raises specialist_not_found.';

--
-- Name: lock_specialty("uuid"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."lock_specialty"("p_id" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    PERFORM 1 FROM people.specialties AS sp WHERE sp.id = p_id AND sp.organization_id = iam.current_org_id() FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'specialty_not_found' USING DETAIL = 'No such specialty in this organization.';
    END IF;
END;
$$;

ALTER FUNCTION "people"."lock_specialty"("p_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "lock_specialty"("p_id" "uuid"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."lock_specialty"("p_id" "uuid") IS 'Internal: locks a specialty of the current organization, or raises specialty_not_found.';

--
-- Name: member_holds("text"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."member_holds"("p_code" "text") RETURNS boolean
    LANGUAGE "sql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
    SELECT EXISTS (
        SELECT 1
        FROM tenancy.organization_memberships AS m
        INNER JOIN iam.role_permissions AS rp ON rp.role_id = m.role_id
        WHERE m.organization_id = iam.current_member_org_id()
          AND m.principal_id = iam.current_principal_id()
          AND rp.permission_code = p_code
    );
$$;

ALTER FUNCTION "people"."member_holds"("p_code" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "member_holds"("p_code" "text"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."member_holds"("p_code" "text") IS 'Whether the acting principal''s membership role in the current organization grants a permission (platform roles do not count).';

--
-- Name: onboard("text", "text", "jsonb"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."onboard"("p_host" "text", "p_slug" "text", "p_fields" "jsonb") RETURNS TABLE("patient_id" "uuid", "organization_id" "uuid", "patient_profile_id" "uuid", "patient_subscription_id" "uuid", "created" boolean, "claimed" boolean)
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- In the caller's one transaction: the human's own profile (claimed, reused or created; the
-- fields given are set on it), their patient row in the clinic (reused or created, against
-- patients.max) and an active subscription (the default tier's newest version for a new
-- patient, or for one left with none). Idempotent: a second call returns the same patient.
DECLARE
    v_me uuid := people.require_human();
    v_org uuid := people.resolve_portal_org(p_host, p_slug);
    v_had_profile boolean;
    v_profile uuid;
    v_patient uuid;
    v_sub uuid;
    v_created boolean := false;
    v_claimed boolean;
    v_fields jsonb := coalesce(p_fields, '{}');
    v_allowed text [] := ARRAY[
        'first_name', 'last_name', 'date_of_birth', 'sex', 'phone', 'email', 'emergency_contact_name',
        'emergency_contact_phone', 'locale', 'address_line', 'city', 'postal_code', 'country'
    ];
BEGIN
    IF NOT billing.org_entitlement_on(v_org, 'patient_portal') THEN
        RAISE EXCEPTION 'org_entitlement_disabled'
            USING DETAIL = 'This clinic''s patient portal is switched off.',
                  HINT = '{"kind": "org_entitlement", "entitlement": "patient_portal"}';
    END IF;
    -- One onboarding of a human at a time: a double click does not make two profiles or rows.
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('people.onboard/' || v_me::text, 0));
    v_had_profile := EXISTS (SELECT 1 FROM people.patient_profiles AS pp WHERE pp.human_id = v_me);
    v_profile := people.claim_guest_profiles(v_me);
    v_claimed := NOT v_had_profile AND v_profile IS NOT NULL;
    IF v_profile IS NULL THEN
        IF NOT (v_fields ? 'first_name' AND v_fields ? 'last_name') THEN
            RAISE EXCEPTION 'invalid_field' USING DETAIL = 'A first onboarding needs a first and a last name.';
        END IF;
        INSERT INTO people.patient_profiles (human_id, first_name, last_name, email, created_by)
        SELECT v_me, pg_catalog.btrim(v_fields ->> 'first_name'), pg_catalog.btrim(v_fields ->> 'last_name'), h.email, v_me
        FROM iam.humans AS h WHERE h.principal_id = v_me
        RETURNING id INTO v_profile;
    END IF;
    PERFORM people.apply_profile_changes(v_profile, v_fields, v_allowed);
    SELECT pt.id INTO v_patient FROM people.patients AS pt
    WHERE pt.organization_id = v_org AND pt.patient_profile_id = v_profile AND pt.deleted_at IS NULL
    FOR UPDATE;
    IF v_patient IS NULL THEN
        PERFORM billing.enforce_limit_for(v_org, 'patients.max', 1);
        -- The patients_subscribe trigger puts the new patient on the default tier.
        INSERT INTO people.patients (organization_id, patient_profile_id, created_by)
        VALUES (v_org, v_profile, v_me)
        RETURNING id INTO v_patient;
        v_created := true;
        PERFORM events.publish_for(v_org, 'patient.created', pg_catalog.jsonb_build_object(
            'patient_id', v_patient, 'patient_profile_id', v_profile, 'profile_shared', false
        ));
    END IF;
    SELECT s.id INTO v_sub FROM people.patient_subscriptions AS s WHERE s.patient_id = v_patient AND s.status = 'active';
    IF v_sub IS NULL THEN
        v_sub := people.subscribe_patient(v_patient, v_org, NULL, 'started');
    END IF;
    IF v_created OR v_claimed THEN
        PERFORM events.publish_for(v_org, 'patient.onboarded', pg_catalog.jsonb_build_object(
            'patient_id', v_patient, 'patient_profile_id', v_profile, 'patient_subscription_id', v_sub,
            'created', v_created, 'claimed', v_claimed
        ));
    END IF;
    RETURN QUERY SELECT v_patient, v_org, v_profile, v_sub, v_created, v_claimed;
END;
$$;

ALTER FUNCTION "people"."onboard"("p_host" "text", "p_slug" "text", "p_fields" "jsonb") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "onboard"("p_host" "text", "p_slug" "text", "p_fields" "jsonb"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."onboard"("p_host" "text", "p_slug" "text", "p_fields" "jsonb") IS 'A signed-in human becomes a patient of the clinic a host or slug names: profile, patient row and default-tier subscription in one transaction.';

--
-- Name: org_patients("uuid"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."org_patients"("p_id" "uuid" DEFAULT NULL::"uuid") RETURNS TABLE("id" "uuid", "organization_id" "uuid", "patient_profile_id" "uuid", "profile_shared" boolean, "consumer_id" "text", "notes" "text", "has_account" boolean, "first_name" "text", "last_name" "text", "phone" "text", "email" "text", "date_of_birth" "date", "sex" "text", "emergency_contact_name" "text", "emergency_contact_phone" "text", "locale" "text", "address_line" "text", "city" "text", "postal_code" "text", "country" "text", "created_at" timestamp with time zone, "updated_at" timestamp with time zone)
    LANGUAGE "sql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
    -- The gate. Members of the current organization holding patients.read (through their
    -- role, never a platform role) see its live patients: always the contact fields (name,
    -- phone, email); the rest of the profile only while profile_shared is TRUE. Security
    -- definer because members have no policy on patient_profiles at all: this function is
    -- the only way an organization reads a profile.
    SELECT
        pt.id, pt.organization_id, pt.patient_profile_id, pt.profile_shared, pt.consumer_id, pt.notes,
        pp.human_id IS NOT NULL,
        pp.first_name, pp.last_name, pp.phone, pp.email::text,
        CASE WHEN pt.profile_shared THEN pp.date_of_birth END,
        CASE WHEN pt.profile_shared THEN pp.sex END,
        CASE WHEN pt.profile_shared THEN pp.emergency_contact_name END,
        CASE WHEN pt.profile_shared THEN pp.emergency_contact_phone END,
        CASE WHEN pt.profile_shared THEN pp.locale END,
        CASE WHEN pt.profile_shared THEN pp.address_line END,
        CASE WHEN pt.profile_shared THEN pp.city END,
        CASE WHEN pt.profile_shared THEN pp.postal_code END,
        CASE WHEN pt.profile_shared THEN pp.country END,
        pt.created_at, pt.updated_at
    FROM people.patients AS pt
    INNER JOIN people.patient_profiles AS pp ON pp.id = pt.patient_profile_id
    WHERE pt.organization_id = iam.current_member_org_id()
      AND pt.deleted_at IS NULL
      AND people.member_holds('patients.read')
      AND (p_id IS NULL OR pt.id = p_id);
$$;

ALTER FUNCTION "people"."org_patients"("p_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "org_patients"("p_id" "uuid"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."org_patients"("p_id" "uuid") IS 'The current organization''s live patients as its members may see them: contact fields always, the rest of the profile only when shared.';

--
-- Name: patient_effective_values("uuid"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."patient_effective_values"("p_patient" "uuid") RETURNS TABLE("kind" "text", "code" "text", "enabled" boolean, "value" bigint, "source" "text")
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- Every patient perk (kind 'entitlement'), and the limits the tier or an override sets (kind
-- 'limit', NULL value: unlimited). A limit the patient tier does not name does not limit the
-- patient (the organization's own limits still apply), so it is left out, not read as 0.
BEGIN
    PERFORM people.require_patient_reader(p_patient);
    RETURN QUERY
    SELECT 'entitlement'::text, v.code, v.enabled, NULL::bigint, v.source
    FROM billing.entitlement_values('patient', p_patient) AS v
    UNION ALL
    SELECT 'limit'::text, d.code, NULL::boolean, l.value, l.source
    FROM billing.limit_definitions AS d
    CROSS JOIN LATERAL billing.limit_value('patient', p_patient, d.code) AS l
    WHERE l.source <> 'none'
    ORDER BY 1, 2;
END;
$$;

ALTER FUNCTION "people"."patient_effective_values"("p_patient" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "patient_effective_values"("p_patient" "uuid"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."patient_effective_values"("p_patient" "uuid") IS 'A patient''s effective perks and limits: the snapshot corrected by live overrides, with the source of each.';

--
-- Name: patient_subscription("uuid"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."patient_subscription"("p_patient" "uuid") RETURNS TABLE("id" "uuid", "patient_id" "uuid", "patient_tier_id" "uuid", "tier_code" "text", "tier_name" "text", "version" integer, "status" "text", "started_at" timestamp with time zone, "current_period_start" timestamp with time zone, "current_period_end" timestamp with time zone)
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- Security definer: the person reads which tier they are on, though not the clinic's tier
-- catalog (billing.patient_tiers is for members).
BEGIN
    PERFORM people.require_patient_reader(p_patient);
    RETURN QUERY
    SELECT s.id, s.patient_id, t.id, t.code, t.name, v.version, s.status, s.started_at,
           s.current_period_start, s.current_period_end
    FROM people.patient_subscriptions AS s
    INNER JOIN billing.patient_tier_versions AS v ON v.id = s.patient_tier_version_id
    INNER JOIN billing.patient_tiers AS t ON t.id = v.patient_tier_id
    WHERE s.patient_id = p_patient AND s.status = 'active';
END;
$$;

ALTER FUNCTION "people"."patient_subscription"("p_patient" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "patient_subscription"("p_patient" "uuid"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."patient_subscription"("p_patient" "uuid") IS 'A patient''s active subscription with its tier, for its clinic''s readers and the person.';

--
-- Name: remove_specialist_signature("uuid"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."remove_specialist_signature"("p_id" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_specialist people.specialists;
BEGIN
    PERFORM people.require_member_permission('specialists.manage');
    v_specialist := people.lock_specialist(p_id);
    IF v_specialist.signature_file_id IS NULL THEN
        RAISE EXCEPTION 'signature_not_set' USING DETAIL = 'This specialist has no signature.';
    END IF;
    UPDATE people.specialists SET signature_file_id = NULL WHERE id = v_specialist.id;
    PERFORM storage.retire(v_specialist.signature_file_id, 'removed');
    PERFORM events.publish('specialist.updated', pg_catalog.jsonb_build_object(
        'specialist_id', v_specialist.id, 'changed', pg_catalog.jsonb_build_array('signature')
    ));
END;
$$;

ALTER FUNCTION "people"."remove_specialist_signature"("p_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "remove_specialist_signature"("p_id" "uuid"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."remove_specialist_signature"("p_id" "uuid") IS 'Remove a specialist''s signature (specialists.manage); the sweep removes its bytes.';

--
-- Name: require_human(); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."require_human"() RETURNS "uuid"
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_principal uuid := iam.current_principal_id();
BEGIN
    IF v_principal IS NULL OR iam.principal_is_blocked(v_principal)
       OR NOT EXISTS (SELECT 1 FROM iam.humans AS h WHERE h.principal_id = v_principal) THEN
        RAISE EXCEPTION 'permission_denied' USING DETAIL = 'Sign in as a person to do this.',
            ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN v_principal;
END;
$$;

ALTER FUNCTION "people"."require_human"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "require_human"(); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."require_human"() IS 'The acting human''s principal id; raises permission_denied for nobody, a blocked human or a non-human principal.';

--
-- Name: require_member_permission("text"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."require_member_permission"("p_code" "text") RETURNS "void"
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    PERFORM iam.require_permission(p_code);
    IF NOT people.member_holds(p_code) THEN
        RAISE EXCEPTION 'permission_denied' USING DETAIL = 'Patient data is for members of the organization holding ' || p_code || '.',
            ERRCODE = 'insufficient_privilege';
    END IF;
END;
$$;

ALTER FUNCTION "people"."require_member_permission"("p_code" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "require_member_permission"("p_code" "text"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."require_member_permission"("p_code" "text") IS 'Raises permission_denied unless a member of the current organization holds the permission through their role.';

--
-- Name: require_patient_reader("uuid"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."require_patient_reader"("p_patient" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- A member of the patient's organization holding patients.read (never a platform role), or
-- the person (or an active caregiver of them).
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM people.patients AS pt
        WHERE pt.id = p_patient AND pt.deleted_at IS NULL
          AND (
              (pt.organization_id = iam.current_member_org_id() AND people.member_holds('patients.read'))
              OR pt.patient_profile_id IN (SELECT people.current_human_patient_profile_ids())
          )
    ) THEN
        RAISE EXCEPTION 'patient_not_found' USING DETAIL = 'No such patient.';
    END IF;
END;
$$;

ALTER FUNCTION "people"."require_patient_reader"("p_patient" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "require_patient_reader"("p_patient" "uuid"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."require_patient_reader"("p_patient" "uuid") IS 'Internal: raises patient_not_found unless the caller may read this patient (its clinic''s readers, the person, their caregivers).';

--
-- Name: resolve_portal_org("text", "text"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."resolve_portal_org"("p_host" "text", "p_slug" "text") RETURNS "uuid"
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- Exactly as the public resolve does (tenancy.resolve_org / resolve_org_by_slug); when that
-- finds nothing, a clinic that exists but is suspended gets its own answer.
DECLARE
    v_org uuid;
    v_host text := pg_catalog.lower(pg_catalog.rtrim(pg_catalog.split_part(pg_catalog.btrim(p_host), ':', 1), '.'));
BEGIN
    IF (p_host IS NULL) = (p_slug IS NULL) THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'Give exactly one of host or slug.';
    END IF;
    IF p_host IS NOT NULL THEN
        SELECT r.id INTO v_org FROM tenancy.resolve_org(v_host) AS r;
    ELSE
        SELECT r.id INTO v_org FROM tenancy.resolve_org_by_slug(pg_catalog.btrim(p_slug)) AS r;
    END IF;
    IF v_org IS NOT NULL THEN
        RETURN v_org;
    END IF;
    IF EXISTS (
        SELECT 1 FROM tenancy.organizations AS o
        WHERE o.deleted_at IS NULL AND o.status <> 'active'
          AND (
              o.slug = pg_catalog.lower(pg_catalog.btrim(p_slug))
              OR o.slug = pg_catalog.split_part(v_host, '.', 1)
              OR o.id IN (
                  SELECT d.organization_id FROM tenancy.organization_domains AS d
                  WHERE d.domain = v_host AND d.verified_at IS NOT NULL
              )
          )
    ) THEN
        RAISE EXCEPTION 'organization_not_active' USING DETAIL = 'This clinic is not accepting patients at the moment.';
    END IF;
    RAISE EXCEPTION 'organization_not_found' USING DETAIL = 'Organization not found.';
END;
$$;

ALTER FUNCTION "people"."resolve_portal_org"("p_host" "text", "p_slug" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "resolve_portal_org"("p_host" "text", "p_slug" "text"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."resolve_portal_org"("p_host" "text", "p_slug" "text") IS 'Internal: the active organization a portal host or slug names; raises organization_not_active or organization_not_found.';

--
-- Name: restore_patient("uuid"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."restore_patient"("p_id" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_patient people.patients;
BEGIN
    PERFORM people.require_member_permission('patients.manage');
    v_patient := people.lock_patient(p_id, true);
    PERFORM billing.enforce_limit('patients.max', 1);
    UPDATE people.patients SET deleted_at = NULL WHERE id = v_patient.id;
    PERFORM events.publish('patient.restored', pg_catalog.jsonb_build_object(
        'patient_id', v_patient.id, 'patient_profile_id', v_patient.patient_profile_id
    ));
END;
$$;

ALTER FUNCTION "people"."restore_patient"("p_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "restore_patient"("p_id" "uuid"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."restore_patient"("p_id" "uuid") IS 'Bring a soft-deleted patient back (patients.manage); counts against patients.max again.';

--
-- Name: restore_specialist("uuid"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."restore_specialist"("p_id" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_specialist people.specialists;
    v_human uuid;
BEGIN
    PERFORM people.require_member_permission('specialists.manage');
    v_specialist := people.lock_specialist(p_id, TRUE);
    PERFORM billing.enforce_limit('specialists.max', 1);
    -- The login may have left the organization, or been linked to another specialist, while
    -- the row was deleted: it comes back without one rather than not at all (a deleted row
    -- cannot be edited, so refusing would leave no way back).
    SELECT s.human_id INTO v_human FROM people.specialists AS s
    WHERE s.id = v_specialist.id
      AND EXISTS (
          SELECT 1 FROM tenancy.organization_memberships AS m
          WHERE m.organization_id = s.organization_id AND m.principal_id = s.human_id AND m.status = 'active'
      )
      AND NOT EXISTS (
          SELECT 1 FROM people.specialists AS o
          WHERE o.organization_id = s.organization_id AND o.human_id = s.human_id AND o.deleted_at IS NULL
      );
    UPDATE people.specialists SET deleted_at = NULL, human_id = v_human WHERE id = v_specialist.id;
    PERFORM events.publish('specialist.restored', pg_catalog.jsonb_build_object(
        'specialist_id', v_specialist.id, 'human_id', v_human
    ));
END;
$$;

ALTER FUNCTION "people"."restore_specialist"("p_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "restore_specialist"("p_id" "uuid"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."restore_specialist"("p_id" "uuid") IS 'Bring a soft-deleted specialist back (specialists.manage; specialists.max), without a login that is no longer theirs to have.';

--
-- Name: revoke_patient_override("uuid", "uuid"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."revoke_patient_override"("p_patient" "uuid", "p_override" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_patient people.patients;
BEGIN
    PERFORM people.require_member_permission('patients.manage');
    v_patient := people.lock_patient(p_patient);
    IF billing.end_override('patient', p_override, v_patient.id) IS NULL THEN
        RAISE EXCEPTION 'patient_override_not_found' USING DETAIL = 'No unrevoked override with this id for this patient.';
    END IF;
    PERFORM events.publish('patient_subscription.changed', pg_catalog.jsonb_build_object(
        'patient_id', v_patient.id, 'change', 'override_revoked', 'override_id', p_override
    ));
END;
$$;

ALTER FUNCTION "people"."revoke_patient_override"("p_patient" "uuid", "p_override" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "revoke_patient_override"("p_patient" "uuid", "p_override" "uuid"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."revoke_patient_override"("p_patient" "uuid", "p_override" "uuid") IS 'Revoke a live override of a patient before its expiry (patients.manage).';

--
-- Name: set_specialist_signature("uuid", "uuid"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."set_specialist_signature"("p_id" "uuid", "p_file" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_specialist people.specialists;
    v_file storage.files;
BEGIN
    PERFORM people.require_member_permission('specialists.manage');
    v_specialist := people.lock_specialist(p_id);
    v_file := storage.lock_file(p_file);
    IF v_file.purpose <> 'specialist_signature' OR v_file.status <> 'ready' THEN
        RAISE EXCEPTION 'file_not_found' USING DETAIL = 'No checked signature file of that id in this organization.';
    END IF;
    IF EXISTS (
        SELECT 1 FROM people.specialists AS s
        WHERE s.signature_file_id = p_file AND s.id <> v_specialist.id AND s.organization_id = v_specialist.organization_id
    ) THEN
        RAISE EXCEPTION 'file_in_use' USING DETAIL = 'That file is another specialist''s signature.';
    END IF;
    IF v_specialist.signature_file_id IS NOT DISTINCT FROM p_file THEN
        RETURN;
    END IF;
    UPDATE people.specialists SET signature_file_id = p_file WHERE id = v_specialist.id;
    IF v_specialist.signature_file_id IS NOT NULL THEN
        PERFORM storage.retire(v_specialist.signature_file_id, 'replaced');
    END IF;
    PERFORM events.publish('specialist.updated', pg_catalog.jsonb_build_object(
        'specialist_id', v_specialist.id, 'changed', pg_catalog.jsonb_build_array('signature')
    ));
END;
$$;

ALTER FUNCTION "people"."set_specialist_signature"("p_id" "uuid", "p_file" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "set_specialist_signature"("p_id" "uuid", "p_file" "uuid"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."set_specialist_signature"("p_id" "uuid", "p_file" "uuid") IS 'Make a checked signature file a specialist''s signature, retiring the previous one (specialists.manage).';

--
-- Name: set_specialist_specialties("uuid", "uuid"[]); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."set_specialist_specialties"("p_id" "uuid", "p_specialty_ids" "uuid"[]) RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- Replaces the specialist's specialties with exactly this set.
DECLARE
    v_specialist people.specialists;
    v_wanted uuid [];
    v_found integer;
BEGIN
    PERFORM people.require_member_permission('specialists.manage');
    v_specialist := people.lock_specialist(p_id);
    IF p_specialty_ids IS NULL OR pg_catalog.array_position(p_specialty_ids, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'Specialties are a list of ids.';
    END IF;
    SELECT coalesce(pg_catalog.array_agg(DISTINCT u), '{}') INTO v_wanted FROM pg_catalog.unnest(p_specialty_ids) AS u;
    -- Another organization's specialty is as unknown as one that does not exist.
    SELECT pg_catalog.count(*) INTO v_found FROM people.specialties AS sp
    WHERE sp.id = ANY(v_wanted) AND sp.organization_id = v_specialist.organization_id;
    IF v_found <> pg_catalog.cardinality(v_wanted) THEN
        RAISE EXCEPTION 'specialty_unknown' USING DETAIL = 'A specialty named is not one of this organization.';
    END IF;
    DELETE FROM people.specialist_specialties AS ss
    WHERE ss.specialist_id = v_specialist.id AND ss.specialty_id <> ALL(v_wanted);
    INSERT INTO people.specialist_specialties (organization_id, specialist_id, specialty_id, created_by)
    SELECT v_specialist.organization_id, v_specialist.id, u, iam.current_principal_id()
    FROM pg_catalog.unnest(v_wanted) AS u
    ON CONFLICT (specialist_id, specialty_id) DO NOTHING;
    PERFORM events.publish('specialist.updated', pg_catalog.jsonb_build_object(
        'specialist_id', v_specialist.id, 'changed', pg_catalog.jsonb_build_array('specialties')
    ));
END;
$$;

ALTER FUNCTION "people"."set_specialist_specialties"("p_id" "uuid", "p_specialty_ids" "uuid"[]) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "set_specialist_specialties"("p_id" "uuid", "p_specialty_ids" "uuid"[]); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."set_specialist_specialties"("p_id" "uuid", "p_specialty_ids" "uuid"[]) IS 'Replace a specialist''s specialties with a set of the organization''s own (specialists.manage).';

--
-- Name: specialist_signature("uuid"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."specialist_signature"("p_id" "uuid") RETURNS TABLE("id" "uuid", "detected_mime" "text", "size_bytes" bigint, "sha256" "text", "object_key" "text", "uploaded_by" "uuid", "verified_at" timestamp with time zone)
    LANGUAGE "sql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
    -- A signature signs documents in the specialist's name: only those who manage
    -- specialists and the specialist themselves read it (members have no policy on
    -- signature files; this function is the way in).
    SELECT f.id, f.detected_mime, f.size_bytes, f.sha256, f.object_key, f.uploaded_by, f.verified_at
    FROM people.specialists AS s
    INNER JOIN storage.files AS f ON f.id = s.signature_file_id AND f.organization_id = s.organization_id
    WHERE s.id = p_id
      AND s.organization_id = iam.current_member_org_id()
      AND s.deleted_at IS NULL
      AND f.status = 'ready' AND f.deleted_at IS NULL
      AND (people.member_holds('specialists.manage') OR s.human_id = iam.current_principal_id());
$$;

ALTER FUNCTION "people"."specialist_signature"("p_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "specialist_signature"("p_id" "uuid"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."specialist_signature"("p_id" "uuid") IS 'A live specialist''s signature file, for members holding specialists.manage and the specialist themselves.';

--
-- Name: subscribe_new_patient(); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."subscribe_new_patient"() RETURNS "trigger"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    PERFORM people.subscribe_patient(NEW.id, NEW.organization_id, NULL, 'started');
    RETURN NULL;
END;
$$;

ALTER FUNCTION "people"."subscribe_new_patient"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "subscribe_new_patient"(); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."subscribe_new_patient"() IS 'AFTER INSERT on patients: every new patient starts on the organization''s default tier.';

--
-- Name: subscribe_patient("uuid", "uuid", "uuid", "text"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."subscribe_patient"("p_patient" "uuid", "p_org" "uuid", "p_tier" "uuid", "p_change" "text") RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- p_tier NULL: the organization's default tier. The caller has ended any active subscription.
DECLARE
    v_tier uuid;
    v_version uuid;
    v_number integer;
    v_sub uuid;
BEGIN
    SELECT t.id, v.id, v.version INTO v_tier, v_version, v_number
    FROM billing.patient_tiers AS t
    INNER JOIN billing.patient_tier_versions AS v ON v.patient_tier_id = t.id
    WHERE t.organization_id = p_org AND t.status = 'active'
      AND (t.id = p_tier OR (p_tier IS NULL AND t.is_default))
    ORDER BY v.version DESC
    LIMIT 1;
    IF v_version IS NULL THEN
        RAISE EXCEPTION 'patient_tier_not_found' USING DETAIL = 'No such active patient tier in this organization.';
    END IF;
    INSERT INTO people.patient_subscriptions (organization_id, patient_id, patient_tier_version_id, created_by)
    VALUES (p_org, p_patient, v_version, iam.current_principal_id())
    RETURNING id INTO v_sub;
    PERFORM billing.snapshot_version('patient', v_sub, p_org, v_version);
    PERFORM events.publish_for(p_org, 'patient_subscription.changed', pg_catalog.jsonb_build_object(
        'patient_id', p_patient, 'patient_subscription_id', v_sub, 'change', p_change,
        'patient_tier_id', v_tier, 'version', v_number
    ));
    RETURN v_sub;
END;
$$;

ALTER FUNCTION "people"."subscribe_patient"("p_patient" "uuid", "p_org" "uuid", "p_tier" "uuid", "p_change" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "subscribe_patient"("p_patient" "uuid", "p_org" "uuid", "p_tier" "uuid", "p_change" "text"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."subscribe_patient"("p_patient" "uuid", "p_org" "uuid", "p_tier" "uuid", "p_change" "text") IS 'Internal: subscribes a patient to a tier''s newest version (NULL: the default tier), snapshots it and publishes the change.';

--
-- Name: update_my_profile("uuid", "jsonb"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."update_my_profile"("p_profile" "uuid", "p_changes" "jsonb") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    PERFORM people.require_human();
    IF p_profile NOT IN (SELECT people.current_human_patient_profile_ids()) THEN
        RAISE EXCEPTION 'profile_not_found' USING DETAIL = 'No such profile of yours.';
    END IF;
    PERFORM 1 FROM people.patient_profiles WHERE id = p_profile FOR UPDATE;
    PERFORM people.apply_profile_changes(p_profile, p_changes, ARRAY[
        'first_name', 'last_name', 'date_of_birth', 'sex', 'phone', 'email', 'emergency_contact_name',
        'emergency_contact_phone', 'locale', 'address_line', 'city', 'postal_code', 'country'
    ]);
END;
$$;

ALTER FUNCTION "people"."update_my_profile"("p_profile" "uuid", "p_changes" "jsonb") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "update_my_profile"("p_profile" "uuid", "p_changes" "jsonb"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."update_my_profile"("p_profile" "uuid", "p_changes" "jsonb") IS 'The profile''s human, or an active caregiver of it, changes the profile.';

--
-- Name: update_patient("uuid", "jsonb"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."update_patient"("p_id" "uuid", "p_changes" "jsonb") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- consumer_id and notes are the organization's own; the contact fields of the profile may be
-- corrected by staff only while the profile is a guest one (no account): once a person has
-- signed up, their profile is theirs.
DECLARE
    v_patient people.patients;
    v_owned boolean;
    v_keys text [];
    v_profile_changes jsonb := p_changes - 'consumer_id' - 'notes';
BEGIN
    PERFORM people.require_member_permission('patients.manage');
    v_patient := people.lock_patient(p_id);
    SELECT coalesce(pg_catalog.array_agg(k ORDER BY k), '{}') INTO v_keys FROM pg_catalog.jsonb_object_keys(p_changes) AS k;
    IF v_profile_changes <> '{}'::jsonb THEN
        SELECT pp.human_id IS NOT NULL INTO v_owned FROM people.patient_profiles AS pp WHERE pp.id = v_patient.patient_profile_id;
        IF v_owned THEN
            RAISE EXCEPTION 'profile_owned_by_patient' USING DETAIL = 'This patient has an account: only they change their profile.';
        END IF;
        PERFORM people.apply_profile_changes(
            v_patient.patient_profile_id, v_profile_changes, ARRAY['first_name', 'last_name', 'phone', 'email']
        );
    END IF;
    UPDATE people.patients AS pt SET
        consumer_id = CASE WHEN p_changes ? 'consumer_id' THEN p_changes ->> 'consumer_id' ELSE pt.consumer_id END,
        notes = CASE WHEN p_changes ? 'notes' THEN p_changes ->> 'notes' ELSE pt.notes END
    WHERE pt.id = v_patient.id AND (p_changes ? 'consumer_id' OR p_changes ? 'notes');
    IF pg_catalog.cardinality(v_keys) > 0 THEN
        PERFORM events.publish('patient.updated', pg_catalog.jsonb_build_object(
            'patient_id', v_patient.id, 'patient_profile_id', v_patient.patient_profile_id,
            'changed', pg_catalog.to_jsonb(v_keys)
        ));
    END IF;
END;
$$;

ALTER FUNCTION "people"."update_patient"("p_id" "uuid", "p_changes" "jsonb") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "update_patient"("p_id" "uuid", "p_changes" "jsonb"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."update_patient"("p_id" "uuid", "p_changes" "jsonb") IS 'Change a patient''s reference and notes, and a guest profile''s contact fields (patients.manage).';

--
-- Name: update_specialist("uuid", "jsonb"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."update_specialist"("p_id" "uuid", "p_changes" "jsonb") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $_$
-- Sets the fields named in p_changes; a JSON null clears title, bio or the login link.
DECLARE
    v_specialist people.specialists;
    v_keys text [];
BEGIN
    PERFORM people.require_member_permission('specialists.manage');
    v_keys := people.check_changes(p_changes, '{
        "display_name": ["string"], "title": ["string", "null"], "bio": ["string", "null"],
        "scheduling_timezone": ["string"], "scheduling_active": ["boolean"], "human_id": ["string", "null"]
    }');
    v_specialist := people.lock_specialist(p_id);
    IF pg_catalog.cardinality(v_keys) = 0 THEN
        RETURN;
    END IF;
    IF p_changes ? 'scheduling_timezone' THEN
        PERFORM people.check_timezone(p_changes ->> 'scheduling_timezone');
    END IF;
    IF p_changes ? 'human_id' THEN
        IF (p_changes ->> 'human_id') !~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' THEN
            RAISE EXCEPTION 'invalid_field' USING DETAIL = 'The field human_id is not a UUID.';
        END IF;
        PERFORM people.check_specialist_human((p_changes ->> 'human_id')::uuid);
    END IF;
    UPDATE people.specialists AS s SET
        display_name = CASE WHEN p_changes ? 'display_name' THEN pg_catalog.btrim(p_changes ->> 'display_name') ELSE s.display_name END,
        title = CASE WHEN p_changes ? 'title' THEN pg_catalog.btrim(p_changes ->> 'title') ELSE s.title END,
        bio = CASE WHEN p_changes ? 'bio' THEN p_changes ->> 'bio' ELSE s.bio END,
        scheduling_timezone = CASE WHEN p_changes ? 'scheduling_timezone'
            THEN p_changes ->> 'scheduling_timezone' ELSE s.scheduling_timezone END,
        scheduling_active = CASE WHEN p_changes ? 'scheduling_active'
            THEN (p_changes ->> 'scheduling_active')::boolean ELSE s.scheduling_active END,
        human_id = CASE WHEN p_changes ? 'human_id' THEN (p_changes ->> 'human_id')::uuid ELSE s.human_id END
    WHERE s.id = v_specialist.id;
    PERFORM events.publish('specialist.updated', pg_catalog.jsonb_build_object(
        'specialist_id', v_specialist.id, 'changed', pg_catalog.to_jsonb(v_keys)
    ));
END;
$_$;

ALTER FUNCTION "people"."update_specialist"("p_id" "uuid", "p_changes" "jsonb") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "update_specialist"("p_id" "uuid", "p_changes" "jsonb"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."update_specialist"("p_id" "uuid", "p_changes" "jsonb") IS 'Change a specialist''s fields named in a JSON object (specialists.manage); publishes the changed keys.';

--
-- Name: update_specialty("uuid", "jsonb"); Type: FUNCTION; Schema: people; Owner: restartix_owner
--

CREATE FUNCTION "people"."update_specialty"("p_id" "uuid", "p_changes" "jsonb") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_keys text [];
BEGIN
    PERFORM people.require_member_permission('specialists.manage');
    v_keys := people.check_changes(p_changes, '{"code": ["string"], "name": ["string"], "translations": ["object"]}');
    PERFORM people.lock_specialty(p_id);
    IF pg_catalog.cardinality(v_keys) = 0 THEN
        RETURN;
    END IF;
    UPDATE people.specialties AS sp SET
        code = CASE WHEN p_changes ? 'code' THEN p_changes ->> 'code' ELSE sp.code END,
        name = CASE WHEN p_changes ? 'name' THEN pg_catalog.btrim(p_changes ->> 'name') ELSE sp.name END,
        translations = CASE WHEN p_changes ? 'translations' THEN p_changes -> 'translations' ELSE sp.translations END
    WHERE sp.id = p_id;
    PERFORM events.publish('specialty.updated', pg_catalog.jsonb_build_object(
        'specialty_id', p_id, 'changed', pg_catalog.to_jsonb(v_keys)
    ));
END;
$$;

ALTER FUNCTION "people"."update_specialty"("p_id" "uuid", "p_changes" "jsonb") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "update_specialty"("p_id" "uuid", "p_changes" "jsonb"); Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON FUNCTION "people"."update_specialty"("p_id" "uuid", "p_changes" "jsonb") IS 'Change a specialty''s code, name or translations (specialists.manage).';

--
-- Name: add_closure("date", "text"); Type: FUNCTION; Schema: scheduling; Owner: restartix_owner
--

CREATE FUNCTION "scheduling"."add_closure"("p_date" "date", "p_reason" "text" DEFAULT ''::"text") RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_id uuid;
BEGIN
    PERFORM people.require_member_permission('scheduling.manage');
    IF p_date IS NULL THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'date: required.';
    END IF;
    INSERT INTO scheduling.organization_closures (organization_id, closure_date, reason)
    VALUES (iam.current_org_id(), p_date, coalesce(p_reason, ''))
    ON CONFLICT (organization_id, closure_date) DO NOTHING
    RETURNING id INTO v_id;
    IF v_id IS NULL THEN
        RAISE EXCEPTION 'closure_exists' USING DETAIL = pg_catalog.format('The clinic is already closed on %s.', p_date);
    END IF;
    PERFORM events.publish('availability.changed', pg_catalog.jsonb_build_object(
        'calendar_id', NULL, 'specialist_id', NULL, 'reason', 'closure'
    ));
    RETURN v_id;
END;
$$;

ALTER FUNCTION "scheduling"."add_closure"("p_date" "date", "p_reason" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "add_closure"("p_date" "date", "p_reason" "text"); Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON FUNCTION "scheduling"."add_closure"("p_date" "date", "p_reason" "text") IS 'Close the whole clinic on a date of its zone (scheduling.manage).';

--
-- Name: add_weekly_hours("uuid", integer, "text", "text", "date", "date"); Type: FUNCTION; Schema: scheduling; Owner: restartix_owner
--

CREATE FUNCTION "scheduling"."add_weekly_hours"("p_specialist_id" "uuid", "p_weekday" integer, "p_start" "text", "p_end" "text", "p_valid_from" "date" DEFAULT NULL::"date", "p_valid_until" "date" DEFAULT NULL::"date") RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_start time;
    v_end time;
    v_clash scheduling.specialist_weekly_hours;
    v_id uuid;
BEGIN
    PERFORM people.require_member_permission('scheduling.manage');
    PERFORM scheduling.lock_specialist(p_specialist_id);
    IF p_weekday IS NULL OR p_weekday NOT BETWEEN 1 AND 7 THEN
        RAISE EXCEPTION 'invalid_hours' USING DETAIL = 'weekday: an ISO weekday, 1 (Monday) to 7.';
    END IF;
    v_start := scheduling.parse_time(p_start, 'start', FALSE);
    v_end := scheduling.parse_time(p_end, 'end', TRUE);
    IF v_start >= v_end THEN
        RAISE EXCEPTION 'invalid_hours' USING DETAIL = pg_catalog.format('end: %s must be after start %s.', p_end, p_start);
    END IF;
    IF p_valid_until < p_valid_from THEN
        RAISE EXCEPTION 'invalid_hours' USING DETAIL = 'valid_until: must not be before valid_from.';
    END IF;
    SELECT * INTO v_clash FROM scheduling.specialist_weekly_hours AS w
    WHERE w.organization_id = iam.current_org_id() AND w.specialist_id = p_specialist_id AND w.weekday = p_weekday
      AND w.start_time < v_end AND v_start < w.end_time
      AND coalesce(w.valid_from, '-infinity') <= coalesce(p_valid_until, 'infinity')
      AND coalesce(p_valid_from, '-infinity') <= coalesce(w.valid_until, 'infinity')
    ORDER BY w.start_time LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'overlapping_hours'
            USING DETAIL = pg_catalog.format('%s overlaps %s on the same day.',
                scheduling.label(v_start, v_end), scheduling.label(v_clash.start_time, v_clash.end_time));
    END IF;
    INSERT INTO scheduling.specialist_weekly_hours (organization_id, specialist_id, weekday, start_time, end_time, valid_from, valid_until)
    VALUES (iam.current_org_id(), p_specialist_id, p_weekday, v_start, v_end, p_valid_from, p_valid_until)
    RETURNING id INTO v_id;
    PERFORM scheduling.hours_changed(p_specialist_id);
    RETURN v_id;
END;
$$;

ALTER FUNCTION "scheduling"."add_weekly_hours"("p_specialist_id" "uuid", "p_weekday" integer, "p_start" "text", "p_end" "text", "p_valid_from" "date", "p_valid_until" "date") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "add_weekly_hours"("p_specialist_id" "uuid", "p_weekday" integer, "p_start" "text", "p_end" "text", "p_valid_from" "date", "p_valid_until" "date"); Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON FUNCTION "scheduling"."add_weekly_hours"("p_specialist_id" "uuid", "p_weekday" integer, "p_start" "text", "p_end" "text", "p_valid_from" "date", "p_valid_until" "date") IS 'Add a weekly working interval to a specialist (scheduling.manage); an overlap on the same day is refused, naming both.';

--
-- Name: availability("uuid", "date", "date", "text", "jsonb"); Type: FUNCTION; Schema: scheduling; Owner: restartix_owner
--

CREATE FUNCTION "scheduling"."availability"("p_calendar_id" "uuid", "p_from" "date", "p_to" "date", "p_query_tz" "text", "p_holds" "jsonb" DEFAULT '[]'::"jsonb") RETURNS TABLE("slot_start" timestamp with time zone, "slot_end" timestamp with time zone, "specialist_ids" "uuid"[], "start_text" "text", "end_text" "text")
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- The whole contract, for any calendar: callers check who may ask (member_availability,
-- public_availability). p_holds is [{"specialist_id", "start", "end"}] of live holds.
DECLARE
    v_cal scheduling.calendars;
    v_org_tz text;
    v_tz text;
    v_duration interval;
    v_slot interval;
    v_before interval;
    v_after interval;
    v_now timestamptz := util.now();
    v_cal_hours tstzmultirange;
    v_closed tstzmultirange;
BEGIN
    IF p_from IS NULL THEN
        RAISE EXCEPTION 'invalid_query' USING DETAIL = 'from: a date (YYYY-MM-DD) is required.';
    END IF;
    IF p_to IS NULL THEN
        RAISE EXCEPTION 'invalid_query' USING DETAIL = 'to: a date (YYYY-MM-DD) is required.';
    END IF;
    IF p_to < p_from THEN
        RAISE EXCEPTION 'invalid_query' USING DETAIL = 'to: must not be before from.';
    END IF;
    IF p_to - p_from + 1 > 62 THEN
        RAISE EXCEPTION 'invalid_query' USING DETAIL = 'to: at most 62 dates from from, counting both.';
    END IF;
    IF p_holds IS NULL OR pg_catalog.jsonb_typeof(p_holds) <> 'array' THEN
        RAISE EXCEPTION 'invalid_query' USING DETAIL = 'holds: a JSON array.';
    END IF;
    SELECT * INTO v_cal FROM scheduling.calendars AS c WHERE c.id = p_calendar_id AND c.deleted_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'calendar_not_found' USING DETAIL = 'No such calendar.';
    END IF;
    v_tz := coalesce(p_query_tz, v_cal.timezone);
    PERFORM scheduling.check_zone(v_tz, 'timezone');
    SELECT os.timezone INTO v_org_tz FROM tenancy.organization_settings AS os WHERE os.organization_id = v_cal.organization_id;
    v_org_tz := coalesce(v_org_tz, v_cal.timezone);
    SELECT
        pg_catalog.make_interval(mins => s.duration_minutes),
        pg_catalog.make_interval(mins => coalesce(v_cal.slot_interval_minutes, s.duration_minutes)),
        pg_catalog.make_interval(mins => coalesce(v_cal.buffer_before_minutes, s.buffer_before_minutes)),
        pg_catalog.make_interval(mins => coalesce(v_cal.buffer_after_minutes, s.buffer_after_minutes))
    INTO v_duration, v_slot, v_before, v_after
    FROM catalog.services AS s WHERE s.id = v_cal.service_id;

    -- Calendar hours (calendar zone) and closures (organization zone) as sets of instants
    -- over every local date that can touch the window.
    IF v_cal.hours IS NOT NULL THEN
        SELECT coalesce(pg_catalog.range_agg(pg_catalog.tstzrange(
            greatest(pg_catalog.lower(g.seg), ((dt.d + (h ->> 'start')::time) AT TIME ZONE 'UTC') - g.utc_offset),
            least(pg_catalog.upper(g.seg), ((dt.d + (h ->> 'end')::time) AT TIME ZONE 'UTC') - g.utc_offset)
        )), '{}')
        INTO v_cal_hours
        FROM pg_catalog.generate_series(p_from - 4, p_to + 4, INTERVAL '1 day') AS gs (x)
        CROSS JOIN LATERAL (SELECT gs.x::date AS d) AS dt
        CROSS JOIN LATERAL pg_catalog.jsonb_array_elements(v_cal.hours) AS h
        CROSS JOIN LATERAL scheduling.zone_segments(v_cal.timezone, dt.d) AS g
        WHERE (h ->> 'weekday')::integer = extract(ISODOW FROM dt.d)
          AND greatest(pg_catalog.lower(g.seg), ((dt.d + (h ->> 'start')::time) AT TIME ZONE 'UTC') - g.utc_offset)
            < least(pg_catalog.upper(g.seg), ((dt.d + (h ->> 'end')::time) AT TIME ZONE 'UTC') - g.utc_offset);
    END IF;
    SELECT coalesce(pg_catalog.range_agg(pg_catalog.tstzrange(
        greatest(pg_catalog.lower(g.seg), (c.closure_date::timestamp AT TIME ZONE 'UTC') - g.utc_offset),
        least(pg_catalog.upper(g.seg), ((c.closure_date + 1)::timestamp AT TIME ZONE 'UTC') - g.utc_offset)
    )), '{}')
    INTO v_closed
    FROM scheduling.organization_closures AS c
    CROSS JOIN LATERAL scheduling.zone_segments(v_org_tz, c.closure_date) AS g
    WHERE c.organization_id = v_cal.organization_id
      AND c.closure_date BETWEEN p_from - 4 AND p_to + 4
      AND greatest(pg_catalog.lower(g.seg), (c.closure_date::timestamp AT TIME ZONE 'UTC') - g.utc_offset)
        < least(pg_catalog.upper(g.seg), ((c.closure_date + 1)::timestamp AT TIME ZONE 'UTC') - g.utc_offset);

    RETURN QUERY
    WITH members AS (
        SELECT cs.specialist_id, cs.hours, s.scheduling_timezone AS zone
        FROM scheduling.calendar_specialists AS cs
        INNER JOIN people.specialists AS s ON s.id = cs.specialist_id AND s.organization_id = cs.organization_id
        WHERE cs.calendar_id = v_cal.id AND s.deleted_at IS NULL AND s.scheduling_active
    ),
    dates AS (
        SELECT gs.x::date AS d, extract(ISODOW FROM gs.x)::integer AS dow
        FROM pg_catalog.generate_series(p_from - 2, p_to + 2, INTERVAL '1 day') AS gs (x)
    ),
    -- Materialized: computed once per (zone, date), not once per interval that joins it.
    segs AS MATERIALIZED (
        SELECT z.zone, dt.d, g.seg, g.utc_offset
        FROM (SELECT DISTINCT m.zone FROM members AS m) AS z
        CROSS JOIN dates AS dt
        CROSS JOIN LATERAL scheduling.zone_segments(z.zone, dt.d) AS g
    ),
    overridden AS (
        SELECT o.specialist_id, o.override_date AS d, o.intervals
        FROM scheduling.specialist_schedule_overrides AS o
        WHERE o.organization_id = v_cal.organization_id
          AND o.specialist_id IN (SELECT m.specialist_id FROM members AS m)
          AND o.override_date BETWEEN p_from - 2 AND p_to + 2
    ),
    -- Rule 1: an override for d, else the calendar's hours for the specialist, else the
    -- weekly hours valid on d. Each source ranks its rows; per specialist and date only the
    -- best-ranked source counts (an unavailable day is one override row with no interval).
    sourced AS (
        SELECT ov.specialist_id, ov.d, 1 AS src, (iv ->> 'start')::time AS s, (iv ->> 'end')::time AS e
        FROM overridden AS ov
        LEFT JOIN LATERAL pg_catalog.jsonb_array_elements(ov.intervals) AS iv ON TRUE
        UNION ALL
        SELECT m.specialist_id, dt.d, 2, (iv ->> 'start')::time, (iv ->> 'end')::time
        FROM members AS m
        CROSS JOIN dates AS dt
        CROSS JOIN LATERAL pg_catalog.jsonb_array_elements(m.hours) AS iv
        WHERE m.hours IS NOT NULL AND (iv ->> 'weekday')::integer = dt.dow
        UNION ALL
        SELECT m.specialist_id, dt.d, 3, w.start_time, w.end_time
        FROM members AS m
        CROSS JOIN dates AS dt
        INNER JOIN scheduling.specialist_weekly_hours AS w
            ON w.organization_id = v_cal.organization_id AND w.specialist_id = m.specialist_id AND w.weekday = dt.dow
        WHERE m.hours IS NULL
          AND (w.valid_from IS NULL OR w.valid_from <= dt.d)
          AND (w.valid_until IS NULL OR dt.d <= w.valid_until)
    ),
    local_intervals AS (
        SELECT r.specialist_id, r.d, r.s, r.e
        FROM (
            SELECT x.specialist_id, x.d, x.src, x.s, x.e,
                min(x.src) OVER (PARTITION BY x.specialist_id, x.d) AS best
            FROM sourced AS x
        ) AS r
        WHERE r.src = r.best AND r.s IS NOT NULL
    ),
    working AS (
        SELECT li.specialist_id, li.d, pg_catalog.range_agg(pg_catalog.tstzrange(b.lo, b.hi)) AS mr
        FROM local_intervals AS li
        INNER JOIN members AS m ON m.specialist_id = li.specialist_id
        INNER JOIN segs AS sg ON sg.zone = m.zone AND sg.d = li.d
        CROSS JOIN LATERAL (SELECT
            greatest(pg_catalog.lower(sg.seg), ((li.d + li.s) AT TIME ZONE 'UTC') - sg.utc_offset) AS lo,
            least(pg_catalog.upper(sg.seg), ((li.d + li.e) AT TIME ZONE 'UTC') - sg.utc_offset) AS hi
        ) AS b
        WHERE b.lo < b.hi
        GROUP BY li.specialist_id, li.d
    ),
    -- Rule 2: closures removed, calendar hours intersected, per specialist date: the
    -- multirange holds the maximal contiguous ranges, and dates stay apart.
    effective AS (
        SELECT w.specialist_id, r.r
        FROM working AS w
        CROSS JOIN LATERAL pg_catalog.unnest(
            CASE WHEN v_cal_hours IS NULL THEN w.mr ELSE w.mr * v_cal_hours END - v_closed
        ) AS r (r)
    ),
    -- Rules 3 and 5.
    candidates AS (
        SELECT e.specialist_id, t.t
        FROM effective AS e
        CROSS JOIN LATERAL pg_catalog.generate_series(
            pg_catalog.lower(e.r), pg_catalog.upper(e.r) - v_duration, v_slot
        ) AS t (t)
        WHERE (v_cal.min_notice_minutes IS NULL OR t.t >= v_now + pg_catalog.make_interval(mins => v_cal.min_notice_minutes))
          AND (v_cal.max_advance_days IS NULL OR t.t <= v_now + pg_catalog.make_interval(hours => 24 * v_cal.max_advance_days))
          AND (t.t AT TIME ZONE v_tz)::date BETWEEN p_from AND p_to
    ),
    -- Rule 4: the bare periods of active appointments and the live holds.
    busy AS (
        SELECT x.specialist_id, pg_catalog.range_agg(x.period) AS mr
        FROM (
            SELECT a.specialist_id, a.period
            FROM appointments.appointments AS a
            WHERE a.organization_id = v_cal.organization_id
              AND a.specialist_id IN (SELECT m.specialist_id FROM members AS m)
              AND a.status IN ('requested', 'confirmed', 'inprogress')
              AND a.deleted_at IS NULL
              AND a.period && pg_catalog.tstzrange(
                  (p_from - 3)::timestamp AT TIME ZONE 'UTC', (p_to + 4)::timestamp AT TIME ZONE 'UTC'
              )
            UNION ALL
            SELECT (h ->> 'specialist_id')::uuid, pg_catalog.tstzrange((h ->> 'start')::timestamptz, (h ->> 'end')::timestamptz)
            FROM pg_catalog.jsonb_array_elements(p_holds) AS h
        ) AS x
        GROUP BY x.specialist_id
    ),
    free AS (
        SELECT c.t, c.specialist_id
        FROM candidates AS c
        LEFT JOIN busy AS b ON b.specialist_id = c.specialist_id
        WHERE b.mr IS NULL OR NOT b.mr && pg_catalog.tstzrange(c.t - v_before, c.t + v_duration + v_after)
    )
    -- Rule 6. The RFC 3339 text is built inline (scheduling.rfc3339 says the same): a
    -- function call per slot costs more than the rest of the query.
    SELECT g.t, g.e, g.ids,
        pg_catalog.to_char(g.t AT TIME ZONE v_tz, 'YYYY-MM-DD"T"HH24:MI:SS')
        || CASE WHEN o.s < INTERVAL '0' THEN '-' || pg_catalog.to_char(-o.s, 'HH24:MI') ELSE '+' || pg_catalog.to_char(o.s, 'HH24:MI') END,
        pg_catalog.to_char(g.e AT TIME ZONE v_tz, 'YYYY-MM-DD"T"HH24:MI:SS')
        || CASE WHEN o.e < INTERVAL '0' THEN '-' || pg_catalog.to_char(-o.e, 'HH24:MI') ELSE '+' || pg_catalog.to_char(o.e, 'HH24:MI') END
    FROM (
        SELECT f.t, f.t + v_duration AS e, pg_catalog.array_agg(f.specialist_id ORDER BY f.specialist_id) AS ids
        FROM free AS f
        GROUP BY f.t
    ) AS g
    CROSS JOIN LATERAL (SELECT
        (g.t AT TIME ZONE v_tz) - (g.t AT TIME ZONE 'UTC') AS s,
        (g.e AT TIME ZONE v_tz) - (g.e AT TIME ZONE 'UTC') AS e
    ) AS o
    ORDER BY g.t;
END;
$$;

ALTER FUNCTION "scheduling"."availability"("p_calendar_id" "uuid", "p_from" "date", "p_to" "date", "p_query_tz" "text", "p_holds" "jsonb") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "availability"("p_calendar_id" "uuid", "p_from" "date", "p_to" "date", "p_query_tz" "text", "p_holds" "jsonb"); Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON FUNCTION "scheduling"."availability"("p_calendar_id" "uuid", "p_from" "date", "p_to" "date", "p_query_tz" "text", "p_holds" "jsonb") IS 'Internal: the free slots of a calendar between two query-zone dates, with the specialists free at each (docs/scheduling.md).';

--
-- Name: check_calendar_fields("jsonb"); Type: FUNCTION; Schema: scheduling; Owner: restartix_owner
--

CREATE FUNCTION "scheduling"."check_calendar_fields"("p_fields" "jsonb") RETURNS "jsonb"
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- Keys outside the list are refused; the zone must be known, the service the
-- organization's own, the hours valid. Returns the hours normalized (or JSON null).
BEGIN
    IF pg_catalog.jsonb_typeof(p_fields) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'The fields are a JSON object.';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_catalog.jsonb_object_keys(p_fields) AS k WHERE k <> ALL (ARRAY[
        'name', 'slug', 'service_id', 'modality', 'assignment_strategy', 'slot_interval_minutes',
        'min_notice_minutes', 'max_advance_days', 'buffer_before_minutes', 'buffer_after_minutes',
        'hours', 'timezone', 'public', 'active'
    ])) THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'These fields cannot be set here.';
    END IF;
    IF p_fields ? 'timezone' AND NOT EXISTS (SELECT 1 FROM scheduling.time_zones AS z WHERE z.name = p_fields ->> 'timezone') THEN
        RAISE EXCEPTION 'invalid_timezone'
            USING DETAIL = pg_catalog.format('timezone: %s is not an IANA time zone name (e.g. Europe/Bucharest).', p_fields ->> 'timezone');
    END IF;
    IF p_fields ? 'service_id' AND NOT EXISTS (
        SELECT 1 FROM catalog.services AS s
        WHERE s.id = (p_fields ->> 'service_id')::uuid AND s.organization_id = iam.current_org_id() AND s.deleted_at IS NULL
    ) THEN
        RAISE EXCEPTION 'service_not_found' USING DETAIL = 'No such service in this organization.';
    END IF;
    IF pg_catalog.jsonb_typeof(p_fields -> 'hours') = 'array' THEN
        RETURN scheduling.check_intervals(p_fields -> 'hours', TRUE);
    END IF;
    RETURN 'null';
END;
$$;

ALTER FUNCTION "scheduling"."check_calendar_fields"("p_fields" "jsonb") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "check_calendar_fields"("p_fields" "jsonb"); Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON FUNCTION "scheduling"."check_calendar_fields"("p_fields" "jsonb") IS 'Internal: checks a calendar''s fields; returns its hours normalized.';

--
-- Name: check_intervals("jsonb", boolean); Type: FUNCTION; Schema: scheduling; Owner: restartix_owner
--

CREATE FUNCTION "scheduling"."check_intervals"("p_intervals" "jsonb", "p_with_weekday" boolean) RETURNS "jsonb"
    LANGUAGE "plpgsql" IMMUTABLE
    SET "search_path" TO ''
    AS $_$
-- A list of intervals ([{"weekday"?, "start", "end"}]): each end after its start, no two of
-- one day overlapping (the error names both). Returns it normalized and sorted.
DECLARE
    v_item jsonb;
    v_rows jsonb := '[]';
    v_clash record;
BEGIN
    IF p_intervals IS NULL OR pg_catalog.jsonb_typeof(p_intervals) <> 'array' THEN
        RAISE EXCEPTION 'invalid_hours' USING DETAIL = 'hours: a JSON array of intervals.';
    END IF;
    IF pg_catalog.jsonb_array_length(p_intervals) > 100 THEN
        RAISE EXCEPTION 'invalid_hours' USING DETAIL = 'hours: at most 100 intervals.';
    END IF;
    FOR v_item IN SELECT x FROM pg_catalog.jsonb_array_elements(p_intervals) AS x LOOP
        IF pg_catalog.jsonb_typeof(v_item) <> 'object' THEN
            RAISE EXCEPTION 'invalid_hours' USING DETAIL = 'hours: each interval is an object.';
        END IF;
        IF p_with_weekday AND NOT coalesce(pg_catalog.jsonb_typeof(v_item -> 'weekday') = 'number'
            AND (v_item ->> 'weekday') ~ '^[1-7]$', FALSE) THEN
            RAISE EXCEPTION 'invalid_hours' USING DETAIL = 'weekday: an ISO weekday, 1 (Monday) to 7.';
        END IF;
        IF scheduling.parse_time(v_item ->> 'start', 'start', FALSE) >= scheduling.parse_time(v_item ->> 'end', 'end', TRUE) THEN
            RAISE EXCEPTION 'invalid_hours'
                USING DETAIL = pg_catalog.format('end: %s must be after start %s.', v_item ->> 'end', v_item ->> 'start');
        END IF;
        v_rows := v_rows || pg_catalog.jsonb_build_array(pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
            'weekday', CASE WHEN p_with_weekday THEN (v_item ->> 'weekday')::integer END,
            'start', v_item ->> 'start', 'end', v_item ->> 'end'
        )));
    END LOOP;
    SELECT a.x AS first, b.x AS second INTO v_clash
    FROM pg_catalog.jsonb_array_elements(v_rows) WITH ORDINALITY AS a (x, i)
    INNER JOIN pg_catalog.jsonb_array_elements(v_rows) WITH ORDINALITY AS b (x, j) ON a.i < b.j
    WHERE (a.x -> 'weekday') IS NOT DISTINCT FROM (b.x -> 'weekday')
      AND (a.x ->> 'start')::time < (b.x ->> 'end')::time AND (b.x ->> 'start')::time < (a.x ->> 'end')::time
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'overlapping_hours'
            USING DETAIL = pg_catalog.format('%s-%s overlaps %s-%s on the same day.',
                v_clash.first ->> 'start', v_clash.first ->> 'end', v_clash.second ->> 'start', v_clash.second ->> 'end');
    END IF;
    RETURN (
        SELECT coalesce(pg_catalog.jsonb_agg(x ORDER BY (x ->> 'weekday')::integer NULLS FIRST, x ->> 'start'), '[]')
        FROM pg_catalog.jsonb_array_elements(v_rows) AS x
    );
END;
$_$;

ALTER FUNCTION "scheduling"."check_intervals"("p_intervals" "jsonb", "p_with_weekday" boolean) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "check_intervals"("p_intervals" "jsonb", "p_with_weekday" boolean); Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON FUNCTION "scheduling"."check_intervals"("p_intervals" "jsonb", "p_with_weekday" boolean) IS 'Internal: validates and sorts a list of wall-clock intervals; raises invalid_hours or overlapping_hours.';

--
-- Name: check_zone("text", "text"); Type: FUNCTION; Schema: scheduling; Owner: restartix_owner
--

CREATE FUNCTION "scheduling"."check_zone"("p_zone" "text", "p_parameter" "text" DEFAULT 'timezone'::"text") RETURNS "void"
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    IF p_zone IS NULL OR NOT EXISTS (SELECT 1 FROM scheduling.time_zones AS z WHERE z.name = p_zone) THEN
        RAISE EXCEPTION 'invalid_query'
            USING DETAIL = pg_catalog.format('%s: %s is not an IANA time zone name (e.g. Europe/Bucharest).',
                p_parameter, coalesce(p_zone, 'null'));
    END IF;
END;
$$;

ALTER FUNCTION "scheduling"."check_zone"("p_zone" "text", "p_parameter" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "check_zone"("p_zone" "text", "p_parameter" "text"); Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON FUNCTION "scheduling"."check_zone"("p_zone" "text", "p_parameter" "text") IS 'Internal: raises invalid_query naming the parameter unless the zone is a known IANA name, exact case.';

--
-- Name: create_calendar("jsonb"); Type: FUNCTION; Schema: scheduling; Owner: restartix_owner
--

CREATE FUNCTION "scheduling"."create_calendar"("p_fields" "jsonb") RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_hours jsonb;
    v_id uuid;
    f jsonb := p_fields;
BEGIN
    PERFORM people.require_member_permission('scheduling.manage');
    v_hours := scheduling.check_calendar_fields(f);
    IF EXISTS (SELECT 1 FROM scheduling.calendars AS c
        WHERE c.organization_id = iam.current_org_id() AND c.slug = f ->> 'slug' AND c.deleted_at IS NULL) THEN
        RAISE EXCEPTION 'calendar_slug_taken' USING DETAIL = 'Another calendar of the organization has this slug.';
    END IF;
    INSERT INTO scheduling.calendars (
        organization_id, name, slug, service_id, modality, assignment_strategy, slot_interval_minutes,
        min_notice_minutes, max_advance_days, buffer_before_minutes, buffer_after_minutes, hours,
        timezone, public, active, created_by
    ) VALUES (
        iam.current_org_id(), pg_catalog.btrim(f ->> 'name'), f ->> 'slug', (f ->> 'service_id')::uuid,
        coalesce(f ->> 'modality', 'in_clinic'), coalesce(f ->> 'assignment_strategy', 'round_robin'),
        (f ->> 'slot_interval_minutes')::integer, (f ->> 'min_notice_minutes')::integer,
        (f ->> 'max_advance_days')::integer, (f ->> 'buffer_before_minutes')::integer,
        (f ->> 'buffer_after_minutes')::integer, CASE WHEN v_hours = 'null' THEN NULL ELSE v_hours END,
        coalesce(f ->> 'timezone', (SELECT os.timezone FROM tenancy.organization_settings AS os
            WHERE os.organization_id = iam.current_org_id()), 'Europe/Bucharest'),
        coalesce((f ->> 'public')::boolean, FALSE), coalesce((f ->> 'active')::boolean, TRUE),
        iam.current_principal_id()
    ) RETURNING id INTO v_id;
    PERFORM events.publish('calendar.created', pg_catalog.jsonb_build_object(
        'calendar_id', v_id, 'service_id', (f ->> 'service_id')::uuid,
        'public', coalesce((f ->> 'public')::boolean, FALSE)
    ));
    RETURN v_id;
END;
$$;

ALTER FUNCTION "scheduling"."create_calendar"("p_fields" "jsonb") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "create_calendar"("p_fields" "jsonb"); Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON FUNCTION "scheduling"."create_calendar"("p_fields" "jsonb") IS 'Add a calendar for one of the organization''s services (scheduling.manage).';

--
-- Name: delete_calendar("uuid"); Type: FUNCTION; Schema: scheduling; Owner: restartix_owner
--

CREATE FUNCTION "scheduling"."delete_calendar"("p_id" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    PERFORM people.require_member_permission('scheduling.manage');
    PERFORM scheduling.lock_calendar(p_id);
    UPDATE scheduling.calendars SET deleted_at = util.now() WHERE id = p_id;
    PERFORM events.publish('calendar.deleted', pg_catalog.jsonb_build_object('calendar_id', p_id));
END;
$$;

ALTER FUNCTION "scheduling"."delete_calendar"("p_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "delete_calendar"("p_id" "uuid"); Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON FUNCTION "scheduling"."delete_calendar"("p_id" "uuid") IS 'Soft-delete a calendar (scheduling.manage); it offers no more slots.';

--
-- Name: delete_closure("uuid"); Type: FUNCTION; Schema: scheduling; Owner: restartix_owner
--

CREATE FUNCTION "scheduling"."delete_closure"("p_id" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    PERFORM people.require_member_permission('scheduling.manage');
    DELETE FROM scheduling.organization_closures AS c WHERE c.id = p_id AND c.organization_id = iam.current_org_id();
    IF NOT FOUND THEN
        RAISE EXCEPTION 'closure_not_found' USING DETAIL = 'No such closure in this organization.';
    END IF;
    PERFORM events.publish('availability.changed', pg_catalog.jsonb_build_object(
        'calendar_id', NULL, 'specialist_id', NULL, 'reason', 'closure'
    ));
END;
$$;

ALTER FUNCTION "scheduling"."delete_closure"("p_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "delete_closure"("p_id" "uuid"); Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON FUNCTION "scheduling"."delete_closure"("p_id" "uuid") IS 'Reopen the clinic on a closed date (scheduling.manage).';

--
-- Name: delete_override("uuid"); Type: FUNCTION; Schema: scheduling; Owner: restartix_owner
--

CREATE FUNCTION "scheduling"."delete_override"("p_id" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_specialist uuid;
BEGIN
    PERFORM people.require_member_permission('scheduling.manage');
    DELETE FROM scheduling.specialist_schedule_overrides AS o
    WHERE o.id = p_id AND o.organization_id = iam.current_org_id()
    RETURNING o.specialist_id INTO v_specialist;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'override_not_found' USING DETAIL = 'No such override in this organization.';
    END IF;
    PERFORM scheduling.hours_changed(v_specialist);
END;
$$;

ALTER FUNCTION "scheduling"."delete_override"("p_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "delete_override"("p_id" "uuid"); Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON FUNCTION "scheduling"."delete_override"("p_id" "uuid") IS 'Remove a date override; the weekly hours apply again that day (scheduling.manage).';

--
-- Name: delete_weekly_hours("uuid"); Type: FUNCTION; Schema: scheduling; Owner: restartix_owner
--

CREATE FUNCTION "scheduling"."delete_weekly_hours"("p_id" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_specialist uuid;
BEGIN
    PERFORM people.require_member_permission('scheduling.manage');
    DELETE FROM scheduling.specialist_weekly_hours AS w
    WHERE w.id = p_id AND w.organization_id = iam.current_org_id()
    RETURNING w.specialist_id INTO v_specialist;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'weekly_hours_not_found' USING DETAIL = 'No such weekly interval in this organization.';
    END IF;
    PERFORM scheduling.hours_changed(v_specialist);
END;
$$;

ALTER FUNCTION "scheduling"."delete_weekly_hours"("p_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "delete_weekly_hours"("p_id" "uuid"); Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON FUNCTION "scheduling"."delete_weekly_hours"("p_id" "uuid") IS 'Remove a weekly working interval (scheduling.manage).';

--
-- Name: hours_changed("uuid"); Type: FUNCTION; Schema: scheduling; Owner: restartix_owner
--

CREATE FUNCTION "scheduling"."hours_changed"("p_specialist_id" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    PERFORM events.publish('specialist_hours.changed', pg_catalog.jsonb_build_object('specialist_id', p_specialist_id));
    PERFORM events.publish('availability.changed', pg_catalog.jsonb_build_object(
        'calendar_id', NULL, 'specialist_id', p_specialist_id, 'reason', 'hours'
    ));
END;
$$;

ALTER FUNCTION "scheduling"."hours_changed"("p_specialist_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "hours_changed"("p_specialist_id" "uuid"); Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON FUNCTION "scheduling"."hours_changed"("p_specialist_id" "uuid") IS 'Internal: publishes that a specialist''s hours, and so availability, changed.';

--
-- Name: label(time without time zone, time without time zone); Type: FUNCTION; Schema: scheduling; Owner: restartix_owner
--

CREATE FUNCTION "scheduling"."label"("p_start" time without time zone, "p_end" time without time zone) RETURNS "text"
    LANGUAGE "sql" IMMUTABLE
    SET "search_path" TO ''
    AS $$
    SELECT pg_catalog.to_char(p_start, 'HH24:MI') || '-'
        || CASE WHEN p_end = '24:00'::time THEN '24:00' ELSE pg_catalog.to_char(p_end, 'HH24:MI') END
$$;

ALTER FUNCTION "scheduling"."label"("p_start" time without time zone, "p_end" time without time zone) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "label"("p_start" time without time zone, "p_end" time without time zone); Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON FUNCTION "scheduling"."label"("p_start" time without time zone, "p_end" time without time zone) IS 'Internal: an interval as HH:MM-HH:MM for error details.';

--
-- Name: calendars; Type: TABLE; Schema: scheduling; Owner: restartix_owner
--

CREATE TABLE "scheduling"."calendars" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "name" "text" NOT NULL,
    "slug" "text" NOT NULL,
    "service_id" "uuid" NOT NULL,
    "modality" "text" DEFAULT 'in_clinic'::"text" NOT NULL,
    "assignment_strategy" "text" DEFAULT 'round_robin'::"text" NOT NULL,
    "slot_interval_minutes" integer,
    "min_notice_minutes" integer,
    "max_advance_days" integer,
    "buffer_before_minutes" integer,
    "buffer_after_minutes" integer,
    "hours" "jsonb",
    "timezone" "text" DEFAULT 'Europe/Bucharest'::"text" NOT NULL,
    "public" boolean DEFAULT false NOT NULL,
    "active" boolean DEFAULT true NOT NULL,
    "created_by" "uuid",
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "updated_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "deleted_at" timestamp with time zone,
    CONSTRAINT "calendars_buffers_valid" CHECK (((("buffer_before_minutes" >= 0) AND ("buffer_before_minutes" <= 480)) AND (("buffer_after_minutes" >= 0) AND ("buffer_after_minutes" <= 480)))),
    CONSTRAINT "calendars_hours_array" CHECK (("jsonb_typeof"("hours") = 'array'::"text")),
    CONSTRAINT "calendars_max_advance_valid" CHECK ((("max_advance_days" >= 1) AND ("max_advance_days" <= 730))),
    CONSTRAINT "calendars_min_notice_valid" CHECK ((("min_notice_minutes" >= 0) AND ("min_notice_minutes" <= 525600))),
    CONSTRAINT "calendars_modality_valid" CHECK (("modality" = ANY (ARRAY['in_clinic'::"text", 'video'::"text", 'home_visit'::"text"]))),
    CONSTRAINT "calendars_name_length" CHECK ((("length"("btrim"("name")) >= 1) AND ("length"("btrim"("name")) <= 200))),
    CONSTRAINT "calendars_slot_interval_valid" CHECK ((("slot_interval_minutes" >= 5) AND ("slot_interval_minutes" <= 1440))),
    CONSTRAINT "calendars_slug_format" CHECK (("slug" ~ '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$'::"text")),
    CONSTRAINT "calendars_strategy_valid" CHECK (("assignment_strategy" = ANY (ARRAY['round_robin'::"text", 'priority'::"text", 'patient_choice'::"text"]))),
    CONSTRAINT "calendars_timezone_format" CHECK (("timezone" ~ '^[A-Za-z][A-Za-z0-9_+/-]{0,63}$'::"text"))
);

ALTER TABLE ONLY "scheduling"."calendars" FORCE ROW LEVEL SECURITY;

ALTER TABLE "scheduling"."calendars" OWNER TO "restartix_owner";

--
-- Name: TABLE "calendars"; Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON TABLE "scheduling"."calendars" IS 'A bookable service of an organization: its specialists, strategy, slot grid, window and hours.';

--
-- Name: lock_calendar("uuid"); Type: FUNCTION; Schema: scheduling; Owner: restartix_owner
--

CREATE FUNCTION "scheduling"."lock_calendar"("p_id" "uuid") RETURNS "scheduling"."calendars"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_calendar scheduling.calendars;
BEGIN
    SELECT * INTO v_calendar FROM scheduling.calendars AS c
    WHERE c.id = p_id AND c.organization_id = iam.current_org_id() AND c.deleted_at IS NULL
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'calendar_not_found' USING DETAIL = 'No such calendar in this organization.';
    END IF;
    RETURN v_calendar;
END;
$$;

ALTER FUNCTION "scheduling"."lock_calendar"("p_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "lock_calendar"("p_id" "uuid"); Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON FUNCTION "scheduling"."lock_calendar"("p_id" "uuid") IS 'Internal: locks a live calendar of the current organization, or raises calendar_not_found.';

--
-- Name: lock_specialist("uuid"); Type: FUNCTION; Schema: scheduling; Owner: restartix_owner
--

CREATE FUNCTION "scheduling"."lock_specialist"("p_id" "uuid") RETURNS "people"."specialists"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_specialist people.specialists;
BEGIN
    SELECT * INTO v_specialist FROM people.specialists AS s
    WHERE s.id = p_id AND s.organization_id = iam.current_org_id() AND s.deleted_at IS NULL
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'specialist_not_found' USING DETAIL = 'No such specialist in this organization.';
    END IF;
    RETURN v_specialist;
END;
$$;

ALTER FUNCTION "scheduling"."lock_specialist"("p_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "lock_specialist"("p_id" "uuid"); Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON FUNCTION "scheduling"."lock_specialist"("p_id" "uuid") IS 'Internal: locks a live specialist of the current organization (serializing hour edits), or raises specialist_not_found.';

--
-- Name: member_availability("uuid", "date", "date", "text", "jsonb"); Type: FUNCTION; Schema: scheduling; Owner: restartix_owner
--

CREATE FUNCTION "scheduling"."member_availability"("p_calendar_id" "uuid", "p_from" "date", "p_to" "date", "p_query_tz" "text", "p_holds" "jsonb" DEFAULT '[]'::"jsonb") RETURNS TABLE("slot_start" timestamp with time zone, "slot_end" timestamp with time zone, "specialist_ids" "uuid"[], "start_text" "text", "end_text" "text")
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    PERFORM people.require_member_permission('scheduling.read');
    IF NOT EXISTS (
        SELECT 1 FROM scheduling.calendars AS c
        WHERE c.id = p_calendar_id AND c.organization_id = iam.current_org_id() AND c.deleted_at IS NULL
    ) THEN
        RAISE EXCEPTION 'calendar_not_found' USING DETAIL = 'No such calendar in this organization.';
    END IF;
    RETURN QUERY SELECT * FROM scheduling.availability(p_calendar_id, p_from, p_to, p_query_tz, p_holds);
END;
$$;

ALTER FUNCTION "scheduling"."member_availability"("p_calendar_id" "uuid", "p_from" "date", "p_to" "date", "p_query_tz" "text", "p_holds" "jsonb") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "member_availability"("p_calendar_id" "uuid", "p_from" "date", "p_to" "date", "p_query_tz" "text", "p_holds" "jsonb"); Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON FUNCTION "scheduling"."member_availability"("p_calendar_id" "uuid", "p_from" "date", "p_to" "date", "p_query_tz" "text", "p_holds" "jsonb") IS 'A calendar''s availability for a member holding scheduling.read in its organization.';

--
-- Name: parse_time("text", "text", boolean); Type: FUNCTION; Schema: scheduling; Owner: restartix_owner
--

CREATE FUNCTION "scheduling"."parse_time"("p_value" "text", "p_field" "text", "p_is_end" boolean) RETURNS time without time zone
    LANGUAGE "plpgsql" IMMUTABLE
    SET "search_path" TO ''
    AS $_$
-- "HH:MM" wall-clock; "24:00" only as an end (the end of the date).
BEGIN
    IF p_value IS NULL OR NOT (p_value ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' OR (p_is_end AND p_value = '24:00')) THEN
        RAISE EXCEPTION 'invalid_hours'
            USING DETAIL = pg_catalog.format('%s: a wall-clock time HH:MM%s.', p_field, CASE WHEN p_is_end THEN ' (24:00 ends the day)' ELSE '' END);
    END IF;
    RETURN p_value::time;
END;
$_$;

ALTER FUNCTION "scheduling"."parse_time"("p_value" "text", "p_field" "text", "p_is_end" boolean) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "parse_time"("p_value" "text", "p_field" "text", "p_is_end" boolean); Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON FUNCTION "scheduling"."parse_time"("p_value" "text", "p_field" "text", "p_is_end" boolean) IS 'Internal: a HH:MM wall-clock time, 24:00 allowed as an end; raises invalid_hours.';

--
-- Name: pick_specialist("uuid", timestamp with time zone, "jsonb", "uuid", boolean); Type: FUNCTION; Schema: scheduling; Owner: restartix_owner
--

CREATE FUNCTION "scheduling"."pick_specialist"("p_calendar_id" "uuid", "p_start" timestamp with time zone, "p_holds" "jsonb" DEFAULT '[]'::"jsonb", "p_requested" "uuid" DEFAULT NULL::"uuid", "p_lock" boolean DEFAULT false) RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- The calendar's strategy among the specialists free at p_start (availability of that
-- start's date in the calendar's zone): round_robin the least recently assigned (never first),
-- ties by priority then id; priority the highest priority, ties by least recently assigned;
-- patient_choice the requested one, who must be free. p_lock locks the chosen tracking row
-- (the booking transaction then calls record_assignment). NULL when nobody fits.
DECLARE
    v_cal scheduling.calendars;
    v_free uuid [];
    v_pick uuid;
    v_date date;
BEGIN
    SELECT * INTO v_cal FROM scheduling.calendars AS c WHERE c.id = p_calendar_id AND c.deleted_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'calendar_not_found' USING DETAIL = 'No such calendar.';
    END IF;
    v_date := (p_start AT TIME ZONE v_cal.timezone)::date;
    SELECT a.specialist_ids INTO v_free
    FROM scheduling.availability(p_calendar_id, v_date, v_date, v_cal.timezone, p_holds) AS a
    WHERE a.slot_start = p_start;
    IF v_free IS NULL THEN
        RETURN NULL;
    END IF;
    IF v_cal.assignment_strategy = 'patient_choice' THEN
        IF p_requested IS NULL OR NOT p_requested = ANY (v_free) THEN
            RETURN NULL;
        END IF;
        v_pick := p_requested;
    ELSIF v_cal.assignment_strategy = 'round_robin' THEN
        SELECT cs.specialist_id INTO v_pick
        FROM scheduling.calendar_specialists AS cs
        LEFT JOIN scheduling.specialist_assignment_tracking AS t
            ON t.calendar_id = cs.calendar_id AND t.specialist_id = cs.specialist_id
        WHERE cs.calendar_id = p_calendar_id AND cs.specialist_id = ANY (v_free)
        ORDER BY t.last_assigned_at ASC NULLS FIRST, cs.priority, cs.specialist_id
        LIMIT 1;
    ELSE
        SELECT cs.specialist_id INTO v_pick
        FROM scheduling.calendar_specialists AS cs
        LEFT JOIN scheduling.specialist_assignment_tracking AS t
            ON t.calendar_id = cs.calendar_id AND t.specialist_id = cs.specialist_id
        WHERE cs.calendar_id = p_calendar_id AND cs.specialist_id = ANY (v_free)
        ORDER BY cs.priority, t.last_assigned_at ASC NULLS FIRST, cs.specialist_id
        LIMIT 1;
    END IF;
    IF p_lock AND v_pick IS NOT NULL THEN
        PERFORM 1 FROM scheduling.specialist_assignment_tracking AS t
        WHERE t.calendar_id = p_calendar_id AND t.specialist_id = v_pick FOR UPDATE;
    END IF;
    RETURN v_pick;
END;
$$;

ALTER FUNCTION "scheduling"."pick_specialist"("p_calendar_id" "uuid", "p_start" timestamp with time zone, "p_holds" "jsonb", "p_requested" "uuid", "p_lock" boolean) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "pick_specialist"("p_calendar_id" "uuid", "p_start" timestamp with time zone, "p_holds" "jsonb", "p_requested" "uuid", "p_lock" boolean); Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON FUNCTION "scheduling"."pick_specialist"("p_calendar_id" "uuid", "p_start" timestamp with time zone, "p_holds" "jsonb", "p_requested" "uuid", "p_lock" boolean) IS 'Internal: the specialist the calendar''s strategy assigns at a start among those free, optionally locking their tracking row.';

--
-- Name: public_availability("uuid", "date", "date", "text", "jsonb"); Type: FUNCTION; Schema: scheduling; Owner: restartix_owner
--

CREATE FUNCTION "scheduling"."public_availability"("p_calendar_id" "uuid", "p_from" "date", "p_to" "date", "p_query_tz" "text", "p_holds" "jsonb" DEFAULT '[]'::"jsonb") RETURNS TABLE("slot_start" timestamp with time zone, "slot_end" timestamp with time zone, "specialist_ids" "uuid"[], "start_text" "text", "end_text" "text")
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM scheduling.calendars AS c
        INNER JOIN tenancy.organizations AS o ON o.id = c.organization_id
        WHERE c.id = p_calendar_id AND c.deleted_at IS NULL AND c.public AND c.active
          AND o.status = 'active' AND o.deleted_at IS NULL
    ) THEN
        RAISE EXCEPTION 'calendar_not_found' USING DETAIL = 'No such public calendar.';
    END IF;
    RETURN QUERY SELECT * FROM scheduling.availability(p_calendar_id, p_from, p_to, p_query_tz, p_holds);
END;
$$;

ALTER FUNCTION "scheduling"."public_availability"("p_calendar_id" "uuid", "p_from" "date", "p_to" "date", "p_query_tz" "text", "p_holds" "jsonb") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "public_availability"("p_calendar_id" "uuid", "p_from" "date", "p_to" "date", "p_query_tz" "text", "p_holds" "jsonb"); Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON FUNCTION "scheduling"."public_availability"("p_calendar_id" "uuid", "p_from" "date", "p_to" "date", "p_query_tz" "text", "p_holds" "jsonb") IS 'A public, active calendar''s availability for the booking page (system pool).';

--
-- Name: public_calendar("uuid"); Type: FUNCTION; Schema: scheduling; Owner: restartix_owner
--

CREATE FUNCTION "scheduling"."public_calendar"("p_calendar_id" "uuid") RETURNS TABLE("id" "uuid", "organization_id" "uuid", "assignment_strategy" "text", "duration_minutes" integer)
    LANGUAGE "sql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
    SELECT c.id, c.organization_id, c.assignment_strategy, s.duration_minutes
    FROM scheduling.calendars AS c
    INNER JOIN catalog.services AS s ON s.id = c.service_id
    INNER JOIN tenancy.organizations AS o ON o.id = c.organization_id
    WHERE c.id = p_calendar_id AND c.deleted_at IS NULL AND c.public AND c.active
      AND o.status = 'active' AND o.deleted_at IS NULL
$$;

ALTER FUNCTION "scheduling"."public_calendar"("p_calendar_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "public_calendar"("p_calendar_id" "uuid"); Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON FUNCTION "scheduling"."public_calendar"("p_calendar_id" "uuid") IS 'A public, active calendar of an active organization, with its strategy and slot length (system pool).';

--
-- Name: public_calendar_specialists("uuid"); Type: FUNCTION; Schema: scheduling; Owner: restartix_owner
--

CREATE FUNCTION "scheduling"."public_calendar_specialists"("p_calendar_id" "uuid") RETURNS TABLE("id" "uuid", "display_name" "text")
    LANGUAGE "sql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
    SELECT s.id, s.display_name
    FROM scheduling.public_calendar(p_calendar_id) AS c
    INNER JOIN scheduling.calendar_specialists AS cs ON cs.calendar_id = c.id
    INNER JOIN people.specialists AS s ON s.id = cs.specialist_id AND s.organization_id = cs.organization_id
    WHERE c.assignment_strategy = 'patient_choice' AND s.deleted_at IS NULL AND s.scheduling_active
    ORDER BY s.id
$$;

ALTER FUNCTION "scheduling"."public_calendar_specialists"("p_calendar_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "public_calendar_specialists"("p_calendar_id" "uuid"); Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON FUNCTION "scheduling"."public_calendar_specialists"("p_calendar_id" "uuid") IS 'The bookable specialists (id, display name) of a public patient_choice calendar (system pool).';

--
-- Name: record_assignment("uuid", "uuid"); Type: FUNCTION; Schema: scheduling; Owner: restartix_owner
--

CREATE FUNCTION "scheduling"."record_assignment"("p_calendar_id" "uuid", "p_specialist_id" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    UPDATE scheduling.specialist_assignment_tracking AS t
    SET last_assigned_at = pg_catalog.clock_timestamp(), assignment_count = t.assignment_count + 1
    WHERE t.calendar_id = p_calendar_id AND t.specialist_id = p_specialist_id;
END;
$$;

ALTER FUNCTION "scheduling"."record_assignment"("p_calendar_id" "uuid", "p_specialist_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "record_assignment"("p_calendar_id" "uuid", "p_specialist_id" "uuid"); Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON FUNCTION "scheduling"."record_assignment"("p_calendar_id" "uuid", "p_specialist_id" "uuid") IS 'Internal: counts an assignment in the booking transaction (a hold does not count).';

--
-- Name: remove_calendar_specialist("uuid", "uuid"); Type: FUNCTION; Schema: scheduling; Owner: restartix_owner
--

CREATE FUNCTION "scheduling"."remove_calendar_specialist"("p_calendar_id" "uuid", "p_specialist_id" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    PERFORM people.require_member_permission('scheduling.manage');
    PERFORM scheduling.lock_calendar(p_calendar_id);
    DELETE FROM scheduling.calendar_specialists AS cs
    WHERE cs.calendar_id = p_calendar_id AND cs.specialist_id = p_specialist_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'calendar_specialist_not_found' USING DETAIL = 'This specialist is not on this calendar.';
    END IF;
    PERFORM events.publish('calendar.specialist_removed', pg_catalog.jsonb_build_object(
        'calendar_id', p_calendar_id, 'specialist_id', p_specialist_id
    ));
    PERFORM events.publish('availability.changed', pg_catalog.jsonb_build_object(
        'calendar_id', p_calendar_id, 'specialist_id', p_specialist_id, 'reason', 'calendar'
    ));
END;
$$;

ALTER FUNCTION "scheduling"."remove_calendar_specialist"("p_calendar_id" "uuid", "p_specialist_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "remove_calendar_specialist"("p_calendar_id" "uuid", "p_specialist_id" "uuid"); Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON FUNCTION "scheduling"."remove_calendar_specialist"("p_calendar_id" "uuid", "p_specialist_id" "uuid") IS 'Take a specialist off a calendar (scheduling.manage).';

--
-- Name: rfc3339(timestamp with time zone, "text"); Type: FUNCTION; Schema: scheduling; Owner: restartix_owner
--

CREATE FUNCTION "scheduling"."rfc3339"("p_at" timestamp with time zone, "p_zone" "text") RETURNS "text"
    LANGUAGE "sql" STABLE
    SET "search_path" TO ''
    AS $$
    SELECT pg_catalog.to_char(p_at AT TIME ZONE p_zone, 'YYYY-MM-DD"T"HH24:MI:SS')
        || CASE WHEN o.off < INTERVAL '0' THEN '-' ELSE '+' END
        || pg_catalog.to_char(pg_catalog.abs(extract(EPOCH FROM o.off)::integer) / 3600, 'FM00')
        || ':'
        || pg_catalog.to_char(pg_catalog.abs(extract(EPOCH FROM o.off)::integer) % 3600 / 60, 'FM00')
    FROM (SELECT (p_at AT TIME ZONE p_zone) - (p_at AT TIME ZONE 'UTC') AS off) AS o
$$;

ALTER FUNCTION "scheduling"."rfc3339"("p_at" timestamp with time zone, "p_zone" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "rfc3339"("p_at" timestamp with time zone, "p_zone" "text"); Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON FUNCTION "scheduling"."rfc3339"("p_at" timestamp with time zone, "p_zone" "text") IS 'Internal: an instant as RFC 3339 with seconds and the zone''s offset at that instant.';

--
-- Name: set_calendar_specialist("uuid", "uuid", integer, "jsonb"); Type: FUNCTION; Schema: scheduling; Owner: restartix_owner
--

CREATE FUNCTION "scheduling"."set_calendar_specialist"("p_calendar_id" "uuid", "p_specialist_id" "uuid", "p_priority" integer DEFAULT 1, "p_hours" "jsonb" DEFAULT NULL::"jsonb") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_hours jsonb;
BEGIN
    PERFORM people.require_member_permission('scheduling.manage');
    PERFORM scheduling.lock_calendar(p_calendar_id);
    PERFORM scheduling.lock_specialist(p_specialist_id);
    IF p_priority IS NULL OR p_priority NOT BETWEEN 1 AND 1000 THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'priority: 1 (highest) to 1000.';
    END IF;
    IF p_hours IS NOT NULL AND p_hours <> 'null' THEN
        v_hours := scheduling.check_intervals(p_hours, TRUE);
    END IF;
    INSERT INTO scheduling.calendar_specialists (calendar_id, organization_id, specialist_id, priority, hours)
    VALUES (p_calendar_id, iam.current_org_id(), p_specialist_id, p_priority, v_hours)
    ON CONFLICT (calendar_id, specialist_id) DO UPDATE SET priority = excluded.priority, hours = excluded.hours;
    INSERT INTO scheduling.specialist_assignment_tracking (calendar_id, organization_id, specialist_id)
    VALUES (p_calendar_id, iam.current_org_id(), p_specialist_id)
    ON CONFLICT (calendar_id, specialist_id) DO NOTHING;
    PERFORM events.publish('calendar.specialist_set', pg_catalog.jsonb_build_object(
        'calendar_id', p_calendar_id, 'specialist_id', p_specialist_id, 'priority', p_priority,
        'has_hours', v_hours IS NOT NULL
    ));
    PERFORM events.publish('availability.changed', pg_catalog.jsonb_build_object(
        'calendar_id', p_calendar_id, 'specialist_id', p_specialist_id, 'reason', 'calendar'
    ));
END;
$$;

ALTER FUNCTION "scheduling"."set_calendar_specialist"("p_calendar_id" "uuid", "p_specialist_id" "uuid", "p_priority" integer, "p_hours" "jsonb") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "set_calendar_specialist"("p_calendar_id" "uuid", "p_specialist_id" "uuid", "p_priority" integer, "p_hours" "jsonb"); Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON FUNCTION "scheduling"."set_calendar_specialist"("p_calendar_id" "uuid", "p_specialist_id" "uuid", "p_priority" integer, "p_hours" "jsonb") IS 'Put a specialist on a calendar, or change their priority and calendar hours (scheduling.manage).';

--
-- Name: set_override("uuid", "date", boolean, "jsonb"); Type: FUNCTION; Schema: scheduling; Owner: restartix_owner
--

CREATE FUNCTION "scheduling"."set_override"("p_specialist_id" "uuid", "p_date" "date", "p_unavailable" boolean, "p_intervals" "jsonb" DEFAULT '[]'::"jsonb") RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_intervals jsonb;
    v_id uuid;
BEGIN
    PERFORM people.require_member_permission('scheduling.manage');
    PERFORM scheduling.lock_specialist(p_specialist_id);
    IF p_date IS NULL THEN
        RAISE EXCEPTION 'invalid_hours' USING DETAIL = 'date: required.';
    END IF;
    v_intervals := scheduling.check_intervals(coalesce(p_intervals, '[]'), FALSE);
    IF coalesce(p_unavailable, FALSE) AND v_intervals <> '[]' THEN
        RAISE EXCEPTION 'invalid_hours' USING DETAIL = 'intervals: an unavailable day has none.';
    END IF;
    INSERT INTO scheduling.specialist_schedule_overrides (organization_id, specialist_id, override_date, unavailable, intervals)
    VALUES (iam.current_org_id(), p_specialist_id, p_date, coalesce(p_unavailable, FALSE), v_intervals)
    ON CONFLICT (organization_id, specialist_id, override_date) DO UPDATE
    SET unavailable = excluded.unavailable, intervals = excluded.intervals, updated_at = util.now()
    RETURNING id INTO v_id;
    PERFORM scheduling.hours_changed(p_specialist_id);
    RETURN v_id;
END;
$$;

ALTER FUNCTION "scheduling"."set_override"("p_specialist_id" "uuid", "p_date" "date", "p_unavailable" boolean, "p_intervals" "jsonb") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "set_override"("p_specialist_id" "uuid", "p_date" "date", "p_unavailable" boolean, "p_intervals" "jsonb"); Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON FUNCTION "scheduling"."set_override"("p_specialist_id" "uuid", "p_date" "date", "p_unavailable" boolean, "p_intervals" "jsonb") IS 'Set a specialist''s hours for one local date: the day off, or replacement intervals (scheduling.manage).';

--
-- Name: update_calendar("uuid", "jsonb"); Type: FUNCTION; Schema: scheduling; Owner: restartix_owner
--

CREATE FUNCTION "scheduling"."update_calendar"("p_id" "uuid", "p_changes" "jsonb") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- Nullable settings (slot interval, notice, advance, buffers, hours) are cleared by a JSON null.
DECLARE
    v_hours jsonb;
    c jsonb := p_changes;
BEGIN
    PERFORM people.require_member_permission('scheduling.manage');
    v_hours := scheduling.check_calendar_fields(c);
    PERFORM scheduling.lock_calendar(p_id);
    IF c ? 'slug' AND EXISTS (SELECT 1 FROM scheduling.calendars AS x
        WHERE x.organization_id = iam.current_org_id() AND x.slug = c ->> 'slug' AND x.deleted_at IS NULL AND x.id <> p_id) THEN
        RAISE EXCEPTION 'calendar_slug_taken' USING DETAIL = 'Another calendar of the organization has this slug.';
    END IF;
    UPDATE scheduling.calendars AS k SET
        name = CASE WHEN c ? 'name' THEN pg_catalog.btrim(c ->> 'name') ELSE k.name END,
        slug = CASE WHEN c ? 'slug' THEN c ->> 'slug' ELSE k.slug END,
        service_id = CASE WHEN c ? 'service_id' THEN (c ->> 'service_id')::uuid ELSE k.service_id END,
        modality = CASE WHEN c ? 'modality' THEN c ->> 'modality' ELSE k.modality END,
        assignment_strategy = CASE WHEN c ? 'assignment_strategy' THEN c ->> 'assignment_strategy' ELSE k.assignment_strategy END,
        slot_interval_minutes = CASE WHEN c ? 'slot_interval_minutes' THEN (c ->> 'slot_interval_minutes')::integer ELSE k.slot_interval_minutes END,
        min_notice_minutes = CASE WHEN c ? 'min_notice_minutes' THEN (c ->> 'min_notice_minutes')::integer ELSE k.min_notice_minutes END,
        max_advance_days = CASE WHEN c ? 'max_advance_days' THEN (c ->> 'max_advance_days')::integer ELSE k.max_advance_days END,
        buffer_before_minutes = CASE WHEN c ? 'buffer_before_minutes' THEN (c ->> 'buffer_before_minutes')::integer ELSE k.buffer_before_minutes END,
        buffer_after_minutes = CASE WHEN c ? 'buffer_after_minutes' THEN (c ->> 'buffer_after_minutes')::integer ELSE k.buffer_after_minutes END,
        hours = CASE WHEN c ? 'hours' THEN (CASE WHEN v_hours = 'null' THEN NULL ELSE v_hours END) ELSE k.hours END,
        timezone = CASE WHEN c ? 'timezone' THEN c ->> 'timezone' ELSE k.timezone END,
        public = CASE WHEN c ? 'public' THEN (c ->> 'public')::boolean ELSE k.public END,
        active = CASE WHEN c ? 'active' THEN (c ->> 'active')::boolean ELSE k.active END
    WHERE k.id = p_id;
    PERFORM events.publish('calendar.updated', pg_catalog.jsonb_build_object(
        'calendar_id', p_id,
        'changed', (SELECT coalesce(pg_catalog.jsonb_agg(k ORDER BY k), '[]') FROM pg_catalog.jsonb_object_keys(c) AS k)
    ));
    PERFORM events.publish('availability.changed', pg_catalog.jsonb_build_object(
        'calendar_id', p_id, 'specialist_id', NULL, 'reason', 'calendar'
    ));
END;
$$;

ALTER FUNCTION "scheduling"."update_calendar"("p_id" "uuid", "p_changes" "jsonb") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "update_calendar"("p_id" "uuid", "p_changes" "jsonb"); Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON FUNCTION "scheduling"."update_calendar"("p_id" "uuid", "p_changes" "jsonb") IS 'Change a calendar''s fields named in a JSON object (scheduling.manage).';

--
-- Name: zone_segments("text", "date"); Type: FUNCTION; Schema: scheduling; Owner: restartix_owner
--

CREATE FUNCTION "scheduling"."zone_segments"("p_zone" "text", "p_date" "date") RETURNS TABLE("seg" "tstzrange", "utc_offset" interval)
    LANGUAGE "plpgsql" STABLE
    SET "search_path" TO ''
    AS $$
-- Every instant whose local date in p_zone is p_date lies in [d - 14 h, d + 36 h) UTC
-- (offsets run from -12 h to +14 h); the window is one hour wider each side. Zones change
-- offset at most once in such a window, so a bisection to the second finds the change.
DECLARE
    v_lo bigint := extract(EPOCH FROM (p_date::timestamp - INTERVAL '15 hours') AT TIME ZONE 'UTC')::bigint;
    v_hi bigint := extract(EPOCH FROM (p_date::timestamp + INTERVAL '37 hours') AT TIME ZONE 'UTC')::bigint;
    v_a interval;
    v_b interval;
    v_l bigint;
    v_h bigint;
    v_m bigint;
BEGIN
    v_a := (pg_catalog.to_timestamp(v_lo) AT TIME ZONE p_zone) - (pg_catalog.to_timestamp(v_lo) AT TIME ZONE 'UTC');
    v_b := (pg_catalog.to_timestamp(v_hi) AT TIME ZONE p_zone) - (pg_catalog.to_timestamp(v_hi) AT TIME ZONE 'UTC');
    IF v_a = v_b THEN
        seg := pg_catalog.tstzrange(pg_catalog.to_timestamp(v_lo), pg_catalog.to_timestamp(v_hi));
        utc_offset := v_a;
        RETURN NEXT;
        RETURN;
    END IF;
    v_l := v_lo;
    v_h := v_hi;
    WHILE v_h - v_l > 1 LOOP
        v_m := (v_l + v_h) / 2;
        IF (pg_catalog.to_timestamp(v_m) AT TIME ZONE p_zone) - (pg_catalog.to_timestamp(v_m) AT TIME ZONE 'UTC') = v_a THEN
            v_l := v_m;
        ELSE
            v_h := v_m;
        END IF;
    END LOOP;
    seg := pg_catalog.tstzrange(pg_catalog.to_timestamp(v_lo), pg_catalog.to_timestamp(v_h));
    utc_offset := v_a;
    RETURN NEXT;
    seg := pg_catalog.tstzrange(pg_catalog.to_timestamp(v_h), pg_catalog.to_timestamp(v_hi));
    utc_offset := v_b;
    RETURN NEXT;
END;
$$;

ALTER FUNCTION "scheduling"."zone_segments"("p_zone" "text", "p_date" "date") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "zone_segments"("p_zone" "text", "p_date" "date"); Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON FUNCTION "scheduling"."zone_segments"("p_zone" "text", "p_date" "date") IS 'Internal: the UTC segments of constant offset covering every instant of a local date in a zone.';

--
-- Name: begin_upload("text", "text", "text", timestamp with time zone); Type: FUNCTION; Schema: storage; Owner: restartix_owner
--

CREATE FUNCTION "storage"."begin_upload"("p_purpose" "text", "p_object_key" "text", "p_declared_mime" "text", "p_expires_at" timestamp with time zone) RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_org uuid := storage.require_uploader(p_purpose);
    v_id uuid;
BEGIN
    -- The deadline is the presigned POST's own; one far off would keep a grant alive.
    IF p_expires_at IS NULL OR p_expires_at <= util.now() OR p_expires_at > util.now() + interval '10 minutes' THEN
        RAISE EXCEPTION 'upload_deadline_invalid'
            USING DETAIL = 'An upload deadline lies within the next ten minutes.';
    END IF;
    INSERT INTO storage.files (organization_id, purpose, object_key, declared_mime, uploaded_by, upload_expires_at)
    VALUES (v_org, p_purpose, p_object_key, p_declared_mime, iam.current_principal_id(), p_expires_at)
    RETURNING id INTO v_id;
    RETURN v_id;
END;
$$;

ALTER FUNCTION "storage"."begin_upload"("p_purpose" "text", "p_object_key" "text", "p_declared_mime" "text", "p_expires_at" timestamp with time zone) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "begin_upload"("p_purpose" "text", "p_object_key" "text", "p_declared_mime" "text", "p_expires_at" timestamp with time zone); Type: COMMENT; Schema: storage; Owner: restartix_owner
--

COMMENT ON FUNCTION "storage"."begin_upload"("p_purpose" "text", "p_object_key" "text", "p_declared_mime" "text", "p_expires_at" timestamp with time zone) IS 'Record an upload grant as a pending file of the organization in scope; returns its id.';

--
-- Name: complete_upload("uuid", "text", "text", bigint, "text"); Type: FUNCTION; Schema: storage; Owner: restartix_owner
--

CREATE FUNCTION "storage"."complete_upload"("p_file" "uuid", "p_object_key" "text", "p_detected_mime" "text", "p_size_bytes" bigint, "p_sha256" "text") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_pending record;
    v_previous uuid;
BEGIN
    SELECT * INTO v_pending FROM storage.lock_pending_upload(p_file);
    -- The checked copy keeps the upload's object id and adds its extension (app/storage).
    IF p_object_key IS NULL OR NOT starts_with(p_object_key, v_pending.object_key || '.') THEN
        RAISE EXCEPTION 'file_key_mismatch'
            USING DETAIL = 'A verified file is kept under its upload key plus an extension.';
    END IF;
    -- One completion per organization at a time: the next one, taking this lock, reads the
    -- files (and their bytes against the limit) as the previous one committed them.
    PERFORM billing.lock_limit(iam.current_org_id(), 'storage.bytes');
    IF v_pending.purpose = 'logo' THEN
        SELECT f.id INTO v_previous FROM storage.files AS f
        WHERE f.organization_id = iam.current_org_id() AND f.purpose = 'logo'
          AND f.status = 'ready' AND f.deleted_at IS NULL
        FOR UPDATE;
        IF v_previous IS NOT NULL THEN
            PERFORM storage.retire(v_previous, 'replaced');
        END IF;
    END IF;
    PERFORM billing.enforce_limit('storage.bytes', p_size_bytes);
    UPDATE storage.files AS f
    SET status = 'ready', object_key = p_object_key, detected_mime = p_detected_mime,
        size_bytes = p_size_bytes, sha256 = p_sha256, verified_at = util.now()
    WHERE f.id = p_file;
    PERFORM events.publish('file.uploaded', pg_catalog.jsonb_build_object(
        'file_id', p_file, 'purpose', v_pending.purpose, 'content_type', p_detected_mime,
        'size_bytes', p_size_bytes, 'sha256', p_sha256, 'replaces_file_id', v_previous
    ));
END;
$$;

ALTER FUNCTION "storage"."complete_upload"("p_file" "uuid", "p_object_key" "text", "p_detected_mime" "text", "p_size_bytes" bigint, "p_sha256" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "complete_upload"("p_file" "uuid", "p_object_key" "text", "p_detected_mime" "text", "p_size_bytes" bigint, "p_sha256" "text"); Type: COMMENT; Schema: storage; Owner: restartix_owner
--

COMMENT ON FUNCTION "storage"."complete_upload"("p_file" "uuid", "p_object_key" "text", "p_detected_mime" "text", "p_size_bytes" bigint, "p_sha256" "text") IS 'Mark a pending file ready with what its bytes were checked to be, within the storage.bytes limit; a new logo retires the previous one.';

--
-- Name: expire_abandoned_uploads(interval, integer); Type: FUNCTION; Schema: storage; Owner: restartix_owner
--

CREATE FUNCTION "storage"."expire_abandoned_uploads"("p_grace" interval, "p_limit" integer) RETURNS TABLE("id" "uuid", "object_key" "text", "declared_mime" "text")
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_file storage.files;
BEGIN
    -- Pending past their deadline and the grace a late confirm gets: whatever was uploaded
    -- was never checked, so it is refused. The caller deletes the objects, then calls
    -- storage.mark_bytes_removed in the same transaction.
    FOR v_file IN
        SELECT f.* FROM storage.files AS f
        WHERE f.status = 'pending' AND f.upload_expires_at < util.now() - p_grace
        ORDER BY f.upload_expires_at
        LIMIT p_limit
        FOR UPDATE SKIP LOCKED
    LOOP
        UPDATE storage.files AS f SET status = 'rejected', rejection_reason = 'expired' WHERE f.id = v_file.id;
        PERFORM events.publish_for(v_file.organization_id, 'file.rejected', pg_catalog.jsonb_build_object(
            'file_id', v_file.id, 'purpose', v_file.purpose, 'reason', 'expired',
            'declared_mime', v_file.declared_mime, 'detected_mime', NULL, 'size_bytes', NULL
        ));
        id := v_file.id;
        object_key := v_file.object_key;
        declared_mime := v_file.declared_mime;
        RETURN NEXT;
    END LOOP;
END;
$$;

ALTER FUNCTION "storage"."expire_abandoned_uploads"("p_grace" interval, "p_limit" integer) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "expire_abandoned_uploads"("p_grace" interval, "p_limit" integer); Type: COMMENT; Schema: storage; Owner: restartix_owner
--

COMMENT ON FUNCTION "storage"."expire_abandoned_uploads"("p_grace" interval, "p_limit" integer) IS 'Reject pending uploads older than their deadline plus a grace (oldest first, at most p_limit) and return their keys for deletion.';

--
-- Name: files; Type: TABLE; Schema: storage; Owner: restartix_owner
--

CREATE TABLE "storage"."files" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "purpose" "text" NOT NULL,
    "object_key" "text" NOT NULL,
    "declared_mime" "text" NOT NULL,
    "detected_mime" "text",
    "size_bytes" bigint,
    "sha256" "text",
    "status" "text" DEFAULT 'pending'::"text" NOT NULL,
    "rejection_reason" "text",
    "uploaded_by" "uuid",
    "upload_expires_at" timestamp with time zone NOT NULL,
    "verified_at" timestamp with time zone,
    "object_removed_at" timestamp with time zone,
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "updated_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "deleted_at" timestamp with time zone,
    CONSTRAINT "files_declared_mime_format" CHECK (("declared_mime" ~ '^[a-z]+/[a-z0-9.+-]{1,100}$'::"text")),
    CONSTRAINT "files_detected_mime_format" CHECK (("detected_mime" ~ '^[a-z]+/[a-z0-9.+-]{1,100}$'::"text")),
    CONSTRAINT "files_object_key_in_org" CHECK (("object_key" ~ (((('^orgs/'::"text" || ("organization_id")::"text") || '/'::"text") || "purpose") || '/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\.[a-z0-9]{1,8})?$'::"text"))),
    CONSTRAINT "files_purpose_valid" CHECK (("purpose" = ANY (ARRAY['logo'::"text", 'specialist_signature'::"text"]))),
    CONSTRAINT "files_ready_is_verified" CHECK ((("status" <> 'ready'::"text") OR (("detected_mime" IS NOT NULL) AND ("size_bytes" IS NOT NULL) AND ("sha256" IS NOT NULL) AND ("verified_at" IS NOT NULL)))),
    CONSTRAINT "files_rejected_has_reason" CHECK ((("status" = 'rejected'::"text") = ("rejection_reason" IS NOT NULL))),
    CONSTRAINT "files_rejection_reason_valid" CHECK (("rejection_reason" = ANY (ARRAY['missing'::"text", 'too_large'::"text", 'type_not_allowed'::"text", 'mime_mismatch'::"text", 'expired'::"text", 'quota_exceeded'::"text"]))),
    CONSTRAINT "files_sha256_hex" CHECK (("sha256" ~ '^[0-9a-f]{64}$'::"text")),
    CONSTRAINT "files_size_not_negative" CHECK (("size_bytes" >= 0)),
    CONSTRAINT "files_status_valid" CHECK (("status" = ANY (ARRAY['pending'::"text", 'ready'::"text", 'rejected'::"text"])))
);

ALTER TABLE ONLY "storage"."files" FORCE ROW LEVEL SECURITY;

ALTER TABLE "storage"."files" OWNER TO "restartix_owner";

--
-- Name: TABLE "files"; Type: COMMENT; Schema: storage; Owner: restartix_owner
--

COMMENT ON TABLE "storage"."files" IS 'An object an organization uploaded to S3: its key, purpose, declared and detected type, size, checksum and state.';

--
-- Name: lock_file("uuid"); Type: FUNCTION; Schema: storage; Owner: restartix_owner
--

CREATE FUNCTION "storage"."lock_file"("p_file" "uuid") RETURNS "storage"."files"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_file storage.files;
BEGIN
    -- Locked until the caller's transaction ends: two confirms of one upload, or a confirm
    -- and a removal, run one after the other.
    SELECT f.* INTO v_file FROM storage.files AS f
    WHERE f.id = p_file AND f.organization_id = iam.current_org_id() AND f.deleted_at IS NULL
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'file_not_found' USING DETAIL = 'No such file in this organization.';
    END IF;
    RETURN v_file;
END;
$$;

ALTER FUNCTION "storage"."lock_file"("p_file" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "lock_file"("p_file" "uuid"); Type: COMMENT; Schema: storage; Owner: restartix_owner
--

COMMENT ON FUNCTION "storage"."lock_file"("p_file" "uuid") IS 'Lock a live file of the organization in scope and return it; file_not_found otherwise. Callers check permissions.';

--
-- Name: lock_pending_upload("uuid"); Type: FUNCTION; Schema: storage; Owner: restartix_owner
--

CREATE FUNCTION "storage"."lock_pending_upload"("p_file" "uuid") RETURNS TABLE("object_key" "text", "purpose" "text", "declared_mime" "text", "upload_expires_at" timestamp with time zone)
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_file storage.files := storage.lock_file(p_file);
BEGIN
    PERFORM storage.require_uploader(v_file.purpose);
    IF v_file.status <> 'pending' THEN
        RAISE EXCEPTION 'file_not_pending'
            USING DETAIL = pg_catalog.format('The upload was already confirmed: the file is %s.', v_file.status),
                  HINT = pg_catalog.jsonb_build_object('status', v_file.status)::text;
    END IF;
    RETURN QUERY SELECT v_file.object_key, v_file.purpose, v_file.declared_mime, v_file.upload_expires_at;
END;
$$;

ALTER FUNCTION "storage"."lock_pending_upload"("p_file" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "lock_pending_upload"("p_file" "uuid"); Type: COMMENT; Schema: storage; Owner: restartix_owner
--

COMMENT ON FUNCTION "storage"."lock_pending_upload"("p_file" "uuid") IS 'Lock a pending file of the organization in scope for its confirmation and return what the check needs.';

--
-- Name: mark_bytes_removed("uuid"[]); Type: FUNCTION; Schema: storage; Owner: restartix_owner
--

CREATE FUNCTION "storage"."mark_bytes_removed"("p_files" "uuid"[]) RETURNS integer
    LANGUAGE "sql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
    WITH removed AS (
        UPDATE storage.files AS f SET object_removed_at = util.now()
        WHERE f.id = ANY(p_files) AND f.object_removed_at IS NULL
        RETURNING 1
    )
    SELECT pg_catalog.count(*)::integer FROM removed
$$;

ALTER FUNCTION "storage"."mark_bytes_removed"("p_files" "uuid"[]) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "mark_bytes_removed"("p_files" "uuid"[]); Type: COMMENT; Schema: storage; Owner: restartix_owner
--

COMMENT ON FUNCTION "storage"."mark_bytes_removed"("p_files" "uuid"[]) IS 'Record that the sweep deleted these files'' objects from the bucket; returns how many rows changed.';

--
-- Name: reject_upload("uuid", "text", "text", bigint); Type: FUNCTION; Schema: storage; Owner: restartix_owner
--

CREATE FUNCTION "storage"."reject_upload"("p_file" "uuid", "p_reason" "text", "p_detected_mime" "text" DEFAULT NULL::"text", "p_size_bytes" bigint DEFAULT NULL::bigint) RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_pending record;
BEGIN
    SELECT * INTO v_pending FROM storage.lock_pending_upload(p_file);
    -- The application deleted the objects before calling: nothing of a refused upload is kept.
    UPDATE storage.files AS f
    SET status = 'rejected', rejection_reason = p_reason, detected_mime = p_detected_mime,
        size_bytes = p_size_bytes, object_removed_at = util.now()
    WHERE f.id = p_file;
    PERFORM events.publish('file.rejected', pg_catalog.jsonb_build_object(
        'file_id', p_file, 'purpose', v_pending.purpose, 'reason', p_reason,
        'declared_mime', v_pending.declared_mime, 'detected_mime', p_detected_mime, 'size_bytes', p_size_bytes
    ));
END;
$$;

ALTER FUNCTION "storage"."reject_upload"("p_file" "uuid", "p_reason" "text", "p_detected_mime" "text", "p_size_bytes" bigint) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "reject_upload"("p_file" "uuid", "p_reason" "text", "p_detected_mime" "text", "p_size_bytes" bigint); Type: COMMENT; Schema: storage; Owner: restartix_owner
--

COMMENT ON FUNCTION "storage"."reject_upload"("p_file" "uuid", "p_reason" "text", "p_detected_mime" "text", "p_size_bytes" bigint) IS 'Mark a pending file rejected with the reason its bytes were refused (their objects already deleted).';

--
-- Name: remove_file("uuid"); Type: FUNCTION; Schema: storage; Owner: restartix_owner
--

CREATE FUNCTION "storage"."remove_file"("p_file" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_file storage.files := storage.lock_file(p_file);
BEGIN
    -- Only a kept file is removed; a pending upload is refused or swept instead.
    IF v_file.status <> 'ready' THEN
        RAISE EXCEPTION 'file_not_found' USING DETAIL = 'No such file in this organization.';
    END IF;
    PERFORM storage.require_uploader(v_file.purpose);
    PERFORM storage.retire(p_file, 'removed');
END;
$$;

ALTER FUNCTION "storage"."remove_file"("p_file" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "remove_file"("p_file" "uuid"); Type: COMMENT; Schema: storage; Owner: restartix_owner
--

COMMENT ON FUNCTION "storage"."remove_file"("p_file" "uuid") IS 'Remove a ready file of the organization in scope (soft delete); its bytes are removed by the sweep.';

--
-- Name: require_uploader("text"); Type: FUNCTION; Schema: storage; Owner: restartix_owner
--

CREATE FUNCTION "storage"."require_uploader"("p_purpose" "text") RETURNS "uuid"
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_org uuid := iam.current_org_id();
    v_permission text := storage.upload_permission(p_purpose);
BEGIN
    IF v_org IS NULL THEN
        RAISE EXCEPTION 'organization_not_found' USING DETAIL = 'No organization in scope.';
    END IF;
    IF v_permission IS NULL THEN
        RAISE EXCEPTION 'file_purpose_unknown'
            USING DETAIL = pg_catalog.format('No file purpose is named %L.', p_purpose);
    END IF;
    IF NOT iam.has_permission(v_permission) THEN
        RAISE EXCEPTION 'permission_denied'
            USING DETAIL = pg_catalog.format('This needs the %s permission.', v_permission),
                  ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN v_org;
END;
$$;

ALTER FUNCTION "storage"."require_uploader"("p_purpose" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "require_uploader"("p_purpose" "text"); Type: COMMENT; Schema: storage; Owner: restartix_owner
--

COMMENT ON FUNCTION "storage"."require_uploader"("p_purpose" "text") IS 'The organization in scope, after checking the caller may upload files of this purpose there.';

--
-- Name: retire("uuid", "text"); Type: FUNCTION; Schema: storage; Owner: restartix_owner
--

CREATE FUNCTION "storage"."retire"("p_file" "uuid", "p_reason" "text") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_file storage.files;
BEGIN
    -- Soft delete: the row stays for the audit trail; the sweep removes the bytes.
    UPDATE storage.files AS f SET deleted_at = util.now()
    WHERE f.id = p_file AND f.deleted_at IS NULL
    RETURNING f.* INTO v_file;
    IF FOUND THEN
        PERFORM events.publish_for(v_file.organization_id, 'file.deleted', pg_catalog.jsonb_build_object(
            'file_id', v_file.id, 'purpose', v_file.purpose, 'reason', p_reason
        ));
    END IF;
END;
$$;

ALTER FUNCTION "storage"."retire"("p_file" "uuid", "p_reason" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "retire"("p_file" "uuid", "p_reason" "text"); Type: COMMENT; Schema: storage; Owner: restartix_owner
--

COMMENT ON FUNCTION "storage"."retire"("p_file" "uuid", "p_reason" "text") IS 'Soft-delete one file and publish file.deleted with the reason (replaced or removed); callers check permissions.';

--
-- Name: retired_objects(integer); Type: FUNCTION; Schema: storage; Owner: restartix_owner
--

CREATE FUNCTION "storage"."retired_objects"("p_limit" integer) RETURNS TABLE("id" "uuid", "object_key" "text")
    LANGUAGE "sql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
    SELECT f.id, f.object_key FROM storage.files AS f
    WHERE f.deleted_at IS NOT NULL AND f.object_removed_at IS NULL
    ORDER BY f.deleted_at
    LIMIT p_limit
    FOR UPDATE SKIP LOCKED
$$;

ALTER FUNCTION "storage"."retired_objects"("p_limit" integer) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "retired_objects"("p_limit" integer); Type: COMMENT; Schema: storage; Owner: restartix_owner
--

COMMENT ON FUNCTION "storage"."retired_objects"("p_limit" integer) IS 'Deleted files whose bytes are still in the bucket (oldest first), locked for the sweep that removes them.';

--
-- Name: upload_permission("text"); Type: FUNCTION; Schema: storage; Owner: restartix_owner
--

CREATE FUNCTION "storage"."upload_permission"("p_purpose" "text") RETURNS "text"
    LANGUAGE "sql" IMMUTABLE
    AS $$
    -- A logo is part of the organization's profile; a signature belongs to a specialist.
    SELECT CASE p_purpose
        WHEN 'logo' THEN 'organizations.update'
        WHEN 'specialist_signature' THEN 'specialists.manage'
    END
$$;

ALTER FUNCTION "storage"."upload_permission"("p_purpose" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "upload_permission"("p_purpose" "text"); Type: COMMENT; Schema: storage; Owner: restartix_owner
--

COMMENT ON FUNCTION "storage"."upload_permission"("p_purpose" "text") IS 'The permission that uploads, replaces and removes files of a purpose; NULL for an unknown purpose.';

--
-- Name: accept_invitation("text"); Type: FUNCTION; Schema: tenancy; Owner: restartix_owner
--

CREATE FUNCTION "tenancy"."accept_invitation"("p_token" "text") RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- Security definer: the invitee is not a member yet, so RLS would hide the invitation.
-- The token (its hash), the expiry and the invitee's email are what authorize it.
DECLARE
    v_inv tenancy.invitations;
    v_principal uuid := iam.current_principal_id();
    v_email public.citext;
    v_membership uuid;
BEGIN
    IF v_principal IS NULL OR iam.principal_is_blocked(v_principal) THEN
        RAISE EXCEPTION 'permission_denied' USING DETAIL = 'Sign in to accept an invitation.',
            ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT h.email INTO v_email FROM iam.humans AS h WHERE h.principal_id = v_principal;
    SELECT * INTO v_inv FROM tenancy.invitations AS i
    WHERE i.token_hash = pg_catalog.sha256(pg_catalog.convert_to(coalesce(p_token, ''), 'UTF8'))
    FOR UPDATE;
    IF NOT FOUND OR v_inv.accepted_at IS NOT NULL OR v_inv.revoked_at IS NOT NULL
       OR v_inv.expires_at <= util.now() OR v_inv.email OPERATOR(public.<>) v_email THEN
        RAISE EXCEPTION 'invitation_invalid' USING DETAIL = 'This invitation is not valid any more.';
    END IF;
    IF EXISTS (SELECT 1 FROM tenancy.organization_memberships AS m
               WHERE m.organization_id = v_inv.organization_id AND m.principal_id = v_principal) THEN
        RAISE EXCEPTION 'already_member' USING DETAIL = 'You are already a member of this organization.';
    END IF;
    PERFORM pg_catalog.set_config('app.current_org_id', v_inv.organization_id::text, true);
    INSERT INTO tenancy.organization_memberships
        (organization_id, principal_id, role_id, status, invited_at, invited_by, accepted_at)
    VALUES (v_inv.organization_id, v_principal, v_inv.role_id, 'active', v_inv.created_at, v_inv.invited_by, util.now())
    RETURNING id INTO v_membership;
    UPDATE tenancy.invitations SET accepted_at = util.now(), accepted_by = v_principal WHERE id = v_inv.id;
    RETURN v_inv.organization_id;
END;
$$;

ALTER FUNCTION "tenancy"."accept_invitation"("p_token" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "accept_invitation"("p_token" "text"); Type: COMMENT; Schema: tenancy; Owner: restartix_owner
--

COMMENT ON FUNCTION "tenancy"."accept_invitation"("p_token" "text") IS 'The signed-in invitee accepts with the token: single use, unexpired, matching email.';

--
-- Name: active_owner_count("uuid"); Type: FUNCTION; Schema: tenancy; Owner: restartix_owner
--

CREATE FUNCTION "tenancy"."active_owner_count"("p_org" "uuid") RETURNS integer
    LANGUAGE "plpgsql" STABLE SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    RETURN (
        SELECT pg_catalog.count(*)
        FROM tenancy.organization_memberships AS m
        INNER JOIN iam.roles AS r ON r.id = m.role_id
        WHERE m.organization_id = p_org AND m.status = 'active' AND r.code = 'owner' AND r.organization_id IS NULL
    );
END;
$$;

ALTER FUNCTION "tenancy"."active_owner_count"("p_org" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "active_owner_count"("p_org" "uuid"); Type: COMMENT; Schema: tenancy; Owner: restartix_owner
--

COMMENT ON FUNCTION "tenancy"."active_owner_count"("p_org" "uuid") IS 'How many active owners an organization has (guards against removing the last).';

--
-- Name: add_domain("text"); Type: FUNCTION; Schema: tenancy; Owner: restartix_owner
--

CREATE FUNCTION "tenancy"."add_domain"("p_domain" "text") RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- Several organizations may hold pending claims on one name; only verified domains are
-- unique (organization_domains_verified_key). Another organization's pending claim is never
-- revealed; a verified one is public already (it routes to its organization).
DECLARE
    v_domain text := pg_catalog.lower(pg_catalog.btrim(p_domain));
    v_id uuid;
BEGIN
    PERFORM iam.require_permission('domains.manage');
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('tenancy.domain/' || coalesce(v_domain, ''), 0));
    IF EXISTS (SELECT 1 FROM tenancy.organization_domains AS d
               WHERE d.domain = v_domain AND d.organization_id = iam.current_org_id()) THEN
        RAISE EXCEPTION 'domain_already_added' USING DETAIL = 'This organization has already added this domain.';
    END IF;
    IF EXISTS (SELECT 1 FROM tenancy.organization_domains AS d
               WHERE d.domain = v_domain AND d.verified_at IS NOT NULL) THEN
        RAISE EXCEPTION 'domain_unavailable' USING DETAIL = 'This domain is verified by another organization.';
    END IF;
    INSERT INTO tenancy.organization_domains (organization_id, domain)
    VALUES (iam.current_org_id(), v_domain)
    RETURNING id INTO v_id;
    RETURN v_id;
END;
$$;

ALTER FUNCTION "tenancy"."add_domain"("p_domain" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "add_domain"("p_domain" "text"); Type: COMMENT; Schema: tenancy; Owner: restartix_owner
--

COMMENT ON FUNCTION "tenancy"."add_domain"("p_domain" "text") IS 'Add an unverified custom domain (a pending claim) to the current organization.';

--
-- Name: change_member_role("uuid", "uuid"); Type: FUNCTION; Schema: tenancy; Owner: restartix_owner
--

CREATE FUNCTION "tenancy"."change_member_role"("p_membership" "uuid", "p_role" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_member tenancy.organization_memberships;
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM iam.roles AS r
        WHERE r.id = p_role AND (r.organization_id IS NULL OR r.organization_id = iam.current_org_id())
    ) THEN
        RAISE EXCEPTION 'role_not_found' USING DETAIL = 'No such role in this organization.';
    END IF;
    PERFORM iam.require_permission('members.manage');
    IF EXISTS (
        SELECT 1 FROM tenancy.organization_memberships AS m
        WHERE m.id = p_membership AND m.organization_id = iam.current_org_id()
          AND m.principal_id = iam.current_principal_id()
    ) THEN
        RAISE EXCEPTION 'cannot_change_own_role' USING DETAIL = 'Nobody changes the role of their own membership.';
    END IF;
    SELECT * INTO v_member FROM tenancy.guard_member_change(p_membership, p_role, 'active');
    -- Handing out a role, and taking one away, both need every permission involved.
    PERFORM iam.require_grantable(iam.role_permission_codes(p_role), 'This role');
    PERFORM iam.require_grantable(iam.role_permission_codes(v_member.role_id), 'Changing this member''s current role');
    UPDATE tenancy.organization_memberships SET role_id = p_role WHERE id = v_member.id;
END;
$$;

ALTER FUNCTION "tenancy"."change_member_role"("p_membership" "uuid", "p_role" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "change_member_role"("p_membership" "uuid", "p_role" "uuid"); Type: COMMENT; Schema: tenancy; Owner: restartix_owner
--

COMMENT ON FUNCTION "tenancy"."change_member_role"("p_membership" "uuid", "p_role" "uuid") IS 'Give a member another role of this organization.';

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
-- Name: create_invitation("text", "uuid", interval); Type: FUNCTION; Schema: tenancy; Owner: restartix_owner
--

CREATE FUNCTION "tenancy"."create_invitation"("p_email" "text", "p_role" "uuid", "p_ttl" interval DEFAULT '7 days'::interval) RETURNS TABLE("id" "uuid", "token" "text", "expires_at" timestamp with time zone)
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_token text := pg_catalog.replace(pg_catalog.gen_random_uuid()::text || pg_catalog.gen_random_uuid()::text, '-', '');
    v_id uuid;
    v_expires timestamptz;
    v_becomes_owner boolean;
BEGIN
    PERFORM iam.require_permission('members.invite');
    IF p_ttl < INTERVAL '5 minutes' OR p_ttl > INTERVAL '30 days' THEN
        RAISE EXCEPTION 'invalid_expiry' USING DETAIL = 'An invitation expires between 5 minutes and 30 days.';
    END IF;
    SELECT r.code = 'owner' AND r.organization_id IS NULL INTO v_becomes_owner
    FROM iam.roles AS r WHERE r.id = p_role AND (r.organization_id IS NULL OR r.organization_id = iam.current_org_id());
    IF v_becomes_owner IS NULL THEN
        RAISE EXCEPTION 'role_not_found' USING DETAIL = 'No such role in this organization.';
    END IF;
    IF v_becomes_owner AND NOT iam.is_platform_admin() AND NOT EXISTS (
        SELECT 1 FROM tenancy.organization_memberships AS m INNER JOIN iam.roles AS r ON r.id = m.role_id
        WHERE m.organization_id = iam.current_org_id() AND m.principal_id = iam.current_principal_id()
          AND r.code = 'owner' AND r.organization_id IS NULL
    ) THEN
        RAISE EXCEPTION 'permission_denied' USING DETAIL = 'Only an owner can invite an owner.',
            ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM iam.require_grantable(iam.role_permission_codes(p_role), 'This role');
    IF EXISTS (
        SELECT 1 FROM tenancy.organization_memberships AS m INNER JOIN iam.humans AS h ON h.principal_id = m.principal_id
        WHERE m.organization_id = iam.current_org_id() AND h.email = p_email::public.citext
    ) THEN
        RAISE EXCEPTION 'already_member' USING DETAIL = 'This person is already a member.';
    END IF;
    PERFORM billing.enforce_limit('members.max', 1);
    INSERT INTO tenancy.invitations (organization_id, email, role_id, token_hash, invited_by, expires_at)
    VALUES (iam.current_org_id(), p_email, p_role, pg_catalog.sha256(pg_catalog.convert_to(v_token, 'UTF8')),
            iam.current_principal_id(), util.now() + p_ttl)
    RETURNING invitations.id, invitations.expires_at INTO v_id, v_expires;
    RETURN QUERY SELECT v_id, v_token, v_expires;
END;
$$;

ALTER FUNCTION "tenancy"."create_invitation"("p_email" "text", "p_role" "uuid", "p_ttl" interval) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "create_invitation"("p_email" "text", "p_role" "uuid", "p_ttl" interval); Type: COMMENT; Schema: tenancy; Owner: restartix_owner
--

COMMENT ON FUNCTION "tenancy"."create_invitation"("p_email" "text", "p_role" "uuid", "p_ttl" interval) IS 'Invite an email to a role; returns the single-use token once (only its hash is stored).';

--
-- Name: create_organization("text", "text", "uuid"); Type: FUNCTION; Schema: tenancy; Owner: restartix_owner
--

CREATE FUNCTION "tenancy"."create_organization"("p_slug" "text", "p_name" "text", "p_owner" "uuid" DEFAULT NULL::"uuid") RETURNS "uuid"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_id uuid;
BEGIN
    PERFORM iam.require_platform_admin();
    INSERT INTO tenancy.organizations (slug, name) VALUES (p_slug, pg_catalog.btrim(p_name)) RETURNING id INTO v_id;
    IF p_owner IS NOT NULL THEN
        INSERT INTO tenancy.organization_memberships
            (organization_id, principal_id, role_id, status, invited_at, invited_by, accepted_at)
        SELECT v_id, p_owner, r.id, 'active', util.now(), iam.current_principal_id(), util.now()
        FROM iam.roles AS r WHERE r.organization_id IS NULL AND r.code = 'owner';
    END IF;
    RETURN v_id;
END;
$$;

ALTER FUNCTION "tenancy"."create_organization"("p_slug" "text", "p_name" "text", "p_owner" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "create_organization"("p_slug" "text", "p_name" "text", "p_owner" "uuid"); Type: COMMENT; Schema: tenancy; Owner: restartix_owner
--

COMMENT ON FUNCTION "tenancy"."create_organization"("p_slug" "text", "p_name" "text", "p_owner" "uuid") IS 'Platform admins provision an organization, optionally with its first owner.';

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
-- Name: guard_member_change("uuid", "uuid", "text"); Type: FUNCTION; Schema: tenancy; Owner: restartix_owner
--

CREATE FUNCTION "tenancy"."guard_member_change"("p_membership" "uuid", "p_new_role" "uuid", "p_new_status" "text") RETURNS "tenancy"."organization_memberships"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_member tenancy.organization_memberships;
    v_is_owner boolean;
    v_becomes_owner boolean;
    v_actor_is_owner boolean;
BEGIN
    PERFORM iam.require_permission('members.manage');
    SELECT * INTO v_member FROM tenancy.organization_memberships
    WHERE id = p_membership AND organization_id = iam.current_org_id()
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'member_not_found' USING DETAIL = 'No such member in this organization.';
    END IF;
    SELECT r.code = 'owner' AND r.organization_id IS NULL INTO v_is_owner FROM iam.roles AS r WHERE r.id = v_member.role_id;
    SELECT coalesce(r.code = 'owner' AND r.organization_id IS NULL, false) INTO v_becomes_owner
    FROM iam.roles AS r WHERE r.id = p_new_role;
    v_actor_is_owner := iam.acts_as_owner();
    -- Only owners make, change or remove owners.
    IF (v_is_owner OR coalesce(v_becomes_owner, false)) AND NOT v_actor_is_owner THEN
        RAISE EXCEPTION 'permission_denied' USING DETAIL = 'Only an owner can change owners.',
            ERRCODE = 'insufficient_privilege';
    END IF;
    IF v_is_owner AND v_member.status = 'active'
       AND (p_new_status IS DISTINCT FROM 'active' OR NOT coalesce(v_becomes_owner, true))
       AND tenancy.active_owner_count(v_member.organization_id) <= 1 THEN
        RAISE EXCEPTION 'last_owner' USING DETAIL = 'An organization keeps at least one active owner.';
    END IF;
    RETURN v_member;
END;
$$;

ALTER FUNCTION "tenancy"."guard_member_change"("p_membership" "uuid", "p_new_role" "uuid", "p_new_status" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "guard_member_change"("p_membership" "uuid", "p_new_role" "uuid", "p_new_status" "text"); Type: COMMENT; Schema: tenancy; Owner: restartix_owner
--

COMMENT ON FUNCTION "tenancy"."guard_member_change"("p_membership" "uuid", "p_new_role" "uuid", "p_new_status" "text") IS 'Checks a member change: permission, owner-only owner changes, never zero active owners.';

--
-- Name: mark_domain_verified("uuid"); Type: FUNCTION; Schema: tenancy; Owner: restartix_owner
--

CREATE FUNCTION "tenancy"."mark_domain_verified"("p_domain" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
-- The first verified claim wins the name and releases every other organization's pending claim.
DECLARE
    v_row tenancy.organization_domains;
BEGIN
    PERFORM iam.require_permission('domains.manage');
    SELECT * INTO v_row FROM tenancy.organization_domains AS d
    WHERE d.id = p_domain AND d.organization_id = iam.current_org_id();
    IF NOT FOUND THEN
        RAISE EXCEPTION 'not_found' USING DETAIL = 'No such domain in this organization.';
    END IF;
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('tenancy.domain/' || v_row.domain, 0));
    IF EXISTS (SELECT 1 FROM tenancy.organization_domains AS d
               WHERE d.domain = v_row.domain AND d.verified_at IS NOT NULL AND d.id <> v_row.id) THEN
        RAISE EXCEPTION 'domain_unavailable' USING DETAIL = 'This domain is verified by another organization.';
    END IF;
    UPDATE tenancy.organization_domains SET verified_at = coalesce(verified_at, util.now()) WHERE id = v_row.id;
    DELETE FROM tenancy.organization_domains AS d
    WHERE d.domain = v_row.domain AND d.id <> v_row.id AND d.verified_at IS NULL;
END;
$$;

ALTER FUNCTION "tenancy"."mark_domain_verified"("p_domain" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "mark_domain_verified"("p_domain" "uuid"); Type: COMMENT; Schema: tenancy; Owner: restartix_owner
--

COMMENT ON FUNCTION "tenancy"."mark_domain_verified"("p_domain" "uuid") IS 'Record that the domain''s DNS verification record was found; releases other organizations'' pending claims.';

--
-- Name: remove_domain("uuid"); Type: FUNCTION; Schema: tenancy; Owner: restartix_owner
--

CREATE FUNCTION "tenancy"."remove_domain"("p_domain" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    PERFORM iam.require_permission('domains.manage');
    DELETE FROM tenancy.organization_domains WHERE id = p_domain AND organization_id = iam.current_org_id();
    IF NOT FOUND THEN
        RAISE EXCEPTION 'not_found' USING DETAIL = 'No such domain in this organization.';
    END IF;
END;
$$;

ALTER FUNCTION "tenancy"."remove_domain"("p_domain" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "remove_domain"("p_domain" "uuid"); Type: COMMENT; Schema: tenancy; Owner: restartix_owner
--

COMMENT ON FUNCTION "tenancy"."remove_domain"("p_domain" "uuid") IS 'Remove a custom domain.';

--
-- Name: remove_member("uuid"); Type: FUNCTION; Schema: tenancy; Owner: restartix_owner
--

CREATE FUNCTION "tenancy"."remove_member"("p_membership" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    PERFORM tenancy.guard_member_change(p_membership, NULL, NULL);
    DELETE FROM tenancy.organization_memberships WHERE id = p_membership;
END;
$$;

ALTER FUNCTION "tenancy"."remove_member"("p_membership" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "remove_member"("p_membership" "uuid"); Type: COMMENT; Schema: tenancy; Owner: restartix_owner
--

COMMENT ON FUNCTION "tenancy"."remove_member"("p_membership" "uuid") IS 'Remove a member from the organization.';

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
-- Name: revoke_invitation("uuid"); Type: FUNCTION; Schema: tenancy; Owner: restartix_owner
--

CREATE FUNCTION "tenancy"."revoke_invitation"("p_invitation" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    PERFORM iam.require_permission('members.manage');
    UPDATE tenancy.invitations SET revoked_at = util.now()
    WHERE id = p_invitation AND organization_id = iam.current_org_id()
      AND accepted_at IS NULL AND revoked_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'invitation_invalid' USING DETAIL = 'No pending invitation with this id.';
    END IF;
END;
$$;

ALTER FUNCTION "tenancy"."revoke_invitation"("p_invitation" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "revoke_invitation"("p_invitation" "uuid"); Type: COMMENT; Schema: tenancy; Owner: restartix_owner
--

COMMENT ON FUNCTION "tenancy"."revoke_invitation"("p_invitation" "uuid") IS 'Revoke a pending invitation.';

--
-- Name: set_member_status("uuid", "text"); Type: FUNCTION; Schema: tenancy; Owner: restartix_owner
--

CREATE FUNCTION "tenancy"."set_member_status"("p_membership" "uuid", "p_status" "text") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_member tenancy.organization_memberships;
BEGIN
    IF p_status NOT IN ('active', 'suspended') THEN
        RAISE EXCEPTION 'invalid_status' USING DETAIL = 'A member is active or suspended.';
    END IF;
    SELECT * INTO v_member FROM tenancy.organization_memberships WHERE id = p_membership;
    PERFORM tenancy.guard_member_change(p_membership, v_member.role_id, p_status);
    UPDATE tenancy.organization_memberships SET status = p_status WHERE id = p_membership;
END;
$$;

ALTER FUNCTION "tenancy"."set_member_status"("p_membership" "uuid", "p_status" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "set_member_status"("p_membership" "uuid", "p_status" "text"); Type: COMMENT; Schema: tenancy; Owner: restartix_owner
--

COMMENT ON FUNCTION "tenancy"."set_member_status"("p_membership" "uuid", "p_status" "text") IS 'Suspend or reactivate a member.';

--
-- Name: set_primary_domain("uuid"); Type: FUNCTION; Schema: tenancy; Owner: restartix_owner
--

CREATE FUNCTION "tenancy"."set_primary_domain"("p_domain" "uuid") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    PERFORM iam.require_permission('domains.manage');
    IF NOT EXISTS (SELECT 1 FROM tenancy.organization_domains
                   WHERE id = p_domain AND organization_id = iam.current_org_id()) THEN
        RAISE EXCEPTION 'not_found' USING DETAIL = 'No such domain in this organization.';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM tenancy.organization_domains WHERE id = p_domain AND verified_at IS NOT NULL) THEN
        RAISE EXCEPTION 'domain_not_verified' USING DETAIL = 'Verify the domain before making it primary.';
    END IF;
    UPDATE tenancy.organization_domains SET is_primary = false
    WHERE organization_id = iam.current_org_id() AND is_primary AND id <> p_domain;
    UPDATE tenancy.organization_domains SET is_primary = true WHERE id = p_domain;
END;
$$;

ALTER FUNCTION "tenancy"."set_primary_domain"("p_domain" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "set_primary_domain"("p_domain" "uuid"); Type: COMMENT; Schema: tenancy; Owner: restartix_owner
--

COMMENT ON FUNCTION "tenancy"."set_primary_domain"("p_domain" "uuid") IS 'Make a verified domain the organization''s primary one.';

--
-- Name: update_organization("text", "text"); Type: FUNCTION; Schema: tenancy; Owner: restartix_owner
--

CREATE FUNCTION "tenancy"."update_organization"("p_name" "text", "p_status" "text" DEFAULT NULL::"text") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
BEGIN
    IF p_status IS NOT NULL AND NOT iam.is_platform_admin() THEN
        RAISE EXCEPTION 'permission_denied' USING DETAIL = 'Only platform administrators suspend or reactivate organizations.',
            ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT iam.is_platform_admin() THEN
        PERFORM iam.require_permission('organizations.update');
    END IF;
    UPDATE tenancy.organizations
    SET name = coalesce(pg_catalog.btrim(p_name), name), status = coalesce(p_status, status)
    WHERE id = iam.current_org_id();
    IF NOT FOUND THEN
        RAISE EXCEPTION 'organization_not_found' USING DETAIL = 'Organization not found.';
    END IF;
END;
$$;

ALTER FUNCTION "tenancy"."update_organization"("p_name" "text", "p_status" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "update_organization"("p_name" "text", "p_status" "text"); Type: COMMENT; Schema: tenancy; Owner: restartix_owner
--

COMMENT ON FUNCTION "tenancy"."update_organization"("p_name" "text", "p_status" "text") IS 'Rename the current organization; platform admins may also change its status.';

--
-- Name: update_settings("jsonb"); Type: FUNCTION; Schema: tenancy; Owner: restartix_owner
--

CREATE FUNCTION "tenancy"."update_settings"("p_changes" "jsonb") RETURNS "void"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $$
DECLARE
    v_unknown text;
BEGIN
    PERFORM iam.require_permission('organizations.update_settings');
    SELECT pg_catalog.string_agg(k, ', ') INTO v_unknown FROM pg_catalog.jsonb_object_keys(p_changes) AS k
    WHERE k NOT IN ('timezone', 'default_locale', 'week_starts_on', 'booking_lead_minutes',
                    'cancellation_notice_hours', 'brand_color');
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
        brand_color = CASE WHEN p_changes ? 'brand_color' THEN p_changes ->> 'brand_color' ELSE brand_color END
    WHERE organization_id = iam.current_org_id();
    PERFORM events.publish('organization_settings.updated',
        pg_catalog.jsonb_build_object('changed', (SELECT pg_catalog.jsonb_agg(k) FROM pg_catalog.jsonb_object_keys(p_changes) AS k)));
END;
$$;

ALTER FUNCTION "tenancy"."update_settings"("p_changes" "jsonb") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "update_settings"("p_changes" "jsonb"); Type: COMMENT; Schema: tenancy; Owner: restartix_owner
--

COMMENT ON FUNCTION "tenancy"."update_settings"("p_changes" "jsonb") IS 'Change some settings of the current organization (organizations.update_settings).';

--
-- Name: called_from_request_pool(); Type: FUNCTION; Schema: util; Owner: restartix_owner
--

CREATE FUNCTION "util"."called_from_request_pool"() RETURNS boolean
    LANGUAGE "sql" STABLE
    AS $$
    SELECT session_user IN ('restartix_app', 'restartix_analyst')
        OR pg_catalog.current_setting('role') IN ('restartix_app', 'restartix_analyst')
$$;

ALTER FUNCTION "util"."called_from_request_pool"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "called_from_request_pool"(); Type: COMMENT; Schema: util; Owner: restartix_owner
--

COMMENT ON FUNCTION "util"."called_from_request_pool"() IS 'True when the caller is the request or analyst pool (checked by the function), false for the system pool and operators (trusted).';

--
-- Name: ensure_month_partition("text", "text", "date", "text", "text"); Type: FUNCTION; Schema: util; Owner: restartix_owner
--

CREATE FUNCTION "util"."ensure_month_partition"("p_schema" "text", "p_parent" "text", "p_month" "date", "p_from" "text", "p_to" "text") RETURNS "text"
    LANGUAGE "plpgsql"
    SET "search_path" TO ''
    AS $$
DECLARE
    v_name text := p_parent || '_p' || pg_catalog.to_char(p_month, 'YYYY_MM');
BEGIN
    IF pg_catalog.to_regclass(pg_catalog.format('%I.%I', p_schema, v_name)) IS NOT NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE pg_catalog.format(
        'CREATE TABLE %I.%I PARTITION OF %I.%I FOR VALUES FROM (%L) TO (%L)',
        p_schema, v_name, p_schema, p_parent, p_from, p_to
    );
    -- Partitions are reached only through their parent; directly, nobody reads them.
    EXECUTE pg_catalog.format('ALTER TABLE %I.%I ENABLE ROW LEVEL SECURITY', p_schema, v_name);
    EXECUTE pg_catalog.format('ALTER TABLE %I.%I FORCE ROW LEVEL SECURITY', p_schema, v_name);
    RETURN v_name;
END;
$$;

ALTER FUNCTION "util"."ensure_month_partition"("p_schema" "text", "p_parent" "text", "p_month" "date", "p_from" "text", "p_to" "text") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "ensure_month_partition"("p_schema" "text", "p_parent" "text", "p_month" "date", "p_from" "text", "p_to" "text"); Type: COMMENT; Schema: util; Owner: restartix_owner
--

COMMENT ON FUNCTION "util"."ensure_month_partition"("p_schema" "text", "p_parent" "text", "p_month" "date", "p_from" "text", "p_to" "text") IS 'Creates <parent>_pYYYY_MM for one month with the given bounds, under forced RLS, unless it exists; returns its name, or NULL when it existed.';

--
-- Name: months_ahead("date", integer); Type: FUNCTION; Schema: util; Owner: restartix_owner
--

CREATE FUNCTION "util"."months_ahead"("p_first" "date", "p_ahead" integer) RETURNS SETOF "date"
    LANGUAGE "plpgsql" IMMUTABLE
    SET "search_path" TO ''
    AS $$
BEGIN
    IF p_ahead IS NULL OR p_ahead < 0 OR p_ahead > 36 THEN
        RAISE EXCEPTION 'ahead must be between 0 and 36 months, got %', p_ahead
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR i IN 0..p_ahead LOOP
        RETURN NEXT (p_first + pg_catalog.make_interval(months => i))::date;
    END LOOP;
END;
$$;

ALTER FUNCTION "util"."months_ahead"("p_first" "date", "p_ahead" integer) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "months_ahead"("p_first" "date", "p_ahead" integer); Type: COMMENT; Schema: util; Owner: restartix_owner
--

COMMENT ON FUNCTION "util"."months_ahead"("p_first" "date", "p_ahead" integer) IS 'The first days of p_first''s month and the p_ahead (0 to 36) months after it.';

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
-- Name: restore("regclass", "uuid"); Type: FUNCTION; Schema: util; Owner: restartix_owner
--

CREATE FUNCTION "util"."restore"("p_table" "regclass", "p_id" "uuid") RETURNS boolean
    LANGUAGE "plpgsql"
    SET "search_path" TO ''
    AS $_$
DECLARE
    v_count integer;
BEGIN
    -- As the caller: only a restore policy lets a deleted row be seen and updated.
    EXECUTE pg_catalog.format(
        'UPDATE %s SET deleted_at = NULL WHERE id = $1 AND deleted_at IS NOT NULL', p_table
    ) USING p_id;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count > 0;
END;
$_$;

ALTER FUNCTION "util"."restore"("p_table" "regclass", "p_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "restore"("p_table" "regclass", "p_id" "uuid"); Type: COMMENT; Schema: util; Owner: restartix_owner
--

COMMENT ON FUNCTION "util"."restore"("p_table" "regclass", "p_id" "uuid") IS 'Restore one soft-deleted row as the caller (restore policies apply); true if it was restored.';

--
-- Name: soft_delete("regclass", "uuid"); Type: FUNCTION; Schema: util; Owner: restartix_owner
--

CREATE FUNCTION "util"."soft_delete"("p_table" "regclass", "p_id" "uuid") RETURNS boolean
    LANGUAGE "plpgsql"
    SET "search_path" TO ''
    AS $_$
DECLARE
    v_found boolean;
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_catalog.pg_trigger AS t
        WHERE t.tgrelid = p_table
          AND t.tgfoid = 'util.soft_delete_row()'::pg_catalog.regprocedure
          AND t.tgenabled <> 'D'
    ) THEN
        RAISE EXCEPTION '% has no soft_delete trigger; a DELETE there would remove the row', p_table
            USING ERRCODE = 'feature_not_supported';
    END IF;
    -- Runs as the caller, so the table's policies decide; the DELETE reports no rows (the
    -- trigger cancels the physical delete), hence the look before and after.
    EXECUTE pg_catalog.format(
        'SELECT EXISTS (SELECT 1 FROM %s WHERE id = $1 AND deleted_at IS NULL)', p_table
    ) INTO v_found USING p_id;
    IF NOT v_found THEN
        RETURN false;
    END IF;
    EXECUTE pg_catalog.format('DELETE FROM %s WHERE id = $1', p_table) USING p_id;
    EXECUTE pg_catalog.format(
        'SELECT EXISTS (SELECT 1 FROM %s WHERE id = $1 AND deleted_at IS NULL)', p_table
    ) INTO v_found USING p_id;
    RETURN NOT v_found;
END;
$_$;

ALTER FUNCTION "util"."soft_delete"("p_table" "regclass", "p_id" "uuid") OWNER TO "restartix_owner";

--
-- Name: FUNCTION "soft_delete"("p_table" "regclass", "p_id" "uuid"); Type: COMMENT; Schema: util; Owner: restartix_owner
--

COMMENT ON FUNCTION "util"."soft_delete"("p_table" "regclass", "p_id" "uuid") IS 'Soft-delete one live row as the caller (policies apply); true if it was deleted.';

--
-- Name: soft_delete_row(); Type: FUNCTION; Schema: util; Owner: restartix_owner
--

CREATE FUNCTION "util"."soft_delete_row"() RETURNS "trigger"
    LANGUAGE "plpgsql" SECURITY DEFINER
    SET "search_path" TO ''
    AS $_$
BEGIN
    -- A cascade from a parent's hard delete (an organization purge) really deletes: a
    -- suppressed cascade would leave rows pointing at a parent that no longer exists.
    IF pg_catalog.pg_trigger_depth() > 1 THEN
        RETURN OLD;
    END IF;
    -- The DELETE policy already allowed this row. The stamp runs as the owner because the
    -- deleted row is, by design, no longer visible to the deleter (RLS would refuse the
    -- UPDATE's new row); the audit trigger records it as an update of deleted_at.
    IF OLD.deleted_at IS NULL THEN
        EXECUTE pg_catalog.format(
            'UPDATE %I.%I SET deleted_at = util.now() WHERE id = $1', TG_TABLE_SCHEMA, TG_TABLE_NAME
        ) USING OLD.id;
    END IF;
    RETURN NULL;
END;
$_$;

ALTER FUNCTION "util"."soft_delete_row"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "soft_delete_row"(); Type: COMMENT; Schema: util; Owner: restartix_owner
--

COMMENT ON FUNCTION "util"."soft_delete_row"() IS 'BEFORE DELETE trigger: turns a delete the policies allowed into deleted_at = now().';

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
-- Name: uuid_v7(); Type: FUNCTION; Schema: util; Owner: restartix_owner
--

CREATE FUNCTION "util"."uuid_v7"() RETURNS "uuid"
    LANGUAGE "sql" PARALLEL SAFE
    AS $$
    SELECT pg_catalog.encode(
        pg_catalog.set_bit(
            pg_catalog.set_bit(
                pg_catalog.overlay(
                    pg_catalog.uuid_send(pg_catalog.gen_random_uuid()),
                    pg_catalog.substr(
                        pg_catalog.int8send(
                            pg_catalog.floor(
                                pg_catalog.date_part('epoch', pg_catalog.clock_timestamp()) * 1000
                            )::bigint
                        ),
                        3
                    ),
                    1,
                    6
                ),
                52, 1
            ),
            53, 1
        ),
        'hex'
    )::uuid
$$;

ALTER FUNCTION "util"."uuid_v7"() OWNER TO "restartix_owner";

--
-- Name: FUNCTION "uuid_v7"(); Type: COMMENT; Schema: util; Owner: restartix_owner
--

COMMENT ON FUNCTION "util"."uuid_v7"() IS 'A new time-ordered UUID (version 7) from the real clock.';

--
-- Name: uuid_v7_floor(timestamp with time zone); Type: FUNCTION; Schema: util; Owner: restartix_owner
--

CREATE FUNCTION "util"."uuid_v7_floor"("p_at" timestamp with time zone) RETURNS "uuid"
    LANGUAGE "sql" IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT (
        pg_catalog.lpad(
            pg_catalog.to_hex(pg_catalog.floor(pg_catalog.date_part('epoch', p_at) * 1000)::bigint), 12, '0'
        ) || '00000000000000000000'
    )::uuid
$$;

ALTER FUNCTION "util"."uuid_v7_floor"("p_at" timestamp with time zone) OWNER TO "restartix_owner";

--
-- Name: FUNCTION "uuid_v7_floor"("p_at" timestamp with time zone); Type: COMMENT; Schema: util; Owner: restartix_owner
--

COMMENT ON FUNCTION "util"."uuid_v7_floor"("p_at" timestamp with time zone) IS 'The smallest version-7 UUID of a millisecond: a range bound for ids made at or after it.';

--
-- Name: sum_money("catalog"."money"); Type: AGGREGATE; Schema: catalog; Owner: restartix_owner
--

CREATE AGGREGATE "catalog"."sum_money"("catalog"."money") (
    SFUNC = "catalog"."add_money",
    STYPE = "catalog"."money"
);

ALTER AGGREGATE "catalog"."sum_money"("catalog"."money") OWNER TO "restartix_owner";

--
-- Name: AGGREGATE "sum_money"("catalog"."money"); Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON AGGREGATE "catalog"."sum_money"("catalog"."money") IS 'Sum of amounts of one currency; raises currency_mismatch when currencies differ.';

--
-- Name: appointments; Type: TABLE; Schema: appointments; Owner: restartix_owner
--

CREATE TABLE "appointments"."appointments" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "calendar_id" "uuid",
    "service_id" "uuid" NOT NULL,
    "specialist_id" "uuid" NOT NULL,
    "patient_id" "uuid" NOT NULL,
    "period" "tstzrange" NOT NULL,
    "status" "text" DEFAULT 'requested'::"text" NOT NULL,
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "updated_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "deleted_at" timestamp with time zone,
    CONSTRAINT "appointments_period_valid" CHECK (((NOT "isempty"("period")) AND (NOT "lower_inf"("period")) AND (NOT "upper_inf"("period")) AND "lower_inc"("period") AND (NOT "upper_inc"("period")))),
    CONSTRAINT "appointments_status_valid" CHECK (("status" = ANY (ARRAY['requested'::"text", 'confirmed'::"text", 'inprogress'::"text", 'done'::"text", 'cancelled'::"text", 'no_show'::"text"])))
);

ALTER TABLE ONLY "appointments"."appointments" FORCE ROW LEVEL SECURITY;

ALTER TABLE "appointments"."appointments" OWNER TO "restartix_owner";

--
-- Name: TABLE "appointments"; Type: COMMENT; Schema: appointments; Owner: restartix_owner
--

COMMENT ON TABLE "appointments"."appointments" IS 'Booked time of a specialist for a patient; active ones (requested, confirmed, inprogress) never overlap.';

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
-- Name: entitlements; Type: TABLE; Schema: billing; Owner: restartix_owner
--

CREATE TABLE "billing"."entitlements" (
    "code" "text" NOT NULL,
    "scope" "text" NOT NULL,
    "description" "text" NOT NULL,
    "default_enabled" boolean DEFAULT false NOT NULL,
    CONSTRAINT "entitlements_code_format" CHECK (("code" ~ '^[a-z][a-z0-9_.]{1,62}$'::"text")),
    CONSTRAINT "entitlements_scope_valid" CHECK (("scope" = ANY (ARRAY['tier'::"text", 'org'::"text", 'patient'::"text"])))
);

ALTER TABLE ONLY "billing"."entitlements" FORCE ROW LEVEL SECURITY;

ALTER TABLE "billing"."entitlements" OWNER TO "restartix_owner";

--
-- Name: TABLE "entitlements"; Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON TABLE "billing"."entitlements" IS 'Catalog of entitlements: tier features, per-org toggles and patient perks.';

--
-- Name: limit_definitions; Type: TABLE; Schema: billing; Owner: restartix_owner
--

CREATE TABLE "billing"."limit_definitions" (
    "code" "text" NOT NULL,
    "description" "text" NOT NULL,
    "unit" "text" NOT NULL,
    "period" "text",
    CONSTRAINT "limit_definitions_code_format" CHECK (("code" ~ '^[a-z][a-z0-9_.]{1,62}$'::"text")),
    CONSTRAINT "limit_definitions_period_valid" CHECK (("period" = ANY (ARRAY['day'::"text", 'month'::"text"])))
);

ALTER TABLE ONLY "billing"."limit_definitions" FORCE ROW LEVEL SECURITY;

ALTER TABLE "billing"."limit_definitions" OWNER TO "restartix_owner";

--
-- Name: TABLE "limit_definitions"; Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON TABLE "billing"."limit_definitions" IS 'Catalog of limits (a NULL period is a standing limit, else a per-period quota).';

--
-- Name: organization_billing; Type: TABLE; Schema: billing; Owner: restartix_owner
--

CREATE TABLE "billing"."organization_billing" (
    "organization_id" "uuid" NOT NULL,
    "legal_name" "text",
    "billing_email" "public"."citext",
    "address_line" "text",
    "city" "text",
    "country" character(2) DEFAULT 'RO'::"bpchar" NOT NULL,
    "tax_id_encrypted" "bytea",
    "current_tier_id" "uuid",
    "updated_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    CONSTRAINT "organization_billing_address_length" CHECK ((("length"("address_line") <= 300) AND ("length"("city") <= 100))),
    CONSTRAINT "organization_billing_country_valid" CHECK (("country" ~ '^[A-Z]{2}$'::"text")),
    CONSTRAINT "organization_billing_email_valid" CHECK ((("billing_email" OPERATOR("public".~) '^[^@\s]+@[^@\s]+\.[^@\s]+$'::"public"."citext") AND ("length"(("billing_email")::"text") <= 254))),
    CONSTRAINT "organization_billing_legal_name_length" CHECK (("length"("legal_name") <= 200))
);

ALTER TABLE ONLY "billing"."organization_billing" FORCE ROW LEVEL SECURITY;

ALTER TABLE "billing"."organization_billing" OWNER TO "restartix_owner";

--
-- Name: TABLE "organization_billing"; Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON TABLE "billing"."organization_billing" IS 'Billing profile of an organization; the tax id is encrypted by the application.';

--
-- Name: organization_entitlements; Type: TABLE; Schema: billing; Owner: restartix_owner
--

CREATE TABLE "billing"."organization_entitlements" (
    "organization_id" "uuid" NOT NULL,
    "entitlement_code" "text" NOT NULL,
    "enabled" boolean NOT NULL,
    "reason" "text" DEFAULT ''::"text" NOT NULL,
    "updated_by" "uuid",
    "updated_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    CONSTRAINT "organization_entitlements_reason_length" CHECK (("length"("reason") <= 500))
);

ALTER TABLE ONLY "billing"."organization_entitlements" FORCE ROW LEVEL SECURITY;

ALTER TABLE "billing"."organization_entitlements" OWNER TO "restartix_owner";

--
-- Name: TABLE "organization_entitlements"; Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON TABLE "billing"."organization_entitlements" IS 'Per-organization toggles of org-scoped entitlements (set by platform admins).';

--
-- Name: organization_subscription_entitlements; Type: TABLE; Schema: billing; Owner: restartix_owner
--

CREATE TABLE "billing"."organization_subscription_entitlements" (
    "subscription_id" "uuid" NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "entitlement_code" "text" NOT NULL,
    "enabled" boolean NOT NULL
);

ALTER TABLE ONLY "billing"."organization_subscription_entitlements" FORCE ROW LEVEL SECURITY;

ALTER TABLE "billing"."organization_subscription_entitlements" OWNER TO "restartix_owner";

--
-- Name: TABLE "organization_subscription_entitlements"; Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON TABLE "billing"."organization_subscription_entitlements" IS 'Snapshot of the entitlements of the tier version at subscribe time.';

--
-- Name: organization_subscription_limits; Type: TABLE; Schema: billing; Owner: restartix_owner
--

CREATE TABLE "billing"."organization_subscription_limits" (
    "subscription_id" "uuid" NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "limit_code" "text" NOT NULL,
    "value" bigint,
    CONSTRAINT "organization_subscription_limits_value_valid" CHECK ((("value" IS NULL) OR ("value" >= 0)))
);

ALTER TABLE ONLY "billing"."organization_subscription_limits" FORCE ROW LEVEL SECURITY;

ALTER TABLE "billing"."organization_subscription_limits" OWNER TO "restartix_owner";

--
-- Name: TABLE "organization_subscription_limits"; Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON TABLE "billing"."organization_subscription_limits" IS 'Snapshot of the limits of the tier version at subscribe time.';

--
-- Name: organization_subscription_overrides; Type: TABLE; Schema: billing; Owner: restartix_owner
--

CREATE TABLE "billing"."organization_subscription_overrides" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "entitlement_code" "text",
    "limit_code" "text",
    "enabled" boolean,
    "value" bigint,
    "reason" "text" NOT NULL,
    "granted_by" "uuid" NOT NULL,
    "expires_at" timestamp with time zone,
    "revoked_at" timestamp with time zone,
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    CONSTRAINT "organization_subscription_overrides_expiry_after_creation" CHECK (("expires_at" > "created_at")),
    CONSTRAINT "organization_subscription_overrides_one_target" CHECK (((("entitlement_code" IS NOT NULL) AND ("limit_code" IS NULL) AND ("enabled" IS NOT NULL) AND ("value" IS NULL)) OR (("limit_code" IS NOT NULL) AND ("entitlement_code" IS NULL) AND ("enabled" IS NULL)))),
    CONSTRAINT "organization_subscription_overrides_reason_length" CHECK ((("length"("btrim"("reason")) >= 3) AND ("length"("btrim"("reason")) <= 500))),
    CONSTRAINT "organization_subscription_overrides_value_valid" CHECK ((("value" IS NULL) OR ("value" >= 0)))
);

ALTER TABLE ONLY "billing"."organization_subscription_overrides" FORCE ROW LEVEL SECURITY;

ALTER TABLE "billing"."organization_subscription_overrides" OWNER TO "restartix_owner";

--
-- Name: TABLE "organization_subscription_overrides"; Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON TABLE "billing"."organization_subscription_overrides" IS 'Sales overrides of one entitlement or limit, with reason, author and optional expiry.';

--
-- Name: organization_subscriptions; Type: TABLE; Schema: billing; Owner: restartix_owner
--

CREATE TABLE "billing"."organization_subscriptions" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "tier_version_id" "uuid" NOT NULL,
    "kind" "text" NOT NULL,
    "status" "text" DEFAULT 'active'::"text" NOT NULL,
    "started_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "ended_at" timestamp with time zone,
    "created_by" "uuid",
    CONSTRAINT "organization_subscriptions_ended_when_ended" CHECK ((("status" = 'ended'::"text") = ("ended_at" IS NOT NULL))),
    CONSTRAINT "organization_subscriptions_kind_valid" CHECK (("kind" = ANY (ARRAY['base'::"text", 'addon'::"text"]))),
    CONSTRAINT "organization_subscriptions_status_valid" CHECK (("status" = ANY (ARRAY['active'::"text", 'ended'::"text"])))
);

ALTER TABLE ONLY "billing"."organization_subscriptions" FORCE ROW LEVEL SECURITY;

ALTER TABLE "billing"."organization_subscriptions" OWNER TO "restartix_owner";

--
-- Name: TABLE "organization_subscriptions"; Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON TABLE "billing"."organization_subscriptions" IS 'An organization''s base plan and add-ons, each bound to the tier version it snapshotted.';

--
-- Name: patient_tier_entitlements; Type: TABLE; Schema: billing; Owner: restartix_owner
--

CREATE TABLE "billing"."patient_tier_entitlements" (
    "patient_tier_version_id" "uuid" NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "entitlement_code" "text" NOT NULL,
    "enabled" boolean DEFAULT true NOT NULL
);

ALTER TABLE ONLY "billing"."patient_tier_entitlements" FORCE ROW LEVEL SECURITY;

ALTER TABLE "billing"."patient_tier_entitlements" OWNER TO "restartix_owner";

--
-- Name: TABLE "patient_tier_entitlements"; Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON TABLE "billing"."patient_tier_entitlements" IS 'Perks a patient tier version includes (shared entitlement catalog).';

--
-- Name: patient_tier_limits; Type: TABLE; Schema: billing; Owner: restartix_owner
--

CREATE TABLE "billing"."patient_tier_limits" (
    "patient_tier_version_id" "uuid" NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "limit_code" "text" NOT NULL,
    "value" bigint,
    CONSTRAINT "patient_tier_limits_value_valid" CHECK ((("value" IS NULL) OR ("value" >= 0)))
);

ALTER TABLE ONLY "billing"."patient_tier_limits" FORCE ROW LEVEL SECURITY;

ALTER TABLE "billing"."patient_tier_limits" OWNER TO "restartix_owner";

--
-- Name: TABLE "patient_tier_limits"; Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON TABLE "billing"."patient_tier_limits" IS 'Limits a patient tier version sets (shared limit catalog).';

--
-- Name: patient_tier_versions; Type: TABLE; Schema: billing; Owner: restartix_owner
--

CREATE TABLE "billing"."patient_tier_versions" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "patient_tier_id" "uuid" NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "version" integer NOT NULL,
    "published_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "published_by" "uuid",
    CONSTRAINT "patient_tier_versions_version_positive" CHECK (("version" > 0))
);

ALTER TABLE ONLY "billing"."patient_tier_versions" FORCE ROW LEVEL SECURITY;

ALTER TABLE "billing"."patient_tier_versions" OWNER TO "restartix_owner";

--
-- Name: TABLE "patient_tier_versions"; Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON TABLE "billing"."patient_tier_versions" IS 'Immutable versions of a patient tier; patient subscriptions will snapshot one.';

--
-- Name: patient_tiers; Type: TABLE; Schema: billing; Owner: restartix_owner
--

CREATE TABLE "billing"."patient_tiers" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "code" "text" NOT NULL,
    "name" "text" NOT NULL,
    "description" "text" DEFAULT ''::"text" NOT NULL,
    "is_default" boolean DEFAULT false NOT NULL,
    "status" "text" DEFAULT 'active'::"text" NOT NULL,
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "updated_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    CONSTRAINT "patient_tiers_code_format" CHECK (("code" ~ '^[a-z][a-z0-9_]{1,62}$'::"text")),
    CONSTRAINT "patient_tiers_default_is_active" CHECK (((NOT "is_default") OR ("status" = 'active'::"text"))),
    CONSTRAINT "patient_tiers_description_length" CHECK (("length"("description") <= 1000)),
    CONSTRAINT "patient_tiers_name_length" CHECK ((("length"("btrim"("name")) >= 1) AND ("length"("btrim"("name")) <= 100))),
    CONSTRAINT "patient_tiers_status_valid" CHECK (("status" = ANY (ARRAY['active'::"text", 'retired'::"text"])))
);

ALTER TABLE ONLY "billing"."patient_tiers" FORCE ROW LEVEL SECURITY;

ALTER TABLE "billing"."patient_tiers" OWNER TO "restartix_owner";

--
-- Name: TABLE "patient_tiers"; Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON TABLE "billing"."patient_tiers" IS 'What a clinic offers its patients; every organization has one default tier.';

--
-- Name: tier_entitlements; Type: TABLE; Schema: billing; Owner: restartix_owner
--

CREATE TABLE "billing"."tier_entitlements" (
    "tier_version_id" "uuid" NOT NULL,
    "entitlement_code" "text" NOT NULL,
    "enabled" boolean DEFAULT true NOT NULL
);

ALTER TABLE ONLY "billing"."tier_entitlements" FORCE ROW LEVEL SECURITY;

ALTER TABLE "billing"."tier_entitlements" OWNER TO "restartix_owner";

--
-- Name: TABLE "tier_entitlements"; Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON TABLE "billing"."tier_entitlements" IS 'Entitlements a tier version includes.';

--
-- Name: tier_limits; Type: TABLE; Schema: billing; Owner: restartix_owner
--

CREATE TABLE "billing"."tier_limits" (
    "tier_version_id" "uuid" NOT NULL,
    "limit_code" "text" NOT NULL,
    "value" bigint,
    CONSTRAINT "tier_limits_value_valid" CHECK ((("value" IS NULL) OR ("value" >= 0)))
);

ALTER TABLE ONLY "billing"."tier_limits" FORCE ROW LEVEL SECURITY;

ALTER TABLE "billing"."tier_limits" OWNER TO "restartix_owner";

--
-- Name: TABLE "tier_limits"; Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON TABLE "billing"."tier_limits" IS 'Limits a tier version sets (NULL is unlimited; add-on values add up).';

--
-- Name: tier_versions; Type: TABLE; Schema: billing; Owner: restartix_owner
--

CREATE TABLE "billing"."tier_versions" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "tier_id" "uuid" NOT NULL,
    "version" integer NOT NULL,
    "monthly_price_cents" integer DEFAULT 0 NOT NULL,
    "currency" character(3) DEFAULT 'EUR'::"bpchar" NOT NULL,
    "published_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "published_by" "uuid",
    CONSTRAINT "tier_versions_price_valid" CHECK (("monthly_price_cents" >= 0)),
    CONSTRAINT "tier_versions_version_positive" CHECK (("version" > 0))
);

ALTER TABLE ONLY "billing"."tier_versions" FORCE ROW LEVEL SECURITY;

ALTER TABLE "billing"."tier_versions" OWNER TO "restartix_owner";

--
-- Name: TABLE "tier_versions"; Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON TABLE "billing"."tier_versions" IS 'Immutable versions of a tier; a subscription snapshots one.';

--
-- Name: tiers; Type: TABLE; Schema: billing; Owner: restartix_owner
--

CREATE TABLE "billing"."tiers" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "code" "text" NOT NULL,
    "name" "text" NOT NULL,
    "kind" "text" DEFAULT 'base'::"text" NOT NULL,
    "status" "text" DEFAULT 'active'::"text" NOT NULL,
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    CONSTRAINT "tiers_code_format" CHECK (("code" ~ '^[a-z][a-z0-9_]{1,62}$'::"text")),
    CONSTRAINT "tiers_kind_valid" CHECK (("kind" = ANY (ARRAY['base'::"text", 'addon'::"text"]))),
    CONSTRAINT "tiers_name_length" CHECK ((("length"("btrim"("name")) >= 1) AND ("length"("btrim"("name")) <= 100))),
    CONSTRAINT "tiers_status_valid" CHECK (("status" = ANY (ARRAY['active'::"text", 'retired'::"text"])))
);

ALTER TABLE ONLY "billing"."tiers" FORCE ROW LEVEL SECURITY;

ALTER TABLE "billing"."tiers" OWNER TO "restartix_owner";

--
-- Name: TABLE "tiers"; Type: COMMENT; Schema: billing; Owner: restartix_owner
--

COMMENT ON TABLE "billing"."tiers" IS 'Sellable tiers (base plans and add-ons) of the platform.';

--
-- Name: plan_consumptions; Type: TABLE; Schema: catalog; Owner: restartix_owner
--

CREATE TABLE "catalog"."plan_consumptions" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "patient_service_plan_id" "uuid" NOT NULL,
    "appointment_id" "uuid" NOT NULL,
    "consumed_by" "uuid",
    "consumed_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL
);

ALTER TABLE ONLY "catalog"."plan_consumptions" FORCE ROW LEVEL SECURITY;

ALTER TABLE "catalog"."plan_consumptions" OWNER TO "restartix_owner";

--
-- Name: TABLE "plan_consumptions"; Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON TABLE "catalog"."plan_consumptions" IS 'Ledger of sessions used: one row per appointment, against one enrollment.';

--
-- Name: service_plan_products; Type: TABLE; Schema: catalog; Owner: restartix_owner
--

CREATE TABLE "catalog"."service_plan_products" (
    "service_plan_version_id" "uuid" NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "product_id" "uuid" NOT NULL,
    "quantity" integer DEFAULT 1 NOT NULL,
    CONSTRAINT "service_plan_products_quantity_valid" CHECK ((("quantity" >= 1) AND ("quantity" <= 1000)))
);

ALTER TABLE ONLY "catalog"."service_plan_products" FORCE ROW LEVEL SECURITY;

ALTER TABLE "catalog"."service_plan_products" OWNER TO "restartix_owner";

--
-- Name: TABLE "service_plan_products"; Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON TABLE "catalog"."service_plan_products" IS 'Products a plan version includes, with quantities.';

--
-- Name: service_plan_services; Type: TABLE; Schema: catalog; Owner: restartix_owner
--

CREATE TABLE "catalog"."service_plan_services" (
    "service_plan_version_id" "uuid" NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "service_id" "uuid" NOT NULL
);

ALTER TABLE ONLY "catalog"."service_plan_services" FORCE ROW LEVEL SECURITY;

ALTER TABLE "catalog"."service_plan_services" OWNER TO "restartix_owner";

--
-- Name: TABLE "service_plan_services"; Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON TABLE "catalog"."service_plan_services" IS 'The services a plan version covers (same organization, enforced by the keys).';

--
-- Name: service_plan_versions; Type: TABLE; Schema: catalog; Owner: restartix_owner
--

CREATE TABLE "catalog"."service_plan_versions" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "service_plan_id" "uuid" NOT NULL,
    "plan_type" "text" NOT NULL,
    "version" integer NOT NULL,
    "name" "text" NOT NULL,
    "description" "text" DEFAULT ''::"text" NOT NULL,
    "translations" "jsonb" DEFAULT '{}'::"jsonb" NOT NULL,
    "price_amount" bigint NOT NULL,
    "currency" "text" NOT NULL,
    "validity_days" integer,
    "sessions_total" integer,
    "period" "text",
    "sessions_per_period" integer,
    "renews" boolean DEFAULT false NOT NULL,
    "telerehab_access" boolean DEFAULT false NOT NULL,
    "library_access" boolean DEFAULT false NOT NULL,
    "treatment_plan_assignments_total" integer,
    "published_by" "uuid",
    "published_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    CONSTRAINT "service_plan_versions_assignments_valid" CHECK ((("treatment_plan_assignments_total" >= 0) AND ("treatment_plan_assignments_total" <= 1000))),
    CONSTRAINT "service_plan_versions_currency_valid" CHECK (("currency" ~ '^[A-Z]{3}$'::"text")),
    CONSTRAINT "service_plan_versions_description_length" CHECK (("length"("description") <= 4000)),
    CONSTRAINT "service_plan_versions_name_length" CHECK ((("length"("btrim"("name")) >= 1) AND ("length"("btrim"("name")) <= 200))),
    CONSTRAINT "service_plan_versions_period_valid" CHECK (("period" = ANY (ARRAY['week'::"text", 'month'::"text", 'quarter'::"text", 'year'::"text"]))),
    CONSTRAINT "service_plan_versions_price_valid" CHECK ((("price_amount" >= 0) AND ("price_amount" <= '100000000000'::bigint))),
    CONSTRAINT "service_plan_versions_sessions_valid" CHECK (((("sessions_total" >= 1) AND ("sessions_total" <= 1000)) AND (("sessions_per_period" >= 1) AND ("sessions_per_period" <= 1000)))),
    CONSTRAINT "service_plan_versions_terms_match_type" CHECK (
CASE "plan_type"
    WHEN 'session_pack'::"text" THEN (("sessions_total" IS NOT NULL) AND ("validity_days" IS NOT NULL) AND ("period" IS NULL) AND ("sessions_per_period" IS NULL) AND (NOT "renews") AND ("treatment_plan_assignments_total" IS NULL) AND (NOT "telerehab_access") AND (NOT "library_access"))
    WHEN 'membership'::"text" THEN (("period" IS NOT NULL) AND ("sessions_total" IS NULL) AND ("validity_days" IS NULL) AND ("treatment_plan_assignments_total" IS NULL) AND (NOT "telerehab_access") AND (NOT "library_access"))
    WHEN 'telerehab_program'::"text" THEN (("validity_days" IS NOT NULL) AND ("sessions_total" IS NULL) AND ("period" IS NULL) AND ("sessions_per_period" IS NULL) AND (NOT "renews") AND ("telerehab_access" OR "library_access" OR ("treatment_plan_assignments_total" IS NOT NULL)))
    ELSE false
END),
    CONSTRAINT "service_plan_versions_translations_valid" CHECK ("util"."translations_valid"("translations", '{"name": 200, "description": 4000}'::"jsonb")),
    CONSTRAINT "service_plan_versions_validity_valid" CHECK ((("validity_days" >= 1) AND ("validity_days" <= 3660))),
    CONSTRAINT "service_plan_versions_version_positive" CHECK (("version" > 0))
);

ALTER TABLE ONLY "catalog"."service_plan_versions" FORCE ROW LEVEL SECURITY;

ALTER TABLE "catalog"."service_plan_versions" OWNER TO "restartix_owner";

--
-- Name: TABLE "service_plan_versions"; Type: COMMENT; Schema: catalog; Owner: restartix_owner
--

COMMENT ON TABLE "catalog"."service_plan_versions" IS 'Immutable terms of a service plan; an enrollment keeps the version it bought.';

--
-- Name: consents; Type: TABLE; Schema: consent; Owner: restartix_owner
--

CREATE TABLE "consent"."consents" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "seq" bigint NOT NULL,
    "subject_principal_id" "uuid" NOT NULL,
    "organization_id" "uuid",
    "purpose" "text" NOT NULL,
    "action" "text" NOT NULL,
    "legal_basis" "text" NOT NULL,
    "document_id" "uuid",
    "document_version" integer,
    "source" "text" DEFAULT 'api'::"text" NOT NULL,
    "evidence_ip" "inet",
    "evidence_user_agent" "text",
    "evidence_request_id" "text",
    "withdrawable" boolean GENERATED ALWAYS AS (("legal_basis" = 'consent'::"text")) STORED NOT NULL,
    "recorded_by" "uuid" NOT NULL,
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    CONSTRAINT "consents_action_valid" CHECK (("action" = ANY (ARRAY['grant'::"text", 'withdraw'::"text"]))),
    CONSTRAINT "consents_document_complete" CHECK ((("document_id" IS NULL) = ("document_version" IS NULL))),
    CONSTRAINT "consents_legal_basis_valid" CHECK (("legal_basis" = ANY (ARRAY['consent'::"text", 'contract'::"text", 'legal_obligation'::"text", 'vital_interests'::"text", 'public_task'::"text", 'legitimate_interests'::"text"]))),
    CONSTRAINT "consents_only_consent_is_withdrawn" CHECK ((("action" <> 'withdraw'::"text") OR ("legal_basis" = 'consent'::"text"))),
    CONSTRAINT "consents_request_id_length" CHECK (("length"("evidence_request_id") <= 128)),
    CONSTRAINT "consents_scope_follows_purpose" CHECK ((("organization_id" IS NULL) = ("purpose" ~~ 'platform\_%'::"text"))),
    CONSTRAINT "consents_source_valid" CHECK (("source" = ANY (ARRAY['api'::"text", 'form'::"text"]))),
    CONSTRAINT "consents_user_agent_length" CHECK (("length"("evidence_user_agent") <= 512))
);

ALTER TABLE ONLY "consent"."consents" FORCE ROW LEVEL SECURITY;

ALTER TABLE "consent"."consents" OWNER TO "restartix_owner";

--
-- Name: TABLE "consents"; Type: COMMENT; Schema: consent; Owner: restartix_owner
--

COMMENT ON TABLE "consent"."consents" IS 'Append-only ledger of consent grants and withdrawals (platform and org scope) with legal basis, document version and evidence.';

--
-- Name: consents_seq_seq; Type: SEQUENCE; Schema: consent; Owner: restartix_owner
--

ALTER TABLE "consent"."consents" ALTER COLUMN "seq" ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME "consent"."consents_seq_seq"
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: documents; Type: TABLE; Schema: consent; Owner: restartix_owner
--

CREATE TABLE "consent"."documents" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "organization_id" "uuid",
    "scope" "text" GENERATED ALWAYS AS (
CASE
    WHEN ("organization_id" IS NULL) THEN 'platform'::"text"
    ELSE 'org'::"text"
END) STORED NOT NULL,
    "purpose" "text" NOT NULL,
    "version" integer NOT NULL,
    "title" "text" NOT NULL,
    "url" "text" NOT NULL,
    "content_sha256" "text" NOT NULL,
    "requires_reconsent" boolean DEFAULT true NOT NULL,
    "published_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "published_by" "uuid",
    CONSTRAINT "documents_content_sha256_format" CHECK (("content_sha256" ~ '^[0-9a-f]{64}$'::"text")),
    CONSTRAINT "documents_scope_follows_purpose" CHECK ((("organization_id" IS NULL) = ("purpose" ~~ 'platform\_%'::"text"))),
    CONSTRAINT "documents_title_length" CHECK ((("length"("btrim"("title")) >= 1) AND ("length"("btrim"("title")) <= 200))),
    CONSTRAINT "documents_url_format" CHECK ((("length"("url") <= 2000) AND ("url" ~ '^https://[^\s]+$'::"text"))),
    CONSTRAINT "documents_version_positive" CHECK (("version" > 0))
);

ALTER TABLE ONLY "consent"."documents" FORCE ROW LEVEL SECURITY;

ALTER TABLE "consent"."documents" OWNER TO "restartix_owner";

--
-- Name: TABLE "documents"; Type: COMMENT; Schema: consent; Owner: restartix_owner
--

COMMENT ON TABLE "consent"."documents" IS 'Published versions of the platform''s and each organization''s terms, notices and consent texts; immutable.';

--
-- Name: purposes; Type: TABLE; Schema: consent; Owner: restartix_owner
--

CREATE TABLE "consent"."purposes" (
    "code" "text" NOT NULL,
    "scope" "text" NOT NULL,
    "default_legal_basis" "text" NOT NULL,
    "document_required" boolean NOT NULL,
    "description" "text" NOT NULL,
    CONSTRAINT "purposes_code_format" CHECK (("code" ~ '^[a-z][a-z0-9_]{1,62}$'::"text")),
    CONSTRAINT "purposes_description_length" CHECK ((("length"("description") >= 1) AND ("length"("description") <= 500))),
    CONSTRAINT "purposes_legal_basis_valid" CHECK (("default_legal_basis" = ANY (ARRAY['consent'::"text", 'contract'::"text", 'legal_obligation'::"text", 'vital_interests'::"text", 'public_task'::"text", 'legitimate_interests'::"text"]))),
    CONSTRAINT "purposes_scope_follows_name" CHECK ((("scope" = 'platform'::"text") = ("code" ~~ 'platform\_%'::"text"))),
    CONSTRAINT "purposes_scope_valid" CHECK (("scope" = ANY (ARRAY['platform'::"text", 'org'::"text"])))
);

ALTER TABLE ONLY "consent"."purposes" FORCE ROW LEVEL SECURITY;

ALTER TABLE "consent"."purposes" OWNER TO "restartix_owner";

--
-- Name: TABLE "purposes"; Type: COMMENT; Schema: consent; Owner: restartix_owner
--

COMMENT ON TABLE "consent"."purposes" IS 'Catalog of consent purposes with their scope, default legal basis and whether a document is required.';

--
-- Name: organization_data_keys; Type: TABLE; Schema: crypto; Owner: restartix_owner
--

CREATE TABLE "crypto"."organization_data_keys" (
    "organization_id" "uuid" NOT NULL,
    "version" integer NOT NULL,
    "kek_id" "text" NOT NULL,
    "data_key_encrypted" "bytea",
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "retired_at" timestamp with time zone,
    "destroyed_at" timestamp with time zone,
    "tenant_organization_id" "uuid" GENERATED ALWAYS AS (NULLIF("organization_id", '00000000-0000-0000-0000-000000000000'::"uuid")) STORED,
    CONSTRAINT "organization_data_keys_destroyed_has_no_key" CHECK ((("destroyed_at" IS NULL) = ("data_key_encrypted" IS NOT NULL))),
    CONSTRAINT "organization_data_keys_kek_id_present" CHECK ((("length"("kek_id") >= 1) AND ("length"("kek_id") <= 2048))),
    CONSTRAINT "organization_data_keys_version_positive" CHECK (("version" > 0))
);

ALTER TABLE ONLY "crypto"."organization_data_keys" FORCE ROW LEVEL SECURITY;

ALTER TABLE "crypto"."organization_data_keys" OWNER TO "restartix_owner";

--
-- Name: TABLE "organization_data_keys"; Type: COMMENT; Schema: crypto; Owner: restartix_owner
--

COMMENT ON TABLE "crypto"."organization_data_keys" IS 'Data key versions of each organization, wrapped by a KEK; destroyed versions stay as tombstones.';

--
-- Name: consumers; Type: TABLE; Schema: events; Owner: restartix_owner
--

CREATE TABLE "events"."consumers" (
    "id" integer NOT NULL,
    "name" "text" NOT NULL,
    "types" "text"[] DEFAULT '{*}'::"text"[] NOT NULL,
    "enabled" boolean DEFAULT true NOT NULL,
    "max_attempts" integer DEFAULT 10 NOT NULL,
    "lease" interval DEFAULT '00:00:30'::interval NOT NULL,
    "backoff_base" interval DEFAULT '00:00:01'::interval NOT NULL,
    "backoff_max" interval DEFAULT '00:10:00'::interval NOT NULL,
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "updated_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    CONSTRAINT "consumers_backoff_range" CHECK ((("backoff_base" > '00:00:00'::interval) AND ("backoff_base" <= "backoff_max") AND ("backoff_max" <= '1 day'::interval))),
    CONSTRAINT "consumers_lease_range" CHECK ((("lease" >= '00:00:01'::interval) AND ("lease" <= '00:15:00'::interval))),
    CONSTRAINT "consumers_max_attempts_range" CHECK ((("max_attempts" >= 1) AND ("max_attempts" <= 100))),
    CONSTRAINT "consumers_name_format" CHECK (("name" ~ '^[a-z][a-z0-9_]{1,62}$'::"text")),
    CONSTRAINT "consumers_types_valid" CHECK ((("cardinality"("types") >= 1) AND ("array_to_string"("types", ' '::"text") ~ '^(\*|[a-z][a-z0-9_.]*(\.\*)?)( (\*|[a-z][a-z0-9_.]*(\.\*)?))*$'::"text")))
);

ALTER TABLE ONLY "events"."consumers" FORCE ROW LEVEL SECURITY;

ALTER TABLE "events"."consumers" OWNER TO "restartix_owner";

--
-- Name: TABLE "consumers"; Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON TABLE "events"."consumers" IS 'Named consumers: each receives every event of its types at least once, on its own.';

--
-- Name: consumers_id_seq; Type: SEQUENCE; Schema: events; Owner: restartix_owner
--

ALTER TABLE "events"."consumers" ALTER COLUMN "id" ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME "events"."consumers_id_seq"
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: deliveries; Type: TABLE; Schema: events; Owner: restartix_owner
--

CREATE TABLE "events"."deliveries" (
    "consumer_id" integer NOT NULL,
    "event_id" "uuid" NOT NULL,
    "position" bigint NOT NULL,
    "lane" "uuid" NOT NULL,
    "state" "text" DEFAULT 'pending'::"text" NOT NULL,
    "attempts" integer DEFAULT 0 NOT NULL,
    "available_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "lease_id" "uuid",
    "leased_by" "text",
    "lease_expires_at" timestamp with time zone,
    "last_error" "text",
    "dead_at" timestamp with time zone,
    "redeliveries" integer DEFAULT 0 NOT NULL,
    "lease_session" integer,
    CONSTRAINT "deliveries_attempts_range" CHECK (("attempts" >= 0)),
    CONSTRAINT "deliveries_dead_dated" CHECK ((("state" <> 'dead'::"text") OR ("dead_at" IS NOT NULL))),
    CONSTRAINT "deliveries_lease_complete" CHECK ((("state" <> 'leased'::"text") OR (("lease_id" IS NOT NULL) AND ("lease_expires_at" IS NOT NULL)))),
    CONSTRAINT "deliveries_redeliveries_range" CHECK (("redeliveries" >= 0)),
    CONSTRAINT "deliveries_state_valid" CHECK (("state" = ANY (ARRAY['pending'::"text", 'leased'::"text", 'dead'::"text"])))
)
WITH ("autovacuum_vacuum_scale_factor"='0', "autovacuum_vacuum_threshold"='5000', "autovacuum_vacuum_cost_delay"='0', "autovacuum_analyze_scale_factor"='0.05');

ALTER TABLE ONLY "events"."deliveries" FORCE ROW LEVEL SECURITY;

ALTER TABLE "events"."deliveries" OWNER TO "restartix_owner";

--
-- Name: TABLE "deliveries"; Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON TABLE "events"."deliveries" IS 'Work still owed to a consumer: one row per (consumer, event) until done; dead letters stay.';

--
-- Name: delivery_history; Type: TABLE; Schema: events; Owner: restartix_owner
--

CREATE TABLE "events"."delivery_history" (
    "event_id" "uuid" NOT NULL,
    "consumer_id" integer NOT NULL,
    "attempts" integer NOT NULL,
    "redeliveries" integer NOT NULL,
    "last_error" "text",
    "completed_at" timestamp with time zone NOT NULL,
    CONSTRAINT "delivery_history_attempts_range" CHECK (("attempts" >= 1)),
    CONSTRAINT "delivery_history_redeliveries_range" CHECK (("redeliveries" >= 0))
)
PARTITION BY RANGE ("event_id");

ALTER TABLE ONLY "events"."delivery_history" FORCE ROW LEVEL SECURITY;

ALTER TABLE "events"."delivery_history" OWNER TO "restartix_owner";

--
-- Name: TABLE "delivery_history"; Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON TABLE "events"."delivery_history" IS 'Every completed delivery (consumer, attempts, redeliveries, last error, when), kept as long as its outbox month.';

--
-- Name: event_types; Type: TABLE; Schema: events; Owner: restartix_owner
--

CREATE TABLE "events"."event_types" (
    "type" "text" NOT NULL,
    "version" integer NOT NULL,
    "description" "text" NOT NULL,
    CONSTRAINT "event_types_type_format" CHECK (("type" ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'::"text")),
    CONSTRAINT "event_types_version_positive" CHECK (("version" >= 1))
);

ALTER TABLE ONLY "events"."event_types" FORCE ROW LEVEL SECURITY;

ALTER TABLE "events"."event_types" OWNER TO "restartix_owner";

--
-- Name: TABLE "event_types"; Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON TABLE "events"."event_types" IS 'The event types events.publish accepts; reloaded from db/functions/events/types.sql by every migrate.';

--
-- Name: outbox; Type: TABLE; Schema: events; Owner: restartix_owner
--

CREATE TABLE "events"."outbox" (
    "id" "uuid" DEFAULT "util"."uuid_v7"() NOT NULL,
    "position" bigint NOT NULL,
    "type" "text" NOT NULL,
    "version" integer NOT NULL,
    "organization_id" "uuid",
    "actor_id" "uuid" NOT NULL,
    "actor_type" "text" NOT NULL,
    "request_id" "text",
    "occurred_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "payload" "jsonb" NOT NULL,
    CONSTRAINT "outbox_actor_type_valid" CHECK (("actor_type" = ANY (ARRAY['human'::"text", 'agent'::"text", 'service_account'::"text", 'system'::"text"]))),
    CONSTRAINT "outbox_payload_is_object" CHECK (("jsonb_typeof"("payload") = 'object'::"text"))
)
PARTITION BY RANGE ("id");

ALTER TABLE ONLY "events"."outbox" FORCE ROW LEVEL SECURITY;

ALTER TABLE "events"."outbox" OWNER TO "restartix_owner";

--
-- Name: TABLE "outbox"; Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON TABLE "events"."outbox" IS 'Every published event, written in the publisher''s transaction; append-only, partitioned by the month of its id.';

--
-- Name: outbox_position_seq; Type: SEQUENCE; Schema: events; Owner: restartix_owner
--

CREATE SEQUENCE "events"."outbox_position_seq"
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER TABLE "events"."outbox_position_seq" OWNER TO "restartix_owner";

--
-- Name: outbox_position_seq; Type: SEQUENCE OWNED BY; Schema: events; Owner: restartix_owner
--

ALTER SEQUENCE "events"."outbox_position_seq" OWNED BY "events"."outbox"."position";

--
-- Name: SEQUENCE "outbox_position_seq"; Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON SEQUENCE "events"."outbox_position_seq" IS 'Insert order of events: consumers receive one organization''s events in this order.';

--
-- Name: periodic_tasks; Type: TABLE; Schema: events; Owner: restartix_owner
--

CREATE TABLE "events"."periodic_tasks" (
    "task" "text" NOT NULL,
    "last_started_at" timestamp with time zone,
    "last_finished_at" timestamp with time zone,
    "last_status" "text",
    "last_detail" "text",
    CONSTRAINT "periodic_tasks_status_valid" CHECK (("last_status" = ANY (ARRAY['ok'::"text", 'failed'::"text"])))
);

ALTER TABLE ONLY "events"."periodic_tasks" FORCE ROW LEVEL SECURITY;

ALTER TABLE "events"."periodic_tasks" OWNER TO "restartix_owner";

--
-- Name: TABLE "periodic_tasks"; Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON TABLE "events"."periodic_tasks" IS 'When each periodic task of the workers last ran, and how it ended.';

--
-- Name: routes; Type: TABLE; Schema: events; Owner: restartix_owner
--

CREATE TABLE "events"."routes" (
    "type" "text" NOT NULL,
    "version" integer NOT NULL,
    "consumer_ids" integer[] DEFAULT '{}'::integer[] NOT NULL
);

ALTER TABLE ONLY "events"."routes" FORCE ROW LEVEL SECURITY;

ALTER TABLE "events"."routes" OWNER TO "restartix_owner";

--
-- Name: TABLE "routes"; Type: COMMENT; Schema: events; Owner: restartix_owner
--

COMMENT ON TABLE "events"."routes" IS 'The enabled consumers each event type is delivered to; derived from events.consumers and events.event_types.';

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
-- Name: organization_integrations; Type: TABLE; Schema: integrations; Owner: restartix_owner
--

CREATE TABLE "integrations"."organization_integrations" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "kind" "text" NOT NULL,
    "account_label" "text" NOT NULL,
    "scopes" "text"[] DEFAULT '{}'::"text"[] NOT NULL,
    "status" "text" DEFAULT 'connected'::"text" NOT NULL,
    "last_error" "text",
    "last_error_at" timestamp with time zone,
    "credentials_encrypted" "bytea",
    "has_credentials" boolean GENERATED ALWAYS AS (("credentials_encrypted" IS NOT NULL)) STORED NOT NULL,
    "connected_by" "uuid",
    "connected_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "updated_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    CONSTRAINT "organization_integrations_account_label_length" CHECK ((("length"("btrim"("account_label")) >= 1) AND ("length"("btrim"("account_label")) <= 254))),
    CONSTRAINT "organization_integrations_credentials_size" CHECK (("octet_length"("credentials_encrypted") <= 16384)),
    CONSTRAINT "organization_integrations_kind_valid" CHECK (("kind" = ANY (ARRAY['google_calendar'::"text", 'microsoft_calendar'::"text"]))),
    CONSTRAINT "organization_integrations_last_error_length" CHECK (("length"("last_error") <= 1000)),
    CONSTRAINT "organization_integrations_scopes_valid" CHECK ((("cardinality"("scopes") <= 50) AND ("array_position"("scopes", NULL::"text") IS NULL) AND (("cardinality"("scopes") = 0) OR ("array_to_string"("scopes", ','::"text") ~ '^[A-Za-z0-9._:/-]{1,200}(,[A-Za-z0-9._:/-]{1,200})*$'::"text")))),
    CONSTRAINT "organization_integrations_status_valid" CHECK (("status" = ANY (ARRAY['connected'::"text", 'error'::"text", 'disconnected'::"text"])))
);

ALTER TABLE ONLY "integrations"."organization_integrations" FORCE ROW LEVEL SECURITY;

ALTER TABLE "integrations"."organization_integrations" OWNER TO "restartix_owner";

--
-- Name: TABLE "organization_integrations"; Type: COMMENT; Schema: integrations; Owner: restartix_owner
--

COMMENT ON TABLE "integrations"."organization_integrations" IS 'Accounts a clinic connects (Cat B, e.g. a calendar), with its encrypted credentials, scopes and status.';

--
-- Name: platform_service_providers; Type: TABLE; Schema: integrations; Owner: restartix_owner
--

CREATE TABLE "integrations"."platform_service_providers" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "organization_id" "uuid",
    "category" "text" NOT NULL,
    "provider" "text" NOT NULL,
    "config" "jsonb" DEFAULT '{}'::"jsonb" NOT NULL,
    "credentials_encrypted" "bytea",
    "has_credentials" boolean GENERATED ALWAYS AS (("credentials_encrypted" IS NOT NULL)) STORED NOT NULL,
    "enabled" boolean DEFAULT true NOT NULL,
    "is_default" boolean DEFAULT false NOT NULL,
    "created_by" "uuid",
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "updated_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    CONSTRAINT "platform_service_providers_category_valid" CHECK (("category" = ANY (ARRAY['video'::"text", 'email'::"text", 'sms'::"text", 'push'::"text", 'pdf'::"text"]))),
    CONSTRAINT "platform_service_providers_config_object" CHECK ((("jsonb_typeof"("config") = 'object'::"text") AND ("octet_length"(("config")::"text") <= 16384))),
    CONSTRAINT "platform_service_providers_credentials_size" CHECK (("octet_length"("credentials_encrypted") <= 16384)),
    CONSTRAINT "platform_service_providers_default_enabled" CHECK (((NOT "is_default") OR "enabled")),
    CONSTRAINT "platform_service_providers_override_not_default" CHECK ((("organization_id" IS NULL) OR (NOT "is_default"))),
    CONSTRAINT "platform_service_providers_provider_format" CHECK (("provider" ~ '^[a-z][a-z0-9_]{1,62}$'::"text"))
);

ALTER TABLE ONLY "integrations"."platform_service_providers" FORCE ROW LEVEL SECURITY;

ALTER TABLE "integrations"."platform_service_providers" OWNER TO "restartix_owner";

--
-- Name: TABLE "platform_service_providers"; Type: COMMENT; Schema: integrations; Owner: restartix_owner
--

COMMENT ON TABLE "integrations"."platform_service_providers" IS 'Platform-owned provider accounts by category (Cat A), with optional per-organization override rows.';

--
-- Name: meters; Type: TABLE; Schema: metering; Owner: restartix_owner
--

CREATE TABLE "metering"."meters" (
    "code" "text" NOT NULL,
    "limit_code" "text",
    "unit" "text" NOT NULL,
    "description" "text" NOT NULL,
    CONSTRAINT "meters_code_format" CHECK (("code" ~ '^[a-z][a-z0-9_]{1,62}$'::"text")),
    CONSTRAINT "meters_description_length" CHECK ((("length"("description") >= 1) AND ("length"("description") <= 500))),
    CONSTRAINT "meters_unit_length" CHECK ((("length"("unit") >= 1) AND ("length"("unit") <= 32)))
);

ALTER TABLE ONLY "metering"."meters" FORCE ROW LEVEL SECURITY;

ALTER TABLE "metering"."meters" OWNER TO "restartix_owner";

--
-- Name: TABLE "meters"; Type: COMMENT; Schema: metering; Owner: restartix_owner
--

COMMENT ON TABLE "metering"."meters" IS 'Catalog of meters and the per-month billing limit each counts against (NULL: reported, not limited).';

--
-- Name: usage_event_keys; Type: TABLE; Schema: metering; Owner: restartix_owner
--

CREATE TABLE "metering"."usage_event_keys" (
    "organization_id" "uuid" NOT NULL,
    "idempotency_key" "text" NOT NULL,
    "event_id" "uuid" NOT NULL,
    "meter" "text" NOT NULL,
    "quantity" bigint NOT NULL,
    "occurred_at" timestamp with time zone NOT NULL
);

ALTER TABLE ONLY "metering"."usage_event_keys" FORCE ROW LEVEL SECURITY;

ALTER TABLE "metering"."usage_event_keys" OWNER TO "restartix_owner";

--
-- Name: TABLE "usage_event_keys"; Type: COMMENT; Schema: metering; Owner: restartix_owner
--

COMMENT ON TABLE "metering"."usage_event_keys" IS 'Idempotency keys of recorded usage, one per organization and key, with what the key stood for.';

--
-- Name: usage_events; Type: TABLE; Schema: metering; Owner: restartix_owner
--

CREATE TABLE "metering"."usage_events" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "meter" "text" NOT NULL,
    "quantity" bigint NOT NULL,
    "occurred_at" timestamp with time zone NOT NULL,
    "idempotency_key" "text" NOT NULL,
    "recorded_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "recorded_by" "uuid" NOT NULL,
    CONSTRAINT "usage_events_idempotency_key_length" CHECK ((("length"("idempotency_key") >= 1) AND ("length"("idempotency_key") <= 200))),
    CONSTRAINT "usage_events_quantity_range" CHECK ((("quantity" >= 1) AND ("quantity" <= '1000000000000'::bigint)))
)
PARTITION BY RANGE ("occurred_at");

ALTER TABLE ONLY "metering"."usage_events" FORCE ROW LEVEL SECURITY;

ALTER TABLE "metering"."usage_events" OWNER TO "restartix_owner";

--
-- Name: TABLE "usage_events"; Type: COMMENT; Schema: metering; Owner: restartix_owner
--

COMMENT ON TABLE "metering"."usage_events" IS 'Every usage report counted once (org, meter, quantity, when); partitioned by the UTC month it occurred in.';

--
-- Name: usage_rollups; Type: TABLE; Schema: metering; Owner: restartix_owner
--

CREATE TABLE "metering"."usage_rollups" (
    "organization_id" "uuid" NOT NULL,
    "meter" "text" NOT NULL,
    "period_start" "date" NOT NULL,
    "quantity" bigint DEFAULT 0 NOT NULL,
    "event_count" bigint DEFAULT 0 NOT NULL,
    "updated_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    CONSTRAINT "usage_rollups_period_is_month" CHECK ((EXTRACT("day" FROM "period_start") = (1)::numeric)),
    CONSTRAINT "usage_rollups_totals_nonnegative" CHECK ((("quantity" >= 0) AND ("event_count" >= 0)))
);

ALTER TABLE ONLY "metering"."usage_rollups" FORCE ROW LEVEL SECURITY;

ALTER TABLE "metering"."usage_rollups" OWNER TO "restartix_owner";

--
-- Name: TABLE "usage_rollups"; Type: COMMENT; Schema: metering; Owner: restartix_owner
--

COMMENT ON TABLE "metering"."usage_rollups" IS 'Usage per organization, meter and UTC month, updated in the same transaction as each event.';

--
-- Name: patient_caregivers; Type: TABLE; Schema: people; Owner: restartix_owner
--

CREATE TABLE "people"."patient_caregivers" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "patient_profile_id" "uuid" NOT NULL,
    "caregiver_human_id" "uuid" NOT NULL,
    "relationship" "text" NOT NULL,
    "permissions" "text"[] DEFAULT '{}'::"text"[] NOT NULL,
    "starts_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "ends_at" timestamp with time zone,
    "created_by" "uuid",
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "updated_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    CONSTRAINT "patient_caregivers_period_valid" CHECK ((("ends_at" IS NULL) OR ("ends_at" >= "starts_at"))),
    CONSTRAINT "patient_caregivers_permissions_valid" CHECK (("permissions" <@ ARRAY['book'::"text", 'sign_forms'::"text", 'view_records'::"text"])),
    CONSTRAINT "patient_caregivers_relationship_valid" CHECK (("relationship" = ANY (ARRAY['parent'::"text", 'guardian'::"text", 'spouse'::"text", 'child'::"text", 'relative'::"text", 'other'::"text"])))
);

ALTER TABLE ONLY "people"."patient_caregivers" FORCE ROW LEVEL SECURITY;

ALTER TABLE "people"."patient_caregivers" OWNER TO "restartix_owner";

--
-- Name: TABLE "patient_caregivers"; Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON TABLE "people"."patient_caregivers" IS 'A human acting for a patient profile (a parent for a child), with what they may do and when.';

--
-- Name: patient_profiles; Type: TABLE; Schema: people; Owner: restartix_owner
--

CREATE TABLE "people"."patient_profiles" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "human_id" "uuid",
    "first_name" "text" NOT NULL,
    "last_name" "text" NOT NULL,
    "date_of_birth" "date",
    "sex" "text",
    "phone" "text",
    "email" "public"."citext",
    "emergency_contact_name" "text",
    "emergency_contact_phone" "text",
    "locale" "text",
    "address_line" "text",
    "city" "text",
    "postal_code" "text",
    "country" "text",
    "created_by" "uuid",
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "updated_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    CONSTRAINT "patient_profiles_address_line_length" CHECK ((("length"("address_line") >= 1) AND ("length"("address_line") <= 300))),
    CONSTRAINT "patient_profiles_city_length" CHECK ((("length"("city") >= 1) AND ("length"("city") <= 100))),
    CONSTRAINT "patient_profiles_country_valid" CHECK (("country" ~ '^[A-Z]{2}$'::"text")),
    CONSTRAINT "patient_profiles_date_of_birth_valid" CHECK ((("date_of_birth" >= '1900-01-01'::"date") AND ("date_of_birth" <= '2200-01-01'::"date"))),
    CONSTRAINT "patient_profiles_email_valid" CHECK (((("length"(("email")::"text") >= 3) AND ("length"(("email")::"text") <= 254)) AND ("email" OPERATOR("public".~) '^[^@\s]+@[^@\s]+\.[^@\s]+$'::"public"."citext"))),
    CONSTRAINT "patient_profiles_emergency_contact_name_length" CHECK ((("length"("btrim"("emergency_contact_name")) >= 1) AND ("length"("btrim"("emergency_contact_name")) <= 200))),
    CONSTRAINT "patient_profiles_emergency_contact_phone_valid" CHECK (("emergency_contact_phone" ~ '^\+?[0-9 ().-]{3,32}$'::"text")),
    CONSTRAINT "patient_profiles_first_name_length" CHECK ((("length"("btrim"("first_name")) >= 1) AND ("length"("btrim"("first_name")) <= 100))),
    CONSTRAINT "patient_profiles_last_name_length" CHECK ((("length"("btrim"("last_name")) >= 1) AND ("length"("btrim"("last_name")) <= 100))),
    CONSTRAINT "patient_profiles_locale_valid" CHECK (("locale" = ANY (ARRAY['en'::"text", 'ro'::"text"]))),
    CONSTRAINT "patient_profiles_phone_valid" CHECK (("phone" ~ '^\+?[0-9 ().-]{3,32}$'::"text")),
    CONSTRAINT "patient_profiles_postal_code_length" CHECK ((("length"("postal_code") >= 1) AND ("length"("postal_code") <= 20))),
    CONSTRAINT "patient_profiles_sex_valid" CHECK (("sex" = ANY (ARRAY['female'::"text", 'male'::"text", 'other'::"text", 'unknown'::"text"])))
);

ALTER TABLE ONLY "people"."patient_profiles" FORCE ROW LEVEL SECURITY;

ALTER TABLE "people"."patient_profiles" OWNER TO "restartix_owner";

--
-- Name: TABLE "patient_profiles"; Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON TABLE "people"."patient_profiles" IS 'A person who is (or may become) a patient; owned by their human once they have an account.';

--
-- Name: patient_subscription_entitlements; Type: TABLE; Schema: people; Owner: restartix_owner
--

CREATE TABLE "people"."patient_subscription_entitlements" (
    "subscription_id" "uuid" NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "entitlement_code" "text" NOT NULL,
    "enabled" boolean NOT NULL
);

ALTER TABLE ONLY "people"."patient_subscription_entitlements" FORCE ROW LEVEL SECURITY;

ALTER TABLE "people"."patient_subscription_entitlements" OWNER TO "restartix_owner";

--
-- Name: TABLE "patient_subscription_entitlements"; Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON TABLE "people"."patient_subscription_entitlements" IS 'Snapshot of the perks of the patient tier version at subscribe time.';

--
-- Name: patient_subscription_limits; Type: TABLE; Schema: people; Owner: restartix_owner
--

CREATE TABLE "people"."patient_subscription_limits" (
    "subscription_id" "uuid" NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "limit_code" "text" NOT NULL,
    "value" bigint,
    CONSTRAINT "patient_subscription_limits_value_valid" CHECK ((("value" IS NULL) OR ("value" >= 0)))
);

ALTER TABLE ONLY "people"."patient_subscription_limits" FORCE ROW LEVEL SECURITY;

ALTER TABLE "people"."patient_subscription_limits" OWNER TO "restartix_owner";

--
-- Name: TABLE "patient_subscription_limits"; Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON TABLE "people"."patient_subscription_limits" IS 'Snapshot of the limits of the patient tier version at subscribe time (NULL is unlimited).';

--
-- Name: patient_subscription_overrides; Type: TABLE; Schema: people; Owner: restartix_owner
--

CREATE TABLE "people"."patient_subscription_overrides" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "patient_id" "uuid" NOT NULL,
    "entitlement_code" "text",
    "limit_code" "text",
    "enabled" boolean,
    "value" bigint,
    "reason" "text" NOT NULL,
    "granted_by" "uuid",
    "expires_at" timestamp with time zone,
    "revoked_at" timestamp with time zone,
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    CONSTRAINT "patient_subscription_overrides_expiry_after_creation" CHECK (("expires_at" > "created_at")),
    CONSTRAINT "patient_subscription_overrides_one_target" CHECK (((("entitlement_code" IS NOT NULL) AND ("limit_code" IS NULL) AND ("enabled" IS NOT NULL) AND ("value" IS NULL)) OR (("limit_code" IS NOT NULL) AND ("entitlement_code" IS NULL) AND ("enabled" IS NULL)))),
    CONSTRAINT "patient_subscription_overrides_reason_length" CHECK ((("length"("btrim"("reason")) >= 3) AND ("length"("btrim"("reason")) <= 500))),
    CONSTRAINT "patient_subscription_overrides_value_valid" CHECK ((("value" IS NULL) OR ("value" >= 0)))
);

ALTER TABLE ONLY "people"."patient_subscription_overrides" FORCE ROW LEVEL SECURITY;

ALTER TABLE "people"."patient_subscription_overrides" OWNER TO "restartix_owner";

--
-- Name: TABLE "patient_subscription_overrides"; Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON TABLE "people"."patient_subscription_overrides" IS 'A clinic''s override of one perk or limit of a patient, with reason, author and optional expiry.';

--
-- Name: patient_subscriptions; Type: TABLE; Schema: people; Owner: restartix_owner
--

CREATE TABLE "people"."patient_subscriptions" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "patient_id" "uuid" NOT NULL,
    "patient_tier_version_id" "uuid" NOT NULL,
    "status" "text" DEFAULT 'active'::"text" NOT NULL,
    "started_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "ended_at" timestamp with time zone,
    "current_period_start" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "current_period_end" timestamp with time zone DEFAULT ("util"."now"() + '1 mon'::interval) NOT NULL,
    "created_by" "uuid",
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "updated_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    CONSTRAINT "patient_subscriptions_ended_when_ended" CHECK ((("status" = 'ended'::"text") = ("ended_at" IS NOT NULL))),
    CONSTRAINT "patient_subscriptions_period_valid" CHECK (("current_period_end" > "current_period_start")),
    CONSTRAINT "patient_subscriptions_status_valid" CHECK (("status" = ANY (ARRAY['active'::"text", 'ended'::"text"])))
);

ALTER TABLE ONLY "people"."patient_subscriptions" FORCE ROW LEVEL SECURITY;

ALTER TABLE "people"."patient_subscriptions" OWNER TO "restartix_owner";

--
-- Name: TABLE "patient_subscriptions"; Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON TABLE "people"."patient_subscriptions" IS 'A patient on a patient tier of the organization, bound to the tier version it snapshotted.';

--
-- Name: specialist_specialties; Type: TABLE; Schema: people; Owner: restartix_owner
--

CREATE TABLE "people"."specialist_specialties" (
    "organization_id" "uuid" NOT NULL,
    "specialist_id" "uuid" NOT NULL,
    "specialty_id" "uuid" NOT NULL,
    "created_by" "uuid",
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL
);

ALTER TABLE ONLY "people"."specialist_specialties" FORCE ROW LEVEL SECURITY;

ALTER TABLE "people"."specialist_specialties" OWNER TO "restartix_owner";

--
-- Name: TABLE "specialist_specialties"; Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON TABLE "people"."specialist_specialties" IS 'Which specialties a specialist practises.';

--
-- Name: specialties; Type: TABLE; Schema: people; Owner: restartix_owner
--

CREATE TABLE "people"."specialties" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "code" "text" NOT NULL,
    "name" "text" NOT NULL,
    "translations" "jsonb" DEFAULT '{}'::"jsonb" NOT NULL,
    "created_by" "uuid",
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "updated_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    CONSTRAINT "specialties_code_format" CHECK (("code" ~ '^[a-z][a-z0-9_]{1,62}$'::"text")),
    CONSTRAINT "specialties_name_length" CHECK ((("length"("btrim"("name")) >= 1) AND ("length"("btrim"("name")) <= 100))),
    CONSTRAINT "specialties_translations_valid" CHECK ("util"."translations_valid"("translations", '{"name": 100}'::"jsonb"))
);

ALTER TABLE ONLY "people"."specialties" FORCE ROW LEVEL SECURITY;

ALTER TABLE "people"."specialties" OWNER TO "restartix_owner";

--
-- Name: TABLE "specialties"; Type: COMMENT; Schema: people; Owner: restartix_owner
--

COMMENT ON TABLE "people"."specialties" IS 'A specialty an organization names (physiotherapy, kinesiology), with its translations.';

--
-- Name: calendar_specialists; Type: TABLE; Schema: scheduling; Owner: restartix_owner
--

CREATE TABLE "scheduling"."calendar_specialists" (
    "calendar_id" "uuid" NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "specialist_id" "uuid" NOT NULL,
    "priority" integer DEFAULT 1 NOT NULL,
    "hours" "jsonb",
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    CONSTRAINT "calendar_specialists_hours_array" CHECK (("jsonb_typeof"("hours") = 'array'::"text")),
    CONSTRAINT "calendar_specialists_priority_valid" CHECK ((("priority" >= 1) AND ("priority" <= 1000)))
);

ALTER TABLE ONLY "scheduling"."calendar_specialists" FORCE ROW LEVEL SECURITY;

ALTER TABLE "scheduling"."calendar_specialists" OWNER TO "restartix_owner";

--
-- Name: TABLE "calendar_specialists"; Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON TABLE "scheduling"."calendar_specialists" IS 'A specialist on a calendar: priority (1 = highest) and optional hours for this calendar.';

--
-- Name: organization_closures; Type: TABLE; Schema: scheduling; Owner: restartix_owner
--

CREATE TABLE "scheduling"."organization_closures" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "closure_date" "date" NOT NULL,
    "reason" "text" DEFAULT ''::"text" NOT NULL,
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    CONSTRAINT "organization_closures_reason_length" CHECK (("length"("reason") <= 200))
);

ALTER TABLE ONLY "scheduling"."organization_closures" FORCE ROW LEVEL SECURITY;

ALTER TABLE "scheduling"."organization_closures" OWNER TO "restartix_owner";

--
-- Name: TABLE "organization_closures"; Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON TABLE "scheduling"."organization_closures" IS 'A date (in the organization''s zone) when the whole clinic is closed.';

--
-- Name: specialist_assignment_tracking; Type: TABLE; Schema: scheduling; Owner: restartix_owner
--

CREATE TABLE "scheduling"."specialist_assignment_tracking" (
    "calendar_id" "uuid" NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "specialist_id" "uuid" NOT NULL,
    "last_assigned_at" timestamp with time zone,
    "assignment_count" integer DEFAULT 0 NOT NULL,
    CONSTRAINT "specialist_assignment_tracking_count_valid" CHECK (("assignment_count" >= 0))
);

ALTER TABLE ONLY "scheduling"."specialist_assignment_tracking" FORCE ROW LEVEL SECURITY;

ALTER TABLE "scheduling"."specialist_assignment_tracking" OWNER TO "restartix_owner";

--
-- Name: TABLE "specialist_assignment_tracking"; Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON TABLE "scheduling"."specialist_assignment_tracking" IS 'When each specialist of a calendar was last assigned, and how often: round-robin''s memory.';

--
-- Name: specialist_schedule_overrides; Type: TABLE; Schema: scheduling; Owner: restartix_owner
--

CREATE TABLE "scheduling"."specialist_schedule_overrides" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "specialist_id" "uuid" NOT NULL,
    "override_date" "date" NOT NULL,
    "unavailable" boolean DEFAULT false NOT NULL,
    "intervals" "jsonb" DEFAULT '[]'::"jsonb" NOT NULL,
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    "updated_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    CONSTRAINT "specialist_schedule_overrides_intervals_array" CHECK (("jsonb_typeof"("intervals") = 'array'::"text")),
    CONSTRAINT "specialist_schedule_overrides_unavailable_empty" CHECK (((NOT "unavailable") OR ("intervals" = '[]'::"jsonb")))
);

ALTER TABLE ONLY "scheduling"."specialist_schedule_overrides" FORCE ROW LEVEL SECURITY;

ALTER TABLE "scheduling"."specialist_schedule_overrides" OWNER TO "restartix_owner";

--
-- Name: TABLE "specialist_schedule_overrides"; Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON TABLE "scheduling"."specialist_schedule_overrides" IS 'A specialist''s hours for one local date: the whole day off, or replacement intervals.';

--
-- Name: specialist_weekly_hours; Type: TABLE; Schema: scheduling; Owner: restartix_owner
--

CREATE TABLE "scheduling"."specialist_weekly_hours" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "specialist_id" "uuid" NOT NULL,
    "weekday" smallint NOT NULL,
    "start_time" time without time zone NOT NULL,
    "end_time" time without time zone NOT NULL,
    "valid_from" "date",
    "valid_until" "date",
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    CONSTRAINT "specialist_weekly_hours_order_valid" CHECK (("start_time" < "end_time")),
    CONSTRAINT "specialist_weekly_hours_validity_valid" CHECK (("valid_until" >= "valid_from")),
    CONSTRAINT "specialist_weekly_hours_weekday_valid" CHECK ((("weekday" >= 1) AND ("weekday" <= 7)))
);

ALTER TABLE ONLY "scheduling"."specialist_weekly_hours" FORCE ROW LEVEL SECURITY;

ALTER TABLE "scheduling"."specialist_weekly_hours" OWNER TO "restartix_owner";

--
-- Name: TABLE "specialist_weekly_hours"; Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON TABLE "scheduling"."specialist_weekly_hours" IS 'A specialist''s working interval on an ISO weekday, wall-clock in their scheduling zone, optionally for a date range.';

--
-- Name: time_zones; Type: TABLE; Schema: scheduling; Owner: restartix_owner
--

CREATE TABLE "scheduling"."time_zones" (
    "name" "text" NOT NULL
);

ALTER TABLE "scheduling"."time_zones" OWNER TO "restartix_owner";

--
-- Name: TABLE "time_zones"; Type: COMMENT; Schema: scheduling; Owner: restartix_owner
--

COMMENT ON TABLE "scheduling"."time_zones" IS 'IANA zone names the server knows, as pg_timezone_names lists them (no aliases of abbreviations).';

--
-- Name: invitations; Type: TABLE; Schema: tenancy; Owner: restartix_owner
--

CREATE TABLE "tenancy"."invitations" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "organization_id" "uuid" NOT NULL,
    "email" "public"."citext" NOT NULL,
    "role_id" "uuid" NOT NULL,
    "token_hash" "bytea" NOT NULL,
    "invited_by" "uuid" NOT NULL,
    "expires_at" timestamp with time zone NOT NULL,
    "accepted_at" timestamp with time zone,
    "accepted_by" "uuid",
    "revoked_at" timestamp with time zone,
    "created_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    CONSTRAINT "invitations_accepted_or_revoked" CHECK ((("accepted_at" IS NULL) OR ("revoked_at" IS NULL))),
    CONSTRAINT "invitations_email_valid" CHECK ((("length"(("email")::"text") <= 254) AND ("email" OPERATOR("public".~) '^[^@\s]+@[^@\s]+\.[^@\s]+$'::"public"."citext"))),
    CONSTRAINT "invitations_expiry_after_creation" CHECK (("expires_at" > "created_at"))
);

ALTER TABLE ONLY "tenancy"."invitations" FORCE ROW LEVEL SECURITY;

ALTER TABLE "tenancy"."invitations" OWNER TO "restartix_owner";

--
-- Name: TABLE "invitations"; Type: COMMENT; Schema: tenancy; Owner: restartix_owner
--

COMMENT ON TABLE "tenancy"."invitations" IS 'Pending, accepted and revoked invitations; the token itself is never stored.';

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
-- Name: organization_settings; Type: TABLE; Schema: tenancy; Owner: restartix_owner
--

CREATE TABLE "tenancy"."organization_settings" (
    "organization_id" "uuid" NOT NULL,
    "timezone" "text" DEFAULT 'Europe/Bucharest'::"text" NOT NULL,
    "default_locale" "text" DEFAULT 'ro'::"text" NOT NULL,
    "week_starts_on" smallint DEFAULT 1 NOT NULL,
    "booking_lead_minutes" integer DEFAULT 60 NOT NULL,
    "cancellation_notice_hours" integer DEFAULT 24 NOT NULL,
    "brand_color" "text",
    "updated_at" timestamp with time zone DEFAULT "util"."now"() NOT NULL,
    CONSTRAINT "organization_settings_brand_color_valid" CHECK (("brand_color" ~ '^#[0-9a-f]{6}$'::"text")),
    CONSTRAINT "organization_settings_lead_valid" CHECK ((("booking_lead_minutes" >= 0) AND ("booking_lead_minutes" <= 43200))),
    CONSTRAINT "organization_settings_locale_valid" CHECK (("default_locale" = ANY (ARRAY['en'::"text", 'ro'::"text"]))),
    CONSTRAINT "organization_settings_notice_valid" CHECK ((("cancellation_notice_hours" >= 0) AND ("cancellation_notice_hours" <= 720))),
    CONSTRAINT "organization_settings_timezone_length" CHECK ((("length"("timezone") >= 1) AND ("length"("timezone") <= 64))),
    CONSTRAINT "organization_settings_week_start_valid" CHECK ((("week_starts_on" >= 0) AND ("week_starts_on" <= 6)))
);

ALTER TABLE ONLY "tenancy"."organization_settings" FORCE ROW LEVEL SECURITY;

ALTER TABLE "tenancy"."organization_settings" OWNER TO "restartix_owner";

--
-- Name: TABLE "organization_settings"; Type: COMMENT; Schema: tenancy; Owner: restartix_owner
--

COMMENT ON TABLE "tenancy"."organization_settings" IS 'Operational settings of an organization (org_internal).';

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
-- Name: outbox position; Type: DEFAULT; Schema: events; Owner: restartix_owner
--

ALTER TABLE ONLY "events"."outbox" ALTER COLUMN "position" SET DEFAULT "nextval"('"events"."outbox_position_seq"'::"regclass");

--
-- Name: appointments appointments_id_org_key; Type: CONSTRAINT; Schema: appointments; Owner: restartix_owner
--

ALTER TABLE ONLY "appointments"."appointments"
    ADD CONSTRAINT "appointments_id_org_key" UNIQUE ("id", "organization_id");

--
-- Name: appointments appointments_no_overlap; Type: CONSTRAINT; Schema: appointments; Owner: restartix_owner
--

ALTER TABLE ONLY "appointments"."appointments"
    ADD CONSTRAINT "appointments_no_overlap" EXCLUDE USING "gist" ("organization_id" WITH =, "specialist_id" WITH =, "period" WITH &&) WHERE ((("status" = ANY (ARRAY['requested'::"text", 'confirmed'::"text", 'inprogress'::"text"])) AND ("deleted_at" IS NULL)));

--
-- Name: appointments appointments_pkey; Type: CONSTRAINT; Schema: appointments; Owner: restartix_owner
--

ALTER TABLE ONLY "appointments"."appointments"
    ADD CONSTRAINT "appointments_pkey" PRIMARY KEY ("id");

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
-- Name: entitlements entitlements_pkey; Type: CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."entitlements"
    ADD CONSTRAINT "entitlements_pkey" PRIMARY KEY ("code");

--
-- Name: limit_definitions limit_definitions_pkey; Type: CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."limit_definitions"
    ADD CONSTRAINT "limit_definitions_pkey" PRIMARY KEY ("code");

--
-- Name: organization_billing organization_billing_pkey; Type: CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."organization_billing"
    ADD CONSTRAINT "organization_billing_pkey" PRIMARY KEY ("organization_id");

--
-- Name: organization_entitlements organization_entitlements_pkey; Type: CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."organization_entitlements"
    ADD CONSTRAINT "organization_entitlements_pkey" PRIMARY KEY ("organization_id", "entitlement_code");

--
-- Name: organization_subscription_entitlements organization_subscription_entitlements_pkey; Type: CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."organization_subscription_entitlements"
    ADD CONSTRAINT "organization_subscription_entitlements_pkey" PRIMARY KEY ("subscription_id", "entitlement_code");

--
-- Name: organization_subscription_limits organization_subscription_limits_pkey; Type: CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."organization_subscription_limits"
    ADD CONSTRAINT "organization_subscription_limits_pkey" PRIMARY KEY ("subscription_id", "limit_code");

--
-- Name: organization_subscription_overrides organization_subscription_overrides_pkey; Type: CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."organization_subscription_overrides"
    ADD CONSTRAINT "organization_subscription_overrides_pkey" PRIMARY KEY ("id");

--
-- Name: organization_subscriptions organization_subscriptions_pkey; Type: CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."organization_subscriptions"
    ADD CONSTRAINT "organization_subscriptions_pkey" PRIMARY KEY ("id");

--
-- Name: patient_tier_entitlements patient_tier_entitlements_pkey; Type: CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."patient_tier_entitlements"
    ADD CONSTRAINT "patient_tier_entitlements_pkey" PRIMARY KEY ("patient_tier_version_id", "entitlement_code");

--
-- Name: patient_tier_limits patient_tier_limits_pkey; Type: CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."patient_tier_limits"
    ADD CONSTRAINT "patient_tier_limits_pkey" PRIMARY KEY ("patient_tier_version_id", "limit_code");

--
-- Name: patient_tier_versions patient_tier_versions_id_org_key; Type: CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."patient_tier_versions"
    ADD CONSTRAINT "patient_tier_versions_id_org_key" UNIQUE ("id", "organization_id");

--
-- Name: patient_tier_versions patient_tier_versions_pkey; Type: CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."patient_tier_versions"
    ADD CONSTRAINT "patient_tier_versions_pkey" PRIMARY KEY ("id");

--
-- Name: patient_tier_versions patient_tier_versions_tier_version_key; Type: CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."patient_tier_versions"
    ADD CONSTRAINT "patient_tier_versions_tier_version_key" UNIQUE ("patient_tier_id", "version");

--
-- Name: patient_tiers patient_tiers_id_org_key; Type: CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."patient_tiers"
    ADD CONSTRAINT "patient_tiers_id_org_key" UNIQUE ("id", "organization_id");

--
-- Name: patient_tiers patient_tiers_org_code_key; Type: CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."patient_tiers"
    ADD CONSTRAINT "patient_tiers_org_code_key" UNIQUE ("organization_id", "code");

--
-- Name: patient_tiers patient_tiers_pkey; Type: CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."patient_tiers"
    ADD CONSTRAINT "patient_tiers_pkey" PRIMARY KEY ("id");

--
-- Name: tier_entitlements tier_entitlements_pkey; Type: CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."tier_entitlements"
    ADD CONSTRAINT "tier_entitlements_pkey" PRIMARY KEY ("tier_version_id", "entitlement_code");

--
-- Name: tier_limits tier_limits_pkey; Type: CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."tier_limits"
    ADD CONSTRAINT "tier_limits_pkey" PRIMARY KEY ("tier_version_id", "limit_code");

--
-- Name: tier_versions tier_versions_pkey; Type: CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."tier_versions"
    ADD CONSTRAINT "tier_versions_pkey" PRIMARY KEY ("id");

--
-- Name: tier_versions tier_versions_tier_version_key; Type: CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."tier_versions"
    ADD CONSTRAINT "tier_versions_tier_version_key" UNIQUE ("tier_id", "version");

--
-- Name: tiers tiers_code_key; Type: CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."tiers"
    ADD CONSTRAINT "tiers_code_key" UNIQUE ("code");

--
-- Name: tiers tiers_pkey; Type: CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."tiers"
    ADD CONSTRAINT "tiers_pkey" PRIMARY KEY ("id");

--
-- Name: patient_service_plans patient_service_plans_id_org_key; Type: CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."patient_service_plans"
    ADD CONSTRAINT "patient_service_plans_id_org_key" UNIQUE ("id", "organization_id");

--
-- Name: patient_service_plans patient_service_plans_pkey; Type: CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."patient_service_plans"
    ADD CONSTRAINT "patient_service_plans_pkey" PRIMARY KEY ("id");

--
-- Name: plan_consumptions plan_consumptions_appointment_key; Type: CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."plan_consumptions"
    ADD CONSTRAINT "plan_consumptions_appointment_key" UNIQUE ("organization_id", "appointment_id");

--
-- Name: plan_consumptions plan_consumptions_pkey; Type: CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."plan_consumptions"
    ADD CONSTRAINT "plan_consumptions_pkey" PRIMARY KEY ("id");

--
-- Name: products products_id_org_key; Type: CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."products"
    ADD CONSTRAINT "products_id_org_key" UNIQUE ("id", "organization_id");

--
-- Name: products products_pkey; Type: CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."products"
    ADD CONSTRAINT "products_pkey" PRIMARY KEY ("id");

--
-- Name: service_plan_products service_plan_products_pkey; Type: CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."service_plan_products"
    ADD CONSTRAINT "service_plan_products_pkey" PRIMARY KEY ("service_plan_version_id", "product_id");

--
-- Name: service_plan_services service_plan_services_pkey; Type: CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."service_plan_services"
    ADD CONSTRAINT "service_plan_services_pkey" PRIMARY KEY ("service_plan_version_id", "service_id");

--
-- Name: service_plan_versions service_plan_versions_id_org_key; Type: CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."service_plan_versions"
    ADD CONSTRAINT "service_plan_versions_id_org_key" UNIQUE ("id", "organization_id");

--
-- Name: service_plan_versions service_plan_versions_pkey; Type: CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."service_plan_versions"
    ADD CONSTRAINT "service_plan_versions_pkey" PRIMARY KEY ("id");

--
-- Name: service_plan_versions service_plan_versions_plan_version_key; Type: CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."service_plan_versions"
    ADD CONSTRAINT "service_plan_versions_plan_version_key" UNIQUE ("service_plan_id", "version");

--
-- Name: service_plans service_plans_id_org_key; Type: CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."service_plans"
    ADD CONSTRAINT "service_plans_id_org_key" UNIQUE ("id", "organization_id");

--
-- Name: service_plans service_plans_id_org_type_key; Type: CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."service_plans"
    ADD CONSTRAINT "service_plans_id_org_type_key" UNIQUE ("id", "organization_id", "plan_type");

--
-- Name: service_plans service_plans_pkey; Type: CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."service_plans"
    ADD CONSTRAINT "service_plans_pkey" PRIMARY KEY ("id");

--
-- Name: services services_id_org_key; Type: CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."services"
    ADD CONSTRAINT "services_id_org_key" UNIQUE ("id", "organization_id");

--
-- Name: services services_pkey; Type: CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."services"
    ADD CONSTRAINT "services_pkey" PRIMARY KEY ("id");

--
-- Name: consents consents_pkey; Type: CONSTRAINT; Schema: consent; Owner: restartix_owner
--

ALTER TABLE ONLY "consent"."consents"
    ADD CONSTRAINT "consents_pkey" PRIMARY KEY ("id");

--
-- Name: consents consents_seq_key; Type: CONSTRAINT; Schema: consent; Owner: restartix_owner
--

ALTER TABLE ONLY "consent"."consents"
    ADD CONSTRAINT "consents_seq_key" UNIQUE ("seq");

--
-- Name: documents documents_id_version_purpose_key; Type: CONSTRAINT; Schema: consent; Owner: restartix_owner
--

ALTER TABLE ONLY "consent"."documents"
    ADD CONSTRAINT "documents_id_version_purpose_key" UNIQUE ("id", "version", "purpose");

--
-- Name: documents documents_pkey; Type: CONSTRAINT; Schema: consent; Owner: restartix_owner
--

ALTER TABLE ONLY "consent"."documents"
    ADD CONSTRAINT "documents_pkey" PRIMARY KEY ("id");

--
-- Name: purposes purposes_pkey; Type: CONSTRAINT; Schema: consent; Owner: restartix_owner
--

ALTER TABLE ONLY "consent"."purposes"
    ADD CONSTRAINT "purposes_pkey" PRIMARY KEY ("code");

--
-- Name: organization_data_keys organization_data_keys_pkey; Type: CONSTRAINT; Schema: crypto; Owner: restartix_owner
--

ALTER TABLE ONLY "crypto"."organization_data_keys"
    ADD CONSTRAINT "organization_data_keys_pkey" PRIMARY KEY ("organization_id", "version");

--
-- Name: consumers consumers_name_key; Type: CONSTRAINT; Schema: events; Owner: restartix_owner
--

ALTER TABLE ONLY "events"."consumers"
    ADD CONSTRAINT "consumers_name_key" UNIQUE ("name");

--
-- Name: consumers consumers_pkey; Type: CONSTRAINT; Schema: events; Owner: restartix_owner
--

ALTER TABLE ONLY "events"."consumers"
    ADD CONSTRAINT "consumers_pkey" PRIMARY KEY ("id");

--
-- Name: deliveries deliveries_pkey; Type: CONSTRAINT; Schema: events; Owner: restartix_owner
--

ALTER TABLE ONLY "events"."deliveries"
    ADD CONSTRAINT "deliveries_pkey" PRIMARY KEY ("consumer_id", "event_id");

--
-- Name: event_types event_types_pkey; Type: CONSTRAINT; Schema: events; Owner: restartix_owner
--

ALTER TABLE ONLY "events"."event_types"
    ADD CONSTRAINT "event_types_pkey" PRIMARY KEY ("type", "version");

--
-- Name: outbox outbox_pkey; Type: CONSTRAINT; Schema: events; Owner: restartix_owner
--

ALTER TABLE ONLY "events"."outbox"
    ADD CONSTRAINT "outbox_pkey" PRIMARY KEY ("id");

--
-- Name: periodic_tasks periodic_tasks_pkey; Type: CONSTRAINT; Schema: events; Owner: restartix_owner
--

ALTER TABLE ONLY "events"."periodic_tasks"
    ADD CONSTRAINT "periodic_tasks_pkey" PRIMARY KEY ("task");

--
-- Name: routes routes_pkey; Type: CONSTRAINT; Schema: events; Owner: restartix_owner
--

ALTER TABLE ONLY "events"."routes"
    ADD CONSTRAINT "routes_pkey" PRIMARY KEY ("type", "version");

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
-- Name: organization_integrations organization_integrations_pkey; Type: CONSTRAINT; Schema: integrations; Owner: restartix_owner
--

ALTER TABLE ONLY "integrations"."organization_integrations"
    ADD CONSTRAINT "organization_integrations_pkey" PRIMARY KEY ("id");

--
-- Name: platform_service_providers platform_service_providers_pkey; Type: CONSTRAINT; Schema: integrations; Owner: restartix_owner
--

ALTER TABLE ONLY "integrations"."platform_service_providers"
    ADD CONSTRAINT "platform_service_providers_pkey" PRIMARY KEY ("id");

--
-- Name: meters meters_limit_code_key; Type: CONSTRAINT; Schema: metering; Owner: restartix_owner
--

ALTER TABLE ONLY "metering"."meters"
    ADD CONSTRAINT "meters_limit_code_key" UNIQUE ("limit_code");

--
-- Name: meters meters_pkey; Type: CONSTRAINT; Schema: metering; Owner: restartix_owner
--

ALTER TABLE ONLY "metering"."meters"
    ADD CONSTRAINT "meters_pkey" PRIMARY KEY ("code");

--
-- Name: usage_event_keys usage_event_keys_pkey; Type: CONSTRAINT; Schema: metering; Owner: restartix_owner
--

ALTER TABLE ONLY "metering"."usage_event_keys"
    ADD CONSTRAINT "usage_event_keys_pkey" PRIMARY KEY ("organization_id", "idempotency_key");

--
-- Name: usage_events usage_events_pkey; Type: CONSTRAINT; Schema: metering; Owner: restartix_owner
--

ALTER TABLE ONLY "metering"."usage_events"
    ADD CONSTRAINT "usage_events_pkey" PRIMARY KEY ("id", "occurred_at");

--
-- Name: usage_rollups usage_rollups_pkey; Type: CONSTRAINT; Schema: metering; Owner: restartix_owner
--

ALTER TABLE ONLY "metering"."usage_rollups"
    ADD CONSTRAINT "usage_rollups_pkey" PRIMARY KEY ("organization_id", "meter", "period_start");

--
-- Name: patient_caregivers patient_caregivers_pkey; Type: CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patient_caregivers"
    ADD CONSTRAINT "patient_caregivers_pkey" PRIMARY KEY ("id");

--
-- Name: patient_profiles patient_profiles_pkey; Type: CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patient_profiles"
    ADD CONSTRAINT "patient_profiles_pkey" PRIMARY KEY ("id");

--
-- Name: patient_subscription_entitlements patient_subscription_entitlements_pkey; Type: CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patient_subscription_entitlements"
    ADD CONSTRAINT "patient_subscription_entitlements_pkey" PRIMARY KEY ("subscription_id", "entitlement_code");

--
-- Name: patient_subscription_limits patient_subscription_limits_pkey; Type: CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patient_subscription_limits"
    ADD CONSTRAINT "patient_subscription_limits_pkey" PRIMARY KEY ("subscription_id", "limit_code");

--
-- Name: patient_subscription_overrides patient_subscription_overrides_pkey; Type: CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patient_subscription_overrides"
    ADD CONSTRAINT "patient_subscription_overrides_pkey" PRIMARY KEY ("id");

--
-- Name: patient_subscriptions patient_subscriptions_pkey; Type: CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patient_subscriptions"
    ADD CONSTRAINT "patient_subscriptions_pkey" PRIMARY KEY ("id");

--
-- Name: patients patients_id_org_key; Type: CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patients"
    ADD CONSTRAINT "patients_id_org_key" UNIQUE ("id", "organization_id");

--
-- Name: patients patients_pkey; Type: CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patients"
    ADD CONSTRAINT "patients_pkey" PRIMARY KEY ("id");

--
-- Name: specialist_specialties specialist_specialties_pkey; Type: CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."specialist_specialties"
    ADD CONSTRAINT "specialist_specialties_pkey" PRIMARY KEY ("specialist_id", "specialty_id");

--
-- Name: specialists specialists_id_org_key; Type: CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."specialists"
    ADD CONSTRAINT "specialists_id_org_key" UNIQUE ("id", "organization_id");

--
-- Name: specialists specialists_pkey; Type: CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."specialists"
    ADD CONSTRAINT "specialists_pkey" PRIMARY KEY ("id");

--
-- Name: specialties specialties_id_org_key; Type: CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."specialties"
    ADD CONSTRAINT "specialties_id_org_key" UNIQUE ("id", "organization_id");

--
-- Name: specialties specialties_org_code_key; Type: CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."specialties"
    ADD CONSTRAINT "specialties_org_code_key" UNIQUE ("organization_id", "code");

--
-- Name: specialties specialties_pkey; Type: CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."specialties"
    ADD CONSTRAINT "specialties_pkey" PRIMARY KEY ("id");

--
-- Name: calendar_specialists calendar_specialists_pkey; Type: CONSTRAINT; Schema: scheduling; Owner: restartix_owner
--

ALTER TABLE ONLY "scheduling"."calendar_specialists"
    ADD CONSTRAINT "calendar_specialists_pkey" PRIMARY KEY ("calendar_id", "specialist_id");

--
-- Name: calendars calendars_id_org_key; Type: CONSTRAINT; Schema: scheduling; Owner: restartix_owner
--

ALTER TABLE ONLY "scheduling"."calendars"
    ADD CONSTRAINT "calendars_id_org_key" UNIQUE ("id", "organization_id");

--
-- Name: calendars calendars_pkey; Type: CONSTRAINT; Schema: scheduling; Owner: restartix_owner
--

ALTER TABLE ONLY "scheduling"."calendars"
    ADD CONSTRAINT "calendars_pkey" PRIMARY KEY ("id");

--
-- Name: organization_closures organization_closures_date_key; Type: CONSTRAINT; Schema: scheduling; Owner: restartix_owner
--

ALTER TABLE ONLY "scheduling"."organization_closures"
    ADD CONSTRAINT "organization_closures_date_key" UNIQUE ("organization_id", "closure_date");

--
-- Name: organization_closures organization_closures_pkey; Type: CONSTRAINT; Schema: scheduling; Owner: restartix_owner
--

ALTER TABLE ONLY "scheduling"."organization_closures"
    ADD CONSTRAINT "organization_closures_pkey" PRIMARY KEY ("id");

--
-- Name: specialist_assignment_tracking specialist_assignment_tracking_pkey; Type: CONSTRAINT; Schema: scheduling; Owner: restartix_owner
--

ALTER TABLE ONLY "scheduling"."specialist_assignment_tracking"
    ADD CONSTRAINT "specialist_assignment_tracking_pkey" PRIMARY KEY ("calendar_id", "specialist_id");

--
-- Name: specialist_schedule_overrides specialist_schedule_overrides_date_key; Type: CONSTRAINT; Schema: scheduling; Owner: restartix_owner
--

ALTER TABLE ONLY "scheduling"."specialist_schedule_overrides"
    ADD CONSTRAINT "specialist_schedule_overrides_date_key" UNIQUE ("organization_id", "specialist_id", "override_date");

--
-- Name: specialist_schedule_overrides specialist_schedule_overrides_pkey; Type: CONSTRAINT; Schema: scheduling; Owner: restartix_owner
--

ALTER TABLE ONLY "scheduling"."specialist_schedule_overrides"
    ADD CONSTRAINT "specialist_schedule_overrides_pkey" PRIMARY KEY ("id");

--
-- Name: specialist_weekly_hours specialist_weekly_hours_pkey; Type: CONSTRAINT; Schema: scheduling; Owner: restartix_owner
--

ALTER TABLE ONLY "scheduling"."specialist_weekly_hours"
    ADD CONSTRAINT "specialist_weekly_hours_pkey" PRIMARY KEY ("id");

--
-- Name: time_zones time_zones_pkey; Type: CONSTRAINT; Schema: scheduling; Owner: restartix_owner
--

ALTER TABLE ONLY "scheduling"."time_zones"
    ADD CONSTRAINT "time_zones_pkey" PRIMARY KEY ("name");

--
-- Name: files files_id_org_key; Type: CONSTRAINT; Schema: storage; Owner: restartix_owner
--

ALTER TABLE ONLY "storage"."files"
    ADD CONSTRAINT "files_id_org_key" UNIQUE ("id", "organization_id");

--
-- Name: files files_pkey; Type: CONSTRAINT; Schema: storage; Owner: restartix_owner
--

ALTER TABLE ONLY "storage"."files"
    ADD CONSTRAINT "files_pkey" PRIMARY KEY ("id");

--
-- Name: invitations invitations_pkey; Type: CONSTRAINT; Schema: tenancy; Owner: restartix_owner
--

ALTER TABLE ONLY "tenancy"."invitations"
    ADD CONSTRAINT "invitations_pkey" PRIMARY KEY ("id");

--
-- Name: invitations invitations_token_hash_key; Type: CONSTRAINT; Schema: tenancy; Owner: restartix_owner
--

ALTER TABLE ONLY "tenancy"."invitations"
    ADD CONSTRAINT "invitations_token_hash_key" UNIQUE ("token_hash");

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
-- Name: organization_settings organization_settings_pkey; Type: CONSTRAINT; Schema: tenancy; Owner: restartix_owner
--

ALTER TABLE ONLY "tenancy"."organization_settings"
    ADD CONSTRAINT "organization_settings_pkey" PRIMARY KEY ("organization_id");

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
-- Name: appointments_calendar_idx; Type: INDEX; Schema: appointments; Owner: restartix_owner
--

CREATE INDEX "appointments_calendar_idx" ON "appointments"."appointments" USING "btree" ("organization_id", "calendar_id");

--
-- Name: appointments_org_created_idx; Type: INDEX; Schema: appointments; Owner: restartix_owner
--

CREATE INDEX "appointments_org_created_idx" ON "appointments"."appointments" USING "btree" ("organization_id", "created_at", "id");

--
-- Name: appointments_org_idx; Type: INDEX; Schema: appointments; Owner: restartix_owner
--

CREATE INDEX "appointments_org_idx" ON "appointments"."appointments" USING "btree" ("organization_id", "id");

--
-- Name: appointments_patient_idx; Type: INDEX; Schema: appointments; Owner: restartix_owner
--

CREATE INDEX "appointments_patient_idx" ON "appointments"."appointments" USING "btree" ("organization_id", "patient_id");

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
-- Name: organization_subscription_entitlements_org_idx; Type: INDEX; Schema: billing; Owner: restartix_owner
--

CREATE INDEX "organization_subscription_entitlements_org_idx" ON "billing"."organization_subscription_entitlements" USING "btree" ("organization_id", "entitlement_code");

--
-- Name: organization_subscription_limits_org_idx; Type: INDEX; Schema: billing; Owner: restartix_owner
--

CREATE INDEX "organization_subscription_limits_org_idx" ON "billing"."organization_subscription_limits" USING "btree" ("organization_id", "limit_code");

--
-- Name: organization_subscription_overrides_org_idx; Type: INDEX; Schema: billing; Owner: restartix_owner
--

CREATE INDEX "organization_subscription_overrides_org_idx" ON "billing"."organization_subscription_overrides" USING "btree" ("organization_id") WHERE ("revoked_at" IS NULL);

--
-- Name: organization_subscriptions_one_base; Type: INDEX; Schema: billing; Owner: restartix_owner
--

CREATE UNIQUE INDEX "organization_subscriptions_one_base" ON "billing"."organization_subscriptions" USING "btree" ("organization_id") WHERE (("kind" = 'base'::"text") AND ("status" = 'active'::"text"));

--
-- Name: organization_subscriptions_org_idx; Type: INDEX; Schema: billing; Owner: restartix_owner
--

CREATE INDEX "organization_subscriptions_org_idx" ON "billing"."organization_subscriptions" USING "btree" ("organization_id", "status");

--
-- Name: patient_tier_entitlements_org_idx; Type: INDEX; Schema: billing; Owner: restartix_owner
--

CREATE INDEX "patient_tier_entitlements_org_idx" ON "billing"."patient_tier_entitlements" USING "btree" ("organization_id");

--
-- Name: patient_tier_limits_org_idx; Type: INDEX; Schema: billing; Owner: restartix_owner
--

CREATE INDEX "patient_tier_limits_org_idx" ON "billing"."patient_tier_limits" USING "btree" ("organization_id");

--
-- Name: patient_tier_versions_org_idx; Type: INDEX; Schema: billing; Owner: restartix_owner
--

CREATE INDEX "patient_tier_versions_org_idx" ON "billing"."patient_tier_versions" USING "btree" ("organization_id");

--
-- Name: patient_tiers_one_default; Type: INDEX; Schema: billing; Owner: restartix_owner
--

CREATE UNIQUE INDEX "patient_tiers_one_default" ON "billing"."patient_tiers" USING "btree" ("organization_id") WHERE "is_default";

--
-- Name: patient_service_plans_org_idx; Type: INDEX; Schema: catalog; Owner: restartix_owner
--

CREATE INDEX "patient_service_plans_org_idx" ON "catalog"."patient_service_plans" USING "btree" ("organization_id", "id");

--
-- Name: patient_service_plans_patient_idx; Type: INDEX; Schema: catalog; Owner: restartix_owner
--

CREATE INDEX "patient_service_plans_patient_idx" ON "catalog"."patient_service_plans" USING "btree" ("organization_id", "patient_id", "created_at", "id");

--
-- Name: patient_service_plans_patient_only_idx; Type: INDEX; Schema: catalog; Owner: restartix_owner
--

CREATE INDEX "patient_service_plans_patient_only_idx" ON "catalog"."patient_service_plans" USING "btree" ("patient_id");

--
-- Name: patient_service_plans_source_idx; Type: INDEX; Schema: catalog; Owner: restartix_owner
--

CREATE INDEX "patient_service_plans_source_idx" ON "catalog"."patient_service_plans" USING "btree" ("source_tier_subscription_id") WHERE ("source_tier_subscription_id" IS NOT NULL);

--
-- Name: patient_service_plans_version_idx; Type: INDEX; Schema: catalog; Owner: restartix_owner
--

CREATE INDEX "patient_service_plans_version_idx" ON "catalog"."patient_service_plans" USING "btree" ("organization_id", "service_plan_version_id");

--
-- Name: plan_consumptions_enrollment_idx; Type: INDEX; Schema: catalog; Owner: restartix_owner
--

CREATE INDEX "plan_consumptions_enrollment_idx" ON "catalog"."plan_consumptions" USING "btree" ("organization_id", "patient_service_plan_id", "consumed_at");

--
-- Name: products_org_created_idx; Type: INDEX; Schema: catalog; Owner: restartix_owner
--

CREATE INDEX "products_org_created_idx" ON "catalog"."products" USING "btree" ("organization_id", "created_at", "id");

--
-- Name: products_org_idx; Type: INDEX; Schema: catalog; Owner: restartix_owner
--

CREATE INDEX "products_org_idx" ON "catalog"."products" USING "btree" ("organization_id", "id");

--
-- Name: products_org_name_idx; Type: INDEX; Schema: catalog; Owner: restartix_owner
--

CREATE INDEX "products_org_name_idx" ON "catalog"."products" USING "btree" ("organization_id", "name", "id");

--
-- Name: products_sku_key; Type: INDEX; Schema: catalog; Owner: restartix_owner
--

CREATE UNIQUE INDEX "products_sku_key" ON "catalog"."products" USING "btree" ("organization_id", "sku") WHERE ("deleted_at" IS NULL);

--
-- Name: service_plan_products_org_idx; Type: INDEX; Schema: catalog; Owner: restartix_owner
--

CREATE INDEX "service_plan_products_org_idx" ON "catalog"."service_plan_products" USING "btree" ("organization_id", "service_plan_version_id");

--
-- Name: service_plan_products_product_idx; Type: INDEX; Schema: catalog; Owner: restartix_owner
--

CREATE INDEX "service_plan_products_product_idx" ON "catalog"."service_plan_products" USING "btree" ("organization_id", "product_id");

--
-- Name: service_plan_services_org_idx; Type: INDEX; Schema: catalog; Owner: restartix_owner
--

CREATE INDEX "service_plan_services_org_idx" ON "catalog"."service_plan_services" USING "btree" ("organization_id", "service_plan_version_id");

--
-- Name: service_plan_services_service_idx; Type: INDEX; Schema: catalog; Owner: restartix_owner
--

CREATE INDEX "service_plan_services_service_idx" ON "catalog"."service_plan_services" USING "btree" ("organization_id", "service_id");

--
-- Name: service_plan_versions_org_idx; Type: INDEX; Schema: catalog; Owner: restartix_owner
--

CREATE INDEX "service_plan_versions_org_idx" ON "catalog"."service_plan_versions" USING "btree" ("organization_id", "id");

--
-- Name: service_plan_versions_plan_idx; Type: INDEX; Schema: catalog; Owner: restartix_owner
--

CREATE INDEX "service_plan_versions_plan_idx" ON "catalog"."service_plan_versions" USING "btree" ("organization_id", "service_plan_id", "version");

--
-- Name: service_plans_org_created_idx; Type: INDEX; Schema: catalog; Owner: restartix_owner
--

CREATE INDEX "service_plans_org_created_idx" ON "catalog"."service_plans" USING "btree" ("organization_id", "created_at", "id");

--
-- Name: service_plans_org_idx; Type: INDEX; Schema: catalog; Owner: restartix_owner
--

CREATE INDEX "service_plans_org_idx" ON "catalog"."service_plans" USING "btree" ("organization_id", "id");

--
-- Name: service_plans_org_sort_idx; Type: INDEX; Schema: catalog; Owner: restartix_owner
--

CREATE INDEX "service_plans_org_sort_idx" ON "catalog"."service_plans" USING "btree" ("organization_id", "sort_order", "id");

--
-- Name: services_org_created_idx; Type: INDEX; Schema: catalog; Owner: restartix_owner
--

CREATE INDEX "services_org_created_idx" ON "catalog"."services" USING "btree" ("organization_id", "created_at", "id");

--
-- Name: services_org_idx; Type: INDEX; Schema: catalog; Owner: restartix_owner
--

CREATE INDEX "services_org_idx" ON "catalog"."services" USING "btree" ("organization_id", "id");

--
-- Name: services_org_name_idx; Type: INDEX; Schema: catalog; Owner: restartix_owner
--

CREATE INDEX "services_org_name_idx" ON "catalog"."services" USING "btree" ("organization_id", "name", "id");

--
-- Name: services_org_sort_idx; Type: INDEX; Schema: catalog; Owner: restartix_owner
--

CREATE INDEX "services_org_sort_idx" ON "catalog"."services" USING "btree" ("organization_id", "sort_order", "id");

--
-- Name: services_public_idx; Type: INDEX; Schema: catalog; Owner: restartix_owner
--

CREATE INDEX "services_public_idx" ON "catalog"."services" USING "btree" ("organization_id", "sort_order") WHERE (("deleted_at" IS NULL) AND "active" AND "bookable_online");

--
-- Name: consents_document_idx; Type: INDEX; Schema: consent; Owner: restartix_owner
--

CREATE INDEX "consents_document_idx" ON "consent"."consents" USING "btree" ("document_id") WHERE ("document_id" IS NOT NULL);

--
-- Name: consents_org_idx; Type: INDEX; Schema: consent; Owner: restartix_owner
--

CREATE INDEX "consents_org_idx" ON "consent"."consents" USING "btree" ("organization_id", "subject_principal_id", "purpose", "seq" DESC);

--
-- Name: consents_subject_idx; Type: INDEX; Schema: consent; Owner: restartix_owner
--

CREATE INDEX "consents_subject_idx" ON "consent"."consents" USING "btree" ("subject_principal_id", "organization_id", "purpose", "seq" DESC);

--
-- Name: documents_org_version_key; Type: INDEX; Schema: consent; Owner: restartix_owner
--

CREATE UNIQUE INDEX "documents_org_version_key" ON "consent"."documents" USING "btree" ("organization_id", "purpose", "version") WHERE ("organization_id" IS NOT NULL);

--
-- Name: documents_platform_version_key; Type: INDEX; Schema: consent; Owner: restartix_owner
--

CREATE UNIQUE INDEX "documents_platform_version_key" ON "consent"."documents" USING "btree" ("purpose", "version") WHERE ("organization_id" IS NULL);

--
-- Name: deliveries_dead_idx; Type: INDEX; Schema: events; Owner: restartix_owner
--

CREATE INDEX "deliveries_dead_idx" ON "events"."deliveries" USING "btree" ("consumer_id", "dead_at") WHERE ("state" = 'dead'::"text");

--
-- Name: deliveries_lane_idx; Type: INDEX; Schema: events; Owner: restartix_owner
--

CREATE INDEX "deliveries_lane_idx" ON "events"."deliveries" USING "btree" ("consumer_id", "lane", "position") WHERE ("state" <> 'dead'::"text");

--
-- Name: deliveries_lane_leased_idx; Type: INDEX; Schema: events; Owner: restartix_owner
--

CREATE INDEX "deliveries_lane_leased_idx" ON "events"."deliveries" USING "btree" ("consumer_id", "lane") WHERE ("state" = 'leased'::"text");

--
-- Name: deliveries_lease_idx; Type: INDEX; Schema: events; Owner: restartix_owner
--

CREATE INDEX "deliveries_lease_idx" ON "events"."deliveries" USING "btree" ("lease_id") WHERE ("state" = 'leased'::"text");

--
-- Name: delivery_history_event_idx; Type: INDEX; Schema: events; Owner: restartix_owner
--

CREATE INDEX "delivery_history_event_idx" ON ONLY "events"."delivery_history" USING "btree" ("event_id", "consumer_id");

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
-- Name: organization_integrations_account_key; Type: INDEX; Schema: integrations; Owner: restartix_owner
--

CREATE UNIQUE INDEX "organization_integrations_account_key" ON "integrations"."organization_integrations" USING "btree" ("organization_id", "kind", "account_label");

--
-- Name: organization_integrations_org_idx; Type: INDEX; Schema: integrations; Owner: restartix_owner
--

CREATE INDEX "organization_integrations_org_idx" ON "integrations"."organization_integrations" USING "btree" ("organization_id", "id");

--
-- Name: platform_service_providers_one_default; Type: INDEX; Schema: integrations; Owner: restartix_owner
--

CREATE UNIQUE INDEX "platform_service_providers_one_default" ON "integrations"."platform_service_providers" USING "btree" ("category") WHERE (("organization_id" IS NULL) AND "is_default");

--
-- Name: platform_service_providers_one_override; Type: INDEX; Schema: integrations; Owner: restartix_owner
--

CREATE UNIQUE INDEX "platform_service_providers_one_override" ON "integrations"."platform_service_providers" USING "btree" ("organization_id", "category") WHERE ("organization_id" IS NOT NULL);

--
-- Name: platform_service_providers_platform_provider_key; Type: INDEX; Schema: integrations; Owner: restartix_owner
--

CREATE UNIQUE INDEX "platform_service_providers_platform_provider_key" ON "integrations"."platform_service_providers" USING "btree" ("category", "provider") WHERE ("organization_id" IS NULL);

--
-- Name: usage_events_org_time_idx; Type: INDEX; Schema: metering; Owner: restartix_owner
--

CREATE INDEX "usage_events_org_time_idx" ON ONLY "metering"."usage_events" USING "btree" ("organization_id", "occurred_at" DESC);

--
-- Name: patient_caregivers_human_idx; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE INDEX "patient_caregivers_human_idx" ON "people"."patient_caregivers" USING "btree" ("caregiver_human_id");

--
-- Name: patient_caregivers_open_key; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE UNIQUE INDEX "patient_caregivers_open_key" ON "people"."patient_caregivers" USING "btree" ("patient_profile_id", "caregiver_human_id") WHERE ("ends_at" IS NULL);

--
-- Name: patient_caregivers_profile_idx; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE INDEX "patient_caregivers_profile_idx" ON "people"."patient_caregivers" USING "btree" ("patient_profile_id");

--
-- Name: patient_profiles_guest_email_idx; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE INDEX "patient_profiles_guest_email_idx" ON "people"."patient_profiles" USING "btree" ("email") WHERE ("human_id" IS NULL);

--
-- Name: patient_profiles_human_key; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE UNIQUE INDEX "patient_profiles_human_key" ON "people"."patient_profiles" USING "btree" ("human_id") WHERE ("human_id" IS NOT NULL);

--
-- Name: patient_subscription_entitlements_org_idx; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE INDEX "patient_subscription_entitlements_org_idx" ON "people"."patient_subscription_entitlements" USING "btree" ("organization_id");

--
-- Name: patient_subscription_limits_org_idx; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE INDEX "patient_subscription_limits_org_idx" ON "people"."patient_subscription_limits" USING "btree" ("organization_id");

--
-- Name: patient_subscription_overrides_org_idx; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE INDEX "patient_subscription_overrides_org_idx" ON "people"."patient_subscription_overrides" USING "btree" ("organization_id", "id");

--
-- Name: patient_subscription_overrides_patient_idx; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE INDEX "patient_subscription_overrides_patient_idx" ON "people"."patient_subscription_overrides" USING "btree" ("patient_id") WHERE ("revoked_at" IS NULL);

--
-- Name: patient_subscriptions_one_active; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE UNIQUE INDEX "patient_subscriptions_one_active" ON "people"."patient_subscriptions" USING "btree" ("organization_id", "patient_id") WHERE ("status" = 'active'::"text");

--
-- Name: patient_subscriptions_org_idx; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE INDEX "patient_subscriptions_org_idx" ON "people"."patient_subscriptions" USING "btree" ("organization_id", "id");

--
-- Name: patient_subscriptions_patient_idx; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE INDEX "patient_subscriptions_patient_idx" ON "people"."patient_subscriptions" USING "btree" ("patient_id", "status");

--
-- Name: patient_subscriptions_version_idx; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE INDEX "patient_subscriptions_version_idx" ON "people"."patient_subscriptions" USING "btree" ("patient_tier_version_id");

--
-- Name: patients_consumer_id_key; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE UNIQUE INDEX "patients_consumer_id_key" ON "people"."patients" USING "btree" ("organization_id", "consumer_id") WHERE (("deleted_at" IS NULL) AND ("consumer_id" IS NOT NULL));

--
-- Name: patients_org_created_idx; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE INDEX "patients_org_created_idx" ON "people"."patients" USING "btree" ("organization_id", "created_at", "id");

--
-- Name: patients_org_idx; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE INDEX "patients_org_idx" ON "people"."patients" USING "btree" ("organization_id", "id");

--
-- Name: patients_profile_idx; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE INDEX "patients_profile_idx" ON "people"."patients" USING "btree" ("patient_profile_id");

--
-- Name: patients_profile_key; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE UNIQUE INDEX "patients_profile_key" ON "people"."patients" USING "btree" ("organization_id", "patient_profile_id") WHERE ("deleted_at" IS NULL);

--
-- Name: specialist_specialties_org_idx; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE INDEX "specialist_specialties_org_idx" ON "people"."specialist_specialties" USING "btree" ("organization_id", "specialist_id");

--
-- Name: specialist_specialties_specialty_idx; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE INDEX "specialist_specialties_specialty_idx" ON "people"."specialist_specialties" USING "btree" ("specialty_id", "organization_id");

--
-- Name: specialists_human_idx; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE INDEX "specialists_human_idx" ON "people"."specialists" USING "btree" ("human_id") WHERE ("human_id" IS NOT NULL);

--
-- Name: specialists_human_key; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE UNIQUE INDEX "specialists_human_key" ON "people"."specialists" USING "btree" ("organization_id", "human_id") WHERE (("deleted_at" IS NULL) AND ("human_id" IS NOT NULL));

--
-- Name: specialists_org_created_idx; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE INDEX "specialists_org_created_idx" ON "people"."specialists" USING "btree" ("organization_id", "created_at", "id");

--
-- Name: specialists_org_idx; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE INDEX "specialists_org_idx" ON "people"."specialists" USING "btree" ("organization_id", "id");

--
-- Name: specialists_org_name_idx; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE INDEX "specialists_org_name_idx" ON "people"."specialists" USING "btree" ("organization_id", "display_name", "id");

--
-- Name: specialists_org_scheduling_idx; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE INDEX "specialists_org_scheduling_idx" ON "people"."specialists" USING "btree" ("organization_id", "scheduling_active") WHERE ("deleted_at" IS NULL);

--
-- Name: specialists_signature_file_idx; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE INDEX "specialists_signature_file_idx" ON "people"."specialists" USING "btree" ("signature_file_id") WHERE ("signature_file_id" IS NOT NULL);

--
-- Name: specialties_org_created_idx; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE INDEX "specialties_org_created_idx" ON "people"."specialties" USING "btree" ("organization_id", "created_at", "id");

--
-- Name: specialties_org_idx; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE INDEX "specialties_org_idx" ON "people"."specialties" USING "btree" ("organization_id", "id");

--
-- Name: specialties_org_name_idx; Type: INDEX; Schema: people; Owner: restartix_owner
--

CREATE INDEX "specialties_org_name_idx" ON "people"."specialties" USING "btree" ("organization_id", "name", "id");

--
-- Name: calendar_specialists_org_idx; Type: INDEX; Schema: scheduling; Owner: restartix_owner
--

CREATE INDEX "calendar_specialists_org_idx" ON "scheduling"."calendar_specialists" USING "btree" ("organization_id", "calendar_id");

--
-- Name: calendar_specialists_specialist_idx; Type: INDEX; Schema: scheduling; Owner: restartix_owner
--

CREATE INDEX "calendar_specialists_specialist_idx" ON "scheduling"."calendar_specialists" USING "btree" ("organization_id", "specialist_id");

--
-- Name: calendars_org_created_idx; Type: INDEX; Schema: scheduling; Owner: restartix_owner
--

CREATE INDEX "calendars_org_created_idx" ON "scheduling"."calendars" USING "btree" ("organization_id", "created_at", "id");

--
-- Name: calendars_org_idx; Type: INDEX; Schema: scheduling; Owner: restartix_owner
--

CREATE INDEX "calendars_org_idx" ON "scheduling"."calendars" USING "btree" ("organization_id", "id");

--
-- Name: calendars_org_name_idx; Type: INDEX; Schema: scheduling; Owner: restartix_owner
--

CREATE INDEX "calendars_org_name_idx" ON "scheduling"."calendars" USING "btree" ("organization_id", "name", "id");

--
-- Name: calendars_service_idx; Type: INDEX; Schema: scheduling; Owner: restartix_owner
--

CREATE INDEX "calendars_service_idx" ON "scheduling"."calendars" USING "btree" ("organization_id", "service_id");

--
-- Name: calendars_slug_key; Type: INDEX; Schema: scheduling; Owner: restartix_owner
--

CREATE UNIQUE INDEX "calendars_slug_key" ON "scheduling"."calendars" USING "btree" ("organization_id", "slug") WHERE ("deleted_at" IS NULL);

--
-- Name: specialist_assignment_tracking_org_idx; Type: INDEX; Schema: scheduling; Owner: restartix_owner
--

CREATE INDEX "specialist_assignment_tracking_org_idx" ON "scheduling"."specialist_assignment_tracking" USING "btree" ("organization_id", "calendar_id");

--
-- Name: specialist_weekly_hours_org_idx; Type: INDEX; Schema: scheduling; Owner: restartix_owner
--

CREATE INDEX "specialist_weekly_hours_org_idx" ON "scheduling"."specialist_weekly_hours" USING "btree" ("organization_id", "specialist_id", "weekday");

--
-- Name: files_bytes_to_remove_idx; Type: INDEX; Schema: storage; Owner: restartix_owner
--

CREATE INDEX "files_bytes_to_remove_idx" ON "storage"."files" USING "btree" ("deleted_at") WHERE (("deleted_at" IS NOT NULL) AND ("object_removed_at" IS NULL));

--
-- Name: files_object_key_key; Type: INDEX; Schema: storage; Owner: restartix_owner
--

CREATE UNIQUE INDEX "files_object_key_key" ON "storage"."files" USING "btree" ("object_key");

--
-- Name: files_one_logo; Type: INDEX; Schema: storage; Owner: restartix_owner
--

CREATE UNIQUE INDEX "files_one_logo" ON "storage"."files" USING "btree" ("organization_id") WHERE (("purpose" = 'logo'::"text") AND ("status" = 'ready'::"text") AND ("deleted_at" IS NULL));

--
-- Name: files_organization_idx; Type: INDEX; Schema: storage; Owner: restartix_owner
--

CREATE INDEX "files_organization_idx" ON "storage"."files" USING "btree" ("organization_id", "purpose", "created_at" DESC);

--
-- Name: files_pending_deadline_idx; Type: INDEX; Schema: storage; Owner: restartix_owner
--

CREATE INDEX "files_pending_deadline_idx" ON "storage"."files" USING "btree" ("upload_expires_at") WHERE ("status" = 'pending'::"text");

--
-- Name: files_uploaded_by_idx; Type: INDEX; Schema: storage; Owner: restartix_owner
--

CREATE INDEX "files_uploaded_by_idx" ON "storage"."files" USING "btree" ("uploaded_by") WHERE ("uploaded_by" IS NOT NULL);

--
-- Name: invitations_one_pending_per_email; Type: INDEX; Schema: tenancy; Owner: restartix_owner
--

CREATE UNIQUE INDEX "invitations_one_pending_per_email" ON "tenancy"."invitations" USING "btree" ("organization_id", "email") WHERE (("accepted_at" IS NULL) AND ("revoked_at" IS NULL));

--
-- Name: invitations_org_idx; Type: INDEX; Schema: tenancy; Owner: restartix_owner
--

CREATE INDEX "invitations_org_idx" ON "tenancy"."invitations" USING "btree" ("organization_id", "created_at" DESC);

--
-- Name: organization_domains_domain_org_key; Type: INDEX; Schema: tenancy; Owner: restartix_owner
--

CREATE UNIQUE INDEX "organization_domains_domain_org_key" ON "tenancy"."organization_domains" USING "btree" ("domain", "organization_id");

--
-- Name: organization_domains_one_primary; Type: INDEX; Schema: tenancy; Owner: restartix_owner
--

CREATE UNIQUE INDEX "organization_domains_one_primary" ON "tenancy"."organization_domains" USING "btree" ("organization_id") WHERE "is_primary";

--
-- Name: organization_domains_org_idx; Type: INDEX; Schema: tenancy; Owner: restartix_owner
--

CREATE INDEX "organization_domains_org_idx" ON "tenancy"."organization_domains" USING "btree" ("organization_id");

--
-- Name: organization_domains_verified_key; Type: INDEX; Schema: tenancy; Owner: restartix_owner
--

CREATE UNIQUE INDEX "organization_domains_verified_key" ON "tenancy"."organization_domains" USING "btree" ("domain") WHERE ("verified_at" IS NOT NULL);

--
-- Name: organization_memberships_org_created_idx; Type: INDEX; Schema: tenancy; Owner: restartix_owner
--

CREATE INDEX "organization_memberships_org_created_idx" ON "tenancy"."organization_memberships" USING "btree" ("organization_id", "created_at", "id");

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
-- Name: appointments audit_log_changes; Type: TRIGGER; Schema: appointments; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "appointments"."appointments" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": [], "masked": []}');

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
-- Name: entitlements audit_log_changes; Type: TRIGGER; Schema: billing; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "billing"."entitlements" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["code"], "org": null, "quiet": [], "masked": []}');

--
-- Name: limit_definitions audit_log_changes; Type: TRIGGER; Schema: billing; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "billing"."limit_definitions" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["code"], "org": null, "quiet": [], "masked": []}');

--
-- Name: organization_billing audit_log_changes; Type: TRIGGER; Schema: billing; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "billing"."organization_billing" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["organization_id"], "org": "organization_id", "quiet": [], "masked": ["tax_id_encrypted"]}');

--
-- Name: organization_entitlements audit_log_changes; Type: TRIGGER; Schema: billing; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "billing"."organization_entitlements" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["organization_id", "entitlement_code"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: organization_subscription_entitlements audit_log_changes; Type: TRIGGER; Schema: billing; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "billing"."organization_subscription_entitlements" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["subscription_id", "entitlement_code"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: organization_subscription_limits audit_log_changes; Type: TRIGGER; Schema: billing; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "billing"."organization_subscription_limits" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["subscription_id", "limit_code"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: organization_subscription_overrides audit_log_changes; Type: TRIGGER; Schema: billing; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "billing"."organization_subscription_overrides" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: organization_subscriptions audit_log_changes; Type: TRIGGER; Schema: billing; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "billing"."organization_subscriptions" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: patient_tier_entitlements audit_log_changes; Type: TRIGGER; Schema: billing; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "billing"."patient_tier_entitlements" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["patient_tier_version_id", "entitlement_code"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: patient_tier_limits audit_log_changes; Type: TRIGGER; Schema: billing; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "billing"."patient_tier_limits" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["patient_tier_version_id", "limit_code"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: patient_tier_versions audit_log_changes; Type: TRIGGER; Schema: billing; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "billing"."patient_tier_versions" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: patient_tiers audit_log_changes; Type: TRIGGER; Schema: billing; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "billing"."patient_tiers" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: tier_entitlements audit_log_changes; Type: TRIGGER; Schema: billing; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "billing"."tier_entitlements" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["tier_version_id", "entitlement_code"], "org": null, "quiet": [], "masked": []}');

--
-- Name: tier_limits audit_log_changes; Type: TRIGGER; Schema: billing; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "billing"."tier_limits" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["tier_version_id", "limit_code"], "org": null, "quiet": [], "masked": []}');

--
-- Name: tier_versions audit_log_changes; Type: TRIGGER; Schema: billing; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "billing"."tier_versions" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": null, "quiet": [], "masked": []}');

--
-- Name: tiers audit_log_changes; Type: TRIGGER; Schema: billing; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "billing"."tiers" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": null, "quiet": [], "masked": []}');

--
-- Name: organization_billing organization_billing_touch; Type: TRIGGER; Schema: billing; Owner: restartix_owner
--

CREATE TRIGGER "organization_billing_touch" BEFORE UPDATE ON "billing"."organization_billing" FOR EACH ROW EXECUTE FUNCTION "util"."touch_updated_at"();

--
-- Name: patient_tiers patient_tiers_touch; Type: TRIGGER; Schema: billing; Owner: restartix_owner
--

CREATE TRIGGER "patient_tiers_touch" BEFORE UPDATE ON "billing"."patient_tiers" FOR EACH ROW EXECUTE FUNCTION "util"."touch_updated_at"();

--
-- Name: patient_service_plans audit_log_changes; Type: TRIGGER; Schema: catalog; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "catalog"."patient_service_plans" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: plan_consumptions audit_log_changes; Type: TRIGGER; Schema: catalog; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "catalog"."plan_consumptions" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: products audit_log_changes; Type: TRIGGER; Schema: catalog; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "catalog"."products" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: service_plan_products audit_log_changes; Type: TRIGGER; Schema: catalog; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "catalog"."service_plan_products" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["service_plan_version_id", "product_id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: service_plan_services audit_log_changes; Type: TRIGGER; Schema: catalog; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "catalog"."service_plan_services" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["service_plan_version_id", "service_id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: service_plan_versions audit_log_changes; Type: TRIGGER; Schema: catalog; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "catalog"."service_plan_versions" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: service_plans audit_log_changes; Type: TRIGGER; Schema: catalog; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "catalog"."service_plans" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: services audit_log_changes; Type: TRIGGER; Schema: catalog; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "catalog"."services" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: patient_service_plans patient_service_plans_touch; Type: TRIGGER; Schema: catalog; Owner: restartix_owner
--

CREATE TRIGGER "patient_service_plans_touch" BEFORE UPDATE ON "catalog"."patient_service_plans" FOR EACH ROW EXECUTE FUNCTION "util"."touch_updated_at"();

--
-- Name: products products_touch; Type: TRIGGER; Schema: catalog; Owner: restartix_owner
--

CREATE TRIGGER "products_touch" BEFORE UPDATE ON "catalog"."products" FOR EACH ROW EXECUTE FUNCTION "util"."touch_updated_at"();

--
-- Name: service_plan_products service_plan_products_immutable; Type: TRIGGER; Schema: catalog; Owner: restartix_owner
--

CREATE TRIGGER "service_plan_products_immutable" BEFORE UPDATE ON "catalog"."service_plan_products" FOR EACH ROW EXECUTE FUNCTION "catalog"."refuse_version_change"();

--
-- Name: service_plan_services service_plan_services_immutable; Type: TRIGGER; Schema: catalog; Owner: restartix_owner
--

CREATE TRIGGER "service_plan_services_immutable" BEFORE UPDATE ON "catalog"."service_plan_services" FOR EACH ROW EXECUTE FUNCTION "catalog"."refuse_version_change"();

--
-- Name: service_plan_versions service_plan_versions_immutable; Type: TRIGGER; Schema: catalog; Owner: restartix_owner
--

CREATE TRIGGER "service_plan_versions_immutable" BEFORE UPDATE ON "catalog"."service_plan_versions" FOR EACH ROW EXECUTE FUNCTION "catalog"."refuse_version_change"();

--
-- Name: service_plans service_plans_touch; Type: TRIGGER; Schema: catalog; Owner: restartix_owner
--

CREATE TRIGGER "service_plans_touch" BEFORE UPDATE ON "catalog"."service_plans" FOR EACH ROW EXECUTE FUNCTION "util"."touch_updated_at"();

--
-- Name: services services_touch; Type: TRIGGER; Schema: catalog; Owner: restartix_owner
--

CREATE TRIGGER "services_touch" BEFORE UPDATE ON "catalog"."services" FOR EACH ROW EXECUTE FUNCTION "util"."touch_updated_at"();

--
-- Name: consents audit_log_changes; Type: TRIGGER; Schema: consent; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "consent"."consents" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: documents audit_log_changes; Type: TRIGGER; Schema: consent; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "consent"."documents" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: purposes audit_log_changes; Type: TRIGGER; Schema: consent; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "consent"."purposes" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["code"], "org": null, "quiet": [], "masked": []}');

--
-- Name: consents consents_append_only; Type: TRIGGER; Schema: consent; Owner: restartix_owner
--

CREATE TRIGGER "consents_append_only" BEFORE DELETE OR UPDATE ON "consent"."consents" FOR EACH ROW EXECUTE FUNCTION "consent"."refuse_change"();

--
-- Name: consents consents_no_truncate; Type: TRIGGER; Schema: consent; Owner: restartix_owner
--

CREATE TRIGGER "consents_no_truncate" BEFORE TRUNCATE ON "consent"."consents" FOR EACH STATEMENT EXECUTE FUNCTION "consent"."refuse_change"();

--
-- Name: documents documents_append_only; Type: TRIGGER; Schema: consent; Owner: restartix_owner
--

CREATE TRIGGER "documents_append_only" BEFORE DELETE OR UPDATE ON "consent"."documents" FOR EACH ROW EXECUTE FUNCTION "consent"."refuse_change"();

--
-- Name: documents documents_no_truncate; Type: TRIGGER; Schema: consent; Owner: restartix_owner
--

CREATE TRIGGER "documents_no_truncate" BEFORE TRUNCATE ON "consent"."documents" FOR EACH STATEMENT EXECUTE FUNCTION "consent"."refuse_change"();

--
-- Name: organization_data_keys audit_log_changes; Type: TRIGGER; Schema: crypto; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "crypto"."organization_data_keys" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["organization_id", "version"], "org": "organization_id", "quiet": [], "masked": ["data_key_encrypted"]}');

--
-- Name: organization_data_keys organization_data_keys_guard; Type: TRIGGER; Schema: crypto; Owner: restartix_owner
--

CREATE TRIGGER "organization_data_keys_guard" BEFORE DELETE OR UPDATE ON "crypto"."organization_data_keys" FOR EACH ROW EXECUTE FUNCTION "crypto"."guard_data_key_change"();

--
-- Name: consumers audit_log_changes; Type: TRIGGER; Schema: events; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "events"."consumers" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": null, "quiet": [], "masked": []}');

--
-- Name: consumers consumers_forget_deliveries; Type: TRIGGER; Schema: events; Owner: restartix_owner
--

CREATE TRIGGER "consumers_forget_deliveries" AFTER DELETE ON "events"."consumers" FOR EACH ROW EXECUTE FUNCTION "events"."forget_consumer_deliveries"();

--
-- Name: consumers consumers_route; Type: TRIGGER; Schema: events; Owner: restartix_owner
--

CREATE TRIGGER "consumers_route" AFTER INSERT OR DELETE OR UPDATE OF "types", "enabled" ON "events"."consumers" FOR EACH STATEMENT EXECUTE FUNCTION "events"."on_routing_change"();

--
-- Name: event_types event_types_route; Type: TRIGGER; Schema: events; Owner: restartix_owner
--

CREATE TRIGGER "event_types_route" AFTER INSERT OR DELETE OR UPDATE ON "events"."event_types" FOR EACH STATEMENT EXECUTE FUNCTION "events"."on_routing_change"();

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
-- Name: role_permissions role_permissions_publish_added; Type: TRIGGER; Schema: iam; Owner: restartix_owner
--

CREATE TRIGGER "role_permissions_publish_added" AFTER INSERT ON "iam"."role_permissions" REFERENCING NEW TABLE AS "role_permissions_added" FOR EACH STATEMENT EXECUTE FUNCTION "events"."on_role_permissions_change"();

--
-- Name: role_permissions role_permissions_publish_removed; Type: TRIGGER; Schema: iam; Owner: restartix_owner
--

CREATE TRIGGER "role_permissions_publish_removed" AFTER DELETE ON "iam"."role_permissions" REFERENCING OLD TABLE AS "role_permissions_removed" FOR EACH STATEMENT EXECUTE FUNCTION "events"."on_role_permissions_change"();

--
-- Name: roles roles_publish; Type: TRIGGER; Schema: iam; Owner: restartix_owner
--

CREATE TRIGGER "roles_publish" AFTER INSERT OR DELETE OR UPDATE ON "iam"."roles" FOR EACH ROW EXECUTE FUNCTION "events"."on_role_change"();

--
-- Name: roles roles_touch; Type: TRIGGER; Schema: iam; Owner: restartix_owner
--

CREATE TRIGGER "roles_touch" BEFORE UPDATE ON "iam"."roles" FOR EACH ROW EXECUTE FUNCTION "util"."touch_updated_at"();

--
-- Name: organization_integrations audit_log_changes; Type: TRIGGER; Schema: integrations; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "integrations"."organization_integrations" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": [], "masked": ["credentials_encrypted"]}');

--
-- Name: platform_service_providers audit_log_changes; Type: TRIGGER; Schema: integrations; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "integrations"."platform_service_providers" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": [], "masked": ["credentials_encrypted"]}');

--
-- Name: organization_integrations organization_integrations_forget_credentials; Type: TRIGGER; Schema: integrations; Owner: restartix_owner
--

CREATE TRIGGER "organization_integrations_forget_credentials" BEFORE INSERT OR UPDATE ON "integrations"."organization_integrations" FOR EACH ROW EXECUTE FUNCTION "integrations"."forget_revoked_credentials"();

--
-- Name: organization_integrations organization_integrations_touch; Type: TRIGGER; Schema: integrations; Owner: restartix_owner
--

CREATE TRIGGER "organization_integrations_touch" BEFORE UPDATE ON "integrations"."organization_integrations" FOR EACH ROW EXECUTE FUNCTION "util"."touch_updated_at"();

--
-- Name: platform_service_providers platform_service_providers_touch; Type: TRIGGER; Schema: integrations; Owner: restartix_owner
--

CREATE TRIGGER "platform_service_providers_touch" BEFORE UPDATE ON "integrations"."platform_service_providers" FOR EACH ROW EXECUTE FUNCTION "util"."touch_updated_at"();

--
-- Name: meters audit_log_changes; Type: TRIGGER; Schema: metering; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "metering"."meters" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["code"], "org": null, "quiet": [], "masked": []}');

--
-- Name: patient_caregivers audit_log_changes; Type: TRIGGER; Schema: people; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "people"."patient_caregivers" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": null, "quiet": [], "masked": []}');

--
-- Name: patient_profiles audit_log_changes; Type: TRIGGER; Schema: people; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "people"."patient_profiles" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": null, "quiet": [], "masked": []}');

--
-- Name: patient_subscription_entitlements audit_log_changes; Type: TRIGGER; Schema: people; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "people"."patient_subscription_entitlements" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["subscription_id", "entitlement_code"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: patient_subscription_limits audit_log_changes; Type: TRIGGER; Schema: people; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "people"."patient_subscription_limits" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["subscription_id", "limit_code"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: patient_subscription_overrides audit_log_changes; Type: TRIGGER; Schema: people; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "people"."patient_subscription_overrides" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: patient_subscriptions audit_log_changes; Type: TRIGGER; Schema: people; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "people"."patient_subscriptions" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: patients audit_log_changes; Type: TRIGGER; Schema: people; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "people"."patients" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: specialist_specialties audit_log_changes; Type: TRIGGER; Schema: people; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "people"."specialist_specialties" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["specialist_id", "specialty_id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: specialists audit_log_changes; Type: TRIGGER; Schema: people; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "people"."specialists" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: specialties audit_log_changes; Type: TRIGGER; Schema: people; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "people"."specialties" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: patient_caregivers patient_caregivers_touch; Type: TRIGGER; Schema: people; Owner: restartix_owner
--

CREATE TRIGGER "patient_caregivers_touch" BEFORE UPDATE ON "people"."patient_caregivers" FOR EACH ROW EXECUTE FUNCTION "util"."touch_updated_at"();

--
-- Name: patient_profiles patient_profiles_touch; Type: TRIGGER; Schema: people; Owner: restartix_owner
--

CREATE TRIGGER "patient_profiles_touch" BEFORE UPDATE ON "people"."patient_profiles" FOR EACH ROW EXECUTE FUNCTION "util"."touch_updated_at"();

--
-- Name: patient_subscriptions patient_subscriptions_touch; Type: TRIGGER; Schema: people; Owner: restartix_owner
--

CREATE TRIGGER "patient_subscriptions_touch" BEFORE UPDATE ON "people"."patient_subscriptions" FOR EACH ROW EXECUTE FUNCTION "util"."touch_updated_at"();

--
-- Name: patients patients_subscribe; Type: TRIGGER; Schema: people; Owner: restartix_owner
--

CREATE TRIGGER "patients_subscribe" AFTER INSERT ON "people"."patients" FOR EACH ROW EXECUTE FUNCTION "people"."subscribe_new_patient"();

--
-- Name: patients patients_touch; Type: TRIGGER; Schema: people; Owner: restartix_owner
--

CREATE TRIGGER "patients_touch" BEFORE UPDATE ON "people"."patients" FOR EACH ROW EXECUTE FUNCTION "util"."touch_updated_at"();

--
-- Name: specialists specialists_touch; Type: TRIGGER; Schema: people; Owner: restartix_owner
--

CREATE TRIGGER "specialists_touch" BEFORE UPDATE ON "people"."specialists" FOR EACH ROW EXECUTE FUNCTION "util"."touch_updated_at"();

--
-- Name: specialties specialties_touch; Type: TRIGGER; Schema: people; Owner: restartix_owner
--

CREATE TRIGGER "specialties_touch" BEFORE UPDATE ON "people"."specialties" FOR EACH ROW EXECUTE FUNCTION "util"."touch_updated_at"();

--
-- Name: calendar_specialists audit_log_changes; Type: TRIGGER; Schema: scheduling; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "scheduling"."calendar_specialists" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["calendar_id", "specialist_id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: calendars audit_log_changes; Type: TRIGGER; Schema: scheduling; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "scheduling"."calendars" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: organization_closures audit_log_changes; Type: TRIGGER; Schema: scheduling; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "scheduling"."organization_closures" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: specialist_assignment_tracking audit_log_changes; Type: TRIGGER; Schema: scheduling; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "scheduling"."specialist_assignment_tracking" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["calendar_id", "specialist_id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: specialist_schedule_overrides audit_log_changes; Type: TRIGGER; Schema: scheduling; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "scheduling"."specialist_schedule_overrides" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: specialist_weekly_hours audit_log_changes; Type: TRIGGER; Schema: scheduling; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "scheduling"."specialist_weekly_hours" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: time_zones audit_log_changes; Type: TRIGGER; Schema: scheduling; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "scheduling"."time_zones" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["name"], "org": null, "quiet": [], "masked": []}');

--
-- Name: calendars calendars_touch; Type: TRIGGER; Schema: scheduling; Owner: restartix_owner
--

CREATE TRIGGER "calendars_touch" BEFORE UPDATE ON "scheduling"."calendars" FOR EACH ROW EXECUTE FUNCTION "util"."touch_updated_at"();

--
-- Name: files audit_log_changes; Type: TRIGGER; Schema: storage; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "storage"."files" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: files files_touch; Type: TRIGGER; Schema: storage; Owner: restartix_owner
--

CREATE TRIGGER "files_touch" BEFORE UPDATE ON "storage"."files" FOR EACH ROW EXECUTE FUNCTION "util"."touch_updated_at"();

--
-- Name: invitations audit_log_changes; Type: TRIGGER; Schema: tenancy; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "tenancy"."invitations" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: organization_domains audit_log_changes; Type: TRIGGER; Schema: tenancy; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "tenancy"."organization_domains" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: organization_memberships audit_log_changes; Type: TRIGGER; Schema: tenancy; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "tenancy"."organization_memberships" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "organization_id", "quiet": ["last_used_at"], "masked": []}');

--
-- Name: organization_settings audit_log_changes; Type: TRIGGER; Schema: tenancy; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "tenancy"."organization_settings" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["organization_id"], "org": "organization_id", "quiet": [], "masked": []}');

--
-- Name: organizations audit_log_changes; Type: TRIGGER; Schema: tenancy; Owner: restartix_owner
--

CREATE TRIGGER "audit_log_changes" AFTER INSERT OR DELETE OR UPDATE ON "tenancy"."organizations" FOR EACH ROW EXECUTE FUNCTION "audit"."log_change"('{"key": ["id"], "org": "id", "quiet": [], "masked": []}');

--
-- Name: invitations invitations_publish; Type: TRIGGER; Schema: tenancy; Owner: restartix_owner
--

CREATE TRIGGER "invitations_publish" AFTER INSERT OR UPDATE ON "tenancy"."invitations" FOR EACH ROW EXECUTE FUNCTION "events"."on_invitation_change"();

--
-- Name: organization_domains organization_domains_publish; Type: TRIGGER; Schema: tenancy; Owner: restartix_owner
--

CREATE TRIGGER "organization_domains_publish" AFTER INSERT OR DELETE OR UPDATE OF "verified_at", "is_primary" ON "tenancy"."organization_domains" FOR EACH ROW EXECUTE FUNCTION "events"."on_domain_change"();

--
-- Name: organization_domains organization_domains_touch; Type: TRIGGER; Schema: tenancy; Owner: restartix_owner
--

CREATE TRIGGER "organization_domains_touch" BEFORE UPDATE ON "tenancy"."organization_domains" FOR EACH ROW EXECUTE FUNCTION "util"."touch_updated_at"();

--
-- Name: organization_memberships organization_memberships_publish; Type: TRIGGER; Schema: tenancy; Owner: restartix_owner
--

CREATE TRIGGER "organization_memberships_publish" AFTER INSERT OR DELETE OR UPDATE OF "role_id", "status" ON "tenancy"."organization_memberships" FOR EACH ROW EXECUTE FUNCTION "events"."on_membership_change"();

--
-- Name: organization_memberships organization_memberships_role_in_org; Type: TRIGGER; Schema: tenancy; Owner: restartix_owner
--

CREATE TRIGGER "organization_memberships_role_in_org" BEFORE INSERT OR UPDATE OF "role_id", "organization_id" ON "tenancy"."organization_memberships" FOR EACH ROW EXECUTE FUNCTION "tenancy"."check_membership_role"();

--
-- Name: organization_memberships organization_memberships_touch; Type: TRIGGER; Schema: tenancy; Owner: restartix_owner
--

CREATE TRIGGER "organization_memberships_touch" BEFORE UPDATE ON "tenancy"."organization_memberships" FOR EACH ROW EXECUTE FUNCTION "util"."touch_updated_at"();

--
-- Name: organization_settings organization_settings_touch; Type: TRIGGER; Schema: tenancy; Owner: restartix_owner
--

CREATE TRIGGER "organization_settings_touch" BEFORE UPDATE ON "tenancy"."organization_settings" FOR EACH ROW EXECUTE FUNCTION "util"."touch_updated_at"();

--
-- Name: organizations organizations_provision; Type: TRIGGER; Schema: tenancy; Owner: restartix_owner
--

CREATE TRIGGER "organizations_provision" AFTER INSERT ON "tenancy"."organizations" FOR EACH ROW EXECUTE FUNCTION "billing"."provision_organization"();

--
-- Name: organizations organizations_publish; Type: TRIGGER; Schema: tenancy; Owner: restartix_owner
--

CREATE TRIGGER "organizations_publish" AFTER INSERT OR UPDATE ON "tenancy"."organizations" FOR EACH ROW EXECUTE FUNCTION "events"."on_organization_change"();

--
-- Name: organizations organizations_touch; Type: TRIGGER; Schema: tenancy; Owner: restartix_owner
--

CREATE TRIGGER "organizations_touch" BEFORE UPDATE ON "tenancy"."organizations" FOR EACH ROW EXECUTE FUNCTION "util"."touch_updated_at"();

--
-- Name: appointments appointments_calendar_fkey; Type: FK CONSTRAINT; Schema: appointments; Owner: restartix_owner
--

ALTER TABLE ONLY "appointments"."appointments"
    ADD CONSTRAINT "appointments_calendar_fkey" FOREIGN KEY ("calendar_id", "organization_id") REFERENCES "scheduling"."calendars"("id", "organization_id");

--
-- Name: appointments appointments_organization_id_fkey; Type: FK CONSTRAINT; Schema: appointments; Owner: restartix_owner
--

ALTER TABLE ONLY "appointments"."appointments"
    ADD CONSTRAINT "appointments_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: appointments appointments_patient_fkey; Type: FK CONSTRAINT; Schema: appointments; Owner: restartix_owner
--

ALTER TABLE ONLY "appointments"."appointments"
    ADD CONSTRAINT "appointments_patient_fkey" FOREIGN KEY ("patient_id", "organization_id") REFERENCES "people"."patients"("id", "organization_id");

--
-- Name: appointments appointments_service_fkey; Type: FK CONSTRAINT; Schema: appointments; Owner: restartix_owner
--

ALTER TABLE ONLY "appointments"."appointments"
    ADD CONSTRAINT "appointments_service_fkey" FOREIGN KEY ("service_id", "organization_id") REFERENCES "catalog"."services"("id", "organization_id");

--
-- Name: appointments appointments_specialist_fkey; Type: FK CONSTRAINT; Schema: appointments; Owner: restartix_owner
--

ALTER TABLE ONLY "appointments"."appointments"
    ADD CONSTRAINT "appointments_specialist_fkey" FOREIGN KEY ("specialist_id", "organization_id") REFERENCES "people"."specialists"("id", "organization_id");

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
-- Name: organization_billing organization_billing_current_tier_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."organization_billing"
    ADD CONSTRAINT "organization_billing_current_tier_fkey" FOREIGN KEY ("current_tier_id") REFERENCES "billing"."tiers"("id");

--
-- Name: organization_billing organization_billing_organization_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."organization_billing"
    ADD CONSTRAINT "organization_billing_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: organization_entitlements organization_entitlements_entitlement_code_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."organization_entitlements"
    ADD CONSTRAINT "organization_entitlements_entitlement_code_fkey" FOREIGN KEY ("entitlement_code") REFERENCES "billing"."entitlements"("code");

--
-- Name: organization_entitlements organization_entitlements_organization_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."organization_entitlements"
    ADD CONSTRAINT "organization_entitlements_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: organization_entitlements organization_entitlements_updated_by_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."organization_entitlements"
    ADD CONSTRAINT "organization_entitlements_updated_by_fkey" FOREIGN KEY ("updated_by") REFERENCES "iam"."principals"("id");

--
-- Name: organization_subscription_entitlements organization_subscription_entitlements_entitlement_code_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."organization_subscription_entitlements"
    ADD CONSTRAINT "organization_subscription_entitlements_entitlement_code_fkey" FOREIGN KEY ("entitlement_code") REFERENCES "billing"."entitlements"("code");

--
-- Name: organization_subscription_entitlements organization_subscription_entitlements_organization_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."organization_subscription_entitlements"
    ADD CONSTRAINT "organization_subscription_entitlements_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: organization_subscription_entitlements organization_subscription_entitlements_subscription_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."organization_subscription_entitlements"
    ADD CONSTRAINT "organization_subscription_entitlements_subscription_id_fkey" FOREIGN KEY ("subscription_id") REFERENCES "billing"."organization_subscriptions"("id") ON DELETE CASCADE;

--
-- Name: organization_subscription_limits organization_subscription_limits_limit_code_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."organization_subscription_limits"
    ADD CONSTRAINT "organization_subscription_limits_limit_code_fkey" FOREIGN KEY ("limit_code") REFERENCES "billing"."limit_definitions"("code");

--
-- Name: organization_subscription_limits organization_subscription_limits_organization_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."organization_subscription_limits"
    ADD CONSTRAINT "organization_subscription_limits_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: organization_subscription_limits organization_subscription_limits_subscription_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."organization_subscription_limits"
    ADD CONSTRAINT "organization_subscription_limits_subscription_id_fkey" FOREIGN KEY ("subscription_id") REFERENCES "billing"."organization_subscriptions"("id") ON DELETE CASCADE;

--
-- Name: organization_subscription_overrides organization_subscription_overrides_entitlement_code_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."organization_subscription_overrides"
    ADD CONSTRAINT "organization_subscription_overrides_entitlement_code_fkey" FOREIGN KEY ("entitlement_code") REFERENCES "billing"."entitlements"("code");

--
-- Name: organization_subscription_overrides organization_subscription_overrides_granted_by_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."organization_subscription_overrides"
    ADD CONSTRAINT "organization_subscription_overrides_granted_by_fkey" FOREIGN KEY ("granted_by") REFERENCES "iam"."principals"("id");

--
-- Name: organization_subscription_overrides organization_subscription_overrides_limit_code_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."organization_subscription_overrides"
    ADD CONSTRAINT "organization_subscription_overrides_limit_code_fkey" FOREIGN KEY ("limit_code") REFERENCES "billing"."limit_definitions"("code");

--
-- Name: organization_subscription_overrides organization_subscription_overrides_organization_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."organization_subscription_overrides"
    ADD CONSTRAINT "organization_subscription_overrides_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: organization_subscriptions organization_subscriptions_created_by_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."organization_subscriptions"
    ADD CONSTRAINT "organization_subscriptions_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "iam"."principals"("id");

--
-- Name: organization_subscriptions organization_subscriptions_organization_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."organization_subscriptions"
    ADD CONSTRAINT "organization_subscriptions_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: organization_subscriptions organization_subscriptions_tier_version_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."organization_subscriptions"
    ADD CONSTRAINT "organization_subscriptions_tier_version_id_fkey" FOREIGN KEY ("tier_version_id") REFERENCES "billing"."tier_versions"("id");

--
-- Name: patient_tier_entitlements patient_tier_entitlements_entitlement_code_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."patient_tier_entitlements"
    ADD CONSTRAINT "patient_tier_entitlements_entitlement_code_fkey" FOREIGN KEY ("entitlement_code") REFERENCES "billing"."entitlements"("code");

--
-- Name: patient_tier_entitlements patient_tier_entitlements_organization_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."patient_tier_entitlements"
    ADD CONSTRAINT "patient_tier_entitlements_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: patient_tier_entitlements patient_tier_entitlements_patient_tier_version_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."patient_tier_entitlements"
    ADD CONSTRAINT "patient_tier_entitlements_patient_tier_version_id_fkey" FOREIGN KEY ("patient_tier_version_id") REFERENCES "billing"."patient_tier_versions"("id") ON DELETE CASCADE;

--
-- Name: patient_tier_limits patient_tier_limits_limit_code_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."patient_tier_limits"
    ADD CONSTRAINT "patient_tier_limits_limit_code_fkey" FOREIGN KEY ("limit_code") REFERENCES "billing"."limit_definitions"("code");

--
-- Name: patient_tier_limits patient_tier_limits_organization_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."patient_tier_limits"
    ADD CONSTRAINT "patient_tier_limits_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: patient_tier_limits patient_tier_limits_patient_tier_version_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."patient_tier_limits"
    ADD CONSTRAINT "patient_tier_limits_patient_tier_version_id_fkey" FOREIGN KEY ("patient_tier_version_id") REFERENCES "billing"."patient_tier_versions"("id") ON DELETE CASCADE;

--
-- Name: patient_tier_versions patient_tier_versions_published_by_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."patient_tier_versions"
    ADD CONSTRAINT "patient_tier_versions_published_by_fkey" FOREIGN KEY ("published_by") REFERENCES "iam"."principals"("id");

--
-- Name: patient_tier_versions patient_tier_versions_tier_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."patient_tier_versions"
    ADD CONSTRAINT "patient_tier_versions_tier_fkey" FOREIGN KEY ("patient_tier_id", "organization_id") REFERENCES "billing"."patient_tiers"("id", "organization_id") ON DELETE CASCADE;

--
-- Name: patient_tiers patient_tiers_organization_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."patient_tiers"
    ADD CONSTRAINT "patient_tiers_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: tier_entitlements tier_entitlements_entitlement_code_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."tier_entitlements"
    ADD CONSTRAINT "tier_entitlements_entitlement_code_fkey" FOREIGN KEY ("entitlement_code") REFERENCES "billing"."entitlements"("code");

--
-- Name: tier_entitlements tier_entitlements_tier_version_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."tier_entitlements"
    ADD CONSTRAINT "tier_entitlements_tier_version_id_fkey" FOREIGN KEY ("tier_version_id") REFERENCES "billing"."tier_versions"("id") ON DELETE CASCADE;

--
-- Name: tier_limits tier_limits_limit_code_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."tier_limits"
    ADD CONSTRAINT "tier_limits_limit_code_fkey" FOREIGN KEY ("limit_code") REFERENCES "billing"."limit_definitions"("code");

--
-- Name: tier_limits tier_limits_tier_version_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."tier_limits"
    ADD CONSTRAINT "tier_limits_tier_version_id_fkey" FOREIGN KEY ("tier_version_id") REFERENCES "billing"."tier_versions"("id") ON DELETE CASCADE;

--
-- Name: tier_versions tier_versions_published_by_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."tier_versions"
    ADD CONSTRAINT "tier_versions_published_by_fkey" FOREIGN KEY ("published_by") REFERENCES "iam"."principals"("id");

--
-- Name: tier_versions tier_versions_tier_id_fkey; Type: FK CONSTRAINT; Schema: billing; Owner: restartix_owner
--

ALTER TABLE ONLY "billing"."tier_versions"
    ADD CONSTRAINT "tier_versions_tier_id_fkey" FOREIGN KEY ("tier_id") REFERENCES "billing"."tiers"("id") ON DELETE CASCADE;

--
-- Name: patient_service_plans patient_service_plans_enrolled_by_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."patient_service_plans"
    ADD CONSTRAINT "patient_service_plans_enrolled_by_fkey" FOREIGN KEY ("enrolled_by") REFERENCES "iam"."principals"("id") ON DELETE SET NULL;

--
-- Name: patient_service_plans patient_service_plans_organization_id_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."patient_service_plans"
    ADD CONSTRAINT "patient_service_plans_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: patient_service_plans patient_service_plans_patient_id_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."patient_service_plans"
    ADD CONSTRAINT "patient_service_plans_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "people"."patients"("id") ON DELETE CASCADE;

--
-- Name: patient_service_plans patient_service_plans_plan_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."patient_service_plans"
    ADD CONSTRAINT "patient_service_plans_plan_fkey" FOREIGN KEY ("service_plan_id", "organization_id", "plan_type") REFERENCES "catalog"."service_plans"("id", "organization_id", "plan_type");

--
-- Name: patient_service_plans patient_service_plans_revoked_by_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."patient_service_plans"
    ADD CONSTRAINT "patient_service_plans_revoked_by_fkey" FOREIGN KEY ("revoked_by") REFERENCES "iam"."principals"("id") ON DELETE SET NULL;

--
-- Name: patient_service_plans patient_service_plans_version_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."patient_service_plans"
    ADD CONSTRAINT "patient_service_plans_version_fkey" FOREIGN KEY ("service_plan_version_id", "organization_id") REFERENCES "catalog"."service_plan_versions"("id", "organization_id");

--
-- Name: plan_consumptions plan_consumptions_consumed_by_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."plan_consumptions"
    ADD CONSTRAINT "plan_consumptions_consumed_by_fkey" FOREIGN KEY ("consumed_by") REFERENCES "iam"."principals"("id") ON DELETE SET NULL;

--
-- Name: plan_consumptions plan_consumptions_enrollment_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."plan_consumptions"
    ADD CONSTRAINT "plan_consumptions_enrollment_fkey" FOREIGN KEY ("patient_service_plan_id", "organization_id") REFERENCES "catalog"."patient_service_plans"("id", "organization_id") ON DELETE CASCADE;

--
-- Name: products products_created_by_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."products"
    ADD CONSTRAINT "products_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "iam"."principals"("id") ON DELETE SET NULL;

--
-- Name: products products_organization_id_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."products"
    ADD CONSTRAINT "products_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: service_plan_products service_plan_products_product_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."service_plan_products"
    ADD CONSTRAINT "service_plan_products_product_fkey" FOREIGN KEY ("product_id", "organization_id") REFERENCES "catalog"."products"("id", "organization_id") ON DELETE CASCADE;

--
-- Name: service_plan_products service_plan_products_version_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."service_plan_products"
    ADD CONSTRAINT "service_plan_products_version_fkey" FOREIGN KEY ("service_plan_version_id", "organization_id") REFERENCES "catalog"."service_plan_versions"("id", "organization_id") ON DELETE CASCADE;

--
-- Name: service_plan_services service_plan_services_service_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."service_plan_services"
    ADD CONSTRAINT "service_plan_services_service_fkey" FOREIGN KEY ("service_id", "organization_id") REFERENCES "catalog"."services"("id", "organization_id") ON DELETE CASCADE;

--
-- Name: service_plan_services service_plan_services_version_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."service_plan_services"
    ADD CONSTRAINT "service_plan_services_version_fkey" FOREIGN KEY ("service_plan_version_id", "organization_id") REFERENCES "catalog"."service_plan_versions"("id", "organization_id") ON DELETE CASCADE;

--
-- Name: service_plan_versions service_plan_versions_plan_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."service_plan_versions"
    ADD CONSTRAINT "service_plan_versions_plan_fkey" FOREIGN KEY ("service_plan_id", "organization_id", "plan_type") REFERENCES "catalog"."service_plans"("id", "organization_id", "plan_type") ON DELETE CASCADE;

--
-- Name: service_plan_versions service_plan_versions_published_by_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."service_plan_versions"
    ADD CONSTRAINT "service_plan_versions_published_by_fkey" FOREIGN KEY ("published_by") REFERENCES "iam"."principals"("id") ON DELETE SET NULL;

--
-- Name: service_plans service_plans_created_by_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."service_plans"
    ADD CONSTRAINT "service_plans_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "iam"."principals"("id") ON DELETE SET NULL;

--
-- Name: service_plans service_plans_organization_id_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."service_plans"
    ADD CONSTRAINT "service_plans_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: services services_created_by_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."services"
    ADD CONSTRAINT "services_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "iam"."principals"("id") ON DELETE SET NULL;

--
-- Name: services services_organization_id_fkey; Type: FK CONSTRAINT; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE ONLY "catalog"."services"
    ADD CONSTRAINT "services_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: consents consents_document_fkey; Type: FK CONSTRAINT; Schema: consent; Owner: restartix_owner
--

ALTER TABLE ONLY "consent"."consents"
    ADD CONSTRAINT "consents_document_fkey" FOREIGN KEY ("document_id", "document_version", "purpose") REFERENCES "consent"."documents"("id", "version", "purpose");

--
-- Name: consents consents_organization_id_fkey; Type: FK CONSTRAINT; Schema: consent; Owner: restartix_owner
--

ALTER TABLE ONLY "consent"."consents"
    ADD CONSTRAINT "consents_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id");

--
-- Name: consents consents_purpose_fkey; Type: FK CONSTRAINT; Schema: consent; Owner: restartix_owner
--

ALTER TABLE ONLY "consent"."consents"
    ADD CONSTRAINT "consents_purpose_fkey" FOREIGN KEY ("purpose") REFERENCES "consent"."purposes"("code");

--
-- Name: consents consents_recorded_by_fkey; Type: FK CONSTRAINT; Schema: consent; Owner: restartix_owner
--

ALTER TABLE ONLY "consent"."consents"
    ADD CONSTRAINT "consents_recorded_by_fkey" FOREIGN KEY ("recorded_by") REFERENCES "iam"."principals"("id");

--
-- Name: consents consents_subject_principal_id_fkey; Type: FK CONSTRAINT; Schema: consent; Owner: restartix_owner
--

ALTER TABLE ONLY "consent"."consents"
    ADD CONSTRAINT "consents_subject_principal_id_fkey" FOREIGN KEY ("subject_principal_id") REFERENCES "iam"."principals"("id");

--
-- Name: documents documents_organization_id_fkey; Type: FK CONSTRAINT; Schema: consent; Owner: restartix_owner
--

ALTER TABLE ONLY "consent"."documents"
    ADD CONSTRAINT "documents_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id");

--
-- Name: documents documents_published_by_fkey; Type: FK CONSTRAINT; Schema: consent; Owner: restartix_owner
--

ALTER TABLE ONLY "consent"."documents"
    ADD CONSTRAINT "documents_published_by_fkey" FOREIGN KEY ("published_by") REFERENCES "iam"."principals"("id");

--
-- Name: documents documents_purpose_fkey; Type: FK CONSTRAINT; Schema: consent; Owner: restartix_owner
--

ALTER TABLE ONLY "consent"."documents"
    ADD CONSTRAINT "documents_purpose_fkey" FOREIGN KEY ("purpose") REFERENCES "consent"."purposes"("code");

--
-- Name: organization_data_keys organization_data_keys_organization_fkey; Type: FK CONSTRAINT; Schema: crypto; Owner: restartix_owner
--

ALTER TABLE ONLY "crypto"."organization_data_keys"
    ADD CONSTRAINT "organization_data_keys_organization_fkey" FOREIGN KEY ("tenant_organization_id") REFERENCES "tenancy"."organizations"("id");

--
-- Name: routes routes_event_type_fkey; Type: FK CONSTRAINT; Schema: events; Owner: restartix_owner
--

ALTER TABLE ONLY "events"."routes"
    ADD CONSTRAINT "routes_event_type_fkey" FOREIGN KEY ("type", "version") REFERENCES "events"."event_types"("type", "version") ON UPDATE CASCADE ON DELETE CASCADE;

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
-- Name: organization_integrations organization_integrations_connected_by_fkey; Type: FK CONSTRAINT; Schema: integrations; Owner: restartix_owner
--

ALTER TABLE ONLY "integrations"."organization_integrations"
    ADD CONSTRAINT "organization_integrations_connected_by_fkey" FOREIGN KEY ("connected_by") REFERENCES "iam"."principals"("id");

--
-- Name: organization_integrations organization_integrations_organization_id_fkey; Type: FK CONSTRAINT; Schema: integrations; Owner: restartix_owner
--

ALTER TABLE ONLY "integrations"."organization_integrations"
    ADD CONSTRAINT "organization_integrations_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: platform_service_providers platform_service_providers_created_by_fkey; Type: FK CONSTRAINT; Schema: integrations; Owner: restartix_owner
--

ALTER TABLE ONLY "integrations"."platform_service_providers"
    ADD CONSTRAINT "platform_service_providers_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "iam"."principals"("id");

--
-- Name: platform_service_providers platform_service_providers_organization_id_fkey; Type: FK CONSTRAINT; Schema: integrations; Owner: restartix_owner
--

ALTER TABLE ONLY "integrations"."platform_service_providers"
    ADD CONSTRAINT "platform_service_providers_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: meters meters_limit_code_fkey; Type: FK CONSTRAINT; Schema: metering; Owner: restartix_owner
--

ALTER TABLE ONLY "metering"."meters"
    ADD CONSTRAINT "meters_limit_code_fkey" FOREIGN KEY ("limit_code") REFERENCES "billing"."limit_definitions"("code");

--
-- Name: usage_rollups usage_rollups_meter_fkey; Type: FK CONSTRAINT; Schema: metering; Owner: restartix_owner
--

ALTER TABLE ONLY "metering"."usage_rollups"
    ADD CONSTRAINT "usage_rollups_meter_fkey" FOREIGN KEY ("meter") REFERENCES "metering"."meters"("code");

--
-- Name: usage_rollups usage_rollups_organization_id_fkey; Type: FK CONSTRAINT; Schema: metering; Owner: restartix_owner
--

ALTER TABLE ONLY "metering"."usage_rollups"
    ADD CONSTRAINT "usage_rollups_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id");

--
-- Name: patient_caregivers patient_caregivers_caregiver_human_id_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patient_caregivers"
    ADD CONSTRAINT "patient_caregivers_caregiver_human_id_fkey" FOREIGN KEY ("caregiver_human_id") REFERENCES "iam"."humans"("principal_id") ON DELETE CASCADE;

--
-- Name: patient_caregivers patient_caregivers_created_by_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patient_caregivers"
    ADD CONSTRAINT "patient_caregivers_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "iam"."principals"("id") ON DELETE SET NULL;

--
-- Name: patient_caregivers patient_caregivers_patient_profile_id_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patient_caregivers"
    ADD CONSTRAINT "patient_caregivers_patient_profile_id_fkey" FOREIGN KEY ("patient_profile_id") REFERENCES "people"."patient_profiles"("id") ON DELETE CASCADE;

--
-- Name: patient_profiles patient_profiles_created_by_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patient_profiles"
    ADD CONSTRAINT "patient_profiles_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "iam"."principals"("id") ON DELETE SET NULL;

--
-- Name: patient_profiles patient_profiles_human_id_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patient_profiles"
    ADD CONSTRAINT "patient_profiles_human_id_fkey" FOREIGN KEY ("human_id") REFERENCES "iam"."humans"("principal_id") ON DELETE SET NULL;

--
-- Name: patient_subscription_entitlements patient_subscription_entitlements_entitlement_code_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patient_subscription_entitlements"
    ADD CONSTRAINT "patient_subscription_entitlements_entitlement_code_fkey" FOREIGN KEY ("entitlement_code") REFERENCES "billing"."entitlements"("code");

--
-- Name: patient_subscription_entitlements patient_subscription_entitlements_organization_id_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patient_subscription_entitlements"
    ADD CONSTRAINT "patient_subscription_entitlements_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: patient_subscription_entitlements patient_subscription_entitlements_subscription_id_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patient_subscription_entitlements"
    ADD CONSTRAINT "patient_subscription_entitlements_subscription_id_fkey" FOREIGN KEY ("subscription_id") REFERENCES "people"."patient_subscriptions"("id") ON DELETE CASCADE;

--
-- Name: patient_subscription_limits patient_subscription_limits_limit_code_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patient_subscription_limits"
    ADD CONSTRAINT "patient_subscription_limits_limit_code_fkey" FOREIGN KEY ("limit_code") REFERENCES "billing"."limit_definitions"("code");

--
-- Name: patient_subscription_limits patient_subscription_limits_organization_id_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patient_subscription_limits"
    ADD CONSTRAINT "patient_subscription_limits_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: patient_subscription_limits patient_subscription_limits_subscription_id_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patient_subscription_limits"
    ADD CONSTRAINT "patient_subscription_limits_subscription_id_fkey" FOREIGN KEY ("subscription_id") REFERENCES "people"."patient_subscriptions"("id") ON DELETE CASCADE;

--
-- Name: patient_subscription_overrides patient_subscription_overrides_entitlement_code_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patient_subscription_overrides"
    ADD CONSTRAINT "patient_subscription_overrides_entitlement_code_fkey" FOREIGN KEY ("entitlement_code") REFERENCES "billing"."entitlements"("code");

--
-- Name: patient_subscription_overrides patient_subscription_overrides_granted_by_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patient_subscription_overrides"
    ADD CONSTRAINT "patient_subscription_overrides_granted_by_fkey" FOREIGN KEY ("granted_by") REFERENCES "iam"."principals"("id") ON DELETE SET NULL;

--
-- Name: patient_subscription_overrides patient_subscription_overrides_limit_code_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patient_subscription_overrides"
    ADD CONSTRAINT "patient_subscription_overrides_limit_code_fkey" FOREIGN KEY ("limit_code") REFERENCES "billing"."limit_definitions"("code");

--
-- Name: patient_subscription_overrides patient_subscription_overrides_organization_id_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patient_subscription_overrides"
    ADD CONSTRAINT "patient_subscription_overrides_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: patient_subscription_overrides patient_subscription_overrides_patient_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patient_subscription_overrides"
    ADD CONSTRAINT "patient_subscription_overrides_patient_fkey" FOREIGN KEY ("patient_id", "organization_id") REFERENCES "people"."patients"("id", "organization_id") ON DELETE CASCADE;

--
-- Name: patient_subscriptions patient_subscriptions_created_by_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patient_subscriptions"
    ADD CONSTRAINT "patient_subscriptions_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "iam"."principals"("id") ON DELETE SET NULL;

--
-- Name: patient_subscriptions patient_subscriptions_organization_id_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patient_subscriptions"
    ADD CONSTRAINT "patient_subscriptions_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: patient_subscriptions patient_subscriptions_patient_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patient_subscriptions"
    ADD CONSTRAINT "patient_subscriptions_patient_fkey" FOREIGN KEY ("patient_id", "organization_id") REFERENCES "people"."patients"("id", "organization_id") ON DELETE CASCADE;

--
-- Name: patient_subscriptions patient_subscriptions_version_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patient_subscriptions"
    ADD CONSTRAINT "patient_subscriptions_version_fkey" FOREIGN KEY ("patient_tier_version_id", "organization_id") REFERENCES "billing"."patient_tier_versions"("id", "organization_id");

--
-- Name: patients patients_created_by_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patients"
    ADD CONSTRAINT "patients_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "iam"."principals"("id") ON DELETE SET NULL;

--
-- Name: patients patients_organization_id_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patients"
    ADD CONSTRAINT "patients_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: patients patients_patient_profile_id_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."patients"
    ADD CONSTRAINT "patients_patient_profile_id_fkey" FOREIGN KEY ("patient_profile_id") REFERENCES "people"."patient_profiles"("id") ON DELETE CASCADE;

--
-- Name: specialist_specialties specialist_specialties_created_by_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."specialist_specialties"
    ADD CONSTRAINT "specialist_specialties_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "iam"."principals"("id") ON DELETE SET NULL;

--
-- Name: specialist_specialties specialist_specialties_organization_id_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."specialist_specialties"
    ADD CONSTRAINT "specialist_specialties_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: specialist_specialties specialist_specialties_specialist_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."specialist_specialties"
    ADD CONSTRAINT "specialist_specialties_specialist_fkey" FOREIGN KEY ("specialist_id", "organization_id") REFERENCES "people"."specialists"("id", "organization_id") ON DELETE CASCADE;

--
-- Name: specialist_specialties specialist_specialties_specialty_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."specialist_specialties"
    ADD CONSTRAINT "specialist_specialties_specialty_fkey" FOREIGN KEY ("specialty_id", "organization_id") REFERENCES "people"."specialties"("id", "organization_id") ON DELETE CASCADE;

--
-- Name: specialists specialists_created_by_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."specialists"
    ADD CONSTRAINT "specialists_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "iam"."principals"("id") ON DELETE SET NULL;

--
-- Name: specialists specialists_human_id_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."specialists"
    ADD CONSTRAINT "specialists_human_id_fkey" FOREIGN KEY ("human_id") REFERENCES "iam"."humans"("principal_id") ON DELETE SET NULL;

--
-- Name: specialists specialists_organization_id_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."specialists"
    ADD CONSTRAINT "specialists_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: specialists specialists_signature_file_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."specialists"
    ADD CONSTRAINT "specialists_signature_file_fkey" FOREIGN KEY ("signature_file_id", "organization_id") REFERENCES "storage"."files"("id", "organization_id");

--
-- Name: specialties specialties_created_by_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."specialties"
    ADD CONSTRAINT "specialties_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "iam"."principals"("id") ON DELETE SET NULL;

--
-- Name: specialties specialties_organization_id_fkey; Type: FK CONSTRAINT; Schema: people; Owner: restartix_owner
--

ALTER TABLE ONLY "people"."specialties"
    ADD CONSTRAINT "specialties_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: calendar_specialists calendar_specialists_calendar_fkey; Type: FK CONSTRAINT; Schema: scheduling; Owner: restartix_owner
--

ALTER TABLE ONLY "scheduling"."calendar_specialists"
    ADD CONSTRAINT "calendar_specialists_calendar_fkey" FOREIGN KEY ("calendar_id", "organization_id") REFERENCES "scheduling"."calendars"("id", "organization_id") ON DELETE CASCADE;

--
-- Name: calendar_specialists calendar_specialists_specialist_fkey; Type: FK CONSTRAINT; Schema: scheduling; Owner: restartix_owner
--

ALTER TABLE ONLY "scheduling"."calendar_specialists"
    ADD CONSTRAINT "calendar_specialists_specialist_fkey" FOREIGN KEY ("specialist_id", "organization_id") REFERENCES "people"."specialists"("id", "organization_id") ON DELETE CASCADE;

--
-- Name: calendars calendars_created_by_fkey; Type: FK CONSTRAINT; Schema: scheduling; Owner: restartix_owner
--

ALTER TABLE ONLY "scheduling"."calendars"
    ADD CONSTRAINT "calendars_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "iam"."principals"("id") ON DELETE SET NULL;

--
-- Name: calendars calendars_organization_id_fkey; Type: FK CONSTRAINT; Schema: scheduling; Owner: restartix_owner
--

ALTER TABLE ONLY "scheduling"."calendars"
    ADD CONSTRAINT "calendars_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: calendars calendars_service_fkey; Type: FK CONSTRAINT; Schema: scheduling; Owner: restartix_owner
--

ALTER TABLE ONLY "scheduling"."calendars"
    ADD CONSTRAINT "calendars_service_fkey" FOREIGN KEY ("service_id", "organization_id") REFERENCES "catalog"."services"("id", "organization_id");

--
-- Name: organization_closures organization_closures_organization_id_fkey; Type: FK CONSTRAINT; Schema: scheduling; Owner: restartix_owner
--

ALTER TABLE ONLY "scheduling"."organization_closures"
    ADD CONSTRAINT "organization_closures_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: specialist_assignment_tracking specialist_assignment_tracking_calendar_fkey; Type: FK CONSTRAINT; Schema: scheduling; Owner: restartix_owner
--

ALTER TABLE ONLY "scheduling"."specialist_assignment_tracking"
    ADD CONSTRAINT "specialist_assignment_tracking_calendar_fkey" FOREIGN KEY ("calendar_id", "organization_id") REFERENCES "scheduling"."calendars"("id", "organization_id") ON DELETE CASCADE;

--
-- Name: specialist_assignment_tracking specialist_assignment_tracking_member_fkey; Type: FK CONSTRAINT; Schema: scheduling; Owner: restartix_owner
--

ALTER TABLE ONLY "scheduling"."specialist_assignment_tracking"
    ADD CONSTRAINT "specialist_assignment_tracking_member_fkey" FOREIGN KEY ("calendar_id", "specialist_id") REFERENCES "scheduling"."calendar_specialists"("calendar_id", "specialist_id") ON DELETE CASCADE;

--
-- Name: specialist_schedule_overrides specialist_schedule_overrides_specialist_fkey; Type: FK CONSTRAINT; Schema: scheduling; Owner: restartix_owner
--

ALTER TABLE ONLY "scheduling"."specialist_schedule_overrides"
    ADD CONSTRAINT "specialist_schedule_overrides_specialist_fkey" FOREIGN KEY ("specialist_id", "organization_id") REFERENCES "people"."specialists"("id", "organization_id") ON DELETE CASCADE;

--
-- Name: specialist_weekly_hours specialist_weekly_hours_specialist_fkey; Type: FK CONSTRAINT; Schema: scheduling; Owner: restartix_owner
--

ALTER TABLE ONLY "scheduling"."specialist_weekly_hours"
    ADD CONSTRAINT "specialist_weekly_hours_specialist_fkey" FOREIGN KEY ("specialist_id", "organization_id") REFERENCES "people"."specialists"("id", "organization_id") ON DELETE CASCADE;

--
-- Name: files files_organization_id_fkey; Type: FK CONSTRAINT; Schema: storage; Owner: restartix_owner
--

ALTER TABLE ONLY "storage"."files"
    ADD CONSTRAINT "files_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: files files_uploaded_by_fkey; Type: FK CONSTRAINT; Schema: storage; Owner: restartix_owner
--

ALTER TABLE ONLY "storage"."files"
    ADD CONSTRAINT "files_uploaded_by_fkey" FOREIGN KEY ("uploaded_by") REFERENCES "iam"."principals"("id");

--
-- Name: invitations invitations_accepted_by_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: restartix_owner
--

ALTER TABLE ONLY "tenancy"."invitations"
    ADD CONSTRAINT "invitations_accepted_by_fkey" FOREIGN KEY ("accepted_by") REFERENCES "iam"."principals"("id");

--
-- Name: invitations invitations_invited_by_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: restartix_owner
--

ALTER TABLE ONLY "tenancy"."invitations"
    ADD CONSTRAINT "invitations_invited_by_fkey" FOREIGN KEY ("invited_by") REFERENCES "iam"."principals"("id");

--
-- Name: invitations invitations_organization_id_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: restartix_owner
--

ALTER TABLE ONLY "tenancy"."invitations"
    ADD CONSTRAINT "invitations_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: invitations invitations_role_id_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: restartix_owner
--

ALTER TABLE ONLY "tenancy"."invitations"
    ADD CONSTRAINT "invitations_role_id_fkey" FOREIGN KEY ("role_id") REFERENCES "iam"."roles"("id") ON DELETE CASCADE;

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
-- Name: organization_settings organization_settings_organization_id_fkey; Type: FK CONSTRAINT; Schema: tenancy; Owner: restartix_owner
--

ALTER TABLE ONLY "tenancy"."organization_settings"
    ADD CONSTRAINT "organization_settings_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "tenancy"."organizations"("id") ON DELETE CASCADE;

--
-- Name: appointments; Type: ROW SECURITY; Schema: appointments; Owner: restartix_owner
--

ALTER TABLE "appointments"."appointments" ENABLE ROW LEVEL SECURITY;

--
-- Name: appointments patient readers who read scheduling read their organization's l; Type: POLICY; Schema: appointments; Owner: restartix_owner
--

CREATE POLICY "patient readers who read scheduling read their organization's l" ON "appointments"."appointments" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ("deleted_at" IS NULL) AND ( SELECT "people"."member_holds"('patients.read'::"text") AS "member_holds") AND ( SELECT "people"."member_holds"('scheduling.read'::"text") AS "member_holds")));

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
-- Name: entitlements authenticated principals read the entitlement catalog; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "authenticated principals read the entitlement catalog" ON "billing"."entitlements" FOR SELECT TO "restartix_app" USING ((( SELECT "iam"."current_principal_id"() AS "current_principal_id") IS NOT NULL));

--
-- Name: limit_definitions authenticated principals read the limit catalog; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "authenticated principals read the limit catalog" ON "billing"."limit_definitions" FOR SELECT TO "restartix_app" USING ((( SELECT "iam"."current_principal_id"() AS "current_principal_id") IS NOT NULL));

--
-- Name: tiers authenticated principals read the tier catalog; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "authenticated principals read the tier catalog" ON "billing"."tiers" FOR SELECT TO "restartix_app" USING ((( SELECT "iam"."current_principal_id"() AS "current_principal_id") IS NOT NULL));

--
-- Name: tier_entitlements authenticated principals read tier entitlements; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "authenticated principals read tier entitlements" ON "billing"."tier_entitlements" FOR SELECT TO "restartix_app" USING ((( SELECT "iam"."current_principal_id"() AS "current_principal_id") IS NOT NULL));

--
-- Name: tier_limits authenticated principals read tier limits; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "authenticated principals read tier limits" ON "billing"."tier_limits" FOR SELECT TO "restartix_app" USING ((( SELECT "iam"."current_principal_id"() AS "current_principal_id") IS NOT NULL));

--
-- Name: tier_versions authenticated principals read tier versions; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "authenticated principals read tier versions" ON "billing"."tier_versions" FOR SELECT TO "restartix_app" USING ((( SELECT "iam"."current_principal_id"() AS "current_principal_id") IS NOT NULL));

--
-- Name: organization_billing billing managers edit their organization's billing profile; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "billing managers edit their organization's billing profile" ON "billing"."organization_billing" FOR UPDATE TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('organizations.manage_billing'::"text") AS "has_permission"))) WITH CHECK (("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")));

--
-- Name: organization_billing billing readers read their organization's billing profile; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "billing readers read their organization's billing profile" ON "billing"."organization_billing" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND (( SELECT "iam"."has_permission"('billing.read'::"text") AS "has_permission") OR ( SELECT "iam"."has_permission"('organizations.manage_billing'::"text") AS "has_permission"))));

--
-- Name: organization_subscription_entitlements billing readers read their organization's entitlement snapshot; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "billing readers read their organization's entitlement snapshot" ON "billing"."organization_subscription_entitlements" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('billing.read'::"text") AS "has_permission")));

--
-- Name: organization_subscription_limits billing readers read their organization's limit snapshot; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "billing readers read their organization's limit snapshot" ON "billing"."organization_subscription_limits" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('billing.read'::"text") AS "has_permission")));

--
-- Name: organization_subscription_overrides billing readers read their organization's overrides; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "billing readers read their organization's overrides" ON "billing"."organization_subscription_overrides" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('billing.read'::"text") AS "has_permission")));

--
-- Name: organization_subscriptions billing readers read their organization's subscriptions; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "billing readers read their organization's subscriptions" ON "billing"."organization_subscriptions" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('billing.read'::"text") AS "has_permission")));

--
-- Name: entitlements; Type: ROW SECURITY; Schema: billing; Owner: restartix_owner
--

ALTER TABLE "billing"."entitlements" ENABLE ROW LEVEL SECURITY;

--
-- Name: limit_definitions; Type: ROW SECURITY; Schema: billing; Owner: restartix_owner
--

ALTER TABLE "billing"."limit_definitions" ENABLE ROW LEVEL SECURITY;

--
-- Name: organization_entitlements members read their organization's entitlement toggles; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "members read their organization's entitlement toggles" ON "billing"."organization_entitlements" FOR SELECT TO "restartix_app" USING (("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")));

--
-- Name: patient_tier_limits members read their organization's patient tier limits; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "members read their organization's patient tier limits" ON "billing"."patient_tier_limits" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('patient_tiers.read'::"text") AS "has_permission")));

--
-- Name: patient_tier_entitlements members read their organization's patient tier perks; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "members read their organization's patient tier perks" ON "billing"."patient_tier_entitlements" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('patient_tiers.read'::"text") AS "has_permission")));

--
-- Name: patient_tier_versions members read their organization's patient tier versions; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "members read their organization's patient tier versions" ON "billing"."patient_tier_versions" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('patient_tiers.read'::"text") AS "has_permission")));

--
-- Name: patient_tiers members read their organization's patient tiers; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "members read their organization's patient tiers" ON "billing"."patient_tiers" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('patient_tiers.read'::"text") AS "has_permission")));

--
-- Name: organization_billing; Type: ROW SECURITY; Schema: billing; Owner: restartix_owner
--

ALTER TABLE "billing"."organization_billing" ENABLE ROW LEVEL SECURITY;

--
-- Name: organization_entitlements; Type: ROW SECURITY; Schema: billing; Owner: restartix_owner
--

ALTER TABLE "billing"."organization_entitlements" ENABLE ROW LEVEL SECURITY;

--
-- Name: organization_subscription_entitlements; Type: ROW SECURITY; Schema: billing; Owner: restartix_owner
--

ALTER TABLE "billing"."organization_subscription_entitlements" ENABLE ROW LEVEL SECURITY;

--
-- Name: organization_subscription_limits; Type: ROW SECURITY; Schema: billing; Owner: restartix_owner
--

ALTER TABLE "billing"."organization_subscription_limits" ENABLE ROW LEVEL SECURITY;

--
-- Name: organization_subscription_overrides; Type: ROW SECURITY; Schema: billing; Owner: restartix_owner
--

ALTER TABLE "billing"."organization_subscription_overrides" ENABLE ROW LEVEL SECURITY;

--
-- Name: organization_subscriptions; Type: ROW SECURITY; Schema: billing; Owner: restartix_owner
--

ALTER TABLE "billing"."organization_subscriptions" ENABLE ROW LEVEL SECURITY;

--
-- Name: patient_tiers patient tier managers create patient tiers; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "patient tier managers create patient tiers" ON "billing"."patient_tiers" FOR INSERT TO "restartix_app" WITH CHECK ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('patient_tiers.manage'::"text") AS "has_permission")));

--
-- Name: patient_tiers patient tier managers edit patient tiers; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "patient tier managers edit patient tiers" ON "billing"."patient_tiers" FOR UPDATE TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('patient_tiers.manage'::"text") AS "has_permission"))) WITH CHECK (("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")));

--
-- Name: patient_tier_versions patient tier managers publish versions; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "patient tier managers publish versions" ON "billing"."patient_tier_versions" FOR INSERT TO "restartix_app" WITH CHECK ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('patient_tiers.manage'::"text") AS "has_permission")));

--
-- Name: patient_tier_limits patient tier managers set limits; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "patient tier managers set limits" ON "billing"."patient_tier_limits" FOR INSERT TO "restartix_app" WITH CHECK ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('patient_tiers.manage'::"text") AS "has_permission")));

--
-- Name: patient_tier_entitlements patient tier managers set perks; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "patient tier managers set perks" ON "billing"."patient_tier_entitlements" FOR INSERT TO "restartix_app" WITH CHECK ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('patient_tiers.manage'::"text") AS "has_permission")));

--
-- Name: patient_tier_entitlements; Type: ROW SECURITY; Schema: billing; Owner: restartix_owner
--

ALTER TABLE "billing"."patient_tier_entitlements" ENABLE ROW LEVEL SECURITY;

--
-- Name: patient_tier_limits; Type: ROW SECURITY; Schema: billing; Owner: restartix_owner
--

ALTER TABLE "billing"."patient_tier_limits" ENABLE ROW LEVEL SECURITY;

--
-- Name: patient_tier_versions; Type: ROW SECURITY; Schema: billing; Owner: restartix_owner
--

ALTER TABLE "billing"."patient_tier_versions" ENABLE ROW LEVEL SECURITY;

--
-- Name: patient_tiers; Type: ROW SECURITY; Schema: billing; Owner: restartix_owner
--

ALTER TABLE "billing"."patient_tiers" ENABLE ROW LEVEL SECURITY;

--
-- Name: organization_billing platform staff read every billing profile; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "platform staff read every billing profile" ON "billing"."organization_billing" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_staff"() AS "is_platform_staff"));

--
-- Name: organization_subscription_entitlements platform staff read every entitlement snapshot; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "platform staff read every entitlement snapshot" ON "billing"."organization_subscription_entitlements" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_staff"() AS "is_platform_staff"));

--
-- Name: organization_entitlements platform staff read every entitlement toggle; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "platform staff read every entitlement toggle" ON "billing"."organization_entitlements" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_staff"() AS "is_platform_staff"));

--
-- Name: organization_subscription_limits platform staff read every limit snapshot; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "platform staff read every limit snapshot" ON "billing"."organization_subscription_limits" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_staff"() AS "is_platform_staff"));

--
-- Name: organization_subscription_overrides platform staff read every override; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "platform staff read every override" ON "billing"."organization_subscription_overrides" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_staff"() AS "is_platform_staff"));

--
-- Name: patient_tiers platform staff read every patient tier; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "platform staff read every patient tier" ON "billing"."patient_tiers" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_staff"() AS "is_platform_staff"));

--
-- Name: organization_subscriptions platform staff read every subscription; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "platform staff read every subscription" ON "billing"."organization_subscriptions" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_staff"() AS "is_platform_staff"));

--
-- Name: organization_billing the system pool re-encrypts tax ids; Type: POLICY; Schema: billing; Owner: restartix_owner
--

CREATE POLICY "the system pool re-encrypts tax ids" ON "billing"."organization_billing" TO "restartix_system" USING (("organization_id" = ( SELECT "iam"."current_org_id"() AS "current_org_id"))) WITH CHECK (("organization_id" = ( SELECT "iam"."current_org_id"() AS "current_org_id")));

--
-- Name: tier_entitlements; Type: ROW SECURITY; Schema: billing; Owner: restartix_owner
--

ALTER TABLE "billing"."tier_entitlements" ENABLE ROW LEVEL SECURITY;

--
-- Name: tier_limits; Type: ROW SECURITY; Schema: billing; Owner: restartix_owner
--

ALTER TABLE "billing"."tier_limits" ENABLE ROW LEVEL SECURITY;

--
-- Name: tier_versions; Type: ROW SECURITY; Schema: billing; Owner: restartix_owner
--

ALTER TABLE "billing"."tier_versions" ENABLE ROW LEVEL SECURITY;

--
-- Name: tiers; Type: ROW SECURITY; Schema: billing; Owner: restartix_owner
--

ALTER TABLE "billing"."tiers" ENABLE ROW LEVEL SECURITY;

--
-- Name: services catalog managers read their organization's deleted services; Type: POLICY; Schema: catalog; Owner: restartix_owner
--

CREATE POLICY "catalog managers read their organization's deleted services" ON "catalog"."services" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ("deleted_at" IS NOT NULL) AND ( SELECT "people"."member_holds"('catalog.manage'::"text") AS "member_holds")));

--
-- Name: service_plan_products catalog readers read the products of their organization's plan ; Type: POLICY; Schema: catalog; Owner: restartix_owner
--

CREATE POLICY "catalog readers read the products of their organization's plan " ON "catalog"."service_plan_products" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "people"."member_holds"('catalog.read'::"text") AS "member_holds")));

--
-- Name: service_plan_services catalog readers read the services of their organization's plan ; Type: POLICY; Schema: catalog; Owner: restartix_owner
--

CREATE POLICY "catalog readers read the services of their organization's plan " ON "catalog"."service_plan_services" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "people"."member_holds"('catalog.read'::"text") AS "member_holds")));

--
-- Name: products catalog readers read their organization's live products; Type: POLICY; Schema: catalog; Owner: restartix_owner
--

CREATE POLICY "catalog readers read their organization's live products" ON "catalog"."products" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ("deleted_at" IS NULL) AND ( SELECT "people"."member_holds"('catalog.read'::"text") AS "member_holds")));

--
-- Name: service_plans catalog readers read their organization's live service plans; Type: POLICY; Schema: catalog; Owner: restartix_owner
--

CREATE POLICY "catalog readers read their organization's live service plans" ON "catalog"."service_plans" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ("deleted_at" IS NULL) AND ( SELECT "people"."member_holds"('catalog.read'::"text") AS "member_holds")));

--
-- Name: services catalog readers read their organization's live services; Type: POLICY; Schema: catalog; Owner: restartix_owner
--

CREATE POLICY "catalog readers read their organization's live services" ON "catalog"."services" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ("deleted_at" IS NULL) AND ( SELECT "people"."member_holds"('catalog.read'::"text") AS "member_holds")));

--
-- Name: service_plan_versions catalog readers read their organization's plan versions; Type: POLICY; Schema: catalog; Owner: restartix_owner
--

CREATE POLICY "catalog readers read their organization's plan versions" ON "catalog"."service_plan_versions" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "people"."member_holds"('catalog.read'::"text") AS "member_holds")));

--
-- Name: patient_service_plans patient readers who read the catalog read their organization's ; Type: POLICY; Schema: catalog; Owner: restartix_owner
--

CREATE POLICY "patient readers who read the catalog read their organization's " ON "catalog"."patient_service_plans" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "people"."member_holds"('patients.read'::"text") AS "member_holds") AND ( SELECT "people"."member_holds"('catalog.read'::"text") AS "member_holds")));

--
-- Name: plan_consumptions patient readers who read the catalog read their organization's ; Type: POLICY; Schema: catalog; Owner: restartix_owner
--

CREATE POLICY "patient readers who read the catalog read their organization's " ON "catalog"."plan_consumptions" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "people"."member_holds"('patients.read'::"text") AS "member_holds") AND ( SELECT "people"."member_holds"('catalog.read'::"text") AS "member_holds")));

--
-- Name: patient_service_plans; Type: ROW SECURITY; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE "catalog"."patient_service_plans" ENABLE ROW LEVEL SECURITY;

--
-- Name: plan_consumptions; Type: ROW SECURITY; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE "catalog"."plan_consumptions" ENABLE ROW LEVEL SECURITY;

--
-- Name: products; Type: ROW SECURITY; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE "catalog"."products" ENABLE ROW LEVEL SECURITY;

--
-- Name: service_plan_products; Type: ROW SECURITY; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE "catalog"."service_plan_products" ENABLE ROW LEVEL SECURITY;

--
-- Name: service_plan_services; Type: ROW SECURITY; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE "catalog"."service_plan_services" ENABLE ROW LEVEL SECURITY;

--
-- Name: service_plan_versions; Type: ROW SECURITY; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE "catalog"."service_plan_versions" ENABLE ROW LEVEL SECURITY;

--
-- Name: service_plans; Type: ROW SECURITY; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE "catalog"."service_plans" ENABLE ROW LEVEL SECURITY;

--
-- Name: services; Type: ROW SECURITY; Schema: catalog; Owner: restartix_owner
--

ALTER TABLE "catalog"."services" ENABLE ROW LEVEL SECURITY;

--
-- Name: documents authenticated principals read published documents; Type: POLICY; Schema: consent; Owner: restartix_owner
--

CREATE POLICY "authenticated principals read published documents" ON "consent"."documents" FOR SELECT TO "restartix_app" USING ((( SELECT "iam"."current_principal_id"() AS "current_principal_id") IS NOT NULL));

--
-- Name: purposes authenticated principals read the consent purposes; Type: POLICY; Schema: consent; Owner: restartix_owner
--

CREATE POLICY "authenticated principals read the consent purposes" ON "consent"."purposes" FOR SELECT TO "restartix_app" USING ((( SELECT "iam"."current_principal_id"() AS "current_principal_id") IS NOT NULL));

--
-- Name: consents consent readers read their organization's consents; Type: POLICY; Schema: consent; Owner: restartix_owner
--

CREATE POLICY "consent readers read their organization's consents" ON "consent"."consents" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('consents.read'::"text") AS "has_permission")));

--
-- Name: consents; Type: ROW SECURITY; Schema: consent; Owner: restartix_owner
--

ALTER TABLE "consent"."consents" ENABLE ROW LEVEL SECURITY;

--
-- Name: documents; Type: ROW SECURITY; Schema: consent; Owner: restartix_owner
--

ALTER TABLE "consent"."documents" ENABLE ROW LEVEL SECURITY;

--
-- Name: consents platform staff read every consent; Type: POLICY; Schema: consent; Owner: restartix_owner
--

CREATE POLICY "platform staff read every consent" ON "consent"."consents" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_staff"() AS "is_platform_staff"));

--
-- Name: purposes; Type: ROW SECURITY; Schema: consent; Owner: restartix_owner
--

ALTER TABLE "consent"."purposes" ENABLE ROW LEVEL SECURITY;

--
-- Name: consents subjects read their own consents; Type: POLICY; Schema: consent; Owner: restartix_owner
--

CREATE POLICY "subjects read their own consents" ON "consent"."consents" FOR SELECT TO "restartix_app" USING (("subject_principal_id" = ( SELECT "iam"."current_principal_id"() AS "current_principal_id")));

--
-- Name: documents the system pool reads published documents; Type: POLICY; Schema: consent; Owner: restartix_owner
--

CREATE POLICY "the system pool reads published documents" ON "consent"."documents" FOR SELECT TO "restartix_system" USING (true);

--
-- Name: purposes the system pool reads the consent purposes; Type: POLICY; Schema: consent; Owner: restartix_owner
--

CREATE POLICY "the system pool reads the consent purposes" ON "consent"."purposes" FOR SELECT TO "restartix_system" USING (true);

--
-- Name: organization_data_keys; Type: ROW SECURITY; Schema: crypto; Owner: restartix_owner
--

ALTER TABLE "crypto"."organization_data_keys" ENABLE ROW LEVEL SECURITY;

--
-- Name: organization_data_keys the system pool uses the keys of the organization it acts for; Type: POLICY; Schema: crypto; Owner: restartix_owner
--

CREATE POLICY "the system pool uses the keys of the organization it acts for" ON "crypto"."organization_data_keys" TO "restartix_system" USING (("organization_id" = ( SELECT "iam"."current_org_id"() AS "current_org_id"))) WITH CHECK (("organization_id" = ( SELECT "iam"."current_org_id"() AS "current_org_id")));

--
-- Name: consumers; Type: ROW SECURITY; Schema: events; Owner: restartix_owner
--

ALTER TABLE "events"."consumers" ENABLE ROW LEVEL SECURITY;

--
-- Name: deliveries; Type: ROW SECURITY; Schema: events; Owner: restartix_owner
--

ALTER TABLE "events"."deliveries" ENABLE ROW LEVEL SECURITY;

--
-- Name: delivery_history; Type: ROW SECURITY; Schema: events; Owner: restartix_owner
--

ALTER TABLE "events"."delivery_history" ENABLE ROW LEVEL SECURITY;

--
-- Name: event_types; Type: ROW SECURITY; Schema: events; Owner: restartix_owner
--

ALTER TABLE "events"."event_types" ENABLE ROW LEVEL SECURITY;

--
-- Name: outbox; Type: ROW SECURITY; Schema: events; Owner: restartix_owner
--

ALTER TABLE "events"."outbox" ENABLE ROW LEVEL SECURITY;

--
-- Name: periodic_tasks; Type: ROW SECURITY; Schema: events; Owner: restartix_owner
--

ALTER TABLE "events"."periodic_tasks" ENABLE ROW LEVEL SECURITY;

--
-- Name: routes; Type: ROW SECURITY; Schema: events; Owner: restartix_owner
--

ALTER TABLE "events"."routes" ENABLE ROW LEVEL SECURITY;

--
-- Name: outbox the system pool reads every event; Type: POLICY; Schema: events; Owner: restartix_owner
--

CREATE POLICY "the system pool reads every event" ON "events"."outbox" FOR SELECT TO "restartix_system" USING (true);

--
-- Name: consumers the system pool reads the consumers; Type: POLICY; Schema: events; Owner: restartix_owner
--

CREATE POLICY "the system pool reads the consumers" ON "events"."consumers" FOR SELECT TO "restartix_system" USING (true);

--
-- Name: event_types the system pool reads the event catalog; Type: POLICY; Schema: events; Owner: restartix_owner
--

CREATE POLICY "the system pool reads the event catalog" ON "events"."event_types" FOR SELECT TO "restartix_system" USING (true);

--
-- Name: delivery_history the system pool reads the record of completed deliveries; Type: POLICY; Schema: events; Owner: restartix_owner
--

CREATE POLICY "the system pool reads the record of completed deliveries" ON "events"."delivery_history" FOR SELECT TO "restartix_system" USING (true);

--
-- Name: deliveries the system pool reads what each consumer is owed; Type: POLICY; Schema: events; Owner: restartix_owner
--

CREATE POLICY "the system pool reads what each consumer is owed" ON "events"."deliveries" FOR SELECT TO "restartix_system" USING (true);

--
-- Name: routes the system pool reads which consumers each type goes to; Type: POLICY; Schema: events; Owner: restartix_owner
--

CREATE POLICY "the system pool reads which consumers each type goes to" ON "events"."routes" FOR SELECT TO "restartix_system" USING (true);

--
-- Name: periodic_tasks the system pool runs and records periodic tasks; Type: POLICY; Schema: events; Owner: restartix_owner
--

CREATE POLICY "the system pool runs and records periodic tasks" ON "events"."periodic_tasks" TO "restartix_system" USING (true) WITH CHECK (true);

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
-- Name: roles principals read the custom roles they hold; Type: POLICY; Schema: iam; Owner: restartix_owner
--

CREATE POLICY "principals read the custom roles they hold" ON "iam"."roles" FOR SELECT TO "restartix_app" USING ((EXISTS ( SELECT 1
   FROM "tenancy"."organization_memberships" "m"
  WHERE (("m"."role_id" = "roles"."id") AND ("m"."principal_id" = ( SELECT "iam"."current_principal_id"() AS "current_principal_id"))))));

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
-- Name: organization_integrations integration managers change their organization's integrations; Type: POLICY; Schema: integrations; Owner: restartix_owner
--

CREATE POLICY "integration managers change their organization's integrations" ON "integrations"."organization_integrations" FOR UPDATE TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('integrations.manage'::"text") AS "has_permission"))) WITH CHECK (("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")));

--
-- Name: organization_integrations integration managers connect integrations; Type: POLICY; Schema: integrations; Owner: restartix_owner
--

CREATE POLICY "integration managers connect integrations" ON "integrations"."organization_integrations" FOR INSERT TO "restartix_app" WITH CHECK ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('integrations.manage'::"text") AS "has_permission")));

--
-- Name: organization_integrations integration managers disconnect their organization's integratio; Type: POLICY; Schema: integrations; Owner: restartix_owner
--

CREATE POLICY "integration managers disconnect their organization's integratio" ON "integrations"."organization_integrations" FOR DELETE TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('integrations.manage'::"text") AS "has_permission")));

--
-- Name: organization_integrations integration managers read their organization's integrations; Type: POLICY; Schema: integrations; Owner: restartix_owner
--

CREATE POLICY "integration managers read their organization's integrations" ON "integrations"."organization_integrations" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('integrations.manage'::"text") AS "has_permission")));

--
-- Name: organization_integrations; Type: ROW SECURITY; Schema: integrations; Owner: restartix_owner
--

ALTER TABLE "integrations"."organization_integrations" ENABLE ROW LEVEL SECURITY;

--
-- Name: platform_service_providers platform admins add service providers; Type: POLICY; Schema: integrations; Owner: restartix_owner
--

CREATE POLICY "platform admins add service providers" ON "integrations"."platform_service_providers" FOR INSERT TO "restartix_app" WITH CHECK (( SELECT "iam"."is_platform_admin"() AS "is_platform_admin"));

--
-- Name: platform_service_providers platform admins change service providers; Type: POLICY; Schema: integrations; Owner: restartix_owner
--

CREATE POLICY "platform admins change service providers" ON "integrations"."platform_service_providers" FOR UPDATE TO "restartix_app" USING (( SELECT "iam"."is_platform_admin"() AS "is_platform_admin")) WITH CHECK (( SELECT "iam"."is_platform_admin"() AS "is_platform_admin"));

--
-- Name: platform_service_providers platform admins remove service providers; Type: POLICY; Schema: integrations; Owner: restartix_owner
--

CREATE POLICY "platform admins remove service providers" ON "integrations"."platform_service_providers" FOR DELETE TO "restartix_app" USING (( SELECT "iam"."is_platform_admin"() AS "is_platform_admin"));

--
-- Name: organization_integrations platform staff read every integration; Type: POLICY; Schema: integrations; Owner: restartix_owner
--

CREATE POLICY "platform staff read every integration" ON "integrations"."organization_integrations" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_staff"() AS "is_platform_staff"));

--
-- Name: platform_service_providers platform staff read the service providers; Type: POLICY; Schema: integrations; Owner: restartix_owner
--

CREATE POLICY "platform staff read the service providers" ON "integrations"."platform_service_providers" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_staff"() AS "is_platform_staff"));

--
-- Name: platform_service_providers; Type: ROW SECURITY; Schema: integrations; Owner: restartix_owner
--

ALTER TABLE "integrations"."platform_service_providers" ENABLE ROW LEVEL SECURITY;

--
-- Name: platform_service_providers the system pool reads the service providers it calls; Type: POLICY; Schema: integrations; Owner: restartix_owner
--

CREATE POLICY "the system pool reads the service providers it calls" ON "integrations"."platform_service_providers" FOR SELECT TO "restartix_system" USING (true);

--
-- Name: organization_integrations the system pool records the state of the organization's integra; Type: POLICY; Schema: integrations; Owner: restartix_owner
--

CREATE POLICY "the system pool records the state of the organization's integra" ON "integrations"."organization_integrations" FOR UPDATE TO "restartix_system" USING (("organization_id" = ( SELECT "iam"."current_org_id"() AS "current_org_id"))) WITH CHECK (("organization_id" = ( SELECT "iam"."current_org_id"() AS "current_org_id")));

--
-- Name: organization_integrations the system pool uses the integrations of the organization it ac; Type: POLICY; Schema: integrations; Owner: restartix_owner
--

CREATE POLICY "the system pool uses the integrations of the organization it ac" ON "integrations"."organization_integrations" FOR SELECT TO "restartix_system" USING (("organization_id" = ( SELECT "iam"."current_org_id"() AS "current_org_id")));

--
-- Name: meters authenticated principals read the meters; Type: POLICY; Schema: metering; Owner: restartix_owner
--

CREATE POLICY "authenticated principals read the meters" ON "metering"."meters" FOR SELECT TO "restartix_app" USING ((( SELECT "iam"."current_principal_id"() AS "current_principal_id") IS NOT NULL));

--
-- Name: meters; Type: ROW SECURITY; Schema: metering; Owner: restartix_owner
--

ALTER TABLE "metering"."meters" ENABLE ROW LEVEL SECURITY;

--
-- Name: usage_rollups platform staff read all usage; Type: POLICY; Schema: metering; Owner: restartix_owner
--

CREATE POLICY "platform staff read all usage" ON "metering"."usage_rollups" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_staff"() AS "is_platform_staff"));

--
-- Name: usage_events platform staff read every usage event; Type: POLICY; Schema: metering; Owner: restartix_owner
--

CREATE POLICY "platform staff read every usage event" ON "metering"."usage_events" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_staff"() AS "is_platform_staff"));

--
-- Name: meters the system pool reads the meters; Type: POLICY; Schema: metering; Owner: restartix_owner
--

CREATE POLICY "the system pool reads the meters" ON "metering"."meters" FOR SELECT TO "restartix_system" USING (true);

--
-- Name: usage_rollups usage readers read their organization's usage; Type: POLICY; Schema: metering; Owner: restartix_owner
--

CREATE POLICY "usage readers read their organization's usage" ON "metering"."usage_rollups" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('usage.read'::"text") AS "has_permission")));

--
-- Name: usage_events usage readers read their organization's usage events; Type: POLICY; Schema: metering; Owner: restartix_owner
--

CREATE POLICY "usage readers read their organization's usage events" ON "metering"."usage_events" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('usage.read'::"text") AS "has_permission")));

--
-- Name: usage_event_keys; Type: ROW SECURITY; Schema: metering; Owner: restartix_owner
--

ALTER TABLE "metering"."usage_event_keys" ENABLE ROW LEVEL SECURITY;

--
-- Name: usage_events; Type: ROW SECURITY; Schema: metering; Owner: restartix_owner
--

ALTER TABLE "metering"."usage_events" ENABLE ROW LEVEL SECURITY;

--
-- Name: usage_rollups; Type: ROW SECURITY; Schema: metering; Owner: restartix_owner
--

ALTER TABLE "metering"."usage_rollups" ENABLE ROW LEVEL SECURITY;

--
-- Name: patient_caregivers caregivers read their own links; Type: POLICY; Schema: people; Owner: restartix_owner
--

CREATE POLICY "caregivers read their own links" ON "people"."patient_caregivers" FOR SELECT TO "restartix_app" USING (("caregiver_human_id" = ( SELECT "iam"."current_principal_id"() AS "current_principal_id")));

--
-- Name: patient_caregivers humans read the caregivers of their own profile; Type: POLICY; Schema: people; Owner: restartix_owner
--

CREATE POLICY "humans read the caregivers of their own profile" ON "people"."patient_caregivers" FOR SELECT TO "restartix_app" USING ((EXISTS ( SELECT 1
   FROM "people"."patient_profiles" "pp"
  WHERE (("pp"."id" = "patient_caregivers"."patient_profile_id") AND ("pp"."human_id" = ( SELECT "iam"."current_principal_id"() AS "current_principal_id"))))));

--
-- Name: patient_subscriptions humans read the subscriptions where they and those they care fo; Type: POLICY; Schema: people; Owner: restartix_owner
--

CREATE POLICY "humans read the subscriptions where they and those they care fo" ON "people"."patient_subscriptions" FOR SELECT TO "restartix_app" USING ((EXISTS ( SELECT 1
   FROM "people"."patients" "pt"
  WHERE (("pt"."id" = "patient_subscriptions"."patient_id") AND ("pt"."patient_profile_id" IN ( SELECT "people"."current_human_patient_profile_ids"() AS "current_human_patient_profile_ids")) AND ("pt"."deleted_at" IS NULL)))));

--
-- Name: patient_profiles humans read their own and their cared-for profiles; Type: POLICY; Schema: people; Owner: restartix_owner
--

CREATE POLICY "humans read their own and their cared-for profiles" ON "people"."patient_profiles" FOR SELECT TO "restartix_app" USING (("id" IN ( SELECT "people"."current_human_patient_profile_ids"() AS "current_human_patient_profile_ids")));

--
-- Name: patients humans read where they and those they care for are patients; Type: POLICY; Schema: people; Owner: restartix_owner
--

CREATE POLICY "humans read where they and those they care for are patients" ON "people"."patients" FOR SELECT TO "restartix_app" USING ((("patient_profile_id" IN ( SELECT "people"."current_human_patient_profile_ids"() AS "current_human_patient_profile_ids")) AND ("deleted_at" IS NULL)));

--
-- Name: specialists members read their organization's live specialists; Type: POLICY; Schema: people; Owner: restartix_owner
--

CREATE POLICY "members read their organization's live specialists" ON "people"."specialists" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ("deleted_at" IS NULL)));

--
-- Name: specialist_specialties members read their organization's specialist specialties; Type: POLICY; Schema: people; Owner: restartix_owner
--

CREATE POLICY "members read their organization's specialist specialties" ON "people"."specialist_specialties" FOR SELECT TO "restartix_app" USING (("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")));

--
-- Name: specialties members read their organization's specialties; Type: POLICY; Schema: people; Owner: restartix_owner
--

CREATE POLICY "members read their organization's specialties" ON "people"."specialties" FOR SELECT TO "restartix_app" USING (("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")));

--
-- Name: patient_caregivers patient readers read the caregivers of their organization's pat; Type: POLICY; Schema: people; Owner: restartix_owner
--

CREATE POLICY "patient readers read the caregivers of their organization's pat" ON "people"."patient_caregivers" FOR SELECT TO "restartix_app" USING ((( SELECT "people"."member_holds"('patients.read'::"text") AS "member_holds") AND (EXISTS ( SELECT 1
   FROM "people"."patients" "pt"
  WHERE (("pt"."patient_profile_id" = "patient_caregivers"."patient_profile_id") AND ("pt"."organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ("pt"."deleted_at" IS NULL))))));

--
-- Name: patients patient readers read their organization's live patients; Type: POLICY; Schema: people; Owner: restartix_owner
--

CREATE POLICY "patient readers read their organization's live patients" ON "people"."patients" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ("deleted_at" IS NULL) AND ( SELECT "people"."member_holds"('patients.read'::"text") AS "member_holds")));

--
-- Name: patient_subscription_overrides patient readers read their organization's patient overrides; Type: POLICY; Schema: people; Owner: restartix_owner
--

CREATE POLICY "patient readers read their organization's patient overrides" ON "people"."patient_subscription_overrides" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "people"."member_holds"('patients.read'::"text") AS "member_holds")));

--
-- Name: patient_subscriptions patient readers read their organization's patient subscriptions; Type: POLICY; Schema: people; Owner: restartix_owner
--

CREATE POLICY "patient readers read their organization's patient subscriptions" ON "people"."patient_subscriptions" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "people"."member_holds"('patients.read'::"text") AS "member_holds")));

--
-- Name: patient_caregivers; Type: ROW SECURITY; Schema: people; Owner: restartix_owner
--

ALTER TABLE "people"."patient_caregivers" ENABLE ROW LEVEL SECURITY;

--
-- Name: patient_profiles; Type: ROW SECURITY; Schema: people; Owner: restartix_owner
--

ALTER TABLE "people"."patient_profiles" ENABLE ROW LEVEL SECURITY;

--
-- Name: patient_subscription_entitlements; Type: ROW SECURITY; Schema: people; Owner: restartix_owner
--

ALTER TABLE "people"."patient_subscription_entitlements" ENABLE ROW LEVEL SECURITY;

--
-- Name: patient_subscription_limits; Type: ROW SECURITY; Schema: people; Owner: restartix_owner
--

ALTER TABLE "people"."patient_subscription_limits" ENABLE ROW LEVEL SECURITY;

--
-- Name: patient_subscription_overrides; Type: ROW SECURITY; Schema: people; Owner: restartix_owner
--

ALTER TABLE "people"."patient_subscription_overrides" ENABLE ROW LEVEL SECURITY;

--
-- Name: patient_subscriptions; Type: ROW SECURITY; Schema: people; Owner: restartix_owner
--

ALTER TABLE "people"."patient_subscriptions" ENABLE ROW LEVEL SECURITY;

--
-- Name: patients; Type: ROW SECURITY; Schema: people; Owner: restartix_owner
--

ALTER TABLE "people"."patients" ENABLE ROW LEVEL SECURITY;

--
-- Name: specialists platform staff read every specialist; Type: POLICY; Schema: people; Owner: restartix_owner
--

CREATE POLICY "platform staff read every specialist" ON "people"."specialists" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_staff"() AS "is_platform_staff"));

--
-- Name: specialist_specialties platform staff read every specialist specialty; Type: POLICY; Schema: people; Owner: restartix_owner
--

CREATE POLICY "platform staff read every specialist specialty" ON "people"."specialist_specialties" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_staff"() AS "is_platform_staff"));

--
-- Name: specialties platform staff read every specialty; Type: POLICY; Schema: people; Owner: restartix_owner
--

CREATE POLICY "platform staff read every specialty" ON "people"."specialties" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_staff"() AS "is_platform_staff"));

--
-- Name: patient_subscription_limits readers of a patient subscription read its limit snapshot; Type: POLICY; Schema: people; Owner: restartix_owner
--

CREATE POLICY "readers of a patient subscription read its limit snapshot" ON "people"."patient_subscription_limits" FOR SELECT TO "restartix_app" USING (("subscription_id" IN ( SELECT "s"."id"
   FROM "people"."patient_subscriptions" "s")));

--
-- Name: patient_subscription_entitlements readers of a patient subscription read its perk snapshot; Type: POLICY; Schema: people; Owner: restartix_owner
--

CREATE POLICY "readers of a patient subscription read its perk snapshot" ON "people"."patient_subscription_entitlements" FOR SELECT TO "restartix_app" USING (("subscription_id" IN ( SELECT "s"."id"
   FROM "people"."patient_subscriptions" "s")));

--
-- Name: specialist_specialties; Type: ROW SECURITY; Schema: people; Owner: restartix_owner
--

ALTER TABLE "people"."specialist_specialties" ENABLE ROW LEVEL SECURITY;

--
-- Name: specialists; Type: ROW SECURITY; Schema: people; Owner: restartix_owner
--

ALTER TABLE "people"."specialists" ENABLE ROW LEVEL SECURITY;

--
-- Name: specialties; Type: ROW SECURITY; Schema: people; Owner: restartix_owner
--

ALTER TABLE "people"."specialties" ENABLE ROW LEVEL SECURITY;

--
-- Name: calendar_specialists; Type: ROW SECURITY; Schema: scheduling; Owner: restartix_owner
--

ALTER TABLE "scheduling"."calendar_specialists" ENABLE ROW LEVEL SECURITY;

--
-- Name: calendars; Type: ROW SECURITY; Schema: scheduling; Owner: restartix_owner
--

ALTER TABLE "scheduling"."calendars" ENABLE ROW LEVEL SECURITY;

--
-- Name: organization_closures; Type: ROW SECURITY; Schema: scheduling; Owner: restartix_owner
--

ALTER TABLE "scheduling"."organization_closures" ENABLE ROW LEVEL SECURITY;

--
-- Name: calendar_specialists scheduling readers read the specialists of their organization's; Type: POLICY; Schema: scheduling; Owner: restartix_owner
--

CREATE POLICY "scheduling readers read the specialists of their organization's" ON "scheduling"."calendar_specialists" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "people"."member_holds"('scheduling.read'::"text") AS "member_holds")));

--
-- Name: specialist_assignment_tracking scheduling readers read their organization's assignment trackin; Type: POLICY; Schema: scheduling; Owner: restartix_owner
--

CREATE POLICY "scheduling readers read their organization's assignment trackin" ON "scheduling"."specialist_assignment_tracking" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "people"."member_holds"('scheduling.read'::"text") AS "member_holds")));

--
-- Name: organization_closures scheduling readers read their organization's closures; Type: POLICY; Schema: scheduling; Owner: restartix_owner
--

CREATE POLICY "scheduling readers read their organization's closures" ON "scheduling"."organization_closures" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "people"."member_holds"('scheduling.read'::"text") AS "member_holds")));

--
-- Name: calendars scheduling readers read their organization's live calendars; Type: POLICY; Schema: scheduling; Owner: restartix_owner
--

CREATE POLICY "scheduling readers read their organization's live calendars" ON "scheduling"."calendars" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ("deleted_at" IS NULL) AND ( SELECT "people"."member_holds"('scheduling.read'::"text") AS "member_holds")));

--
-- Name: specialist_schedule_overrides scheduling readers read their organization's schedule overrides; Type: POLICY; Schema: scheduling; Owner: restartix_owner
--

CREATE POLICY "scheduling readers read their organization's schedule overrides" ON "scheduling"."specialist_schedule_overrides" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "people"."member_holds"('scheduling.read'::"text") AS "member_holds")));

--
-- Name: specialist_weekly_hours scheduling readers read their organization's weekly hours; Type: POLICY; Schema: scheduling; Owner: restartix_owner
--

CREATE POLICY "scheduling readers read their organization's weekly hours" ON "scheduling"."specialist_weekly_hours" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "people"."member_holds"('scheduling.read'::"text") AS "member_holds")));

--
-- Name: specialist_assignment_tracking; Type: ROW SECURITY; Schema: scheduling; Owner: restartix_owner
--

ALTER TABLE "scheduling"."specialist_assignment_tracking" ENABLE ROW LEVEL SECURITY;

--
-- Name: specialist_schedule_overrides; Type: ROW SECURITY; Schema: scheduling; Owner: restartix_owner
--

ALTER TABLE "scheduling"."specialist_schedule_overrides" ENABLE ROW LEVEL SECURITY;

--
-- Name: specialist_weekly_hours; Type: ROW SECURITY; Schema: scheduling; Owner: restartix_owner
--

ALTER TABLE "scheduling"."specialist_weekly_hours" ENABLE ROW LEVEL SECURITY;

--
-- Name: files file readers read their organization's files; Type: POLICY; Schema: storage; Owner: restartix_owner
--

CREATE POLICY "file readers read their organization's files" ON "storage"."files" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('files.read'::"text") AS "has_permission")));

--
-- Name: files; Type: ROW SECURITY; Schema: storage; Owner: restartix_owner
--

ALTER TABLE "storage"."files" ENABLE ROW LEVEL SECURITY;

--
-- Name: files members read their organization's logos; Type: POLICY; Schema: storage; Owner: restartix_owner
--

CREATE POLICY "members read their organization's logos" ON "storage"."files" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ("purpose" = 'logo'::"text")));

--
-- Name: files platform staff read every file; Type: POLICY; Schema: storage; Owner: restartix_owner
--

CREATE POLICY "platform staff read every file" ON "storage"."files" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_staff"() AS "is_platform_staff"));

--
-- Name: files the system pool reads the files of the organization it acts for; Type: POLICY; Schema: storage; Owner: restartix_owner
--

CREATE POLICY "the system pool reads the files of the organization it acts for" ON "storage"."files" FOR SELECT TO "restartix_system" USING (("organization_id" = ( SELECT "iam"."current_org_id"() AS "current_org_id")));

--
-- Name: organization_domains domain managers manage their organization's domains; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "domain managers manage their organization's domains" ON "tenancy"."organization_domains" TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('domains.manage'::"text") AS "has_permission"))) WITH CHECK ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('domains.manage'::"text") AS "has_permission")));

--
-- Name: invitations; Type: ROW SECURITY; Schema: tenancy; Owner: restartix_owner
--

ALTER TABLE "tenancy"."invitations" ENABLE ROW LEVEL SECURITY;

--
-- Name: invitations inviters create invitations in their organization; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "inviters create invitations in their organization" ON "tenancy"."invitations" FOR INSERT TO "restartix_app" WITH CHECK ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('members.invite'::"text") AS "has_permission")));

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
-- Name: invitations member managers revoke their organization's invitations; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "member managers revoke their organization's invitations" ON "tenancy"."invitations" FOR UPDATE TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('members.manage'::"text") AS "has_permission"))) WITH CHECK (("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")));

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
-- Name: organization_settings members read their organization's settings; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "members read their organization's settings" ON "tenancy"."organization_settings" FOR SELECT TO "restartix_app" USING (("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")));

--
-- Name: invitations members who may see members read their organization's invitatio; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "members who may see members read their organization's invitatio" ON "tenancy"."invitations" FOR SELECT TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('members.read'::"text") AS "has_permission")));

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
-- Name: organization_settings; Type: ROW SECURITY; Schema: tenancy; Owner: restartix_owner
--

ALTER TABLE "tenancy"."organization_settings" ENABLE ROW LEVEL SECURITY;

--
-- Name: organizations; Type: ROW SECURITY; Schema: tenancy; Owner: restartix_owner
--

ALTER TABLE "tenancy"."organizations" ENABLE ROW LEVEL SECURITY;

--
-- Name: organizations platform admins create and update organizations; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "platform admins create and update organizations" ON "tenancy"."organizations" TO "restartix_app" USING (( SELECT "iam"."is_platform_admin"() AS "is_platform_admin")) WITH CHECK (( SELECT "iam"."is_platform_admin"() AS "is_platform_admin"));

--
-- Name: invitations platform admins manage every invitation; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "platform admins manage every invitation" ON "tenancy"."invitations" TO "restartix_app" USING (( SELECT "iam"."is_platform_admin"() AS "is_platform_admin")) WITH CHECK (( SELECT "iam"."is_platform_admin"() AS "is_platform_admin"));

--
-- Name: organization_memberships platform admins manage every membership; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "platform admins manage every membership" ON "tenancy"."organization_memberships" TO "restartix_app" USING (( SELECT "iam"."is_platform_admin"() AS "is_platform_admin")) WITH CHECK (( SELECT "iam"."is_platform_admin"() AS "is_platform_admin"));

--
-- Name: organization_domains platform staff read every domain; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "platform staff read every domain" ON "tenancy"."organization_domains" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_staff"() AS "is_platform_staff"));

--
-- Name: invitations platform staff read every invitation; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "platform staff read every invitation" ON "tenancy"."invitations" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_staff"() AS "is_platform_staff"));

--
-- Name: organization_memberships platform staff read every membership; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "platform staff read every membership" ON "tenancy"."organization_memberships" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_staff"() AS "is_platform_staff"));

--
-- Name: organizations platform staff read every organization; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "platform staff read every organization" ON "tenancy"."organizations" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_staff"() AS "is_platform_staff"));

--
-- Name: organization_settings platform staff read every organization's settings; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "platform staff read every organization's settings" ON "tenancy"."organization_settings" FOR SELECT TO "restartix_app" USING (( SELECT "iam"."is_platform_staff"() AS "is_platform_staff"));

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
-- Name: organization_settings settings editors change their organization's settings; Type: POLICY; Schema: tenancy; Owner: restartix_owner
--

CREATE POLICY "settings editors change their organization's settings" ON "tenancy"."organization_settings" FOR UPDATE TO "restartix_app" USING ((("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")) AND ( SELECT "iam"."has_permission"('organizations.update_settings'::"text") AS "has_permission"))) WITH CHECK (("organization_id" = ( SELECT "iam"."current_member_org_id"() AS "current_member_org_id")));

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

CREATE POLICY "everyone reads the classification registry" ON "util"."column_classification" FOR SELECT TO "restartix_analyst", "restartix_app", "restartix_system" USING (true);

--
-- Name: SCHEMA "analytics"; Type: ACL; Schema: -; Owner: restartix_owner
--

GRANT USAGE ON SCHEMA "analytics" TO "restartix_analyst";

--
-- Name: SCHEMA "appointments"; Type: ACL; Schema: -; Owner: restartix_owner
--

GRANT USAGE ON SCHEMA "appointments" TO "restartix_app";
GRANT USAGE ON SCHEMA "appointments" TO "restartix_system";

--
-- Name: SCHEMA "audit"; Type: ACL; Schema: -; Owner: restartix_owner
--

GRANT USAGE ON SCHEMA "audit" TO "restartix_app";
GRANT USAGE ON SCHEMA "audit" TO "restartix_system";

--
-- Name: SCHEMA "billing"; Type: ACL; Schema: -; Owner: restartix_owner
--

GRANT USAGE ON SCHEMA "billing" TO "restartix_app";
GRANT USAGE ON SCHEMA "billing" TO "restartix_system";

--
-- Name: SCHEMA "catalog"; Type: ACL; Schema: -; Owner: restartix_owner
--

GRANT USAGE ON SCHEMA "catalog" TO "restartix_app";
GRANT USAGE ON SCHEMA "catalog" TO "restartix_system";

--
-- Name: SCHEMA "consent"; Type: ACL; Schema: -; Owner: restartix_owner
--

GRANT USAGE ON SCHEMA "consent" TO "restartix_app";
GRANT USAGE ON SCHEMA "consent" TO "restartix_system";

--
-- Name: SCHEMA "crypto"; Type: ACL; Schema: -; Owner: restartix_owner
--

GRANT USAGE ON SCHEMA "crypto" TO "restartix_system";

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
-- Name: SCHEMA "integrations"; Type: ACL; Schema: -; Owner: restartix_owner
--

GRANT USAGE ON SCHEMA "integrations" TO "restartix_app";
GRANT USAGE ON SCHEMA "integrations" TO "restartix_system";

--
-- Name: SCHEMA "metering"; Type: ACL; Schema: -; Owner: restartix_owner
--

GRANT USAGE ON SCHEMA "metering" TO "restartix_app";
GRANT USAGE ON SCHEMA "metering" TO "restartix_system";

--
-- Name: SCHEMA "people"; Type: ACL; Schema: -; Owner: restartix_owner
--

GRANT USAGE ON SCHEMA "people" TO "restartix_app";
GRANT USAGE ON SCHEMA "people" TO "restartix_system";

--
-- Name: SCHEMA "public"; Type: ACL; Schema: -; Owner: pg_database_owner
--

REVOKE USAGE ON SCHEMA "public" FROM PUBLIC;
GRANT USAGE ON SCHEMA "public" TO "restartix_analyst";
GRANT USAGE ON SCHEMA "public" TO "restartix_app";
GRANT USAGE ON SCHEMA "public" TO "restartix_system";

--
-- Name: SCHEMA "scheduling"; Type: ACL; Schema: -; Owner: restartix_owner
--

GRANT USAGE ON SCHEMA "scheduling" TO "restartix_app";
GRANT USAGE ON SCHEMA "scheduling" TO "restartix_system";

--
-- Name: SCHEMA "storage"; Type: ACL; Schema: -; Owner: restartix_owner
--

GRANT USAGE ON SCHEMA "storage" TO "restartix_app";
GRANT USAGE ON SCHEMA "storage" TO "restartix_system";

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
-- Name: FUNCTION "add_override"("p_side" "text", "p_org" "uuid", "p_owner" "uuid", "p_entitlement" "text", "p_limit" "text", "p_enabled" boolean, "p_value" bigint, "p_reason" "text", "p_granted_by" "uuid", "p_expires_at" timestamp with time zone); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."add_override"("p_side" "text", "p_org" "uuid", "p_owner" "uuid", "p_entitlement" "text", "p_limit" "text", "p_enabled" boolean, "p_value" bigint, "p_reason" "text", "p_granted_by" "uuid", "p_expires_at" timestamp with time zone) FROM PUBLIC;

--
-- Name: FUNCTION "attach_addon"("p_org" "uuid", "p_tier_code" "text"); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."attach_addon"("p_org" "uuid", "p_tier_code" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "billing"."attach_addon"("p_org" "uuid", "p_tier_code" "text") TO "restartix_app";

--
-- Name: FUNCTION "change_tier"("p_org" "uuid", "p_tier_code" "text"); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."change_tier"("p_org" "uuid", "p_tier_code" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "billing"."change_tier"("p_org" "uuid", "p_tier_code" "text") TO "restartix_app";

--
-- Name: FUNCTION "effective_entitlements"("p_org" "uuid"); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."effective_entitlements"("p_org" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "billing"."effective_entitlements"("p_org" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "effective_limit"("p_org" "uuid", "p_code" "text"); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."effective_limit"("p_org" "uuid", "p_code" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "billing"."effective_limit"("p_org" "uuid", "p_code" "text") TO "restartix_app";

--
-- Name: FUNCTION "end_override"("p_side" "text", "p_override" "uuid", "p_owner" "uuid"); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."end_override"("p_side" "text", "p_override" "uuid", "p_owner" "uuid") FROM PUBLIC;

--
-- Name: FUNCTION "end_subscription"("p_subscription" "uuid"); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."end_subscription"("p_subscription" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "billing"."end_subscription"("p_subscription" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "enforce_limit"("p_code" "text", "p_delta" bigint); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."enforce_limit"("p_code" "text", "p_delta" bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION "billing"."enforce_limit"("p_code" "text", "p_delta" bigint) TO "restartix_app";

--
-- Name: FUNCTION "enforce_limit_for"("p_org" "uuid", "p_code" "text", "p_delta" bigint); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."enforce_limit_for"("p_org" "uuid", "p_code" "text", "p_delta" bigint) FROM PUBLIC;

--
-- Name: FUNCTION "entitlement_on"("p_side" "text", "p_owner" "uuid", "p_code" "text"); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."entitlement_on"("p_side" "text", "p_owner" "uuid", "p_code" "text") FROM PUBLIC;

--
-- Name: FUNCTION "entitlement_values"("p_side" "text", "p_owner" "uuid"); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."entitlement_values"("p_side" "text", "p_owner" "uuid") FROM PUBLIC;

--
-- Name: FUNCTION "grant_override"("p_org" "uuid", "p_entitlement" "text", "p_limit" "text", "p_enabled" boolean, "p_value" bigint, "p_reason" "text", "p_expires_at" timestamp with time zone); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."grant_override"("p_org" "uuid", "p_entitlement" "text", "p_limit" "text", "p_enabled" boolean, "p_value" bigint, "p_reason" "text", "p_expires_at" timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION "billing"."grant_override"("p_org" "uuid", "p_entitlement" "text", "p_limit" "text", "p_enabled" boolean, "p_value" bigint, "p_reason" "text", "p_expires_at" timestamp with time zone) TO "restartix_app";

--
-- Name: FUNCTION "has_org_entitlement"("p_code" "text"); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."has_org_entitlement"("p_code" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "billing"."has_org_entitlement"("p_code" "text") TO "restartix_app";

--
-- Name: FUNCTION "has_tier_entitlement"("p_code" "text"); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."has_tier_entitlement"("p_code" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "billing"."has_tier_entitlement"("p_code" "text") TO "restartix_app";

--
-- Name: FUNCTION "latest_version"("p_tier_code" "text"); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."latest_version"("p_tier_code" "text") FROM PUBLIC;

--
-- Name: FUNCTION "limit_usage"("p_org" "uuid", "p_code" "text"); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."limit_usage"("p_org" "uuid", "p_code" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "billing"."limit_usage"("p_org" "uuid", "p_code" "text") TO "restartix_app";

--
-- Name: FUNCTION "limit_value"("p_side" "text", "p_owner" "uuid", "p_code" "text"); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."limit_value"("p_side" "text", "p_owner" "uuid", "p_code" "text") FROM PUBLIC;

--
-- Name: FUNCTION "live_overrides"("p_side" "text", "p_owner" "uuid"); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."live_overrides"("p_side" "text", "p_owner" "uuid") FROM PUBLIC;

--
-- Name: FUNCTION "lock_limit"("p_org" "uuid", "p_code" "text"); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."lock_limit"("p_org" "uuid", "p_code" "text") FROM PUBLIC;

--
-- Name: FUNCTION "migrate_subscription"("p_subscription" "uuid"); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."migrate_subscription"("p_subscription" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "billing"."migrate_subscription"("p_subscription" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "org_entitlement_on"("p_org" "uuid", "p_code" "text"); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."org_entitlement_on"("p_org" "uuid", "p_code" "text") FROM PUBLIC;

--
-- Name: FUNCTION "provision_organization"(); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."provision_organization"() FROM PUBLIC;

--
-- Name: FUNCTION "publish_tier_version"("p_tier_code" "text", "p_entitlements" "jsonb", "p_limits" "jsonb", "p_monthly_price_cents" integer); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."publish_tier_version"("p_tier_code" "text", "p_entitlements" "jsonb", "p_limits" "jsonb", "p_monthly_price_cents" integer) FROM PUBLIC;
GRANT ALL ON FUNCTION "billing"."publish_tier_version"("p_tier_code" "text", "p_entitlements" "jsonb", "p_limits" "jsonb", "p_monthly_price_cents" integer) TO "restartix_app";

--
-- Name: FUNCTION "require_org_reader"("p_org" "uuid"); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."require_org_reader"("p_org" "uuid") FROM PUBLIC;

--
-- Name: FUNCTION "require_platform_admin"(); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."require_platform_admin"() FROM PUBLIC;

--
-- Name: FUNCTION "revoke_override"("p_override" "uuid"); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."revoke_override"("p_override" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "billing"."revoke_override"("p_override" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "save_patient_tier"("p_tier" "uuid", "p_code" "text", "p_name" "text", "p_description" "text", "p_entitlements" "jsonb", "p_limits" "jsonb", "p_is_default" boolean); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."save_patient_tier"("p_tier" "uuid", "p_code" "text", "p_name" "text", "p_description" "text", "p_entitlements" "jsonb", "p_limits" "jsonb", "p_is_default" boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION "billing"."save_patient_tier"("p_tier" "uuid", "p_code" "text", "p_name" "text", "p_description" "text", "p_entitlements" "jsonb", "p_limits" "jsonb", "p_is_default" boolean) TO "restartix_app";

--
-- Name: FUNCTION "set_org_entitlement"("p_org" "uuid", "p_code" "text", "p_enabled" boolean, "p_reason" "text"); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."set_org_entitlement"("p_org" "uuid", "p_code" "text", "p_enabled" boolean, "p_reason" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "billing"."set_org_entitlement"("p_org" "uuid", "p_code" "text", "p_enabled" boolean, "p_reason" "text") TO "restartix_app";

--
-- Name: FUNCTION "side_tables"("p_side" "text", OUT "subscriptions" "text", OUT "snapshot" "text", OUT "overrides" "text", OUT "catalog" "text", OUT "version_column" "text", OUT "owner_column" "text", OUT "kind_column" "text"); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."side_tables"("p_side" "text", OUT "subscriptions" "text", OUT "snapshot" "text", OUT "overrides" "text", OUT "catalog" "text", OUT "version_column" "text", OUT "owner_column" "text", OUT "kind_column" "text") FROM PUBLIC;

--
-- Name: FUNCTION "snapshot_rows"("p_side" "text", "p_owner" "uuid"); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."snapshot_rows"("p_side" "text", "p_owner" "uuid") FROM PUBLIC;

--
-- Name: FUNCTION "snapshot_version"("p_side" "text", "p_subscription" "uuid", "p_org" "uuid", "p_version" "uuid"); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."snapshot_version"("p_side" "text", "p_subscription" "uuid", "p_org" "uuid", "p_version" "uuid") FROM PUBLIC;

--
-- Name: FUNCTION "subscribe_snapshot"("p_org" "uuid", "p_version" "uuid", "p_kind" "text"); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."subscribe_snapshot"("p_org" "uuid", "p_version" "uuid", "p_kind" "text") FROM PUBLIC;

--
-- Name: FUNCTION "update_billing_profile"("p_legal_name" "text", "p_billing_email" "text", "p_address_line" "text", "p_city" "text", "p_country" "text", "p_tax_id_encrypted" "bytea", "p_set_tax_id" boolean); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."update_billing_profile"("p_legal_name" "text", "p_billing_email" "text", "p_address_line" "text", "p_city" "text", "p_country" "text", "p_tax_id_encrypted" "bytea", "p_set_tax_id" boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION "billing"."update_billing_profile"("p_legal_name" "text", "p_billing_email" "text", "p_address_line" "text", "p_city" "text", "p_country" "text", "p_tax_id_encrypted" "bytea", "p_set_tax_id" boolean) TO "restartix_app";

--
-- Name: FUNCTION "usage_of"("p_org" "uuid", "p_code" "text"); Type: ACL; Schema: billing; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "billing"."usage_of"("p_org" "uuid", "p_code" "text") FROM PUBLIC;

--
-- Name: FUNCTION "add_money"("p_total" "catalog"."money", "p_next" "catalog"."money"); Type: ACL; Schema: catalog; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "catalog"."add_money"("p_total" "catalog"."money", "p_next" "catalog"."money") FROM PUBLIC;
GRANT ALL ON FUNCTION "catalog"."add_money"("p_total" "catalog"."money", "p_next" "catalog"."money") TO "restartix_app";

--
-- Name: FUNCTION "check_keys"("p_fields" "jsonb", "p_allowed" "text"[]); Type: ACL; Schema: catalog; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "catalog"."check_keys"("p_fields" "jsonb", "p_allowed" "text"[]) FROM PUBLIC;

--
-- Name: FUNCTION "consume_session"("p_enrollment" "uuid", "p_appointment" "uuid"); Type: ACL; Schema: catalog; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "catalog"."consume_session"("p_enrollment" "uuid", "p_appointment" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "catalog"."consume_session"("p_enrollment" "uuid", "p_appointment" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "create_plan"("p_plan_type" "text", "p_terms" "jsonb", "p_sort_order" integer); Type: ACL; Schema: catalog; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "catalog"."create_plan"("p_plan_type" "text", "p_terms" "jsonb", "p_sort_order" integer) FROM PUBLIC;
GRANT ALL ON FUNCTION "catalog"."create_plan"("p_plan_type" "text", "p_terms" "jsonb", "p_sort_order" integer) TO "restartix_app";

--
-- Name: FUNCTION "create_service"("p_fields" "jsonb"); Type: ACL; Schema: catalog; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "catalog"."create_service"("p_fields" "jsonb") FROM PUBLIC;
GRANT ALL ON FUNCTION "catalog"."create_service"("p_fields" "jsonb") TO "restartix_app";

--
-- Name: FUNCTION "delete_plan"("p_id" "uuid"); Type: ACL; Schema: catalog; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "catalog"."delete_plan"("p_id" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "catalog"."delete_plan"("p_id" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "delete_product"("p_id" "uuid"); Type: ACL; Schema: catalog; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "catalog"."delete_product"("p_id" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "catalog"."delete_product"("p_id" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "delete_service"("p_id" "uuid"); Type: ACL; Schema: catalog; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "catalog"."delete_service"("p_id" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "catalog"."delete_service"("p_id" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "enroll_patient"("p_patient" "uuid", "p_plan" "uuid", "p_starts_at" timestamp with time zone); Type: ACL; Schema: catalog; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "catalog"."enroll_patient"("p_patient" "uuid", "p_plan" "uuid", "p_starts_at" timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION "catalog"."enroll_patient"("p_patient" "uuid", "p_plan" "uuid", "p_starts_at" timestamp with time zone) TO "restartix_app";

--
-- Name: FUNCTION "enrollment_state"("p_status" "text", "p_period_start" timestamp with time zone, "p_period_end" timestamp with time zone); Type: ACL; Schema: catalog; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "catalog"."enrollment_state"("p_status" "text", "p_period_start" timestamp with time zone, "p_period_end" timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION "catalog"."enrollment_state"("p_status" "text", "p_period_start" timestamp with time zone, "p_period_end" timestamp with time zone) TO "restartix_app";

--
-- Name: FUNCTION "now"(); Type: ACL; Schema: util; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "util"."now"() FROM PUBLIC;
GRANT ALL ON FUNCTION "util"."now"() TO "restartix_analyst";
GRANT ALL ON FUNCTION "util"."now"() TO "restartix_app";
GRANT ALL ON FUNCTION "util"."now"() TO "restartix_system";

--
-- Name: TABLE "service_plans"; Type: ACL; Schema: catalog; Owner: restartix_owner
--

GRANT SELECT ON TABLE "catalog"."service_plans" TO "restartix_app";

--
-- Name: FUNCTION "insert_plan_version"("p_plan" "catalog"."service_plans", "p_version" integer, "p_terms" "jsonb"); Type: ACL; Schema: catalog; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "catalog"."insert_plan_version"("p_plan" "catalog"."service_plans", "p_version" integer, "p_terms" "jsonb") FROM PUBLIC;

--
-- Name: TABLE "patient_service_plans"; Type: ACL; Schema: catalog; Owner: restartix_owner
--

GRANT SELECT ON TABLE "catalog"."patient_service_plans" TO "restartix_app";

--
-- Name: FUNCTION "lock_enrollment"("p_id" "uuid"); Type: ACL; Schema: catalog; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "catalog"."lock_enrollment"("p_id" "uuid") FROM PUBLIC;

--
-- Name: FUNCTION "lock_plan"("p_id" "uuid", "p_deleted" boolean); Type: ACL; Schema: catalog; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "catalog"."lock_plan"("p_id" "uuid", "p_deleted" boolean) FROM PUBLIC;

--
-- Name: TABLE "products"; Type: ACL; Schema: catalog; Owner: restartix_owner
--

GRANT SELECT ON TABLE "catalog"."products" TO "restartix_app";

--
-- Name: FUNCTION "lock_product"("p_id" "uuid", "p_deleted" boolean); Type: ACL; Schema: catalog; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "catalog"."lock_product"("p_id" "uuid", "p_deleted" boolean) FROM PUBLIC;

--
-- Name: FUNCTION "translations_valid"("p_translations" "jsonb", "p_limits" "jsonb"); Type: ACL; Schema: util; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "util"."translations_valid"("p_translations" "jsonb", "p_limits" "jsonb") FROM PUBLIC;
GRANT ALL ON FUNCTION "util"."translations_valid"("p_translations" "jsonb", "p_limits" "jsonb") TO "restartix_app";

--
-- Name: TABLE "services"; Type: ACL; Schema: catalog; Owner: restartix_owner
--

GRANT SELECT ON TABLE "catalog"."services" TO "restartix_app";

--
-- Name: FUNCTION "lock_service"("p_id" "uuid", "p_deleted" boolean); Type: ACL; Schema: catalog; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "catalog"."lock_service"("p_id" "uuid", "p_deleted" boolean) FROM PUBLIC;

--
-- Name: FUNCTION "my_plans"(); Type: ACL; Schema: catalog; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "catalog"."my_plans"() FROM PUBLIC;
GRANT ALL ON FUNCTION "catalog"."my_plans"() TO "restartix_app";

--
-- Name: FUNCTION "public_services"("p_slug" "text"); Type: ACL; Schema: catalog; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "catalog"."public_services"("p_slug" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "catalog"."public_services"("p_slug" "text") TO "restartix_system";

--
-- Name: FUNCTION "publish_plan_version"("p_id" "uuid", "p_terms" "jsonb"); Type: ACL; Schema: catalog; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "catalog"."publish_plan_version"("p_id" "uuid", "p_terms" "jsonb") FROM PUBLIC;
GRANT ALL ON FUNCTION "catalog"."publish_plan_version"("p_id" "uuid", "p_terms" "jsonb") TO "restartix_app";

--
-- Name: FUNCTION "refuse_version_change"(); Type: ACL; Schema: catalog; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "catalog"."refuse_version_change"() FROM PUBLIC;

--
-- Name: FUNCTION "restore_service"("p_id" "uuid"); Type: ACL; Schema: catalog; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "catalog"."restore_service"("p_id" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "catalog"."restore_service"("p_id" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "revoke_enrollment"("p_id" "uuid", "p_reason" "text"); Type: ACL; Schema: catalog; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "catalog"."revoke_enrollment"("p_id" "uuid", "p_reason" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "catalog"."revoke_enrollment"("p_id" "uuid", "p_reason" "text") TO "restartix_app";

--
-- Name: FUNCTION "save_product"("p_id" "uuid", "p_fields" "jsonb"); Type: ACL; Schema: catalog; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "catalog"."save_product"("p_id" "uuid", "p_fields" "jsonb") FROM PUBLIC;
GRANT ALL ON FUNCTION "catalog"."save_product"("p_id" "uuid", "p_fields" "jsonb") TO "restartix_app";

--
-- Name: FUNCTION "update_plan"("p_id" "uuid", "p_changes" "jsonb"); Type: ACL; Schema: catalog; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "catalog"."update_plan"("p_id" "uuid", "p_changes" "jsonb") FROM PUBLIC;
GRANT ALL ON FUNCTION "catalog"."update_plan"("p_id" "uuid", "p_changes" "jsonb") TO "restartix_app";

--
-- Name: FUNCTION "update_service"("p_id" "uuid", "p_changes" "jsonb"); Type: ACL; Schema: catalog; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "catalog"."update_service"("p_id" "uuid", "p_changes" "jsonb") FROM PUBLIC;
GRANT ALL ON FUNCTION "catalog"."update_service"("p_id" "uuid", "p_changes" "jsonb") TO "restartix_app";

--
-- Name: FUNCTION "current_state"("p_subject" "uuid", "p_org" "uuid"); Type: ACL; Schema: consent; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "consent"."current_state"("p_subject" "uuid", "p_org" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "consent"."current_state"("p_subject" "uuid", "p_org" "uuid") TO "restartix_app";
GRANT ALL ON FUNCTION "consent"."current_state"("p_subject" "uuid", "p_org" "uuid") TO "restartix_system";

--
-- Name: FUNCTION "grant_consent"("p_org" "uuid", "p_purpose" "text", "p_document_id" "uuid", "p_subject" "uuid", "p_source" "text", "p_legal_basis" "text"); Type: ACL; Schema: consent; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "consent"."grant_consent"("p_org" "uuid", "p_purpose" "text", "p_document_id" "uuid", "p_subject" "uuid", "p_source" "text", "p_legal_basis" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "consent"."grant_consent"("p_org" "uuid", "p_purpose" "text", "p_document_id" "uuid", "p_subject" "uuid", "p_source" "text", "p_legal_basis" "text") TO "restartix_app";
GRANT ALL ON FUNCTION "consent"."grant_consent"("p_org" "uuid", "p_purpose" "text", "p_document_id" "uuid", "p_subject" "uuid", "p_source" "text", "p_legal_basis" "text") TO "restartix_system";

--
-- Name: FUNCTION "has_consent"("p_subject" "uuid", "p_org" "uuid", "p_purpose" "text"); Type: ACL; Schema: consent; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "consent"."has_consent"("p_subject" "uuid", "p_org" "uuid", "p_purpose" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "consent"."has_consent"("p_subject" "uuid", "p_org" "uuid", "p_purpose" "text") TO "restartix_app";
GRANT ALL ON FUNCTION "consent"."has_consent"("p_subject" "uuid", "p_org" "uuid", "p_purpose" "text") TO "restartix_system";

--
-- Name: FUNCTION "is_stale"("p_org" "uuid", "p_purpose" "text", "p_version" integer); Type: ACL; Schema: consent; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "consent"."is_stale"("p_org" "uuid", "p_purpose" "text", "p_version" integer) FROM PUBLIC;
GRANT ALL ON FUNCTION "consent"."is_stale"("p_org" "uuid", "p_purpose" "text", "p_version" integer) TO "restartix_app";
GRANT ALL ON FUNCTION "consent"."is_stale"("p_org" "uuid", "p_purpose" "text", "p_version" integer) TO "restartix_system";

--
-- Name: FUNCTION "lock_subject_purpose"("p_subject" "uuid", "p_org" "uuid", "p_purpose" "text"); Type: ACL; Schema: consent; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "consent"."lock_subject_purpose"("p_subject" "uuid", "p_org" "uuid", "p_purpose" "text") FROM PUBLIC;

--
-- Name: FUNCTION "publish_document"("p_org" "uuid", "p_purpose" "text", "p_title" "text", "p_url" "text", "p_content_sha256" "text", "p_requires_reconsent" boolean); Type: ACL; Schema: consent; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "consent"."publish_document"("p_org" "uuid", "p_purpose" "text", "p_title" "text", "p_url" "text", "p_content_sha256" "text", "p_requires_reconsent" boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION "consent"."publish_document"("p_org" "uuid", "p_purpose" "text", "p_title" "text", "p_url" "text", "p_content_sha256" "text", "p_requires_reconsent" boolean) TO "restartix_app";
GRANT ALL ON FUNCTION "consent"."publish_document"("p_org" "uuid", "p_purpose" "text", "p_title" "text", "p_url" "text", "p_content_sha256" "text", "p_requires_reconsent" boolean) TO "restartix_system";

--
-- Name: FUNCTION "refuse_change"(); Type: ACL; Schema: consent; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "consent"."refuse_change"() FROM PUBLIC;

--
-- Name: FUNCTION "require_reader"("p_subject" "uuid", "p_org" "uuid"); Type: ACL; Schema: consent; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "consent"."require_reader"("p_subject" "uuid", "p_org" "uuid") FROM PUBLIC;

--
-- Name: FUNCTION "resolve_subject"("p_subject" "uuid"); Type: ACL; Schema: consent; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "consent"."resolve_subject"("p_subject" "uuid") FROM PUBLIC;

--
-- Name: FUNCTION "status"("p_subject" "uuid", "p_org" "uuid", "p_purpose" "text"); Type: ACL; Schema: consent; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "consent"."status"("p_subject" "uuid", "p_org" "uuid", "p_purpose" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "consent"."status"("p_subject" "uuid", "p_org" "uuid", "p_purpose" "text") TO "restartix_app";
GRANT ALL ON FUNCTION "consent"."status"("p_subject" "uuid", "p_org" "uuid", "p_purpose" "text") TO "restartix_system";

--
-- Name: FUNCTION "withdraw_consent"("p_org" "uuid", "p_purpose" "text", "p_subject" "uuid"); Type: ACL; Schema: consent; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "consent"."withdraw_consent"("p_org" "uuid", "p_purpose" "text", "p_subject" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "consent"."withdraw_consent"("p_org" "uuid", "p_purpose" "text", "p_subject" "uuid") TO "restartix_app";
GRANT ALL ON FUNCTION "consent"."withdraw_consent"("p_org" "uuid", "p_purpose" "text", "p_subject" "uuid") TO "restartix_system";

--
-- Name: FUNCTION "encrypted_columns"(); Type: ACL; Schema: crypto; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "crypto"."encrypted_columns"() FROM PUBLIC;

--
-- Name: FUNCTION "guard_data_key_change"(); Type: ACL; Schema: crypto; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "crypto"."guard_data_key_change"() FROM PUBLIC;

--
-- Name: FUNCTION "claim"("p_consumer" "text", "p_worker" "text", "p_limit" integer, "p_per_lane" integer, "p_lease" interval, "p_session" integer); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."claim"("p_consumer" "text", "p_worker" "text", "p_limit" integer, "p_per_lane" integer, "p_lease" interval, "p_session" integer) FROM PUBLIC;
GRANT ALL ON FUNCTION "events"."claim"("p_consumer" "text", "p_worker" "text", "p_limit" integer, "p_per_lane" integer, "p_lease" interval, "p_session" integer) TO "restartix_system";

--
-- Name: FUNCTION "complete"("p_lease_id" "uuid", "p_event_id" "uuid"); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."complete"("p_lease_id" "uuid", "p_event_id" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "events"."complete"("p_lease_id" "uuid", "p_event_id" "uuid") TO "restartix_system";

--
-- Name: FUNCTION "consumer_status"(); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."consumer_status"() FROM PUBLIC;
GRANT ALL ON FUNCTION "events"."consumer_status"() TO "restartix_system";

--
-- Name: FUNCTION "discard_dead"("p_consumer" "text", "p_event_ids" "uuid"[]); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."discard_dead"("p_consumer" "text", "p_event_ids" "uuid"[]) FROM PUBLIC;
GRANT ALL ON FUNCTION "events"."discard_dead"("p_consumer" "text", "p_event_ids" "uuid"[]) TO "restartix_system";

--
-- Name: FUNCTION "ensure_partitions"("p_ahead" integer, "p_from" timestamp with time zone); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."ensure_partitions"("p_ahead" integer, "p_from" timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION "events"."ensure_partitions"("p_ahead" integer, "p_from" timestamp with time zone) TO "restartix_system";

--
-- Name: FUNCTION "fail"("p_lease_id" "uuid", "p_event_id" "uuid", "p_error" "text"); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."fail"("p_lease_id" "uuid", "p_event_id" "uuid", "p_error" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "events"."fail"("p_lease_id" "uuid", "p_event_id" "uuid", "p_error" "text") TO "restartix_system";

--
-- Name: FUNCTION "forget_consumer_deliveries"(); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."forget_consumer_deliveries"() FROM PUBLIC;

--
-- Name: FUNCTION "heartbeat"("p_lease_ids" "uuid"[], "p_lease" interval); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."heartbeat"("p_lease_ids" "uuid"[], "p_lease" interval) FROM PUBLIC;
GRANT ALL ON FUNCTION "events"."heartbeat"("p_lease_ids" "uuid"[], "p_lease" interval) TO "restartix_system";

--
-- Name: FUNCTION "hold_session"("p_key" integer); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."hold_session"("p_key" integer) FROM PUBLIC;
GRANT ALL ON FUNCTION "events"."hold_session"("p_key" integer) TO "restartix_system";

--
-- Name: FUNCTION "live_sessions"(); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."live_sessions"() FROM PUBLIC;
GRANT ALL ON FUNCTION "events"."live_sessions"() TO "restartix_system";

--
-- Name: FUNCTION "on_domain_change"(); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."on_domain_change"() FROM PUBLIC;

--
-- Name: FUNCTION "on_invitation_change"(); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."on_invitation_change"() FROM PUBLIC;

--
-- Name: FUNCTION "on_membership_change"(); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."on_membership_change"() FROM PUBLIC;

--
-- Name: FUNCTION "on_organization_change"(); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."on_organization_change"() FROM PUBLIC;

--
-- Name: FUNCTION "on_role_change"(); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."on_role_change"() FROM PUBLIC;

--
-- Name: FUNCTION "on_role_permissions_change"(); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."on_role_permissions_change"() FROM PUBLIC;

--
-- Name: FUNCTION "on_routing_change"(); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."on_routing_change"() FROM PUBLIC;

--
-- Name: FUNCTION "orphaned_leases"("p_consumers" "text"[]); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."orphaned_leases"("p_consumers" "text"[]) FROM PUBLIC;
GRANT ALL ON FUNCTION "events"."orphaned_leases"("p_consumers" "text"[]) TO "restartix_system";

--
-- Name: FUNCTION "publish"("p_type" "text", "p_payload" "jsonb", "p_version" integer); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."publish"("p_type" "text", "p_payload" "jsonb", "p_version" integer) FROM PUBLIC;
GRANT ALL ON FUNCTION "events"."publish"("p_type" "text", "p_payload" "jsonb", "p_version" integer) TO "restartix_system";

--
-- Name: FUNCTION "publish_for"("p_organization_id" "uuid", "p_type" "text", "p_payload" "jsonb", "p_version" integer); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."publish_for"("p_organization_id" "uuid", "p_type" "text", "p_payload" "jsonb", "p_version" integer) FROM PUBLIC;
GRANT ALL ON FUNCTION "events"."publish_for"("p_organization_id" "uuid", "p_type" "text", "p_payload" "jsonb", "p_version" integer) TO "restartix_system";

--
-- Name: FUNCTION "publish_many"("p_type" "text", "p_payloads" "jsonb"[], "p_version" integer); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."publish_many"("p_type" "text", "p_payloads" "jsonb"[], "p_version" integer) FROM PUBLIC;
GRANT ALL ON FUNCTION "events"."publish_many"("p_type" "text", "p_payloads" "jsonb"[], "p_version" integer) TO "restartix_system";

--
-- Name: FUNCTION "publish_many_for"("p_organization_id" "uuid", "p_type" "text", "p_payloads" "jsonb"[], "p_version" integer); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."publish_many_for"("p_organization_id" "uuid", "p_type" "text", "p_payloads" "jsonb"[], "p_version" integer) FROM PUBLIC;
GRANT ALL ON FUNCTION "events"."publish_many_for"("p_organization_id" "uuid", "p_type" "text", "p_payloads" "jsonb"[], "p_version" integer) TO "restartix_system";

--
-- Name: FUNCTION "refresh_routes"(); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."refresh_routes"() FROM PUBLIC;

--
-- Name: FUNCTION "register_consumer"("p_name" "text", "p_types" "text"[], "p_max_attempts" integer, "p_lease" interval, "p_backoff_base" interval, "p_backoff_max" interval); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."register_consumer"("p_name" "text", "p_types" "text"[], "p_max_attempts" integer, "p_lease" interval, "p_backoff_base" interval, "p_backoff_max" interval) FROM PUBLIC;
GRANT ALL ON FUNCTION "events"."register_consumer"("p_name" "text", "p_types" "text"[], "p_max_attempts" integer, "p_lease" interval, "p_backoff_base" interval, "p_backoff_max" interval) TO "restartix_system";

--
-- Name: FUNCTION "release"("p_lease_id" "uuid"); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."release"("p_lease_id" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "events"."release"("p_lease_id" "uuid") TO "restartix_system";

--
-- Name: FUNCTION "replay"("p_consumer" "text", "p_from" timestamp with time zone, "p_to" timestamp with time zone); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."replay"("p_consumer" "text", "p_from" timestamp with time zone, "p_to" timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION "events"."replay"("p_consumer" "text", "p_from" timestamp with time zone, "p_to" timestamp with time zone) TO "restartix_system";

--
-- Name: FUNCTION "retire_month"("p_month" "date"); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."retire_month"("p_month" "date") FROM PUBLIC;

--
-- Name: FUNCTION "retry_delay"("p_attempts" integer, "p_base" interval, "p_max" interval); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."retry_delay"("p_attempts" integer, "p_base" interval, "p_max" interval) FROM PUBLIC;

--
-- Name: FUNCTION "session_lock_space"(); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."session_lock_space"() FROM PUBLIC;
GRANT ALL ON FUNCTION "events"."session_lock_space"() TO "restartix_system";

--
-- Name: FUNCTION "type_patterns"("p_type" "text"); Type: ACL; Schema: events; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "events"."type_patterns"("p_type" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "events"."type_patterns"("p_type" "text") TO "restartix_system";

--
-- Name: FUNCTION "acts_as_owner"(); Type: ACL; Schema: iam; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "iam"."acts_as_owner"() FROM PUBLIC;

--
-- Name: FUNCTION "begin_request"("p_principal" "uuid", "p_org" "uuid", "p_request_id" "text", "p_client_ip" "text", "p_user_agent" "text", "p_requires" "text", OUT "blocked" boolean, OUT "org_visible" boolean, OUT "allowed" boolean); Type: ACL; Schema: iam; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "iam"."begin_request"("p_principal" "uuid", "p_org" "uuid", "p_request_id" "text", "p_client_ip" "text", "p_user_agent" "text", "p_requires" "text", OUT "blocked" boolean, OUT "org_visible" boolean, OUT "allowed" boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION "iam"."begin_request"("p_principal" "uuid", "p_org" "uuid", "p_request_id" "text", "p_client_ip" "text", "p_user_agent" "text", "p_requires" "text", OUT "blocked" boolean, OUT "org_visible" boolean, OUT "allowed" boolean) TO "restartix_app";
GRANT ALL ON FUNCTION "iam"."begin_request"("p_principal" "uuid", "p_org" "uuid", "p_request_id" "text", "p_client_ip" "text", "p_user_agent" "text", "p_requires" "text", OUT "blocked" boolean, OUT "org_visible" boolean, OUT "allowed" boolean) TO "restartix_system";

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
-- Name: FUNCTION "delete_role"("p_role" "uuid"); Type: ACL; Schema: iam; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "iam"."delete_role"("p_role" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "iam"."delete_role"("p_role" "uuid") TO "restartix_app";

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
-- Name: FUNCTION "holds"("p_requirement" "text"); Type: ACL; Schema: iam; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "iam"."holds"("p_requirement" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "iam"."holds"("p_requirement" "text") TO "restartix_app";
GRANT ALL ON FUNCTION "iam"."holds"("p_requirement" "text") TO "restartix_system";

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
-- Name: FUNCTION "require_grantable"("p_permissions" "text"[], "p_what" "text"); Type: ACL; Schema: iam; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "iam"."require_grantable"("p_permissions" "text"[], "p_what" "text") FROM PUBLIC;

--
-- Name: FUNCTION "require_permission"("p_code" "text"); Type: ACL; Schema: iam; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "iam"."require_permission"("p_code" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "iam"."require_permission"("p_code" "text") TO "restartix_app";
GRANT ALL ON FUNCTION "iam"."require_permission"("p_code" "text") TO "restartix_system";

--
-- Name: FUNCTION "require_platform_admin"(); Type: ACL; Schema: iam; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "iam"."require_platform_admin"() FROM PUBLIC;
GRANT ALL ON FUNCTION "iam"."require_platform_admin"() TO "restartix_app";
GRANT ALL ON FUNCTION "iam"."require_platform_admin"() TO "restartix_system";

--
-- Name: FUNCTION "role_permission_codes"("p_role" "uuid"); Type: ACL; Schema: iam; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "iam"."role_permission_codes"("p_role" "uuid") FROM PUBLIC;

--
-- Name: FUNCTION "save_role"("p_role" "uuid", "p_code" "text", "p_name" "text", "p_description" "text", "p_permissions" "text"[]); Type: ACL; Schema: iam; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "iam"."save_role"("p_role" "uuid", "p_code" "text", "p_name" "text", "p_description" "text", "p_permissions" "text"[]) FROM PUBLIC;
GRANT ALL ON FUNCTION "iam"."save_role"("p_role" "uuid", "p_code" "text", "p_name" "text", "p_description" "text", "p_permissions" "text"[]) TO "restartix_app";

--
-- Name: FUNCTION "scope_answer"("p_part" integer); Type: ACL; Schema: iam; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "iam"."scope_answer"("p_part" integer) FROM PUBLIC;
GRANT ALL ON FUNCTION "iam"."scope_answer"("p_part" integer) TO "restartix_app";
GRANT ALL ON FUNCTION "iam"."scope_answer"("p_part" integer) TO "restartix_system";

--
-- Name: FUNCTION "set_human_blocked"("p_principal" "uuid", "p_blocked" boolean); Type: ACL; Schema: iam; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "iam"."set_human_blocked"("p_principal" "uuid", "p_blocked" boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION "iam"."set_human_blocked"("p_principal" "uuid", "p_blocked" boolean) TO "restartix_app";

--
-- Name: FUNCTION "set_platform_role"("p_principal" "uuid", "p_role" "text"); Type: ACL; Schema: iam; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "iam"."set_platform_role"("p_principal" "uuid", "p_role" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "iam"."set_platform_role"("p_principal" "uuid", "p_role" "text") TO "restartix_app";

--
-- Name: FUNCTION "forget_revoked_credentials"(); Type: ACL; Schema: integrations; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "integrations"."forget_revoked_credentials"() FROM PUBLIC;

--
-- Name: FUNCTION "resolve_provider"("p_category" "text", "p_org" "uuid"); Type: ACL; Schema: integrations; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "integrations"."resolve_provider"("p_category" "text", "p_org" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "integrations"."resolve_provider"("p_category" "text", "p_org" "uuid") TO "restartix_app";
GRANT ALL ON FUNCTION "integrations"."resolve_provider"("p_category" "text", "p_org" "uuid") TO "restartix_system";

--
-- Name: FUNCTION "ensure_partitions"("p_ahead" integer, "p_from" timestamp with time zone); Type: ACL; Schema: metering; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "metering"."ensure_partitions"("p_ahead" integer, "p_from" timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION "metering"."ensure_partitions"("p_ahead" integer, "p_from" timestamp with time zone) TO "restartix_system";

--
-- Name: FUNCTION "limit_period_usage"("p_org" "uuid", "p_limit_code" "text"); Type: ACL; Schema: metering; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "metering"."limit_period_usage"("p_org" "uuid", "p_limit_code" "text") FROM PUBLIC;

--
-- Name: FUNCTION "period_start"("p_at" timestamp with time zone); Type: ACL; Schema: metering; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "metering"."period_start"("p_at" timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION "metering"."period_start"("p_at" timestamp with time zone) TO "restartix_app";
GRANT ALL ON FUNCTION "metering"."period_start"("p_at" timestamp with time zone) TO "restartix_system";

--
-- Name: FUNCTION "record_usage"("p_meter" "text", "p_quantity" bigint, "p_occurred_at" timestamp with time zone, "p_idempotency_key" "text"); Type: ACL; Schema: metering; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "metering"."record_usage"("p_meter" "text", "p_quantity" bigint, "p_occurred_at" timestamp with time zone, "p_idempotency_key" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "metering"."record_usage"("p_meter" "text", "p_quantity" bigint, "p_occurred_at" timestamp with time zone, "p_idempotency_key" "text") TO "restartix_system";

--
-- Name: FUNCTION "retire_month"("p_month" "date"); Type: ACL; Schema: metering; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "metering"."retire_month"("p_month" "date") FROM PUBLIC;

--
-- Name: FUNCTION "add_caregiver"("p_patient" "uuid", "p_email" "text", "p_relationship" "text", "p_permissions" "text"[]); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."add_caregiver"("p_patient" "uuid", "p_email" "text", "p_relationship" "text", "p_permissions" "text"[]) FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."add_caregiver"("p_patient" "uuid", "p_email" "text", "p_relationship" "text", "p_permissions" "text"[]) TO "restartix_app";

--
-- Name: FUNCTION "add_caregiver_link"("p_profile" "uuid", "p_human" "uuid", "p_relationship" "text", "p_permissions" "text"[]); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."add_caregiver_link"("p_profile" "uuid", "p_human" "uuid", "p_relationship" "text", "p_permissions" "text"[]) FROM PUBLIC;

--
-- Name: FUNCTION "apply_profile_changes"("p_profile" "uuid", "p_changes" "jsonb", "p_allowed" "text"[]); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."apply_profile_changes"("p_profile" "uuid", "p_changes" "jsonb", "p_allowed" "text"[]) FROM PUBLIC;

--
-- Name: FUNCTION "begin_signature_upload"("p_id" "uuid", "p_object_key" "text", "p_declared_mime" "text", "p_expires_at" timestamp with time zone); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."begin_signature_upload"("p_id" "uuid", "p_object_key" "text", "p_declared_mime" "text", "p_expires_at" timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."begin_signature_upload"("p_id" "uuid", "p_object_key" "text", "p_declared_mime" "text", "p_expires_at" timestamp with time zone) TO "restartix_app";

--
-- Name: FUNCTION "change_patient_tier"("p_patient" "uuid", "p_tier_code" "text"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."change_patient_tier"("p_patient" "uuid", "p_tier_code" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."change_patient_tier"("p_patient" "uuid", "p_tier_code" "text") TO "restartix_app";

--
-- Name: FUNCTION "check_changes"("p_changes" "jsonb", "p_types" "jsonb"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."check_changes"("p_changes" "jsonb", "p_types" "jsonb") FROM PUBLIC;

--
-- Name: FUNCTION "check_specialist_human"("p_human" "uuid"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."check_specialist_human"("p_human" "uuid") FROM PUBLIC;

--
-- Name: FUNCTION "check_timezone"("p_zone" "text"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."check_timezone"("p_zone" "text") FROM PUBLIC;

--
-- Name: FUNCTION "claim_guest_profiles"("p_human" "uuid"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."claim_guest_profiles"("p_human" "uuid") FROM PUBLIC;

--
-- Name: FUNCTION "create_my_profile"("p_fields" "jsonb", "p_relationship" "text"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."create_my_profile"("p_fields" "jsonb", "p_relationship" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."create_my_profile"("p_fields" "jsonb", "p_relationship" "text") TO "restartix_app";

--
-- Name: FUNCTION "create_patient"("p_first_name" "text", "p_last_name" "text", "p_phone" "text", "p_email" "text", "p_consumer_id" "text", "p_notes" "text"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."create_patient"("p_first_name" "text", "p_last_name" "text", "p_phone" "text", "p_email" "text", "p_consumer_id" "text", "p_notes" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."create_patient"("p_first_name" "text", "p_last_name" "text", "p_phone" "text", "p_email" "text", "p_consumer_id" "text", "p_notes" "text") TO "restartix_app";

--
-- Name: FUNCTION "create_specialist"("p_display_name" "text", "p_title" "text", "p_bio" "text", "p_scheduling_timezone" "text", "p_scheduling_active" boolean, "p_human_id" "uuid"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."create_specialist"("p_display_name" "text", "p_title" "text", "p_bio" "text", "p_scheduling_timezone" "text", "p_scheduling_active" boolean, "p_human_id" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."create_specialist"("p_display_name" "text", "p_title" "text", "p_bio" "text", "p_scheduling_timezone" "text", "p_scheduling_active" boolean, "p_human_id" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "create_specialty"("p_code" "text", "p_name" "text", "p_translations" "jsonb"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."create_specialty"("p_code" "text", "p_name" "text", "p_translations" "jsonb") FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."create_specialty"("p_code" "text", "p_name" "text", "p_translations" "jsonb") TO "restartix_app";

--
-- Name: FUNCTION "current_human_patient_profile_ids"(); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."current_human_patient_profile_ids"() FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."current_human_patient_profile_ids"() TO "restartix_app";

--
-- Name: FUNCTION "delete_patient"("p_id" "uuid"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."delete_patient"("p_id" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."delete_patient"("p_id" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "delete_specialist"("p_id" "uuid"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."delete_specialist"("p_id" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."delete_specialist"("p_id" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "delete_specialty"("p_id" "uuid"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."delete_specialty"("p_id" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."delete_specialty"("p_id" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "end_active_subscription"("p_patient" "uuid"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."end_active_subscription"("p_patient" "uuid") FROM PUBLIC;

--
-- Name: FUNCTION "end_caregiver"("p_patient" "uuid", "p_caregiver" "uuid"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."end_caregiver"("p_patient" "uuid", "p_caregiver" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."end_caregiver"("p_patient" "uuid", "p_caregiver" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "end_patient_subscription"("p_patient" "uuid"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."end_patient_subscription"("p_patient" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."end_patient_subscription"("p_patient" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "grant_patient_override"("p_patient" "uuid", "p_entitlement" "text", "p_limit" "text", "p_enabled" boolean, "p_value" bigint, "p_reason" "text", "p_expires_at" timestamp with time zone); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."grant_patient_override"("p_patient" "uuid", "p_entitlement" "text", "p_limit" "text", "p_enabled" boolean, "p_value" bigint, "p_reason" "text", "p_expires_at" timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."grant_patient_override"("p_patient" "uuid", "p_entitlement" "text", "p_limit" "text", "p_enabled" boolean, "p_value" bigint, "p_reason" "text", "p_expires_at" timestamp with time zone) TO "restartix_app";

--
-- Name: TABLE "patients"; Type: ACL; Schema: people; Owner: restartix_owner
--

GRANT SELECT ON TABLE "people"."patients" TO "restartix_app";

--
-- Name: FUNCTION "lock_patient"("p_id" "uuid", "p_deleted" boolean); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."lock_patient"("p_id" "uuid", "p_deleted" boolean) FROM PUBLIC;

--
-- Name: TABLE "specialists"; Type: ACL; Schema: people; Owner: restartix_owner
--

GRANT SELECT ON TABLE "people"."specialists" TO "restartix_app";

--
-- Name: FUNCTION "lock_specialist"("p_id" "uuid", "p_deleted" boolean); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."lock_specialist"("p_id" "uuid", "p_deleted" boolean) FROM PUBLIC;

--
-- Name: FUNCTION "lock_specialty"("p_id" "uuid"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."lock_specialty"("p_id" "uuid") FROM PUBLIC;

--
-- Name: FUNCTION "member_holds"("p_code" "text"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."member_holds"("p_code" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."member_holds"("p_code" "text") TO "restartix_app";

--
-- Name: FUNCTION "onboard"("p_host" "text", "p_slug" "text", "p_fields" "jsonb"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."onboard"("p_host" "text", "p_slug" "text", "p_fields" "jsonb") FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."onboard"("p_host" "text", "p_slug" "text", "p_fields" "jsonb") TO "restartix_app";

--
-- Name: FUNCTION "org_patients"("p_id" "uuid"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."org_patients"("p_id" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."org_patients"("p_id" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "patient_effective_values"("p_patient" "uuid"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."patient_effective_values"("p_patient" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."patient_effective_values"("p_patient" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "patient_subscription"("p_patient" "uuid"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."patient_subscription"("p_patient" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."patient_subscription"("p_patient" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "remove_specialist_signature"("p_id" "uuid"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."remove_specialist_signature"("p_id" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."remove_specialist_signature"("p_id" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "require_human"(); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."require_human"() FROM PUBLIC;

--
-- Name: FUNCTION "require_member_permission"("p_code" "text"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."require_member_permission"("p_code" "text") FROM PUBLIC;

--
-- Name: FUNCTION "require_patient_reader"("p_patient" "uuid"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."require_patient_reader"("p_patient" "uuid") FROM PUBLIC;

--
-- Name: FUNCTION "resolve_portal_org"("p_host" "text", "p_slug" "text"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."resolve_portal_org"("p_host" "text", "p_slug" "text") FROM PUBLIC;

--
-- Name: FUNCTION "restore_patient"("p_id" "uuid"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."restore_patient"("p_id" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."restore_patient"("p_id" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "restore_specialist"("p_id" "uuid"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."restore_specialist"("p_id" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."restore_specialist"("p_id" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "revoke_patient_override"("p_patient" "uuid", "p_override" "uuid"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."revoke_patient_override"("p_patient" "uuid", "p_override" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."revoke_patient_override"("p_patient" "uuid", "p_override" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "set_specialist_signature"("p_id" "uuid", "p_file" "uuid"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."set_specialist_signature"("p_id" "uuid", "p_file" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."set_specialist_signature"("p_id" "uuid", "p_file" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "set_specialist_specialties"("p_id" "uuid", "p_specialty_ids" "uuid"[]); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."set_specialist_specialties"("p_id" "uuid", "p_specialty_ids" "uuid"[]) FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."set_specialist_specialties"("p_id" "uuid", "p_specialty_ids" "uuid"[]) TO "restartix_app";

--
-- Name: FUNCTION "specialist_signature"("p_id" "uuid"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."specialist_signature"("p_id" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."specialist_signature"("p_id" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "subscribe_new_patient"(); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."subscribe_new_patient"() FROM PUBLIC;

--
-- Name: FUNCTION "subscribe_patient"("p_patient" "uuid", "p_org" "uuid", "p_tier" "uuid", "p_change" "text"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."subscribe_patient"("p_patient" "uuid", "p_org" "uuid", "p_tier" "uuid", "p_change" "text") FROM PUBLIC;

--
-- Name: FUNCTION "update_my_profile"("p_profile" "uuid", "p_changes" "jsonb"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."update_my_profile"("p_profile" "uuid", "p_changes" "jsonb") FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."update_my_profile"("p_profile" "uuid", "p_changes" "jsonb") TO "restartix_app";

--
-- Name: FUNCTION "update_patient"("p_id" "uuid", "p_changes" "jsonb"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."update_patient"("p_id" "uuid", "p_changes" "jsonb") FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."update_patient"("p_id" "uuid", "p_changes" "jsonb") TO "restartix_app";

--
-- Name: FUNCTION "update_specialist"("p_id" "uuid", "p_changes" "jsonb"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."update_specialist"("p_id" "uuid", "p_changes" "jsonb") FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."update_specialist"("p_id" "uuid", "p_changes" "jsonb") TO "restartix_app";

--
-- Name: FUNCTION "update_specialty"("p_id" "uuid", "p_changes" "jsonb"); Type: ACL; Schema: people; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "people"."update_specialty"("p_id" "uuid", "p_changes" "jsonb") FROM PUBLIC;
GRANT ALL ON FUNCTION "people"."update_specialty"("p_id" "uuid", "p_changes" "jsonb") TO "restartix_app";

--
-- Name: FUNCTION "add_closure"("p_date" "date", "p_reason" "text"); Type: ACL; Schema: scheduling; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "scheduling"."add_closure"("p_date" "date", "p_reason" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "scheduling"."add_closure"("p_date" "date", "p_reason" "text") TO "restartix_app";

--
-- Name: FUNCTION "add_weekly_hours"("p_specialist_id" "uuid", "p_weekday" integer, "p_start" "text", "p_end" "text", "p_valid_from" "date", "p_valid_until" "date"); Type: ACL; Schema: scheduling; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "scheduling"."add_weekly_hours"("p_specialist_id" "uuid", "p_weekday" integer, "p_start" "text", "p_end" "text", "p_valid_from" "date", "p_valid_until" "date") FROM PUBLIC;
GRANT ALL ON FUNCTION "scheduling"."add_weekly_hours"("p_specialist_id" "uuid", "p_weekday" integer, "p_start" "text", "p_end" "text", "p_valid_from" "date", "p_valid_until" "date") TO "restartix_app";

--
-- Name: FUNCTION "availability"("p_calendar_id" "uuid", "p_from" "date", "p_to" "date", "p_query_tz" "text", "p_holds" "jsonb"); Type: ACL; Schema: scheduling; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "scheduling"."availability"("p_calendar_id" "uuid", "p_from" "date", "p_to" "date", "p_query_tz" "text", "p_holds" "jsonb") FROM PUBLIC;
GRANT ALL ON FUNCTION "scheduling"."availability"("p_calendar_id" "uuid", "p_from" "date", "p_to" "date", "p_query_tz" "text", "p_holds" "jsonb") TO "restartix_system";

--
-- Name: FUNCTION "check_calendar_fields"("p_fields" "jsonb"); Type: ACL; Schema: scheduling; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "scheduling"."check_calendar_fields"("p_fields" "jsonb") FROM PUBLIC;

--
-- Name: FUNCTION "check_intervals"("p_intervals" "jsonb", "p_with_weekday" boolean); Type: ACL; Schema: scheduling; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "scheduling"."check_intervals"("p_intervals" "jsonb", "p_with_weekday" boolean) FROM PUBLIC;

--
-- Name: FUNCTION "check_zone"("p_zone" "text", "p_parameter" "text"); Type: ACL; Schema: scheduling; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "scheduling"."check_zone"("p_zone" "text", "p_parameter" "text") FROM PUBLIC;

--
-- Name: FUNCTION "create_calendar"("p_fields" "jsonb"); Type: ACL; Schema: scheduling; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "scheduling"."create_calendar"("p_fields" "jsonb") FROM PUBLIC;
GRANT ALL ON FUNCTION "scheduling"."create_calendar"("p_fields" "jsonb") TO "restartix_app";

--
-- Name: FUNCTION "delete_calendar"("p_id" "uuid"); Type: ACL; Schema: scheduling; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "scheduling"."delete_calendar"("p_id" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "scheduling"."delete_calendar"("p_id" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "delete_closure"("p_id" "uuid"); Type: ACL; Schema: scheduling; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "scheduling"."delete_closure"("p_id" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "scheduling"."delete_closure"("p_id" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "delete_override"("p_id" "uuid"); Type: ACL; Schema: scheduling; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "scheduling"."delete_override"("p_id" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "scheduling"."delete_override"("p_id" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "delete_weekly_hours"("p_id" "uuid"); Type: ACL; Schema: scheduling; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "scheduling"."delete_weekly_hours"("p_id" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "scheduling"."delete_weekly_hours"("p_id" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "hours_changed"("p_specialist_id" "uuid"); Type: ACL; Schema: scheduling; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "scheduling"."hours_changed"("p_specialist_id" "uuid") FROM PUBLIC;

--
-- Name: FUNCTION "label"("p_start" time without time zone, "p_end" time without time zone); Type: ACL; Schema: scheduling; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "scheduling"."label"("p_start" time without time zone, "p_end" time without time zone) FROM PUBLIC;

--
-- Name: TABLE "calendars"; Type: ACL; Schema: scheduling; Owner: restartix_owner
--

GRANT SELECT ON TABLE "scheduling"."calendars" TO "restartix_app";

--
-- Name: FUNCTION "lock_calendar"("p_id" "uuid"); Type: ACL; Schema: scheduling; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "scheduling"."lock_calendar"("p_id" "uuid") FROM PUBLIC;

--
-- Name: FUNCTION "lock_specialist"("p_id" "uuid"); Type: ACL; Schema: scheduling; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "scheduling"."lock_specialist"("p_id" "uuid") FROM PUBLIC;

--
-- Name: FUNCTION "member_availability"("p_calendar_id" "uuid", "p_from" "date", "p_to" "date", "p_query_tz" "text", "p_holds" "jsonb"); Type: ACL; Schema: scheduling; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "scheduling"."member_availability"("p_calendar_id" "uuid", "p_from" "date", "p_to" "date", "p_query_tz" "text", "p_holds" "jsonb") FROM PUBLIC;
GRANT ALL ON FUNCTION "scheduling"."member_availability"("p_calendar_id" "uuid", "p_from" "date", "p_to" "date", "p_query_tz" "text", "p_holds" "jsonb") TO "restartix_app";

--
-- Name: FUNCTION "parse_time"("p_value" "text", "p_field" "text", "p_is_end" boolean); Type: ACL; Schema: scheduling; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "scheduling"."parse_time"("p_value" "text", "p_field" "text", "p_is_end" boolean) FROM PUBLIC;

--
-- Name: FUNCTION "pick_specialist"("p_calendar_id" "uuid", "p_start" timestamp with time zone, "p_holds" "jsonb", "p_requested" "uuid", "p_lock" boolean); Type: ACL; Schema: scheduling; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "scheduling"."pick_specialist"("p_calendar_id" "uuid", "p_start" timestamp with time zone, "p_holds" "jsonb", "p_requested" "uuid", "p_lock" boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION "scheduling"."pick_specialist"("p_calendar_id" "uuid", "p_start" timestamp with time zone, "p_holds" "jsonb", "p_requested" "uuid", "p_lock" boolean) TO "restartix_system";

--
-- Name: FUNCTION "public_availability"("p_calendar_id" "uuid", "p_from" "date", "p_to" "date", "p_query_tz" "text", "p_holds" "jsonb"); Type: ACL; Schema: scheduling; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "scheduling"."public_availability"("p_calendar_id" "uuid", "p_from" "date", "p_to" "date", "p_query_tz" "text", "p_holds" "jsonb") FROM PUBLIC;
GRANT ALL ON FUNCTION "scheduling"."public_availability"("p_calendar_id" "uuid", "p_from" "date", "p_to" "date", "p_query_tz" "text", "p_holds" "jsonb") TO "restartix_system";

--
-- Name: FUNCTION "public_calendar"("p_calendar_id" "uuid"); Type: ACL; Schema: scheduling; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "scheduling"."public_calendar"("p_calendar_id" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "scheduling"."public_calendar"("p_calendar_id" "uuid") TO "restartix_system";

--
-- Name: FUNCTION "public_calendar_specialists"("p_calendar_id" "uuid"); Type: ACL; Schema: scheduling; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "scheduling"."public_calendar_specialists"("p_calendar_id" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "scheduling"."public_calendar_specialists"("p_calendar_id" "uuid") TO "restartix_system";

--
-- Name: FUNCTION "record_assignment"("p_calendar_id" "uuid", "p_specialist_id" "uuid"); Type: ACL; Schema: scheduling; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "scheduling"."record_assignment"("p_calendar_id" "uuid", "p_specialist_id" "uuid") FROM PUBLIC;

--
-- Name: FUNCTION "remove_calendar_specialist"("p_calendar_id" "uuid", "p_specialist_id" "uuid"); Type: ACL; Schema: scheduling; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "scheduling"."remove_calendar_specialist"("p_calendar_id" "uuid", "p_specialist_id" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "scheduling"."remove_calendar_specialist"("p_calendar_id" "uuid", "p_specialist_id" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "rfc3339"("p_at" timestamp with time zone, "p_zone" "text"); Type: ACL; Schema: scheduling; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "scheduling"."rfc3339"("p_at" timestamp with time zone, "p_zone" "text") FROM PUBLIC;

--
-- Name: FUNCTION "set_calendar_specialist"("p_calendar_id" "uuid", "p_specialist_id" "uuid", "p_priority" integer, "p_hours" "jsonb"); Type: ACL; Schema: scheduling; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "scheduling"."set_calendar_specialist"("p_calendar_id" "uuid", "p_specialist_id" "uuid", "p_priority" integer, "p_hours" "jsonb") FROM PUBLIC;
GRANT ALL ON FUNCTION "scheduling"."set_calendar_specialist"("p_calendar_id" "uuid", "p_specialist_id" "uuid", "p_priority" integer, "p_hours" "jsonb") TO "restartix_app";

--
-- Name: FUNCTION "set_override"("p_specialist_id" "uuid", "p_date" "date", "p_unavailable" boolean, "p_intervals" "jsonb"); Type: ACL; Schema: scheduling; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "scheduling"."set_override"("p_specialist_id" "uuid", "p_date" "date", "p_unavailable" boolean, "p_intervals" "jsonb") FROM PUBLIC;
GRANT ALL ON FUNCTION "scheduling"."set_override"("p_specialist_id" "uuid", "p_date" "date", "p_unavailable" boolean, "p_intervals" "jsonb") TO "restartix_app";

--
-- Name: FUNCTION "update_calendar"("p_id" "uuid", "p_changes" "jsonb"); Type: ACL; Schema: scheduling; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "scheduling"."update_calendar"("p_id" "uuid", "p_changes" "jsonb") FROM PUBLIC;
GRANT ALL ON FUNCTION "scheduling"."update_calendar"("p_id" "uuid", "p_changes" "jsonb") TO "restartix_app";

--
-- Name: FUNCTION "zone_segments"("p_zone" "text", "p_date" "date"); Type: ACL; Schema: scheduling; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "scheduling"."zone_segments"("p_zone" "text", "p_date" "date") FROM PUBLIC;

--
-- Name: FUNCTION "begin_upload"("p_purpose" "text", "p_object_key" "text", "p_declared_mime" "text", "p_expires_at" timestamp with time zone); Type: ACL; Schema: storage; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "storage"."begin_upload"("p_purpose" "text", "p_object_key" "text", "p_declared_mime" "text", "p_expires_at" timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION "storage"."begin_upload"("p_purpose" "text", "p_object_key" "text", "p_declared_mime" "text", "p_expires_at" timestamp with time zone) TO "restartix_app";

--
-- Name: FUNCTION "complete_upload"("p_file" "uuid", "p_object_key" "text", "p_detected_mime" "text", "p_size_bytes" bigint, "p_sha256" "text"); Type: ACL; Schema: storage; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "storage"."complete_upload"("p_file" "uuid", "p_object_key" "text", "p_detected_mime" "text", "p_size_bytes" bigint, "p_sha256" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "storage"."complete_upload"("p_file" "uuid", "p_object_key" "text", "p_detected_mime" "text", "p_size_bytes" bigint, "p_sha256" "text") TO "restartix_app";

--
-- Name: FUNCTION "expire_abandoned_uploads"("p_grace" interval, "p_limit" integer); Type: ACL; Schema: storage; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "storage"."expire_abandoned_uploads"("p_grace" interval, "p_limit" integer) FROM PUBLIC;
GRANT ALL ON FUNCTION "storage"."expire_abandoned_uploads"("p_grace" interval, "p_limit" integer) TO "restartix_system";

--
-- Name: TABLE "files"; Type: ACL; Schema: storage; Owner: restartix_owner
--

GRANT SELECT ON TABLE "storage"."files" TO "restartix_app";
GRANT SELECT ON TABLE "storage"."files" TO "restartix_system";

--
-- Name: FUNCTION "lock_file"("p_file" "uuid"); Type: ACL; Schema: storage; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "storage"."lock_file"("p_file" "uuid") FROM PUBLIC;

--
-- Name: FUNCTION "lock_pending_upload"("p_file" "uuid"); Type: ACL; Schema: storage; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "storage"."lock_pending_upload"("p_file" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "storage"."lock_pending_upload"("p_file" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "mark_bytes_removed"("p_files" "uuid"[]); Type: ACL; Schema: storage; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "storage"."mark_bytes_removed"("p_files" "uuid"[]) FROM PUBLIC;
GRANT ALL ON FUNCTION "storage"."mark_bytes_removed"("p_files" "uuid"[]) TO "restartix_system";

--
-- Name: FUNCTION "reject_upload"("p_file" "uuid", "p_reason" "text", "p_detected_mime" "text", "p_size_bytes" bigint); Type: ACL; Schema: storage; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "storage"."reject_upload"("p_file" "uuid", "p_reason" "text", "p_detected_mime" "text", "p_size_bytes" bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION "storage"."reject_upload"("p_file" "uuid", "p_reason" "text", "p_detected_mime" "text", "p_size_bytes" bigint) TO "restartix_app";

--
-- Name: FUNCTION "remove_file"("p_file" "uuid"); Type: ACL; Schema: storage; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "storage"."remove_file"("p_file" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "storage"."remove_file"("p_file" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "require_uploader"("p_purpose" "text"); Type: ACL; Schema: storage; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "storage"."require_uploader"("p_purpose" "text") FROM PUBLIC;

--
-- Name: FUNCTION "retire"("p_file" "uuid", "p_reason" "text"); Type: ACL; Schema: storage; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "storage"."retire"("p_file" "uuid", "p_reason" "text") FROM PUBLIC;

--
-- Name: FUNCTION "retired_objects"("p_limit" integer); Type: ACL; Schema: storage; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "storage"."retired_objects"("p_limit" integer) FROM PUBLIC;
GRANT ALL ON FUNCTION "storage"."retired_objects"("p_limit" integer) TO "restartix_system";

--
-- Name: FUNCTION "upload_permission"("p_purpose" "text"); Type: ACL; Schema: storage; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "storage"."upload_permission"("p_purpose" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "storage"."upload_permission"("p_purpose" "text") TO "restartix_app";

--
-- Name: FUNCTION "accept_invitation"("p_token" "text"); Type: ACL; Schema: tenancy; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "tenancy"."accept_invitation"("p_token" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "tenancy"."accept_invitation"("p_token" "text") TO "restartix_app";

--
-- Name: FUNCTION "active_owner_count"("p_org" "uuid"); Type: ACL; Schema: tenancy; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "tenancy"."active_owner_count"("p_org" "uuid") FROM PUBLIC;

--
-- Name: FUNCTION "add_domain"("p_domain" "text"); Type: ACL; Schema: tenancy; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "tenancy"."add_domain"("p_domain" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "tenancy"."add_domain"("p_domain" "text") TO "restartix_app";

--
-- Name: FUNCTION "change_member_role"("p_membership" "uuid", "p_role" "uuid"); Type: ACL; Schema: tenancy; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "tenancy"."change_member_role"("p_membership" "uuid", "p_role" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "tenancy"."change_member_role"("p_membership" "uuid", "p_role" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "check_membership_role"(); Type: ACL; Schema: tenancy; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "tenancy"."check_membership_role"() FROM PUBLIC;

--
-- Name: FUNCTION "create_invitation"("p_email" "text", "p_role" "uuid", "p_ttl" interval); Type: ACL; Schema: tenancy; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "tenancy"."create_invitation"("p_email" "text", "p_role" "uuid", "p_ttl" interval) FROM PUBLIC;
GRANT ALL ON FUNCTION "tenancy"."create_invitation"("p_email" "text", "p_role" "uuid", "p_ttl" interval) TO "restartix_app";

--
-- Name: FUNCTION "create_organization"("p_slug" "text", "p_name" "text", "p_owner" "uuid"); Type: ACL; Schema: tenancy; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "tenancy"."create_organization"("p_slug" "text", "p_name" "text", "p_owner" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "tenancy"."create_organization"("p_slug" "text", "p_name" "text", "p_owner" "uuid") TO "restartix_app";

--
-- Name: TABLE "organization_memberships"; Type: ACL; Schema: tenancy; Owner: restartix_owner
--

GRANT SELECT ON TABLE "tenancy"."organization_memberships" TO "restartix_app";
GRANT SELECT ON TABLE "tenancy"."organization_memberships" TO "restartix_system";

--
-- Name: COLUMN "organization_memberships"."last_used_at"; Type: ACL; Schema: tenancy; Owner: restartix_owner
--

GRANT UPDATE("last_used_at") ON TABLE "tenancy"."organization_memberships" TO "restartix_system";

--
-- Name: FUNCTION "guard_member_change"("p_membership" "uuid", "p_new_role" "uuid", "p_new_status" "text"); Type: ACL; Schema: tenancy; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "tenancy"."guard_member_change"("p_membership" "uuid", "p_new_role" "uuid", "p_new_status" "text") FROM PUBLIC;

--
-- Name: FUNCTION "mark_domain_verified"("p_domain" "uuid"); Type: ACL; Schema: tenancy; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "tenancy"."mark_domain_verified"("p_domain" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "tenancy"."mark_domain_verified"("p_domain" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "remove_domain"("p_domain" "uuid"); Type: ACL; Schema: tenancy; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "tenancy"."remove_domain"("p_domain" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "tenancy"."remove_domain"("p_domain" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "remove_member"("p_membership" "uuid"); Type: ACL; Schema: tenancy; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "tenancy"."remove_member"("p_membership" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "tenancy"."remove_member"("p_membership" "uuid") TO "restartix_app";

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
-- Name: FUNCTION "revoke_invitation"("p_invitation" "uuid"); Type: ACL; Schema: tenancy; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "tenancy"."revoke_invitation"("p_invitation" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "tenancy"."revoke_invitation"("p_invitation" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "set_member_status"("p_membership" "uuid", "p_status" "text"); Type: ACL; Schema: tenancy; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "tenancy"."set_member_status"("p_membership" "uuid", "p_status" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "tenancy"."set_member_status"("p_membership" "uuid", "p_status" "text") TO "restartix_app";

--
-- Name: FUNCTION "set_primary_domain"("p_domain" "uuid"); Type: ACL; Schema: tenancy; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "tenancy"."set_primary_domain"("p_domain" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "tenancy"."set_primary_domain"("p_domain" "uuid") TO "restartix_app";

--
-- Name: FUNCTION "update_organization"("p_name" "text", "p_status" "text"); Type: ACL; Schema: tenancy; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "tenancy"."update_organization"("p_name" "text", "p_status" "text") FROM PUBLIC;
GRANT ALL ON FUNCTION "tenancy"."update_organization"("p_name" "text", "p_status" "text") TO "restartix_app";

--
-- Name: FUNCTION "update_settings"("p_changes" "jsonb"); Type: ACL; Schema: tenancy; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "tenancy"."update_settings"("p_changes" "jsonb") FROM PUBLIC;
GRANT ALL ON FUNCTION "tenancy"."update_settings"("p_changes" "jsonb") TO "restartix_app";

--
-- Name: FUNCTION "called_from_request_pool"(); Type: ACL; Schema: util; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "util"."called_from_request_pool"() FROM PUBLIC;

--
-- Name: FUNCTION "ensure_month_partition"("p_schema" "text", "p_parent" "text", "p_month" "date", "p_from" "text", "p_to" "text"); Type: ACL; Schema: util; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "util"."ensure_month_partition"("p_schema" "text", "p_parent" "text", "p_month" "date", "p_from" "text", "p_to" "text") FROM PUBLIC;

--
-- Name: FUNCTION "months_ahead"("p_first" "date", "p_ahead" integer); Type: ACL; Schema: util; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "util"."months_ahead"("p_first" "date", "p_ahead" integer) FROM PUBLIC;

--
-- Name: FUNCTION "reset_policies"("p_table" "regclass"); Type: ACL; Schema: util; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "util"."reset_policies"("p_table" "regclass") FROM PUBLIC;

--
-- Name: FUNCTION "restore"("p_table" "regclass", "p_id" "uuid"); Type: ACL; Schema: util; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "util"."restore"("p_table" "regclass", "p_id" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "util"."restore"("p_table" "regclass", "p_id" "uuid") TO "restartix_app";
GRANT ALL ON FUNCTION "util"."restore"("p_table" "regclass", "p_id" "uuid") TO "restartix_system";

--
-- Name: FUNCTION "soft_delete"("p_table" "regclass", "p_id" "uuid"); Type: ACL; Schema: util; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "util"."soft_delete"("p_table" "regclass", "p_id" "uuid") FROM PUBLIC;
GRANT ALL ON FUNCTION "util"."soft_delete"("p_table" "regclass", "p_id" "uuid") TO "restartix_app";
GRANT ALL ON FUNCTION "util"."soft_delete"("p_table" "regclass", "p_id" "uuid") TO "restartix_system";

--
-- Name: FUNCTION "soft_delete_row"(); Type: ACL; Schema: util; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "util"."soft_delete_row"() FROM PUBLIC;

--
-- Name: FUNCTION "touch_updated_at"(); Type: ACL; Schema: util; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "util"."touch_updated_at"() FROM PUBLIC;

--
-- Name: FUNCTION "uuid_v7"(); Type: ACL; Schema: util; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "util"."uuid_v7"() FROM PUBLIC;
GRANT ALL ON FUNCTION "util"."uuid_v7"() TO "restartix_app";
GRANT ALL ON FUNCTION "util"."uuid_v7"() TO "restartix_system";

--
-- Name: FUNCTION "uuid_v7_floor"("p_at" timestamp with time zone); Type: ACL; Schema: util; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "util"."uuid_v7_floor"("p_at" timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION "util"."uuid_v7_floor"("p_at" timestamp with time zone) TO "restartix_app";
GRANT ALL ON FUNCTION "util"."uuid_v7_floor"("p_at" timestamp with time zone) TO "restartix_system";

--
-- Name: FUNCTION "sum_money"("catalog"."money"); Type: ACL; Schema: catalog; Owner: restartix_owner
--

REVOKE ALL ON FUNCTION "catalog"."sum_money"("catalog"."money") FROM PUBLIC;
GRANT ALL ON FUNCTION "catalog"."sum_money"("catalog"."money") TO "restartix_app";

--
-- Name: TABLE "appointments"; Type: ACL; Schema: appointments; Owner: restartix_owner
--

GRANT SELECT ON TABLE "appointments"."appointments" TO "restartix_app";

--
-- Name: TABLE "audit_ai_provenance"; Type: ACL; Schema: audit; Owner: restartix_owner
--

GRANT SELECT ON TABLE "audit"."audit_ai_provenance" TO "restartix_app";

--
-- Name: TABLE "audit_log"; Type: ACL; Schema: audit; Owner: restartix_owner
--

GRANT SELECT ON TABLE "audit"."audit_log" TO "restartix_app";

--
-- Name: TABLE "entitlements"; Type: ACL; Schema: billing; Owner: restartix_owner
--

GRANT SELECT ON TABLE "billing"."entitlements" TO "restartix_app";

--
-- Name: TABLE "limit_definitions"; Type: ACL; Schema: billing; Owner: restartix_owner
--

GRANT SELECT ON TABLE "billing"."limit_definitions" TO "restartix_app";

--
-- Name: TABLE "organization_billing"; Type: ACL; Schema: billing; Owner: restartix_owner
--

GRANT SELECT ON TABLE "billing"."organization_billing" TO "restartix_app";
GRANT SELECT ON TABLE "billing"."organization_billing" TO "restartix_system";

--
-- Name: COLUMN "organization_billing"."tax_id_encrypted"; Type: ACL; Schema: billing; Owner: restartix_owner
--

GRANT UPDATE("tax_id_encrypted") ON TABLE "billing"."organization_billing" TO "restartix_system";

--
-- Name: TABLE "organization_entitlements"; Type: ACL; Schema: billing; Owner: restartix_owner
--

GRANT SELECT ON TABLE "billing"."organization_entitlements" TO "restartix_app";

--
-- Name: TABLE "organization_subscription_entitlements"; Type: ACL; Schema: billing; Owner: restartix_owner
--

GRANT SELECT ON TABLE "billing"."organization_subscription_entitlements" TO "restartix_app";

--
-- Name: TABLE "organization_subscription_limits"; Type: ACL; Schema: billing; Owner: restartix_owner
--

GRANT SELECT ON TABLE "billing"."organization_subscription_limits" TO "restartix_app";

--
-- Name: TABLE "organization_subscription_overrides"; Type: ACL; Schema: billing; Owner: restartix_owner
--

GRANT SELECT ON TABLE "billing"."organization_subscription_overrides" TO "restartix_app";

--
-- Name: TABLE "organization_subscriptions"; Type: ACL; Schema: billing; Owner: restartix_owner
--

GRANT SELECT ON TABLE "billing"."organization_subscriptions" TO "restartix_app";

--
-- Name: TABLE "patient_tier_entitlements"; Type: ACL; Schema: billing; Owner: restartix_owner
--

GRANT SELECT ON TABLE "billing"."patient_tier_entitlements" TO "restartix_app";

--
-- Name: TABLE "patient_tier_limits"; Type: ACL; Schema: billing; Owner: restartix_owner
--

GRANT SELECT ON TABLE "billing"."patient_tier_limits" TO "restartix_app";

--
-- Name: TABLE "patient_tier_versions"; Type: ACL; Schema: billing; Owner: restartix_owner
--

GRANT SELECT ON TABLE "billing"."patient_tier_versions" TO "restartix_app";

--
-- Name: TABLE "patient_tiers"; Type: ACL; Schema: billing; Owner: restartix_owner
--

GRANT SELECT ON TABLE "billing"."patient_tiers" TO "restartix_app";

--
-- Name: TABLE "tier_entitlements"; Type: ACL; Schema: billing; Owner: restartix_owner
--

GRANT SELECT ON TABLE "billing"."tier_entitlements" TO "restartix_app";

--
-- Name: TABLE "tier_limits"; Type: ACL; Schema: billing; Owner: restartix_owner
--

GRANT SELECT ON TABLE "billing"."tier_limits" TO "restartix_app";

--
-- Name: TABLE "tier_versions"; Type: ACL; Schema: billing; Owner: restartix_owner
--

GRANT SELECT ON TABLE "billing"."tier_versions" TO "restartix_app";

--
-- Name: TABLE "tiers"; Type: ACL; Schema: billing; Owner: restartix_owner
--

GRANT SELECT ON TABLE "billing"."tiers" TO "restartix_app";

--
-- Name: TABLE "plan_consumptions"; Type: ACL; Schema: catalog; Owner: restartix_owner
--

GRANT SELECT ON TABLE "catalog"."plan_consumptions" TO "restartix_app";

--
-- Name: TABLE "service_plan_products"; Type: ACL; Schema: catalog; Owner: restartix_owner
--

GRANT SELECT ON TABLE "catalog"."service_plan_products" TO "restartix_app";

--
-- Name: TABLE "service_plan_services"; Type: ACL; Schema: catalog; Owner: restartix_owner
--

GRANT SELECT ON TABLE "catalog"."service_plan_services" TO "restartix_app";

--
-- Name: TABLE "service_plan_versions"; Type: ACL; Schema: catalog; Owner: restartix_owner
--

GRANT SELECT ON TABLE "catalog"."service_plan_versions" TO "restartix_app";

--
-- Name: TABLE "consents"; Type: ACL; Schema: consent; Owner: restartix_owner
--

GRANT SELECT ON TABLE "consent"."consents" TO "restartix_app";

--
-- Name: TABLE "documents"; Type: ACL; Schema: consent; Owner: restartix_owner
--

GRANT SELECT ON TABLE "consent"."documents" TO "restartix_app";
GRANT SELECT ON TABLE "consent"."documents" TO "restartix_system";

--
-- Name: TABLE "purposes"; Type: ACL; Schema: consent; Owner: restartix_owner
--

GRANT SELECT ON TABLE "consent"."purposes" TO "restartix_app";
GRANT SELECT ON TABLE "consent"."purposes" TO "restartix_system";

--
-- Name: TABLE "organization_data_keys"; Type: ACL; Schema: crypto; Owner: restartix_owner
--

GRANT SELECT,INSERT ON TABLE "crypto"."organization_data_keys" TO "restartix_system";

--
-- Name: COLUMN "organization_data_keys"."kek_id"; Type: ACL; Schema: crypto; Owner: restartix_owner
--

GRANT UPDATE("kek_id") ON TABLE "crypto"."organization_data_keys" TO "restartix_system";

--
-- Name: COLUMN "organization_data_keys"."data_key_encrypted"; Type: ACL; Schema: crypto; Owner: restartix_owner
--

GRANT UPDATE("data_key_encrypted") ON TABLE "crypto"."organization_data_keys" TO "restartix_system";

--
-- Name: COLUMN "organization_data_keys"."retired_at"; Type: ACL; Schema: crypto; Owner: restartix_owner
--

GRANT UPDATE("retired_at") ON TABLE "crypto"."organization_data_keys" TO "restartix_system";

--
-- Name: COLUMN "organization_data_keys"."destroyed_at"; Type: ACL; Schema: crypto; Owner: restartix_owner
--

GRANT UPDATE("destroyed_at") ON TABLE "crypto"."organization_data_keys" TO "restartix_system";

--
-- Name: TABLE "consumers"; Type: ACL; Schema: events; Owner: restartix_owner
--

GRANT SELECT ON TABLE "events"."consumers" TO "restartix_system";

--
-- Name: TABLE "deliveries"; Type: ACL; Schema: events; Owner: restartix_owner
--

GRANT SELECT ON TABLE "events"."deliveries" TO "restartix_system";

--
-- Name: TABLE "delivery_history"; Type: ACL; Schema: events; Owner: restartix_owner
--

GRANT SELECT ON TABLE "events"."delivery_history" TO "restartix_system";

--
-- Name: TABLE "event_types"; Type: ACL; Schema: events; Owner: restartix_owner
--

GRANT SELECT ON TABLE "events"."event_types" TO "restartix_system";

--
-- Name: TABLE "outbox"; Type: ACL; Schema: events; Owner: restartix_owner
--

GRANT SELECT ON TABLE "events"."outbox" TO "restartix_system";

--
-- Name: TABLE "periodic_tasks"; Type: ACL; Schema: events; Owner: restartix_owner
--

GRANT SELECT,INSERT,UPDATE ON TABLE "events"."periodic_tasks" TO "restartix_system";

--
-- Name: TABLE "routes"; Type: ACL; Schema: events; Owner: restartix_owner
--

GRANT SELECT ON TABLE "events"."routes" TO "restartix_system";

--
-- Name: TABLE "humans"; Type: ACL; Schema: iam; Owner: restartix_owner
--

GRANT SELECT ON TABLE "iam"."humans" TO "restartix_app";
GRANT SELECT,INSERT ON TABLE "iam"."humans" TO "restartix_system";

--
-- Name: COLUMN "humans"."last_activity_at"; Type: ACL; Schema: iam; Owner: restartix_owner
--

GRANT UPDATE("last_activity_at") ON TABLE "iam"."humans" TO "restartix_system";

--
-- Name: TABLE "permissions"; Type: ACL; Schema: iam; Owner: restartix_owner
--

GRANT SELECT ON TABLE "iam"."permissions" TO "restartix_app";

--
-- Name: TABLE "platform_memberships"; Type: ACL; Schema: iam; Owner: restartix_owner
--

GRANT SELECT ON TABLE "iam"."platform_memberships" TO "restartix_app";

--
-- Name: TABLE "principals"; Type: ACL; Schema: iam; Owner: restartix_owner
--

GRANT SELECT ON TABLE "iam"."principals" TO "restartix_app";
GRANT SELECT,INSERT ON TABLE "iam"."principals" TO "restartix_system";

--
-- Name: TABLE "role_permissions"; Type: ACL; Schema: iam; Owner: restartix_owner
--

GRANT SELECT ON TABLE "iam"."role_permissions" TO "restartix_app";

--
-- Name: TABLE "roles"; Type: ACL; Schema: iam; Owner: restartix_owner
--

GRANT SELECT ON TABLE "iam"."roles" TO "restartix_app";

--
-- Name: TABLE "organization_integrations"; Type: ACL; Schema: integrations; Owner: restartix_owner
--

GRANT DELETE ON TABLE "integrations"."organization_integrations" TO "restartix_app";
GRANT SELECT ON TABLE "integrations"."organization_integrations" TO "restartix_system";

--
-- Name: COLUMN "organization_integrations"."id"; Type: ACL; Schema: integrations; Owner: restartix_owner
--

GRANT SELECT("id"),INSERT("id") ON TABLE "integrations"."organization_integrations" TO "restartix_app";

--
-- Name: COLUMN "organization_integrations"."organization_id"; Type: ACL; Schema: integrations; Owner: restartix_owner
--

GRANT SELECT("organization_id"),INSERT("organization_id") ON TABLE "integrations"."organization_integrations" TO "restartix_app";

--
-- Name: COLUMN "organization_integrations"."kind"; Type: ACL; Schema: integrations; Owner: restartix_owner
--

GRANT SELECT("kind"),INSERT("kind") ON TABLE "integrations"."organization_integrations" TO "restartix_app";

--
-- Name: COLUMN "organization_integrations"."account_label"; Type: ACL; Schema: integrations; Owner: restartix_owner
--

GRANT SELECT("account_label"),INSERT("account_label"),UPDATE("account_label") ON TABLE "integrations"."organization_integrations" TO "restartix_app";

--
-- Name: COLUMN "organization_integrations"."scopes"; Type: ACL; Schema: integrations; Owner: restartix_owner
--

GRANT SELECT("scopes"),INSERT("scopes"),UPDATE("scopes") ON TABLE "integrations"."organization_integrations" TO "restartix_app";

--
-- Name: COLUMN "organization_integrations"."status"; Type: ACL; Schema: integrations; Owner: restartix_owner
--

GRANT SELECT("status"),INSERT("status"),UPDATE("status") ON TABLE "integrations"."organization_integrations" TO "restartix_app";
GRANT UPDATE("status") ON TABLE "integrations"."organization_integrations" TO "restartix_system";

--
-- Name: COLUMN "organization_integrations"."last_error"; Type: ACL; Schema: integrations; Owner: restartix_owner
--

GRANT SELECT("last_error"),UPDATE("last_error") ON TABLE "integrations"."organization_integrations" TO "restartix_app";
GRANT UPDATE("last_error") ON TABLE "integrations"."organization_integrations" TO "restartix_system";

--
-- Name: COLUMN "organization_integrations"."last_error_at"; Type: ACL; Schema: integrations; Owner: restartix_owner
--

GRANT SELECT("last_error_at"),UPDATE("last_error_at") ON TABLE "integrations"."organization_integrations" TO "restartix_app";
GRANT UPDATE("last_error_at") ON TABLE "integrations"."organization_integrations" TO "restartix_system";

--
-- Name: COLUMN "organization_integrations"."credentials_encrypted"; Type: ACL; Schema: integrations; Owner: restartix_owner
--

GRANT INSERT("credentials_encrypted"),UPDATE("credentials_encrypted") ON TABLE "integrations"."organization_integrations" TO "restartix_app";
GRANT UPDATE("credentials_encrypted") ON TABLE "integrations"."organization_integrations" TO "restartix_system";

--
-- Name: COLUMN "organization_integrations"."has_credentials"; Type: ACL; Schema: integrations; Owner: restartix_owner
--

GRANT SELECT("has_credentials") ON TABLE "integrations"."organization_integrations" TO "restartix_app";

--
-- Name: COLUMN "organization_integrations"."connected_by"; Type: ACL; Schema: integrations; Owner: restartix_owner
--

GRANT SELECT("connected_by"),INSERT("connected_by") ON TABLE "integrations"."organization_integrations" TO "restartix_app";

--
-- Name: COLUMN "organization_integrations"."connected_at"; Type: ACL; Schema: integrations; Owner: restartix_owner
--

GRANT SELECT("connected_at") ON TABLE "integrations"."organization_integrations" TO "restartix_app";

--
-- Name: COLUMN "organization_integrations"."created_at"; Type: ACL; Schema: integrations; Owner: restartix_owner
--

GRANT SELECT("created_at") ON TABLE "integrations"."organization_integrations" TO "restartix_app";

--
-- Name: COLUMN "organization_integrations"."updated_at"; Type: ACL; Schema: integrations; Owner: restartix_owner
--

GRANT SELECT("updated_at") ON TABLE "integrations"."organization_integrations" TO "restartix_app";

--
-- Name: TABLE "platform_service_providers"; Type: ACL; Schema: integrations; Owner: restartix_owner
--

GRANT DELETE ON TABLE "integrations"."platform_service_providers" TO "restartix_app";
GRANT SELECT ON TABLE "integrations"."platform_service_providers" TO "restartix_system";

--
-- Name: COLUMN "platform_service_providers"."id"; Type: ACL; Schema: integrations; Owner: restartix_owner
--

GRANT SELECT("id"),INSERT("id") ON TABLE "integrations"."platform_service_providers" TO "restartix_app";

--
-- Name: COLUMN "platform_service_providers"."organization_id"; Type: ACL; Schema: integrations; Owner: restartix_owner
--

GRANT SELECT("organization_id"),INSERT("organization_id") ON TABLE "integrations"."platform_service_providers" TO "restartix_app";

--
-- Name: COLUMN "platform_service_providers"."category"; Type: ACL; Schema: integrations; Owner: restartix_owner
--

GRANT SELECT("category"),INSERT("category") ON TABLE "integrations"."platform_service_providers" TO "restartix_app";

--
-- Name: COLUMN "platform_service_providers"."provider"; Type: ACL; Schema: integrations; Owner: restartix_owner
--

GRANT SELECT("provider"),INSERT("provider"),UPDATE("provider") ON TABLE "integrations"."platform_service_providers" TO "restartix_app";

--
-- Name: COLUMN "platform_service_providers"."config"; Type: ACL; Schema: integrations; Owner: restartix_owner
--

GRANT SELECT("config"),INSERT("config"),UPDATE("config") ON TABLE "integrations"."platform_service_providers" TO "restartix_app";

--
-- Name: COLUMN "platform_service_providers"."credentials_encrypted"; Type: ACL; Schema: integrations; Owner: restartix_owner
--

GRANT INSERT("credentials_encrypted"),UPDATE("credentials_encrypted") ON TABLE "integrations"."platform_service_providers" TO "restartix_app";

--
-- Name: COLUMN "platform_service_providers"."has_credentials"; Type: ACL; Schema: integrations; Owner: restartix_owner
--

GRANT SELECT("has_credentials") ON TABLE "integrations"."platform_service_providers" TO "restartix_app";

--
-- Name: COLUMN "platform_service_providers"."enabled"; Type: ACL; Schema: integrations; Owner: restartix_owner
--

GRANT SELECT("enabled"),INSERT("enabled"),UPDATE("enabled") ON TABLE "integrations"."platform_service_providers" TO "restartix_app";

--
-- Name: COLUMN "platform_service_providers"."is_default"; Type: ACL; Schema: integrations; Owner: restartix_owner
--

GRANT SELECT("is_default"),INSERT("is_default"),UPDATE("is_default") ON TABLE "integrations"."platform_service_providers" TO "restartix_app";

--
-- Name: COLUMN "platform_service_providers"."created_by"; Type: ACL; Schema: integrations; Owner: restartix_owner
--

GRANT SELECT("created_by"),INSERT("created_by") ON TABLE "integrations"."platform_service_providers" TO "restartix_app";

--
-- Name: COLUMN "platform_service_providers"."created_at"; Type: ACL; Schema: integrations; Owner: restartix_owner
--

GRANT SELECT("created_at") ON TABLE "integrations"."platform_service_providers" TO "restartix_app";

--
-- Name: COLUMN "platform_service_providers"."updated_at"; Type: ACL; Schema: integrations; Owner: restartix_owner
--

GRANT SELECT("updated_at") ON TABLE "integrations"."platform_service_providers" TO "restartix_app";

--
-- Name: TABLE "meters"; Type: ACL; Schema: metering; Owner: restartix_owner
--

GRANT SELECT ON TABLE "metering"."meters" TO "restartix_app";
GRANT SELECT ON TABLE "metering"."meters" TO "restartix_system";

--
-- Name: TABLE "usage_events"; Type: ACL; Schema: metering; Owner: restartix_owner
--

GRANT SELECT ON TABLE "metering"."usage_events" TO "restartix_app";

--
-- Name: TABLE "usage_rollups"; Type: ACL; Schema: metering; Owner: restartix_owner
--

GRANT SELECT ON TABLE "metering"."usage_rollups" TO "restartix_app";

--
-- Name: TABLE "patient_caregivers"; Type: ACL; Schema: people; Owner: restartix_owner
--

GRANT SELECT ON TABLE "people"."patient_caregivers" TO "restartix_app";

--
-- Name: TABLE "patient_profiles"; Type: ACL; Schema: people; Owner: restartix_owner
--

GRANT SELECT ON TABLE "people"."patient_profiles" TO "restartix_app";

--
-- Name: TABLE "patient_subscription_entitlements"; Type: ACL; Schema: people; Owner: restartix_owner
--

GRANT SELECT ON TABLE "people"."patient_subscription_entitlements" TO "restartix_app";

--
-- Name: TABLE "patient_subscription_limits"; Type: ACL; Schema: people; Owner: restartix_owner
--

GRANT SELECT ON TABLE "people"."patient_subscription_limits" TO "restartix_app";

--
-- Name: TABLE "patient_subscription_overrides"; Type: ACL; Schema: people; Owner: restartix_owner
--

GRANT SELECT ON TABLE "people"."patient_subscription_overrides" TO "restartix_app";

--
-- Name: TABLE "patient_subscriptions"; Type: ACL; Schema: people; Owner: restartix_owner
--

GRANT SELECT ON TABLE "people"."patient_subscriptions" TO "restartix_app";

--
-- Name: TABLE "specialist_specialties"; Type: ACL; Schema: people; Owner: restartix_owner
--

GRANT SELECT ON TABLE "people"."specialist_specialties" TO "restartix_app";

--
-- Name: TABLE "specialties"; Type: ACL; Schema: people; Owner: restartix_owner
--

GRANT SELECT ON TABLE "people"."specialties" TO "restartix_app";

--
-- Name: TABLE "calendar_specialists"; Type: ACL; Schema: scheduling; Owner: restartix_owner
--

GRANT SELECT ON TABLE "scheduling"."calendar_specialists" TO "restartix_app";

--
-- Name: TABLE "organization_closures"; Type: ACL; Schema: scheduling; Owner: restartix_owner
--

GRANT SELECT ON TABLE "scheduling"."organization_closures" TO "restartix_app";

--
-- Name: TABLE "specialist_assignment_tracking"; Type: ACL; Schema: scheduling; Owner: restartix_owner
--

GRANT SELECT ON TABLE "scheduling"."specialist_assignment_tracking" TO "restartix_app";

--
-- Name: TABLE "specialist_schedule_overrides"; Type: ACL; Schema: scheduling; Owner: restartix_owner
--

GRANT SELECT ON TABLE "scheduling"."specialist_schedule_overrides" TO "restartix_app";

--
-- Name: TABLE "specialist_weekly_hours"; Type: ACL; Schema: scheduling; Owner: restartix_owner
--

GRANT SELECT ON TABLE "scheduling"."specialist_weekly_hours" TO "restartix_app";

--
-- Name: TABLE "invitations"; Type: ACL; Schema: tenancy; Owner: restartix_owner
--

GRANT SELECT ON TABLE "tenancy"."invitations" TO "restartix_app";

--
-- Name: TABLE "organization_domains"; Type: ACL; Schema: tenancy; Owner: restartix_owner
--

GRANT SELECT ON TABLE "tenancy"."organization_domains" TO "restartix_app";

--
-- Name: TABLE "organization_settings"; Type: ACL; Schema: tenancy; Owner: restartix_owner
--

GRANT SELECT ON TABLE "tenancy"."organization_settings" TO "restartix_app";

--
-- Name: TABLE "organizations"; Type: ACL; Schema: tenancy; Owner: restartix_owner
--

GRANT SELECT ON TABLE "tenancy"."organizations" TO "restartix_app";

--
-- Name: TABLE "column_classification"; Type: ACL; Schema: util; Owner: restartix_owner
--

GRANT SELECT ON TABLE "util"."column_classification" TO "restartix_analyst";
GRANT SELECT ON TABLE "util"."column_classification" TO "restartix_app";
GRANT SELECT ON TABLE "util"."column_classification" TO "restartix_system";

--
-- Name: DEFAULT PRIVILEGES FOR FUNCTIONS; Type: DEFAULT ACL; Schema: -; Owner: restartix_owner
--

ALTER DEFAULT PRIVILEGES FOR ROLE "restartix_owner" REVOKE ALL ON FUNCTIONS  FROM PUBLIC;

--
-- PostgreSQL database dump complete
--
