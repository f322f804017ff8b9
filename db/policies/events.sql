-- Who reads the event bus. The request pool has no grant on these tables at all: it
-- publishes through events.publish. The system pool (workers) reads them; it changes
-- consumers and deliveries only through the functions in db/functions/events.

SELECT util.reset_policies('events.event_types');
CREATE POLICY "the system pool reads the event catalog" ON events.event_types
FOR SELECT TO restartix_system
USING (true);

SELECT util.reset_policies('events.outbox');
CREATE POLICY "the system pool reads every event" ON events.outbox
FOR SELECT TO restartix_system
USING (true);

SELECT util.reset_policies('events.consumers');
CREATE POLICY "the system pool reads the consumers" ON events.consumers
FOR SELECT TO restartix_system
USING (true);

SELECT util.reset_policies('events.deliveries');
CREATE POLICY "the system pool reads what each consumer is owed" ON events.deliveries
FOR SELECT TO restartix_system
USING (true);

SELECT util.reset_policies('events.periodic_tasks');
CREATE POLICY "the system pool runs and records periodic tasks" ON events.periodic_tasks
FOR ALL TO restartix_system
USING (true) WITH CHECK (true);

SELECT util.reset_policies('events.routes');
CREATE POLICY "the system pool reads which consumers each type goes to" ON events.routes
FOR SELECT TO restartix_system
USING (true);

SELECT util.reset_policies('events.delivery_history');
CREATE POLICY "the system pool reads the record of completed deliveries" ON events.delivery_history
FOR SELECT TO restartix_system
USING (true);

-- Every mutation of these tables is written to the audit log (db/tests/audit/test_audit_catalog.sql
-- fails for a table missing here).
SELECT audit.track('events.consumers', p_org_column => null);
