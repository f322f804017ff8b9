-- Consent forms (F3.5): signing a consent-purpose form appends a grant to the consents ledger
-- in the signing transaction, with the form, the document version it showed and the patient
-- profile it speaks for; withdrawing appends the withdrawal. The profile-sharing purpose also
-- opens (and closes) the patient's profile to the organization.

CREATE OR REPLACE FUNCTION forms.record_form_consent(
    p_form forms.forms, p_version forms.form_template_versions, p_signer uuid
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_profile uuid;
    v_basis text;
    v_id uuid;
BEGIN
    SELECT p.patient_profile_id INTO v_profile FROM people.patients AS p WHERE p.id = p_form.patient_id;
    SELECT pu.default_legal_basis INTO v_basis FROM consent.purposes AS pu WHERE pu.code = p_version.consent_purpose;
    PERFORM consent.lock_subject_purpose(p_signer, p_form.organization_id, p_version.consent_purpose);
    INSERT INTO consent.consents (
        subject_principal_id, subject_patient_profile_id, organization_id, purpose, action, legal_basis,
        document_id, document_version, source, form_id, evidence_ip, evidence_user_agent, evidence_request_id, recorded_by
    ) VALUES (
        p_signer, v_profile, p_form.organization_id, p_version.consent_purpose, 'grant', v_basis,
        p_version.consent_document_id, p_version.consent_document_version, 'form', p_form.id,
        nullif(pg_catalog.current_setting('app.client_ip', true), '')::inet,
        pg_catalog.left(nullif(pg_catalog.current_setting('app.user_agent', true), ''), 512),
        pg_catalog.left(nullif(pg_catalog.current_setting('app.request_id', true), ''), 128),
        p_signer
    ) RETURNING id INTO v_id;
    IF p_version.consent_purpose = 'profile_sharing' THEN
        PERFORM people.set_profile_shared(p_form.patient_id, TRUE);
    END IF;
    PERFORM events.publish_for(p_form.organization_id, 'consent.granted', pg_catalog.jsonb_build_object(
        'consent_id', v_id, 'subject_principal_id', p_signer, 'subject_patient_profile_id', v_profile,
        'purpose', p_version.consent_purpose, 'legal_basis', v_basis, 'document_id', p_version.consent_document_id,
        'document_version', p_version.consent_document_version, 'source', 'form', 'form_id', p_form.id
    ));
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION forms.record_form_consent(forms.forms, forms.form_template_versions, uuid) IS 'Internal: append the ledger grant of a signed consent form and apply profile sharing.';

CREATE OR REPLACE FUNCTION forms.withdraw_patient_consent(p_patient uuid, p_purpose text) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- The patient, or a caregiver with sign_forms, withdraws a consent a form granted for this
-- patient in this organization. The organization is the patient's.
DECLARE
    v_patient people.patients;
    v_current consent.consents;
    v_id uuid;
BEGIN
    SELECT * INTO v_patient FROM people.patients AS p WHERE p.id = p_patient AND p.deleted_at IS NULL;
    IF v_patient.id IS NULL OR forms.filler_kind(v_patient.organization_id, v_patient.id) IS DISTINCT FROM 'patient'
       AND forms.filler_kind(v_patient.organization_id, v_patient.id) IS DISTINCT FROM 'caregiver' THEN
        RAISE EXCEPTION 'patient_not_found' USING DETAIL = 'No such patient.';
    END IF;
    PERFORM consent.lock_subject_purpose(iam.current_principal_id(), v_patient.organization_id, p_purpose);
    SELECT * INTO v_current FROM consent.consents AS c
    WHERE c.subject_patient_profile_id = v_patient.patient_profile_id AND c.organization_id = v_patient.organization_id
      AND c.purpose = p_purpose
    ORDER BY c.seq DESC LIMIT 1;
    IF v_current.id IS NULL OR v_current.action <> 'grant' THEN
        RAISE EXCEPTION 'consent_not_granted' USING DETAIL = pg_catalog.format('There is no standing %s grant to withdraw.', p_purpose);
    END IF;
    -- As the ledger's own withdrawal: only a grant that rests on consent can be withdrawn.
    IF v_current.legal_basis <> 'consent' THEN
        RAISE EXCEPTION 'consent_not_withdrawable'
            USING DETAIL = pg_catalog.format(
                '%s rests on the legal basis %s, not on consent, so it cannot be withdrawn; end the relationship (close the account or leave the clinic) instead.',
                p_purpose, v_current.legal_basis
            ),
            HINT = pg_catalog.jsonb_build_object('purpose', p_purpose, 'legal_basis', v_current.legal_basis)::text;
    END IF;
    INSERT INTO consent.consents (
        subject_principal_id, subject_patient_profile_id, organization_id, purpose, action, legal_basis,
        document_id, document_version, source, form_id, evidence_ip, evidence_user_agent, evidence_request_id, recorded_by
    ) VALUES (
        iam.current_principal_id(), v_patient.patient_profile_id, v_patient.organization_id, p_purpose, 'withdraw',
        v_current.legal_basis, v_current.document_id, v_current.document_version, 'form', v_current.form_id,
        nullif(pg_catalog.current_setting('app.client_ip', true), '')::inet,
        pg_catalog.left(nullif(pg_catalog.current_setting('app.user_agent', true), ''), 512),
        pg_catalog.left(nullif(pg_catalog.current_setting('app.request_id', true), ''), 128),
        iam.current_principal_id()
    ) RETURNING id INTO v_id;
    IF p_purpose = 'profile_sharing' THEN
        PERFORM people.set_profile_shared(v_patient.id, FALSE);
    END IF;
    PERFORM events.publish_for(v_patient.organization_id, 'consent.withdrawn', pg_catalog.jsonb_build_object(
        'consent_id', v_id, 'grant_id', v_current.id, 'subject_principal_id', iam.current_principal_id(),
        'purpose', p_purpose, 'legal_basis', v_current.legal_basis
    ));
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION forms.withdraw_patient_consent(uuid, text) IS 'The patient or a caregiver with sign_forms withdraws a form-granted consent; profile sharing closes with it.';

REVOKE ALL ON FUNCTION forms.record_form_consent(forms.forms, forms.form_template_versions, uuid) FROM public;
GRANT EXECUTE ON FUNCTION forms.withdraw_patient_consent(uuid, text) TO restartix_app;
