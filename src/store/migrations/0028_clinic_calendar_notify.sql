-- Servers keep each login session's clinic time zone and locale with the cached session (the
-- clinic's "today" is read from them). A change to either announces `clinic:<id>` on `rein_auth`
-- when it commits, whichever process made it, so every server drops that clinic's cached sessions.
CREATE OR REPLACE FUNCTION rein_notify_clinic_calendar_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('rein_auth', 'clinic:' || NEW.id::text);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER clinics_calendar_change AFTER UPDATE ON clinics FOR EACH ROW
  WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone OR OLD.locale IS DISTINCT FROM NEW.locale
    OR OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION rein_notify_clinic_calendar_change();
