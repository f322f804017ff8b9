-- Calendar forms: only scheduling managers of the calendar's organization attach templates;
-- another organization sees and changes nothing; booking_forms merges the calendar's and the
-- service's before-booking templates, required when either requires, latest published version.
BEGIN;
SELECT plan(24);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_human('owner-a@a.test') AS owner_a \gset
SELECT tests.create_human('physio-a@a.test') AS physio_a \gset
SELECT tests.create_human('owner-b@b.test') AS owner_b \gset
SELECT tests.add_member(:'org_a', :'owner_a', 'owner') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_a', :'physio_a', 'specialist') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_b', :'owner_b', 'owner') IS NOT NULL AS added \gset

SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT catalog.create_service('{"name": "Physio", "duration_minutes": 50, "currency": "RON"}') AS service_a \gset
SELECT scheduling.create_calendar(format('{"name": "Physio", "slug": "physio", "service_id": "%s"}', :'service_a')::jsonb) AS calendar_a \gset
SELECT forms.create_template('{"purpose": "intake", "name": "Intake", "draft": {"sections": [{"key": "s", "items": [{"key": "why", "type": "text", "label": "Why"}]}]}}') AS intake \gset
SELECT forms.publish_template(:'intake') AS intake_v1 \gset
SELECT forms.update_template(:'intake', '{"name": "Intake 2"}');
SELECT forms.publish_template(:'intake') AS intake_v2 \gset
SELECT forms.create_template('{"purpose": "questionnaire", "name": "Habits", "draft": {"sections": [{"key": "s", "items": [{"key": "sport", "type": "boolean", "label": "Sport"}]}]}}') AS habits \gset
SELECT forms.publish_template(:'habits') AS habits_v1 \gset
SELECT forms.create_template('{"purpose": "questionnaire", "name": "Never published", "draft": {"sections": []}}') AS draft_only \gset
SELECT forms.create_template('{"purpose": "post_session", "name": "Feedback", "draft": {"sections": [{"key": "s", "items": [{"key": "ok", "type": "boolean", "label": "Ok"}]}]}}') AS feedback \gset
SELECT forms.publish_template(:'feedback') AS feedback_v1 \gset

-- The calendar asks for intake as optional; the service requires it: required once.
SELECT scheduling.set_calendar_form(:'calendar_a', :'intake', FALSE, 'before_booking') AS cf_intake \gset
SELECT forms.set_service_form(:'service_a', :'intake', TRUE, 'before_booking') AS sf_intake \gset
SELECT scheduling.set_calendar_form(:'calendar_a', :'habits', FALSE, NULL) AS cf_habits \gset
SELECT scheduling.set_calendar_form(:'calendar_a', :'draft_only', TRUE, 'before_booking') AS cf_draft \gset
SELECT scheduling.set_calendar_form(:'calendar_a', :'feedback', TRUE, 'after_visit') AS cf_feedback \gset

SELECT is((SELECT count(*)::int FROM scheduling.calendar_forms), 4, 'A''s owner reads the calendar''s four forms');
SELECT is(scheduling.set_calendar_form(:'calendar_a', :'habits', TRUE, 'before_booking'), :'cf_habits'::uuid,
    'asking again for a template at the same stage changes the same row');
SELECT is((SELECT required FROM scheduling.calendar_forms WHERE id = :'cf_habits'), TRUE, 'and makes it required');
SELECT throws_ok(format($$SELECT scheduling.set_calendar_form(%L, %L, TRUE, 'later')$$, :'calendar_a', :'intake'),
    'P0001', 'invalid_field', 'an unknown stage is refused');
SELECT throws_ok(format($$SELECT scheduling.set_calendar_form(%L, gen_random_uuid(), TRUE, NULL)$$, :'calendar_a'),
    'P0001', 'form_template_not_found', 'an unknown template is refused');
SELECT throws_ok(format($$SELECT scheduling.set_calendar_form(gen_random_uuid(), %L, TRUE, NULL)$$, :'intake'),
    'P0001', 'calendar_not_found', 'an unknown calendar is refused');
SELECT tests.clear_authentication();
SELECT is((SELECT count(*)::int FROM events.outbox WHERE type = 'calendar.form_set'), 5, 'every set publishes calendar.form_set');
SELECT is((SELECT count(*)::int FROM audit.audit_log WHERE entity_type = 'scheduling.calendar_forms'), 5, 'every change is audited');

SELECT results_eq(
    format($$SELECT form_template_id, form_template_version_id, required
             FROM scheduling.booking_forms(%L, %L) ORDER BY required DESC, form_template_id$$, :'org_a', :'calendar_a'),
    format($$VALUES (%L::uuid, %L::uuid, TRUE), (%L::uuid, %L::uuid, TRUE)$$,
           least(:'intake', :'habits'),
           CASE WHEN :'intake' < :'habits' THEN :'intake_v2' ELSE :'habits_v1' END,
           greatest(:'intake', :'habits'),
           CASE WHEN :'intake' < :'habits' THEN :'habits_v1' ELSE :'intake_v2' END),
    'booking_forms: intake (required by the service) at its latest version and habits; no draft-only or after-visit template'
);
SELECT is((SELECT count(*)::int FROM scheduling.booking_forms(:'org_b', :'calendar_a')), 0,
    'booking_forms of A''s calendar under B''s id is empty');

SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT forms.delete_template(:'habits');
SELECT tests.clear_authentication();
SELECT is((SELECT count(*)::int FROM scheduling.booking_forms(:'org_a', :'calendar_a')), 1,
    'a deleted template is no longer asked for');

SELECT tests.authenticate_as(:'physio_a', :'org_a');
SELECT is((SELECT count(*)::int FROM scheduling.calendar_forms), 4, 'a specialist (scheduling.read) reads them');
SELECT throws_ok(format($$SELECT scheduling.set_calendar_form(%L, %L, TRUE, NULL)$$, :'calendar_a', :'intake'),
    '42501', NULL, 'a specialist cannot attach forms (scheduling.manage)');
SELECT throws_ok(format($$SELECT scheduling.remove_calendar_form(%L, %L)$$, :'calendar_a', :'cf_intake'),
    '42501', NULL, 'nor detach them');

SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT catalog.create_service('{"name": "B", "duration_minutes": 30, "currency": "RON"}') AS service_b \gset
SELECT scheduling.create_calendar(format('{"name": "B", "slug": "b", "service_id": "%s"}', :'service_b')::jsonb) AS calendar_b \gset
SELECT is_empty('SELECT 1 FROM scheduling.calendar_forms', 'B reads no calendar form of A');
SELECT throws_ok(format($$SELECT scheduling.set_calendar_form(%L, %L, TRUE, NULL)$$, :'calendar_a', :'intake'),
    'P0001', 'calendar_not_found', 'B cannot attach a form to A''s calendar');
SELECT throws_ok(format($$SELECT scheduling.set_calendar_form(%L, %L, TRUE, NULL)$$, :'calendar_b', :'intake'),
    'P0001', 'form_template_not_found', 'B cannot attach A''s template to its own calendar');
SELECT throws_ok(format($$SELECT scheduling.remove_calendar_form(%L, %L)$$, :'calendar_a', :'cf_intake'),
    'P0001', 'calendar_not_found', 'B cannot detach A''s calendar form');
SELECT throws_ok(format($$SELECT scheduling.remove_calendar_form(%L, %L)$$, :'calendar_b', :'cf_intake'),
    'P0001', 'calendar_form_not_found', 'nor through its own calendar');
SELECT throws_ok(format($$INSERT INTO scheduling.calendar_forms (organization_id, calendar_id, form_template_id)
                          VALUES (%L, %L, %L)$$, :'org_b', :'calendar_b', :'intake'),
    '42501', NULL, 'the request pool writes no calendar form directly');
SELECT throws_ok('DELETE FROM scheduling.calendar_forms', '42501', NULL, 'nor deletes one');
SELECT throws_ok(format($$SELECT * FROM scheduling.booking_forms(%L, %L)$$, :'org_a', :'calendar_a'),
    '42501', NULL, 'the request pool cannot call booking_forms');

SELECT tests.authenticate_as(:'owner_a', :'org_a');
SELECT lives_ok(format($$SELECT scheduling.remove_calendar_form(%L, %L)$$, :'calendar_a', :'cf_intake'),
    'A''s owner detaches a form');
SELECT tests.clear_authentication();
SELECT is((SELECT payload ->> 'form_template_id' FROM events.outbox WHERE type = 'calendar.form_removed'), :'intake',
    'and calendar.form_removed names the template');

SELECT * FROM finish();
ROLLBACK;
