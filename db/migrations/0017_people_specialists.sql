-- Specialists (seed 2.3): the clinicians of an organization, with their specialties and a
-- signature image. A specialist may have no login (human_id NULL); a physiotherapist who
-- works at several clinics has one row in each. Writes go through the SECURITY DEFINER
-- functions of db/functions/people/40_specialists.sql; the request pool only reads.

-- A signature is a stored file of its own purpose. The purpose list grows here; the object
-- key rule (files_object_key_in_org) already builds the key from the purpose.
ALTER TABLE storage.files DROP CONSTRAINT files_purpose_valid;
ALTER TABLE storage.files ADD CONSTRAINT files_purpose_valid CHECK (purpose IN ('logo', 'specialist_signature'));
-- So that a table pointing at a file can name its organization in the same foreign key.
ALTER TABLE storage.files ADD CONSTRAINT files_id_org_key UNIQUE (id, organization_id);

CREATE TABLE people.specialists (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    human_id uuid REFERENCES iam.humans (principal_id) ON DELETE SET NULL,
    display_name text NOT NULL,
    title text,
    bio text,
    scheduling_timezone text NOT NULL DEFAULT 'Europe/Bucharest',
    scheduling_active boolean NOT NULL DEFAULT FALSE,
    signature_file_id uuid,
    created_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    deleted_at timestamptz,
    CONSTRAINT specialists_id_org_key UNIQUE (id, organization_id),
    -- The signature is a file of the same organization (org-inclusive key).
    CONSTRAINT specialists_signature_file_fkey FOREIGN KEY (signature_file_id, organization_id)
    REFERENCES storage.files (id, organization_id),
    CONSTRAINT specialists_display_name_length CHECK (length(btrim(display_name)) BETWEEN 1 AND 200),
    CONSTRAINT specialists_title_length CHECK (length(btrim(title)) BETWEEN 1 AND 100),
    CONSTRAINT specialists_bio_length CHECK (length(bio) <= 4000),
    -- The shape of an IANA name only: whether the zone exists is checked against
    -- pg_timezone_names by the writing functions (a CHECK cannot query).
    CONSTRAINT specialists_scheduling_timezone_format CHECK (scheduling_timezone ~ '^[A-Za-z][A-Za-z0-9_+/-]{0,63}$')
);
COMMENT ON TABLE people.specialists IS
'A clinician of an organization, with or without a login: name, title, bio, scheduling zone and signature.';
-- Policies and keyset lists filter on the organization, then sort by id, name or creation.
CREATE INDEX specialists_org_idx ON people.specialists (organization_id, id);
CREATE INDEX specialists_org_name_idx ON people.specialists (organization_id, display_name, id);
CREATE INDEX specialists_org_created_idx ON people.specialists (organization_id, created_at, id);
CREATE INDEX specialists_org_scheduling_idx ON people.specialists (organization_id, scheduling_active)
WHERE deleted_at IS NULL;
CREATE INDEX specialists_human_idx ON people.specialists (human_id) WHERE human_id IS NOT NULL;
CREATE INDEX specialists_signature_file_idx ON people.specialists (signature_file_id)
WHERE signature_file_id IS NOT NULL;
-- One live specialist row per human and organization.
CREATE UNIQUE INDEX specialists_human_key ON people.specialists (organization_id, human_id)
WHERE deleted_at IS NULL AND human_id IS NOT NULL;

-- The content-translation convention (docs/conventions.md): a `translations` column holds
-- {"<locale>": {"<field>": "<text>"}} for the platform's locales; the base columns hold the
-- organization's default language. Checked in SQL so no writer can store another shape.
CREATE FUNCTION util.translations_valid(p_translations jsonb, p_limits jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE
SET search_path = ''
AS $$
    SELECT pg_catalog.jsonb_typeof(p_translations) = 'object'
       AND NOT EXISTS (
           SELECT 1
           FROM pg_catalog.jsonb_each(p_translations) AS l (locale, fields)
           WHERE l.locale NOT IN ('en', 'ro')
              OR pg_catalog.jsonb_typeof(l.fields) <> 'object'
              OR EXISTS (
                  SELECT 1
                  FROM pg_catalog.jsonb_each(l.fields) AS f (name, value)
                  WHERE NOT (p_limits ? f.name)
                     OR pg_catalog.jsonb_typeof(f.value) <> 'string'
                     OR pg_catalog.length(pg_catalog.btrim(f.value #>> '{}'))
                         NOT BETWEEN 1 AND (p_limits ->> f.name)::integer
              )
       );
$$;
COMMENT ON FUNCTION util.translations_valid(jsonb, jsonb) IS 'Whether a translations value is {locale: {field: text}} with known locales, the given fields and lengths.';
GRANT EXECUTE ON FUNCTION util.translations_valid(jsonb, jsonb) TO restartix_app;

CREATE TABLE people.specialties (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    code text NOT NULL,
    name text NOT NULL,
    translations jsonb NOT NULL DEFAULT '{}',
    created_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT specialties_id_org_key UNIQUE (id, organization_id),
    CONSTRAINT specialties_org_code_key UNIQUE (organization_id, code),
    CONSTRAINT specialties_code_format CHECK (code ~ '^[a-z][a-z0-9_]{1,62}$'),
    CONSTRAINT specialties_name_length CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    -- The content-translation convention (docs/conventions.md): only name is translated here.
    CONSTRAINT specialties_translations_valid CHECK (util.translations_valid(translations, '{"name": 100}'))
);
COMMENT ON TABLE people.specialties IS
'A specialty an organization names (physiotherapy, kinesiology), with its translations.';
CREATE INDEX specialties_org_idx ON people.specialties (organization_id, id);
CREATE INDEX specialties_org_name_idx ON people.specialties (organization_id, name, id);
CREATE INDEX specialties_org_created_idx ON people.specialties (organization_id, created_at, id);

CREATE TABLE people.specialist_specialties (
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    specialist_id uuid NOT NULL,
    specialty_id uuid NOT NULL,
    created_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    PRIMARY KEY (specialist_id, specialty_id),
    -- Both keys name the organization: a specialty of another organization cannot be linked.
    CONSTRAINT specialist_specialties_specialist_fkey FOREIGN KEY (specialist_id, organization_id)
    REFERENCES people.specialists (id, organization_id) ON DELETE CASCADE,
    CONSTRAINT specialist_specialties_specialty_fkey FOREIGN KEY (specialty_id, organization_id)
    REFERENCES people.specialties (id, organization_id) ON DELETE CASCADE
);
COMMENT ON TABLE people.specialist_specialties IS 'Which specialties a specialist practises.';
CREATE INDEX specialist_specialties_org_idx ON people.specialist_specialties (organization_id, specialist_id);
CREATE INDEX specialist_specialties_specialty_idx ON people.specialist_specialties (specialty_id, organization_id);

-- Reads only; every write goes through the people functions.
GRANT SELECT ON people.specialists, people.specialties, people.specialist_specialties TO restartix_app;

INSERT INTO iam.permissions (code, description) VALUES
('specialists.manage', 'Add, edit, delete and restore specialists, their specialties and signatures, and the specialty list.');
INSERT INTO iam.role_permissions (role_id, permission_code)
SELECT
    r.id AS role_id,
    'specialists.manage' AS permission_code
FROM iam.roles AS r
WHERE r.organization_id IS NULL AND r.code IN ('owner', 'admin');

-- The limit enters the catalog with a value per base tier (Dedicated: unlimited); add-ons
-- add nothing to it.
INSERT INTO billing.limit_definitions (code, description, unit, period) VALUES
('specialists.max', 'Live specialists of the organization.', 'specialists', NULL);
INSERT INTO billing.tier_limits (tier_version_id, limit_code, value)
SELECT
    v.id AS tier_version_id,
    'specialists.max' AS limit_code,
    CASE t.code WHEN 'free' THEN 3 WHEN 'pro' THEN 25 END AS value
FROM billing.tier_versions AS v
INNER JOIN billing.tiers AS t ON v.tier_id = t.id
WHERE t.kind = 'base';
-- Existing subscriptions snapshotted their tier version before the limit existed: a limit
-- missing from a snapshot would read as 0, so each snapshot gets its version's value.
INSERT INTO billing.organization_subscription_limits (subscription_id, organization_id, limit_code, value)
SELECT s.id, s.organization_id, tl.limit_code, tl.value
FROM billing.organization_subscriptions AS s
INNER JOIN billing.tier_limits AS tl ON s.tier_version_id = tl.tier_version_id
WHERE tl.limit_code = 'specialists.max'
ON CONFLICT (subscription_id, limit_code) DO NOTHING;
