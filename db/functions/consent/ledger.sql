-- The consents ledger (docs/consents.md): publishing document versions, granting and
-- withdrawing, and reading the current state. Every write is one of these security-definer
-- functions; nobody (the owner included) updates or deletes a ledger or document row.

CREATE OR REPLACE FUNCTION consent.refuse_change() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
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
COMMENT ON FUNCTION consent.refuse_change() IS 'Raises 42501 for any UPDATE, DELETE or TRUNCATE of consent rows or published documents, whoever runs it.';

CREATE OR REPLACE TRIGGER consents_append_only BEFORE UPDATE OR DELETE ON consent.consents
FOR EACH ROW EXECUTE FUNCTION consent.refuse_change();
CREATE OR REPLACE TRIGGER consents_no_truncate BEFORE TRUNCATE ON consent.consents
FOR EACH STATEMENT EXECUTE FUNCTION consent.refuse_change();
CREATE OR REPLACE TRIGGER documents_append_only BEFORE UPDATE OR DELETE ON consent.documents
FOR EACH ROW EXECUTE FUNCTION consent.refuse_change();
CREATE OR REPLACE TRIGGER documents_no_truncate BEFORE TRUNCATE ON consent.documents
FOR EACH STATEMENT EXECUTE FUNCTION consent.refuse_change();

CREATE OR REPLACE FUNCTION consent.require_reader(p_subject uuid, p_org uuid) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
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
COMMENT ON FUNCTION consent.require_reader(uuid, uuid) IS 'Raises 42501 unless the caller may read this subject''s consent state for this organization.';

-- is_stale and current_state are security invoker with no SET clause, so the planner can
-- inline them into the caller's query (and its policies); every name is schema-qualified.
CREATE OR REPLACE FUNCTION consent.is_stale(p_org uuid, p_purpose text, p_version integer) RETURNS boolean
LANGUAGE sql STABLE
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
COMMENT ON FUNCTION consent.is_stale(uuid, text, integer) IS 'Whether a newer document version requiring re-consent exists for an organization''s (NULL: platform) purpose.';

CREATE OR REPLACE FUNCTION consent.status(p_subject uuid, p_org uuid, p_purpose text) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
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
COMMENT ON FUNCTION consent.status(uuid, uuid, text) IS 'Current state of a subject''s purpose in an organization (NULL: platform): granted, stale, withdrawn or none.';

CREATE OR REPLACE FUNCTION consent.has_consent(p_subject uuid, p_org uuid, p_purpose text) RETURNS boolean
LANGUAGE sql STABLE
SET search_path = ''
AS $$ SELECT consent.status(p_subject, p_org, p_purpose) = 'granted' $$;
COMMENT ON FUNCTION consent.has_consent(uuid, uuid, text) IS 'True when the subject''s newest row for the purpose is a grant that no newer re-consent document has made stale.';

CREATE OR REPLACE FUNCTION consent.current_state(p_subject uuid DEFAULT NULL, p_org uuid DEFAULT NULL)
RETURNS TABLE (
    subject_principal_id uuid,
    organization_id uuid,
    purpose text,
    status text,
    legal_basis text,
    withdrawable boolean,
    document_id uuid,
    document_version integer,
    latest_document_version integer,
    consent_id uuid,
    source text,
    since timestamptz
)
LANGUAGE sql STABLE
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
COMMENT ON FUNCTION consent.current_state(uuid, uuid) IS 'The current state per subject, organization and purpose the caller may read (RLS applies), optionally for one subject or organization.';

CREATE OR REPLACE FUNCTION consent.publish_document(
    p_org uuid, p_purpose text, p_title text, p_url text, p_content_sha256 text,
    p_requires_reconsent boolean DEFAULT TRUE
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
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
COMMENT ON FUNCTION consent.publish_document(uuid, text, text, text, text, boolean) IS 'Publish the next version of an organization''s (NULL: the platform''s) document for a purpose; returns its id.';

CREATE OR REPLACE FUNCTION consent.lock_subject_purpose(p_subject uuid, p_org uuid, p_purpose text) RETURNS void
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
    -- Grants and withdrawals of one subject's purpose are serialized, so the newest row is
    -- always the one the decision was made against.
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(
        'consent/' || p_subject::text || '/' || coalesce(p_org::text, 'platform') || '/' || p_purpose, 0
    ));
END;
$$;
COMMENT ON FUNCTION consent.lock_subject_purpose(uuid, uuid, text) IS 'Transaction lock serializing the ledger writes of one subject, organization and purpose.';

CREATE OR REPLACE FUNCTION consent.resolve_subject(p_subject uuid) RETURNS uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
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
COMMENT ON FUNCTION consent.resolve_subject(uuid) IS 'The subject a ledger write is for: the acting human, or (trusted callers) the given human; raises otherwise.';

CREATE OR REPLACE FUNCTION consent.grant_consent(
    p_org uuid, p_purpose text, p_document_id uuid DEFAULT NULL, p_subject uuid DEFAULT NULL,
    p_source text DEFAULT 'api', p_legal_basis text DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
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
    -- Medical consents (telemedicine, recordings, biometrics, a treatment) need the signed
    -- form that explained them: forms.sign_form writes those rows, never this function.
    IF v_purpose.form_only THEN
        RAISE EXCEPTION 'consent_requires_form'
            USING DETAIL = pg_catalog.format('%s is granted only by signing its consent form.', p_purpose);
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
COMMENT ON FUNCTION consent.grant_consent(uuid, text, uuid, uuid, text, text) IS 'Append a grant for a purpose (the newest document by default); returns the ledger row id, the current one when nothing changes.';

CREATE OR REPLACE FUNCTION consent.withdraw_consent(p_org uuid, p_purpose text, p_subject uuid DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
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
COMMENT ON FUNCTION consent.withdraw_consent(uuid, text, uuid) IS 'Append a withdrawal of a standing consent-based grant; raises consent_not_withdrawable for other legal bases.';

GRANT EXECUTE ON FUNCTION
consent.is_stale(uuid, text, integer), consent.status(uuid, uuid, text), consent.has_consent(uuid, uuid, text),
consent.current_state(uuid, uuid), consent.publish_document(uuid, text, text, text, text, boolean),
consent.grant_consent(uuid, text, uuid, uuid, text, text), consent.withdraw_consent(uuid, text, uuid)
TO restartix_app, restartix_system;
