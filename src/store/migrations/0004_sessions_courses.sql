CREATE TABLE "clinic_course_templates" (
	"clinic_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"template_key" text NOT NULL,
	"name" text NOT NULL,
	"modality" text NOT NULL,
	"template" jsonb NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "clinic_course_templates_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "clinic_course_templates_modality_check" CHECK (modality in ('iv-ketamine', 'esketamine'))
);
--> statement-breakpoint
CREATE TABLE "clinic_session_settings" (
	"clinic_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"settings" jsonb NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "clinic_session_settings_clinic_id_id_pk" PRIMARY KEY("clinic_id","id")
);
--> statement-breakpoint
CREATE TABLE "courses" (
	"clinic_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"template_key" text NOT NULL,
	"template" jsonb NOT NULL,
	"modality" text NOT NULL,
	"start_date" date NOT NULL,
	"conflicts" jsonb NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "courses_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "courses_modality_check" CHECK (modality in ('iv-ketamine', 'esketamine'))
);
--> statement-breakpoint
CREATE TABLE "eligibility_screenings" (
	"clinic_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"modality" text NOT NULL,
	"answers" jsonb NOT NULL,
	"result" jsonb NOT NULL,
	"status" text NOT NULL,
	"screened_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "eligibility_screenings_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "eligibility_screenings_modality_check" CHECK (modality in ('iv-ketamine', 'esketamine')),
	CONSTRAINT "eligibility_screenings_status_check" CHECK (status in ('eligible', 'needs-review', 'not-eligible'))
);
--> statement-breakpoint
CREATE TABLE "eligibility_sign_offs" (
	"clinic_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"screening_id" uuid NOT NULL,
	"decision" text NOT NULL,
	"note" text,
	"signed_by" uuid NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "eligibility_sign_offs_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "eligibility_sign_offs_decision_check" CHECK (decision in ('approve', 'decline'))
);
--> statement-breakpoint
CREATE TABLE "session_events" (
	"clinic_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"time_min" double precision,
	"payload" jsonb NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "session_events_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "session_events_kind_check" CHECK (kind in ('check-in', 'checklist', 'dose-plan', 'dosing-start', 'vitals', 'alert-decision', 'cadss6', 'moaas', 'adverse-event', 'discharge', 'rems-submitted', 'note'))
);
--> statement-breakpoint
CREATE TABLE "treatment_sessions" (
	"clinic_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"sequence" integer NOT NULL,
	"phase_id" text NOT NULL,
	"phase_label" text NOT NULL,
	"date" date NOT NULL,
	"start_min" integer NOT NULL,
	"end_min" integer NOT NULL,
	"room_id" text NOT NULL,
	"target_date" date NOT NULL,
	"shifted_days" integer NOT NULL,
	"dose" jsonb NOT NULL,
	"fixed_dose_mg" double precision,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "treatment_sessions_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "treatment_sessions_minutes_check" CHECK (start_min >= 0 and end_min > start_min and end_min <= 1440)
);
--> statement-breakpoint
ALTER TABLE "clinic_course_templates" ADD CONSTRAINT "clinic_course_templates_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinic_course_templates" ADD CONSTRAINT "clinic_course_templates_clinic_id_created_by_users_clinic_id_id_fk" FOREIGN KEY ("clinic_id","created_by") REFERENCES "public"."users"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinic_session_settings" ADD CONSTRAINT "clinic_session_settings_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinic_session_settings" ADD CONSTRAINT "clinic_session_settings_clinic_id_created_by_users_clinic_id_id_fk" FOREIGN KEY ("clinic_id","created_by") REFERENCES "public"."users"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "courses" ADD CONSTRAINT "courses_clinic_id_patient_id_patients_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "courses" ADD CONSTRAINT "courses_clinic_id_created_by_users_clinic_id_id_fk" FOREIGN KEY ("clinic_id","created_by") REFERENCES "public"."users"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eligibility_screenings" ADD CONSTRAINT "eligibility_screenings_clinic_id_patient_id_patients_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eligibility_screenings" ADD CONSTRAINT "eligibility_screenings_clinic_id_screened_by_users_clinic_id_id_fk" FOREIGN KEY ("clinic_id","screened_by") REFERENCES "public"."users"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eligibility_sign_offs" ADD CONSTRAINT "eligibility_sign_offs_clinic_id_screening_id_eligibility_screenings_clinic_id_id_fk" FOREIGN KEY ("clinic_id","screening_id") REFERENCES "public"."eligibility_screenings"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eligibility_sign_offs" ADD CONSTRAINT "eligibility_sign_offs_clinic_id_signed_by_users_clinic_id_id_fk" FOREIGN KEY ("clinic_id","signed_by") REFERENCES "public"."users"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_events" ADD CONSTRAINT "session_events_clinic_id_session_id_treatment_sessions_clinic_id_id_fk" FOREIGN KEY ("clinic_id","session_id") REFERENCES "public"."treatment_sessions"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_events" ADD CONSTRAINT "session_events_clinic_id_recorded_by_users_clinic_id_id_fk" FOREIGN KEY ("clinic_id","recorded_by") REFERENCES "public"."users"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "treatment_sessions" ADD CONSTRAINT "treatment_sessions_clinic_id_course_id_courses_clinic_id_id_fk" FOREIGN KEY ("clinic_id","course_id") REFERENCES "public"."courses"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "treatment_sessions" ADD CONSTRAINT "treatment_sessions_clinic_id_patient_id_patients_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "clinic_course_templates_key_idx" ON "clinic_course_templates" USING btree ("clinic_id","template_key");--> statement-breakpoint
CREATE INDEX "courses_patient_idx" ON "courses" USING btree ("clinic_id","patient_id");--> statement-breakpoint
CREATE INDEX "eligibility_screenings_patient_idx" ON "eligibility_screenings" USING btree ("clinic_id","patient_id");--> statement-breakpoint
CREATE UNIQUE INDEX "eligibility_sign_offs_screening_unique" ON "eligibility_sign_offs" USING btree ("clinic_id","screening_id");--> statement-breakpoint
CREATE INDEX "session_events_session_idx" ON "session_events" USING btree ("clinic_id","session_id","recorded_at");--> statement-breakpoint
CREATE UNIQUE INDEX "treatment_sessions_sequence_unique" ON "treatment_sessions" USING btree ("clinic_id","course_id","sequence");--> statement-breakpoint
CREATE INDEX "treatment_sessions_date_idx" ON "treatment_sessions" USING btree ("clinic_id","date");