-- Issue 14, finding 6: a domain is unique among verified domains only. Several
-- organizations may hold pending claims on one name (an unverified claim neither blocks the
-- real owner nor reveals itself); tenancy.mark_domain_verified releases the others.

ALTER TABLE tenancy.organization_domains DROP CONSTRAINT organization_domains_domain_key;
CREATE UNIQUE INDEX organization_domains_verified_key ON tenancy.organization_domains (domain)
WHERE verified_at IS NOT NULL;
-- One claim per organization; domain first, so lookups of a name by every organization use it.
CREATE UNIQUE INDEX organization_domains_domain_org_key ON tenancy.organization_domains (domain, organization_id);
