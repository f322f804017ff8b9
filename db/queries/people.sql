-- name: patients_list
-- The organization's live patients, newest first by default, one keyset page at a time: the
-- rows and their order come from people.patients under its policies (an index range scan on
-- (organization_id, created_at, id)), the profile fields from the sharing gate
-- (people.org_patients), called once per row of the page. The sharing flag and the clinic's
-- own reference filter it when given. Name sorts go through patients_list_by_name.
-- sort: created_at timestamptz
-- key: id uuid
SELECT
    pt.id,
    pt.organization_id,
    pt.patient_profile_id,
    pt.profile_shared,
    pt.consumer_id,
    pt.notes,
    g.has_account,
    g.first_name,
    g.last_name,
    g.phone,
    g.email,
    g.date_of_birth,
    g.sex,
    g.emergency_contact_name,
    g.emergency_contact_phone,
    g.locale,
    g.address_line,
    g.city,
    g.postal_code,
    g.country,
    pt.created_at,
    g.updated_at
FROM people.patients AS pt
CROSS JOIN LATERAL people.org_patients(pt.id) AS g
WHERE
    pt.organization_id = (SELECT iam.current_member_org_id())
    AND (%(shared)s::boolean IS NULL OR pt.profile_shared = %(shared)s::boolean)
    AND (%(consumer_id)s::text IS NULL OR pt.consumer_id = %(consumer_id)s::text);

-- name: patients_list_by_name
-- The organization's live patients sorted by name: names live in the profiles, which only the
-- gate reads, so this sorts the whole gate's output (one call, every patient of the
-- organization) rather than a page of an index. Filters as patients_list.
-- sort: last_name text, first_name text, created_at timestamptz
-- key: id uuid
SELECT p.*
FROM people.org_patients() AS p
WHERE
    (%(shared)s::boolean IS NULL OR p.profile_shared = %(shared)s::boolean)
    AND (%(consumer_id)s::text IS NULL OR p.consumer_id = %(consumer_id)s::text);

-- name: patients_search
-- The organization's live patients whose name, phone or email match the search text,
-- diacritic-folded and typo-tolerant, most relevant first (people.org_patients_search: the
-- match runs inside the gate, on the trigram index of the contact fields). Pages are keyset
-- pages on (rank, id): each page runs the match again and takes the next rows after the
-- cursor's, so the rows of a page are those of one consistent order for this search text.
-- sort: -rank real, last_name text, first_name text, created_at timestamptz
-- key: id uuid
SELECT s.*
FROM people.org_patients_search(%(q)s::text) AS s
WHERE
    (%(shared)s::boolean IS NULL OR s.profile_shared = %(shared)s::boolean)
    AND (%(consumer_id)s::text IS NULL OR s.consumer_id = %(consumer_id)s::text);

-- name: patient_by_id
-- One live patient of the organization through the sharing gate (a primary-key lookup).
SELECT p.* FROM people.org_patients(%(id)s::uuid) AS p;

-- name: patient_create
-- Registers a patient with a new guest profile (patients.manage; counts against patients.max).
SELECT people.create_patient(
    %(first_name)s::text, %(last_name)s::text, %(phone)s::text, %(email)s::text,
    %(consumer_id)s::text, %(notes)s::text
) AS id;

-- name: patient_update
-- Sets the fields named in the JSON object (null clears one) (patients.manage).
SELECT people.update_patient(%(id)s::uuid, %(changes)s::jsonb);

-- name: patient_delete
-- Soft-deletes a patient of the organization (patients.manage).
SELECT people.delete_patient(%(id)s::uuid);

-- name: patient_restore
-- Brings a soft-deleted patient back (patients.manage; patients.max).
SELECT people.restore_patient(%(id)s::uuid);

-- name: caregivers_of_patient
-- The caregivers (active and ended) of one live patient of the organization, newest first.
SELECT
    c.id,
    c.patient_profile_id,
    c.caregiver_human_id,
    c.relationship,
    c.permissions,
    c.starts_at,
    c.ends_at,
    c.created_at
FROM people.patient_caregivers AS c
INNER JOIN people.patients AS pt ON c.patient_profile_id = pt.patient_profile_id
WHERE pt.organization_id = %(org)s::uuid AND pt.id = %(patient)s::uuid
ORDER BY c.created_at DESC, c.id ASC
LIMIT 200;

-- name: caregiver_by_id
-- One caregiver link, as the caller's policies show it.
SELECT
    c.id,
    c.patient_profile_id,
    c.caregiver_human_id,
    c.relationship,
    c.permissions,
    c.starts_at,
    c.ends_at,
    c.created_at
FROM people.patient_caregivers AS c
WHERE c.id = %(id)s::uuid;

-- name: caregiver_add
-- Records a caregiver (an existing human, by email) for a patient (patients.manage).
SELECT people.add_caregiver(
    %(patient)s::uuid, %(email)s::text, %(relationship)s::text, %(permissions)s::text []
) AS id;

-- name: caregiver_end
-- Ends a caregiver's link to a patient (patients.manage).
SELECT people.end_caregiver(%(patient)s::uuid, %(id)s::uuid);

-- name: my_profiles
-- The signed-in human's own profile and those they are an active caregiver of (the
-- policies decide), with how they relate to each.
SELECT
    pp.id,
    pp.human_id = %(principal)s::uuid AS own,
    (
        SELECT c.relationship FROM people.patient_caregivers AS c
        WHERE
            c.patient_profile_id = pp.id
            AND c.caregiver_human_id = %(principal)s::uuid
            AND c.ends_at IS NULL
        ORDER BY c.created_at DESC
        LIMIT 1
    ) AS relationship,
    pp.first_name,
    pp.last_name,
    pp.date_of_birth,
    pp.sex,
    pp.phone,
    pp.email::text AS email,
    pp.emergency_contact_name,
    pp.emergency_contact_phone,
    pp.locale,
    pp.address_line,
    pp.city,
    pp.postal_code,
    pp.country,
    pp.created_at,
    pp.updated_at
FROM people.patient_profiles AS pp
WHERE %(id)s::uuid IS NULL OR pp.id = %(id)s::uuid
ORDER BY pp.human_id = %(principal)s::uuid DESC NULLS LAST, pp.created_at ASC, pp.id ASC
LIMIT 100;

-- name: my_profile_create
-- Creates the signed-in human's own profile, or (with a relationship) one they care for.
SELECT people.create_my_profile(%(fields)s::jsonb, %(relationship)s::text) AS id;

-- name: my_profile_update
-- Changes a profile of the signed-in human's own or one they care for.
SELECT people.update_my_profile(%(id)s::uuid, %(changes)s::jsonb);

-- name: my_patients
-- Where the signed-in human (or someone they care for) is a patient: the organization and
-- the link, never the organization's notes.
SELECT
    pt.id,
    pt.organization_id,
    pt.patient_profile_id,
    pt.profile_shared,
    pt.created_at
FROM people.patients AS pt
ORDER BY pt.created_at, pt.id
LIMIT 200;
