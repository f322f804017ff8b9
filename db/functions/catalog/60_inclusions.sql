-- Which specialists perform a service, the plans a patient tier includes, and the
-- provisioning hook that projects a patient subscription's inclusions onto enrollments.
-- Errors: RAISE EXCEPTION '<code>' USING DETAIL.

CREATE OR REPLACE FUNCTION catalog.set_service_specialists(p_service uuid, p_specialists uuid []) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Replaces the whole set. Every id must be a live specialist of this organization: another
-- clinic's specialist, or a deleted one, is specialist_not_found (and the org-inclusive key
-- refuses the first anyway).
DECLARE
    v_service catalog.services;
    v_org uuid := iam.current_org_id();
    v_ids uuid [] := ARRAY(SELECT DISTINCT u FROM pg_catalog.unnest(coalesce(p_specialists, '{}')) AS u);
BEGIN
    PERFORM people.require_member_permission('catalog.manage');
    IF pg_catalog.cardinality(v_ids) > 100 THEN
        RAISE EXCEPTION 'too_many_specialists' USING DETAIL = 'A service lists at most 100 specialists.';
    END IF;
    v_service := catalog.lock_service(p_service);
    IF EXISTS (
        SELECT 1 FROM pg_catalog.unnest(v_ids) AS u
        WHERE u IS NULL OR NOT EXISTS (
            SELECT 1 FROM people.specialists AS sp
            WHERE sp.id = u AND sp.organization_id = v_org AND sp.deleted_at IS NULL
        )
    ) THEN
        RAISE EXCEPTION 'specialist_not_found' USING DETAIL = 'Every specialist must be a live specialist of this organization.';
    END IF;
    DELETE FROM catalog.service_specialists AS ss
    WHERE ss.service_id = v_service.id AND ss.organization_id = v_org AND NOT ss.specialist_id = ANY(v_ids);
    INSERT INTO catalog.service_specialists (organization_id, service_id, specialist_id, created_by)
    SELECT v_org, v_service.id, u, iam.current_principal_id() FROM pg_catalog.unnest(v_ids) AS u
    ON CONFLICT (service_id, specialist_id) DO NOTHING;
    PERFORM events.publish('service.updated', pg_catalog.jsonb_build_object(
        'service_id', v_service.id, 'changed', pg_catalog.jsonb_build_array('specialists')
    ));
END;
$$;
COMMENT ON FUNCTION catalog.set_service_specialists(uuid, uuid []) IS 'Set which live specialists of the organization perform a service (catalog.manage).';

CREATE OR REPLACE FUNCTION catalog.set_tier_inclusions(p_tier uuid, p_inclusions jsonb) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Inclusions are per tier version, like its perks: setting them publishes a new version that
-- copies the current perks and limits. Subscriptions keep the version they snapshotted;
-- subscribers and tier changes from now on get the new one. Returns the new version number.
DECLARE
    v_org uuid := iam.current_org_id();
    v_tier billing.patient_tiers;
    v_prev uuid;
    v_version integer;
    v_version_id uuid;
BEGIN
    PERFORM people.require_member_permission('patient_tiers.manage');
    IF pg_catalog.jsonb_typeof(p_inclusions) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'The inclusions are a JSON array.';
    END IF;
    IF pg_catalog.jsonb_array_length(p_inclusions) > 50 THEN
        RAISE EXCEPTION 'too_many_inclusions' USING DETAIL = 'A patient tier includes at most 50 plans.';
    END IF;
    SELECT * INTO v_tier FROM billing.patient_tiers AS t WHERE t.id = p_tier AND t.organization_id = v_org FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'patient_tier_not_found' USING DETAIL = 'No such patient tier in this organization.';
    END IF;
    IF EXISTS (
        SELECT 1 FROM pg_catalog.jsonb_array_elements(p_inclusions) AS i
        WHERE NOT EXISTS (
            SELECT 1 FROM catalog.service_plans AS p
            WHERE p.id::text = i ->> 'service_plan_id' AND p.organization_id = v_org AND p.deleted_at IS NULL
        )
    ) THEN
        RAISE EXCEPTION 'service_plan_not_found' USING DETAIL = 'Every included plan must be a live plan of this organization.';
    END IF;
    IF (SELECT pg_catalog.count(DISTINCT i ->> 'service_plan_id') FROM pg_catalog.jsonb_array_elements(p_inclusions) AS i)
        <> pg_catalog.jsonb_array_length(p_inclusions) THEN
        RAISE EXCEPTION 'duplicate_inclusion' USING DETAIL = 'Each plan is included once, with its quantity.';
    END IF;
    SELECT v.id, v.version INTO v_prev, v_version FROM billing.patient_tier_versions AS v
    WHERE v.patient_tier_id = v_tier.id ORDER BY v.version DESC LIMIT 1;
    v_version := coalesce(v_version, 0) + 1;
    INSERT INTO billing.patient_tier_versions (patient_tier_id, organization_id, version, published_by)
    VALUES (v_tier.id, v_org, v_version, iam.current_principal_id()) RETURNING id INTO v_version_id;
    INSERT INTO billing.patient_tier_entitlements (patient_tier_version_id, organization_id, entitlement_code, enabled)
    SELECT v_version_id, v_org, e.entitlement_code, e.enabled FROM billing.patient_tier_entitlements AS e
    WHERE e.patient_tier_version_id = v_prev;
    INSERT INTO billing.patient_tier_limits (patient_tier_version_id, organization_id, limit_code, value)
    SELECT v_version_id, v_org, l.limit_code, l.value FROM billing.patient_tier_limits AS l
    WHERE l.patient_tier_version_id = v_prev;
    INSERT INTO catalog.patient_tier_inclusions (patient_tier_version_id, organization_id, service_plan_id, quantity)
    SELECT v_version_id, v_org, (i ->> 'service_plan_id')::uuid, coalesce((i ->> 'quantity')::integer, 1)
    FROM pg_catalog.jsonb_array_elements(p_inclusions) AS i;
    PERFORM events.publish('patient_tier.saved', pg_catalog.jsonb_build_object(
        'patient_tier_id', v_tier.id, 'version', v_version));
    RETURN v_version;
END;
$$;
COMMENT ON FUNCTION catalog.set_tier_inclusions(uuid, jsonb) IS 'Set the plans a patient tier includes (patient_tiers.manage): publishes a new tier version.';

CREATE OR REPLACE FUNCTION catalog.provision_subscription(p_subscription uuid) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Makes the enrollments a subscription granted match what its state says, and nothing else:
--   active: one enrollment per inclusion of its tier version and slot (1..quantity) for the
--           current period; a live tier-granted enrollment of this subscription that the
--           version no longer includes is revoked;
--   ended:  every live (active, period not over) enrollment it granted is revoked.
-- Enrollments the patient bought (no source subscription) are never touched. Running it again
-- changes nothing: the unique (subscription, plan, period_start, slot) key and the status
-- filters make every write conditional. Returns the rows written.
DECLARE
    v_sub people.patient_subscriptions;
    v_now timestamptz := util.now();
    v_written integer := 0;
    v_n integer;
    v_enrolled jsonb [];
    v_revoked jsonb [];
BEGIN
    SELECT * INTO v_sub FROM people.patient_subscriptions AS s WHERE s.id = p_subscription;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    WITH gone AS (
        UPDATE catalog.patient_service_plans AS e
        SET status = 'revoked', revoked_at = v_now, revoked_by = NULL,
            revoke_reason = CASE WHEN v_sub.status = 'ended' THEN 'tier_subscription_ended' ELSE 'tier_inclusion_removed' END
        WHERE e.source_tier_subscription_id = v_sub.id AND e.status = 'active' AND e.period_end > v_now
          AND (
              v_sub.status = 'ended'
              OR NOT EXISTS (
                  SELECT 1 FROM catalog.patient_tier_inclusions AS i
                  WHERE i.patient_tier_version_id = v_sub.patient_tier_version_id
                    AND i.service_plan_id = e.service_plan_id AND e.source_slot <= i.quantity
              )
          )
        RETURNING e.id, e.patient_id, e.revoked_at
    )
    SELECT pg_catalog.array_agg(pg_catalog.jsonb_build_object(
        'patient_service_plan_id', g.id, 'patient_id', g.patient_id, 'revoked_at', g.revoked_at,
        'source_tier_subscription_id', v_sub.id))
    INTO v_revoked FROM gone AS g;
    v_written := coalesce(pg_catalog.cardinality(v_revoked), 0);
    PERFORM events.publish_many_for(v_sub.organization_id, 'patient_plan.revoked', v_revoked);
    IF v_sub.status <> 'active' THEN
        RETURN v_written;
    END IF;
    -- The tier period governs a granted enrollment: it runs from the subscription's current
    -- period start to its end, and the next period gets its own. A deleted plan grants nothing.
    WITH made AS (
        INSERT INTO catalog.patient_service_plans (
            organization_id, patient_id, service_plan_id, service_plan_version_id, plan_type, period_start, period_end,
            sessions_total, assignments_total, price_amount, currency, source_tier_subscription_id, source_slot
        )
        SELECT v_sub.organization_id, v_sub.patient_id, p.id, v.id, p.plan_type,
               v_sub.current_period_start, v_sub.current_period_end,
               coalesce(v.sessions_total, v.sessions_per_period), v.treatment_plan_assignments_total,
               0, v.currency, v_sub.id, slot
        FROM catalog.patient_tier_inclusions AS i
        INNER JOIN catalog.service_plans AS p ON p.id = i.service_plan_id AND p.deleted_at IS NULL
        INNER JOIN catalog.service_plan_versions AS v ON v.service_plan_id = p.id AND v.version = p.current_version
        CROSS JOIN LATERAL pg_catalog.generate_series(1, i.quantity) AS slot
        WHERE i.patient_tier_version_id = v_sub.patient_tier_version_id
        ON CONFLICT (source_tier_subscription_id, service_plan_id, period_start, source_slot)
        WHERE source_tier_subscription_id IS NOT NULL DO NOTHING
        RETURNING id, patient_id, service_plan_id, service_plan_version_id, plan_type, period_start, period_end
    )
    SELECT pg_catalog.array_agg(pg_catalog.jsonb_build_object(
        'patient_service_plan_id', m.id, 'patient_id', m.patient_id, 'service_plan_id', m.service_plan_id,
        'service_plan_version_id', m.service_plan_version_id, 'plan_type', m.plan_type,
        'period_start', m.period_start, 'period_end', m.period_end, 'source_tier_subscription_id', v_sub.id))
    INTO v_enrolled FROM made AS m;
    v_n := coalesce(pg_catalog.cardinality(v_enrolled), 0);
    PERFORM events.publish_many_for(v_sub.organization_id, 'patient_plan.enrolled', v_enrolled);
    RETURN v_written + v_n;
END;
$$;
COMMENT ON FUNCTION catalog.provision_subscription(uuid) IS 'Internal: projects a patient subscription''s tier inclusions onto enrollments (provision, revoke, next period); idempotent.';

CREATE OR REPLACE FUNCTION catalog.provision_on_subscription_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM catalog.provision_subscription(NEW.id);
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION catalog.provision_on_subscription_change() IS 'AFTER INSERT or a state change of a patient subscription: runs the provisioning hook.';

-- Subscribe (insert), end or downgrade (status), period rollover (period start) and a version
-- change all reach the hook; other updates (updated_at) do not.
CREATE OR REPLACE TRIGGER patient_subscriptions_provision
AFTER INSERT OR UPDATE OF status, current_period_start, current_period_end, patient_tier_version_id
ON people.patient_subscriptions
FOR EACH ROW EXECUTE FUNCTION catalog.provision_on_subscription_change();

REVOKE EXECUTE ON FUNCTION catalog.provision_subscription(uuid), catalog.provision_on_subscription_change()
FROM public, restartix_app;
GRANT EXECUTE ON FUNCTION catalog.set_service_specialists(uuid, uuid []), catalog.set_tier_inclusions(uuid, jsonb)
TO restartix_app;

-- Service attachments: one upload path (storage.begin_upload and the API's confirm), the
-- service's managers decide, the service's readers read.

CREATE OR REPLACE FUNCTION catalog.begin_attachment_upload(
    p_service uuid, p_object_key text, p_declared_mime text, p_expires_at timestamptz
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    PERFORM people.require_member_permission('catalog.manage');
    PERFORM catalog.lock_service(p_service);
    IF (SELECT pg_catalog.count(*) FROM catalog.service_attachments AS a WHERE a.service_id = p_service) >= 20 THEN
        RAISE EXCEPTION 'too_many_attachments' USING DETAIL = 'A service has at most 20 attachments.';
    END IF;
    RETURN storage.begin_upload('service_attachment', p_object_key, p_declared_mime, p_expires_at);
END;
$$;
COMMENT ON FUNCTION catalog.begin_attachment_upload(uuid, text, text, timestamptz) IS 'Record an attachment upload grant for a live service (catalog.manage); returns the pending file id.';

CREATE OR REPLACE FUNCTION catalog.attach_file(p_service uuid, p_file uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_service catalog.services;
    v_file storage.files;
BEGIN
    PERFORM people.require_member_permission('catalog.manage');
    v_service := catalog.lock_service(p_service);
    v_file := storage.lock_file(p_file);
    IF v_file.purpose <> 'service_attachment' OR v_file.status <> 'ready' THEN
        RAISE EXCEPTION 'file_not_found' USING DETAIL = 'No checked attachment file of that id in this organization.';
    END IF;
    INSERT INTO catalog.service_attachments (organization_id, service_id, file_id, created_by)
    VALUES (v_service.organization_id, v_service.id, p_file, iam.current_principal_id())
    ON CONFLICT (file_id) DO NOTHING;
    IF NOT FOUND AND NOT EXISTS (
        SELECT 1 FROM catalog.service_attachments AS a WHERE a.file_id = p_file AND a.service_id = v_service.id
    ) THEN
        RAISE EXCEPTION 'file_in_use' USING DETAIL = 'That file is attached to another service.';
    END IF;
    PERFORM events.publish('service.updated', pg_catalog.jsonb_build_object(
        'service_id', v_service.id, 'changed', pg_catalog.jsonb_build_array('attachments')
    ));
END;
$$;
COMMENT ON FUNCTION catalog.attach_file(uuid, uuid) IS 'Attach a checked service_attachment file to a live service (catalog.manage).';

CREATE OR REPLACE FUNCTION catalog.remove_attachment(p_service uuid, p_file uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_service catalog.services;
BEGIN
    PERFORM people.require_member_permission('catalog.manage');
    v_service := catalog.lock_service(p_service);
    DELETE FROM catalog.service_attachments AS a
    WHERE a.file_id = p_file AND a.service_id = v_service.id AND a.organization_id = v_service.organization_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'attachment_not_found' USING DETAIL = 'No such attachment on this service.';
    END IF;
    PERFORM storage.retire(p_file, 'removed');
    PERFORM events.publish('service.updated', pg_catalog.jsonb_build_object(
        'service_id', v_service.id, 'changed', pg_catalog.jsonb_build_array('attachments')
    ));
END;
$$;
COMMENT ON FUNCTION catalog.remove_attachment(uuid, uuid) IS 'Detach and retire a service''s attachment (catalog.manage); the sweep removes its bytes.';

CREATE OR REPLACE FUNCTION catalog.service_attachment_files(p_service uuid)
RETURNS TABLE (
    id uuid, detected_mime text, size_bytes bigint, sha256 text, object_key text, uploaded_by uuid,
    verified_at timestamptz
)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
-- Security definer: the files of a service are read by whoever reads the catalog, which the
-- storage policies (files.read) do not grant.
BEGIN
    IF NOT people.member_holds('catalog.read') THEN
        RAISE EXCEPTION 'service_not_found' USING DETAIL = 'No such service in this organization.';
    END IF;
    RETURN QUERY
    SELECT f.id, f.detected_mime, f.size_bytes, f.sha256, f.object_key, f.uploaded_by, f.verified_at
    FROM catalog.service_attachments AS a
    INNER JOIN catalog.services AS s ON a.service_id = s.id AND s.deleted_at IS NULL
    INNER JOIN storage.files AS f ON a.file_id = f.id AND f.deleted_at IS NULL AND f.status = 'ready'
    WHERE a.service_id = p_service AND a.organization_id = iam.current_member_org_id()
    ORDER BY a.created_at, f.id;
END;
$$;
COMMENT ON FUNCTION catalog.service_attachment_files(uuid) IS 'The checked files attached to a live service, for catalog readers of its organization.';

GRANT EXECUTE ON FUNCTION catalog.begin_attachment_upload(uuid, text, text, timestamptz), catalog.attach_file(uuid, uuid),
catalog.remove_attachment(uuid, uuid), catalog.service_attachment_files(uuid) TO restartix_app;

CREATE OR REPLACE FUNCTION catalog.renew_memberships(p_limit integer DEFAULT 1000) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- A bought membership (no source subscription) whose version renews, not revoked, of a live
-- patient and a live plan, whose period has ended, gets one successor: the same version and
-- terms for the period that contains now (missed periods are over, so they are skipped).
-- A revoked membership, or a deleted plan, stops renewing; a tier-granted membership follows
-- its subscription's rollover instead. Idempotent through the unique renewed_from.
DECLARE
    v_row record;
    v_n integer := 0;
BEGIN
    FOR v_row IN
        WITH due AS (
            SELECT e.id, e.organization_id, e.patient_id, e.service_plan_id, e.service_plan_version_id,
                   e.period_end, e.sessions_total, e.assignments_total, e.price_amount, e.currency,
                   CASE v.period WHEN 'week' THEN 0 WHEN 'month' THEN 1 WHEN 'quarter' THEN 3 ELSE 12 END AS months
            FROM catalog.patient_service_plans AS e
            INNER JOIN catalog.service_plan_versions AS v ON e.service_plan_version_id = v.id
            INNER JOIN catalog.service_plans AS p ON e.service_plan_id = p.id AND p.deleted_at IS NULL
            INNER JOIN people.patients AS pt ON e.patient_id = pt.id AND pt.deleted_at IS NULL
            WHERE e.plan_type = 'membership' AND e.source_tier_subscription_id IS NULL AND e.status <> 'revoked'
              AND e.period_end <= util.now() AND v.renews
              AND NOT EXISTS (SELECT 1 FROM catalog.patient_service_plans AS n WHERE n.renewed_from = e.id)
            ORDER BY e.period_end
            LIMIT p_limit
            FOR UPDATE OF e SKIP LOCKED
        ),
        stepped AS (
            SELECT d.*,
                   CASE WHEN d.months = 0
                       THEN d.period_end + pg_catalog.make_interval(days => 7 * pg_catalog.floor(
                           pg_catalog.date_part('epoch', util.now() - d.period_end) / 604800)::integer)
                       ELSE d.period_end + pg_catalog.make_interval(months => d.months * pg_catalog.floor((
                           pg_catalog.date_part('year', pg_catalog.age(util.now(), d.period_end)) * 12
                           + pg_catalog.date_part('month', pg_catalog.age(util.now(), d.period_end))) / d.months)::integer)
                   END AS new_start
            FROM due AS d
        )
        INSERT INTO catalog.patient_service_plans (
            organization_id, patient_id, service_plan_id, service_plan_version_id, plan_type, period_start, period_end,
            sessions_total, assignments_total, price_amount, currency, renewed_from
        )
        SELECT s.organization_id, s.patient_id, s.service_plan_id, s.service_plan_version_id, 'membership',
               s.new_start,
               s.new_start + CASE WHEN s.months = 0 THEN interval '7 days' ELSE pg_catalog.make_interval(months => s.months) END,
               s.sessions_total, s.assignments_total, s.price_amount, s.currency, s.id
        FROM stepped AS s
        ON CONFLICT (renewed_from) WHERE renewed_from IS NOT NULL DO NOTHING
        RETURNING id, organization_id, patient_id, service_plan_id, service_plan_version_id, period_start, period_end
    LOOP
        PERFORM events.publish_for(v_row.organization_id, 'patient_plan.enrolled', pg_catalog.jsonb_build_object(
            'patient_service_plan_id', v_row.id, 'patient_id', v_row.patient_id, 'service_plan_id', v_row.service_plan_id,
            'service_plan_version_id', v_row.service_plan_version_id, 'plan_type', 'membership',
            'period_start', v_row.period_start, 'period_end', v_row.period_end, 'source_tier_subscription_id', NULL
        ));
        v_n := v_n + 1;
    END LOOP;
    RETURN v_n;
END;
$$;
COMMENT ON FUNCTION catalog.renew_memberships(integer) IS 'System: gives bought memberships that renew and whose period ended their next period''s enrollment (the worker task roll_subscription_periods).';

REVOKE EXECUTE ON FUNCTION catalog.renew_memberships(integer) FROM public, restartix_app;
GRANT EXECUTE ON FUNCTION catalog.renew_memberships(integer) TO restartix_system;
