-- The audit log (monthly partitions, append-only) and the column classification registry
-- that tells the audit trigger which values it must never store.

CREATE TABLE util.column_classification (
    table_schema text NOT NULL,
    table_name text NOT NULL,
    column_name text NOT NULL,
    class text NOT NULL,
    egress text [] NOT NULL DEFAULT '{}',
    PRIMARY KEY (table_schema, table_name, column_name),
    CONSTRAINT column_classification_class_valid CHECK (class IN (
        'public', 'org_internal', 'pii_basic', 'pii_regulated', 'clinical', 'clinical_sensitive',
        'auth_secret', 'audit_only', 'system_metadata'
    )),
    CONSTRAINT column_classification_egress_valid CHECK (egress <@ ARRAY[
        'bulk_export', 'analytics_internal', 'webhook_egress', 'marketing_email', 'support_export',
        'ai_processing'
    ]::text [])
);
COMMENT ON TABLE util.column_classification IS 'docs/data-classification.md loaded by every migrate: the class and allowed egress of every column.';
GRANT SELECT ON util.column_classification TO restartix_app, restartix_system, restartix_analyst;

CREATE TABLE audit.audit_log (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created_at timestamptz NOT NULL DEFAULT util.now(),
    organization_id uuid,
    actor_id uuid NOT NULL REFERENCES iam.principals (id),
    actor_type text NOT NULL,
    action text NOT NULL,
    entity_type text NOT NULL,
    entity_id text,
    changed_columns text [],
    old_values jsonb,
    new_values jsonb,
    request_id text,
    action_context text,
    impersonation_id uuid,
    break_glass_id uuid,
    ip inet,
    user_agent text,
    PRIMARY KEY (id, created_at),
    CONSTRAINT audit_log_actor_type_valid CHECK (actor_type IN ('human', 'agent', 'service_account', 'system')),
    CONSTRAINT audit_log_action_format CHECK (action ~ '^[a-z][a-z0-9_.]{0,62}$')
) PARTITION BY RANGE (created_at);
COMMENT ON TABLE audit.audit_log IS 'Every mutation of a tenant or IAM table, one row each; append-only, partitioned by month.';
CREATE INDEX audit_log_org_time_idx ON audit.audit_log (organization_id, created_at DESC);
CREATE INDEX audit_log_entity_idx ON audit.audit_log (entity_type, entity_id, created_at DESC);
CREATE INDEX audit_log_actor_idx ON audit.audit_log (actor_id, created_at DESC);

CREATE TABLE audit.audit_ai_provenance (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    audit_log_id uuid NOT NULL,
    audit_log_created_at timestamptz NOT NULL,
    organization_id uuid,
    model text NOT NULL,
    prompt_hash text,
    tool_calls jsonb NOT NULL DEFAULT '[]',
    confidence numeric(5, 4),
    details jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (id, audit_log_created_at),
    CONSTRAINT audit_ai_provenance_audit_row FOREIGN KEY (audit_log_id, audit_log_created_at)
    REFERENCES audit.audit_log (id, created_at),
    CONSTRAINT audit_ai_provenance_confidence_range CHECK (confidence BETWEEN 0 AND 1)
) PARTITION BY RANGE (audit_log_created_at);
COMMENT ON TABLE audit.audit_ai_provenance IS 'How an AI actor reached a mutation (model, prompt hash, tool calls); partitioned with its audit row.';
CREATE INDEX audit_ai_provenance_audit_idx ON audit.audit_ai_provenance (audit_log_id, audit_log_created_at);
CREATE INDEX audit_ai_provenance_org_idx ON audit.audit_ai_provenance (organization_id, audit_log_created_at);

-- Readable under RLS; nobody but the trigger function (running as the owner) writes.
REVOKE ALL ON audit.audit_log, audit.audit_ai_provenance FROM public;
GRANT SELECT ON audit.audit_log, audit.audit_ai_provenance TO restartix_app;
