-- The consents ledger: append-only history, the current state across document versions,
-- non-withdrawable legal bases, who may write and read, and isolation between clinics.
BEGIN;
SELECT plan(60);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_human('pat@people.test') AS pat \gset
SELECT tests.create_human('other@people.test') AS other \gset
SELECT tests.create_human('admin-a@a.test') AS admin_a \gset
SELECT tests.create_human('recept-a@a.test') AS recept_a \gset
SELECT tests.create_human('billing-a@a.test') AS billing_a \gset
SELECT tests.create_human('owner-b@b.test') AS owner_b \gset
SELECT tests.create_human('root@platform.test') AS root \gset
SELECT tests.create_human('support@platform.test') AS support \gset
SELECT tests.add_member(:'org_a', :'admin_a', 'admin') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_a', :'recept_a', 'receptionist') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_a', :'billing_a', 'billing') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_b', :'owner_b', 'owner') IS NOT NULL AS added \gset
-- Until patients exist, pat's relation to clinic A is an (invited, rightless) membership:
-- org-scope consent needs one (issue 14, finding 7).
SELECT tests.add_member(:'org_a', :'pat', 'specialist', 'invited') IS NOT NULL AS added \gset
SELECT tests.make_platform(:'root', 'superadmin');
SELECT tests.make_platform(:'support', 'support');

SELECT policies_are(
    'consent', 'consents',
    ARRAY[
        'subjects read their own consents',
        'consent readers read their organization''s consents',
        'platform staff read every consent'
    ],
    'the ledger is read by its subjects, the org''s consent readers and platform staff'
);

-- Publishing: the platform's documents by a platform admin, a clinic's by its admins.
SELECT tests.authenticate_as(:'admin_a', :'org_a');
SELECT throws_ok(
    $$SELECT consent.publish_document(NULL, 'platform_terms', 'Terms', 'https://x.test/t', repeat('a', 64))$$,
    '42501', 'permission_denied', 'a clinic admin cannot publish platform documents'
);
SELECT consent.publish_document(:'org_a', 'org_terms', 'Clinic A terms', 'https://a.test/terms/1', repeat('1', 64))
    AS terms_a1 \gset
SELECT consent.publish_document(:'org_a', 'marketing_email', 'Newsletter', 'https://a.test/news/1', repeat('2', 64))
    AS news_a1 \gset
SELECT is(
    (SELECT version FROM consent.documents WHERE id = :'terms_a1'), 1, 'the first version of a document is 1'
);
SELECT throws_ok(
    format($$SELECT consent.publish_document(%L, 'platform_terms', 'T', 'https://a.test/x', repeat('a', 64))$$, :'org_a'),
    'P0001', 'consent_scope_mismatch', 'a clinic cannot publish a platform purpose'
);
SELECT throws_ok(
    format($$SELECT consent.publish_document(%L, 'org_terms', 'T', 'http://a.test/x', repeat('a', 64))$$, :'org_a'),
    '23514', NULL, 'a document URL must be https'
);
SELECT tests.authenticate_as(:'recept_a', :'org_a');
SELECT throws_ok(
    format($$SELECT consent.publish_document(%L, 'org_terms', 'T', 'https://a.test/x', repeat('a', 64))$$, :'org_a'),
    '42501', 'permission_denied', 'a receptionist (no consents.manage_documents) cannot publish'
);
SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT throws_ok(
    format($$SELECT consent.publish_document(%L, 'org_terms', 'T', 'https://b.test/x', repeat('a', 64))$$, :'org_a'),
    '42501', 'permission_denied', 'another clinic''s owner cannot publish for clinic A'
);
SELECT tests.authenticate_as(:'root', NULL);
SELECT consent.publish_document(NULL, 'platform_terms', 'Platform terms', 'https://p.test/terms/1', repeat('3', 64))
    AS pterms1 \gset

-- A patient (no membership anywhere) accepts the platform terms and clinic A's terms.
SELECT tests.authenticate_as(:'pat', NULL);
SELECT consent.grant_consent(NULL, 'platform_terms') AS g_pterms \gset
SELECT results_eq(
    format($$SELECT organization_id, purpose, action, legal_basis, withdrawable, document_id, document_version, source
             FROM consent.consents WHERE id = %L$$, :'g_pterms'),
    format($$VALUES (NULL::uuid, 'platform_terms', 'grant', 'contract', false, %L::uuid, 1, 'api')$$, :'pterms1'),
    'a platform terms grant records the contract basis and the exact document version'
);
SELECT ok(
    (SELECT evidence_request_id LIKE 'test-%' FROM consent.consents WHERE id = :'g_pterms'),
    'the grant keeps the request id as evidence'
);
SELECT ok(consent.has_consent(:'pat', NULL, 'platform_terms'), 'has_consent sees the platform grant');
SELECT consent.grant_consent(:'org_a', 'org_terms') AS g_terms \gset
SELECT is(consent.status(:'pat', :'org_a', 'org_terms'), 'granted', 'clinic A terms are granted');
SELECT throws_ok(
    format($$SELECT consent.withdraw_consent(%L, 'org_terms')$$, :'org_a'),
    'P0001', 'consent_not_withdrawable', 'a contract-basis grant cannot be withdrawn'
);
SELECT throws_ok(
    $$SELECT consent.withdraw_consent(NULL, 'platform_terms')$$,
    'P0001', 'consent_not_withdrawable', 'the platform terms cannot be withdrawn either'
);
SELECT is(consent.status(:'pat', :'org_a', 'org_terms'), 'granted', 'the refused withdrawal changed nothing');

-- Consent-based purposes: grant, withdraw, grant again; every step is a new row.
SELECT consent.grant_consent(:'org_a', 'marketing_email') AS g_news \gset
SELECT ok(
    (SELECT withdrawable FROM consent.consents WHERE id = :'g_news'), 'a consent-basis grant is withdrawable'
);
SELECT is(consent.grant_consent(:'org_a', 'marketing_email'), :'g_news'::uuid, 'granting again what stands adds no row');
SELECT consent.withdraw_consent(:'org_a', 'marketing_email') AS w_news \gset
SELECT ok(NOT consent.has_consent(:'pat', :'org_a', 'marketing_email'), 'after the withdrawal there is no consent');
SELECT is(consent.status(:'pat', :'org_a', 'marketing_email'), 'withdrawn', 'the state is withdrawn');
SELECT results_eq(
    format($$SELECT action, document_id FROM consent.consents WHERE id = %L$$, :'g_news'),
    format($$VALUES ('grant', %L::uuid)$$, :'news_a1'),
    'the withdrawn grant row is untouched'
);
SELECT throws_ok(
    format($$SELECT consent.withdraw_consent(%L, 'marketing_email')$$, :'org_a'),
    'P0001', 'consent_not_granted', 'there is nothing left to withdraw'
);
SELECT consent.grant_consent(:'org_a', 'marketing_email') AS g_news2 \gset
SELECT results_eq(
    format($$SELECT action FROM consent.consents WHERE subject_principal_id = %L AND purpose = 'marketing_email' ORDER BY seq$$, :'pat'),
    $$VALUES ('grant'), ('withdraw'), ('grant')$$,
    'the history is grant, withdraw, grant'
);
SELECT consent.grant_consent(:'org_a', 'analytics') AS g_analytics \gset
SELECT is(
    (SELECT document_id FROM consent.consents WHERE id = :'g_analytics'), NULL,
    'a purpose that needs no document is granted without one'
);

-- Bad requests.
SELECT throws_ok(
    format($$SELECT consent.grant_consent(%L, 'org_privacy_notice')$$, :'org_a'),
    'P0001', 'consent_document_required', 'a notice with no published document cannot be acknowledged'
);
SELECT throws_ok(
    $$SELECT consent.grant_consent(NULL, 'org_terms')$$,
    'P0001', 'consent_scope_mismatch', 'an org purpose needs an organization'
);
SELECT throws_ok(
    format($$SELECT consent.grant_consent(%L, 'platform_terms')$$, :'org_a'),
    'P0001', 'consent_scope_mismatch', 'a platform purpose takes no organization'
);
SELECT throws_ok(
    format($$SELECT consent.grant_consent(%L, 'newsletter')$$, :'org_a'),
    'P0001', 'consent_purpose_unknown', 'an unknown purpose is refused'
);
SELECT throws_ok(
    format($$SELECT consent.grant_consent(%L, 'marketing_email', %L)$$, :'org_a', :'terms_a1'),
    'P0001', 'consent_document_not_found', 'a document of another purpose is refused'
);
SELECT throws_ok(
    format($$SELECT consent.grant_consent(%L, 'marketing_sms', NULL, %L)$$, :'org_a', :'other'),
    '42501', 'permission_denied', 'nobody grants for someone else through a request'
);
SELECT throws_ok(
    format($$SELECT consent.grant_consent(%L, 'marketing_sms', NULL, NULL, 'api', 'contract')$$, :'org_a'),
    '42501', 'permission_denied', 'a request cannot choose the legal basis'
);
SELECT throws_ok(
    format($$SELECT consent.grant_consent(%L, 'marketing_sms')$$, gen_random_uuid()),
    'P0001', 'organization_not_found', 'an unknown organization is refused'
);

-- Append-only for everyone, the owner and the superuser included.
SELECT tests.clear_authentication();
SELECT throws_ok(
    format($$UPDATE consent.consents SET action = 'withdraw' WHERE id = %L$$, :'g_terms'),
    '42501', NULL, 'no one updates a ledger row'
);
SELECT throws_ok(
    format($$DELETE FROM consent.consents WHERE id = %L$$, :'g_terms'), '42501', NULL, 'no one deletes a ledger row'
);
SELECT throws_ok('TRUNCATE consent.consents', '42501', NULL, 'no one truncates the ledger');
SELECT throws_ok(
    format($$UPDATE consent.documents SET title = 'x' WHERE id = %L$$, :'terms_a1'), '42501', NULL,
    'a published document is immutable'
);
SELECT tests.authenticate_as(:'pat', NULL);
SELECT throws_ok(
    $$INSERT INTO consent.consents (subject_principal_id, purpose, action, legal_basis, recorded_by)
      VALUES (iam.current_principal_id(), 'platform_terms', 'grant', 'contract', iam.current_principal_id())$$,
    '42501', NULL, 'the request pool cannot write the ledger directly'
);

-- Document versions: v2 without re-consent keeps the grant; v3 with re-consent makes it stale.
SELECT tests.authenticate_as(:'admin_a', :'org_a');
SELECT consent.publish_document(:'org_a', 'org_terms', 'Terms v2', 'https://a.test/terms/2', repeat('4', 64), FALSE)
    AS terms_a2 \gset
SELECT is(consent.status(:'pat', :'org_a', 'org_terms'), 'granted', 'a version not requiring re-consent keeps the grant');
SELECT consent.publish_document(:'org_a', 'org_terms', 'Terms v3', 'https://a.test/terms/3', repeat('5', 64))
    AS terms_a3 \gset
SELECT is(consent.status(:'pat', :'org_a', 'org_terms'), 'stale', 'a version requiring re-consent makes the grant stale');
SELECT ok(NOT consent.has_consent(:'pat', :'org_a', 'org_terms'), 'a stale grant is no consent');
SELECT tests.authenticate_as(:'pat', NULL);
SELECT results_eq(
    format($$SELECT status, document_version, latest_document_version
             FROM consent.current_state(iam.current_principal_id(), %L) WHERE purpose = 'org_terms'$$, :'org_a'),
    $$VALUES ('stale', 1, 3)$$,
    'current_state shows the consented and the latest version'
);
SELECT consent.grant_consent(:'org_a', 'org_terms') AS g_terms3 \gset
SELECT results_eq(
    format($$SELECT status, document_version FROM consent.current_state(iam.current_principal_id(), %L)
             WHERE purpose = 'org_terms'$$, :'org_a'),
    $$VALUES ('granted', 3)$$,
    're-granting takes the newest version and clears the stale state'
);
SELECT is(
    (SELECT count(*)::int FROM consent.consents WHERE subject_principal_id = :'pat' AND purpose = 'org_terms'),
    2, 'both grants stay in the ledger'
);
SELECT tests.authenticate_as(:'root', NULL);
SELECT consent.publish_document(NULL, 'platform_terms', 'Platform terms v2', 'https://p.test/terms/2', repeat('6', 64))
    AS pterms2 \gset
SELECT tests.authenticate_as(:'pat', NULL);
SELECT is(consent.status(:'pat', NULL, 'platform_terms'), 'stale', 'new platform terms make the platform grant stale');
SELECT is(
    (SELECT count(*)::int FROM consent.current_state(iam.current_principal_id(), NULL)), 4,
    'the patient sees one current row per purpose (platform terms, clinic terms, newsletter, analytics)'
);

-- Who reads what.
SELECT tests.authenticate_as(:'recept_a', :'org_a');
SELECT is(
    (SELECT count(*)::int FROM consent.current_state(NULL, :'org_a') WHERE subject_principal_id = :'pat'), 3,
    'a consent reader of clinic A sees the patient''s three clinic A purposes'
);
SELECT is_empty(
    $$SELECT 1 FROM consent.consents WHERE organization_id IS NULL$$,
    'a clinic member does not see platform-scope consents'
);
SELECT ok(consent.has_consent(:'pat', :'org_a', 'marketing_email'), 'a member of clinic A may ask has_consent for clinic A');
SELECT throws_ok(
    format($$SELECT consent.has_consent(%L, NULL, 'platform_terms')$$, :'pat'),
    '42501', 'permission_denied', 'a clinic member may not ask about platform consents'
);
SELECT tests.authenticate_as(:'billing_a', :'org_a');
SELECT is_empty(
    format($$SELECT 1 FROM consent.consents WHERE subject_principal_id = %L$$, :'pat'),
    'the billing role (no consents.read) sees no consent rows'
);
SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT is_empty(
    format($$SELECT 1 FROM consent.consents WHERE organization_id = %L$$, :'org_a'),
    'clinic B sees nothing of clinic A'
);
SELECT is_empty(
    format($$SELECT 1 FROM consent.current_state(NULL, %L)$$, :'org_a'),
    'clinic B''s current_state of clinic A is empty'
);
SELECT throws_ok(
    format($$SELECT consent.has_consent(%L, %L, 'marketing_email')$$, :'pat', :'org_a'),
    '42501', 'permission_denied', 'clinic B cannot ask about clinic A'
);
SELECT tests.authenticate_as(:'owner_b', :'org_a');
SELECT is_empty('SELECT 1 FROM consent.consents', 'clinic B claiming clinic A in the session sees nothing');
SELECT tests.authenticate_as(NULL, NULL);
SELECT is_empty('SELECT 1 FROM consent.consents', 'no principal sees nothing');
SELECT tests.authenticate_as(:'support', NULL);
SELECT is(
    (SELECT count(*)::int FROM consent.consents WHERE subject_principal_id = :'pat'), 7,
    'platform support reads every ledger row'
);

-- The trusted system side asks and records (a signed form, later) for any subject.
SELECT tests.authenticate_as_system();
SELECT ok(consent.has_consent(:'pat', :'org_a', 'org_terms'), 'the system pool may ask has_consent');
SELECT lives_ok(
    format($$SELECT consent.grant_consent(%L, 'ai_processing', NULL, %L, 'form')$$, :'org_a', :'other'),
    'the system pool records a form consent for a subject'
);
SELECT throws_ok('SELECT 1 FROM consent.consents', '42501', NULL, 'the system pool reads no ledger row directly');

-- Events and audit rows, written in the same transactions.
SELECT tests.clear_authentication();
SELECT results_eq(
    $$SELECT type, count(*)::int FROM events.outbox WHERE type LIKE 'consent.%' GROUP BY type ORDER BY type$$,
    $$VALUES ('consent.document_published', 6), ('consent.granted', 7), ('consent.withdrawn', 1)$$,
    'every publication, grant and withdrawal published its event'
);
SELECT is(
    (SELECT organization_id FROM events.outbox WHERE type = 'consent.granted' AND payload ->> 'consent_id' = :'g_pterms'),
    NULL, 'a platform grant is a platform event'
);
SELECT is(
    (SELECT count(*)::int FROM audit.audit_log WHERE entity_type = 'consent.consents' AND action = 'insert'),
    8, 'every ledger row is in the audit log'
);

SELECT * FROM finish();
ROLLBACK;
