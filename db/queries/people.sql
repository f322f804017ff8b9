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

-- name: patient_subscription
-- A patient's active subscription with its tier (none when it has none); raises
-- patient_not_found unless the caller may read the patient (its clinic's readers, the person).
SELECT
    s.id,
    s.patient_id,
    s.patient_tier_id,
    s.tier_code,
    s.tier_name,
    s.version,
    s.status,
    s.started_at,
    s.current_period_start,
    s.current_period_end
FROM people.patient_subscription(%(id)s::uuid) AS s;

-- name: patient_subscription_values
-- A patient's effective perks and limits (snapshot corrected by live overrides), with sources.
SELECT
    v.kind,
    v.code,
    v.enabled,
    v.value,
    v.source
FROM people.patient_effective_values(%(id)s::uuid) AS v;

-- name: patient_subscription_overrides
-- The live overrides of one patient of the organization, newest first (RLS: patient readers).
SELECT
    o.id,
    o.entitlement_code,
    o.limit_code,
    o.enabled,
    o.value,
    o.reason,
    o.granted_by,
    o.expires_at,
    o.created_at
FROM people.patient_subscription_overrides AS o
WHERE
    o.organization_id = %(org)s::uuid
    AND o.patient_id = %(id)s::uuid
    AND o.revoked_at IS NULL
    AND (o.expires_at IS NULL OR o.expires_at > util.now())
ORDER BY o.created_at DESC, o.id ASC
LIMIT 100;

-- name: patient_tier_change
-- Moves a patient to the newest version of a patient tier, by code (patients.manage).
SELECT people.change_patient_tier(%(id)s::uuid, %(tier)s::text) AS id;

-- name: patient_subscription_end
-- Ends a patient's active subscription (patients.manage).
SELECT people.end_patient_subscription(%(id)s::uuid);

-- name: patient_override_grant
-- Overrides one perk or limit of a patient, with a reason and optional expiry (patients.manage).
SELECT people.grant_patient_override(
    %(id)s::uuid, %(entitlement)s::text, %(limit_code)s::text, %(enabled)s::boolean,
    %(value)s::bigint, %(reason)s::text, %(expires_at)s::timestamptz
) AS id;

-- name: patient_override_revoke
-- Revokes an override of a patient before its expiry (patients.manage).
SELECT people.revoke_patient_override(%(id)s::uuid, %(override)s::uuid);

-- name: portal_onboard
-- The signed-in human becomes a patient of the clinic a host or slug names: profile, patient
-- row and default-tier subscription in one transaction (people.onboard).
SELECT
    o.patient_id,
    o.organization_id,
    o.patient_profile_id,
    o.patient_subscription_id,
    o.created,
    o.claimed
FROM people.onboard(%(host)s::text, %(slug)s::text, %(fields)s::jsonb) AS o;

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
-- Where the signed-in human (or someone they care for) is a patient: the organization, the
-- link and the tier they are on, never the organization's notes.
SELECT
    pt.id,
    pt.organization_id,
    pt.patient_profile_id,
    pt.profile_shared,
    s.tier_code,
    s.tier_name,
    pt.created_at
FROM people.patients AS pt
LEFT JOIN LATERAL people.patient_subscription(pt.id) AS s ON TRUE
ORDER BY pt.created_at, pt.id
LIMIT 200;

-- name: specialists_list
-- The organization's live specialists (the policies: members of the organization, platform
-- staff), with their specialty ids; filtered by scheduling, specialty or login when given,
-- and by id for one specialist.
-- sort: display_name text, created_at timestamptz
-- key: id uuid
SELECT
    s.id,
    s.organization_id,
    s.human_id,
    s.display_name,
    s.title,
    s.bio,
    s.scheduling_timezone,
    s.scheduling_active,
    s.signature_file_id IS NOT NULL AS has_signature,
    array(
        SELECT ss.specialty_id FROM people.specialist_specialties AS ss
        WHERE ss.specialist_id = s.id
        ORDER BY ss.specialty_id
    ) AS specialty_ids,
    s.created_at,
    s.updated_at
FROM people.specialists AS s
WHERE
    s.organization_id = %(org)s::uuid
    AND s.deleted_at IS NULL
    AND (%(id)s::uuid IS NULL OR s.id = %(id)s::uuid)
    AND (%(active)s::boolean IS NULL OR s.scheduling_active = %(active)s::boolean)
    AND (%(human)s::uuid IS NULL OR s.human_id = %(human)s::uuid)
    AND (
        %(specialty)s::uuid IS NULL
        OR EXISTS (
            SELECT 1 FROM people.specialist_specialties AS f
            WHERE f.specialist_id = s.id AND f.specialty_id = %(specialty)s::uuid
        )
    );

-- name: specialist_create
-- Adds a specialist (specialists.manage; counts against specialists.max).
SELECT people.create_specialist(
    %(display_name)s::text, %(title)s::text, %(bio)s::text, %(scheduling_timezone)s::text,
    %(scheduling_active)s::boolean, %(human_id)s::uuid
) AS id;

-- name: specialist_update
-- Sets the fields named in the JSON object (null clears title, bio or the login link).
SELECT people.update_specialist(%(id)s::uuid, %(changes)s::jsonb);

-- name: specialist_delete
-- Soft-deletes a specialist of the organization (specialists.manage).
SELECT people.delete_specialist(%(id)s::uuid);

-- name: specialist_restore
-- Brings a soft-deleted specialist back (specialists.manage; specialists.max).
SELECT people.restore_specialist(%(id)s::uuid);

-- name: specialist_specialties_set
-- Replaces a specialist's specialties with this set of the organization's own.
SELECT people.set_specialist_specialties(%(id)s::uuid, %(specialty_ids)s::uuid []);

-- name: signature_upload_begin
-- Records a signature upload grant for a live specialist (specialists.manage) and returns
-- the pending file's id.
SELECT people.begin_signature_upload(
    %(specialist)s::uuid, %(object_key)s::text, %(declared_mime)s::text, %(expires_at)s::timestamptz
) AS id;

-- name: signature_set
-- Makes a checked signature file the specialist's signature, retiring the previous one.
SELECT people.set_specialist_signature(%(specialist)s::uuid, %(file)s::uuid);

-- name: signature_remove
-- Removes a specialist's signature (the sweep removes its bytes).
SELECT people.remove_specialist_signature(%(specialist)s::uuid);

-- name: signature_of_specialist
-- A live specialist's signature file, for managers and the specialist themselves.
SELECT f.* FROM people.specialist_signature(%(specialist)s::uuid) AS f;

-- name: specialties_list
-- The organization's specialties with their translations (one of them, given an id).
-- sort: name text, code text, created_at timestamptz
-- key: id uuid
SELECT
    sp.id,
    sp.organization_id,
    sp.code,
    sp.name,
    sp.translations,
    sp.created_at,
    sp.updated_at
FROM people.specialties AS sp
WHERE sp.organization_id = %(org)s::uuid AND (%(id)s::uuid IS NULL OR sp.id = %(id)s::uuid);

-- name: specialty_create
-- Adds a specialty to the organization's list (specialists.manage).
SELECT people.create_specialty(%(code)s::text, %(name)s::text, %(translations)s::jsonb) AS id;

-- name: specialty_update
-- Changes a specialty's code, name or translations (specialists.manage).
SELECT people.update_specialty(%(id)s::uuid, %(changes)s::jsonb);

-- name: specialty_delete
-- Deletes a specialty and its links to specialists (specialists.manage).
SELECT people.delete_specialty(%(id)s::uuid);

-- name: roll_subscription_periods
-- Moves up to `batch` active patient subscriptions whose period ended to the period containing
-- now (system pool); the catalog's provisioning hook grants the new period's enrollments.
SELECT people.roll_subscription_periods(%(batch)s::integer) AS rolled;
