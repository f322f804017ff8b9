-- name: services_list
-- The organization's live services (catalog.read), optionally only active, bookable or of
-- one modality; a contains-pattern on the name filters it when given.
-- sort: sort_order integer, name text, created_at timestamptz
-- key: id uuid
SELECT
    s.id,
    s.organization_id,
    s.name,
    s.description,
    s.translations,
    s.duration_minutes,
    s.buffer_before_minutes,
    s.buffer_after_minutes,
    s.price_amount,
    s.currency,
    s.modality,
    s.bookable_online,
    s.active,
    s.sort_order,
    s.created_at,
    s.updated_at,
    s.deleted_at
FROM catalog.services AS s
WHERE
    s.deleted_at IS NULL
    AND (%(active)s::boolean IS NULL OR s.active = %(active)s::boolean)
    AND (%(bookable)s::boolean IS NULL OR s.bookable_online = %(bookable)s::boolean)
    AND (%(modality)s::text IS NULL OR s.modality = %(modality)s::text)
    AND (%(pattern)s::text IS NULL OR s.name ILIKE %(pattern)s::text);

-- name: service_by_id
-- One service of the organization as the caller's policies show it (live ones to readers,
-- deleted ones to managers).
SELECT
    s.id,
    s.organization_id,
    s.name,
    s.description,
    s.translations,
    s.duration_minutes,
    s.buffer_before_minutes,
    s.buffer_after_minutes,
    s.price_amount,
    s.currency,
    s.modality,
    s.bookable_online,
    s.active,
    s.sort_order,
    s.created_at,
    s.updated_at,
    s.deleted_at
FROM catalog.services AS s
WHERE s.id = %(id)s::uuid AND s.organization_id = %(org)s::uuid;

-- name: service_create
-- Adds a service from a JSON object of fields (catalog.manage; services.max).
SELECT catalog.create_service(%(fields)s::jsonb) AS id;

-- name: service_update
-- Sets the fields named in the JSON object (catalog.manage).
SELECT catalog.update_service(%(id)s::uuid, %(changes)s::jsonb);

-- name: service_delete
-- Soft-deletes a service (catalog.manage).
SELECT catalog.delete_service(%(id)s::uuid);

-- name: service_restore
-- Brings a soft-deleted service back (catalog.manage; services.max).
SELECT catalog.restore_service(%(id)s::uuid);

-- name: public_services
-- The public booking page: live, active, bookable services of the active organization with
-- this slug, public fields only (system pool, security definer).
SELECT
    p.id::text AS id,
    p.name,
    p.description,
    p.translations,
    p.duration_minutes,
    p.price_amount,
    p.currency,
    p.modality
FROM catalog.public_services(%(slug)s::text) AS p;

-- name: public_org_id
-- The active organization with this slug, to index the cached listing under it.
SELECT r.id::text AS id FROM tenancy.resolve_org_by_slug(%(slug)s::text) AS r;

-- name: plans_list
-- The organization's live service plans with their current version's terms (catalog.read),
-- optionally of one type or only those on sale.
-- sort: sort_order integer, name text, created_at timestamptz
-- key: id uuid
SELECT
    p.id,
    p.organization_id,
    p.plan_type,
    p.active,
    p.sort_order,
    p.current_version,
    v.id AS current_version_id,
    v.name,
    v.description,
    v.translations,
    v.price_amount,
    v.currency,
    v.validity_days,
    v.sessions_total,
    v.period,
    v.sessions_per_period,
    v.renews,
    v.telerehab_access,
    v.library_access,
    v.treatment_plan_assignments_total,
    p.created_at,
    p.updated_at
FROM catalog.service_plans AS p
INNER JOIN catalog.service_plan_versions AS v
    ON p.id = v.service_plan_id AND p.current_version = v.version
WHERE
    (%(plan_type)s::text IS NULL OR p.plan_type = %(plan_type)s::text)
    AND (%(active)s::boolean IS NULL OR p.active = %(active)s::boolean);

-- name: plan_by_id
-- One live plan of the organization with its current version's terms.
SELECT
    p.id,
    p.organization_id,
    p.plan_type,
    p.active,
    p.sort_order,
    p.current_version,
    v.id AS current_version_id,
    v.name,
    v.description,
    v.translations,
    v.price_amount,
    v.currency,
    v.validity_days,
    v.sessions_total,
    v.period,
    v.sessions_per_period,
    v.renews,
    v.telerehab_access,
    v.library_access,
    v.treatment_plan_assignments_total,
    p.created_at,
    p.updated_at
FROM catalog.service_plans AS p
INNER JOIN catalog.service_plan_versions AS v
    ON p.id = v.service_plan_id AND p.current_version = v.version
WHERE p.id = %(id)s::uuid AND p.organization_id = %(org)s::uuid;

-- name: plan_versions
-- Every version of one plan of the organization, newest first, with the services it covers
-- and the products it bundles.
SELECT
    v.id,
    v.service_plan_id,
    v.plan_type,
    v.version,
    v.name,
    v.description,
    v.translations,
    v.price_amount,
    v.currency,
    v.validity_days,
    v.sessions_total,
    v.period,
    v.sessions_per_period,
    v.renews,
    v.telerehab_access,
    v.library_access,
    v.treatment_plan_assignments_total,
    v.published_at,
    coalesce((
        SELECT array_agg(ps.service_id ORDER BY ps.service_id)
        FROM catalog.service_plan_services AS ps
        WHERE ps.service_plan_version_id = v.id
    ), '{}') AS service_ids,
    coalesce((
        SELECT jsonb_agg(jsonb_build_object('product_id', pp.product_id, 'quantity', pp.quantity) ORDER BY pp.product_id)
        FROM catalog.service_plan_products AS pp
        WHERE pp.service_plan_version_id = v.id
    ), '[]') AS products
FROM catalog.service_plan_versions AS v
INNER JOIN catalog.service_plans AS p ON v.service_plan_id = p.id
WHERE
    p.id = %(id)s::uuid
    AND p.organization_id = %(org)s::uuid
    AND (%(version)s::integer IS NULL OR v.version = %(version)s::integer)
ORDER BY v.version DESC
LIMIT 200;

-- name: plan_create
-- Creates a plan and publishes its version 1 (catalog.manage; service_plans.max).
SELECT catalog.create_plan(%(plan_type)s::text, %(terms)s::jsonb, %(sort_order)s::integer) AS id;

-- name: plan_publish
-- Publishes new terms of a plan as its next version (catalog.manage).
SELECT catalog.publish_plan_version(%(id)s::uuid, %(terms)s::jsonb) AS id;

-- name: plan_update
-- Puts a plan on or off sale, or moves it in the list (catalog.manage).
SELECT catalog.update_plan(%(id)s::uuid, %(changes)s::jsonb);

-- name: plan_delete
-- Soft-deletes a plan; its enrollments go on (catalog.manage).
SELECT catalog.delete_plan(%(id)s::uuid);

-- name: patient_is_visible
-- Whether the live patient is one the caller may read (the people policies decide).
SELECT count(*) > 0 AS visible
FROM people.patients AS pt
WHERE pt.id = %(patient)s::uuid AND pt.organization_id = %(org)s::uuid;

-- name: enrollments_of_patient
-- A patient's enrollments in the organization (patients.read and catalog.read), newest
-- first, with the derived state and the plan version's name.
-- sort: -created_at timestamptz
-- key: id uuid
SELECT
    e.id,
    e.organization_id,
    e.patient_id,
    e.service_plan_id,
    e.service_plan_version_id,
    v.version,
    v.name,
    e.plan_type,
    e.status,
    catalog.enrollment_state(e.status, e.period_start, e.period_end) AS state,
    e.period_start,
    e.period_end,
    e.sessions_total,
    e.sessions_used,
    e.sessions_total - e.sessions_used AS sessions_remaining,
    e.assignments_total,
    e.assignments_used,
    e.price_amount,
    e.currency,
    e.source_tier_subscription_id,
    e.revoked_at,
    e.revoke_reason,
    e.created_at
FROM catalog.patient_service_plans AS e
INNER JOIN catalog.service_plan_versions AS v ON e.service_plan_version_id = v.id
WHERE
    e.patient_id = %(patient)s::uuid
    AND (%(state)s::text IS NULL OR catalog.enrollment_state(e.status, e.period_start, e.period_end) = %(state)s::text);

-- name: enrollment_by_id
-- One enrollment of a patient of the organization.
SELECT
    e.id,
    e.organization_id,
    e.patient_id,
    e.service_plan_id,
    e.service_plan_version_id,
    v.version,
    v.name,
    e.plan_type,
    e.status,
    catalog.enrollment_state(e.status, e.period_start, e.period_end) AS state,
    e.period_start,
    e.period_end,
    e.sessions_total,
    e.sessions_used,
    e.sessions_total - e.sessions_used AS sessions_remaining,
    e.assignments_total,
    e.assignments_used,
    e.price_amount,
    e.currency,
    e.source_tier_subscription_id,
    e.revoked_at,
    e.revoke_reason,
    e.created_at
FROM catalog.patient_service_plans AS e
INNER JOIN catalog.service_plan_versions AS v ON e.service_plan_version_id = v.id
WHERE e.id = %(id)s::uuid AND e.patient_id = %(patient)s::uuid AND e.organization_id = %(org)s::uuid;

-- name: enrollment_create
-- Enrolls a patient in a plan's current version (plans.enroll).
SELECT catalog.enroll_patient(%(patient)s::uuid, %(plan)s::uuid, %(starts_at)s::timestamptz) AS id;

-- name: enrollment_revoke
-- Revokes an enrollment (catalog.manage).
SELECT catalog.revoke_enrollment(%(id)s::uuid, %(reason)s::text);

-- name: enrollment_consume
-- Uses one session of an enrollment for an appointment (plans.enroll; idempotent).
SELECT c.consumption_id, c.sessions_used, c.sessions_remaining, c.status, c.replayed
FROM catalog.consume_session(%(id)s::uuid, %(appointment)s::uuid) AS c;

-- name: consumptions_of_enrollment
-- The sessions an enrollment used, newest first.
-- sort: -consumed_at timestamptz
-- key: id uuid
SELECT
    c.id,
    c.patient_service_plan_id,
    c.appointment_id,
    c.consumed_by,
    c.consumed_at
FROM catalog.plan_consumptions AS c
WHERE c.patient_service_plan_id = %(enrollment)s::uuid;

-- name: my_plans
-- The signed-in human's enrollments (own and cared-for profiles) in every organization.
SELECT
    p.id,
    p.organization_id,
    p.patient_id,
    p.patient_profile_id,
    p.service_plan_id,
    p.service_plan_version_id,
    p.plan_type,
    p.name,
    p.translations,
    p.state,
    p.period_start,
    p.period_end,
    p.sessions_total,
    p.sessions_used,
    p.sessions_remaining,
    p.assignments_total,
    p.assignments_used,
    p.telerehab_access,
    p.library_access
FROM catalog.my_plans() AS p;

-- name: products_list
-- The organization's live products (catalog.read); a contains-pattern on name or SKU.
-- sort: name text, sku text, created_at timestamptz
-- key: id uuid
SELECT
    p.id,
    p.organization_id,
    p.name,
    p.description,
    p.sku,
    p.price_amount,
    p.currency,
    p.active,
    p.created_at,
    p.updated_at
FROM catalog.products AS p
WHERE
    (%(active)s::boolean IS NULL OR p.active = %(active)s::boolean)
    AND (%(pattern)s::text IS NULL OR p.name ILIKE %(pattern)s::text OR p.sku ILIKE %(pattern)s::text);

-- name: product_by_id
-- One live product of the organization.
SELECT
    p.id,
    p.organization_id,
    p.name,
    p.description,
    p.sku,
    p.price_amount,
    p.currency,
    p.active,
    p.created_at,
    p.updated_at
FROM catalog.products AS p
WHERE p.id = %(id)s::uuid AND p.organization_id = %(org)s::uuid;

-- name: product_save
-- Creates a product (id NULL) or sets the named fields of one (catalog.manage).
SELECT catalog.save_product(%(id)s::uuid, %(fields)s::jsonb) AS id;

-- name: product_delete
-- Soft-deletes a product (catalog.manage).
SELECT catalog.delete_product(%(id)s::uuid);

-- name: service_specialists
-- The live specialists who perform a service (catalog.read); a deleted specialist is left
-- out by the specialists' own policy and filter.
SELECT
    sp.id AS specialist_id,
    sp.display_name,
    sp.title
FROM catalog.service_specialists AS ss
INNER JOIN people.specialists AS sp ON ss.specialist_id = sp.id
WHERE
    ss.service_id = %(id)s::uuid
    AND ss.organization_id = %(org)s::uuid
    AND sp.deleted_at IS NULL
ORDER BY sp.display_name, sp.id;

-- name: service_specialists_set
-- Replaces the specialists of a live service (catalog.manage).
SELECT catalog.set_service_specialists(%(id)s::uuid, %(specialists)s::uuid []);

-- name: tier_newest_version
-- The newest version number of a patient tier the caller may read, or no row.
SELECT max(v.version) AS version
FROM billing.patient_tiers AS t
INNER JOIN billing.patient_tier_versions AS v ON t.id = v.patient_tier_id
WHERE t.id = %(id)s::uuid AND t.organization_id = %(org)s::uuid
GROUP BY t.id;

-- name: tier_inclusions
-- The plans the newest version of a patient tier includes, with their quantity.
SELECT
    i.service_plan_id,
    p.plan_type,
    i.quantity,
    v.version
FROM billing.patient_tier_versions AS v
INNER JOIN catalog.patient_tier_inclusions AS i ON v.id = i.patient_tier_version_id
INNER JOIN catalog.service_plans AS p ON i.service_plan_id = p.id
WHERE
    v.patient_tier_id = %(id)s::uuid
    AND v.organization_id = %(org)s::uuid
    AND v.version = %(version)s::integer
ORDER BY i.service_plan_id;

-- name: tier_inclusions_set
-- Publishes a new version of a patient tier with these inclusions (patient_tiers.manage).
SELECT catalog.set_tier_inclusions(%(id)s::uuid, %(inclusions)s::jsonb) AS version;

-- name: attachment_upload_begin
-- Records an attachment upload grant for a live service (catalog.manage); the pending file id.
SELECT catalog.begin_attachment_upload(
    %(service)s::uuid, %(object_key)s::text, %(declared_mime)s::text, %(expires_at)s::timestamptz
) AS id;

-- name: attachment_attach
-- Attaches a checked attachment file to a live service (catalog.manage).
SELECT catalog.attach_file(%(service)s::uuid, %(file)s::uuid);

-- name: attachment_remove
-- Detaches and retires a service's attachment (catalog.manage).
SELECT catalog.remove_attachment(%(service)s::uuid, %(file)s::uuid);

-- name: attachments_of_service
-- The checked files attached to a live service (catalog readers).
SELECT f.* FROM catalog.service_attachment_files(%(service)s::uuid) AS f;

-- name: renew_memberships
-- Gives up to `batch` bought memberships that renew and whose period ended their next
-- period's enrollment (system pool).
SELECT catalog.renew_memberships(%(batch)s::integer) AS renewed;
