-- Catalog, second part (issue 18): which specialists perform a service, the service plans a
-- patient tier version includes, and the link from a tier-granted enrollment to the patient
-- subscription that granted it (the provisioning hook, db/functions/catalog/60_provisioning.sql).
-- Keys include organization_id, so no row can point at another clinic's service, specialist,
-- plan or subscription. The request pool reads only; the catalog functions write.

CREATE TABLE catalog.service_specialists (
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    service_id uuid NOT NULL,
    specialist_id uuid NOT NULL,
    created_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    PRIMARY KEY (service_id, specialist_id),
    CONSTRAINT service_specialists_service_fkey FOREIGN KEY (service_id, organization_id)
    REFERENCES catalog.services (id, organization_id) ON DELETE CASCADE,
    CONSTRAINT service_specialists_specialist_fkey FOREIGN KEY (specialist_id, organization_id)
    REFERENCES people.specialists (id, organization_id) ON DELETE CASCADE
);
COMMENT ON TABLE catalog.service_specialists IS 'The specialists of the organization who perform a service.';
CREATE INDEX service_specialists_org_idx ON catalog.service_specialists (organization_id, service_id);
CREATE INDEX service_specialists_specialist_idx ON catalog.service_specialists (specialist_id);

CREATE TABLE catalog.patient_tier_inclusions (
    patient_tier_version_id uuid NOT NULL,
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    service_plan_id uuid NOT NULL,
    -- How many enrollments of the plan a subscriber gets each period.
    quantity integer NOT NULL DEFAULT 1,
    PRIMARY KEY (patient_tier_version_id, service_plan_id),
    CONSTRAINT patient_tier_inclusions_version_fkey FOREIGN KEY (patient_tier_version_id, organization_id)
    REFERENCES billing.patient_tier_versions (id, organization_id) ON DELETE CASCADE,
    CONSTRAINT patient_tier_inclusions_plan_fkey FOREIGN KEY (service_plan_id, organization_id)
    REFERENCES catalog.service_plans (id, organization_id) ON DELETE CASCADE,
    CONSTRAINT patient_tier_inclusions_quantity_valid CHECK (quantity BETWEEN 1 AND 10)
);
COMMENT ON TABLE catalog.patient_tier_inclusions IS
'Service plans a patient tier version includes, with how many enrollments per period.';
CREATE INDEX patient_tier_inclusions_org_idx ON catalog.patient_tier_inclusions (organization_id, patient_tier_version_id);
CREATE INDEX patient_tier_inclusions_plan_idx ON catalog.patient_tier_inclusions (service_plan_id);

-- The subscription that granted an enrollment, in the same organization, and which of the
-- inclusion's `quantity` enrollments it is: (subscription, plan, period, slot) is unique, so
-- provisioning twice writes nothing the second time.
ALTER TABLE people.patient_subscriptions ADD CONSTRAINT patient_subscriptions_id_org_key UNIQUE (id, organization_id);
ALTER TABLE catalog.patient_service_plans ADD COLUMN source_slot smallint;
ALTER TABLE catalog.patient_service_plans
ADD CONSTRAINT patient_service_plans_source_fkey FOREIGN KEY (source_tier_subscription_id, organization_id)
REFERENCES people.patient_subscriptions (id, organization_id) ON DELETE CASCADE,
ADD CONSTRAINT patient_service_plans_source_slot_valid CHECK (
    (source_tier_subscription_id IS NULL) = (source_slot IS NULL) AND (source_slot IS NULL OR source_slot BETWEEN 1 AND 10)
);
CREATE UNIQUE INDEX patient_service_plans_source_key ON catalog.patient_service_plans (
    source_tier_subscription_id, service_plan_id, period_start, source_slot
) WHERE source_tier_subscription_id IS NOT NULL;
-- Rollover finds the subscriptions whose period has ended.
CREATE INDEX patient_subscriptions_period_end_idx ON people.patient_subscriptions (current_period_end)
WHERE status = 'active';

GRANT SELECT ON TABLE catalog.service_specialists, catalog.patient_tier_inclusions TO restartix_app;

-- Files attached to a service (a leaflet, a consent PDF, pictures): stored through `storage`
-- with their own purpose. The purpose list is main's plus the forms domain's purposes (their
-- migration 0023 lands first and extends the same check) plus service_attachment.
ALTER TABLE storage.files DROP CONSTRAINT files_purpose_valid;
ALTER TABLE storage.files ADD CONSTRAINT files_purpose_valid CHECK (
    purpose IN ('logo', 'specialist_signature', 'form_file', 'form_signature', 'service_attachment')
);

CREATE TABLE catalog.service_attachments (
    file_id uuid PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    service_id uuid NOT NULL,
    created_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT service_attachments_service_fkey FOREIGN KEY (service_id, organization_id)
    REFERENCES catalog.services (id, organization_id) ON DELETE CASCADE,
    CONSTRAINT service_attachments_file_fkey FOREIGN KEY (file_id, organization_id)
    REFERENCES storage.files (id, organization_id) ON DELETE CASCADE
);
COMMENT ON TABLE catalog.service_attachments IS 'Files (PDFs, images) attached to a service, stored through storage.';
CREATE INDEX service_attachments_service_idx ON catalog.service_attachments (organization_id, service_id, created_at);
GRANT SELECT ON TABLE catalog.service_attachments TO restartix_app;

-- Membership renewal: a bought membership whose version renews gets its next period's
-- enrollment, which names the one it renews; one successor each, so renewing twice writes nothing.
ALTER TABLE catalog.patient_service_plans ADD COLUMN renewed_from uuid;
ALTER TABLE catalog.patient_service_plans
ADD CONSTRAINT patient_service_plans_renewed_from_fkey FOREIGN KEY (renewed_from, organization_id)
REFERENCES catalog.patient_service_plans (id, organization_id) ON DELETE CASCADE;
CREATE UNIQUE INDEX patient_service_plans_renewal_key ON catalog.patient_service_plans (renewed_from)
WHERE renewed_from IS NOT NULL;
-- Renewal finds the bought memberships whose period has ended.
CREATE INDEX patient_service_plans_renewal_due_idx ON catalog.patient_service_plans (period_end)
WHERE plan_type = 'membership' AND source_tier_subscription_id IS NULL AND status <> 'revoked';
