-- Publishing many events in one statement (events.publish_many, events.publish_many_for) under
-- the rules of events.publish, and which consumers each type goes to (events.routes, matched
-- once per type and kept in step with the catalog and the consumers).
BEGIN;
SELECT plan(38);

SELECT events.register_consumer('every');
SELECT events.register_consumer('pings', ARRAY['test.*']);
SELECT events.register_consumer('exact', ARRAY['test.pong']);
SELECT events.register_consumer('members', ARRAY['membership.*']);
INSERT INTO events.event_types VALUES
('test.ping', 1, 'A test event.'), ('test.ping', 2, 'Its second version.'), ('test.pong', 1, 'Another one.');

CREATE TEMP TABLE ids (name text PRIMARY KEY, id uuid);
GRANT SELECT ON ids TO restartix_owner, restartix_app, restartix_system;
CREATE FUNCTION pg_temp.id(p_name text) RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT i.id FROM ids AS i WHERE i.name = p_name $$;
INSERT INTO ids VALUES
('a', tests.create_org('clinic-a')),
('b', tests.create_org('clinic-b')),
('ana', tests.create_human('ana@clinic-a.test'));
SELECT tests.add_member(pg_temp.id('a'), pg_temp.id('ana'), 'owner');

-- The consumers (by name) a (type, version) goes to, as publishing sees them.
CREATE FUNCTION pg_temp.routed(p_type text, p_version integer DEFAULT 1) RETURNS text []
LANGUAGE sql STABLE AS $$
    SELECT array(
        SELECT c.name FROM events.routes AS r
        CROSS JOIN LATERAL unnest(r.consumer_ids) AS x (id)
        INNER JOIN events.consumers AS c ON c.id = x.id
        WHERE r.type = p_type AND r.version = p_version
        ORDER BY c.name
    )
$$;
-- What a refused call raised: its message and detail.
CREATE FUNCTION pg_temp.detail_of(p_sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v_message text;
    v_detail text;
BEGIN
    EXECUTE p_sql;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_message = MESSAGE_TEXT, v_detail = PG_EXCEPTION_DETAIL;
    RETURN v_message || ': ' || v_detail;
END;
$$;
GRANT EXECUTE ON FUNCTION pg_temp.detail_of(text) TO restartix_app, restartix_system;
CREATE TEMP VIEW counts AS
SELECT (SELECT count(*)::int FROM events.outbox) AS events, (SELECT count(*)::int FROM events.deliveries) AS deliveries;
CREATE TEMP TABLE before AS SELECT * FROM counts;

-- Routes: each type's consumers, matched once -------------------------------------------------
SELECT is(pg_temp.routed('test.ping'), ARRAY['every', 'pings'], 'a type goes to * and to its prefix.*');
SELECT is(pg_temp.routed('test.ping', 2), ARRAY['every', 'pings'], 'every version of a type has its route');
SELECT is(pg_temp.routed('test.pong'), ARRAY['every', 'exact', 'pings'], 'and to the consumers naming it exactly');
SELECT is(pg_temp.routed('membership.added'), ARRAY['every', 'members'], 'catalog types are routed too');
SELECT is(
    (SELECT count(*)::int FROM events.routes), (SELECT count(*)::int FROM events.event_types),
    'one route per catalog (type, version), consumers or not'
);
UPDATE events.consumers SET enabled = false WHERE name = 'pings';
SELECT is(pg_temp.routed('test.ping'), ARRAY['every'], 'a disabled consumer leaves the routes at once');
UPDATE events.consumers SET enabled = true WHERE name = 'pings';
SELECT is(pg_temp.routed('test.ping'), ARRAY['every', 'pings'], 'and comes back when enabled');
SELECT events.register_consumer('exact', ARRAY['test.pong', 'test.ping']);
SELECT is(pg_temp.routed('test.ping'), ARRAY['every', 'exact', 'pings'], 'changing a consumer''s types re-routes');
INSERT INTO events.event_types VALUES ('test.later', 1, 'Added after the consumers.');
SELECT is(pg_temp.routed('test.later'), ARRAY['every', 'pings'], 'a new type is routed when it enters the catalog');
DELETE FROM events.event_types WHERE type = 'test.later';
SELECT is_empty($$SELECT 1 FROM events.routes WHERE type = 'test.later'$$, 'a type leaving the catalog leaves the routes');
SELECT events.register_consumer('doomed', ARRAY['test.ping']);
DELETE FROM events.consumers WHERE name = 'doomed';
SELECT is(pg_temp.routed('test.ping'), ARRAY['every', 'exact', 'pings'], 'a deleted consumer leaves the routes');
SELECT is(
    (SELECT count(*)::int FROM events.routes AS r
     WHERE r.consumer_ids IS DISTINCT FROM (
         SELECT coalesce(array_agg(c.id ORDER BY c.id), '{}') FROM events.consumers AS c
         WHERE c.enabled AND c.types && events.type_patterns(r.type)
     )),
    0,
    'every route equals matching the consumers'' patterns against the type'
);

-- Refused: the rules of publish, for every payload; nothing is published ------------------------
SELECT tests.authenticate_as(pg_temp.id('ana'), pg_temp.id('a'));
SELECT set_config('role', 'restartix_owner', true);  -- as the domain functions publish (the request pool cannot)
SELECT is(
    pg_temp.detail_of($$SELECT events.publish_many('test.ping', ARRAY['{"n": 1}', '[1, 2]']::jsonb [])$$),
    'event_payload_not_object: the payload of an event is a JSON object, not array (payload 2 of 2)',
    'an array among the payloads is refused, and named'
);
SELECT is(
    pg_temp.detail_of($$SELECT events.publish_many('test.ping', ARRAY['{}', '{}', '7']::jsonb [])$$),
    'event_payload_not_object: the payload of an event is a JSON object, not number (payload 3 of 3)',
    'a scalar among the payloads is refused'
);
SELECT is(
    pg_temp.detail_of($$SELECT events.publish_many('test.ping', ARRAY[NULL, '{}']::jsonb [])$$),
    'event_payload_not_object: the payload of an event is a JSON object, not NULL (payload 1 of 2)',
    'a NULL payload is refused'
);
SELECT is(
    pg_temp.detail_of($$SELECT events.publish_many('test.ping', ARRAY['{}'::jsonb, jsonb_build_object('x', repeat('a', 262144))])$$),
    'event_payload_too_large: the payload of an event is at most 262144 bytes of JSON, this one has 262153 (payload 2 of 2)',
    'a payload over 256 KiB is refused'
);
SELECT lives_ok(
    $$SELECT events.publish_many('test.ping', ARRAY['{}'::jsonb, jsonb_build_object('x', repeat('a', 262144 - 9))])$$,
    'a payload of exactly 256 KiB is accepted'
);
SELECT throws_ok(
    $$SELECT events.publish_many('test.nope', ARRAY['{}']::jsonb [])$$, 'P0001', 'event_type_unknown',
    'an unknown type is refused'
);
SELECT throws_ok(
    $$SELECT events.publish_many('test.ping', ARRAY['{}']::jsonb [], 3)$$, 'P0001', 'event_type_unknown',
    'an unknown version is refused'
);
SELECT throws_ok(
    $$SELECT events.publish_many('test.ping', ARRAY['{}']::jsonb [], NULL)$$, 'P0001', 'event_type_unknown',
    'a NULL version is refused'
);
SELECT ok(
    NOT has_function_privilege('restartix_app', 'events.publish_many_for(uuid, text, jsonb [], integer)', 'EXECUTE'),
    'the request pool cannot publish many for an explicit organization'
);
SELECT tests.authenticate_as(pg_temp.id('ana'), pg_temp.id('b'));
SELECT set_config('role', 'restartix_owner', true);  -- as the domain functions publish (the request pool cannot)
SELECT throws_ok(
    $$SELECT events.publish_many('test.ping', ARRAY['{}']::jsonb [])$$, '42501', null,
    'nor publish into an organization it is not a member of'
);
SELECT tests.clear_authentication();
SELECT is(
    (SELECT c.events FROM counts AS c), (SELECT b.events + 2 FROM before AS b),
    'a refused call publishes none of its payloads (only the accepted pair is there)'
);
DELETE FROM events.deliveries;
DELETE FROM events.outbox;
DELETE FROM before;
INSERT INTO before SELECT * FROM counts;

-- Nothing to publish ----------------------------------------------------------------------------
SELECT tests.authenticate_as(pg_temp.id('ana'), pg_temp.id('a'));
SELECT set_config('role', 'restartix_owner', true);  -- as the domain functions publish (the request pool cannot)
SELECT is(events.publish_many('test.ping', '{}'::jsonb []), '{}'::uuid [], 'an empty array publishes nothing');
SELECT is(events.publish_many('test.ping', null), '{}'::uuid [], 'nor does NULL (array_agg over no rows)');
SELECT is(events.publish_many('test.nope', '{}'::jsonb []), '{}'::uuid [], 'nothing to publish is not checked further');
SELECT tests.clear_authentication();
SELECT results_eq('SELECT * FROM counts', 'SELECT * FROM before', 'no event, no delivery');

-- Published: one statement, the array's order, every consumer's delivery -------------------------
SELECT tests.authenticate_as(pg_temp.id('ana'), pg_temp.id('a'));
SELECT set_config('role', 'restartix_owner', true);  -- as the domain functions publish (the request pool cannot)
CREATE TEMP TABLE many AS
SELECT x.id, x.ord FROM unnest(events.publish_many(
    'test.ping', (SELECT array_agg(jsonb_build_object('n', g) ORDER BY g) FROM generate_series(1, 50) AS g)
)) WITH ORDINALITY AS x (id, ord);
SELECT tests.clear_authentication();
GRANT SELECT ON many TO restartix_system;
SELECT is((SELECT count(*)::int FROM many), 50, 'one id per payload');
SELECT is_empty(
    $$SELECT 1 FROM many AS m INNER JOIN events.outbox AS o ON o.id = m.id WHERE (o.payload ->> 'n')::int <> m.ord$$,
    'the ids come back in the order of the payloads'
);
SELECT is(
    (SELECT array_agg((o.payload ->> 'n')::int ORDER BY o.position) FROM events.outbox AS o),
    (SELECT array_agg(g) FROM generate_series(1, 50) AS g),
    'positions follow the array: the organization''s order is the array''s'
);
SELECT results_eq(
    $$SELECT DISTINCT type, version, organization_id, actor_id, actor_type, request_id LIKE 'test-%' FROM events.outbox$$,
    $$SELECT 'test.ping', 1, pg_temp.id('a'), pg_temp.id('ana'), 'human', true$$,
    'the envelope is publish''s: the session''s organization, principal and request'
);
SELECT results_eq(
    $$SELECT c.name, count(*)::int, bool_and(d.lane = pg_temp.id('a')),
             bool_and(d.position = o.position AND d.state = 'pending' AND d.attempts = 0)
      FROM events.deliveries AS d JOIN events.consumers AS c ON c.id = d.consumer_id
      JOIN events.outbox AS o ON o.id = d.event_id GROUP BY c.name ORDER BY c.name$$,
    $$VALUES ('every', 50, true, true), ('exact', 50, true, true), ('pings', 50, true, true)$$,
    'each routed consumer owes every event, in the organization''s lane, as publish writes it'
);

SELECT tests.authenticate_as_system();
SELECT is(
    array_length(events.publish_many_for(null, 'test.pong', ARRAY['{"p": 1}', '{"p": 2}']::jsonb []), 1), 2,
    'the system pool publishes many platform events'
);
SELECT tests.clear_authentication();
SELECT results_eq(
    $$SELECT d.lane, count(*)::int FROM events.deliveries AS d JOIN events.outbox AS o ON o.id = d.event_id
      WHERE o.type = 'test.pong' GROUP BY d.lane$$,
    $$VALUES ('00000000-0000-0000-0000-000000000000'::uuid, 6)$$,
    'platform events share the nil lane, for each of the three consumers of test.pong'
);

-- Delivery is unchanged -------------------------------------------------------------------------
SELECT tests.authenticate_as_system();
CREATE TEMP TABLE got AS SELECT * FROM events.claim('pings', 'w1', 100, 20);
SELECT results_eq(
    $$SELECT (payload ->> 'n')::int, attempt FROM got WHERE organization_id IS NOT NULL ORDER BY event_position$$,
    $$SELECT g, 1 FROM generate_series(1, 20) AS g$$,
    'a consumer is handed the organization''s first events in the array''s order'
);
SELECT ok(
    (SELECT bool_and(events.complete(g.lease_id, g.event_id)) FROM got AS g),
    'and completes them as any other'
);
SELECT results_eq(
    $$SELECT (payload ->> 'n')::int FROM events.claim('pings', 'w1', 100, 40) WHERE organization_id IS NOT NULL ORDER BY event_position$$,
    $$SELECT g FROM generate_series(21, 50) AS g$$,
    'then the rest, in order'
);
SELECT tests.clear_authentication();
SELECT ok(
    NOT has_function_privilege('restartix_app', 'events.publish_many_for(uuid, text, jsonb [], integer)', 'EXECUTE')
    AND NOT has_function_privilege('restartix_app', 'events.publish_many(text, jsonb [], integer)', 'EXECUTE')
    AND NOT has_function_privilege('restartix_app', 'events.refresh_routes()', 'EXECUTE'),
    'the request pool publishes nothing itself: domain functions publish, as the owner'
);

SELECT * FROM finish();
ROLLBACK;
