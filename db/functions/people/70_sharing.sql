-- Profile sharing follows the ledger: the forms domain calls this when a profile-sharing
-- consent is signed (TRUE) or withdrawn (FALSE). Not granted to any request role.

CREATE OR REPLACE FUNCTION people.set_profile_shared(p_patient uuid, p_shared boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
    UPDATE people.patients AS p SET profile_shared = p_shared, updated_at = util.now()
    WHERE p.id = p_patient AND p.deleted_at IS NULL AND p.profile_shared IS DISTINCT FROM p_shared;
END;
$$;
COMMENT ON FUNCTION people.set_profile_shared(uuid, boolean) IS 'Internal: opens or closes a patient''s profile to its organization, as the consents ledger says.';

REVOKE ALL ON FUNCTION people.set_profile_shared(uuid, boolean) FROM public;
