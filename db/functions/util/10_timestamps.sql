-- Row timestamps kept by the database, not by callers.

CREATE OR REPLACE FUNCTION util.touch_updated_at() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
    NEW.updated_at := util.now();
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION util.touch_updated_at() IS 'BEFORE UPDATE trigger: sets updated_at to the (freezable) current time.';
