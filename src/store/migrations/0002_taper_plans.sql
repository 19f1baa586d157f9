CREATE TABLE "taper_check_ins" (
	"clinic_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"check_in_date" date NOT NULL,
	"answers" jsonb NOT NULL,
	"tolerable" boolean NOT NULL,
	"note" text,
	"suggestion" jsonb NOT NULL,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "taper_check_ins_clinic_id_id_pk" PRIMARY KEY("clinic_id","id")
);
--> statement-breakpoint
CREATE TABLE "taper_decisions" (
	"clinic_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"decision_date" date NOT NULL,
	"suggested" text NOT NULL,
	"suggestion" jsonb NOT NULL,
	"decision" text NOT NULL,
	"overrides_suggestion" boolean NOT NULL,
	"reason" text NOT NULL,
	"decided_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "taper_decisions_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "taper_decisions_decision_check" CHECK (decision in ('continue', 'hold', 'step-back')),
	CONSTRAINT "taper_decisions_suggested_check" CHECK (suggested in ('continue', 'hold', 'step-back')),
	CONSTRAINT "taper_decisions_reason_present" CHECK (length(trim(reason)) > 0)
);
--> statement-breakpoint
CREATE TABLE "taper_plan_versions" (
	"clinic_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"previous_version_id" uuid,
	"decision_id" uuid,
	"mode" text NOT NULL,
	"start_date" date NOT NULL,
	"start_dose_mg" double precision NOT NULL,
	"infusion_dates" date[] DEFAULT '{}'::date[] NOT NULL,
	"request" jsonb NOT NULL,
	"plan" jsonb NOT NULL,
	"reason" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "taper_plan_versions_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "taper_plan_versions_mode_check" CHECK (mode in ('occupancy', 'proportional')),
	CONSTRAINT "taper_plan_versions_number_positive" CHECK (number >= 1),
	CONSTRAINT "taper_plan_versions_start_dose_positive" CHECK (start_dose_mg > 0),
	CONSTRAINT "taper_plan_versions_previous_check" CHECK ((number = 1) = (previous_version_id is null))
);
--> statement-breakpoint
CREATE TABLE "taper_plans" (
	"clinic_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"drug" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "taper_plans_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "taper_plans_status_check" CHECK (status in ('active', 'paused', 'completed', 'cancelled'))
);
--> statement-breakpoint
ALTER TABLE "taper_check_ins" ADD CONSTRAINT "taper_check_ins_clinic_id_plan_id_taper_plans_clinic_id_id_fk" FOREIGN KEY ("clinic_id","plan_id") REFERENCES "public"."taper_plans"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "taper_check_ins" ADD CONSTRAINT "taper_check_ins_clinic_id_recorded_by_users_clinic_id_id_fk" FOREIGN KEY ("clinic_id","recorded_by") REFERENCES "public"."users"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "taper_decisions" ADD CONSTRAINT "taper_decisions_clinic_id_plan_id_taper_plans_clinic_id_id_fk" FOREIGN KEY ("clinic_id","plan_id") REFERENCES "public"."taper_plans"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "taper_decisions" ADD CONSTRAINT "taper_decisions_clinic_id_version_id_taper_plan_versions_clinic_id_id_fk" FOREIGN KEY ("clinic_id","version_id") REFERENCES "public"."taper_plan_versions"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "taper_decisions" ADD CONSTRAINT "taper_decisions_clinic_id_decided_by_users_clinic_id_id_fk" FOREIGN KEY ("clinic_id","decided_by") REFERENCES "public"."users"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "taper_plan_versions" ADD CONSTRAINT "taper_plan_versions_clinic_id_plan_id_taper_plans_clinic_id_id_fk" FOREIGN KEY ("clinic_id","plan_id") REFERENCES "public"."taper_plans"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "taper_plan_versions" ADD CONSTRAINT "taper_plan_versions_clinic_id_previous_version_id_taper_plan_versions_clinic_id_id_fk" FOREIGN KEY ("clinic_id","previous_version_id") REFERENCES "public"."taper_plan_versions"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "taper_plan_versions" ADD CONSTRAINT "taper_plan_versions_clinic_id_created_by_users_clinic_id_id_fk" FOREIGN KEY ("clinic_id","created_by") REFERENCES "public"."users"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "taper_plans" ADD CONSTRAINT "taper_plans_clinic_id_patient_id_patients_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "taper_plans" ADD CONSTRAINT "taper_plans_clinic_id_created_by_users_clinic_id_id_fk" FOREIGN KEY ("clinic_id","created_by") REFERENCES "public"."users"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "taper_check_ins_plan_idx" ON "taper_check_ins" USING btree ("clinic_id","plan_id","check_in_date");--> statement-breakpoint
CREATE INDEX "taper_decisions_plan_idx" ON "taper_decisions" USING btree ("clinic_id","plan_id");--> statement-breakpoint
CREATE UNIQUE INDEX "taper_plan_versions_number_unique" ON "taper_plan_versions" USING btree ("clinic_id","plan_id","number");--> statement-breakpoint
CREATE INDEX "taper_plans_patient_idx" ON "taper_plans" USING btree ("clinic_id","patient_id");