-- Who reads the catalog. The request pool has no write grant on these tables
-- (db/tests/test_app_privileges.sql): writes go through the catalog functions. Readers are
-- members of the organization whose role holds the permission (people.member_holds), never a
-- platform role: enrollments are patient data, and the rest is the clinic's own business.
-- The public booking page reads through catalog.public_services() on the system pool.

SELECT util.reset_policies('catalog.services');
CREATE POLICY "catalog readers read their organization's live services" ON catalog.services
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND deleted_at IS NULL
    AND (SELECT people.member_holds('catalog.read'))
);
CREATE POLICY "catalog managers read their organization's deleted services" ON catalog.services
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND deleted_at IS NOT NULL
    AND (SELECT people.member_holds('catalog.manage'))
);

SELECT util.reset_policies('catalog.service_plans');
CREATE POLICY "catalog readers read their organization's live service plans" ON catalog.service_plans
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND deleted_at IS NULL
    AND (SELECT people.member_holds('catalog.read'))
);

SELECT util.reset_policies('catalog.service_plan_versions');
CREATE POLICY "catalog readers read their organization's plan versions" ON catalog.service_plan_versions
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT people.member_holds('catalog.read'))
);

SELECT util.reset_policies('catalog.service_plan_services');
CREATE POLICY "catalog readers read the services of their organization's plan versions" ON catalog.service_plan_services
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT people.member_holds('catalog.read'))
);

SELECT util.reset_policies('catalog.products');
CREATE POLICY "catalog readers read their organization's live products" ON catalog.products
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND deleted_at IS NULL
    AND (SELECT people.member_holds('catalog.read'))
);

SELECT util.reset_policies('catalog.service_plan_products');
CREATE POLICY "catalog readers read the products of their organization's plan versions" ON catalog.service_plan_products
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT people.member_holds('catalog.read'))
);

SELECT util.reset_policies('catalog.patient_service_plans');
CREATE POLICY "patient readers who read the catalog read their organization's enrollments" ON catalog.patient_service_plans
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT people.member_holds('patients.read'))
    AND (SELECT people.member_holds('catalog.read'))
);

SELECT util.reset_policies('catalog.plan_consumptions');
CREATE POLICY "patient readers who read the catalog read their organization's consumptions" ON catalog.plan_consumptions
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT people.member_holds('patients.read'))
    AND (SELECT people.member_holds('catalog.read'))
);

SELECT util.reset_policies('catalog.service_specialists');
CREATE POLICY "catalog readers read who performs their organization's services" ON catalog.service_specialists
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT people.member_holds('catalog.read'))
);

-- A tier's inclusions are the clinic's offer, read by those who read both the patient tiers
-- and the catalog.
SELECT util.reset_policies('catalog.patient_tier_inclusions');
CREATE POLICY "tier and catalog readers read their organization's tier inclusions" ON catalog.patient_tier_inclusions
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT people.member_holds('patient_tiers.read'))
    AND (SELECT people.member_holds('catalog.read'))
);

SELECT util.reset_policies('catalog.service_attachments');
CREATE POLICY "catalog readers read which files their organization's services carry" ON catalog.service_attachments
FOR SELECT TO restartix_app
USING (
    organization_id = (SELECT iam.current_member_org_id())
    AND (SELECT people.member_holds('catalog.read'))
);

SELECT audit.track('catalog.services');
SELECT audit.track('catalog.service_plans');
SELECT audit.track('catalog.service_plan_versions');
SELECT audit.track('catalog.service_plan_services');
SELECT audit.track('catalog.products');
SELECT audit.track('catalog.service_plan_products');
SELECT audit.track('catalog.patient_service_plans');
SELECT audit.track('catalog.plan_consumptions');
SELECT audit.track('catalog.service_specialists');
SELECT audit.track('catalog.patient_tier_inclusions');
SELECT audit.track('catalog.service_attachments');
