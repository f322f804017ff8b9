-- Org companions (settings, billing profile, org entitlements), the tier catalog, org
-- subscriptions with their snapshots and overrides, and patient tiers (seed 1.19–1.21).

CREATE SCHEMA billing;
COMMENT ON SCHEMA billing IS 'Tiers, subscriptions with snapshots, overrides, entitlements and limits.';
GRANT USAGE ON SCHEMA billing TO restartix_app, restartix_system;

INSERT INTO iam.permissions (code, description) VALUES
('patient_tiers.read', 'Read the patient tiers of the organization.');
INSERT INTO iam.role_permissions (role_id, permission_code)
SELECT r.id, 'patient_tiers.read' AS permission_code FROM iam.roles AS r
WHERE r.organization_id IS NULL AND r.code IN ('owner', 'admin', 'specialist', 'receptionist', 'billing');

-- Org companions: one row each per organization, created by a trigger on provisioning.
CREATE TABLE tenancy.organization_settings (
    organization_id uuid PRIMARY KEY REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    timezone text NOT NULL DEFAULT 'Europe/Bucharest',
    default_locale text NOT NULL DEFAULT 'ro',
    week_starts_on smallint NOT NULL DEFAULT 1,
    booking_lead_minutes integer NOT NULL DEFAULT 60,
    cancellation_notice_hours integer NOT NULL DEFAULT 24,
    brand_color text,
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT organization_settings_locale_valid CHECK (default_locale IN ('en', 'ro')),
    CONSTRAINT organization_settings_week_start_valid CHECK (week_starts_on BETWEEN 0 AND 6),
    CONSTRAINT organization_settings_lead_valid CHECK (booking_lead_minutes BETWEEN 0 AND 43200),
    CONSTRAINT organization_settings_notice_valid CHECK (cancellation_notice_hours BETWEEN 0 AND 720),
    CONSTRAINT organization_settings_brand_color_valid CHECK (brand_color ~ '^#[0-9a-f]{6}$'),
    CONSTRAINT organization_settings_timezone_length CHECK (length(timezone) BETWEEN 1 AND 64)
);
COMMENT ON TABLE tenancy.organization_settings IS 'Operational settings of an organization (org_internal).';

CREATE TABLE billing.entitlements (
    code text PRIMARY KEY,
    scope text NOT NULL,
    description text NOT NULL,
    default_enabled boolean NOT NULL DEFAULT FALSE,
    CONSTRAINT entitlements_code_format CHECK (code ~ '^[a-z][a-z0-9_.]{1,62}$'),
    CONSTRAINT entitlements_scope_valid CHECK (scope IN ('tier', 'org', 'patient'))
);
COMMENT ON TABLE billing.entitlements IS 'Catalog of entitlements: tier features, per-org toggles and patient perks.';

CREATE TABLE billing.limit_definitions (
    code text PRIMARY KEY,
    description text NOT NULL,
    unit text NOT NULL,
    period text,
    CONSTRAINT limit_definitions_code_format CHECK (code ~ '^[a-z][a-z0-9_.]{1,62}$'),
    CONSTRAINT limit_definitions_period_valid CHECK (period IN ('day', 'month'))
);
COMMENT ON TABLE billing.limit_definitions IS 'Catalog of limits (a NULL period is a standing limit, else a per-period quota).';

CREATE TABLE billing.organization_billing (
    organization_id uuid PRIMARY KEY REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    legal_name text,
    billing_email citext,
    address_line text,
    city text,
    country char(2) NOT NULL DEFAULT 'RO',
    tax_id_encrypted bytea,
    current_tier_id uuid,
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT organization_billing_legal_name_length CHECK (length(legal_name) <= 200),
    CONSTRAINT organization_billing_email_valid CHECK (billing_email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' AND length(billing_email) <= 254),
    CONSTRAINT organization_billing_address_length CHECK (length(address_line) <= 300 AND length(city) <= 100),
    CONSTRAINT organization_billing_country_valid CHECK (country ~ '^[A-Z]{2}$')
);
COMMENT ON TABLE billing.organization_billing IS 'Billing profile of an organization; the tax id is encrypted by the application.';

CREATE TABLE billing.organization_entitlements (
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    entitlement_code text NOT NULL REFERENCES billing.entitlements (code),
    enabled boolean NOT NULL,
    reason text NOT NULL DEFAULT '',
    updated_by uuid REFERENCES iam.principals (id),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    PRIMARY KEY (organization_id, entitlement_code),
    CONSTRAINT organization_entitlements_reason_length CHECK (length(reason) <= 500)
);
COMMENT ON TABLE billing.organization_entitlements IS 'Per-organization toggles of org-scoped entitlements (set by platform admins).';

CREATE TABLE billing.tiers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code text NOT NULL,
    name text NOT NULL,
    kind text NOT NULL DEFAULT 'base',
    status text NOT NULL DEFAULT 'active',
    created_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT tiers_code_key UNIQUE (code),
    CONSTRAINT tiers_code_format CHECK (code ~ '^[a-z][a-z0-9_]{1,62}$'),
    CONSTRAINT tiers_name_length CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    CONSTRAINT tiers_kind_valid CHECK (kind IN ('base', 'addon')),
    CONSTRAINT tiers_status_valid CHECK (status IN ('active', 'retired'))
);
COMMENT ON TABLE billing.tiers IS 'Sellable tiers (base plans and add-ons) of the platform.';

ALTER TABLE billing.organization_billing
ADD CONSTRAINT organization_billing_current_tier_fkey FOREIGN KEY (current_tier_id) REFERENCES billing.tiers (id);

CREATE TABLE billing.tier_versions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tier_id uuid NOT NULL REFERENCES billing.tiers (id) ON DELETE CASCADE,
    version integer NOT NULL,
    monthly_price_cents integer NOT NULL DEFAULT 0,
    currency char(3) NOT NULL DEFAULT 'EUR',
    published_at timestamptz NOT NULL DEFAULT util.now(),
    published_by uuid REFERENCES iam.principals (id),
    CONSTRAINT tier_versions_tier_version_key UNIQUE (tier_id, version),
    CONSTRAINT tier_versions_version_positive CHECK (version > 0),
    CONSTRAINT tier_versions_price_valid CHECK (monthly_price_cents >= 0)
);
COMMENT ON TABLE billing.tier_versions IS 'Immutable versions of a tier; a subscription snapshots one.';

CREATE TABLE billing.tier_entitlements (
    tier_version_id uuid NOT NULL REFERENCES billing.tier_versions (id) ON DELETE CASCADE,
    entitlement_code text NOT NULL REFERENCES billing.entitlements (code),
    enabled boolean NOT NULL DEFAULT TRUE,
    PRIMARY KEY (tier_version_id, entitlement_code)
);
COMMENT ON TABLE billing.tier_entitlements IS 'Entitlements a tier version includes.';

CREATE TABLE billing.tier_limits (
    tier_version_id uuid NOT NULL REFERENCES billing.tier_versions (id) ON DELETE CASCADE,
    limit_code text NOT NULL REFERENCES billing.limit_definitions (code),
    value bigint,
    PRIMARY KEY (tier_version_id, limit_code),
    CONSTRAINT tier_limits_value_valid CHECK (value IS NULL OR value >= 0)
);
COMMENT ON TABLE billing.tier_limits IS 'Limits a tier version sets (NULL is unlimited; add-on values add up).';

CREATE TABLE billing.organization_subscriptions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    tier_version_id uuid NOT NULL REFERENCES billing.tier_versions (id),
    kind text NOT NULL,
    status text NOT NULL DEFAULT 'active',
    started_at timestamptz NOT NULL DEFAULT util.now(),
    ended_at timestamptz,
    created_by uuid REFERENCES iam.principals (id),
    CONSTRAINT organization_subscriptions_kind_valid CHECK (kind IN ('base', 'addon')),
    CONSTRAINT organization_subscriptions_status_valid CHECK (status IN ('active', 'ended')),
    CONSTRAINT organization_subscriptions_ended_when_ended CHECK ((status = 'ended') = (ended_at IS NOT NULL))
);
COMMENT ON TABLE billing.organization_subscriptions IS 'An organization''s base plan and add-ons, each bound to the tier version it snapshotted.';
CREATE UNIQUE INDEX organization_subscriptions_one_base ON billing.organization_subscriptions (organization_id)
WHERE kind = 'base' AND status = 'active';
CREATE INDEX organization_subscriptions_org_idx ON billing.organization_subscriptions (organization_id, status);

CREATE TABLE billing.organization_subscription_entitlements (
    subscription_id uuid NOT NULL REFERENCES billing.organization_subscriptions (id) ON DELETE CASCADE,
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    entitlement_code text NOT NULL REFERENCES billing.entitlements (code),
    enabled boolean NOT NULL,
    PRIMARY KEY (subscription_id, entitlement_code)
);
COMMENT ON TABLE billing.organization_subscription_entitlements IS 'Snapshot of the entitlements of the tier version at subscribe time.';
CREATE INDEX organization_subscription_entitlements_org_idx
ON billing.organization_subscription_entitlements (organization_id, entitlement_code);

CREATE TABLE billing.organization_subscription_limits (
    subscription_id uuid NOT NULL REFERENCES billing.organization_subscriptions (id) ON DELETE CASCADE,
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    limit_code text NOT NULL REFERENCES billing.limit_definitions (code),
    value bigint,
    PRIMARY KEY (subscription_id, limit_code),
    CONSTRAINT organization_subscription_limits_value_valid CHECK (value IS NULL OR value >= 0)
);
COMMENT ON TABLE billing.organization_subscription_limits IS 'Snapshot of the limits of the tier version at subscribe time.';
CREATE INDEX organization_subscription_limits_org_idx
ON billing.organization_subscription_limits (organization_id, limit_code);

CREATE TABLE billing.organization_subscription_overrides (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    entitlement_code text REFERENCES billing.entitlements (code),
    limit_code text REFERENCES billing.limit_definitions (code),
    enabled boolean,
    value bigint,
    reason text NOT NULL,
    granted_by uuid NOT NULL REFERENCES iam.principals (id),
    expires_at timestamptz,
    revoked_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT organization_subscription_overrides_one_target CHECK (
        (entitlement_code IS NOT NULL AND limit_code IS NULL AND enabled IS NOT NULL AND value IS NULL)
        OR (limit_code IS NOT NULL AND entitlement_code IS NULL AND enabled IS NULL)
    ),
    CONSTRAINT organization_subscription_overrides_reason_length CHECK (length(btrim(reason)) BETWEEN 3 AND 500),
    CONSTRAINT organization_subscription_overrides_value_valid CHECK (value IS NULL OR value >= 0),
    CONSTRAINT organization_subscription_overrides_expiry_after_creation CHECK (expires_at > created_at)
);
COMMENT ON TABLE billing.organization_subscription_overrides IS 'Sales overrides of one entitlement or limit, with reason, author and optional expiry.';
CREATE INDEX organization_subscription_overrides_org_idx
ON billing.organization_subscription_overrides (organization_id) WHERE revoked_at IS NULL;

CREATE TABLE billing.patient_tiers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    code text NOT NULL,
    name text NOT NULL,
    description text NOT NULL DEFAULT '',
    is_default boolean NOT NULL DEFAULT FALSE,
    status text NOT NULL DEFAULT 'active',
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT patient_tiers_org_code_key UNIQUE (organization_id, code),
    CONSTRAINT patient_tiers_id_org_key UNIQUE (id, organization_id),
    CONSTRAINT patient_tiers_code_format CHECK (code ~ '^[a-z][a-z0-9_]{1,62}$'),
    CONSTRAINT patient_tiers_name_length CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    CONSTRAINT patient_tiers_description_length CHECK (length(description) <= 1000),
    CONSTRAINT patient_tiers_status_valid CHECK (status IN ('active', 'retired')),
    CONSTRAINT patient_tiers_default_is_active CHECK (NOT is_default OR status = 'active')
);
COMMENT ON TABLE billing.patient_tiers IS 'What a clinic offers its patients; every organization has one default tier.';
CREATE UNIQUE INDEX patient_tiers_one_default ON billing.patient_tiers (organization_id) WHERE is_default;

CREATE TABLE billing.patient_tier_versions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    patient_tier_id uuid NOT NULL,
    organization_id uuid NOT NULL,
    version integer NOT NULL,
    published_at timestamptz NOT NULL DEFAULT util.now(),
    published_by uuid REFERENCES iam.principals (id),
    CONSTRAINT patient_tier_versions_tier_fkey FOREIGN KEY (patient_tier_id, organization_id)
    REFERENCES billing.patient_tiers (id, organization_id) ON DELETE CASCADE,
    CONSTRAINT patient_tier_versions_tier_version_key UNIQUE (patient_tier_id, version),
    CONSTRAINT patient_tier_versions_version_positive CHECK (version > 0)
);
COMMENT ON TABLE billing.patient_tier_versions IS 'Immutable versions of a patient tier; patient subscriptions will snapshot one.';
CREATE INDEX patient_tier_versions_org_idx ON billing.patient_tier_versions (organization_id);

CREATE TABLE billing.patient_tier_entitlements (
    patient_tier_version_id uuid NOT NULL REFERENCES billing.patient_tier_versions (id) ON DELETE CASCADE,
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    entitlement_code text NOT NULL REFERENCES billing.entitlements (code),
    enabled boolean NOT NULL DEFAULT TRUE,
    PRIMARY KEY (patient_tier_version_id, entitlement_code)
);
COMMENT ON TABLE billing.patient_tier_entitlements IS 'Perks a patient tier version includes (shared entitlement catalog).';
CREATE INDEX patient_tier_entitlements_org_idx ON billing.patient_tier_entitlements (organization_id);

CREATE TABLE billing.patient_tier_limits (
    patient_tier_version_id uuid NOT NULL REFERENCES billing.patient_tier_versions (id) ON DELETE CASCADE,
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    limit_code text NOT NULL REFERENCES billing.limit_definitions (code),
    value bigint,
    PRIMARY KEY (patient_tier_version_id, limit_code),
    CONSTRAINT patient_tier_limits_value_valid CHECK (value IS NULL OR value >= 0)
);
COMMENT ON TABLE billing.patient_tier_limits IS 'Limits a patient tier version sets (shared limit catalog).';
CREATE INDEX patient_tier_limits_org_idx ON billing.patient_tier_limits (organization_id);

-- The catalog: Free, Pro, Dedicated, and one add-on.
INSERT INTO billing.entitlements (code, scope, description, default_enabled) VALUES
('custom_domains', 'tier', 'Serve the clinic on its own domain names.', FALSE),
('custom_roles', 'tier', 'Define custom roles beyond the system templates.', FALSE),
('video_consultations', 'tier', 'Video consultations with patients.', FALSE),
('telerehab', 'tier', 'Exercise programmes and remote sessions.', FALSE),
('api_access', 'tier', 'Programmatic access for integrations.', FALSE),
('audit_export', 'tier', 'Export the audit log.', FALSE),
('patient_portal', 'org', 'Patients sign in to the clinic portal (patient tiers apply).', TRUE),
('ai_processing', 'org', 'Features that send clinic data to AI models (needs a DPA addendum).', FALSE),
('clinical_records', 'org', 'Store clinical records (needs the processing agreement signed).', TRUE),
('marketing_messages', 'org', 'Send marketing email and SMS to consenting patients.', FALSE),
('priority_booking', 'patient', 'Patients of this tier book before others.', FALSE),
('exercise_library', 'patient', 'Access to the exercise library.', FALSE);

INSERT INTO billing.limit_definitions (code, description, unit, period) VALUES
('members.max', 'Active members and pending invitations.', 'members', NULL),
('patients.max', 'Patients of the organization.', 'patients', NULL),
('storage.bytes', 'Stored file bytes.', 'bytes', NULL),
('video.minutes', 'Video consultation minutes per month.', 'minutes', 'month'),
('sms.sent', 'Text messages per month.', 'messages', 'month'),
('emails.sent', 'Emails per month.', 'emails', 'month'),
('bookings.monthly', 'Online bookings per month (patient tier).', 'bookings', 'month');

INSERT INTO billing.tiers (code, name, kind) VALUES
('free', 'Free', 'base'), ('pro', 'Pro', 'base'), ('dedicated', 'Dedicated', 'base'),
('extra_members', 'Extra members pack', 'addon');
INSERT INTO billing.tier_versions (tier_id, version, monthly_price_cents)
SELECT
    id AS tier_id,
    1 AS version,
    CASE code WHEN 'free' THEN 0 WHEN 'pro' THEN 4900 WHEN 'dedicated' THEN 29900 ELSE 1500 END AS monthly_price_cents
FROM billing.tiers;

INSERT INTO billing.tier_entitlements (tier_version_id, entitlement_code, enabled)
SELECT v.id, e.code,
    CASE t.code
        WHEN 'free' THEN FALSE
        WHEN 'pro' THEN e.code IN ('custom_domains', 'custom_roles', 'video_consultations', 'telerehab')
        ELSE TRUE
    END AS enabled
FROM billing.tier_versions AS v
INNER JOIN billing.tiers AS t ON v.tier_id = t.id AND t.kind = 'base'
CROSS JOIN billing.entitlements AS e WHERE e.scope = 'tier';

INSERT INTO billing.tier_limits (tier_version_id, limit_code, value)
SELECT v.id, l.code,
    CASE t.code
        WHEN 'free' THEN (CASE l.code WHEN 'members.max' THEN 3 WHEN 'patients.max' THEN 50 WHEN 'storage.bytes' THEN 1073741824
            WHEN 'video.minutes' THEN 0 WHEN 'sms.sent' THEN 0 WHEN 'emails.sent' THEN 500 END)
        WHEN 'pro' THEN (CASE l.code WHEN 'members.max' THEN 25 WHEN 'patients.max' THEN 2000 WHEN 'storage.bytes' THEN 53687091200
            WHEN 'video.minutes' THEN 3000 WHEN 'sms.sent' THEN 1000 WHEN 'emails.sent' THEN 20000 END)
        WHEN 'extra_members' THEN (CASE l.code WHEN 'members.max' THEN 10 END)
    END AS value
FROM billing.tier_versions AS v
INNER JOIN billing.tiers AS t ON v.tier_id = t.id
CROSS JOIN billing.limit_definitions AS l
WHERE l.code <> 'bookings.monthly' AND (t.kind = 'base' OR l.code = 'members.max');

GRANT SELECT ON billing.entitlements, billing.limit_definitions, billing.tiers, billing.tier_versions,
billing.tier_entitlements, billing.tier_limits TO restartix_app;
GRANT SELECT ON billing.organization_subscriptions, billing.organization_subscription_entitlements,
billing.organization_subscription_limits, billing.organization_subscription_overrides,
billing.organization_entitlements, billing.organization_billing, billing.patient_tiers,
billing.patient_tier_versions, billing.patient_tier_entitlements, billing.patient_tier_limits
TO restartix_app;
GRANT SELECT, UPDATE ON tenancy.organization_settings TO restartix_app;
GRANT INSERT, UPDATE ON billing.patient_tiers TO restartix_app;
GRANT INSERT ON billing.patient_tier_versions, billing.patient_tier_entitlements, billing.patient_tier_limits
TO restartix_app;
GRANT UPDATE (legal_name, billing_email, address_line, city, country, tax_id_encrypted)
ON billing.organization_billing TO restartix_app;
GRANT SELECT ON billing.organization_billing TO restartix_system;
GRANT UPDATE (tax_id_encrypted) ON billing.organization_billing TO restartix_system;
