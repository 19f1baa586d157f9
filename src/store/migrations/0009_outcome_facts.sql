CREATE TABLE "course_outcome_facts" (
	"clinic_id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"modality" text NOT NULL,
	"start_date" date NOT NULL,
	"prescriber_id" uuid NOT NULL,
	"has_induction" boolean NOT NULL,
	"evaluable" boolean NOT NULL,
	"response" boolean,
	"remission" boolean,
	"rapid_response_4h" boolean,
	"rapid_response_24h" boolean,
	"suicidality_baseline" integer,
	"suicidality_change" integer,
	"suicidality_decreased" boolean,
	"suicidality_increased" boolean,
	"durability_days" double precision,
	"relapsed" boolean,
	"dosed_sessions" integer NOT NULL,
	"sessions_with_adverse_event" integer NOT NULL,
	"adverse_events" integer NOT NULL,
	"sessions_with_serious_adverse_event" integer NOT NULL,
	"serious_adverse_events" integer NOT NULL,
	"sessions_with_hypertension_alert" integer NOT NULL,
	"hypertension_alerts" integer NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "course_outcome_facts_clinic_id_course_id_pk" PRIMARY KEY("clinic_id","course_id")
);
--> statement-breakpoint
ALTER TABLE "course_outcome_facts" ADD CONSTRAINT "course_outcome_facts_clinic_id_course_id_courses_clinic_id_id_fk" FOREIGN KEY ("clinic_id","course_id") REFERENCES "public"."courses"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_outcome_facts" ADD CONSTRAINT "course_outcome_facts_clinic_id_patient_id_patients_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_outcome_facts" ADD CONSTRAINT "course_outcome_facts_clinic_id_prescriber_id_users_clinic_id_id_fk" FOREIGN KEY ("clinic_id","prescriber_id") REFERENCES "public"."users"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "course_outcome_facts_start_idx" ON "course_outcome_facts" USING btree ("clinic_id","start_date");--> statement-breakpoint
CREATE INDEX "course_outcome_facts_patient_idx" ON "course_outcome_facts" USING btree ("clinic_id","patient_id");--> statement-breakpoint
CREATE INDEX "courses_created_by_idx" ON "courses" USING btree ("clinic_id","created_by");--> statement-breakpoint
CREATE INDEX "session_events_dosing_start_idx" ON "session_events" USING btree ("clinic_id","recorded_at") WHERE kind = 'dosing-start';--> statement-breakpoint
CREATE INDEX "treatment_sessions_patient_idx" ON "treatment_sessions" USING btree ("clinic_id","patient_id");