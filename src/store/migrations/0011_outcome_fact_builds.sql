CREATE TABLE "outcome_fact_builds" (
	"clinic_id" uuid PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"built_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outcome_fact_builds" ADD CONSTRAINT "outcome_fact_builds_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;