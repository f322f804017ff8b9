-- The patients of an organization: the sharing gate (what an organization reads of a
-- profile) and the writes its members make. Errors: RAISE EXCEPTION '<code>' USING DETAIL.

-- The gate is one projection: the contact fields (name, phone, email) always, the rest of the
-- profile only while profile_shared is TRUE. Every reader below selects from this view and
-- adds who may see which rows; the view itself is granted to no one but its owner, so it is
-- never read without those conditions. search_text holds the contact fields only.
CREATE OR REPLACE VIEW people.patient_gate AS
SELECT
    pt.id,
    pt.organization_id,
    pt.patient_profile_id,
    pt.profile_shared,
    pt.consumer_id,
    pt.notes,
    pp.human_id IS NOT NULL AS has_account,
    pp.first_name,
    pp.last_name,
    pp.phone,
    pp.email::text AS email,
    CASE WHEN pt.profile_shared THEN pp.date_of_birth END AS date_of_birth,
    CASE WHEN pt.profile_shared THEN pp.sex END AS sex,
    CASE WHEN pt.profile_shared THEN pp.emergency_contact_name END AS emergency_contact_name,
    CASE WHEN pt.profile_shared THEN pp.emergency_contact_phone END AS emergency_contact_phone,
    CASE WHEN pt.profile_shared THEN pp.locale END AS locale,
    CASE WHEN pt.profile_shared THEN pp.address_line END AS address_line,
    CASE WHEN pt.profile_shared THEN pp.city END AS city,
    CASE WHEN pt.profile_shared THEN pp.postal_code END AS postal_code,
    CASE WHEN pt.profile_shared THEN pp.country END AS country,
    pt.created_at,
    pt.updated_at,
    pt.deleted_at,
    pp.search_text
FROM people.patients AS pt
INNER JOIN people.patient_profiles AS pp ON pt.patient_profile_id = pp.id;
COMMENT ON VIEW people.patient_gate IS
'Internal: every organization''s patients with the sharing gate''s columns; read only through people.org_patients and people.org_patients_search.';
REVOKE ALL ON people.patient_gate FROM public;

CREATE OR REPLACE FUNCTION people.org_patients(p_id uuid DEFAULT NULL)
RETURNS TABLE (
    id uuid,
    organization_id uuid,
    patient_profile_id uuid,
    profile_shared boolean,
    consumer_id text,
    notes text,
    has_account boolean,
    first_name text,
    last_name text,
    phone text,
    email text,
    date_of_birth date,
    sex text,
    emergency_contact_name text,
    emergency_contact_phone text,
    locale text,
    address_line text,
    city text,
    postal_code text,
    country text,
    created_at timestamptz,
    updated_at timestamptz
)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
-- The gate. Members of the current organization holding patients.read (through their role,
-- never a platform role) see its live patients through people.patient_gate. Security
-- definer because members have no policy on patient_profiles at all: the gate functions are
-- the only way an organization reads a profile. With an id it is one primary-key lookup (the
-- patient lists call it once per row of a page); the two branches keep the plans apart.
BEGIN
    IF NOT people.member_holds('patients.read') THEN
        RETURN;
    END IF;
    IF p_id IS NOT NULL THEN
        RETURN QUERY
        SELECT
            g.id, g.organization_id, g.patient_profile_id, g.profile_shared, g.consumer_id, g.notes,
            g.has_account, g.first_name, g.last_name, g.phone, g.email, g.date_of_birth, g.sex,
            g.emergency_contact_name, g.emergency_contact_phone, g.locale, g.address_line, g.city,
            g.postal_code, g.country, g.created_at, g.updated_at
        FROM people.patient_gate AS g
        WHERE g.id = p_id AND g.organization_id = iam.current_member_org_id() AND g.deleted_at IS NULL;
    ELSE
        RETURN QUERY
        SELECT
            g.id, g.organization_id, g.patient_profile_id, g.profile_shared, g.consumer_id, g.notes,
            g.has_account, g.first_name, g.last_name, g.phone, g.email, g.date_of_birth, g.sex,
            g.emergency_contact_name, g.emergency_contact_phone, g.locale, g.address_line, g.city,
            g.postal_code, g.country, g.created_at, g.updated_at
        FROM people.patient_gate AS g
        WHERE g.organization_id = iam.current_member_org_id() AND g.deleted_at IS NULL;
    END IF;
END;
$$;
COMMENT ON FUNCTION people.org_patients(uuid) IS 'The current organization''s live patients (or one of them) as its members may see them: contact fields always, the rest of the profile only when shared.';

-- pg_trgm declares its settings when its library is loaded; until then a SET clause naming
-- one is refused (a placeholder the owner may not set). Any pg_trgm call loads it.
SELECT public.show_limit() IS NOT NULL AS pg_trgm_loaded;

CREATE OR REPLACE FUNCTION people.org_patients_search(p_q text)
RETURNS TABLE (
    id uuid,
    organization_id uuid,
    patient_profile_id uuid,
    profile_shared boolean,
    consumer_id text,
    notes text,
    has_account boolean,
    first_name text,
    last_name text,
    phone text,
    email text,
    date_of_birth date,
    sex text,
    emergency_contact_name text,
    emergency_contact_phone text,
    locale text,
    address_line text,
    city text,
    postal_code text,
    country text,
    created_at timestamptz,
    updated_at timestamptz,
    rank real
)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
SET "pg_trgm.word_similarity_threshold" = 0.5
SET plan_cache_mode = force_custom_plan
AS $$
-- The gate with a search inside it: the same rows and columns as people.org_patients(), only
-- those whose contact fields match, each with its relevance. The match runs here, under the
-- gate's own conditions, because it must use the trigram index on search_text: a filter
-- applied to the gate's output from outside would fold every patient of the organization.
--
-- A query of phone characters only is a phone number (or a fragment of one): it matches the
-- normalised digits as a substring (a phone number is not "similar" to another). Anything
-- else is folded like the search text and matches as a substring or, for typos (terms of 5
-- letters or more), by trigram word similarity (pg_trgm's <%, at 0.5 rather than
-- the default 0.6: one wrong letter in a ten-letter surname scores 0.57).
-- Relevance, in tiers: the term as whole words (3: "ion" is Ion), at the start of a word (2:
-- Ionescu), inside a word or an email (1), else by trigram word similarity (below 1: a typo
-- still ranks the patient it was meant for above patients who merely share a few letters).
-- The tiers are LIKE tests on the stored text; the similarity is computed only for rows no
-- LIKE matched, so a common surname costs a few microseconds a row, not a trigram
-- comparison.
DECLARE
    v_text text := pg_catalog.btrim(pg_catalog.regexp_replace(people.search_fold(p_q), '\s+', ' ', 'g'));
    v_phone_like boolean := p_q ~ '^[+0-9 ().-]+$' AND p_q ~ '[0-9]';
    v_term text;
    v_like text;
    v_word text;
    v_fuzzy boolean;
    v_org uuid := iam.current_member_org_id();
    v_ids uuid [];
    v_found bigint;
    v_pass integer;
BEGIN
    IF p_q IS NULL OR pg_catalog.length(p_q) > 200 THEN
        RAISE EXCEPTION 'invalid_search' USING DETAIL = 'Search text is 1 to 200 characters.';
    END IF;
    v_term := CASE WHEN v_phone_like THEN people.search_phone(p_q) ELSE v_text END;
    IF pg_catalog.length(v_term) < 3 THEN
        RAISE EXCEPTION 'invalid_search' USING DETAIL = 'Search for at least 3 letters or digits.';
    END IF;
    -- The term is matched as it stands: its LIKE wildcards are escaped.
    v_word := pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
        v_term, '\', '\\'), '%', '\%'), '_', '\_');
    v_like := '%' || v_word || '%';
    -- Typos are looked for in words of 5 letters or more: in a shorter one a trigram or two
    -- in common is most of the word, and every patient would be "similar".
    v_fuzzy := NOT v_phone_like AND pg_catalog.length(v_term) >= 5;
    IF NOT people.member_holds('patients.read') OR v_org IS NULL THEN
        RETURN;
    END IF;
    -- First the text as typed (a substring of the folded contact fields); then, only when that
    -- finds fewer than 10 of the organization's patients, typos as well: a search that found
    -- its patients is not diluted by everyone similar to them. The decision counts this
    -- organization's patients only, so another organization's data never changes an answer.
    v_ids := ARRAY(SELECT m.id FROM people.patient_profiles AS m WHERE m.search_text LIKE v_like);
    FOR v_pass IN 1..2 LOOP
        IF v_pass = 2 THEN
            EXIT WHEN NOT v_fuzzy OR v_found >= 10;
            v_ids := ARRAY(
                SELECT m.id FROM people.patient_profiles AS m
                WHERE v_term OPERATOR(public.<%) m.search_text AND m.search_text NOT LIKE v_like
            );
        END IF;
        -- The organization's live patients among the matching profiles. The planner sees the
        -- array (plan_cache_mode is force_custom_plan on this function): a few matches are
        -- looked up one by one on the partial unique index (organization_id,
        -- patient_profile_id), many are joined in one pass.
        RETURN QUERY
        SELECT
            g.id, g.organization_id, g.patient_profile_id, g.profile_shared, g.consumer_id, g.notes,
            g.has_account, g.first_name, g.last_name, g.phone, g.email, g.date_of_birth, g.sex,
            g.emergency_contact_name, g.emergency_contact_phone, g.locale, g.address_line, g.city,
            g.postal_code, g.country, g.created_at, g.updated_at,
            CASE
                WHEN ' ' || g.search_text || ' ' LIKE '% ' || v_word || ' %' THEN 3
                WHEN ' ' || g.search_text LIKE '% ' || v_word || '%' THEN 2
                WHEN g.search_text LIKE v_like THEN 1
                ELSE public.word_similarity(v_term, g.search_text)
            END::real
        FROM pg_catalog.unnest(v_ids) AS m (profile_id)
        INNER JOIN people.patient_gate AS g ON m.profile_id = g.patient_profile_id
        WHERE g.organization_id = v_org AND g.deleted_at IS NULL;
        GET DIAGNOSTICS v_found = ROW_COUNT;
    END LOOP;
END;
$$;
COMMENT ON FUNCTION people.org_patients_search(text) IS 'The current organization''s live patients whose name, phone or email match a search, through the sharing gate, with their relevance.';

CREATE OR REPLACE FUNCTION people.create_patient(
    p_first_name text, p_last_name text, p_phone text DEFAULT NULL, p_email text DEFAULT NULL,
    p_consumer_id text DEFAULT NULL, p_notes text DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
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
COMMENT ON FUNCTION people.create_patient(text, text, text, text, text, text) IS 'Register a patient (patients.manage) with a new guest profile; counts against patients.max.';

CREATE OR REPLACE FUNCTION people.lock_patient(p_id uuid, p_deleted boolean DEFAULT FALSE) RETURNS people.patients
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
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
COMMENT ON FUNCTION people.lock_patient(uuid, boolean) IS 'Internal: locks a live (or deleted) patient of the current organization, or raises patient_not_found.';

CREATE OR REPLACE FUNCTION people.update_patient(p_id uuid, p_changes jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
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
COMMENT ON FUNCTION people.update_patient(uuid, jsonb) IS 'Change a patient''s reference and notes, and a guest profile''s contact fields (patients.manage).';

CREATE OR REPLACE FUNCTION people.delete_patient(p_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
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
COMMENT ON FUNCTION people.delete_patient(uuid) IS 'Soft-delete a patient of the organization (patients.manage); the profile stays the person''s.';

CREATE OR REPLACE FUNCTION people.restore_patient(p_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
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
COMMENT ON FUNCTION people.restore_patient(uuid) IS 'Bring a soft-deleted patient back (patients.manage); counts against patients.max again.';

REVOKE EXECUTE ON FUNCTION people.lock_patient(uuid, boolean) FROM public, restartix_app;
GRANT EXECUTE ON FUNCTION people.org_patients(uuid), people.org_patients_search(text),
people.create_patient(text, text, text, text, text, text), people.update_patient(uuid, jsonb),
people.delete_patient(uuid), people.restore_patient(uuid)
TO restartix_app;
