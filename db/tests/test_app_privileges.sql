-- What the request pool (restartix_app) may do without going through a function, and which
-- functions it may call at all. Issue 14, findings 2 and 8: a rule kept only inside a
-- function is worthless if the request role can write the table directly or call the
-- function's internal helpers. Adding a grant to restartix_app means adding it here, with
-- the reason; anything else fails this file.
BEGIN;
SELECT plan(8);

-- Direct writes (INSERT, UPDATE, DELETE, TRUNCATE; on the table or on any column).
-- Every other table is written only by SECURITY DEFINER functions that carry the rules.
CREATE TEMP TABLE app_writes (relation text, privilege text, reason text NOT NULL, PRIMARY KEY (relation, privilege));
INSERT INTO app_writes VALUES
-- A clinic's own provider accounts: one row per account, no rule across rows; the policies
-- carry the whole rule (integrations.manage in the member's own organization), and column
-- grants keep the sealed credentials write-only.
('integrations.organization_integrations', 'INSERT', 'policies carry the rule; column grants'),
('integrations.organization_integrations', 'UPDATE', 'policies carry the rule; column grants'),
('integrations.organization_integrations', 'DELETE', 'policies carry the rule'),
-- The platform's provider accounts: platform admins only, which the policies say in full.
('integrations.platform_service_providers', 'INSERT', 'policies: platform admins only'),
('integrations.platform_service_providers', 'UPDATE', 'policies: platform admins only'),
('integrations.platform_service_providers', 'DELETE', 'policies: platform admins only');

SELECT set_eq(
    $$
    SELECT n.nspname || '.' || c.relname, pr.privilege
    FROM pg_class AS c
    INNER JOIN pg_namespace AS n ON n.oid = c.relnamespace
    CROSS JOIN unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) AS pr (privilege)
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'tests')
      AND n.nspname NOT LIKE 'pg_%'
      AND NOT EXISTS (SELECT 1 FROM pg_depend AS d WHERE d.objid = c.oid AND d.deptype = 'e')
      AND (
          has_table_privilege('restartix_app', c.oid, pr.privilege)
          OR (pr.privilege IN ('INSERT', 'UPDATE') AND has_any_column_privilege('restartix_app', c.oid, pr.privilege))
      )
    $$,
    'SELECT relation, privilege FROM app_writes',
    'the request pool writes directly only the tables listed here, each with its reason'
);

-- The functions the request pool may execute: the API surface. Each is either a domain
-- function that checks its caller itself (SECURITY DEFINER with its own checks), a reader the
-- policies call, or security invoker (it can do nothing the caller could not do directly).
CREATE TEMP TABLE app_functions (fn text PRIMARY KEY, reason text NOT NULL);
INSERT INTO app_functions VALUES
-- util: the clock, keys, soft delete as the caller.
('util.now()', 'the clock; column defaults and policies'),
('util.uuid_v7()', 'key generation in column defaults'),
('util.uuid_v7_floor(timestamp with time zone)', 'immutable key arithmetic'),
('util.soft_delete(regclass,uuid)', 'security invoker: the caller''s policies decide'),
('util.restore(regclass,uuid)', 'security invoker: the caller''s policies decide'),
-- iam: the request scope and the readers policies call.
('iam.begin_request(uuid,uuid,text,text,text,text,text)', 'opens every request; audits requests under break-glass'),
('iam.holds(text)', 'route requirements'),
('iam.require_permission(text)', 'raises for the acting principal only'),
('iam.require_platform_admin()', 'raises for the acting principal only'),
('iam.current_principal_id()', 'session reader, policies'),
('iam.current_org_id()', 'session reader, policies'),
('iam.current_request_id()', 'session reader'),
('iam.current_action_context()', 'session reader'),
('iam.principal_is_blocked(uuid)', 'policies (humans edit their own profile)'),
('iam.current_platform_role()', 'policies; about the acting principal only'),
('iam.is_platform_admin()', 'policies; about the acting principal only'),
('iam.is_platform_staff()', 'policies; about the acting principal only'),
('iam.current_member_org_id()', 'policies; about the acting principal only'),
('iam.scope_answer(integer)', 'policies; reads back what iam.begin_request recorded for the acting principal'),
('iam.has_permission(text)', 'policies; about the acting principal only'),
-- iam: roles and the console.
('iam.save_role(uuid,text,text,text,text[])', 'API: roles.manage, subset of own permissions'),
('iam.delete_role(uuid)', 'API: roles.manage, subset of own permissions'),
('iam.set_human_blocked(uuid,boolean)', 'API: platform admins'),
('iam.set_platform_role(uuid,text)', 'API: platform admins'),
('iam.current_break_glass_id()', 'policies and gates; about the acting principal only'),
('iam.open_break_glass(uuid,text,interval,uuid)', 'API: platform staff, for themselves (superadmins for other staff)'),
('iam.close_break_glass(uuid)', 'API: the grantee or a platform admin'),
-- tenancy.
('tenancy.create_organization(text,text,uuid)', 'API: platform admins'),
('tenancy.update_organization(text,text)', 'API: organizations.update'),
('tenancy.change_member_role(uuid,uuid)', 'API: members.manage, subset and owner rules'),
('tenancy.set_member_status(uuid,text)', 'API: members.manage, owner rules'),
('tenancy.remove_member(uuid)', 'API: members.manage, owner rules'),
('tenancy.create_invitation(text,uuid,interval)', 'API: members.invite, subset and owner rules'),
('tenancy.revoke_invitation(uuid)', 'API: members.manage'),
('tenancy.accept_invitation(text)', 'API: the invitee, by token'),
('tenancy.add_domain(text)', 'API: domains.manage'),
('tenancy.mark_domain_verified(uuid)', 'API: domains.manage'),
('tenancy.set_primary_domain(uuid)', 'API: domains.manage'),
('tenancy.remove_domain(uuid)', 'API: domains.manage'),
('tenancy.resolve_org(text)', 'public resolve: public fields only'),
('tenancy.resolve_org_by_slug(text)', 'public resolve: public fields only'),
('tenancy.update_settings(jsonb)', 'API: organizations.update_settings'),
-- billing.
('billing.end_subscription(uuid)', 'API: platform admins'),
('billing.change_tier(uuid,text)', 'API: platform admins'),
('billing.attach_addon(uuid,text)', 'API: platform admins'),
('billing.migrate_subscription(uuid)', 'API: platform admins'),
('billing.publish_tier_version(text,jsonb,jsonb,integer)', 'API: platform admins'),
('billing.grant_override(uuid,text,text,boolean,bigint,text,timestamp with time zone)', 'API: platform admins'),
('billing.revoke_override(uuid)', 'API: platform admins'),
('billing.set_org_entitlement(uuid,text,boolean,text)', 'API: platform admins'),
('billing.effective_entitlements(uuid)', 'API: members of that organization and platform staff'),
('billing.effective_limit(uuid,text)', 'API: members of that organization and platform staff'),
('billing.limit_usage(uuid,text)', 'API: members of that organization and platform staff'),
('billing.has_tier_entitlement(text)', 'gates: the current organization'),
('billing.has_org_entitlement(text)', 'gates: the current organization'),
('billing.enforce_limit(text,bigint)', 'gates: raises for the current organization'),
('billing.save_patient_tier(uuid,text,text,text,jsonb,jsonb,boolean)', 'API: patient_tiers.manage'),
('billing.update_billing_profile(text,text,text,text,text,bytea,boolean)', 'API: organizations.manage_billing'),
-- consent.
('consent.is_stale(uuid,text,integer)', 'security invoker; inlined into current_state'),
('consent.status(uuid,uuid,text)', 'API: subject, members, staff'),
('consent.has_consent(uuid,uuid,text)', 'API: subject, members, staff'),
('consent.current_state(uuid,uuid)', 'security invoker: the caller''s policies decide'),
('consent.publish_document(uuid,text,text,text,text,boolean)', 'API: consents.manage_documents'),
('consent.grant_consent(uuid,text,uuid,uuid,text,text)', 'API: oneself, in an organization one belongs to'),
('consent.withdraw_consent(uuid,text,uuid)', 'API: oneself'),
-- integrations, metering, storage.
('integrations.resolve_provider(text,uuid)', 'API: members of that organization'),
('metering.period_start(timestamp with time zone)', 'immutable date arithmetic'),
('storage.upload_permission(text)', 'security invoker: maps a purpose to a permission code'),
('storage.begin_upload(text,text,text,timestamp with time zone)', 'API: the purpose''s permission'),
('storage.lock_pending_upload(uuid)', 'API: the uploader''s pending file'),
('storage.complete_upload(uuid,text,text,bigint,text)', 'API: the uploader''s pending file'),
('storage.reject_upload(uuid,text,text,bigint)', 'API: the uploader''s pending file'),
('storage.remove_file(uuid)', 'API: the purpose''s permission'),
-- people: the sharing gate, the readers the policies call, and the writes with their checks.
('people.current_human_patient_profile_ids()', 'policies; about the acting principal only'),
('people.member_holds(text)', 'policies; about the acting principal only'),
('people.org_patients(uuid)', 'the sharing gate: members holding patients.read, shared columns only'),
('people.org_patients_search(text)', 'the sharing gate with a search of the contact fields inside it'),
('people.create_patient(text,text,text,text,text,text)', 'API: patients.manage, patients.max'),
('people.update_patient(uuid,jsonb)', 'API: patients.manage; guest profiles only for contact fields'),
('people.delete_patient(uuid)', 'API: patients.manage'),
('people.restore_patient(uuid)', 'API: patients.manage, patients.max'),
('people.add_caregiver(uuid,text,text,text[])', 'API: patients.manage'),
('people.end_caregiver(uuid,uuid)', 'API: patients.manage'),
('people.create_my_profile(jsonb,text)', 'API: the signed-in human, for themselves or as caregiver'),
('people.update_my_profile(uuid,jsonb)', 'API: the profile''s human or an active caregiver'),
('people.create_specialist(text,text,text,text,boolean,uuid)', 'API: specialists.manage, specialists.max'),
('people.update_specialist(uuid,jsonb)', 'API: specialists.manage'),
('people.delete_specialist(uuid)', 'API: specialists.manage'),
('people.restore_specialist(uuid)', 'API: specialists.manage, specialists.max'),
('people.set_specialist_specialties(uuid,uuid[])', 'API: specialists.manage; the organization''s own specialties'),
('people.begin_signature_upload(uuid,text,text,timestamp with time zone)', 'API: specialists.manage'),
('people.set_specialist_signature(uuid,uuid)', 'API: specialists.manage; a checked signature file'),
('people.remove_specialist_signature(uuid)', 'API: specialists.manage'),
('people.specialist_signature(uuid)', 'API: specialists.manage or the specialist themselves'),
('people.create_specialty(text,text,jsonb)', 'API: specialists.manage'),
('people.update_specialty(uuid,jsonb)', 'API: specialists.manage'),
('people.delete_specialty(uuid)', 'API: specialists.manage'),
-- util: the content-translation check the catalog tables' constraints call.
('util.translations_valid(jsonb,jsonb)', 'immutable shape check of a translations value'),
-- catalog.
('catalog.add_money(catalog.money,catalog.money)', 'immutable: sums one currency, refuses two'),
('catalog.sum_money(catalog.money)', 'aggregate over add_money'),
('catalog.enrollment_state(text,timestamp with time zone,timestamp with time zone)', 'derives expired from the clock'),
('catalog.create_service(jsonb)', 'API: catalog.manage, services.max'),
('catalog.update_service(uuid,jsonb)', 'API: catalog.manage'),
('catalog.delete_service(uuid)', 'API: catalog.manage'),
('catalog.restore_service(uuid)', 'API: catalog.manage, services.max'),
('catalog.create_plan(text,jsonb,integer)', 'API: catalog.manage, service_plans.max'),
('catalog.publish_plan_version(uuid,jsonb)', 'API: catalog.manage'),
('catalog.update_plan(uuid,jsonb)', 'API: catalog.manage'),
('catalog.delete_plan(uuid)', 'API: catalog.manage'),
('catalog.save_product(uuid,jsonb)', 'API: catalog.manage'),
('catalog.set_service_specialists(uuid,uuid[])', 'API: catalog.manage'),
('catalog.set_tier_inclusions(uuid,jsonb)', 'API: patient_tiers.manage, members only'),
('catalog.begin_attachment_upload(uuid,text,text,timestamp with time zone)', 'API: catalog.manage, then the one upload path'),
('catalog.attach_file(uuid,uuid)', 'API: catalog.manage'),
('catalog.remove_attachment(uuid,uuid)', 'API: catalog.manage'),
('catalog.service_attachment_files(uuid)', 'API: catalog readers of the organization'),
('catalog.delete_product(uuid)', 'API: catalog.manage'),
('catalog.enroll_patient(uuid,uuid,timestamp with time zone)', 'API: plans.enroll, members only'),
('catalog.consume_session(uuid,uuid)', 'API: plans.enroll, members only; locked and idempotent'),
('catalog.revoke_enrollment(uuid,text)', 'API: catalog.manage, members only'),
('catalog.my_plans()', 'API: the signed-in human''s own and cared-for enrollments'),
-- scheduling.
('scheduling.add_weekly_hours(uuid,integer,text,text,date,date)', 'API: scheduling.manage'),
('scheduling.delete_weekly_hours(uuid)', 'API: scheduling.manage'),
('scheduling.set_override(uuid,date,boolean,jsonb)', 'API: scheduling.manage'),
('scheduling.delete_override(uuid)', 'API: scheduling.manage'),
('scheduling.add_closure(date,text)', 'API: scheduling.manage'),
('scheduling.delete_closure(uuid)', 'API: scheduling.manage'),
('scheduling.create_calendar(jsonb)', 'API: scheduling.manage'),
('scheduling.update_calendar(uuid,jsonb)', 'API: scheduling.manage'),
('scheduling.delete_calendar(uuid)', 'API: scheduling.manage'),
('scheduling.set_calendar_specialist(uuid,uuid,integer,jsonb)', 'API: scheduling.manage'),
('scheduling.remove_calendar_specialist(uuid,uuid)', 'API: scheduling.manage'),
('scheduling.set_calendar_form(uuid,uuid,boolean,text)', 'API: scheduling.manage'),
('scheduling.remove_calendar_form(uuid,uuid)', 'API: scheduling.manage'),
('scheduling.member_availability(uuid,date,date,text,jsonb)', 'API: scheduling.read, the caller''s organization'),
-- appointments.
('appointments.book(uuid,uuid,timestamp with time zone,jsonb,uuid,text,text)', 'API: appointments.book'),
('appointments.transition(uuid,text)', 'API: appointments.manage'),
('appointments.cancel(uuid,text)', 'API: appointments.manage'),
('appointments.reschedule(uuid,timestamp with time zone,jsonb)', 'API: appointments.manage'),
('appointments.cancel_mine(uuid,text)', 'API: the patient or a caregiver who may book'),
('appointments.book_mine(uuid,timestamp with time zone,jsonb,uuid,uuid,text)', 'API: the patient or a caregiver who may book, on a public calendar'),
('appointments.booking_requirements(uuid,uuid)', 'API: appointments.book'),
('appointments.my_booking_requirements(uuid,uuid)', 'API: the patient or a caregiver who may book'),
('appointments.my_calendar_org(uuid)', 'API: a signed-in person: the organization of a public calendar'),
('appointments.my_profile_ids()', 'the appointments policy: the acting human''s profiles'),
('appointments.book_series(uuid,uuid,integer[],time without time zone,date,integer,date,timestamp with time zone[],text,jsonb,uuid,text,text)', 'API: appointments.book'),
('appointments.cancel_series(uuid,text,timestamp with time zone)', 'API: appointments.manage'),
('appointments.my_specialist_ids()', 'the calendar feeds policy: the acting member''s specialist records'),
('appointments.create_calendar_feed(uuid,boolean)', 'API: the specialist themself or appointments.manage'),
('appointments.specialist_calendar_feed(uuid)', 'API: the specialist themself or appointments.manage'),
('appointments.revoke_calendar_feed(uuid)', 'API: the specialist themself or appointments.manage'),
('appointments.begin_file_upload(uuid,text,text,timestamp with time zone)', 'API: appointments.manage'),
('appointments.attach_file(uuid,uuid)', 'API: appointments.manage'),
('appointments.remove_file(uuid,uuid)', 'API: appointments.manage'),
('appointments.files_of(uuid)', 'API: appointments.read and patients.read, the caller''s organization'),
('appointments.my_files(uuid)', 'API: the patient or a caregiver who may book'),
('appointments.begin_my_file_upload(uuid,text,text,timestamp with time zone)', 'API: the patient or a caregiver who may book; appointment still takes files'),
('appointments.pending_my_file_upload(uuid,uuid)', 'API: the patient or a caregiver who may book; their own upload'),
('appointments.complete_my_file_upload(uuid,uuid,text,text,bigint,text)', 'API: the patient or a caregiver who may book; their own upload'),
('appointments.reject_my_file_upload(uuid,uuid,text,text,bigint)', 'API: the patient or a caregiver who may book; their own upload'),
('appointments.review(uuid,integer,text)', 'API: the patient or a caregiver who may book'),
('appointments.video_join(uuid)', 'API: appointments.manage (the clinic joins a video room)'),
('appointments.my_video_join(uuid)', 'API: the patient or a caregiver who may book (joins a video room)'),
-- people: patient subscriptions and portal onboarding.
('people.patient_subscription(uuid)', 'the patient''s clinic readers (patients.read) or the person'),
('people.patient_effective_values(uuid)', 'the patient''s clinic readers (patients.read) or the person'),
('people.change_patient_tier(uuid,text)', 'API: patients.manage'),
('people.end_patient_subscription(uuid)', 'API: patients.manage'),
('people.grant_patient_override(uuid,text,text,boolean,bigint,text,timestamp with time zone)', 'API: patients.manage'),
('people.revoke_patient_override(uuid,uuid)', 'API: patients.manage'),
('people.onboard(text,text,jsonb)', 'API: the signed-in human, in the clinic a host or slug names; patients.max'),
('webhooks.is_manager()', 'policies; about the acting principal only'),
('webhooks.create_subscription(uuid,text,text[],text,uuid,bytea)', 'API: webhooks.manage, entitlement webhooks, webhooks.max'),
('webhooks.update_subscription(uuid,jsonb)', 'API: webhooks.manage'),
('webhooks.delete_subscription(uuid)', 'API: webhooks.manage'),
('webhooks.rotate_secret(uuid,uuid,bytea)', 'API: webhooks.manage'),
('webhooks.send_test(uuid)', 'API: webhooks.manage'),
('webhooks.replay_message(uuid,uuid)', 'API: webhooks.manage'),
('webhooks.replay_since(uuid,timestamp with time zone)', 'API: webhooks.manage'),
-- forms.
('forms.value_error(text,jsonb,jsonb,jsonb)', 'immutable: why a value does not fit a field type'),
('forms.is_real_date(text)', 'immutable: whether a YYYY-MM-DD day exists'),
('forms.evaluate(jsonb,jsonb)', 'immutable: validates answers against a frozen definition'),
('forms.canonical_digest(uuid,jsonb,uuid,timestamp with time zone)', 'immutable: the signed form digest'),
('forms.create_custom_field(jsonb)', 'API: custom_fields.manage, members only'),
('forms.update_custom_field(uuid,jsonb)', 'API: custom_fields.manage, members only'),
('forms.delete_custom_field(uuid)', 'API: custom_fields.manage, members only'),
('forms.set_patient_fields(uuid,jsonb)', 'API: custom_fields.manage, members only; validated'),
('forms.create_template(jsonb)', 'API: forms.manage, members only'),
('forms.update_template(uuid,jsonb)', 'API: forms.manage, members only'),
('forms.publish_template(uuid)', 'API: forms.manage, members only'),
('forms.delete_template(uuid)', 'API: forms.manage, members only'),
('forms.preview_validate(uuid,jsonb)', 'API: forms.manage, stores nothing'),
('forms.set_service_form(uuid,uuid,boolean,text)', 'API: forms.manage, members only'),
('forms.remove_service_form(uuid)', 'API: forms.manage, members only'),
('forms.create_form(uuid,uuid,uuid,uuid)', 'API: forms.manage, members only'),
('forms.cancel_form(uuid)', 'API: forms.manage, members only'),
('forms.amend_form(uuid)', 'API: forms.manage, members only'),
('forms.save_form(uuid,jsonb)', 'API: patient, caregiver with sign_forms, or forms.fill'),
('forms.complete_form(uuid,jsonb)', 'API: patient, caregiver with sign_forms, or forms.fill'),
('forms.sign_form(uuid,uuid)', 'API: patient, caregiver with sign_forms, or forms.fill'),
('forms.begin_form_upload(uuid,text,text,text,timestamp with time zone)', 'API: patient, caregiver with sign_forms, or forms.fill; form not signed'),
('forms.pending_form_upload(uuid,uuid)', 'API: patient, caregiver with sign_forms, or forms.fill; the form''s own upload'),
('forms.complete_form_upload(uuid,uuid,text,text,bigint,text)', 'API: patient, caregiver with sign_forms, or forms.fill; the form''s own upload'),
('forms.reject_form_upload(uuid,uuid,text,text,bigint)', 'API: patient, caregiver with sign_forms, or forms.fill; the form''s own upload'),
('forms.form_upload(uuid,uuid)', 'API: whoever reads the form'),
('forms.withdraw_patient_consent(uuid,text)', 'API: the patient or a caregiver with sign_forms');

SELECT set_eq(
    $$
    SELECT p.oid::regprocedure::text
    FROM pg_proc AS p
    INNER JOIN pg_namespace AS n ON n.oid = p.pronamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'public', 'tests')
      AND n.nspname NOT LIKE 'pg_%'
      AND NOT EXISTS (SELECT 1 FROM pg_depend AS d WHERE d.objid = p.oid AND d.deptype = 'e')
      AND has_function_privilege('restartix_app', p.oid, 'EXECUTE')
    $$,
    'SELECT fn FROM app_functions',
    'the request pool executes only the functions of the API surface listed here'
);

-- Every function listed that writes checks its caller itself: SECURITY DEFINER, or invoker
-- and then bound by the caller's own (now write-less) grants.
SELECT is_empty(
    $$
    SELECT p.oid::regprocedure::text
    FROM pg_proc AS p
    INNER JOIN pg_namespace AS n ON n.oid = p.pronamespace
    WHERE n.nspname IN ('iam', 'tenancy', 'billing', 'consent', 'storage', 'people', 'catalog', 'scheduling')
      AND has_function_privilege('restartix_app', p.oid, 'EXECUTE')
      AND p.provolatile = 'v'
      AND NOT p.prosecdef
    $$,
    'every volatile domain function the request pool calls is SECURITY DEFINER'
);

-- The helpers the issue named, called directly by a member.
SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_human('admin@a.test') AS admin_a \gset
SELECT tests.add_member(:'org_a', :'admin_a', 'admin') AS admin_m \gset
SELECT tests.authenticate_as(:'admin_a', :'org_a');
SELECT throws_ok(format('SELECT tenancy.active_owner_count(%L)', :'org_b'), '42501', NULL,
    'a member cannot count the owners of any organization');
SELECT throws_ok($$SELECT events.publish('organization.updated', '{}')$$, '42501', NULL,
    'a member cannot publish an event directly');
SELECT throws_ok($$SELECT metering.record_usage('api_calls', 1000000, now(), NULL)$$, '42501', NULL,
    'a member cannot record usage directly');
SELECT throws_ok(format('SELECT tenancy.guard_member_change(%L, NULL, NULL)', :'admin_m'), '42501', NULL,
    'a member cannot call the member-change guard directly');
SELECT throws_ok($$SELECT events.publish_for(NULL, 'organization.updated', '{}')$$, '42501', NULL,
    'a member cannot publish a platform event directly');
SELECT tests.clear_authentication();

SELECT * FROM finish();
ROLLBACK;
