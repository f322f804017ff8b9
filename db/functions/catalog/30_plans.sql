-- Service plans and their versions. A plan's terms are published as a new immutable
-- version; enrollments keep the version they bought, so editing a plan never changes what a
-- patient already has.

CREATE OR REPLACE FUNCTION catalog.lock_plan(p_id uuid, p_deleted boolean DEFAULT FALSE) RETURNS catalog.service_plans
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_plan catalog.service_plans;
BEGIN
    SELECT * INTO v_plan FROM catalog.service_plans AS p
    WHERE p.id = p_id AND p.organization_id = iam.current_org_id()
      AND (p.deleted_at IS NOT NULL) = p_deleted
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'service_plan_not_found' USING DETAIL = 'No such service plan in this organization.';
    END IF;
    RETURN v_plan;
END;
$$;
COMMENT ON FUNCTION catalog.lock_plan(uuid, boolean) IS 'Internal: locks a live (or deleted) service plan of the current organization, or raises service_plan_not_found.';

CREATE OR REPLACE FUNCTION catalog.insert_plan_version(p_plan catalog.service_plans, p_version integer, p_terms jsonb)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Writes one version with its services and products. The keys tie services and products to
-- the plan's organization; a live check refuses deleted or foreign ones with a clear code.
DECLARE
    v_id uuid;
    t jsonb := p_terms;
    v_services uuid [];
    v_products jsonb := coalesce(p_terms -> 'products', '[]');
    v_found integer;
BEGIN
    PERFORM catalog.check_keys(t, ARRAY[
        'name', 'description', 'translations', 'price_amount', 'currency', 'validity_days', 'sessions_total',
        'period', 'sessions_per_period', 'renews', 'telerehab_access', 'library_access',
        'treatment_plan_assignments_total', 'service_ids', 'products'
    ]);
    IF pg_catalog.jsonb_typeof(coalesce(t -> 'service_ids', '[]')) <> 'array'
       OR pg_catalog.jsonb_typeof(v_products) <> 'array' THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'service_ids and products are JSON arrays.';
    END IF;
    SELECT coalesce(pg_catalog.array_agg(DISTINCT x::uuid), '{}') INTO v_services
    FROM pg_catalog.jsonb_array_elements_text(coalesce(t -> 'service_ids', '[]')) AS x;
    SELECT pg_catalog.count(*) INTO v_found FROM catalog.services AS s
    WHERE s.id = ANY (v_services) AND s.organization_id = p_plan.organization_id AND s.deleted_at IS NULL;
    IF v_found <> pg_catalog.cardinality(v_services) THEN
        RAISE EXCEPTION 'service_not_found' USING DETAIL = 'A listed service is not a live service of this organization.';
    END IF;
    SELECT pg_catalog.count(*) INTO v_found
    FROM pg_catalog.jsonb_array_elements(v_products) AS p (item)
    INNER JOIN catalog.products AS pr ON pr.id = (p.item ->> 'product_id')::uuid
    WHERE pr.organization_id = p_plan.organization_id AND pr.deleted_at IS NULL;
    IF v_found <> pg_catalog.jsonb_array_length(v_products) THEN
        RAISE EXCEPTION 'product_not_found' USING DETAIL = 'A listed product is not a live product of this organization.';
    END IF;
    INSERT INTO catalog.service_plan_versions (
        organization_id, service_plan_id, plan_type, version, name, description, translations, price_amount,
        currency, validity_days, sessions_total, period, sessions_per_period, renews, telerehab_access,
        library_access, treatment_plan_assignments_total, published_by
    ) VALUES (
        p_plan.organization_id, p_plan.id, p_plan.plan_type, p_version,
        pg_catalog.btrim(t ->> 'name'),
        coalesce(t ->> 'description', ''),
        coalesce(t -> 'translations', '{}'),
        (t ->> 'price_amount')::bigint,
        t ->> 'currency',
        (t ->> 'validity_days')::integer,
        (t ->> 'sessions_total')::integer,
        t ->> 'period',
        (t ->> 'sessions_per_period')::integer,
        coalesce((t ->> 'renews')::boolean, p_plan.plan_type = 'membership'),
        coalesce((t ->> 'telerehab_access')::boolean, FALSE),
        coalesce((t ->> 'library_access')::boolean, FALSE),
        (t ->> 'treatment_plan_assignments_total')::integer,
        iam.current_principal_id()
    ) RETURNING id INTO v_id;
    INSERT INTO catalog.service_plan_services (service_plan_version_id, organization_id, service_id)
    SELECT v_id, p_plan.organization_id, s FROM pg_catalog.unnest(v_services) AS s;
    INSERT INTO catalog.service_plan_products (service_plan_version_id, organization_id, product_id, quantity)
    SELECT v_id, p_plan.organization_id, (p.item ->> 'product_id')::uuid, coalesce((p.item ->> 'quantity')::integer, 1)
    FROM pg_catalog.jsonb_array_elements(v_products) AS p (item);
    -- The products a plan bundles are priced in the plan's currency: summing them checks it.
    PERFORM catalog.sum_money(m.amount) FROM (
        SELECT ROW(0::bigint, t ->> 'currency')::catalog.money AS amount
        UNION ALL
        SELECT ROW(pr.price_amount * spp.quantity, pr.currency)::catalog.money
        FROM catalog.service_plan_products AS spp
        INNER JOIN catalog.products AS pr ON pr.id = spp.product_id
        WHERE spp.service_plan_version_id = v_id
    ) AS m;
    UPDATE catalog.service_plans SET current_version = p_version WHERE id = p_plan.id;
    PERFORM events.publish('service_plan.published', pg_catalog.jsonb_build_object(
        'service_plan_id', p_plan.id, 'service_plan_version_id', v_id, 'version', p_version,
        'plan_type', p_plan.plan_type
    ));
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION catalog.insert_plan_version(catalog.service_plans, integer, jsonb) IS 'Internal: writes and publishes one version of a plan; the callers check who may.';

CREATE OR REPLACE FUNCTION catalog.create_plan(p_plan_type text, p_terms jsonb, p_sort_order integer DEFAULT 0) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_plan catalog.service_plans;
BEGIN
    PERFORM people.require_member_permission('catalog.manage');
    PERFORM billing.enforce_limit('service_plans.max', 1);
    INSERT INTO catalog.service_plans (organization_id, plan_type, sort_order, created_by)
    VALUES (iam.current_org_id(), p_plan_type, coalesce(p_sort_order, 0), iam.current_principal_id())
    RETURNING * INTO v_plan;
    PERFORM catalog.insert_plan_version(v_plan, 1, p_terms);
    RETURN v_plan.id;
END;
$$;
COMMENT ON FUNCTION catalog.create_plan(text, jsonb, integer) IS 'Create a service plan and publish its version 1 (catalog.manage); counts against service_plans.max.';

CREATE OR REPLACE FUNCTION catalog.publish_plan_version(p_id uuid, p_terms jsonb) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_plan catalog.service_plans;
    v_last integer;
BEGIN
    PERFORM people.require_member_permission('catalog.manage');
    v_plan := catalog.lock_plan(p_id);
    SELECT pg_catalog.max(v.version) INTO v_last FROM catalog.service_plan_versions AS v WHERE v.service_plan_id = v_plan.id;
    RETURN catalog.insert_plan_version(v_plan, v_last + 1, p_terms);
END;
$$;
COMMENT ON FUNCTION catalog.publish_plan_version(uuid, jsonb) IS 'Publish new terms of a live plan as its next version (catalog.manage); enrollments keep theirs.';

CREATE OR REPLACE FUNCTION catalog.update_plan(p_id uuid, p_changes jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Only what is not a term of sale changes in place: whether it is on sale and where it sorts.
DECLARE
    v_plan catalog.service_plans;
    v_keys text [];
BEGIN
    PERFORM people.require_member_permission('catalog.manage');
    v_keys := catalog.check_keys(p_changes, ARRAY['active', 'sort_order']);
    v_plan := catalog.lock_plan(p_id);
    IF pg_catalog.cardinality(v_keys) = 0 THEN
        RETURN;
    END IF;
    UPDATE catalog.service_plans AS p SET
        active = CASE WHEN p_changes ? 'active' THEN (p_changes ->> 'active')::boolean ELSE p.active END,
        sort_order = CASE WHEN p_changes ? 'sort_order' THEN (p_changes ->> 'sort_order')::integer ELSE p.sort_order END
    WHERE p.id = v_plan.id;
    PERFORM events.publish('service_plan.updated', pg_catalog.jsonb_build_object(
        'service_plan_id', v_plan.id, 'changed', pg_catalog.to_jsonb(v_keys)
    ));
END;
$$;
COMMENT ON FUNCTION catalog.update_plan(uuid, jsonb) IS 'Put a plan on or off sale, or move it in the list (catalog.manage).';

CREATE OR REPLACE FUNCTION catalog.delete_plan(p_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Existing enrollments keep their version and go on being consumed; no new ones start.
DECLARE
    v_plan catalog.service_plans;
    v_at timestamptz := util.now();
BEGIN
    PERFORM people.require_member_permission('catalog.manage');
    v_plan := catalog.lock_plan(p_id);
    UPDATE catalog.service_plans SET deleted_at = v_at WHERE id = v_plan.id;
    PERFORM events.publish('service_plan.deleted', pg_catalog.jsonb_build_object(
        'service_plan_id', v_plan.id, 'deleted_at', v_at
    ));
END;
$$;
COMMENT ON FUNCTION catalog.delete_plan(uuid) IS 'Soft-delete a service plan (catalog.manage); enrollments in it are untouched.';

CREATE OR REPLACE FUNCTION catalog.refuse_version_change() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
    RAISE EXCEPTION 'plan_version_immutable' USING DETAIL = 'A published plan version never changes: publish a new one.';
END;
$$;
COMMENT ON FUNCTION catalog.refuse_version_change() IS 'BEFORE UPDATE trigger: published plan versions and their contents are immutable.';

CREATE OR REPLACE TRIGGER service_plans_touch BEFORE UPDATE ON catalog.service_plans
FOR EACH ROW EXECUTE FUNCTION util.touch_updated_at();
CREATE OR REPLACE TRIGGER service_plan_versions_immutable BEFORE UPDATE ON catalog.service_plan_versions
FOR EACH ROW EXECUTE FUNCTION catalog.refuse_version_change();
CREATE OR REPLACE TRIGGER service_plan_services_immutable BEFORE UPDATE ON catalog.service_plan_services
FOR EACH ROW EXECUTE FUNCTION catalog.refuse_version_change();
CREATE OR REPLACE TRIGGER service_plan_products_immutable BEFORE UPDATE ON catalog.service_plan_products
FOR EACH ROW EXECUTE FUNCTION catalog.refuse_version_change();

REVOKE EXECUTE ON FUNCTION catalog.lock_plan(uuid, boolean),
catalog.insert_plan_version(catalog.service_plans, integer, jsonb), catalog.refuse_version_change()
FROM public, restartix_app;
GRANT EXECUTE ON FUNCTION catalog.create_plan(text, jsonb, integer), catalog.publish_plan_version(uuid, jsonb),
catalog.update_plan(uuid, jsonb), catalog.delete_plan(uuid)
TO restartix_app;
