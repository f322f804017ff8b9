-- Patient search for Romanian clinics: diacritics folded (comma-below and cedilla ș/ț alike),
-- typos tolerated and ranked, phones typed any way, email fragments; only the current
-- organization's live patients, only their contact fields; the trigram index serves it.
BEGIN;
SELECT plan(42);

SELECT tests.create_org('clinic-a') AS org_a \gset
SELECT tests.create_org('clinic-b') AS org_b \gset
SELECT tests.create_human('spec-a@a.test') AS spec_a \gset
SELECT tests.create_human('spec-b@b.test') AS spec_b \gset
SELECT tests.create_human('bill-a@a.test') AS bill_a \gset
SELECT tests.add_member(:'org_a', :'spec_a', 'specialist') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_b', :'spec_b', 'specialist') IS NOT NULL AS added \gset
SELECT tests.add_member(:'org_a', :'bill_a', 'billing') IS NOT NULL AS added \gset

CREATE TEMP TABLE people_seed (
    tag text PRIMARY KEY, org uuid, first_name text, last_name text, phone text, email text,
    shared boolean DEFAULT FALSE, deleted boolean DEFAULT FALSE, city text, emergency text
);
INSERT INTO people_seed (tag, org, first_name, last_name, phone, email, shared, deleted, city, emergency) VALUES
-- "Ștefănescu" spelt with the comma-below letters (U+0218, U+0103) and with the cedilla ones (U+015E).
('maria', :'org_a', 'Maria', 'Ștefănescu', '+40 722 000 001', 'maria.stefanescu@clinic.test', FALSE, FALSE, NULL, NULL),
('ion_st', :'org_a', 'Ion', 'ŞTEFĂNESCU', '0733 111 222', NULL, FALSE, FALSE, NULL, NULL),
('ionut', :'org_a', 'Ionuț', 'Popa', NULL, 'ipopa@mail.test', FALSE, FALSE, NULL, NULL),
('ion', :'org_a', 'Ion', 'Stan', NULL, NULL, FALSE, FALSE, NULL, NULL),
('ionescu', :'org_a', 'Vlad', 'Ionescu', NULL, NULL, FALSE, FALSE, NULL, NULL),
('stefan', :'org_a', 'Ștefan', 'Dobre', NULL, NULL, FALSE, FALSE, NULL, NULL),
('gone', :'org_a', 'Elena', 'Ștefănescu', '+40 744 999 999', NULL, FALSE, TRUE, NULL, NULL),
-- Words only in the shared-only part of profiles (one shared, one not): never searchable.
('hidden', :'org_a', 'Ana', 'Pop', NULL, NULL, FALSE, FALSE, 'Zalău', 'Zamfirescu Ion'),
('opened', :'org_a', 'Eva', 'Ene', NULL, NULL, TRUE, FALSE, 'Zalău', 'Zamfirescu Ion'),
-- Clinic B spells its patient exactly as clinic A's typo below.
('b_typo', :'org_b', 'Maria', 'Stefenescu', '+40 722 000 001', NULL, FALSE, FALSE, NULL, NULL);
-- And ten more of them: enough that B's own search for that spelling never goes fuzzy, which
-- must change nothing for A (whether A gets typo matches is decided on A's patients alone).
INSERT INTO people_seed (tag, org, first_name, last_name)
SELECT 'b_more_' || i AS tag, :'org_b' AS org, 'Ana' || repeat('a', i) AS first_name, 'Stefenescu' AS last_name FROM generate_series(1, 10) AS i;

ALTER TABLE people_seed ADD COLUMN profile uuid NOT NULL DEFAULT gen_random_uuid();
INSERT INTO people.patient_profiles (id, first_name, last_name, phone, email, city, emergency_contact_name)
SELECT profile, first_name, last_name, phone, email, city, emergency FROM people_seed;
INSERT INTO people.patients (organization_id, patient_profile_id, profile_shared, deleted_at)
SELECT org, profile, shared, CASE WHEN deleted THEN now() END AS deleted_at FROM people_seed;
CREATE TEMP TABLE seeded AS
SELECT
    s.tag,
    pt.id
FROM people_seed AS s INNER JOIN people.patients AS pt ON s.profile = pt.patient_profile_id;
GRANT SELECT ON seeded TO restartix_app;

-- What a search returns, as seed tags in relevance order.
CREATE FUNCTION pg_temp.found(p_q text) RETURNS text []
LANGUAGE sql AS $$
    SELECT coalesce(array_agg(s.tag ORDER BY r.rank DESC, s.tag), '{}')
    FROM people.org_patients_search(p_q) AS r INNER JOIN seeded AS s ON s.id = r.id
$$;

CREATE FUNCTION pg_temp.explain(p_sql text) RETURNS SETOF text
LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE 'EXPLAIN ' || p_sql;
END;
$$;

SELECT tests.authenticate_as(:'spec_a', :'org_a');

-- Diacritics.
-- (Ștefan Dobre comes after them: a fuzzy match on "stefan", ranked below the exact ones.)
SELECT is((pg_temp.found('stefanescu'))[1:2], ARRAY['ion_st', 'maria'],
    '"stefanescu" finds Ștefănescu (comma-below) and ŞTEFĂNESCU (cedilla) first');
SELECT ok(NOT ('gone' = any(pg_temp.found('stefanescu'))), 'a deleted Ștefănescu is never found');
SELECT is((pg_temp.found('Ştefănescu'))[1:2], ARRAY['ion_st', 'maria'],
    'a cedilla query finds the comma-below spelling too');
SELECT is((pg_temp.found('ȘTEFĂNESCU'))[1:2], ARRAY['ion_st', 'maria'],
    'an upper-case comma-below query finds both');
SELECT is((pg_temp.found('ionut'))[1], 'ionut', '"ionut" finds Ionuț');
SELECT is((pg_temp.found('Ionuţ'))[1], 'ionut', '"Ionuţ" with a cedilla finds Ionuț');

-- Relevance.
SELECT is((pg_temp.found('ion'))[1:2], ARRAY['ion', 'ion_st'], '"ion": the patients named Ion come first');
SELECT ok(
    array_position(pg_temp.found('ion'), 'ion') < array_position(pg_temp.found('ion'), 'ionescu'),
    '"ion": Ion Stan ranks above Vlad Ionescu'
);
SELECT ok((pg_temp.found('stefenescu'))[1] IN ('maria', 'ion_st'), 'a one-letter typo still ranks a Ștefănescu first');
SELECT ok(NOT ('stefan' = any(pg_temp.found('stefenescu'))), 'the typo does not bring in Ștefan Dobre');
SELECT is((pg_temp.found('maria stefenescu'))[1], 'maria', 'a typo in a full name ranks that patient first');
SELECT is((pg_temp.found('stefanescu maria'))[1], 'maria', 'words in either order');
SELECT is((pg_temp.found('stefanscu'))[1:2], ARRAY['ion_st', 'maria'], 'a dropped letter still finds both');

-- Phones, typed any way.
SELECT is(pg_temp.found('0722 000 001'), ARRAY['maria'], 'a phone with the leading 0');
SELECT is(pg_temp.found('+40722000001'), ARRAY['maria'], 'a phone with +40, no spaces');
SELECT is(pg_temp.found('0040 722 000 001'), ARRAY['maria'], 'a phone with 0040');
SELECT is(pg_temp.found('722-000-001'), ARRAY['maria'], 'a phone without a prefix, with dashes');
SELECT is(pg_temp.found('000 001'), ARRAY['maria'], 'a fragment of a phone');
SELECT is(pg_temp.found('+40 733 111 222'), ARRAY['ion_st'], 'a phone stored nationally, searched internationally');
SELECT is(pg_temp.found('+40 744 999 999'), '{}'::text [], 'a deleted patient''s phone finds nothing');

-- Email fragments.
SELECT is(pg_temp.found('maria.stef'), ARRAY['maria'], 'the start of an email');
SELECT is(pg_temp.found('clinic.test'), ARRAY['maria'], 'the domain of an email');

-- Only contact fields: what only the shared part of a profile holds is never matched.
SELECT is(pg_temp.found('zamfirescu'), '{}'::text [], 'an emergency contact''s name is not searchable, shared or not');
SELECT is(pg_temp.found('zalau'), '{}'::text [], 'a city is not searchable, shared or not');

-- LIKE wildcards in the search text are taken literally.
SELECT is(pg_temp.found('%%%'), '{}'::text [], '"%%%" matches nothing rather than everyone');
SELECT is(pg_temp.found('___'), '{}'::text [], '"___" matches nothing rather than everyone');

-- Bad search text.
SELECT throws_ok($$SELECT people.org_patients_search('ab')$$, 'P0001', 'invalid_search', 'fewer than 3 letters is refused');
SELECT throws_ok($$SELECT people.org_patients_search('  ș ')$$, 'P0001', 'invalid_search', 'blank or 1 letter is refused');
SELECT throws_ok(format('SELECT people.org_patients_search(%L)', repeat('a', 201)), 'P0001', 'invalid_search', 'over 200 characters is refused');
SELECT throws_ok($$SELECT people.org_patients_search(NULL)$$, 'P0001', 'invalid_search', 'NULL is refused');

-- The other organization: its patient matches the typo exactly, and is still never A's.
SELECT ok(NOT ('b_typo' = any(pg_temp.found('stefenescu'))), 'A never sees B''s patient, even the better match');
SELECT ok(NOT ('b_typo' = any(pg_temp.found('0722 000 001'))), 'nor by B''s patient''s phone');
SELECT tests.authenticate_as(:'spec_b', :'org_b');
SELECT is((pg_temp.found('maria stefenescu'))[1], 'b_typo', 'B finds its own patient first');
SELECT is(
    (SELECT count(*)::int FROM unnest(pg_temp.found('stefenescu')) AS t WHERE t NOT LIKE 'b\_%'), 0,
    'and only its own patients'
);
SELECT is(pg_temp.found('ionut'), '{}'::text [], 'B finds none of A''s patients');

-- A member without patients.read finds nobody; the internal view is nobody's to read.
SELECT tests.authenticate_as(:'bill_a', :'org_a');
SELECT is(pg_temp.found('stefanescu'), '{}'::text [], 'a member without patients.read finds nobody');
SELECT throws_ok($$SELECT count(*) FROM people.patient_gate$$, '42501', NULL, 'the request pool cannot read the gate''s view directly');

-- Typos are looked for only when the text as typed finds fewer than 10 of the clinic's
-- patients: ten Moldovans keep a Moldovean out of a search for "moldovan"; a search for
-- "moldovean" finds one as typed, so it looks for similar spellings too.
SELECT tests.clear_authentication();
INSERT INTO people.patient_profiles (id, first_name, last_name)
SELECT
    gen_random_uuid() AS id,
    'Radu' || repeat('x', i) AS first_name,
    CASE WHEN i = 0 THEN 'Moldovean' ELSE 'Moldovan' END AS last_name
FROM generate_series(0, 10) AS i;
INSERT INTO people.patients (organization_id, patient_profile_id)
SELECT :'org_a' AS organization_id, pp.id AS patient_profile_id
FROM people.patient_profiles AS pp WHERE pp.last_name IN ('Moldovan', 'Moldovean');
INSERT INTO seeded
SELECT lower(pp.last_name) || '_' || length(pp.first_name) AS tag, pt.id
FROM people.patients AS pt INNER JOIN people.patient_profiles AS pp ON pt.patient_profile_id = pp.id
WHERE pp.last_name IN ('Moldovan', 'Moldovean');
SELECT tests.authenticate_as(:'spec_a', :'org_a');
SELECT is(
    (SELECT count(*)::int FROM unnest(pg_temp.found('moldovan')) AS t WHERE t LIKE 'moldovan\_%'), 10,
    'ten patients found as typed'
);
SELECT ok(NOT ('moldovean_4' = any(pg_temp.found('moldovan'))), 'so no similar spelling is added');
SELECT is((pg_temp.found('moldovean'))[1], 'moldovean_4', 'the one found as typed comes first');
SELECT is(cardinality(pg_temp.found('moldovean')), 11, 'and with one found, similar spellings follow');

-- The trigram index on the folded contact fields serves both search predicates.
SELECT tests.clear_authentication();
SET LOCAL enable_seqscan = off;
SELECT ok(
    (
        SELECT string_agg(line, ' ') FROM (
            SELECT * FROM pg_temp.explain($$
                SELECT id FROM people.patient_profiles
                WHERE search_text LIKE '%stefanescu%' OR 'stefanescu' OPERATOR(public.<%) search_text
            $$)
        ) AS e (line)
    ) LIKE '%Bitmap Index Scan on patient_profiles_search_idx%',
    'the search predicates are answered from patient_profiles_search_idx'
);

SELECT * FROM finish();
ROLLBACK;
