-- Issue 14, finding 7: recording an organization-scope consent is no oracle of which
-- organizations exist: a non-member gets the same answer for a real and a random id.
BEGIN;
SELECT plan(5);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_human('member@a.test') AS member_a \gset
SELECT tests.create_human('stranger@x.test') AS stranger \gset
SELECT tests.add_member(:'org_a', :'member_a', 'specialist');

SELECT tests.authenticate_as(:'stranger', NULL);
SELECT throws_ok(format($$SELECT consent.grant_consent(%L, 'analytics')$$, gen_random_uuid()),
    'P0001', 'organization_not_found', 'a random organization id is not found');
SELECT throws_ok(format($$SELECT consent.grant_consent(%L, 'analytics')$$, :'org_a'),
    'P0001', 'organization_not_found', 'a real organization the stranger has no relation to answers the same');
SELECT tests.clear_authentication();
SELECT is_empty(format('SELECT 1 FROM consent.consents WHERE organization_id = %L', :'org_a'),
    'no consent row appears in that organization');

SELECT tests.authenticate_as(:'member_a', NULL);
SELECT lives_ok(format($$SELECT consent.grant_consent(%L, 'analytics')$$, :'org_a'),
    'a member records consent for their organization');
SELECT lives_ok(format($$SELECT consent.withdraw_consent(%L, 'analytics')$$, :'org_a'),
    'and withdraws it');

SELECT * FROM finish();
ROLLBACK;
