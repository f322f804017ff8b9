-- Keyset pages of members read an index range in the list's default order (created_at, id)
-- instead of sorting every membership of the organization.
CREATE INDEX organization_memberships_org_created_idx
ON tenancy.organization_memberships (organization_id, created_at, id);
