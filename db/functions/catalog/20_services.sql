-- Services: the writes a member holding catalog.manage makes (never a platform role).
-- Errors: RAISE EXCEPTION '<code>' USING DETAIL; column rules are the table's constraints.

CREATE OR REPLACE FUNCTION catalog.lock_service(p_id uuid, p_deleted boolean DEFAULT FALSE) RETURNS catalog.services
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_service catalog.services;
BEGIN
    SELECT * INTO v_service FROM catalog.services AS s
    WHERE s.id = p_id AND s.organization_id = iam.current_org_id()
      AND (s.deleted_at IS NOT NULL) = p_deleted
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'service_not_found' USING DETAIL = 'No such service in this organization.';
    END IF;
    RETURN v_service;
END;
$$;
COMMENT ON FUNCTION catalog.lock_service(uuid, boolean) IS 'Internal: locks a live (or deleted) service of the current organization, or raises service_not_found.';

CREATE OR REPLACE FUNCTION catalog.check_keys(p_fields jsonb, p_allowed text []) RETURNS text []
LANGUAGE plpgsql IMMUTABLE
SET search_path = ''
AS $$
-- The keys of a JSON object of fields, sorted; keys outside p_allowed are refused.
DECLARE
    v_keys text [];
BEGIN
    IF pg_catalog.jsonb_typeof(p_fields) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'The fields are a JSON object.';
    END IF;
    SELECT coalesce(pg_catalog.array_agg(k ORDER BY k), '{}') INTO v_keys FROM pg_catalog.jsonb_object_keys(p_fields) AS k;
    IF NOT v_keys <@ p_allowed THEN
        RAISE EXCEPTION 'invalid_field' USING DETAIL = 'These fields cannot be set here.';
    END IF;
    RETURN v_keys;
END;
$$;
COMMENT ON FUNCTION catalog.check_keys(jsonb, text []) IS 'Internal: the sorted keys of a fields object; raises invalid_field for keys not allowed.';

CREATE OR REPLACE FUNCTION catalog.create_service(p_fields jsonb) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_id uuid;
BEGIN
    PERFORM people.require_member_permission('catalog.manage');
    PERFORM catalog.check_keys(p_fields, ARRAY[
        'name', 'description', 'translations', 'duration_minutes', 'buffer_before_minutes',
        'buffer_after_minutes', 'price_amount', 'currency', 'modality', 'bookable_online', 'active', 'sort_order'
    ]);
    PERFORM billing.enforce_limit('services.max', 1);
    INSERT INTO catalog.services (
        organization_id, name, description, translations, duration_minutes, buffer_before_minutes,
        buffer_after_minutes, price_amount, currency, modality, bookable_online, active, sort_order, created_by
    ) VALUES (
        iam.current_org_id(),
        pg_catalog.btrim(p_fields ->> 'name'),
        coalesce(p_fields ->> 'description', ''),
        coalesce(p_fields -> 'translations', '{}'),
        (p_fields ->> 'duration_minutes')::integer,
        coalesce((p_fields ->> 'buffer_before_minutes')::integer, 0),
        coalesce((p_fields ->> 'buffer_after_minutes')::integer, 0),
        coalesce((p_fields ->> 'price_amount')::bigint, 0),
        p_fields ->> 'currency',
        coalesce(p_fields ->> 'modality', 'in_clinic'),
        coalesce((p_fields ->> 'bookable_online')::boolean, FALSE),
        coalesce((p_fields ->> 'active')::boolean, TRUE),
        coalesce((p_fields ->> 'sort_order')::integer, 0),
        iam.current_principal_id()
    ) RETURNING id INTO v_id;
    PERFORM events.publish('service.created', pg_catalog.jsonb_build_object(
        'service_id', v_id, 'bookable_online', coalesce((p_fields ->> 'bookable_online')::boolean, FALSE),
        'active', coalesce((p_fields ->> 'active')::boolean, TRUE)
    ));
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION catalog.create_service(jsonb) IS 'Add a service to the organization (catalog.manage); counts against services.max.';

CREATE OR REPLACE FUNCTION catalog.update_service(p_id uuid, p_changes jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Sets the fields named in p_changes. Every column here is NOT NULL, so a JSON null is
-- refused by the table, not read as "clear".
DECLARE
    v_service catalog.services;
    v_keys text [];
    c jsonb := p_changes;
BEGIN
    PERFORM people.require_member_permission('catalog.manage');
    v_keys := catalog.check_keys(c, ARRAY[
        'name', 'description', 'translations', 'duration_minutes', 'buffer_before_minutes',
        'buffer_after_minutes', 'price_amount', 'currency', 'modality', 'bookable_online', 'active', 'sort_order'
    ]);
    v_service := catalog.lock_service(p_id);
    IF pg_catalog.cardinality(v_keys) = 0 THEN
        RETURN;
    END IF;
    UPDATE catalog.services AS s SET
        name = CASE WHEN c ? 'name' THEN pg_catalog.btrim(c ->> 'name') ELSE s.name END,
        description = CASE WHEN c ? 'description' THEN c ->> 'description' ELSE s.description END,
        translations = CASE WHEN c ? 'translations' THEN c -> 'translations' ELSE s.translations END,
        duration_minutes = CASE WHEN c ? 'duration_minutes' THEN (c ->> 'duration_minutes')::integer ELSE s.duration_minutes END,
        buffer_before_minutes = CASE WHEN c ? 'buffer_before_minutes'
            THEN (c ->> 'buffer_before_minutes')::integer ELSE s.buffer_before_minutes END,
        buffer_after_minutes = CASE WHEN c ? 'buffer_after_minutes'
            THEN (c ->> 'buffer_after_minutes')::integer ELSE s.buffer_after_minutes END,
        price_amount = CASE WHEN c ? 'price_amount' THEN (c ->> 'price_amount')::bigint ELSE s.price_amount END,
        currency = CASE WHEN c ? 'currency' THEN c ->> 'currency' ELSE s.currency END,
        modality = CASE WHEN c ? 'modality' THEN c ->> 'modality' ELSE s.modality END,
        bookable_online = CASE WHEN c ? 'bookable_online' THEN (c ->> 'bookable_online')::boolean ELSE s.bookable_online END,
        active = CASE WHEN c ? 'active' THEN (c ->> 'active')::boolean ELSE s.active END,
        sort_order = CASE WHEN c ? 'sort_order' THEN (c ->> 'sort_order')::integer ELSE s.sort_order END
    WHERE s.id = v_service.id;
    PERFORM events.publish('service.updated', pg_catalog.jsonb_build_object(
        'service_id', v_service.id, 'changed', pg_catalog.to_jsonb(v_keys)
    ));
END;
$$;
COMMENT ON FUNCTION catalog.update_service(uuid, jsonb) IS 'Change the named fields of a live service (catalog.manage).';

CREATE OR REPLACE FUNCTION catalog.delete_service(p_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
-- Plan versions that include the service keep it (they are immutable); new enrollments of
-- them still work, the service just no longer appears in listings.
DECLARE
    v_service catalog.services;
    v_at timestamptz := util.now();
BEGIN
    PERFORM people.require_member_permission('catalog.manage');
    v_service := catalog.lock_service(p_id);
    UPDATE catalog.services SET deleted_at = v_at WHERE id = v_service.id;
    PERFORM events.publish('service.deleted', pg_catalog.jsonb_build_object(
        'service_id', v_service.id, 'deleted_at', v_at
    ));
END;
$$;
COMMENT ON FUNCTION catalog.delete_service(uuid) IS 'Soft-delete a service (catalog.manage).';

CREATE OR REPLACE FUNCTION catalog.restore_service(p_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
    v_service catalog.services;
BEGIN
    PERFORM people.require_member_permission('catalog.manage');
    v_service := catalog.lock_service(p_id, TRUE);
    PERFORM billing.enforce_limit('services.max', 1);
    UPDATE catalog.services SET deleted_at = NULL WHERE id = v_service.id;
    PERFORM events.publish('service.restored', pg_catalog.jsonb_build_object('service_id', v_service.id));
END;
$$;
COMMENT ON FUNCTION catalog.restore_service(uuid) IS 'Bring a soft-deleted service back (catalog.manage); counts against services.max again.';

CREATE OR REPLACE FUNCTION catalog.public_services(p_slug text)
RETURNS TABLE (
    id uuid,
    name text,
    description text,
    translations jsonb,
    duration_minutes integer,
    price_amount bigint,
    currency text,
    modality text,
    sort_order integer
)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
    -- The unauthenticated booking page: only what a visitor may see of live, active,
    -- online-bookable services of an active organization. Buffers, who created it and when
    -- are internal.
    SELECT s.id, s.name, s.description, s.translations, s.duration_minutes, s.price_amount, s.currency,
           s.modality, s.sort_order
    FROM tenancy.organizations AS o
    INNER JOIN catalog.services AS s ON s.organization_id = o.id
    WHERE o.slug = pg_catalog.lower(p_slug)
      AND o.status = 'active'
      AND o.deleted_at IS NULL
      AND s.deleted_at IS NULL
      AND s.active
      AND s.bookable_online
    ORDER BY s.sort_order, s.name, s.id
    LIMIT 500;
$$;
COMMENT ON FUNCTION catalog.public_services(text) IS 'Public fields of the bookable, active, live services of the active organization with this slug.';

CREATE OR REPLACE TRIGGER services_touch BEFORE UPDATE ON catalog.services
FOR EACH ROW EXECUTE FUNCTION util.touch_updated_at();

REVOKE EXECUTE ON FUNCTION catalog.lock_service(uuid, boolean), catalog.check_keys(jsonb, text []),
catalog.public_services(text) FROM public, restartix_app;
GRANT EXECUTE ON FUNCTION catalog.public_services(text) TO restartix_system;
GRANT EXECUTE ON FUNCTION catalog.create_service(jsonb), catalog.update_service(uuid, jsonb),
catalog.delete_service(uuid), catalog.restore_service(uuid)
TO restartix_app;
