ALTER TABLE "users" ADD COLUMN "clinical_lead" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "npi" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "dea_number" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "licence_state" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "licence_number" text;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_clinical_lead_role_check" CHECK (not clinical_lead or role in ('admin', 'prescriber'));
--> statement-breakpoint
-- Before the sign-off existed, admins changed the clinic's session settings: they keep that power.
UPDATE "users" SET "clinical_lead" = true WHERE "role" = 'admin';
--> statement-breakpoint
-- Gaining or losing the clinical-lead sign-off changes what a cached login may do: it is announced
-- like a role change (the trigger of 0015 with clinical_lead added).
DROP TRIGGER users_auth_change ON users;
--> statement-breakpoint
CREATE TRIGGER users_auth_change AFTER UPDATE ON users FOR EACH ROW
  WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.disabled IS DISTINCT FROM NEW.disabled
    OR OLD.clinical_lead IS DISTINCT FROM NEW.clinical_lead
    OR OLD.password_hash IS DISTINCT FROM NEW.password_hash
    OR OLD.must_change_password IS DISTINCT FROM NEW.must_change_password
    OR OLD.email IS DISTINCT FROM NEW.email OR OLD.name IS DISTINCT FROM NEW.name
    OR OLD.clinic_id IS DISTINCT FROM NEW.clinic_id OR OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION rein_notify_auth_change();
