-- Products: a reference catalog (name, SKU, price). No stock, no fulfilment.

CREATE OR REPLACE FUNCTION catalog.lock_product(p_id uuid, p_deleted boolean DEFAULT FALSE) RETURNS catalog.products
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_product catalog.products;
BEGIN
    SELECT * INTO v_product FROM catalog.products AS p
    WHERE p.id = p_id AND p.organization_id = iam.current_org_id()
      AND (p.deleted_at IS NOT NULL) = p_deleted
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'product_not_found' USING DETAIL = 'No such product in this organization.';
    END IF;
    RETURN v_product;
END;
$$;
COMMENT ON FUNCTION catalog.lock_product(uuid, boolean) IS 'Internal: locks a live (or deleted) product of the current organization, or raises product_not_found.';

CREATE OR REPLACE FUNCTION catalog.save_product(p_id uuid, p_fields jsonb) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- p_id NULL creates; otherwise the named fields of a live product change.
DECLARE
    v_product catalog.products;
    v_keys text [];
    f jsonb := p_fields;
BEGIN
    PERFORM people.require_member_permission('catalog.manage');
    v_keys := catalog.check_keys(f, ARRAY['name', 'description', 'sku', 'price_amount', 'currency', 'active']);
    IF p_id IS NULL THEN
        INSERT INTO catalog.products (organization_id, name, description, sku, price_amount, currency, active, created_by)
        VALUES (
            iam.current_org_id(), pg_catalog.btrim(f ->> 'name'), coalesce(f ->> 'description', ''), f ->> 'sku',
            coalesce((f ->> 'price_amount')::bigint, 0), f ->> 'currency', coalesce((f ->> 'active')::boolean, TRUE),
            iam.current_principal_id()
        ) RETURNING * INTO v_product;
        PERFORM events.publish('product.created', pg_catalog.jsonb_build_object('product_id', v_product.id));
        RETURN v_product.id;
    END IF;
    v_product := catalog.lock_product(p_id);
    IF pg_catalog.cardinality(v_keys) = 0 THEN
        RETURN v_product.id;
    END IF;
    UPDATE catalog.products AS p SET
        name = CASE WHEN f ? 'name' THEN pg_catalog.btrim(f ->> 'name') ELSE p.name END,
        description = CASE WHEN f ? 'description' THEN f ->> 'description' ELSE p.description END,
        sku = CASE WHEN f ? 'sku' THEN f ->> 'sku' ELSE p.sku END,
        price_amount = CASE WHEN f ? 'price_amount' THEN (f ->> 'price_amount')::bigint ELSE p.price_amount END,
        currency = CASE WHEN f ? 'currency' THEN f ->> 'currency' ELSE p.currency END,
        active = CASE WHEN f ? 'active' THEN (f ->> 'active')::boolean ELSE p.active END
    WHERE p.id = v_product.id;
    PERFORM events.publish('product.updated', pg_catalog.jsonb_build_object(
        'product_id', v_product.id, 'changed', pg_catalog.to_jsonb(v_keys)
    ));
    RETURN v_product.id;
END;
$$;
COMMENT ON FUNCTION catalog.save_product(uuid, jsonb) IS 'Create a product, or change the named fields of a live one (catalog.manage).';

CREATE OR REPLACE FUNCTION catalog.delete_product(p_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_product catalog.products;
    v_at timestamptz := util.now();
BEGIN
    PERFORM people.require_member_permission('catalog.manage');
    v_product := catalog.lock_product(p_id);
    UPDATE catalog.products SET deleted_at = v_at WHERE id = v_product.id;
    PERFORM events.publish('product.deleted', pg_catalog.jsonb_build_object(
        'product_id', v_product.id, 'deleted_at', v_at
    ));
END;
$$;
COMMENT ON FUNCTION catalog.delete_product(uuid) IS 'Soft-delete a product (catalog.manage); plan versions that bundle it keep it.';

CREATE OR REPLACE TRIGGER products_touch BEFORE UPDATE ON catalog.products
FOR EACH ROW EXECUTE FUNCTION util.touch_updated_at();

REVOKE EXECUTE ON FUNCTION catalog.lock_product(uuid, boolean) FROM public, restartix_app;
GRANT EXECUTE ON FUNCTION catalog.save_product(uuid, jsonb), catalog.delete_product(uuid) TO restartix_app;
