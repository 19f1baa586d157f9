-- Audit events stay append-only, with one permitted change: the sealer gives an unsealed event
-- (one written with a digest and no chain position) its `seq`, `prev_hash` and `hash`, once, and
-- every other column stays exactly as written. Everything else is refused as before.
CREATE OR REPLACE FUNCTION rein_audit_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.seq IS NULL AND OLD.prev_hash IS NULL AND OLD.hash IS NULL AND OLD.digest IS NOT NULL
       AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL
       AND (to_jsonb(NEW) - 'seq' - 'prev_hash' - 'hash') = (to_jsonb(OLD) - 'seq' - 'prev_hash' - 'hash') THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
-- A server caches login sessions; any change that can end or narrow a session (logout, revocation,
-- password, role, disabling, deletion) announces the user's id on channel `rein_auth` when it
-- commits, whichever process or tool made it, so every server drops its cached copy at once.
CREATE OR REPLACE FUNCTION rein_notify_auth_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'users' THEN
    PERFORM pg_notify('rein_auth', OLD.id::text);
  ELSE
    PERFORM pg_notify('rein_auth', OLD.user_id::text);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER users_auth_change AFTER UPDATE ON users FOR EACH ROW
  WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.disabled IS DISTINCT FROM NEW.disabled
    OR OLD.password_hash IS DISTINCT FROM NEW.password_hash
    OR OLD.must_change_password IS DISTINCT FROM NEW.must_change_password
    OR OLD.email IS DISTINCT FROM NEW.email OR OLD.name IS DISTINCT FROM NEW.name
    OR OLD.clinic_id IS DISTINCT FROM NEW.clinic_id OR OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION rein_notify_auth_change();
--> statement-breakpoint
CREATE TRIGGER users_auth_delete AFTER DELETE ON users FOR EACH ROW
  EXECUTE FUNCTION rein_notify_auth_change();
--> statement-breakpoint
CREATE TRIGGER login_sessions_auth_change AFTER UPDATE ON login_sessions FOR EACH ROW
  WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
    OR OLD.token_hash IS DISTINCT FROM NEW.token_hash OR OLD.user_id IS DISTINCT FROM NEW.user_id
    OR OLD.clinic_id IS DISTINCT FROM NEW.clinic_id)
  EXECUTE FUNCTION rein_notify_auth_change();
--> statement-breakpoint
CREATE TRIGGER login_sessions_auth_delete AFTER DELETE ON login_sessions FOR EACH ROW
  EXECUTE FUNCTION rein_notify_auth_change();
