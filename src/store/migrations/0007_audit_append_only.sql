-- Audit events are append-only (DESIGN.md §3): no UPDATE, DELETE or TRUNCATE through any connection
-- the application uses. (A database superuser can still disable the trigger; the hash chain makes
-- that tampering detectable: `rein audit verify`.)
CREATE OR REPLACE FUNCTION rein_audit_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION rein_audit_events_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION rein_audit_events_append_only();
