-- Metering and quotas (seed Foundation 1C.7): usage events partitioned by month, a dedupe
-- table for idempotency keys, and monthly rollups maintained in the recording transaction,
-- so a quota check is one primary-key read however many events exist.
-- Functions (recording, partitions) live in db/functions/metering.

CREATE SCHEMA metering;
COMMENT ON SCHEMA metering IS 'Usage events, their monthly rollups and the meters that feed billing quotas.';
GRANT USAGE ON SCHEMA metering TO restartix_app, restartix_system;

-- Which billing limit a meter counts against. One meter per limit, so a quota's usage is
-- exactly one rollup row.
CREATE TABLE metering.meters (
    code text PRIMARY KEY,
    limit_code text REFERENCES billing.limit_definitions (code),
    unit text NOT NULL,
    description text NOT NULL,
    CONSTRAINT meters_code_format CHECK (code ~ '^[a-z][a-z0-9_]{1,62}$'),
    CONSTRAINT meters_limit_code_key UNIQUE (limit_code),
    CONSTRAINT meters_unit_length CHECK (length(unit) BETWEEN 1 AND 32),
    CONSTRAINT meters_description_length CHECK (length(description) BETWEEN 1 AND 500)
);
COMMENT ON TABLE metering.meters IS 'Catalog of meters and the per-month billing limit each counts against (NULL: reported, not limited).';

INSERT INTO metering.meters (code, limit_code, unit, description) VALUES
('video_minutes', 'video.minutes', 'minutes', 'Minutes of video consultation.'),
('sms_sent', 'sms.sent', 'messages', 'Text messages sent.'),
('emails_sent', 'emails.sent', 'emails', 'Emails sent.'),
('storage_bytes', NULL, 'bytes', 'Bytes uploaded to storage (reported; the storage.bytes limit counts stored files).');

-- No foreign keys on the two high-volume tables: each would take a KEY SHARE lock on the
-- organization row per event (multixacts under concurrent writers). metering.record_usage
-- checks the organization and the meter; organizations are only ever soft-deleted.
CREATE TABLE metering.usage_events (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL,
    meter text NOT NULL,
    quantity bigint NOT NULL,
    occurred_at timestamptz NOT NULL,
    idempotency_key text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT util.now(),
    recorded_by uuid NOT NULL,
    PRIMARY KEY (id, occurred_at),
    CONSTRAINT usage_events_quantity_range CHECK (quantity BETWEEN 1 AND 1000000000000),
    CONSTRAINT usage_events_idempotency_key_length CHECK (length(idempotency_key) BETWEEN 1 AND 200)
) PARTITION BY RANGE (occurred_at);
COMMENT ON TABLE metering.usage_events IS 'Every usage report counted once (org, meter, quantity, when); partitioned by the UTC month it occurred in.';
CREATE INDEX usage_events_org_time_idx ON metering.usage_events (organization_id, occurred_at DESC);

-- Idempotency: a unique key on the partitioned table would have to include occurred_at, so a
-- retry with another timestamp would count twice. This plain table holds (org, key) once.
CREATE TABLE metering.usage_event_keys (
    organization_id uuid NOT NULL,
    idempotency_key text NOT NULL,
    event_id uuid NOT NULL,
    meter text NOT NULL,
    quantity bigint NOT NULL,
    occurred_at timestamptz NOT NULL,
    PRIMARY KEY (organization_id, idempotency_key)
);
COMMENT ON TABLE metering.usage_event_keys IS 'Idempotency keys of recorded usage, one per organization and key, with what the key stood for.';

CREATE TABLE metering.usage_rollups (
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id),
    meter text NOT NULL REFERENCES metering.meters (code),
    period_start date NOT NULL,
    quantity bigint NOT NULL DEFAULT 0,
    event_count bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT util.now(),
    PRIMARY KEY (organization_id, meter, period_start),
    CONSTRAINT usage_rollups_period_is_month CHECK (extract(DAY FROM period_start) = 1),
    CONSTRAINT usage_rollups_totals_nonnegative CHECK (quantity >= 0 AND event_count >= 0)
);
COMMENT ON TABLE metering.usage_rollups IS 'Usage per organization, meter and UTC month, updated in the same transaction as each event.';

-- Reads go through RLS (usage.read); every write goes through metering.record_usage.
REVOKE ALL ON metering.meters, metering.usage_events, metering.usage_event_keys, metering.usage_rollups
FROM public;
GRANT SELECT ON metering.meters, metering.usage_events, metering.usage_rollups TO restartix_app;
GRANT SELECT ON metering.meters TO restartix_system;
