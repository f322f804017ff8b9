-- name: my_consents
-- The current state of every purpose the signed-in human has granted or withdrawn,
-- platform purposes first, then by organization and purpose.
SELECT
    s.organization_id,
    s.purpose,
    s.status,
    s.legal_basis,
    s.withdrawable,
    s.document_id,
    s.document_version,
    s.latest_document_version,
    s.consent_id,
    s.source,
    s.since
FROM consent.current_state(iam.current_principal_id(), NULL) AS s
ORDER BY s.organization_id NULLS FIRST, s.purpose;

-- name: my_consent
-- The signed-in human's current state of one purpose, for an organization or (NULL) the
-- platform.
SELECT
    s.organization_id,
    s.purpose,
    s.status,
    s.legal_basis,
    s.withdrawable,
    s.document_id,
    s.document_version,
    s.latest_document_version,
    s.consent_id,
    s.source,
    s.since
FROM consent.current_state(iam.current_principal_id(), %(organization_id)s::uuid) AS s
WHERE
    s.purpose = %(purpose)s::text
    AND s.organization_id IS NOT DISTINCT FROM %(organization_id)s::uuid;

-- name: my_consent_history
-- Every grant and withdrawal of the signed-in human (the ledger is append-only); `seq`
-- orders them, newest first by default.
-- sort: -seq bigint
-- key: id uuid
SELECT
    c.id,
    c.organization_id,
    c.purpose,
    c.action,
    c.legal_basis,
    c.withdrawable,
    c.document_id,
    c.document_version,
    c.source,
    c.created_at,
    c.seq
FROM consent.consents AS c
WHERE c.subject_principal_id = iam.current_principal_id();

-- name: grant_consent
-- Appends a grant of a purpose for the signed-in human (consent.grant_consent checks the
-- scope, the document and who may).
SELECT consent.grant_consent(
    %(organization_id)s::uuid, %(purpose)s::text, %(document_id)s::uuid
);

-- name: withdraw_consent
-- Appends a withdrawal of a consent-based grant (consent.withdraw_consent refuses other
-- legal bases).
SELECT consent.withdraw_consent(%(organization_id)s::uuid, %(purpose)s::text);

-- name: documents_list
-- Published documents of an organization (NULL: the platform), optionally of one purpose:
-- the newest version of each purpose, or every version when all_versions is true.
SELECT
    d.id,
    d.organization_id,
    d.scope,
    d.purpose,
    d.version,
    d.title,
    d.url,
    d.content_sha256,
    d.requires_reconsent,
    d.published_at
FROM consent.documents AS d
WHERE
    (
        d.organization_id = %(organization_id)s::uuid
        OR (%(organization_id)s::uuid IS NULL AND d.organization_id IS NULL)
    )
    AND (%(purpose)s::text IS NULL OR d.purpose = %(purpose)s::text)
    AND (
        %(all_versions)s::boolean
        OR NOT EXISTS (
            SELECT 1
            FROM consent.documents AS newer
            WHERE
                newer.purpose = d.purpose
                AND newer.organization_id IS NOT DISTINCT FROM d.organization_id
                AND newer.version > d.version
        )
    )
ORDER BY d.purpose ASC, d.version DESC;

-- name: document_by_id
-- One published document.
SELECT
    d.id,
    d.organization_id,
    d.scope,
    d.purpose,
    d.version,
    d.title,
    d.url,
    d.content_sha256,
    d.requires_reconsent,
    d.published_at
FROM consent.documents AS d
WHERE d.id = %(id)s::uuid;

-- name: publish_document
-- Publishes the next version of an organization's (NULL: the platform's) document for a
-- purpose; consent.publish_document checks who may and returns the new id.
SELECT consent.publish_document(
    %(organization_id)s::uuid,
    %(purpose)s::text,
    %(title)s::text,
    %(url)s::text,
    %(content_sha256)s::text,
    %(requires_reconsent)s::boolean
);

-- name: org_consents_list
-- Who consented to what in the request's organization, one row per person and purpose;
-- purpose, status and subject filter it when given. Guests' grants (public booking: a
-- profile, no principal) are not rows of this list.
-- sort: subject_principal_id uuid, purpose text, since timestamptz
-- key: consent_id uuid
SELECT
    s.subject_principal_id,
    s.purpose,
    s.status,
    s.legal_basis,
    s.withdrawable,
    s.document_id,
    s.document_version,
    s.latest_document_version,
    s.consent_id,
    s.source,
    s.since
FROM consent.current_state(NULL, %(org)s::uuid) AS s
WHERE
    s.organization_id = %(org)s::uuid
    AND s.subject_principal_id IS NOT NULL
    AND (%(purpose)s::text IS NULL OR s.purpose = %(purpose)s::text)
    AND (%(status)s::text IS NULL OR s.status = %(status)s::text)
    AND (%(subject)s::uuid IS NULL OR s.subject_principal_id = %(subject)s::uuid);
