-- The consents ledger (seed Foundation 1B.9): versioned policy documents of the platform and of
-- each organization, and one append-only table of grants and withdrawals. Functions, the
-- append-only triggers and the current-state reader live in db/functions/consent.

CREATE SCHEMA consent;
COMMENT ON SCHEMA consent IS 'Policy documents and the append-only ledger of consents and acknowledgements.';
GRANT USAGE ON SCHEMA consent TO restartix_app, restartix_system;

-- What a subject can consent to. Platform purposes are named platform_*; every other purpose
-- belongs to one organization. The legal basis is the controller's call (GDPR Art. 6), so it
-- is fixed here per purpose rather than chosen by the person consenting.
CREATE TABLE consent.purposes (
    code text PRIMARY KEY,
    scope text NOT NULL,
    default_legal_basis text NOT NULL,
    document_required boolean NOT NULL,
    description text NOT NULL,
    CONSTRAINT purposes_code_format CHECK (code ~ '^[a-z][a-z0-9_]{1,62}$'),
    CONSTRAINT purposes_scope_valid CHECK (scope IN ('platform', 'org')),
    CONSTRAINT purposes_scope_follows_name CHECK ((scope = 'platform') = (code LIKE 'platform\_%')),
    CONSTRAINT purposes_legal_basis_valid CHECK (default_legal_basis IN (
        'consent', 'contract', 'legal_obligation', 'vital_interests', 'public_task', 'legitimate_interests'
    )),
    CONSTRAINT purposes_description_length CHECK (length(description) BETWEEN 1 AND 500)
);
COMMENT ON TABLE consent.purposes IS 'Catalog of consent purposes with their scope, default legal basis and whether a document is required.';

INSERT INTO consent.purposes (code, scope, default_legal_basis, document_required, description) VALUES
('platform_terms', 'platform', 'contract', true, 'The platform terms of service.'),
('platform_privacy_notice', 'platform', 'legal_obligation', true, 'The platform privacy notice (acknowledged, not consented).'),
('org_terms', 'org', 'contract', true, 'The clinic''s terms of service.'),
('org_privacy_notice', 'org', 'legal_obligation', true, 'The clinic''s privacy notice (acknowledged, not consented).'),
('marketing_email', 'org', 'consent', false, 'Marketing email from the clinic.'),
('marketing_sms', 'org', 'consent', false, 'Marketing text messages from the clinic.'),
('analytics', 'org', 'consent', false, 'Usage analytics beyond what the service strictly needs.'),
('ai_processing', 'org', 'consent', false, 'Processing of the subject''s data by AI features.');

-- Versioned policy documents: immutable once published (a correction is a new version).
CREATE TABLE consent.documents (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid REFERENCES tenancy.organizations (id),
    scope text NOT NULL GENERATED ALWAYS AS (
        CASE WHEN organization_id IS null THEN 'platform' ELSE 'org' END
    ) STORED,
    purpose text NOT NULL REFERENCES consent.purposes (code),
    version integer NOT NULL,
    title text NOT NULL,
    url text NOT NULL,
    content_sha256 text NOT NULL,
    requires_reconsent boolean NOT NULL DEFAULT true,
    published_at timestamptz NOT NULL DEFAULT util.now(),
    published_by uuid REFERENCES iam.principals (id),
    CONSTRAINT documents_id_version_purpose_key UNIQUE (id, version, purpose),
    CONSTRAINT documents_scope_follows_purpose CHECK ((organization_id IS null) = (purpose LIKE 'platform\_%')),
    CONSTRAINT documents_version_positive CHECK (version > 0),
    CONSTRAINT documents_title_length CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    CONSTRAINT documents_url_format CHECK (length(url) <= 2000 AND url ~ '^https://[^\s]+$'),
    CONSTRAINT documents_content_sha256_format CHECK (content_sha256 ~ '^[0-9a-f]{64}$')
);
COMMENT ON TABLE consent.documents IS 'Published versions of the platform''s and each organization''s terms, notices and consent texts; immutable.';
CREATE UNIQUE INDEX documents_platform_version_key ON consent.documents (purpose, version)
WHERE organization_id IS null;
CREATE UNIQUE INDEX documents_org_version_key ON consent.documents (organization_id, purpose, version)
WHERE organization_id IS NOT null;

-- The ledger. A withdrawal is a new row, never an update of the grant; the newest row of a
-- (subject, organization, purpose) is its current state.
CREATE TABLE consent.consents (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    seq bigint GENERATED ALWAYS AS IDENTITY,
    subject_principal_id uuid NOT NULL REFERENCES iam.principals (id),
    organization_id uuid REFERENCES tenancy.organizations (id),
    purpose text NOT NULL REFERENCES consent.purposes (code),
    action text NOT NULL,
    legal_basis text NOT NULL,
    document_id uuid,
    document_version integer,
    source text NOT NULL DEFAULT 'api',
    evidence_ip inet,
    evidence_user_agent text,
    evidence_request_id text,
    withdrawable boolean NOT NULL GENERATED ALWAYS AS (legal_basis = 'consent') STORED,
    recorded_by uuid NOT NULL REFERENCES iam.principals (id),
    created_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT consents_seq_key UNIQUE (seq),
    CONSTRAINT consents_document_fkey FOREIGN KEY (document_id, document_version, purpose)
    REFERENCES consent.documents (id, version, purpose),
    CONSTRAINT consents_scope_follows_purpose CHECK ((organization_id IS null) = (purpose LIKE 'platform\_%')),
    CONSTRAINT consents_action_valid CHECK (action IN ('grant', 'withdraw')),
    CONSTRAINT consents_legal_basis_valid CHECK (legal_basis IN (
        'consent', 'contract', 'legal_obligation', 'vital_interests', 'public_task', 'legitimate_interests'
    )),
    CONSTRAINT consents_only_consent_is_withdrawn CHECK (action <> 'withdraw' OR legal_basis = 'consent'),
    CONSTRAINT consents_document_complete CHECK ((document_id IS null) = (document_version IS null)),
    CONSTRAINT consents_source_valid CHECK (source IN ('api', 'form')),
    CONSTRAINT consents_user_agent_length CHECK (length(evidence_user_agent) <= 512),
    CONSTRAINT consents_request_id_length CHECK (length(evidence_request_id) <= 128)
);
COMMENT ON TABLE consent.consents IS 'Append-only ledger of consent grants and withdrawals (platform and org scope) with legal basis, document version and evidence.';
-- The current state of one subject's purpose is the newest row of this index range.
CREATE INDEX consents_subject_idx ON consent.consents (subject_principal_id, organization_id, purpose, seq DESC);
-- Policies and the organization's view filter on organization_id.
CREATE INDEX consents_org_idx ON consent.consents (organization_id, subject_principal_id, purpose, seq DESC);
CREATE INDEX consents_document_idx ON consent.consents (document_id) WHERE document_id IS NOT null;

-- Reads go through RLS; every write goes through the consent functions (security definer).
-- The system pool asks consent.has_consent and reads no ledger row itself.
REVOKE ALL ON consent.purposes, consent.documents, consent.consents FROM public;
GRANT SELECT ON consent.purposes, consent.documents, consent.consents TO restartix_app;
GRANT SELECT ON consent.purposes, consent.documents TO restartix_system;
