-- Cross-organization isolation for every catalog table: another organization's member sees
-- nothing of A's catalog or enrollments and can change nothing; platform staff read no
-- enrollment; the request pool writes nothing directly.
BEGIN;
SELECT plan(39);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_human('owner-a@a.test') AS owner_a \gset
SELECT tests.create_human('desk-a@a.test') AS desk_a \gset
SELECT tests.create_human('billing-a@a.test') AS billing_a \gset
SELECT tests.create_human('owner-b@b.test') AS owner_b \gset
SELECT tests.create_human('support@platform.test') AS support \gset
SELECT tests.add_member(:'org_a', :'owner_a', 'owner') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_a', :'desk_a', 'receptionist') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_a', :'billing_a', 'billing') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_b', :'owner_b', 'owner') IS NOT NULL AS added \gset
SELECT tests.make_platform(:'support', 'support');

SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT catalog.create_service('{"name": "Physio", "duration_minutes": 50, "price_amount": 15000, "currency": "RON"}') AS service_a \gset
SELECT catalog.save_product(NULL, '{"name": "Band", "sku": "BAND-1", "price_amount": 2000, "currency": "RON"}') AS product_a \gset
SELECT catalog.create_plan('session_pack', format(
    '{"name": "Ten sessions", "price_amount": 120000, "currency": "RON", "sessions_total": 10, "validity_days": 90, "service_ids": ["%s"], "products": [{"product_id": "%s", "quantity": 2}]}',
    :'service_a', :'product_a')::jsonb) AS plan_a \gset
SELECT people.create_patient('Ana', 'Pop') AS patient_a \gset
SELECT catalog.enroll_patient(:'patient_a', :'plan_a') AS enrollment_a \gset
SELECT consumption_id AS consumption_a FROM catalog.consume_session(:'enrollment_a', gen_random_uuid()) \gset

SELECT is((SELECT count(*)::int FROM catalog.services), 1, 'A''s owner reads A''s service');
SELECT is((SELECT count(*)::int FROM catalog.service_plan_versions), 1, 'A''s owner reads A''s plan version');
SELECT is((SELECT count(*)::int FROM catalog.service_plan_services), 1, 'A''s owner reads the services of A''s plan');
SELECT is((SELECT count(*)::int FROM catalog.service_plan_products), 1, 'A''s owner reads the products of A''s plan');
SELECT is((SELECT count(*)::int FROM catalog.plan_consumptions), 1, 'A''s owner reads A''s consumption');

SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT is_empty('SELECT 1 FROM catalog.services', 'B reads no service of A');
SELECT is_empty('SELECT 1 FROM catalog.service_plans', 'B reads no plan of A');
SELECT is_empty('SELECT 1 FROM catalog.service_plan_versions', 'B reads no plan version of A');
SELECT is_empty('SELECT 1 FROM catalog.service_plan_services', 'B reads no plan service of A');
SELECT is_empty('SELECT 1 FROM catalog.products', 'B reads no product of A');
SELECT is_empty('SELECT 1 FROM catalog.service_plan_products', 'B reads no plan product of A');
SELECT is_empty('SELECT 1 FROM catalog.patient_service_plans', 'B reads no enrollment of A');
SELECT is_empty('SELECT 1 FROM catalog.plan_consumptions', 'B reads no consumption of A');
SELECT throws_ok(format($$SELECT catalog.update_service(%L, '{"name": "x"}')$$, :'service_a'),
    'P0001', 'service_not_found', 'B cannot change A''s service');
SELECT throws_ok(format($$SELECT catalog.delete_service(%L)$$, :'service_a'),
    'P0001', 'service_not_found', 'B cannot delete A''s service');
SELECT throws_ok(format($$SELECT catalog.publish_plan_version(%L, '{"name": "x"}')$$, :'plan_a'),
    'P0001', 'service_plan_not_found', 'B cannot publish a version of A''s plan');
SELECT throws_ok(format($$SELECT catalog.delete_plan(%L)$$, :'plan_a'),
    'P0001', 'service_plan_not_found', 'B cannot delete A''s plan');
SELECT throws_ok(format($$SELECT catalog.save_product(%L, '{"name": "x"}')$$, :'product_a'),
    'P0001', 'product_not_found', 'B cannot change A''s product');
SELECT throws_ok(format($$SELECT catalog.enroll_patient(%L, %L)$$, :'patient_a', :'plan_a'),
    'P0001', 'patient_not_found', 'B cannot enroll A''s patient');
SELECT throws_ok(format($$SELECT * FROM catalog.consume_session(%L, gen_random_uuid())$$, :'enrollment_a'),
    'P0001', 'plan_enrollment_not_found', 'B cannot use a session of A''s enrollment');
SELECT throws_ok(format($$SELECT catalog.revoke_enrollment(%L, 'x')$$, :'enrollment_a'),
    'P0001', 'plan_enrollment_not_found', 'B cannot revoke A''s enrollment');
SELECT catalog.create_service('{"name": "B physio", "duration_minutes": 30, "currency": "EUR"}') AS service_b \gset
SELECT throws_ok(format($$SELECT catalog.create_plan('session_pack', '{"name": "Mixed", "price_amount": 1, "currency": "EUR", "sessions_total": 1, "validity_days": 1, "service_ids": ["%s"]}')$$, :'service_a'),
    'P0001', 'service_not_found', 'B cannot put A''s service in a plan');
SELECT throws_ok(format($$SELECT catalog.create_plan('session_pack', '{"name": "Mixed", "price_amount": 1, "currency": "EUR", "sessions_total": 1, "validity_days": 1, "products": [{"product_id": "%s"}]}')$$, :'product_a'),
    'P0001', 'product_not_found', 'B cannot bundle A''s product');

-- The request pool writes nothing directly, on any catalog table.
SELECT throws_ok(format($$INSERT INTO catalog.services (organization_id, name, duration_minutes, currency) VALUES (%L, 'x', 5, 'EUR')$$, :'org_b'),
    '42501', NULL, 'no direct insert into services');
SELECT throws_ok(format($$UPDATE catalog.service_plans SET active = false WHERE id = %L$$, :'plan_a'),
    '42501', NULL, 'no direct update of service plans');
SELECT throws_ok($$DELETE FROM catalog.service_plan_versions$$, '42501', NULL, 'no direct delete of plan versions');
SELECT throws_ok($$DELETE FROM catalog.service_plan_services$$, '42501', NULL, 'no direct delete of plan services');
SELECT throws_ok(format($$UPDATE catalog.products SET sku = 'x' WHERE id = %L$$, :'product_a'),
    '42501', NULL, 'no direct update of products');
SELECT throws_ok($$DELETE FROM catalog.service_plan_products$$, '42501', NULL, 'no direct delete of plan products');
SELECT throws_ok(format($$UPDATE catalog.patient_service_plans SET sessions_used = 0 WHERE id = %L$$, :'enrollment_a'),
    '42501', NULL, 'no direct update of enrollments');
SELECT throws_ok($$DELETE FROM catalog.plan_consumptions$$, '42501', NULL, 'no direct delete of consumptions');

SELECT tests.authenticate_as(:'owner_b', :'org_a');
SELECT is_empty('SELECT 1 FROM catalog.services UNION ALL SELECT 1 FROM catalog.patient_service_plans',
    'B claiming A in the session sees nothing');

SELECT tests.authenticate_as(:'billing_a', :'org_a');
SELECT is((SELECT count(*)::int FROM catalog.services), 1, 'A''s billing role reads the services (prices)');
SELECT is_empty('SELECT 1 FROM catalog.patient_service_plans', 'A''s billing role reads no enrollment (no patients.read)');
SELECT throws_ok(format($$SELECT catalog.enroll_patient(%L, %L)$$, :'patient_a', :'plan_a'),
    '42501', NULL, 'A''s billing role enrolls no patient');

SELECT tests.authenticate_as(:'support', :'org_a');
SELECT is_empty('SELECT 1 FROM catalog.patient_service_plans UNION ALL SELECT 1 FROM catalog.plan_consumptions',
    'platform support reads no enrollment');
SELECT throws_ok($$SELECT catalog.create_service('{"name": "x", "duration_minutes": 5, "currency": "EUR"}')$$,
    '42501', NULL, 'platform support adds no service');

-- A purge of the organization (a hard delete) removes its whole catalog, enrollments and
-- ledger included: no orphan is left, and B's catalog is untouched.
SELECT tests.clear_authentication();
RESET ROLE;
SELECT lives_ok(format('DELETE FROM tenancy.organizations WHERE id = %L', :'org_a'), 'A can be purged');
SELECT is(
    (SELECT count(*)::int FROM (
        SELECT organization_id FROM catalog.services
        UNION ALL
        SELECT organization_id FROM catalog.service_plans
        UNION ALL
        SELECT organization_id FROM catalog.service_plan_versions
        UNION ALL
        SELECT organization_id FROM catalog.service_plan_services
        UNION ALL
        SELECT organization_id FROM catalog.products
        UNION ALL
        SELECT organization_id FROM catalog.service_plan_products
        UNION ALL
        SELECT organization_id FROM catalog.patient_service_plans
        UNION ALL
        SELECT organization_id FROM catalog.plan_consumptions
    ) AS t (org) WHERE t.org = :'org_a'),
    0, 'nothing of A''s catalog is left behind'
);

SELECT * FROM finish();
ROLLBACK;
