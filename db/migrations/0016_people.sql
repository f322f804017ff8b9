-- People (seed 2.1, 2.2): the person (patient_profiles), the humans who act for a person
-- (patient_caregivers) and the per-organization link (patients) with its sharing flag.
-- Ordinary personal data stays plaintext behind RLS (pii_basic); nothing here is encrypted.
-- The request pool has no write grant on these tables: writes go through the SECURITY
-- DEFINER functions of db/functions/people/, which carry the rules.

CREATE SCHEMA people;
COMMENT ON SCHEMA people IS 'Patient profiles, their caregivers, and the patients of each organization.';
GRANT USAGE ON SCHEMA people TO restartix_app, restartix_system;

CREATE TABLE people.patient_profiles (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    human_id uuid REFERENCES iam.humans (principal_id) ON DELETE SET NULL,
    first_name text NOT NULL,
    last_name text NOT NULL,
    date_of_birth date,
    sex text,
    phone text,
    email citext,
    emergency_contact_name text,
    emergency_contact_phone text,
    locale text,
    address_line text,
    city text,
    postal_code text,
    country text,
    created_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT patient_profiles_first_name_length CHECK (length(btrim(first_name)) BETWEEN 1 AND 100),
    CONSTRAINT patient_profiles_last_name_length CHECK (length(btrim(last_name)) BETWEEN 1 AND 100),
    CONSTRAINT patient_profiles_date_of_birth_valid CHECK (date_of_birth BETWEEN '1900-01-01'::date AND '2200-01-01'::date),
    CONSTRAINT patient_profiles_sex_valid CHECK (sex IN ('female', 'male', 'other', 'unknown')),
    CONSTRAINT patient_profiles_phone_valid CHECK (phone ~ '^\+?[0-9 ().-]{3,32}$'),
    CONSTRAINT patient_profiles_email_valid CHECK (
        length(email) BETWEEN 3 AND 254 AND email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'
    ),
    CONSTRAINT patient_profiles_emergency_contact_name_length CHECK (
        length(btrim(emergency_contact_name)) BETWEEN 1 AND 200
    ),
    CONSTRAINT patient_profiles_emergency_contact_phone_valid CHECK (
        emergency_contact_phone ~ '^\+?[0-9 ().-]{3,32}$'
    ),
    CONSTRAINT patient_profiles_locale_valid CHECK (locale IN ('en', 'ro')),
    CONSTRAINT patient_profiles_address_line_length CHECK (length(address_line) BETWEEN 1 AND 300),
    CONSTRAINT patient_profiles_city_length CHECK (length(city) BETWEEN 1 AND 100),
    CONSTRAINT patient_profiles_postal_code_length CHECK (length(postal_code) BETWEEN 1 AND 20),
    CONSTRAINT patient_profiles_country_valid CHECK (country ~ '^[A-Z]{2}$')
);
COMMENT ON TABLE people.patient_profiles IS
'A person who is (or may become) a patient; owned by their human once they have an account.';
-- A human owns at most one profile of their own (cared-for profiles have no human).
CREATE UNIQUE INDEX patient_profiles_human_key ON people.patient_profiles (human_id)
WHERE human_id IS NOT NULL;

CREATE TABLE people.patient_caregivers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    patient_profile_id uuid NOT NULL REFERENCES people.patient_profiles (id) ON DELETE CASCADE,
    caregiver_human_id uuid NOT NULL REFERENCES iam.humans (principal_id) ON DELETE CASCADE,
    relationship text NOT NULL,
    permissions text [] NOT NULL DEFAULT '{}',
    starts_at timestamptz NOT NULL DEFAULT util.now(),
    ends_at timestamptz,
    created_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    CONSTRAINT patient_caregivers_relationship_valid CHECK (
        relationship IN ('parent', 'guardian', 'spouse', 'child', 'relative', 'other')
    ),
    CONSTRAINT patient_caregivers_permissions_valid CHECK (
        permissions <@ ARRAY['book', 'sign_forms', 'view_records']::text []
    ),
    CONSTRAINT patient_caregivers_period_valid CHECK (ends_at IS NULL OR ends_at >= starts_at)
);
COMMENT ON TABLE people.patient_caregivers IS
'A human acting for a patient profile (a parent for a child), with what they may do and when.';
CREATE INDEX patient_caregivers_profile_idx ON people.patient_caregivers (patient_profile_id);
CREATE INDEX patient_caregivers_human_idx ON people.patient_caregivers (caregiver_human_id);
-- One open link per caregiver and profile.
CREATE UNIQUE INDEX patient_caregivers_open_key ON people.patient_caregivers (patient_profile_id, caregiver_human_id)
WHERE ends_at IS NULL;

CREATE TABLE people.patients (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id) ON DELETE CASCADE,
    patient_profile_id uuid NOT NULL REFERENCES people.patient_profiles (id) ON DELETE CASCADE,
    profile_shared boolean NOT NULL DEFAULT FALSE,
    consumer_id text,
    notes text,
    created_by uuid REFERENCES iam.principals (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT util.now(),
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    deleted_at timestamptz,
    CONSTRAINT patients_consumer_id_length CHECK (length(btrim(consumer_id)) BETWEEN 1 AND 64),
    CONSTRAINT patients_notes_length CHECK (length(notes) <= 4000)
);
COMMENT ON TABLE people.patients IS
'A patient profile registered with one organization; profile_shared opens the rest of the profile to it.';
-- Policies and keyset lists filter on (organization_id, id).
CREATE INDEX patients_org_idx ON people.patients (organization_id, id);
CREATE INDEX patients_org_created_idx ON people.patients (organization_id, created_at, id);
CREATE INDEX patients_profile_idx ON people.patients (patient_profile_id);
-- Unique among live rows only, tenant-scoped.
CREATE UNIQUE INDEX patients_profile_key ON people.patients (organization_id, patient_profile_id)
WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX patients_consumer_id_key ON people.patients (organization_id, consumer_id)
WHERE deleted_at IS NULL AND consumer_id IS NOT NULL;

-- Reads only; every write goes through the people functions.
GRANT SELECT ON people.patient_profiles, people.patient_caregivers, people.patients TO restartix_app;

INSERT INTO iam.permissions (code, description) VALUES
('patients.read', 'See the organization''s patients (the shared part of their profiles).'),
('patients.manage', 'Register, edit, delete and restore patients and their caregivers.');
-- Front desk and clinicians work with patients; the billing role does not.
INSERT INTO iam.role_permissions (role_id, permission_code)
SELECT r.id, p.code
FROM iam.roles AS r
CROSS JOIN (VALUES ('patients.read'), ('patients.manage')) AS p (code)
WHERE r.organization_id IS NULL AND r.code IN ('owner', 'admin', 'specialist', 'receptionist');
