-- name: current_tier
-- The code of the organization's current base tier (NULL when it has none).
SELECT t.code
FROM billing.organization_billing AS b
INNER JOIN billing.tiers AS t ON b.current_tier_id = t.id
WHERE b.organization_id = %(org)s::uuid;

-- name: entitlements_effective
-- The organization's effective entitlements with their scope and where each came from.
SELECT
    e.code,
    c.scope,
    e.enabled,
    e.source
FROM billing.effective_entitlements(%(org)s::uuid) AS e
INNER JOIN billing.entitlements AS c ON e.code = c.code
ORDER BY c.scope, e.code;

-- name: limits_effective
-- Every limit of the organization, its source, and its usage where something measures it
-- (members, patients, or a meter counting against it).
SELECT
    d.code,
    l.value,
    l.source,
    CASE
        WHEN
            d.code IN ('members.max', 'patients.max')
            OR EXISTS (SELECT 1 FROM metering.meters AS m WHERE m.limit_code = d.code)
            THEN billing.limit_usage(%(org)s::uuid, d.code)
    END AS usage
FROM billing.limit_definitions AS d
CROSS JOIN LATERAL billing.effective_limit(%(org)s::uuid, d.code) AS l
ORDER BY d.code;

-- name: has_tier_entitlement
-- Whether the organization's subscriptions (or an override) include a feature.
SELECT billing.has_tier_entitlement(%(code)s::text) AS enabled;

-- name: has_org_entitlement
-- Whether an org-scoped entitlement is switched on for the organization.
SELECT billing.has_org_entitlement(%(code)s::text) AS enabled;

-- name: enforce_limit
-- Usage plus delta must fit the limit, else limit_exceeded (race-free, in SQL).
SELECT billing.enforce_limit(%(code)s::text, %(delta)s::bigint);

-- name: settings_get
-- The organization's settings.
SELECT
    s.timezone,
    s.default_locale,
    s.week_starts_on,
    s.booking_lead_minutes,
    s.cancellation_notice_hours,
    s.brand_color,
    s.calendar_feed_patient_names,
    s.updated_at
FROM tenancy.organization_settings AS s
WHERE s.organization_id = %(org)s::uuid;

-- name: settings_update
-- Changes the organization's settings (tenancy.update_settings checks who may and what).
SELECT tenancy.update_settings(%(changes)s::jsonb);

-- name: billing_profile
-- The billing profile with its encrypted tax id and current tier; RLS hides it from those
-- who hold neither billing.read nor organizations.manage_billing.
SELECT
    b.legal_name,
    b.billing_email::text AS billing_email,
    b.address_line,
    b.city,
    b.country,
    b.tax_id_encrypted,
    t.code AS tier,
    b.updated_at
FROM billing.organization_billing AS b
LEFT JOIN billing.tiers AS t ON b.current_tier_id = t.id
WHERE b.organization_id = %(org)s::uuid;

-- name: billing_profile_update
-- Changes the billing profile; the tax id arrives encrypted, set only when given
-- (billing.update_billing_profile checks organizations.manage_billing).
SELECT billing.update_billing_profile(
    %(legal_name)s::text,
    %(billing_email)s::text,
    %(address_line)s::text,
    %(city)s::text,
    %(country)s::text,
    %(tax_id_encrypted)s::bytea,
    %(set_tax_id)s::boolean
);

-- name: patient_tiers_list
-- The organization's patient tiers with their newest version's perks and limits, the
-- default first.
SELECT
    t.id,
    t.code,
    t.name,
    t.description,
    t.is_default,
    t.status,
    coalesce(v.version, 0) AS version,
    coalesce((
        SELECT jsonb_object_agg(e.entitlement_code, e.enabled)
        FROM billing.patient_tier_entitlements AS e
        WHERE e.patient_tier_version_id = v.id
    ), '{}') AS entitlements,
    coalesce((
        SELECT jsonb_object_agg(pl.limit_code, pl.value)
        FROM billing.patient_tier_limits AS pl
        WHERE pl.patient_tier_version_id = v.id
    ), '{}') AS limits
FROM billing.patient_tiers AS t
LEFT JOIN LATERAL (
    SELECT
        pv.id,
        pv.version
    FROM billing.patient_tier_versions AS pv
    WHERE pv.patient_tier_id = t.id
    ORDER BY pv.version DESC
    LIMIT 1
) AS v ON true
WHERE t.organization_id = %(org)s::uuid
ORDER BY t.is_default DESC, t.code ASC;

-- name: patient_tier_by_id
-- One patient tier of the organization, shaped like a list row.
SELECT
    t.id,
    t.code,
    t.name,
    t.description,
    t.is_default,
    t.status,
    coalesce(v.version, 0) AS version,
    coalesce((
        SELECT jsonb_object_agg(e.entitlement_code, e.enabled)
        FROM billing.patient_tier_entitlements AS e
        WHERE e.patient_tier_version_id = v.id
    ), '{}') AS entitlements,
    coalesce((
        SELECT jsonb_object_agg(pl.limit_code, pl.value)
        FROM billing.patient_tier_limits AS pl
        WHERE pl.patient_tier_version_id = v.id
    ), '{}') AS limits
FROM billing.patient_tiers AS t
LEFT JOIN LATERAL (
    SELECT
        pv.id,
        pv.version
    FROM billing.patient_tier_versions AS pv
    WHERE pv.patient_tier_id = t.id
    ORDER BY pv.version DESC
    LIMIT 1
) AS v ON true
WHERE t.organization_id = %(org)s::uuid AND t.id = %(id)s::uuid;

-- name: patient_tier_save
-- Creates (id NULL) or edits a patient tier; new perks or limits publish a new version
-- (billing.save_patient_tier checks patient_tiers.manage and the catalogue).
SELECT billing.save_patient_tier(
    %(id)s::uuid,
    %(code)s::text,
    %(name)s::text,
    %(description)s::text,
    %(entitlements)s::jsonb,
    %(limits)s::jsonb,
    %(is_default)s::boolean
) AS id;

-- name: tier_versions_list
-- Every version of every tier with its perks, limits and price, for the console.
SELECT
    t.code AS tier,
    t.name,
    t.kind,
    v.version,
    v.monthly_price_cents,
    coalesce((
        SELECT jsonb_object_agg(e.entitlement_code, e.enabled)
        FROM billing.tier_entitlements AS e
        WHERE e.tier_version_id = v.id
    ), '{}') AS entitlements,
    coalesce((
        SELECT jsonb_object_agg(tl.limit_code, tl.value)
        FROM billing.tier_limits AS tl
        WHERE tl.tier_version_id = v.id
    ), '{}') AS limits,
    v.published_at
FROM billing.tiers AS t
INNER JOIN billing.tier_versions AS v ON t.id = v.tier_id
ORDER BY t.code, v.version;

-- name: tier_version_by_id
-- One tier version, shaped like a list row.
SELECT
    t.code AS tier,
    t.name,
    t.kind,
    v.version,
    v.monthly_price_cents,
    coalesce((
        SELECT jsonb_object_agg(e.entitlement_code, e.enabled)
        FROM billing.tier_entitlements AS e
        WHERE e.tier_version_id = v.id
    ), '{}') AS entitlements,
    coalesce((
        SELECT jsonb_object_agg(tl.limit_code, tl.value)
        FROM billing.tier_limits AS tl
        WHERE tl.tier_version_id = v.id
    ), '{}') AS limits,
    v.published_at
FROM billing.tiers AS t
INNER JOIN billing.tier_versions AS v ON t.id = v.tier_id
WHERE v.id = %(id)s::uuid;

-- name: tier_version_publish
-- Publishes a new version of a tier; live subscriptions keep their snapshot.
SELECT billing.publish_tier_version(
    %(tier)s::text,
    %(entitlements)s::jsonb,
    %(limits)s::jsonb,
    %(monthly_price_cents)s::integer
) AS id;

-- name: organization_exists
-- Whether an organization exists (the console answers 404 for an unknown one).
SELECT count(*) > 0 AS found
FROM tenancy.organizations AS o
WHERE o.id = %(organization)s::uuid;

-- name: subscriptions_of_org
-- An organization's subscriptions, active and ended, newest first, for the console.
SELECT
    s.id,
    s.organization_id,
    t.code AS tier,
    v.version,
    (
        SELECT max(v2.version) FROM billing.tier_versions AS v2
        WHERE v2.tier_id = t.id
    ) AS latest_version,
    s.kind,
    s.status,
    s.started_at,
    s.ended_at
FROM billing.organization_subscriptions AS s
INNER JOIN billing.tier_versions AS v ON s.tier_version_id = v.id
INNER JOIN billing.tiers AS t ON v.tier_id = t.id
WHERE s.organization_id = %(organization)s::uuid
ORDER BY s.started_at DESC;

-- name: subscription_by_id
-- One subscription, shaped like a list row.
SELECT
    s.id,
    s.organization_id,
    t.code AS tier,
    v.version,
    (
        SELECT max(v2.version) FROM billing.tier_versions AS v2
        WHERE v2.tier_id = t.id
    ) AS latest_version,
    s.kind,
    s.status,
    s.started_at,
    s.ended_at
FROM billing.organization_subscriptions AS s
INNER JOIN billing.tier_versions AS v ON s.tier_version_id = v.id
INNER JOIN billing.tiers AS t ON v.tier_id = t.id
WHERE s.id = %(id)s::uuid;

-- name: subscription_change_tier
-- Moves an organization to another base tier's newest version (a fresh snapshot).
SELECT billing.change_tier(%(organization)s::uuid, %(tier)s::text) AS id;

-- name: subscription_attach_addon
-- Attaches an add-on tier to an organization.
SELECT billing.attach_addon(%(organization)s::uuid, %(tier)s::text) AS id;

-- name: subscription_migrate
-- Moves a subscription to its tier's newest version (a fresh snapshot).
SELECT billing.migrate_subscription(%(id)s::uuid) AS id;

-- name: subscription_end
-- Ends a subscription (detaches an add-on).
SELECT billing.end_subscription(%(id)s::uuid);

-- name: override_grant
-- Overrides one entitlement or limit of an organization, with a reason and optional expiry.
SELECT billing.grant_override(
    %(organization)s::uuid,
    %(entitlement)s::text,
    %(limit_code)s::text,
    %(enabled)s::boolean,
    %(value)s::bigint,
    %(reason)s::text,
    %(expires_at)s::timestamptz
) AS id;

-- name: override_revoke
-- Revokes an override before it expires.
SELECT billing.revoke_override(%(id)s::uuid);

-- name: org_entitlement_set
-- Switches an org-scoped entitlement on or off (audited as org_entitlement_change).
SELECT billing.set_org_entitlement(
    %(organization)s::uuid, %(code)s::text, %(enabled)s::boolean, %(reason)s::text
);
