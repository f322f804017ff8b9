-- The event types events.publish accepts, reloaded by every migrate. Their payload schemas
-- are the msgspec structs of app/events/catalog.py and the tables of docs/events.md;
-- tests/test_event_catalog.py fails when the three disagree.

WITH wanted (type, version, description) AS (
    VALUES
    ('organization.created', 1, 'An organization (clinic) was created.'),
    ('organization.updated', 1, 'An organization''s slug, name, status or deletion mark changed.'),
    ('membership.invited', 1, 'A principal was invited into an organization.'),
    ('membership.added', 1, 'A principal was given a membership directly, not by invitation.'),
    ('membership.role_changed', 1, 'A member''s role changed.'),
    ('membership.status_changed', 1, 'A membership''s status changed (invited, active, suspended).'),
    ('membership.removed', 1, 'A membership was deleted.'),
    ('domain.added', 1, 'A custom domain was added to an organization.'),
    ('domain.verified', 1, 'A custom domain was verified.'),
    ('domain.primary_changed', 1, 'A custom domain became, or stopped being, the primary one.'),
    ('domain.removed', 1, 'A custom domain was removed.'),
    ('role.created', 1, 'A role was created (a custom role, or a system template).'),
    ('role.updated', 1, 'A role''s code, name, description or permissions changed.'),
    ('role.deleted', 1, 'A role was deleted.'),
    ('consent.granted', 1, 'A subject granted (or acknowledged) a consent purpose.'),
    ('consent.withdrawn', 1, 'A subject withdrew a consent-based grant.'),
    ('consent.document_published', 1, 'A new version of a terms, notice or consent document was published.'),
    ('invitation.created', 1, 'Someone was invited to join an organization with a role.'),
    ('invitation.accepted', 1, 'An invitation was accepted; the invitee is now a member.'),
    ('invitation.revoked', 1, 'A pending invitation was revoked.'),
    ('subscription.started', 1, 'An organization subscribed to a tier version (base or add-on); its snapshot was taken.'),
    ('subscription.ended', 1, 'A subscription ended (tier change, add-on detached, migration to a new version).'),
    ('subscription.override_granted', 1, 'A platform admin overrode one entitlement or limit of an organization.'),
    ('subscription.override_revoked', 1, 'An override was revoked before its expiry.'),
    ('org_entitlement.changed', 1, 'A platform admin switched an org-scoped entitlement on or off.'),
    ('patient_tier.saved', 1, 'A patient tier was created or changed (a new version when perks or limits changed).'),
    ('organization_settings.updated', 1, 'An organization''s settings changed.'),
    ('organization_billing.updated', 1, 'An organization''s billing profile changed.'),
    ('file.uploaded', 1, 'An uploaded file''s bytes were checked and the file is ready.'),
    ('file.rejected', 1, 'An upload was refused (wrong type, too large, expired, over quota) and its bytes deleted.'),
    ('file.deleted', 1, 'A file was replaced or removed; its bytes leave the bucket with the next sweep.')
),

stale AS (
    DELETE FROM events.event_types AS t
    WHERE NOT EXISTS (SELECT 1 FROM wanted AS w WHERE w.type = t.type AND w.version = t.version)
)

INSERT INTO events.event_types (type, version, description)
SELECT w.type, w.version, w.description FROM wanted AS w
ON CONFLICT (type, version) DO UPDATE SET description = excluded.description;
