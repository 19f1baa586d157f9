CREATE TABLE "clinical_note_addenda" (
	"clinic_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"note_id" uuid NOT NULL,
	"text" text NOT NULL,
	"author_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "clinical_note_addenda_clinic_id_id_pk" PRIMARY KEY("clinic_id","id")
);
--> statement-breakpoint
CREATE TABLE "clinical_notes" (
	"clinic_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"session_id" uuid,
	"kind" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"fields" jsonb NOT NULL,
	"text" text NOT NULL,
	"author_id" uuid NOT NULL,
	"author_role" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"signed_at" timestamp with time zone,
	"cosign_required" boolean DEFAULT false NOT NULL,
	"cosigned_by" uuid,
	"cosigned_at" timestamp with time zone,
	CONSTRAINT "clinical_notes_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "clinical_notes_kind_check" CHECK (kind in ('iv-administration', 'esketamine-treatment', 'prescriber-progress')),
	CONSTRAINT "clinical_notes_status_check" CHECK (status in ('draft', 'signed')),
	CONSTRAINT "clinical_notes_author_role_check" CHECK (author_role in ('admin', 'prescriber', 'nurse', 'staff')),
	CONSTRAINT "clinical_notes_signed_check" CHECK ((status = 'signed') = (signed_at is not null)),
	CONSTRAINT "clinical_notes_cosigner_check" CHECK (cosigned_by is null or cosigned_by <> author_id)
);
--> statement-breakpoint
ALTER TABLE "clinical_note_addenda" ADD CONSTRAINT "clinical_note_addenda_clinic_id_note_id_clinical_notes_clinic_id_id_fk" FOREIGN KEY ("clinic_id","note_id") REFERENCES "public"."clinical_notes"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinical_note_addenda" ADD CONSTRAINT "clinical_note_addenda_clinic_id_author_id_users_clinic_id_id_fk" FOREIGN KEY ("clinic_id","author_id") REFERENCES "public"."users"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinical_notes" ADD CONSTRAINT "clinical_notes_clinic_id_patient_id_patients_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinical_notes" ADD CONSTRAINT "clinical_notes_clinic_id_session_id_treatment_sessions_clinic_id_id_fk" FOREIGN KEY ("clinic_id","session_id") REFERENCES "public"."treatment_sessions"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinical_notes" ADD CONSTRAINT "clinical_notes_clinic_id_author_id_users_clinic_id_id_fk" FOREIGN KEY ("clinic_id","author_id") REFERENCES "public"."users"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinical_notes" ADD CONSTRAINT "clinical_notes_clinic_id_cosigned_by_users_clinic_id_id_fk" FOREIGN KEY ("clinic_id","cosigned_by") REFERENCES "public"."users"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "clinical_note_addenda_note_idx" ON "clinical_note_addenda" USING btree ("clinic_id","note_id");--> statement-breakpoint
CREATE INDEX "clinical_notes_patient_idx" ON "clinical_notes" USING btree ("clinic_id","patient_id");--> statement-breakpoint
CREATE INDEX "clinical_notes_session_idx" ON "clinical_notes" USING btree ("clinic_id","session_id");--> statement-breakpoint
-- Row-level security for the notes' tables, as in 0008.
GRANT SELECT, INSERT, UPDATE, DELETE ON clinical_notes TO rein_app;
--> statement-breakpoint
ALTER TABLE clinical_notes ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE clinical_notes FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON clinical_notes
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON clinical_note_addenda TO rein_app;
--> statement-breakpoint
ALTER TABLE clinical_note_addenda ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE clinical_note_addenda FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON clinical_note_addenda
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
--> statement-breakpoint
-- A signed note is locked: the database itself refuses any change to it except the one
-- co-signature (cosigned_by and cosigned_at going from null to set, nothing else changing), so a
-- direct UPDATE cannot alter a signed record either. Notes are never deleted.
CREATE OR REPLACE FUNCTION rein_clinical_notes_locked() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
    RAISE EXCEPTION 'clinical notes are never deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.signed_at IS NULL THEN
    RETURN NEW;
  END IF;
  IF OLD.cosigned_by IS NULL AND NEW.cosigned_by IS NOT NULL AND NEW.cosigned_at IS NOT NULL
     AND OLD.cosign_required
     AND (to_jsonb(NEW) - 'cosigned_by' - 'cosigned_at') = (to_jsonb(OLD) - 'cosigned_by' - 'cosigned_at') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'a signed clinical note is locked: add an addendum' USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER clinical_notes_locked BEFORE UPDATE OR DELETE ON clinical_notes
  FOR EACH ROW EXECUTE FUNCTION rein_clinical_notes_locked();
--> statement-breakpoint
CREATE TRIGGER clinical_notes_no_truncate BEFORE TRUNCATE ON clinical_notes
  FOR EACH STATEMENT EXECUTE FUNCTION rein_clinical_notes_locked();
--> statement-breakpoint
-- Addenda are append-only.
CREATE OR REPLACE FUNCTION rein_clinical_note_addenda_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'note addenda are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER clinical_note_addenda_append_only BEFORE UPDATE OR DELETE ON clinical_note_addenda
  FOR EACH ROW EXECUTE FUNCTION rein_clinical_note_addenda_append_only();
--> statement-breakpoint
CREATE TRIGGER clinical_note_addenda_no_truncate BEFORE TRUNCATE ON clinical_note_addenda
  FOR EACH STATEMENT EXECUTE FUNCTION rein_clinical_note_addenda_append_only();
