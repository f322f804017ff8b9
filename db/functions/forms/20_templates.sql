-- Form templates: an editable draft, checked and frozen into an immutable version on publish.
-- A draft item is {"key", "type" | "custom_field" (a patient field key), "label", "required",
-- "options", "rules", "text" (display items), "enable_when": {"behavior": "all" | "any",
-- "conditions": [{"item", "operator", "value"}]}}; docs/forms.md has the whole shape.

CREATE OR REPLACE FUNCTION forms.compile_definition(p_org uuid, p_draft jsonb) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
-- The frozen definition of a draft: sections in order, each item complete (field-backed items
-- carry their field id, field version, type, options, rules and classification). Raises
-- invalid_template naming the section or item at fault.
DECLARE
    v_section jsonb;
    v_item jsonb;
    v_out_sections jsonb := '[]';
    v_out_items jsonb;
    v_seen text [] := '{}';
    v_answerable text [] := '{}';
    v_key text;
    v_type text;
    v_field forms.custom_fields;
    v_ver forms.custom_field_versions;
    v_cond jsonb;
    v_total integer := 0;
BEGIN
    IF pg_catalog.jsonb_typeof(p_draft) IS DISTINCT FROM 'object'
       OR pg_catalog.jsonb_typeof(p_draft -> 'sections') IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'invalid_template' USING DETAIL = 'A template is {"sections": [...]}.', HINT = '{"field": "sections"}';
    END IF;
    IF pg_catalog.jsonb_array_length(p_draft -> 'sections') NOT BETWEEN 1 AND 50 THEN
        RAISE EXCEPTION 'invalid_template' USING DETAIL = 'A template has 1 to 50 sections.', HINT = '{"field": "sections"}';
    END IF;
    FOR v_section IN SELECT s FROM pg_catalog.jsonb_array_elements(p_draft -> 'sections') AS s LOOP
        v_key := v_section ->> 'key';
        IF v_key IS NULL OR v_key !~ '^[a-z][a-z0-9_]{0,62}$' OR v_key = ANY(v_seen)
           OR pg_catalog.jsonb_typeof(v_section -> 'items') IS DISTINCT FROM 'array'
           OR pg_catalog.length(coalesce(v_section ->> 'title', '')) > 200 THEN
            RAISE EXCEPTION 'invalid_template' USING DETAIL = 'Each section has a unique key, a title and a list of items.',
                HINT = pg_catalog.jsonb_build_object('section', v_key)::text;
        END IF;
        v_seen := v_seen || v_key;
        v_out_items := '[]';
        FOR v_item IN SELECT i FROM pg_catalog.jsonb_array_elements(v_section -> 'items') AS i LOOP
            v_total := v_total + 1;
            IF v_total > 500 THEN
                RAISE EXCEPTION 'invalid_template' USING DETAIL = 'A template has at most 500 items.', HINT = '{"field": "items"}';
            END IF;
            v_key := v_item ->> 'key';
            IF pg_catalog.jsonb_typeof(v_item) IS DISTINCT FROM 'object' OR v_key IS NULL
               OR v_key !~ '^[a-z][a-z0-9_]{0,62}$' OR v_key = ANY(v_seen) THEN
                RAISE EXCEPTION 'invalid_template' USING DETAIL = 'Each item has a unique key of lowercase letters, digits and _.',
                    HINT = pg_catalog.jsonb_build_object('item', v_key)::text;
            END IF;
            v_seen := v_seen || v_key;
            IF NOT (v_item - ARRAY['key', 'type', 'custom_field', 'label', 'text', 'required', 'options', 'rules', 'enable_when'])
               = '{}'::jsonb THEN
                RAISE EXCEPTION 'invalid_template' USING DETAIL = pg_catalog.format('Item %s has unknown attributes.', v_key),
                    HINT = pg_catalog.jsonb_build_object('item', v_key)::text;
            END IF;
            IF (v_item ? 'required' AND pg_catalog.jsonb_typeof(v_item -> 'required') <> 'boolean')
               OR pg_catalog.length(coalesce(v_item ->> 'label', '')) > 500
               OR pg_catalog.length(coalesce(v_item ->> 'text', '')) > 10000 THEN
                RAISE EXCEPTION 'invalid_template' USING DETAIL = pg_catalog.format('Item %s: required is a boolean, label and text are bounded.', v_key),
                    HINT = pg_catalog.jsonb_build_object('item', v_key)::text;
            END IF;
            IF v_item ? 'custom_field' THEN
                SELECT * INTO v_field FROM forms.custom_fields AS f
                WHERE f.organization_id = p_org AND f.entity_type = 'patient' AND f.key = v_item ->> 'custom_field'
                  AND f.deleted_at IS NULL;
                IF v_field.id IS NULL THEN
                    RAISE EXCEPTION 'invalid_template' USING DETAIL = pg_catalog.format('Item %s names no patient field.', v_key),
                        HINT = pg_catalog.jsonb_build_object('item', v_key)::text;
                END IF;
                SELECT * INTO v_ver FROM forms.custom_field_versions AS v
                WHERE v.custom_field_id = v_field.id AND v.version = v_field.current_version;
                v_item := (v_item - 'custom_field') || pg_catalog.jsonb_build_object(
                    'type', v_ver.field_type, 'options', v_ver.options, 'rules', v_ver.rules,
                    'classification', v_ver.classification, 'field_id', v_field.id, 'field_key', v_field.key,
                    'field_version_id', v_ver.id, 'label', coalesce(v_item ->> 'label', v_ver.label)
                );
                v_field := NULL;
            ELSE
                v_type := v_item ->> 'type';
                IF v_type IS NULL OR v_type NOT IN (
                    'display', 'text', 'long_text', 'number', 'integer', 'boolean', 'date', 'datetime',
                    'single_choice', 'multi_choice', 'file', 'signature', 'scale'
                ) THEN
                    RAISE EXCEPTION 'invalid_template' USING DETAIL = pg_catalog.format('Item %s has no known type.', v_key),
                        HINT = pg_catalog.jsonb_build_object('item', v_key)::text;
                END IF;
                IF v_type <> 'display' THEN
                    BEGIN
                        PERFORM forms.check_definition(v_type, coalesce(v_item -> 'options', '[]'), coalesce(v_item -> 'rules', '{}'));
                    EXCEPTION WHEN raise_exception THEN
                        RAISE EXCEPTION 'invalid_template' USING DETAIL = pg_catalog.format('Item %s: options or rules are malformed.', v_key),
                            HINT = pg_catalog.jsonb_build_object('item', v_key)::text;
                    END;
                    v_item := v_item || pg_catalog.jsonb_build_object(
                        'options', coalesce(v_item -> 'options', '[]'), 'rules', coalesce(v_item -> 'rules', '{}'),
                        'classification', 'clinical'
                    );
                END IF;
            END IF;
            IF v_item ->> 'type' = 'display' AND coalesce((v_item ->> 'required')::boolean, FALSE) THEN
                RAISE EXCEPTION 'invalid_template' USING DETAIL = pg_catalog.format('Display item %s cannot be required.', v_key),
                    HINT = pg_catalog.jsonb_build_object('item', v_key)::text;
            END IF;
            IF v_item ? 'enable_when' THEN
                IF pg_catalog.jsonb_typeof(v_item -> 'enable_when') IS DISTINCT FROM 'object'
                   OR coalesce(v_item #>> '{enable_when,behavior}', 'all') NOT IN ('all', 'any')
                   OR pg_catalog.jsonb_typeof(v_item #> '{enable_when,conditions}') IS DISTINCT FROM 'array'
                   OR pg_catalog.jsonb_array_length(v_item #> '{enable_when,conditions}') NOT BETWEEN 1 AND 20 THEN
                    RAISE EXCEPTION 'invalid_template' USING DETAIL = pg_catalog.format('Item %s: enable_when is {"behavior", "conditions": [...]}.', v_key),
                        HINT = pg_catalog.jsonb_build_object('item', v_key)::text;
                END IF;
                FOR v_cond IN SELECT c FROM pg_catalog.jsonb_array_elements(v_item #> '{enable_when,conditions}') AS c LOOP
                    -- Conditions look back only: no cycles, and one pass decides visibility.
                    IF NOT (v_cond ->> 'item') = ANY(v_answerable)
                       OR v_cond ->> 'operator' IS NULL
                       OR v_cond ->> 'operator' NOT IN ('equals', 'not_equals', 'in', 'greater_than', 'less_than', 'exists')
                       OR NOT v_cond ? 'value'
                       OR (v_cond ->> 'operator' = 'in' AND pg_catalog.jsonb_typeof(v_cond -> 'value') <> 'array')
                       OR (v_cond ->> 'operator' IN ('greater_than', 'less_than') AND pg_catalog.jsonb_typeof(v_cond -> 'value') <> 'number')
                       OR (v_cond ->> 'operator' = 'exists' AND pg_catalog.jsonb_typeof(v_cond -> 'value') <> 'boolean') THEN
                        RAISE EXCEPTION 'invalid_template'
                            USING DETAIL = pg_catalog.format('Item %s: each condition names an earlier item, an operator and a fitting value.', v_key),
                                  HINT = pg_catalog.jsonb_build_object('item', v_key)::text;
                    END IF;
                END LOOP;
                v_item := pg_catalog.jsonb_set(v_item, '{enable_when,behavior}',
                    pg_catalog.to_jsonb(coalesce(v_item #>> '{enable_when,behavior}', 'all')));
            END IF;
            IF v_item ->> 'type' <> 'display' THEN
                v_answerable := v_answerable || v_key;
            END IF;
            v_item := v_item || pg_catalog.jsonb_build_object(
                'required', coalesce((v_item ->> 'required')::boolean, coalesce((v_item #>> '{rules,required}')::boolean, FALSE))
            );
            v_out_items := v_out_items || pg_catalog.jsonb_build_array(v_item);
        END LOOP;
        v_out_sections := v_out_sections || pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
            'key', v_section ->> 'key', 'title', coalesce(v_section ->> 'title', ''), 'items', v_out_items
        ));
    END LOOP;
    RETURN pg_catalog.jsonb_build_object('sections', v_out_sections);
END;
$$;
COMMENT ON FUNCTION forms.compile_definition(uuid, jsonb) IS 'Internal: checks a template draft and returns its frozen definition; raises invalid_template naming the item.';

CREATE OR REPLACE FUNCTION forms.check_consent_terms(p_purpose text, p_consent_purpose text, p_document uuid) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    IF p_consent_purpose IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM consent.purposes AS p WHERE p.code = p_consent_purpose AND p.scope = 'org'
    ) THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'consent_purpose names no organization consent purpose.',
            HINT = '{"field": "consent_purpose"}';
    END IF;
    IF p_document IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM consent.documents AS d
        WHERE d.id = p_document AND d.purpose = p_consent_purpose AND d.organization_id = iam.current_org_id()
    ) THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'consent_document_id names no document of this purpose in this organization.',
            HINT = '{"field": "consent_document_id"}';
    END IF;
    IF (p_purpose = 'consent') <> (p_consent_purpose IS NOT NULL) THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'A consent template, and only it, names its consent purpose.',
            HINT = '{"field": "consent_purpose"}';
    END IF;
END;
$$;
COMMENT ON FUNCTION forms.check_consent_terms(text, text, uuid) IS 'Internal: raises invalid_field unless a template''s consent purpose and document fit its purpose.';

CREATE OR REPLACE FUNCTION forms.create_template(p_fields jsonb) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_id uuid;
BEGIN
    PERFORM people.require_member_permission('forms.manage');
    PERFORM catalog.check_keys(p_fields, ARRAY[
        'purpose', 'name', 'description', 'translations', 'consent_purpose', 'consent_document_id', 'draft'
    ]);
    PERFORM forms.check_consent_terms(p_fields ->> 'purpose', p_fields ->> 'consent_purpose', (p_fields ->> 'consent_document_id')::uuid);
    INSERT INTO forms.form_templates (
        organization_id, purpose, name, description, translations, consent_purpose, consent_document_id, draft, created_by
    ) VALUES (
        iam.current_org_id(), p_fields ->> 'purpose', pg_catalog.btrim(p_fields ->> 'name'),
        coalesce(p_fields ->> 'description', ''), coalesce(p_fields -> 'translations', '{}'),
        p_fields ->> 'consent_purpose', (p_fields ->> 'consent_document_id')::uuid,
        coalesce(p_fields -> 'draft', '{"sections": []}'), iam.current_principal_id()
    ) RETURNING id INTO v_id;
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION forms.create_template(jsonb) IS 'Add a form template with its draft (forms.manage); nothing is fillable until it is published.';

CREATE OR REPLACE FUNCTION forms.update_template(p_id uuid, p_changes jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_t forms.form_templates;
    c jsonb := p_changes;
BEGIN
    PERFORM people.require_member_permission('forms.manage');
    PERFORM catalog.check_keys(c, ARRAY[
        'name', 'description', 'translations', 'consent_purpose', 'consent_document_id', 'draft', 'active'
    ]);
    SELECT * INTO v_t FROM forms.form_templates AS t
    WHERE t.id = p_id AND t.organization_id = iam.current_org_id() AND t.deleted_at IS NULL
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'form_template_not_found' USING DETAIL = 'No such form template in this organization.';
    END IF;
    PERFORM forms.check_consent_terms(
        v_t.purpose,
        CASE WHEN c ? 'consent_purpose' THEN c ->> 'consent_purpose' ELSE v_t.consent_purpose END,
        CASE WHEN c ? 'consent_document_id' THEN (c ->> 'consent_document_id')::uuid ELSE v_t.consent_document_id END
    );
    UPDATE forms.form_templates AS t SET
        name = CASE WHEN c ? 'name' THEN pg_catalog.btrim(c ->> 'name') ELSE t.name END,
        description = CASE WHEN c ? 'description' THEN c ->> 'description' ELSE t.description END,
        translations = CASE WHEN c ? 'translations' THEN c -> 'translations' ELSE t.translations END,
        consent_purpose = CASE WHEN c ? 'consent_purpose' THEN c ->> 'consent_purpose' ELSE t.consent_purpose END,
        consent_document_id = CASE WHEN c ? 'consent_document_id' THEN (c ->> 'consent_document_id')::uuid ELSE t.consent_document_id END,
        draft = CASE WHEN c ? 'draft' THEN c -> 'draft' ELSE t.draft END,
        active = CASE WHEN c ? 'active' THEN (c ->> 'active')::boolean ELSE t.active END,
        updated_at = util.now()
    WHERE t.id = p_id;
END;
$$;
COMMENT ON FUNCTION forms.update_template(uuid, jsonb) IS 'Edit a template and its draft (forms.manage); published versions stay as they were.';

CREATE OR REPLACE FUNCTION forms.publish_template(p_id uuid) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_t forms.form_templates;
    v_def jsonb;
    v_doc_version integer;
    v_id uuid;
BEGIN
    PERFORM people.require_member_permission('forms.manage');
    SELECT * INTO v_t FROM forms.form_templates AS t
    WHERE t.id = p_id AND t.organization_id = iam.current_org_id() AND t.deleted_at IS NULL
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'form_template_not_found' USING DETAIL = 'No such form template in this organization.';
    END IF;
    v_def := forms.compile_definition(v_t.organization_id, v_t.draft);
    SELECT d.version INTO v_doc_version FROM consent.documents AS d WHERE d.id = v_t.consent_document_id;
    INSERT INTO forms.form_template_versions (
        organization_id, form_template_id, version, purpose, name, translations, consent_purpose,
        consent_document_id, consent_document_version, definition, published_by
    ) VALUES (
        v_t.organization_id, v_t.id, v_t.current_version + 1, v_t.purpose, v_t.name, v_t.translations,
        v_t.consent_purpose, v_t.consent_document_id, v_doc_version, v_def, iam.current_principal_id()
    ) RETURNING id INTO v_id;
    UPDATE forms.form_templates AS t SET current_version = v_t.current_version + 1, updated_at = util.now()
    WHERE t.id = p_id;
    PERFORM events.publish('form_template.published', pg_catalog.jsonb_build_object(
        'form_template_id', v_t.id, 'form_template_version_id', v_id, 'version', v_t.current_version + 1,
        'purpose', v_t.purpose
    ));
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION forms.publish_template(uuid) IS 'Freeze a template''s draft into its next immutable version (forms.manage); returns the version id.';

CREATE OR REPLACE FUNCTION forms.delete_template(p_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM people.require_member_permission('forms.manage');
    UPDATE forms.form_templates AS t SET deleted_at = util.now()
    WHERE t.id = p_id AND t.organization_id = iam.current_org_id() AND t.deleted_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'form_template_not_found' USING DETAIL = 'No such form template in this organization.';
    END IF;
END;
$$;
COMMENT ON FUNCTION forms.delete_template(uuid) IS 'Soft-delete a form template (forms.manage); forms already made from it stay.';

CREATE OR REPLACE FUNCTION forms.set_service_form(p_service uuid, p_template uuid, p_required boolean, p_stage text) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_id uuid;
BEGIN
    PERFORM people.require_member_permission('forms.manage');
    IF NOT EXISTS (
        SELECT 1 FROM catalog.services AS s
        WHERE s.id = p_service AND s.organization_id = iam.current_org_id() AND s.deleted_at IS NULL
    ) THEN
        RAISE EXCEPTION 'service_not_found' USING DETAIL = 'No such service in this organization.';
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM forms.form_templates AS t
        WHERE t.id = p_template AND t.organization_id = iam.current_org_id() AND t.deleted_at IS NULL
    ) THEN
        RAISE EXCEPTION 'form_template_not_found' USING DETAIL = 'No such form template in this organization.';
    END IF;
    INSERT INTO forms.service_forms (organization_id, service_id, form_template_id, required, stage)
    VALUES (iam.current_org_id(), p_service, p_template, coalesce(p_required, TRUE), coalesce(p_stage, 'before_booking'))
    ON CONFLICT (service_id, form_template_id, stage) DO UPDATE SET required = excluded.required
    RETURNING id INTO v_id;
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION forms.set_service_form(uuid, uuid, boolean, text) IS 'Ask for a template on a service, required or optional, before booking or after the visit (forms.manage).';

CREATE OR REPLACE FUNCTION forms.remove_service_form(p_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM people.require_member_permission('forms.manage');
    DELETE FROM forms.service_forms AS sf WHERE sf.id = p_id AND sf.organization_id = iam.current_org_id();
    IF NOT FOUND THEN
        RAISE EXCEPTION 'service_form_not_found' USING DETAIL = 'No such service form in this organization.';
    END IF;
END;
$$;
COMMENT ON FUNCTION forms.remove_service_form(uuid) IS 'Stop asking for a template on a service (forms.manage).';

CREATE OR REPLACE TRIGGER form_template_versions_immutable BEFORE UPDATE ON forms.form_template_versions
FOR EACH ROW EXECUTE FUNCTION forms.refuse_version_change();

REVOKE ALL ON FUNCTION forms.compile_definition(uuid, jsonb), forms.check_consent_terms(text, text, uuid) FROM public;
GRANT EXECUTE ON FUNCTION forms.create_template(jsonb), forms.update_template(uuid, jsonb),
forms.publish_template(uuid), forms.delete_template(uuid),
forms.set_service_form(uuid, uuid, boolean, text), forms.remove_service_form(uuid) TO restartix_app;
