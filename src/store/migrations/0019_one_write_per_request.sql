-- One check-in and one dosing start per session, and Idempotency-Keys for submissions.
--
-- Racing requests could store a session's check-in or dosing start more than once before this
-- migration. Such a session keeps its first check-in and its first dosing start (by recording
-- time, then id); each later duplicate stays on the record, unchanged in who and when, as a note
-- saying what it was, so nothing is deleted and it no longer counts as a second check-in or dose.
-- Row-level security is lifted for this one statement: a migration runs without a clinic.
ALTER TABLE session_events NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
UPDATE session_events e
SET
  kind = 'note',
  payload = jsonb_build_object(
    'text',
    'Duplicate ' || e.kind || ' entry stored by a simultaneous request; the first ' || e.kind || ' entry of this session stands.'
  )
WHERE e.kind IN ('check-in', 'dosing-start')
  AND EXISTS (
    SELECT 1 FROM session_events f
    WHERE f.clinic_id = e.clinic_id
      AND f.session_id = e.session_id
      AND f.kind = e.kind
      AND (f.recorded_at, f.id) < (e.recorded_at, e.id)
  );
--> statement-breakpoint
ALTER TABLE session_events FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE UNIQUE INDEX "session_events_one_check_in" ON "session_events" USING btree ("clinic_id","session_id") WHERE kind = 'check-in';--> statement-breakpoint
CREATE UNIQUE INDEX "session_events_one_dosing_start" ON "session_events" USING btree ("clinic_id","session_id") WHERE kind = 'dosing-start';--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"clinic_id" uuid NOT NULL,
	"actor" text NOT NULL,
	"key" text NOT NULL,
	"operation" text NOT NULL,
	"request_hash" text NOT NULL,
	"response" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_clinic_id_actor_key_pk" PRIMARY KEY("clinic_id","actor","key")
);
--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Row-level security for the keys, as for every clinic table (0008).
GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO rein_app;
--> statement-breakpoint
ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON idempotency_keys
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
