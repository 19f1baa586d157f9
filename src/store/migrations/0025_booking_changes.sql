CREATE TABLE "booking_changes" (
	"clinic_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"scope" text NOT NULL,
	"reason" text NOT NULL,
	"from_date" date NOT NULL,
	"from_start_min" integer NOT NULL,
	"from_end_min" integer NOT NULL,
	"from_room_id" text NOT NULL,
	"to_date" date,
	"to_start_min" integer,
	"to_end_min" integer,
	"to_room_id" text,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "booking_changes_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "booking_changes_kind_check" CHECK (kind in ('reschedule', 'cancel', 'no-show')),
	CONSTRAINT "booking_changes_scope_check" CHECK (scope in ('session', 'course')),
	CONSTRAINT "booking_changes_to_check" CHECK ((kind = 'reschedule') = (to_date is not null and to_start_min is not null and to_end_min is not null and to_room_id is not null))
);
--> statement-breakpoint
ALTER TABLE "booking_changes" ADD CONSTRAINT "booking_changes_clinic_id_session_id_treatment_sessions_clinic_id_id_fk" FOREIGN KEY ("clinic_id","session_id") REFERENCES "public"."treatment_sessions"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_changes" ADD CONSTRAINT "booking_changes_clinic_id_course_id_courses_clinic_id_id_fk" FOREIGN KEY ("clinic_id","course_id") REFERENCES "public"."courses"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_changes" ADD CONSTRAINT "booking_changes_clinic_id_recorded_by_users_clinic_id_id_fk" FOREIGN KEY ("clinic_id","recorded_by") REFERENCES "public"."users"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "booking_changes_session_idx" ON "booking_changes" USING btree ("clinic_id","session_id","recorded_at");--> statement-breakpoint
CREATE INDEX "booking_changes_course_idx" ON "booking_changes" USING btree ("clinic_id","course_id");--> statement-breakpoint
-- Row-level security as in 0008. Append-only: the application role may read and add, never change.
GRANT SELECT, INSERT ON booking_changes TO rein_app;
--> statement-breakpoint
ALTER TABLE booking_changes ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE booking_changes FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON booking_changes
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
