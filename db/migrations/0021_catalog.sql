-- Catalog (seed 3.1-3.3): what a clinic sells. Services (a single visit), service plans
-- (packs, memberships, telerehab programmes) published as immutable versions, patients'
-- enrollments in a plan version with their consumption ledger, and a reference catalog of
-- products. Money is an integer amount in minor units with its ISO 4217 currency.
-- The request pool has no write grant on these tables: writes go through the SECURITY
-- DEFINER functions of db/functions/catalog/, which carry the rules.
-- Deferred to later migrations (other branches land their tables first): service_specialists,
-- service_attachments, patient_tier_inclusions and the provisioning hook.

CREATE SCHEMA catalog;
COMMENT ON SCHEMA catalog IS 'Services, service plans and their versions, patient enrollments, products.';
GRANT USAGE ON SCHEMA catalog TO restartix_app, restartix_system;

-- Translated columns use util.translations_valid (migration 0017, docs/conventions.md).

CREATE TABLE catalog.services (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    name text NOT NULL,
    description text NOT NULL DEFAULT '',
    translations jsonb NOT NULL DEFAULT '{}',
    duration_minutes integer NOT NULL,
    buffer_before_minutes integer NOT NULL DEFAULT 0,
    buffer_after_minutes integer NOT NULL DEFAULT 0,
    price_amount bigint NOT NULL DEFAULT 0,
    currency text NOT NULL,
    modality text NOT NULL DEFAULT 'in_clinic',
    bookable_online boolean NOT NULL DEFAULT FALSE,
    active boolean NOT NULL DEFAULT TRUE,
    sort_order integer NOT NULL DEFAULT 0,
    created_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    deleted_at timestamptz,
    CONSTRAINT services_id_org_key UNIQUE (id, organization_id),
    CONSTRAINT services_name_length CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    CONSTRAINT services_description_length CHECK (length(description) <= 4000),
    CONSTRAINT services_translations_valid CHECK (
        util.translations_valid(translations, '{"name": 200, "description": 4000}')
    ),
    CONSTRAINT services_duration_valid CHECK (duration_minutes BETWEEN 1 AND 1440),
    CONSTRAINT services_buffers_valid CHECK (
        buffer_before_minutes BETWEEN 0 AND 480 AND buffer_after_minutes BETWEEN 0 AND 480
    ),
    CONSTRAINT services_price_valid CHECK (price_amount BETWEEN 0 AND 100000000000),
    CONSTRAINT services_currency_valid CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT services_modality_valid CHECK (modality IN ('in_clinic', 'video', 'home_visit')),
    CONSTRAINT services_sort_order_valid CHECK (sort_order BETWEEN -1000000 AND 1000000)
);
COMMENT ON TABLE catalog.services IS 'A kind of visit a clinic offers: duration, buffers, price, modality, online booking.';
-- Policies filter on (organization_id, id); lists sort by sort_order or name within one.
CREATE INDEX services_org_idx ON catalog.services (organization_id, id);
CREATE INDEX services_org_sort_idx ON catalog.services (organization_id, sort_order, id);
CREATE INDEX services_org_name_idx ON catalog.services (organization_id, name, id);
CREATE INDEX services_org_created_idx ON catalog.services (organization_id, created_at, id);
-- The public listing reads only live, active, bookable services of one organization.
CREATE INDEX services_public_idx ON catalog.services (organization_id, sort_order)
WHERE deleted_at IS NULL AND active AND bookable_online;

CREATE TABLE catalog.service_plans (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    plan_type text NOT NULL,
    current_version integer NOT NULL DEFAULT 1,
    active boolean NOT NULL DEFAULT TRUE,
    sort_order integer NOT NULL DEFAULT 0,
    created_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    deleted_at timestamptz,
    CONSTRAINT service_plans_id_org_key UNIQUE (id, organization_id),
    CONSTRAINT service_plans_id_org_type_key UNIQUE (id, organization_id, plan_type),
    CONSTRAINT service_plans_type_valid CHECK (plan_type IN ('session_pack', 'membership', 'telerehab_program')),
    CONSTRAINT service_plans_current_version_positive CHECK (current_version > 0),
    CONSTRAINT service_plans_sort_order_valid CHECK (sort_order BETWEEN -1000000 AND 1000000)
);
COMMENT ON TABLE catalog.service_plans IS 'A plan a clinic sells; its terms live in immutable versions, the newest being current.';
CREATE INDEX service_plans_org_idx ON catalog.service_plans (organization_id, id);
CREATE INDEX service_plans_org_sort_idx ON catalog.service_plans (organization_id, sort_order, id);
CREATE INDEX service_plans_org_created_idx ON catalog.service_plans (organization_id, created_at, id);

CREATE TABLE catalog.service_plan_versions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL,
    service_plan_id uuid NOT NULL,
    plan_type text NOT NULL,
    version integer NOT NULL,
    name text NOT NULL,
    description text NOT NULL DEFAULT '',
    translations jsonb NOT NULL DEFAULT '{}',
    price_amount bigint NOT NULL,
    currency text NOT NULL,
    validity_days integer,
    sessions_total integer,
    period text,
    sessions_per_period integer,
    renews boolean NOT NULL DEFAULT FALSE,
    telerehab_access boolean NOT NULL DEFAULT FALSE,
    library_access boolean NOT NULL DEFAULT FALSE,
    treatment_plan_assignments_total integer,
    published_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    published_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT service_plan_versions_plan_fkey FOREIGN KEY (service_plan_id, organization_id, plan_type)
    REFERENCES catalog.service_plans (id, organization_id, plan_type) ON DELETE CASCADE,
    CONSTRAINT service_plan_versions_plan_version_key UNIQUE (service_plan_id, version),
    CONSTRAINT service_plan_versions_id_org_key UNIQUE (id, organization_id),
    CONSTRAINT service_plan_versions_version_positive CHECK (version > 0),
    CONSTRAINT service_plan_versions_name_length CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    CONSTRAINT service_plan_versions_description_length CHECK (length(description) <= 4000),
    CONSTRAINT service_plan_versions_translations_valid CHECK (
        util.translations_valid(translations, '{"name": 200, "description": 4000}')
    ),
    CONSTRAINT service_plan_versions_price_valid CHECK (price_amount BETWEEN 0 AND 100000000000),
    CONSTRAINT service_plan_versions_currency_valid CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT service_plan_versions_validity_valid CHECK (validity_days BETWEEN 1 AND 3660),
    CONSTRAINT service_plan_versions_sessions_valid CHECK (
        sessions_total BETWEEN 1 AND 1000 AND sessions_per_period BETWEEN 1 AND 1000
    ),
    CONSTRAINT service_plan_versions_period_valid CHECK (period IN ('week', 'month', 'quarter', 'year')),
    CONSTRAINT service_plan_versions_assignments_valid CHECK (treatment_plan_assignments_total BETWEEN 0 AND 1000),
    -- What each type carries: a pack N sessions over D days; a membership a renewing period
    -- with an optional cap per period; a programme access grants over D days.
    CONSTRAINT service_plan_versions_terms_match_type CHECK (
        CASE plan_type
            WHEN 'session_pack' THEN
                sessions_total IS NOT NULL AND validity_days IS NOT NULL AND period IS NULL
                AND sessions_per_period IS NULL AND NOT renews AND treatment_plan_assignments_total IS NULL
                AND NOT telerehab_access AND NOT library_access
            WHEN 'membership' THEN
                period IS NOT NULL AND sessions_total IS NULL AND validity_days IS NULL
                AND treatment_plan_assignments_total IS NULL AND NOT telerehab_access AND NOT library_access
            WHEN 'telerehab_program' THEN
                validity_days IS NOT NULL AND sessions_total IS NULL AND period IS NULL
                AND sessions_per_period IS NULL AND NOT renews
                AND (telerehab_access OR library_access OR treatment_plan_assignments_total IS NOT NULL)
            ELSE FALSE
        END
    )
);
COMMENT ON TABLE catalog.service_plan_versions IS 'Immutable terms of a service plan; an enrollment keeps the version it bought.';
CREATE INDEX service_plan_versions_org_idx ON catalog.service_plan_versions (organization_id, id);
CREATE INDEX service_plan_versions_plan_idx ON catalog.service_plan_versions (organization_id, service_plan_id, version);

CREATE TABLE catalog.service_plan_services (
    service_plan_version_id uuid NOT NULL,
    organization_id uuid NOT NULL,
    service_id uuid NOT NULL,
    PRIMARY KEY (service_plan_version_id, service_id),
    CONSTRAINT service_plan_services_version_fkey FOREIGN KEY (service_plan_version_id, organization_id)
    REFERENCES catalog.service_plan_versions (id, organization_id) ON DELETE CASCADE,
    CONSTRAINT service_plan_services_service_fkey FOREIGN KEY (service_id, organization_id)
    REFERENCES catalog.services (id, organization_id) ON DELETE CASCADE
);
COMMENT ON TABLE catalog.service_plan_services IS 'The services a plan version covers (same organization, enforced by the keys).';
CREATE INDEX service_plan_services_org_idx ON catalog.service_plan_services (organization_id, service_plan_version_id);
CREATE INDEX service_plan_services_service_idx ON catalog.service_plan_services (organization_id, service_id);

CREATE TABLE catalog.products (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    name text NOT NULL,
    description text NOT NULL DEFAULT '',
    sku text NOT NULL,
    price_amount bigint NOT NULL DEFAULT 0,
    currency text NOT NULL,
    active boolean NOT NULL DEFAULT TRUE,
    created_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    deleted_at timestamptz,
    CONSTRAINT products_id_org_key UNIQUE (id, organization_id),
    CONSTRAINT products_name_length CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    CONSTRAINT products_description_length CHECK (length(description) <= 4000),
    CONSTRAINT products_sku_format CHECK (sku ~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$'),
    CONSTRAINT products_price_valid CHECK (price_amount BETWEEN 0 AND 100000000000),
    CONSTRAINT products_currency_valid CHECK (currency ~ '^[A-Z]{3}$')
);
COMMENT ON TABLE catalog.products IS 'A reference catalog of goods a clinic hands out or sells; no stock or fulfilment.';
CREATE INDEX products_org_idx ON catalog.products (organization_id, id);
CREATE INDEX products_org_name_idx ON catalog.products (organization_id, name, id);
CREATE INDEX products_org_created_idx ON catalog.products (organization_id, created_at, id);
-- Unique among live rows only, tenant-scoped: a deleted product's SKU can be reused.
CREATE UNIQUE INDEX products_sku_key ON catalog.products (organization_id, sku) WHERE deleted_at IS NULL;

CREATE TABLE catalog.service_plan_products (
    service_plan_version_id uuid NOT NULL,
    organization_id uuid NOT NULL,
    product_id uuid NOT NULL,
    quantity integer NOT NULL DEFAULT 1,
    PRIMARY KEY (service_plan_version_id, product_id),
    CONSTRAINT service_plan_products_version_fkey FOREIGN KEY (service_plan_version_id, organization_id)
    REFERENCES catalog.service_plan_versions (id, organization_id) ON DELETE CASCADE,
    CONSTRAINT service_plan_products_product_fkey FOREIGN KEY (product_id, organization_id)
    REFERENCES catalog.products (id, organization_id) ON DELETE CASCADE,
    CONSTRAINT service_plan_products_quantity_valid CHECK (quantity BETWEEN 1 AND 1000)
);
COMMENT ON TABLE catalog.service_plan_products IS 'Products a plan version includes, with quantities.';
CREATE INDEX service_plan_products_org_idx ON catalog.service_plan_products (organization_id, service_plan_version_id);
CREATE INDEX service_plan_products_product_idx ON catalog.service_plan_products (organization_id, product_id);

CREATE TABLE catalog.patient_service_plans (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    patient_id uuid NOT NULL REFERENCES people.patients (id) ON DELETE CASCADE,
    service_plan_id uuid NOT NULL,
    service_plan_version_id uuid NOT NULL,
    plan_type text NOT NULL,
    status text NOT NULL DEFAULT 'active',
    period_start timestamptz NOT NULL,
    period_end timestamptz NOT NULL,
    sessions_total integer,
    sessions_used integer NOT NULL DEFAULT 0,
    assignments_total integer,
    assignments_used integer NOT NULL DEFAULT 0,
    price_amount bigint NOT NULL,
    currency text NOT NULL,
    -- The tier subscription that granted it (patient tiers land from another branch; the
    -- foreign key follows with them). NULL: the patient bought it.
    source_tier_subscription_id uuid,
    enrolled_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    revoked_at timestamptz,
    revoked_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    revoke_reason text,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT patient_service_plans_id_org_key UNIQUE (id, organization_id),
    CONSTRAINT patient_service_plans_version_fkey FOREIGN KEY (service_plan_version_id, organization_id)
    REFERENCES catalog.service_plan_versions (id, organization_id),
    CONSTRAINT patient_service_plans_plan_fkey FOREIGN KEY (service_plan_id, organization_id, plan_type)
    REFERENCES catalog.service_plans (id, organization_id, plan_type),
    -- 'expired' is never stored: it is an active enrollment whose period has ended.
    CONSTRAINT patient_service_plans_status_valid CHECK (status IN ('active', 'exhausted', 'revoked')),
    CONSTRAINT patient_service_plans_period_valid CHECK (period_end > period_start),
    CONSTRAINT patient_service_plans_sessions_valid CHECK (
        sessions_used >= 0 AND (sessions_total IS NULL OR sessions_used <= sessions_total)
    ),
    CONSTRAINT patient_service_plans_assignments_valid CHECK (
        assignments_used >= 0 AND (assignments_total IS NULL OR assignments_used <= assignments_total)
    ),
    CONSTRAINT patient_service_plans_revoked_when_revoked CHECK ((status = 'revoked') = (revoked_at IS NOT NULL)),
    CONSTRAINT patient_service_plans_revoke_reason_length CHECK (length(revoke_reason) <= 500),
    CONSTRAINT patient_service_plans_price_valid CHECK (price_amount >= 0),
    CONSTRAINT patient_service_plans_currency_valid CHECK (currency ~ '^[A-Z]{3}$')
);
COMMENT ON TABLE catalog.patient_service_plans IS 'A patient''s enrollment in a plan version: period, sessions and assignments used; expiry is derived.';
CREATE INDEX patient_service_plans_org_idx ON catalog.patient_service_plans (organization_id, id);
CREATE INDEX patient_service_plans_patient_idx ON catalog.patient_service_plans (organization_id, patient_id, created_at, id);
CREATE INDEX patient_service_plans_patient_only_idx ON catalog.patient_service_plans (patient_id);
CREATE INDEX patient_service_plans_version_idx ON catalog.patient_service_plans (organization_id, service_plan_version_id);
CREATE INDEX patient_service_plans_source_idx ON catalog.patient_service_plans (source_tier_subscription_id)
WHERE source_tier_subscription_id IS NOT NULL;

CREATE TABLE catalog.plan_consumptions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL,
    patient_service_plan_id uuid NOT NULL,
    -- The appointment that used the session (appointments land later; the key follows).
    appointment_id uuid NOT NULL,
    consumed_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    consumed_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT plan_consumptions_enrollment_fkey FOREIGN KEY (patient_service_plan_id, organization_id)
    REFERENCES catalog.patient_service_plans (id, organization_id) ON DELETE CASCADE,
    -- One appointment uses at most one session, whatever enrollment it is recorded against.
    CONSTRAINT plan_consumptions_appointment_key UNIQUE (organization_id, appointment_id)
);
COMMENT ON TABLE catalog.plan_consumptions IS 'Ledger of sessions used: one row per appointment, against one enrollment.';
CREATE INDEX plan_consumptions_enrollment_idx ON catalog.plan_consumptions (organization_id, patient_service_plan_id, consumed_at);

-- A sum of money: an amount in minor units and its currency (catalog.sum_money refuses to
-- add different currencies).
CREATE TYPE catalog.money AS (amount bigint, currency text);
COMMENT ON TYPE catalog.money IS 'An amount in minor units with its ISO 4217 currency.';

-- Reads only; every write goes through the catalog functions.
GRANT SELECT ON TABLE catalog.services, catalog.service_plans, catalog.service_plan_versions,
catalog.service_plan_services, catalog.products, catalog.service_plan_products,
catalog.patient_service_plans, catalog.plan_consumptions TO restartix_app;

INSERT INTO iam.permissions (code, description) VALUES
('catalog.read', 'See the organization''s services, service plans and products.'),
('catalog.manage', 'Create, edit, publish, delete and restore services, service plans and products; revoke enrollments.'),
('plans.enroll', 'Enroll patients in service plans and record the sessions they use.');
-- Owners and admins run the catalog; clinicians and the front desk read it and enroll
-- patients; the billing role reads prices but touches no patient's plan.
INSERT INTO iam.role_permissions (role_id, permission_code)
SELECT r.id, p.code
FROM iam.roles AS r
CROSS JOIN (VALUES ('catalog.read'), ('catalog.manage'), ('plans.enroll')) AS p (code)
WHERE r.organization_id IS NULL AND (
    r.code IN ('owner', 'admin')
    OR (r.code IN ('specialist', 'receptionist') AND p.code IN ('catalog.read', 'plans.enroll'))
    OR (r.code = 'billing' AND p.code = 'catalog.read')
);

-- Tier limits: how many services and plans an organization keeps (live ones count).
INSERT INTO billing.limit_definitions (code, description, unit, period) VALUES
('services.max', 'Live services of the organization.', 'services', NULL),
('service_plans.max', 'Live service plans of the organization.', 'plans', NULL);
-- A value for every version of every tier: Free is small, Pro generous, Dedicated and any
-- other base tier unlimited (NULL); an add-on adds nothing (0) to these limits.
INSERT INTO billing.tier_limits (tier_version_id, limit_code, value)
SELECT v.id, l.code,
    CASE t.code
        WHEN 'free' THEN (CASE l.code WHEN 'services.max' THEN 10 WHEN 'service_plans.max' THEN 3 END)
        WHEN 'pro' THEN (CASE l.code WHEN 'services.max' THEN 200 WHEN 'service_plans.max' THEN 50 END)
        ELSE (CASE WHEN t.kind = 'addon' THEN 0 END)
    END AS value
FROM billing.tier_versions AS v
INNER JOIN billing.tiers AS t ON v.tier_id = t.id
CROSS JOIN billing.limit_definitions AS l
WHERE l.code IN ('services.max', 'service_plans.max')
ON CONFLICT (tier_version_id, limit_code) DO NOTHING;
-- Backfill every existing subscription snapshot from its own tier version, so a limit the
-- snapshot predates does not read as 0 (which would refuse every new service).
INSERT INTO billing.organization_subscription_limits (subscription_id, organization_id, limit_code, value)
SELECT s.id, s.organization_id, tl.limit_code, tl.value
FROM billing.organization_subscriptions AS s
INNER JOIN billing.tier_limits AS tl ON s.tier_version_id = tl.tier_version_id
WHERE tl.limit_code IN ('services.max', 'service_plans.max')
ON CONFLICT (subscription_id, limit_code) DO NOTHING;
