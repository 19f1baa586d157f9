CREATE TABLE "allergies" (
	"clinic_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"substance" text NOT NULL,
	"substance_generic" text,
	"substance_free_text" boolean NOT NULL,
	"reaction" text,
	"severity" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"source" text NOT NULL,
	"notes" text,
	"status_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "allergies_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "allergies_status_check" CHECK (status in ('active', 'inactive', 'resolved', 'entered-in-error')),
	CONSTRAINT "allergies_severity_check" CHECK (severity in ('mild', 'moderate', 'severe', 'unknown')),
	CONSTRAINT "allergies_source_check" CHECK (source in ('patient', 'family-or-carer', 'previous-record', 'clinician-observed')),
	CONSTRAINT "allergies_free_text_check" CHECK (substance_free_text = (substance_generic is null))
);
--> statement-breakpoint
CREATE TABLE "allergy_statements" (
	"clinic_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "allergy_statements_clinic_id_id_pk" PRIMARY KEY("clinic_id","id")
);
--> statement-breakpoint
CREATE TABLE "diagnoses" (
	"clinic_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"icd10cm_code" text,
	"description" text NOT NULL,
	"free_text" boolean NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"onset_date" date,
	"notes" text,
	"status_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "diagnoses_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "diagnoses_status_check" CHECK (status in ('active', 'resolved', 'entered-in-error')),
	CONSTRAINT "diagnoses_free_text_check" CHECK (free_text = (icd10cm_code is null))
);
--> statement-breakpoint
CREATE TABLE "treatment_trials" (
	"clinic_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"drug" text NOT NULL,
	"dose_mg_per_day" double precision,
	"duration_weeks" double precision,
	"adherence" text NOT NULL,
	"response" text NOT NULL,
	"reason_stopped" text,
	"current_episode" boolean NOT NULL,
	"adequate_dose" boolean,
	"adequate_duration" boolean,
	"start_date" date,
	"notes" text,
	"status" text DEFAULT 'active' NOT NULL,
	"status_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "treatment_trials_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "treatment_trials_status_check" CHECK (status in ('active', 'entered-in-error')),
	CONSTRAINT "treatment_trials_adherence_check" CHECK (adherence in ('full', 'partial', 'poor', 'unknown')),
	CONSTRAINT "treatment_trials_response_check" CHECK (response in ('none', 'partial', 'response', 'remission', 'not-tolerated', 'unknown')),
	CONSTRAINT "treatment_trials_dose_check" CHECK (dose_mg_per_day is null or dose_mg_per_day > 0),
	CONSTRAINT "treatment_trials_duration_check" CHECK (duration_weeks is null or duration_weeks > 0)
);
--> statement-breakpoint
ALTER TABLE "courses" ADD COLUMN "primary_diagnosis_id" uuid;--> statement-breakpoint
ALTER TABLE "allergies" ADD CONSTRAINT "allergies_clinic_id_patient_id_patients_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allergies" ADD CONSTRAINT "allergies_clinic_id_created_by_users_clinic_id_id_fk" FOREIGN KEY ("clinic_id","created_by") REFERENCES "public"."users"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allergy_statements" ADD CONSTRAINT "allergy_statements_clinic_id_patient_id_patients_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allergy_statements" ADD CONSTRAINT "allergy_statements_clinic_id_recorded_by_users_clinic_id_id_fk" FOREIGN KEY ("clinic_id","recorded_by") REFERENCES "public"."users"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "diagnoses" ADD CONSTRAINT "diagnoses_clinic_id_patient_id_patients_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "diagnoses" ADD CONSTRAINT "diagnoses_clinic_id_created_by_users_clinic_id_id_fk" FOREIGN KEY ("clinic_id","created_by") REFERENCES "public"."users"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "treatment_trials" ADD CONSTRAINT "treatment_trials_clinic_id_patient_id_patients_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "treatment_trials" ADD CONSTRAINT "treatment_trials_clinic_id_created_by_users_clinic_id_id_fk" FOREIGN KEY ("clinic_id","created_by") REFERENCES "public"."users"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "allergies_patient_idx" ON "allergies" USING btree ("clinic_id","patient_id");--> statement-breakpoint
CREATE INDEX "allergy_statements_patient_idx" ON "allergy_statements" USING btree ("clinic_id","patient_id");--> statement-breakpoint
CREATE INDEX "diagnoses_patient_idx" ON "diagnoses" USING btree ("clinic_id","patient_id");--> statement-breakpoint
CREATE INDEX "treatment_trials_patient_idx" ON "treatment_trials" USING btree ("clinic_id","patient_id");--> statement-breakpoint
ALTER TABLE "courses" ADD CONSTRAINT "courses_clinic_id_primary_diagnosis_id_diagnoses_clinic_id_id_fk" FOREIGN KEY ("clinic_id","primary_diagnosis_id") REFERENCES "public"."diagnoses"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Row-level security for the clinical record's tables, as in 0008.
GRANT SELECT, INSERT, UPDATE, DELETE ON allergies TO rein_app;
--> statement-breakpoint
ALTER TABLE allergies ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE allergies FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON allergies
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON allergy_statements TO rein_app;
--> statement-breakpoint
ALTER TABLE allergy_statements ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE allergy_statements FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON allergy_statements
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON diagnoses TO rein_app;
--> statement-breakpoint
ALTER TABLE diagnoses ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE diagnoses FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON diagnoses
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON treatment_trials TO rein_app;
--> statement-breakpoint
ALTER TABLE treatment_trials ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE treatment_trials FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON treatment_trials
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
