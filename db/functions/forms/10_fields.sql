-- Custom fields: the value validator every write shares, field definitions published as
-- immutable versions, and values set on an entity. Errors: RAISE EXCEPTION '<code>' USING
-- DETAIL (a sentence) and HINT (a JSON object naming the field or item), which the API
-- returns as the envelope's details.

CREATE OR REPLACE FUNCTION forms.is_real_date(p_text text) RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$
    -- p_text is YYYY-MM-DD (the caller checked the shape): a day that exists in that month.
    SELECT pg_catalog.substr(p_text, 1, 4)::integer BETWEEN 1 AND 9999
        AND pg_catalog.substr(p_text, 6, 2)::integer BETWEEN 1 AND 12
        AND pg_catalog.substr(p_text, 9, 2)::integer BETWEEN 1 AND pg_catalog.date_part('day',
            pg_catalog.make_date(
                pg_catalog.substr(p_text, 1, 4)::integer, pg_catalog.substr(p_text, 6, 2)::integer, 1
            ) + interval '1 month - 1 day'
        )::integer
$$;
COMMENT ON FUNCTION forms.is_real_date(text) IS 'Whether a YYYY-MM-DD text names a day that exists (no cast, no exception).';

CREATE OR REPLACE FUNCTION forms.value_error(p_type text, p_options jsonb, p_rules jsonb, p_value jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE
AS $$
-- NULL when p_value is a valid answer of this type under these rules, else why not.
-- A JSON null is "no answer": whether one is needed is the caller's question (required).
DECLARE
    v_kind text := pg_catalog.jsonb_typeof(p_value);
    v_text text;
    v_num numeric;
    v_min numeric := (p_rules ->> 'min')::numeric;
    v_max numeric := (p_rules ->> 'max')::numeric;
    v_allowed jsonb;
    v_count integer;
BEGIN
    IF p_value IS NULL OR v_kind = 'null' THEN
        RETURN NULL;
    END IF;
    IF p_type IN ('single_choice', 'multi_choice') THEN
        SELECT coalesce(pg_catalog.jsonb_agg(o -> 'value'), '[]') INTO v_allowed
        FROM pg_catalog.jsonb_array_elements(coalesce(p_options, '[]')) AS o;
    END IF;
    CASE p_type
        WHEN 'text', 'long_text' THEN
            IF v_kind <> 'string' THEN RETURN 'expects text'; END IF;
            v_text := p_value #>> '{}';
            IF pg_catalog.length(v_text) > coalesce((p_rules ->> 'max_length')::integer,
                CASE p_type WHEN 'text' THEN 1000 ELSE 20000 END) THEN
                RETURN 'is too long';
            END IF;
            IF pg_catalog.length(v_text) < coalesce((p_rules ->> 'min_length')::integer, 0) THEN
                RETURN 'is too short';
            END IF;
            IF p_rules ? 'pattern' AND v_text !~ (p_rules ->> 'pattern') THEN
                RETURN 'does not match the expected format';
            END IF;
        WHEN 'number', 'integer', 'scale' THEN
            IF v_kind <> 'number' THEN RETURN 'expects a number'; END IF;
            v_num := (p_value #>> '{}')::numeric;
            IF p_type IN ('integer', 'scale') AND v_num <> pg_catalog.trunc(v_num) THEN
                RETURN 'expects a whole number';
            END IF;
            IF p_type = 'scale' THEN
                v_min := coalesce(v_min, 0);
                v_max := coalesce(v_max, 10);
            END IF;
            IF v_num < v_min THEN RETURN pg_catalog.format('is below the minimum %s', v_min); END IF;
            IF v_num > v_max THEN RETURN pg_catalog.format('is above the maximum %s', v_max); END IF;
        WHEN 'boolean' THEN
            IF v_kind <> 'boolean' THEN RETURN 'expects true or false'; END IF;
        WHEN 'date', 'datetime' THEN
            IF v_kind <> 'string' THEN RETURN 'expects a date'; END IF;
            v_text := p_value #>> '{}';
            IF (p_type = 'date' AND v_text !~ '^\d{4}-\d{2}-\d{2}$')
               OR (p_type = 'datetime' AND v_text !~ '^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$') THEN
                RETURN 'expects an ISO 8601 ' || CASE p_type WHEN 'date' THEN 'date' ELSE 'date and time with offset' END;
            END IF;
            -- Checked by arithmetic, not by a cast in an exception block: no subtransaction
            -- per answer on the completion path.
            IF NOT forms.is_real_date(pg_catalog.substr(v_text, 1, 10))
               OR (p_type = 'datetime' AND (pg_catalog.substr(v_text, 12, 2)::integer > 23
                   OR pg_catalog.substr(v_text, 15, 2)::integer > 59
                   OR coalesce(nullif(pg_catalog.substr(v_text, 18, 2), '')::integer, 0) > 59)) THEN
                RETURN 'is not a real date';
            END IF;
        WHEN 'single_choice' THEN
            IF v_kind <> 'string' THEN RETURN 'expects one of the options'; END IF;
            IF NOT v_allowed @> pg_catalog.jsonb_build_array(p_value) THEN RETURN 'is not one of the options'; END IF;
        WHEN 'multi_choice' THEN
            IF v_kind <> 'array' THEN RETURN 'expects a list of options'; END IF;
            IF EXISTS (
                SELECT 1 FROM pg_catalog.jsonb_array_elements(p_value) AS e
                WHERE NOT v_allowed @> pg_catalog.jsonb_build_array(e)
            ) THEN
                RETURN 'names something that is not an option';
            END IF;
            SELECT pg_catalog.count(DISTINCT e) INTO v_count FROM pg_catalog.jsonb_array_elements(p_value) AS e;
            IF v_count <> pg_catalog.jsonb_array_length(p_value) THEN RETURN 'names an option twice'; END IF;
            IF v_count < coalesce(v_min, 0) THEN RETURN pg_catalog.format('needs at least %s options', v_min); END IF;
            IF v_count > v_max THEN RETURN pg_catalog.format('allows at most %s options', v_max); END IF;
        WHEN 'file', 'signature' THEN
            IF v_kind <> 'string' OR (p_value #>> '{}') !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
                RETURN 'expects the id of an uploaded file';
            END IF;
        ELSE
            RETURN 'has an unknown type';
    END CASE;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION forms.value_error(text, jsonb, jsonb, jsonb) IS 'Why a JSON value is not a valid answer of a field type under its options and rules; NULL when it is.';

CREATE OR REPLACE FUNCTION forms.check_definition(p_type text, p_options jsonb, p_rules jsonb) RETURNS void
LANGUAGE plpgsql IMMUTABLE
SET search_path = ''
AS $$
-- The shape of a field's options and rules, checked before a version is published.
DECLARE
    v_key text;
BEGIN
    IF pg_catalog.jsonb_typeof(p_rules) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'The rules are a JSON object.', HINT = '{"field": "rules"}';
    END IF;
    FOR v_key IN SELECT pg_catalog.jsonb_object_keys(p_rules) LOOP
        IF v_key NOT IN ('required', 'min', 'max', 'min_length', 'max_length', 'pattern') THEN
            RAISE EXCEPTION 'invalid_field' USING DETAIL = pg_catalog.format('Unknown rule %s.', v_key), HINT = '{"field": "rules"}';
        END IF;
    END LOOP;
    IF (p_rules ? 'min' AND pg_catalog.jsonb_typeof(p_rules -> 'min') <> 'number')
       OR (p_rules ? 'max' AND pg_catalog.jsonb_typeof(p_rules -> 'max') <> 'number')
       OR (p_rules ? 'min_length' AND pg_catalog.jsonb_typeof(p_rules -> 'min_length') <> 'number')
       OR (p_rules ? 'max_length' AND pg_catalog.jsonb_typeof(p_rules -> 'max_length') <> 'number')
       OR (p_rules ? 'required' AND pg_catalog.jsonb_typeof(p_rules -> 'required') <> 'boolean')
       OR (p_rules ? 'pattern' AND (pg_catalog.jsonb_typeof(p_rules -> 'pattern') <> 'string'
           OR pg_catalog.length(p_rules ->> 'pattern') > 500)) THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'A rule has the wrong type.', HINT = '{"field": "rules"}';
    END IF;
    IF p_rules ? 'pattern' THEN
        BEGIN
            PERFORM '' ~ (p_rules ->> 'pattern');
        EXCEPTION WHEN OTHERS THEN
            RAISE EXCEPTION 'invalid_field' USING DETAIL = 'The pattern is not a valid regular expression.', HINT = '{"field": "rules"}';
        END;
    END IF;
    IF pg_catalog.jsonb_typeof(p_options) IS DISTINCT FROM 'array' OR EXISTS (
        SELECT 1 FROM pg_catalog.jsonb_array_elements(p_options) AS o
        WHERE pg_catalog.jsonb_typeof(o) <> 'object' OR pg_catalog.jsonb_typeof(o -> 'value') IS DISTINCT FROM 'string'
           OR pg_catalog.length(o ->> 'value') NOT BETWEEN 1 AND 100 OR pg_catalog.length(coalesce(o ->> 'label', '')) > 200
    ) THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'Options are a list of {"value", "label"} objects.', HINT = '{"field": "options"}';
    END IF;
    IF (SELECT pg_catalog.count(DISTINCT o -> 'value') FROM pg_catalog.jsonb_array_elements(p_options) AS o)
       <> pg_catalog.jsonb_array_length(p_options) THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'Option values are unique.', HINT = '{"field": "options"}';
    END IF;
    IF (p_type IN ('single_choice', 'multi_choice')) <> (pg_catalog.jsonb_array_length(p_options) > 0) THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'Choice fields, and only they, have options.', HINT = '{"field": "options"}';
    END IF;
END;
$$;
COMMENT ON FUNCTION forms.check_definition(text, jsonb, jsonb) IS 'Internal: raises invalid_field unless options and rules are well formed for the type.';

CREATE OR REPLACE FUNCTION forms.publish_field_version(p_field uuid, p_version integer, p_def jsonb) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_id uuid;
BEGIN
    PERFORM forms.check_definition(p_def ->> 'type', coalesce(p_def -> 'options', '[]'), coalesce(p_def -> 'rules', '{}'));
    INSERT INTO forms.custom_field_versions (
        organization_id, custom_field_id, version, label, help, translations, field_type, options,
        rules, classification, published_by
    ) VALUES (
        iam.current_org_id(), p_field, p_version, pg_catalog.btrim(p_def ->> 'label'),
        coalesce(p_def ->> 'help', ''), coalesce(p_def -> 'translations', '{}'), p_def ->> 'type',
        coalesce(p_def -> 'options', '[]'), coalesce(p_def -> 'rules', '{}'),
        coalesce(p_def ->> 'classification', 'clinical'), iam.current_principal_id()
    ) RETURNING id INTO v_id;
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION forms.publish_field_version(uuid, integer, jsonb) IS 'Internal: inserts one immutable version of a custom field from a definition object.';

CREATE OR REPLACE FUNCTION forms.create_custom_field(p_fields jsonb) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_id uuid;
BEGIN
    PERFORM people.require_member_permission('custom_fields.manage');
    PERFORM catalog.check_keys(p_fields, ARRAY[
        'entity_type', 'key', 'label', 'help', 'translations', 'type', 'options', 'rules', 'classification'
    ]);
    INSERT INTO forms.custom_fields (organization_id, entity_type, key, created_by)
    VALUES (iam.current_org_id(), p_fields ->> 'entity_type', p_fields ->> 'key', iam.current_principal_id())
    RETURNING id INTO v_id;
    PERFORM forms.publish_field_version(v_id, 1, p_fields);
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION forms.create_custom_field(jsonb) IS 'Add a custom field with its first version (custom_fields.manage).';

CREATE OR REPLACE FUNCTION forms.update_custom_field(p_id uuid, p_changes jsonb) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Every change publishes a new version from the current one with p_changes applied; values
-- keep the version they were written under. The type cannot change (old values would lie).
DECLARE
    v_field forms.custom_fields;
    v_cur forms.custom_field_versions;
    v_def jsonb;
BEGIN
    PERFORM people.require_member_permission('custom_fields.manage');
    PERFORM catalog.check_keys(p_changes, ARRAY['label', 'help', 'translations', 'options', 'rules', 'classification']);
    SELECT * INTO v_field FROM forms.custom_fields AS f
    WHERE f.id = p_id AND f.organization_id = iam.current_org_id() AND f.deleted_at IS NULL
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'custom_field_not_found' USING DETAIL = 'No such custom field in this organization.';
    END IF;
    SELECT * INTO v_cur FROM forms.custom_field_versions AS v
    WHERE v.custom_field_id = p_id AND v.version = v_field.current_version;
    v_def := pg_catalog.jsonb_build_object(
        'label', v_cur.label, 'help', v_cur.help, 'translations', v_cur.translations, 'type', v_cur.field_type,
        'options', v_cur.options, 'rules', v_cur.rules, 'classification', v_cur.classification
    ) || p_changes;
    PERFORM forms.publish_field_version(p_id, v_field.current_version + 1, v_def);
    UPDATE forms.custom_fields AS f SET current_version = v_field.current_version + 1, updated_at = util.now()
    WHERE f.id = p_id;
    RETURN v_field.current_version + 1;
END;
$$;
COMMENT ON FUNCTION forms.update_custom_field(uuid, jsonb) IS 'Publish a new version of a custom field with the given changes (custom_fields.manage); returns its number.';

CREATE OR REPLACE FUNCTION forms.delete_custom_field(p_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM people.require_member_permission('custom_fields.manage');
    UPDATE forms.custom_fields AS f SET deleted_at = util.now()
    WHERE f.id = p_id AND f.organization_id = iam.current_org_id() AND f.deleted_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'custom_field_not_found' USING DETAIL = 'No such custom field in this organization.';
    END IF;
END;
$$;
COMMENT ON FUNCTION forms.delete_custom_field(uuid) IS 'Soft-delete a custom field (custom_fields.manage); its values and versions stay.';

CREATE OR REPLACE FUNCTION forms.write_value_at(
    p_org uuid, p_entity_type text, p_entity uuid, p_field uuid, p_version uuid, p_value jsonb, p_form uuid
) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Validates against one version of the field (the current one, or the one a form's template
-- version froze) and upserts naming that version; a JSON null removes the value.
DECLARE
    v_field forms.custom_fields;
    v_ver forms.custom_field_versions;
    v_error text;
BEGIN
    SELECT * INTO v_field FROM forms.custom_fields AS f
    WHERE f.id = p_field AND f.organization_id = p_org AND f.entity_type = p_entity_type AND f.deleted_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'custom_field_not_found' USING DETAIL = 'No such custom field in this organization.',
            HINT = pg_catalog.jsonb_build_object('field', p_field)::text;
    END IF;
    SELECT * INTO v_ver FROM forms.custom_field_versions AS v
    WHERE v.id = p_version AND v.custom_field_id = p_field AND v.organization_id = p_org;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'custom_field_not_found' USING DETAIL = 'No such version of this custom field.',
            HINT = pg_catalog.jsonb_build_object('field', v_field.key)::text;
    END IF;
    IF p_value IS NULL OR p_value = 'null'::jsonb THEN
        IF coalesce((v_ver.rules ->> 'required')::boolean, FALSE) THEN
            RAISE EXCEPTION 'invalid_value' USING DETAIL = pg_catalog.format('%s is required.', v_field.key),
                HINT = pg_catalog.jsonb_build_object('field', v_field.key, 'reason', 'is required')::text;
        END IF;
        DELETE FROM forms.custom_field_values AS cv
        WHERE cv.organization_id = p_org AND cv.entity_id = p_entity AND cv.custom_field_id = p_field;
        RETURN;
    END IF;
    v_error := forms.value_error(v_ver.field_type, v_ver.options, v_ver.rules, p_value);
    IF v_error IS NOT NULL THEN
        RAISE EXCEPTION 'invalid_value' USING DETAIL = pg_catalog.format('%s %s.', v_field.key, v_error),
            HINT = pg_catalog.jsonb_build_object('field', v_field.key, 'reason', v_error)::text;
    END IF;
    INSERT INTO forms.custom_field_values (
        organization_id, entity_type, entity_id, custom_field_id, custom_field_version_id, value, source_form_id, updated_by
    ) VALUES (
        p_org, p_entity_type, p_entity, p_field, v_ver.id, p_value, p_form, iam.current_principal_id()
    )
    ON CONFLICT (organization_id, entity_id, custom_field_id) DO UPDATE SET
        custom_field_version_id = excluded.custom_field_version_id, value = excluded.value,
        source_form_id = excluded.source_form_id, updated_by = excluded.updated_by, updated_at = util.now()
    WHERE forms.custom_field_values.value IS DISTINCT FROM excluded.value
       OR forms.custom_field_values.custom_field_version_id IS DISTINCT FROM excluded.custom_field_version_id;
END;
$$;
COMMENT ON FUNCTION forms.write_value_at(uuid, text, uuid, uuid, uuid, jsonb, uuid) IS 'Internal: validate one custom field value of an entity against a given version of the field and store (or clear) it under that version.';

CREATE OR REPLACE FUNCTION forms.write_value(
    p_org uuid, p_entity_type text, p_entity uuid, p_field uuid, p_value jsonb, p_form uuid
) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    -- Against the field's current version.
    PERFORM forms.write_value_at(p_org, p_entity_type, p_entity, p_field, (
        SELECT v.id FROM forms.custom_fields AS f
        INNER JOIN forms.custom_field_versions AS v ON f.id = v.custom_field_id AND f.current_version = v.version
        WHERE f.id = p_field AND f.organization_id = p_org
    ), p_value, p_form);
END;
$$;
COMMENT ON FUNCTION forms.write_value(uuid, text, uuid, uuid, jsonb, uuid) IS 'Internal: validate and store (or clear) one custom field value of an entity against the field''s current version.';

CREATE OR REPLACE FUNCTION forms.set_patient_fields(p_patient uuid, p_values jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- p_values: {"<field key>": value, ...}; all or nothing.
DECLARE
    v_key text;
    v_value jsonb;
    v_field uuid;
BEGIN
    PERFORM people.require_member_permission('custom_fields.manage');
    IF pg_catalog.jsonb_typeof(p_values) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'The values are a JSON object keyed by field key.';
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM people.patients AS p
        WHERE p.id = p_patient AND p.organization_id = iam.current_org_id() AND p.deleted_at IS NULL
    ) THEN
        RAISE EXCEPTION 'patient_not_found' USING DETAIL = 'No such patient in this organization.';
    END IF;
    FOR v_key, v_value IN SELECT e.key, e.value FROM pg_catalog.jsonb_each(p_values) AS e LOOP
        SELECT f.id INTO v_field FROM forms.custom_fields AS f
        WHERE f.organization_id = iam.current_org_id() AND f.entity_type = 'patient' AND f.key = v_key
          AND f.deleted_at IS NULL;
        IF v_field IS NULL THEN
            RAISE EXCEPTION 'custom_field_not_found' USING DETAIL = pg_catalog.format('No patient field %s.', v_key),
                HINT = pg_catalog.jsonb_build_object('field', v_key)::text;
        END IF;
        PERFORM forms.write_value(iam.current_org_id(), 'patient', p_patient, v_field, v_value, NULL);
    END LOOP;
END;
$$;
COMMENT ON FUNCTION forms.set_patient_fields(uuid, jsonb) IS 'Set custom field values of a patient by field key, validated (custom_fields.manage).';

CREATE OR REPLACE FUNCTION forms.refuse_version_change() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
    RAISE EXCEPTION 'version_immutable'
        USING DETAIL = pg_catalog.format('%s.%s rows are published and never change.', TG_TABLE_SCHEMA, TG_TABLE_NAME),
              ERRCODE = 'insufficient_privilege';
END;
$$;
COMMENT ON FUNCTION forms.refuse_version_change() IS 'Raises 42501 for any UPDATE of a published field or template version, whoever runs it.';

CREATE OR REPLACE TRIGGER custom_field_versions_immutable BEFORE UPDATE ON forms.custom_field_versions
FOR EACH ROW EXECUTE FUNCTION forms.refuse_version_change();

REVOKE ALL ON FUNCTION forms.publish_field_version(uuid, integer, jsonb),
forms.write_value(uuid, text, uuid, uuid, jsonb, uuid),
forms.write_value_at(uuid, text, uuid, uuid, uuid, jsonb, uuid) FROM public;
GRANT EXECUTE ON FUNCTION forms.create_custom_field(jsonb), forms.update_custom_field(uuid, jsonb),
forms.delete_custom_field(uuid), forms.set_patient_fields(uuid, jsonb),
forms.value_error(text, jsonb, jsonb, jsonb), forms.is_real_date(text) TO restartix_app;
