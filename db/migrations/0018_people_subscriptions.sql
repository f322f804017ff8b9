-- Patient subscriptions (seed 2.5): a patient of an organization on one of its patient
-- tiers, with the tier version's perks and limits snapshotted at subscribe time and sales-like
-- overrides with expiry, mirroring the organization's own subscription (billing). They live in
-- `people` because which tier a person is on is patient data: the people policies (no
-- platform staff, the person sees their own) apply, not billing's. The engine that fills and
-- reads them is billing's, one set of functions for both sides (db/functions/billing/).
-- The request pool reads only; writes go through the people functions.

-- A sign-up looks for the guest profiles carrying the human's email (the claim,
-- db/functions/people/60_onboarding.sql): without this every onboarding scans every profile.
CREATE INDEX patient_profiles_guest_email_idx ON people.patient_profiles (email) WHERE human_id IS NULL;

-- Tenant-safe composite keys for the foreign keys below (organization_id travels with the id).
ALTER TABLE people.patients ADD CONSTRAINT patients_id_org_key UNIQUE (id, organization_id);
ALTER TABLE billing.patient_tier_versions ADD CONSTRAINT patient_tier_versions_id_org_key UNIQUE (id, organization_id);

CREATE TABLE people.patient_subscriptions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    patient_id uuid NOT NULL,
    patient_tier_version_id uuid NOT NULL,
    status text NOT NULL DEFAULT 'active',
    started_at timestamptz NOT NULL DEFAULT util.now(),
    ended_at timestamptz,
    current_period_start timestamptz NOT NULL DEFAULT util.now(),
    current_period_end timestamptz NOT NULL DEFAULT util.now() + interval '1 month',
    created_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT patient_subscriptions_patient_fkey FOREIGN KEY (patient_id, organization_id)
    REFERENCES people.patients (id, organization_id) ON DELETE CASCADE,
    CONSTRAINT patient_subscriptions_version_fkey FOREIGN KEY (patient_tier_version_id, organization_id)
    REFERENCES billing.patient_tier_versions (id, organization_id),
    CONSTRAINT patient_subscriptions_status_valid CHECK (status IN ('active', 'ended')),
    CONSTRAINT patient_subscriptions_ended_when_ended CHECK ((status = 'ended') = (ended_at IS NOT NULL)),
    CONSTRAINT patient_subscriptions_period_valid CHECK (current_period_end > current_period_start)
);
COMMENT ON TABLE people.patient_subscriptions IS
'A patient on a patient tier of the organization, bound to the tier version it snapshotted.';
-- At most one active subscription per patient.
CREATE UNIQUE INDEX patient_subscriptions_one_active ON people.patient_subscriptions (organization_id, patient_id)
WHERE status = 'active';
CREATE INDEX patient_subscriptions_patient_idx ON people.patient_subscriptions (patient_id, status);
CREATE INDEX patient_subscriptions_org_idx ON people.patient_subscriptions (organization_id, id);
CREATE INDEX patient_subscriptions_version_idx ON people.patient_subscriptions (patient_tier_version_id);

CREATE TABLE people.patient_subscription_entitlements (
    subscription_id uuid NOT NULL REFERENCES people.patient_subscriptions (id) ON DELETE CASCADE,
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    entitlement_code text NOT NULL REFERENCES billing.entitlements (code),
    enabled boolean NOT NULL,
    PRIMARY KEY (subscription_id, entitlement_code)
);
COMMENT ON TABLE people.patient_subscription_entitlements IS
'Snapshot of the perks of the patient tier version at subscribe time.';
CREATE INDEX patient_subscription_entitlements_org_idx ON people.patient_subscription_entitlements (organization_id);

CREATE TABLE people.patient_subscription_limits (
    subscription_id uuid NOT NULL REFERENCES people.patient_subscriptions (id) ON DELETE CASCADE,
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    limit_code text NOT NULL REFERENCES billing.limit_definitions (code),
    value bigint,
    PRIMARY KEY (subscription_id, limit_code),
    CONSTRAINT patient_subscription_limits_value_valid CHECK (value IS NULL OR value >= 0)
);
COMMENT ON TABLE people.patient_subscription_limits IS
'Snapshot of the limits of the patient tier version at subscribe time (NULL is unlimited).';
CREATE INDEX patient_subscription_limits_org_idx ON people.patient_subscription_limits (organization_id);

CREATE TABLE people.patient_subscription_overrides (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    patient_id uuid NOT NULL,
    entitlement_code text REFERENCES billing.entitlements (code),
    limit_code text REFERENCES billing.limit_definitions (code),
    enabled boolean,
    value bigint,
    reason text NOT NULL,
    granted_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    expires_at timestamptz,
    revoked_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT patient_subscription_overrides_patient_fkey FOREIGN KEY (patient_id, organization_id)
    REFERENCES people.patients (id, organization_id) ON DELETE CASCADE,
    CONSTRAINT patient_subscription_overrides_one_target CHECK (
        (entitlement_code IS NOT NULL AND limit_code IS NULL AND enabled IS NOT NULL AND value IS NULL)
        OR (limit_code IS NOT NULL AND entitlement_code IS NULL AND enabled IS NULL)
    ),
    CONSTRAINT patient_subscription_overrides_reason_length CHECK (length(btrim(reason)) BETWEEN 3 AND 500),
    CONSTRAINT patient_subscription_overrides_value_valid CHECK (value IS NULL OR value >= 0),
    CONSTRAINT patient_subscription_overrides_expiry_after_creation CHECK (expires_at > created_at)
);
COMMENT ON TABLE people.patient_subscription_overrides IS
'A clinic''s override of one perk or limit of a patient, with reason, author and optional expiry.';
CREATE INDEX patient_subscription_overrides_patient_idx ON people.patient_subscription_overrides (patient_id)
WHERE revoked_at IS NULL;
CREATE INDEX patient_subscription_overrides_org_idx ON people.patient_subscription_overrides (organization_id, id);

-- Reads only; every write goes through the people functions.
GRANT SELECT ON people.patient_subscriptions, people.patient_subscription_entitlements,
people.patient_subscription_limits, people.patient_subscription_overrides TO restartix_app;

-- Patients registered before this migration start on their organization's default tier,
-- snapshotted from its newest version, like every patient after it (a data-modifying WITH
-- runs to completion whether or not the outer statement reads it).
WITH defaults AS (
    SELECT DISTINCT ON (t.organization_id) t.organization_id, v.id AS version_id
    FROM billing.patient_tiers AS t
    INNER JOIN billing.patient_tier_versions AS v ON t.id = v.patient_tier_id
    WHERE t.is_default
    ORDER BY t.organization_id ASC, v.version DESC
),

subscribed AS (
    INSERT INTO people.patient_subscriptions (organization_id, patient_id, patient_tier_version_id)
    SELECT pt.organization_id, pt.id, d.version_id
    FROM people.patients AS pt
    INNER JOIN defaults AS d ON pt.organization_id = d.organization_id
    WHERE pt.deleted_at IS NULL
    RETURNING id, organization_id, patient_tier_version_id
),

perks AS (
    INSERT INTO people.patient_subscription_entitlements (subscription_id, organization_id, entitlement_code, enabled)
    SELECT s.id, s.organization_id, e.entitlement_code, e.enabled
    FROM subscribed AS s
    INNER JOIN billing.patient_tier_entitlements AS e ON s.patient_tier_version_id = e.patient_tier_version_id
)

INSERT INTO people.patient_subscription_limits (subscription_id, organization_id, limit_code, value)
SELECT s.id, s.organization_id, l.limit_code, l.value
FROM subscribed AS s
INNER JOIN billing.patient_tier_limits AS l ON s.patient_tier_version_id = l.patient_tier_version_id;
