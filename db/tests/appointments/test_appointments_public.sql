-- Public two-phase booking in SQL: who may call book_guest and expire_requests, each refusal
-- of book_guest (calendar, hold, guest fields, consents, an account's e-mail), what a booking
-- writes (guest patient, ledger rows for the profile, requested with the calendar's expiry),
-- the replay of a hold token, the claim invitation on confirm, the expiry, and another
-- organization seeing and changing nothing.
BEGIN;
SELECT plan(48);

SELECT tests.create_org('clinic-a') AS org \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_human('owner@a.test') AS owner \gset
SELECT tests.create_human('owner@b.test') AS owner_b \gset
SELECT tests.create_human('taken@x.test') AS account \gset
SELECT tests.add_member(:'org', :'owner', 'owner') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_b', :'owner_b', 'owner') IS NOT NULL AS added \gset
SELECT tests.authenticate_as(:'owner', :'org');
SELECT catalog.create_service('{"name": "Physio", "duration_minutes": 60, "currency": "RON"}') AS service \gset
SELECT people.create_specialist('Ana', NULL, NULL, 'Europe/Bucharest', TRUE) AS s1 \gset
SELECT people.create_specialist('Bob', NULL, NULL, 'Europe/Bucharest', TRUE) AS s2 \gset
SELECT scheduling.add_weekly_hours(:'s1', 1, '09:00', '12:00') IS NOT NULL AS added \gset
SELECT scheduling.add_weekly_hours(:'s2', 1, '09:00', '12:00') IS NOT NULL AS added \gset
SELECT scheduling.create_calendar(format('{"name": "One", "slug": "one", "public": true, "service_id": "%s"}', :'service')::jsonb) AS cal \gset
SELECT scheduling.create_calendar(format('{"name": "Private", "slug": "private", "service_id": "%s"}', :'service')::jsonb) AS private \gset
SELECT scheduling.set_calendar_specialist(:'cal', :'s1', 1);
SELECT scheduling.set_calendar_specialist(:'private', :'s2', 1);
SELECT consent.publish_document(:'org', 'org_terms', 'Terms', 'https://a.test/terms', repeat('1', 64)) AS terms \gset
SELECT consent.publish_document(:'org', 'org_privacy_notice', 'Privacy', 'https://a.test/privacy', repeat('2', 64)) AS privacy \gset
SELECT tests.clear_authentication();
SELECT tests.freeze_time('2027-01-01 00:00+00');

SELECT ok(NOT has_function_privilege('restartix_app',
    'appointments.book_guest(uuid, timestamptz, text, jsonb, jsonb, jsonb, jsonb, jsonb, text, text, text, text)', 'EXECUTE'),
    'the request pool cannot book as a guest');
SELECT ok(NOT has_function_privilege('restartix_app', 'appointments.expire_requests(integer)', 'EXECUTE'),
    'the request pool cannot expire requests');
SELECT ok(has_function_privilege('restartix_system',
    'appointments.book_guest(uuid, timestamptz, text, jsonb, jsonb, jsonb, jsonb, jsonb, text, text, text, text)', 'EXECUTE'),
    'the system pool books for guests');
SELECT ok(NOT has_function_privilege('restartix_system', 'appointments.guest_patient(uuid, jsonb)', 'EXECUTE'),
    'the internal helpers are nobody''s to call');

-- pg_temp.book(calendar, start, token, hold, guest, consents): the call as the route makes it.
CREATE FUNCTION pg_temp.book(
    p_cal uuid, p_start timestamptz, p_token text, p_hold jsonb, p_guest jsonb, p_consents jsonb
) RETURNS uuid LANGUAGE sql AS $$
    SELECT b.appointment_id FROM appointments.book_guest(
        p_cal, p_start, encode(sha256(convert_to(p_token, 'UTF8')), 'hex'), p_hold, '[]', p_guest, p_consents, '{}',
        NULL, '192.0.2.7', 'pgtap', 'req-1'
    ) AS b
$$;
GRANT EXECUTE ON FUNCTION pg_temp.book(uuid, timestamptz, text, jsonb, jsonb, jsonb) TO restartix_system;
\set guest '{"first_name": "Ioana", "last_name": "Pop", "email": "ioana@guest.test", "phone": "+40722000001"}'
SELECT format('{"specialist_id": "%s", "start": "2027-01-04T07:00:00Z", "end": "2027-01-04T08:00:00Z"}', :'s1') AS hold \gset
SELECT format('["%s", "%s"]', :'terms', :'privacy') AS docs \gset

SELECT tests.authenticate_as_system();
SELECT throws_like(format($$SELECT pg_temp.book(%L, '2027-01-04 09:00+02', 'tok-1', %L, %L, %L)$$,
    gen_random_uuid(), :'hold', :'guest', :'docs'), 'calendar_not_found', 'an unknown calendar is not found');
SELECT throws_like(format($$SELECT pg_temp.book(%L, '2027-01-04 09:00+02', 'tok-1', %L, %L, %L)$$,
    :'private', :'hold', :'guest', :'docs'), 'calendar_not_found', 'a calendar that is not public is not found');
SELECT throws_like(format($$SELECT pg_temp.book(%L, '2027-01-04 09:00+02', 'tok-1', NULL, %L, %L)$$,
    :'cal', :'guest', :'docs'), 'hold_invalid', 'no live hold is hold_invalid');
SELECT throws_like(format($$SELECT pg_temp.book(%L, '2027-01-04 10:00+02', 'tok-1', %L, %L, %L)$$,
    :'cal', :'hold', :'guest', :'docs'), 'hold_invalid', 'a hold of another start is hold_invalid');
SELECT throws_like(format($$SELECT pg_temp.book(%L, '2027-01-04 09:00+02', 'tok-1', %L, %L, %L)$$,
    :'cal', replace(:'hold', :'s1', :'s2'), :'guest', :'docs'), 'hold_invalid', 'a hold of a specialist not on this calendar is hold_invalid');
SELECT throws_like(format($$SELECT pg_temp.book(%L, '2027-01-04 09:00+02', 'tok-1', %L, %L, %L)$$,
    :'cal', replace(:'hold', '08:00:00Z', '08:30:00Z'), :'guest', :'docs'), 'hold_invalid', 'a hold of another length is hold_invalid');
SELECT throws_like(format($$SELECT b.appointment_id FROM appointments.book_guest(%L, '2027-01-04 09:00+02', 'short', %L, '[]', %L, %L, '{}',
    NULL, NULL, NULL, NULL) AS b$$, :'cal', :'hold', :'guest', :'docs'), 'invalid_field', 'a malformed token digest is refused');
SELECT throws_like(format($$SELECT pg_temp.book(%L, '2027-01-04 09:00+02', 'tok-1', %L, %L, %L)$$,
    :'cal', :'hold', (:'guest')::jsonb - 'email', :'docs'), 'invalid_field', 'a guest without an e-mail is refused');
SELECT throws_like(format($$SELECT pg_temp.book(%L, '2027-01-04 09:00+02', 'tok-1', %L, %L, %L)$$,
    :'cal', :'hold', (:'guest')::jsonb || '{"phone": "call me"}', :'docs'), 'invalid_field', 'a bad phone is refused');
SELECT throws_like(format($$SELECT pg_temp.book(%L, '2027-01-04 09:00+02', 'tok-1', %L, %L, %L)$$,
    :'cal', :'hold', (:'guest')::jsonb || jsonb_build_object('first_name', repeat('x', 101)), :'docs'), 'invalid_field', 'an oversize name is refused');
SELECT throws_like(format($$SELECT pg_temp.book(%L, '2027-01-04 09:00+02', 'tok-1', %L, %L, %L)$$,
    :'cal', :'hold', (:'guest')::jsonb || '{"sex": "f"}', :'docs'), 'invalid_field', 'a field that is not a contact field is refused');
SELECT throws_like(format($$SELECT pg_temp.book(%L, '2027-01-04 09:00+02', 'tok-1', %L, %L, %L)$$,
    :'cal', :'hold', :'guest', '"x"'), 'invalid_field', 'consents must be a list');
SELECT throws_like(format($$SELECT pg_temp.book(%L, '2027-01-04 09:00+02', 'tok-1', %L, %L, %L)$$,
    :'cal', :'hold', :'guest', format('["%s"]', :'terms')), 'consent_required', 'the privacy notice not accepted is consent_required');
SELECT throws_like(format($$SELECT pg_temp.book(%L, '2027-01-04 09:00+02', 'tok-1', %L, %L, %L)$$,
    :'cal', :'hold', (:'guest')::jsonb || '{"email": "TAKEN@x.test"}', :'docs'), 'sign_in_required', 'an account''s e-mail (any case) must sign in');
SELECT tests.clear_authentication();
SELECT is((SELECT count(*)::int FROM appointments.appointments), 0, 'no refusal wrote an appointment');
SELECT is((SELECT count(*)::int FROM people.patient_profiles), 0, 'no refusal wrote a profile');
SELECT is((SELECT count(*)::int FROM consent.consents), 0, 'no refusal wrote the ledger');

SELECT tests.authenticate_as_system();
SELECT pg_temp.book(:'cal', '2027-01-04 09:00+02', 'tok-1', :'hold', :'guest', :'docs') AS a1 \gset
SELECT is((SELECT b.appointment_id FROM appointments.book_guest(:'cal', '2027-01-04 09:00+02',
    encode(sha256(convert_to('tok-1', 'UTF8')), 'hex'), NULL, '[]', :'guest', :'docs', '{}', NULL, NULL, NULL, NULL) AS b),
    :'a1'::uuid, 'the same token again answers the same appointment');
SELECT ok((SELECT b.replayed FROM appointments.book_guest(:'cal', '2027-01-04 09:00+02',
    encode(sha256(convert_to('tok-1', 'UTF8')), 'hex'), NULL, '[]', :'guest', :'docs', '{}', NULL, NULL, NULL, NULL) AS b),
    'and says it replayed');
SELECT throws_like(format($$SELECT pg_temp.book(%L, '2027-01-04 10:00+02', 'tok-1', %L, %L, %L)$$,
    :'cal', :'hold', :'guest', :'docs'), 'hold_invalid', 'the same token for another slot is hold_invalid');
SELECT throws_like(format($$SELECT pg_temp.book(%L, '2027-01-04 09:00+02', 'tok-2', %L, %L, %L)$$,
    :'cal', :'hold', :'guest', :'docs'), 'slot_taken', 'another token for the booked slot is slot_taken');
SELECT tests.clear_authentication();

SELECT is((SELECT status FROM appointments.appointments WHERE id = :'a1'), 'requested', 'a guest booking is requested');
SELECT is((SELECT request_expires_at FROM appointments.appointments WHERE id = :'a1'), '2027-01-03 00:00+00'::timestamptz,
    'it expires 48 hours after booking by default');
SELECT is((SELECT guest_email::text FROM appointments.appointments WHERE id = :'a1'), 'ioana@guest.test', 'the guest''s contact is on the appointment');
SELECT is((SELECT booked_by FROM appointments.appointments WHERE id = :'a1'), NULL, 'no principal booked it');
SELECT is((SELECT pp.human_id FROM appointments.appointments AS a INNER JOIN people.patient_profiles AS pp ON a.patient_profile_id = pp.id
    WHERE a.id = :'a1'), NULL, 'the patient''s profile is a guest profile');
SELECT is((SELECT array_agg(purpose || '/' || source ORDER BY purpose) FROM consent.consents
    WHERE subject_principal_id IS NULL AND subject_patient_profile_id IS NOT NULL AND evidence_ip = '192.0.2.7'),
    ARRAY['org_privacy_notice/public_booking', 'org_terms/public_booking'], 'the consents are the profile''s, with the evidence');
SELECT is((SELECT organization_id FROM events.outbox WHERE type = 'appointment.booked'), :'org'::uuid,
    'appointment.booked is the clinic''s event');
SELECT throws_ok($$INSERT INTO consent.consents (organization_id, purpose, action, legal_basis, recorded_by)
    VALUES (gen_random_uuid(), 'analytics', 'grant', 'consent', '00000000-0000-0000-0000-000000000001')$$,
    '23514', NULL, 'a ledger row names a principal or a profile');
SELECT throws_ok(format($$UPDATE scheduling.calendars SET request_expiry_hours = 721 WHERE id = %L$$, :'cal'),
    '23514', NULL, 'the request expiry is at most 720 hours');

-- A calendar's own expiry.
UPDATE scheduling.calendars SET request_expiry_hours = 5 WHERE id = :'cal';
SELECT tests.authenticate_as_system();
SELECT pg_temp.book(:'cal', '2027-01-04 10:00+02', 'tok-3', replace(replace(:'hold', 'T07:', 'T08:'), 'T08:00:00Z"}', 'T09:00:00Z"}')::jsonb,
    :'guest'::jsonb, :'docs'::jsonb) AS a2 \gset
SELECT tests.clear_authentication();
SELECT is((SELECT request_expires_at FROM appointments.appointments WHERE id = :'a2'), '2027-01-01 05:00+00'::timestamptz,
    'the calendar''s request_expiry_hours sets the expiry');
SELECT is((SELECT count(DISTINCT patient_id)::int FROM appointments.appointments), 1, 'the same guest is the same patient');

-- Another organization sees and changes nothing.
SELECT tests.authenticate_as(:'owner_b', :'org_b');
SELECT is((SELECT count(*)::int FROM appointments.appointments), 0, 'another organization sees no guest booking');
SELECT throws_like(format($$SELECT appointments.transition(%L, 'confirmed')$$, :'a1'), 'appointment_not_found',
    'another organization cannot confirm it');
SELECT tests.clear_authentication();

-- Confirming invites the guest to claim the profile; the claim takes the appointments along.
SELECT tests.authenticate_as(:'owner', :'org');
SELECT is(appointments.transition(:'a1', 'confirmed'), 'confirmed', 'staff confirm the request');
SELECT tests.clear_authentication();
SELECT is((SELECT payload ->> 'appointment_id' FROM events.outbox WHERE type = 'patient.claim_invited'), :'a1',
    'confirming a guest booking publishes patient.claim_invited');
SELECT ok((SELECT NOT payload ? 'email' FROM events.outbox WHERE type = 'patient.claim_invited'),
    'the invitation carries no e-mail');

-- Expiry: the unconfirmed request past its expiry is cancelled once.
SELECT tests.authenticate_as_system();
SELECT is(appointments.expire_requests(), 0, 'nothing expires before its time');
SELECT tests.freeze_time('2027-01-01 05:00+00');
SELECT is(appointments.expire_requests(), 1, 'the request past its expiry expires');
SELECT is(appointments.expire_requests(), 0, 'expiring again changes nothing');
SELECT tests.clear_authentication();
SELECT is((SELECT status || '/' || cancellation_reason FROM appointments.appointments WHERE id = :'a2'), 'cancelled/expired',
    'it is cancelled with reason expired');
SELECT is((SELECT status FROM appointments.appointments WHERE id = :'a1'), 'confirmed', 'a confirmed booking never expires');
SELECT is((SELECT count(*)::int FROM events.outbox WHERE type = 'appointment.request_expired'), 1,
    'appointment.request_expired is published once');
SELECT tests.authenticate_as(:'owner', :'org');
SELECT appointments.book(:'cal', (SELECT patient_id FROM appointments.appointments WHERE id = :'a2'), '2027-01-04 10:00+02') IS NOT NULL
    AS rebooked \gset
SELECT ok(:'rebooked', 'the expired request''s slot is free again');

SELECT * FROM finish();
ROLLBACK;
