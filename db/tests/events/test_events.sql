-- The outbox and its consumers: publishing, who may, fan-out, lanes, leases, retries, dead
-- letters, replay, partitions, and the tenancy changes that publish.
BEGIN;
SELECT plan(78);

-- Frozen far from the real clock: the audit log needs its month, the outbox (by real time) does not.
SELECT audit.ensure_partitions(0, '2031-05-10 00:00+00');
SELECT tests.freeze_time('2031-05-10 09:00+00');
SELECT events.register_consumer('alpha', p_max_attempts => 3, p_backoff_base => '10 seconds');
SELECT events.register_consumer('beta', ARRAY['membership.*', 'domain.added']);

CREATE TEMP TABLE ids (name text PRIMARY KEY, id uuid);
GRANT SELECT ON ids TO restartix_owner, restartix_app, restartix_system;
CREATE FUNCTION pg_temp.id(p_name text) RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT i.id FROM ids AS i WHERE i.name = p_name $$;
INSERT INTO ids VALUES
('a', tests.create_org('clinic-a')),
('b', tests.create_org('clinic-b')),
('ana', tests.create_human('ana@clinic-a.test')),
('bob', tests.create_human('bob@clinic-b.test')),
('rita', tests.create_human('rita@clinic-a.test'));
SELECT tests.add_member(pg_temp.id('a'), pg_temp.id('ana'), 'owner');
SELECT tests.add_member(pg_temp.id('b'), pg_temp.id('bob'), 'owner');

CREATE TEMP VIEW a_events AS
SELECT o.* FROM events.outbox AS o WHERE o.organization_id = pg_temp.id('a');
CREATE TEMP VIEW last_event AS
SELECT o.* FROM events.outbox AS o ORDER BY o.position DESC LIMIT 1;

-- Partitions ---------------------------------------------------------------------------
SELECT is_empty(
    $$SELECT 1 FROM pg_partitioned_table AS p WHERE p.partrelid = 'events.outbox'::regclass AND p.partdefid <> 0$$,
    'the outbox has no default partition'
);
SELECT results_eq(
    $$SELECT count(*)::int FROM events.ensure_partitions(2, '2032-01-20 00:00+00')$$, 'VALUES (3)',
    'rolling two months ahead from a new month creates three partitions'
);
SELECT is_empty($$SELECT * FROM events.ensure_partitions(2, '2032-01-20 00:00+00')$$, 'rolling again creates nothing');
SELECT is(
    pg_get_expr(c.relpartbound, c.oid),
    pg_catalog.format(
        'FOR VALUES FROM (%L) TO (%L)',
        util.uuid_v7_floor('2032-02-01 00:00+00'), util.uuid_v7_floor('2032-03-01 00:00+00')
    ),
    'a month is bounded by the v7 ids of its UTC midnights'
) FROM pg_class AS c WHERE c.oid = 'events.outbox_p2032_02'::regclass;
SELECT throws_ok($$SELECT events.ensure_partitions(37)$$, '22023', NULL, 'a horizon past 36 months is refused');
SELECT throws_ok(
    $$SELECT events.retire_month(pg_catalog.now()::date)$$, '22023', NULL, 'the current month cannot be retired'
);
SELECT ok(util.uuid_v7() > util.uuid_v7_floor(pg_catalog.clock_timestamp() - interval '1 second'), 'v7 ids follow the real clock');

-- Tenancy changes publish -----------------------------------------------------------------
SELECT results_eq(
    $$SELECT type, payload ->> 'slug' FROM events.outbox WHERE type = 'organization.created' ORDER BY position$$,
    $$VALUES ('organization.created', 'clinic-a'), ('organization.created', 'clinic-b')$$,
    'creating organizations publishes organization.created'
);
SELECT is(
    (SELECT count(*)::int FROM a_events WHERE type = 'membership.added'), 1,
    'a membership inserted active publishes membership.added'
);
SELECT is(
    (SELECT occurred_at FROM last_event), '2031-05-10 09:00+00'::timestamptz,
    'occurred_at is the (freezable) transaction time'
);

SELECT tests.authenticate_as(pg_temp.id('ana'), pg_temp.id('a'));
SELECT set_config('role', 'restartix_owner', TRUE);  -- as the domain functions write (the request pool has no write grant)
UPDATE tenancy.organizations SET name = 'Clinic A Renamed' WHERE id = pg_temp.id('a');
SELECT tests.clear_authentication();
SELECT results_eq(
    $$SELECT type, payload -> 'changed', actor_id, actor_type, request_id LIKE 'test-%' FROM last_event$$,
    $$SELECT 'organization.updated', '["name"]'::jsonb, pg_temp.id('ana'), 'human', true$$,
    'renaming publishes organization.updated with the member as actor and the request id'
);
UPDATE tenancy.organizations SET updated_at = updated_at WHERE id = pg_temp.id('a');
SELECT is((SELECT type FROM last_event), 'organization.updated', 'an update that changes no published column publishes nothing');
SELECT is((SELECT count(*)::int FROM a_events WHERE type = 'organization.updated'), 1, 'still one organization.updated');

SELECT tests.authenticate_as(pg_temp.id('ana'), pg_temp.id('a'));
SELECT set_config('role', 'restartix_owner', TRUE);  -- as the domain functions write (the request pool has no write grant)
INSERT INTO tenancy.organization_memberships (organization_id, principal_id, role_id, status, invited_by)
SELECT
    pg_temp.id('a') AS organization_id, pg_temp.id('rita') AS principal_id, r.id AS role_id,
    'invited' AS status, pg_temp.id('ana') AS invited_by
FROM iam.roles AS r WHERE r.code = 'receptionist' AND r.organization_id IS NULL;
SELECT tests.clear_authentication();
SELECT results_eq(
    $$SELECT type, payload ->> 'principal_id', payload ->> 'invited_by' FROM last_event$$,
    $$SELECT 'membership.invited', pg_temp.id('rita')::text, pg_temp.id('ana')::text$$,
    'inviting publishes membership.invited'
);
UPDATE tenancy.organization_memberships SET status = 'active', accepted_at = util.now()
WHERE principal_id = pg_temp.id('rita');
SELECT results_eq(
    $$SELECT type, payload ->> 'from_status', payload ->> 'to_status' FROM last_event$$,
    $$VALUES ('membership.status_changed', 'invited', 'active')$$,
    'accepting publishes membership.status_changed'
);
UPDATE tenancy.organization_memberships SET role_id = (SELECT r.id FROM iam.roles AS r WHERE r.code = 'specialist' AND r.organization_id IS NULL)
WHERE principal_id = pg_temp.id('rita');
SELECT results_eq(
    $$SELECT type, (payload ->> 'to_role_id')::uuid FROM last_event$$,
    $$SELECT 'membership.role_changed', r.id FROM iam.roles AS r WHERE r.code = 'specialist' AND r.organization_id IS NULL$$,
    'changing the role publishes membership.role_changed'
);
UPDATE tenancy.organization_memberships SET last_used_at = util.now() WHERE principal_id = pg_temp.id('rita');
SELECT is((SELECT type FROM last_event), 'membership.role_changed', 'recording use of a membership publishes nothing');
DELETE FROM tenancy.organization_memberships WHERE principal_id = pg_temp.id('rita');
SELECT results_eq(
    $$SELECT type, payload ->> 'status' FROM last_event$$,
    $$VALUES ('membership.removed', 'active')$$,
    'removing publishes membership.removed'
);

INSERT INTO tenancy.organization_domains (organization_id, domain)
VALUES (pg_temp.id('a'), 'clinica-a.ro');
SELECT results_eq($$SELECT type, payload ->> 'domain' FROM last_event$$, $$VALUES ('domain.added', 'clinica-a.ro')$$, 'adding a domain publishes domain.added');
UPDATE tenancy.organization_domains SET verified_at = util.now() WHERE domain = 'clinica-a.ro';
SELECT is((SELECT type FROM last_event), 'domain.verified', 'verifying publishes domain.verified');
UPDATE tenancy.organization_domains SET is_primary = TRUE WHERE domain = 'clinica-a.ro';
SELECT results_eq($$SELECT type, payload -> 'is_primary' FROM last_event$$, $$VALUES ('domain.primary_changed', 'true'::jsonb)$$, 'making it primary publishes domain.primary_changed');
DELETE FROM tenancy.organization_domains WHERE domain = 'clinica-a.ro';
SELECT is((SELECT type FROM last_event), 'domain.removed', 'removing publishes domain.removed');

INSERT INTO iam.roles (organization_id, code, name) VALUES (pg_temp.id('a'), 'physio_lead', 'Physio lead');
SELECT results_eq($$SELECT type, payload ->> 'code', organization_id FROM last_event$$,
    $$SELECT 'role.created', 'physio_lead', pg_temp.id('a')$$, 'a custom role publishes role.created in its organization');
INSERT INTO iam.role_permissions (role_id, permission_code)
SELECT r.id, p.code FROM iam.roles AS r, iam.permissions AS p
WHERE r.code = 'physio_lead' AND p.code IN ('files.read', 'members.read');
SELECT results_eq($$SELECT type, payload -> 'permissions_added', payload -> 'changed' FROM last_event$$,
    $$VALUES ('role.updated', '["files.read", "members.read"]'::jsonb, '["permissions"]'::jsonb)$$,
    'granting two permissions publishes one role.updated listing both');
UPDATE iam.roles SET name = 'Lead physiotherapist' WHERE code = 'physio_lead';
SELECT results_eq($$SELECT type, payload -> 'changed' FROM last_event$$, $$VALUES ('role.updated', '["name"]'::jsonb)$$, 'renaming a role publishes role.updated');
DELETE FROM iam.roles WHERE code = 'physio_lead';
SELECT is((SELECT type FROM last_event), 'role.deleted', 'deleting a role publishes role.deleted only (its permissions go with it)');
SELECT is(
    (SELECT count(*)::int FROM a_events WHERE type = 'role.updated' AND payload ->> 'code' = 'physio_lead'), 2,
    'no role.updated for permissions removed with their role'
);

-- Who may publish, and what --------------------------------------------------------------
SELECT tests.authenticate_as(pg_temp.id('ana'), pg_temp.id('a'));
SELECT throws_ok($$SELECT events.publish('organization.updated', '{}')$$, '42501', NULL,
    'the request pool cannot publish directly: events come from inside the domain functions');
-- As the domain functions run it: the owner, with the request's session variables.
SELECT set_config('role', 'restartix_owner', TRUE);
SELECT lives_ok($$SELECT events.publish('organization.updated', '{"note": "from the request pool"}')$$, 'a domain function publishes for the acting member');
SELECT tests.authenticate_as(pg_temp.id('ana'), pg_temp.id('a'));
SELECT throws_ok($$SELECT * FROM events.outbox$$, '42501', NULL, 'the request pool cannot read the outbox');
SELECT throws_ok($$SELECT * FROM events.deliveries$$, '42501', NULL, 'the request pool cannot read deliveries');
SELECT throws_ok($$SELECT * FROM events.consumers$$, '42501', NULL, 'the request pool cannot read consumers');
SELECT throws_ok(
    $$SELECT events.publish_for(pg_temp.id('b'), 'organization.updated', '{}')$$, '42501', NULL,
    'the request pool cannot publish for an explicit organization'
);
SELECT throws_ok($$SELECT * FROM events.claim('alpha', 'x')$$, '42501', NULL, 'the request pool cannot claim');
SELECT set_config('role', 'restartix_owner', TRUE);
SELECT throws_ok($$SELECT events.publish('nope.unknown', '{}')$$, 'P0001', 'event_type_unknown', 'an unknown type is refused');
SELECT throws_ok($$SELECT events.publish('organization.updated', '{}', 9)$$, 'P0001', 'event_type_unknown', 'an unknown version is refused');
SELECT throws_ok($$SELECT events.publish('organization.updated', '[1, 2]')$$, 'P0001', 'event_payload_not_object', 'an array payload is refused');
SELECT throws_ok($$SELECT events.publish('organization.updated', NULL)$$, 'P0001', 'event_payload_not_object', 'a NULL payload is refused');
SELECT throws_ok(
    $$SELECT events.publish('organization.updated', jsonb_build_object('blob', repeat('x', 262144)))$$,
    'P0001', 'event_payload_too_large', 'a payload over 256 KiB is refused'
);
SELECT tests.authenticate_as(pg_temp.id('ana'), pg_temp.id('b'));
SELECT set_config('role', 'restartix_owner', TRUE);
SELECT throws_ok(
    $$SELECT events.publish('organization.updated', '{}')$$, '42501', 'permission_denied',
    'a principal cannot publish into an organization it is not a member of'
);
SELECT tests.clear_authentication();
SELECT results_eq(
    $$SELECT organization_id, actor_id, payload ->> 'note' FROM events.outbox WHERE payload ? 'note'$$,
    $$SELECT pg_temp.id('a'), pg_temp.id('ana'), 'from the request pool'$$,
    'the published event records the session organization and principal'
);

-- Fan-out ------------------------------------------------------------------------------------
SELECT is(
    (SELECT count(*)::int FROM events.deliveries AS d INNER JOIN events.consumers AS c ON d.consumer_id = c.id WHERE c.name = 'alpha'),
    (SELECT count(*)::int FROM events.outbox),
    'a consumer of every type owes every event published since it registered'
);
SELECT is_empty(
    $$SELECT o.type FROM events.deliveries AS d JOIN events.consumers AS c ON c.id = d.consumer_id
      JOIN events.outbox AS o ON o.id = d.event_id
      WHERE c.name = 'beta' AND NOT (o.type LIKE 'membership.%' OR o.type = 'domain.added')$$,
    'a consumer owes only the types it subscribed to'
);
SELECT is(
    (SELECT count(*)::int FROM events.deliveries AS d INNER JOIN events.consumers AS c ON d.consumer_id = c.id WHERE c.name = 'beta'),
    (SELECT count(*)::int FROM events.outbox WHERE type LIKE 'membership.%' OR type = 'domain.added'),
    'and every one of them'
);

-- Claiming: one lease per lane, each lane in order ------------------------------------------
-- Start from clean deliveries: alpha owes a fresh, known set of events in two lanes.
DELETE FROM events.deliveries;
CREATE TEMP TABLE pub AS
SELECT g, events.publish_for(CASE WHEN g % 2 = 0 THEN pg_temp.id('a') ELSE pg_temp.id('b') END,
    'organization.updated', jsonb_build_object('n', g)) AS event_id
FROM generate_series(1, 10) AS g;
GRANT SELECT ON pub TO restartix_system;
CREATE FUNCTION pg_temp.ev(p_g integer) RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT p.event_id FROM pub AS p WHERE p.g = p_g $$;
CREATE FUNCTION pg_temp.consumer(p_name text) RETURNS integer LANGUAGE sql STABLE
AS $$ SELECT c.id FROM events.consumers AS c WHERE c.name = p_name $$;
DELETE FROM events.deliveries WHERE consumer_id = pg_temp.consumer('beta');

SELECT tests.authenticate_as_system();
CREATE TEMP TABLE c1 AS SELECT * FROM events.claim('alpha', 'w1', 100, 2);
SELECT results_eq(
    $$SELECT (payload ->> 'n')::int FROM c1 ORDER BY event_position$$, $$VALUES (1), (2), (3), (4)$$,
    'a claim takes the first events of each lane, in order, up to the per-lane limit'
);
SELECT is((SELECT count(DISTINCT lease_id)::int FROM c1), 1, 'one lease for the whole claim');
SELECT is((SELECT min(attempt) FROM c1), 1, 'first attempt');
SELECT is_empty($$SELECT * FROM events.claim('alpha', 'w2', 100, 20)$$, 'a lane held by a lease gives nothing to another claimer');

SELECT ok(events.complete((SELECT DISTINCT c.lease_id FROM c1 AS c), pg_temp.ev(1)), 'completing a held delivery succeeds');
SELECT ok(NOT events.complete((SELECT DISTINCT c.lease_id FROM c1 AS c), pg_temp.ev(1)), 'completing it again reports nothing held');
SELECT is(
    events.fail((SELECT DISTINCT c.lease_id FROM c1 AS c), pg_temp.ev(2), 'smtp said no'), 'pending',
    'a failed attempt goes back to pending'
);
SELECT tests.clear_authentication();
SELECT results_eq(
    $$SELECT d.attempts, d.last_error, d.available_at BETWEEN util.now() + interval '5 seconds' AND util.now() + interval '10 seconds'
      FROM events.deliveries AS d WHERE d.event_id = pg_temp.ev(2)$$,
    $$VALUES (1, 'smtp said no', true)$$,
    'with its error and a jittered backoff of 50-100% of the base'
);
SELECT is(
    (SELECT state FROM events.deliveries WHERE event_id = pg_temp.ev(4)), 'pending',
    'the rest of that lane''s run goes back too'
);
SELECT tests.authenticate_as_system();
SELECT ok(events.complete((SELECT DISTINCT c.lease_id FROM c1 AS c), pg_temp.ev(3)), 'the other lane carries on');
SELECT results_eq(
    $$SELECT (payload ->> 'n')::int FROM events.claim('alpha', 'w2', 100, 20) ORDER BY event_position$$,
    $$VALUES (5), (7), (9)$$,
    'the other lane is handed out; the lane waiting to retry is not'
);

-- Backoff, then the retry, then the dead letter ----------------------------------------------
SELECT tests.freeze_time('2031-05-10 09:00:11+00');
CREATE TEMP TABLE c2 AS SELECT * FROM events.claim('alpha', 'w3', 100, 1);
SELECT results_eq($$SELECT (payload ->> 'n')::int, attempt FROM c2$$, $$VALUES (2, 2)$$, 'after the backoff the failed event is retried first, as attempt 2');
SELECT is(events.fail((SELECT lease_id FROM c2), (SELECT event_id FROM c2), 'still no'), 'pending', 'attempt 2 fails');
SELECT tests.freeze_time('2031-05-10 09:01:00+00');
CREATE TEMP TABLE c3 AS SELECT * FROM events.claim('alpha', 'w3', 100, 1);
SELECT is(events.fail((SELECT lease_id FROM c3), (SELECT event_id FROM c3), 'gave up'), 'dead', 'the third failure of three allowed is a dead letter');
SELECT tests.clear_authentication();
SELECT results_eq(
    $$SELECT state, attempts, last_error, dead_at FROM events.deliveries WHERE event_id = pg_temp.ev(2)$$,
    $$VALUES ('dead', 3, 'gave up', '2031-05-10 09:01:00+00'::timestamptz)$$,
    'a dead letter keeps its last error'
);
SELECT tests.authenticate_as_system();
SELECT results_eq(
    $$SELECT (payload ->> 'n')::int FROM events.claim('alpha', 'w3', 100, 20) ORDER BY event_position$$,
    $$VALUES (4), (6), (8), (10)$$,
    'a dead letter does not hold up its lane'
);

-- Leases: expiry counts as an attempt; heartbeats keep live leases only ------------------------
-- Clinic B's lane is set aside so that only clinic A's lane is in play.
SELECT tests.clear_authentication();
DELETE FROM events.deliveries WHERE lane = pg_temp.id('b');
SELECT tests.authenticate_as_system();
CREATE TEMP TABLE lease AS SELECT DISTINCT d.lease_id FROM events.deliveries AS d WHERE d.state = 'leased' AND d.leased_by = 'w3';
SELECT tests.freeze_time('2031-05-10 09:01:20+00');
SELECT is(events.heartbeat(array(SELECT l.lease_id FROM lease AS l)), 4, 'a heartbeat extends a live lease');
SELECT tests.freeze_time('2031-05-10 09:01:45+00');
SELECT is_empty($$SELECT * FROM events.claim('alpha', 'w4', 100, 20)$$, 'the heartbeat kept the lane held past the first expiry');
SELECT tests.freeze_time('2031-05-10 09:02:00+00');
SELECT is(events.heartbeat(array(SELECT l.lease_id FROM lease AS l)), 0, 'a lease that ran out is not revived by a late heartbeat');
SELECT is_empty($$SELECT * FROM events.claim('alpha', 'w4', 100, 20)$$, 'an expired lease first counts as a failed attempt, with backoff');
SELECT tests.clear_authentication();
SELECT results_eq(
    $$SELECT state, attempts, last_error LIKE 'lease expired%w3%' FROM events.deliveries WHERE event_id = pg_temp.ev(4)$$,
    $$VALUES ('pending', 1, true)$$,
    'the expired head records the attempt and names the worker'
);
SELECT tests.authenticate_as_system();
SELECT tests.freeze_time('2031-05-10 09:02:30+00');
CREATE TEMP TABLE c4 AS SELECT * FROM events.claim('alpha', 'w4', 100, 20);
SELECT results_eq(
    $$SELECT (payload ->> 'n')::int, attempt FROM c4 ORDER BY event_position$$,
    $$VALUES (4, 2), (6, 1), (8, 1), (10, 1)$$,
    'after the backoff the lane goes to a new worker, in order; only its head was charged'
);
SELECT ok(NOT events.complete((SELECT lease_id FROM lease), pg_temp.ev(6)), 'the old worker''s completion is refused');
SELECT is(events.release((SELECT DISTINCT c.lease_id FROM c4 AS c)), 4, 'release gives back everything a lease holds');
SELECT tests.clear_authentication();
SELECT is(
    (SELECT count(*)::int FROM events.deliveries AS d WHERE d.state = 'pending' AND d.event_id IN (SELECT c.event_id FROM c4 AS c) AND d.lease_id IS NULL),
    4, 'released deliveries are pending and unleased'
);
SELECT is(
    (SELECT attempts FROM events.deliveries WHERE event_id = pg_temp.ev(6)), 0,
    'release charges no attempt'
);

-- Replay ---------------------------------------------------------------------------------------
SELECT tests.authenticate_as_system();
SELECT is(
    events.replay('alpha', pg_catalog.now() - interval '1 hour', pg_catalog.now() + interval '1 hour'),
    (SELECT count(*)::int FROM events.outbox)
    - (SELECT count(*)::int FROM events.deliveries AS d WHERE d.consumer_id = pg_temp.consumer('alpha') AND d.state <> 'dead'),
    'replay owes again every completed event and every dead letter of the range'
);
SELECT tests.clear_authentication();
SELECT results_eq(
    $$SELECT state, attempts, last_error FROM events.deliveries WHERE event_id = pg_temp.ev(2)$$,
    $$VALUES ('pending', 0, NULL::text)$$,
    'a replayed dead letter starts over'
);
SELECT is(
    (SELECT count(*)::int FROM events.deliveries AS d WHERE d.consumer_id = pg_temp.consumer('alpha')),
    (SELECT count(*)::int FROM events.outbox),
    'one delivery per event, never two'
);
SELECT tests.authenticate_as_system();
SELECT throws_ok($$SELECT events.replay('nobody', now(), now() + interval '1 day')$$, 'P0001', 'consumer_unknown', 'replay names an existing consumer');
SELECT throws_ok($$SELECT events.replay('alpha', now(), now())$$, '22023', NULL, 'replay needs a non-empty range');
SELECT throws_ok($$SELECT * FROM events.claim('alpha', 'w', 100, 20, interval '1 hour')$$, '22023', NULL, 'a lease of an hour is refused');

-- Removing a consumer ------------------------------------------------------------------------
SELECT tests.clear_authentication();
SELECT events.publish_for(pg_temp.id('a'), 'domain.added', '{"note": "for beta"}');
CREATE TEMP TABLE beta AS SELECT pg_temp.consumer('beta') AS id;
SELECT is(
    (SELECT count(*)::int FROM events.deliveries AS d WHERE d.consumer_id = (SELECT b.id FROM beta AS b)), 1,
    'beta owes the domain event'
);
DELETE FROM events.consumers WHERE name = 'beta';
SELECT is(
    (SELECT count(*)::int FROM events.deliveries AS d WHERE d.consumer_id = (SELECT b.id FROM beta AS b)), 0,
    'a deleted consumer''s deliveries go with it'
);

SELECT * FROM finish();
ROLLBACK;
