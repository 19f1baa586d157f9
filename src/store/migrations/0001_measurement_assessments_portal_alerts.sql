CREATE TABLE "alerts" (
	"clinic_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"response_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" uuid,
	"acknowledgement_note" text,
	"action_taken" text,
	CONSTRAINT "alerts_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "alerts_kind_check" CHECK (kind in ('suicidality', 'cssrs-risk')),
	CONSTRAINT "alerts_action_check" CHECK (action_taken is null or action_taken in ('contacted-patient', 'safety-plan-reviewed', 'same-day-assessment', 'crisis-referral', 'emergency-services', 'reviewed-no-action-needed', 'other')),
	CONSTRAINT "alerts_acknowledgement_complete" CHECK ((acknowledged_at is null and acknowledged_by is null and acknowledgement_note is null and action_taken is null) or (acknowledged_at is not null and acknowledged_by is not null and length(trim(acknowledgement_note)) > 0 and action_taken is not null))
);
--> statement-breakpoint
CREATE TABLE "assessment_item_answers" (
	"clinic_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"response_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"item_id" text NOT NULL,
	"value" integer,
	"suicide_item" boolean NOT NULL,
	"positive" boolean,
	CONSTRAINT "assessment_item_answers_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "assessment_item_answers_positive_only_for_suicide_items" CHECK (suicide_item or positive is null)
);
--> statement-breakpoint
CREATE TABLE "assessment_responses" (
	"clinic_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"instrument" text NOT NULL,
	"instrument_version" text NOT NULL,
	"context" text NOT NULL,
	"session_id" uuid,
	"administered_at" timestamp with time zone NOT NULL,
	"respondent" text NOT NULL,
	"entered_by" uuid,
	"portal_link_id" uuid,
	"total_score" integer,
	"severity" text,
	"cssrs_risk" text,
	"flags" text[] DEFAULT '{}'::text[] NOT NULL,
	"suicidality" boolean NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"root_id" uuid NOT NULL,
	"supersedes_id" uuid,
	"correction_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessment_responses_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "assessment_responses_instrument_check" CHECK (instrument in ('phq9', 'phq2', 'gad7', 'qids-sr16', 'madrs', 'cssrs-screener', 'cadss', 'cadss6', 'ssi')),
	CONSTRAINT "assessment_responses_context_check" CHECK (context in ('baseline', 'pre-session', 'post-4h', 'post-24h', 'weekly', 'ad-hoc')),
	CONSTRAINT "assessment_responses_respondent_check" CHECK (respondent in ('patient', 'clinician')),
	CONSTRAINT "assessment_responses_one_author" CHECK ((entered_by is not null and portal_link_id is null) or (entered_by is null and portal_link_id is not null and respondent = 'patient')),
	CONSTRAINT "assessment_responses_version_chain" CHECK ((version = 1 and supersedes_id is null and root_id = id) or (version > 1 and supersedes_id is not null and correction_reason is not null)),
	CONSTRAINT "assessment_responses_cssrs_risk_check" CHECK (cssrs_risk is null or cssrs_risk in ('none', 'low', 'moderate', 'high'))
);
--> statement-breakpoint
CREATE TABLE "portal_links" (
	"clinic_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	"last_used_at" timestamp with time zone,
	"use_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "portal_links_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "portal_links_expiry_after_creation" CHECK (expires_at > created_at),
	CONSTRAINT "portal_links_revocation_complete" CHECK ((revoked_at is null and revoked_by is null) or (revoked_at is not null and revoked_by is not null))
);
--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_clinic_id_patient_id_patients_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_clinic_id_response_id_assessment_responses_clinic_id_id_fk" FOREIGN KEY ("clinic_id","response_id") REFERENCES "public"."assessment_responses"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_clinic_id_acknowledged_by_users_clinic_id_id_fk" FOREIGN KEY ("clinic_id","acknowledged_by") REFERENCES "public"."users"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_item_answers" ADD CONSTRAINT "assessment_item_answers_clinic_id_response_id_assessment_responses_clinic_id_id_fk" FOREIGN KEY ("clinic_id","response_id") REFERENCES "public"."assessment_responses"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_item_answers" ADD CONSTRAINT "assessment_item_answers_clinic_id_patient_id_patients_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_responses" ADD CONSTRAINT "assessment_responses_clinic_id_patient_id_patients_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_responses" ADD CONSTRAINT "assessment_responses_clinic_id_entered_by_users_clinic_id_id_fk" FOREIGN KEY ("clinic_id","entered_by") REFERENCES "public"."users"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_responses" ADD CONSTRAINT "assessment_responses_clinic_id_portal_link_id_portal_links_clinic_id_id_fk" FOREIGN KEY ("clinic_id","portal_link_id") REFERENCES "public"."portal_links"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_responses" ADD CONSTRAINT "assessment_responses_clinic_id_supersedes_id_assessment_responses_clinic_id_id_fk" FOREIGN KEY ("clinic_id","supersedes_id") REFERENCES "public"."assessment_responses"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_links" ADD CONSTRAINT "portal_links_clinic_id_patient_id_patients_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_links" ADD CONSTRAINT "portal_links_clinic_id_created_by_users_clinic_id_id_fk" FOREIGN KEY ("clinic_id","created_by") REFERENCES "public"."users"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_links" ADD CONSTRAINT "portal_links_clinic_id_revoked_by_users_clinic_id_id_fk" FOREIGN KEY ("clinic_id","revoked_by") REFERENCES "public"."users"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alerts_open_idx" ON "alerts" USING btree ("clinic_id","created_at") WHERE acknowledged_at is null;--> statement-breakpoint
CREATE INDEX "alerts_patient_idx" ON "alerts" USING btree ("clinic_id","patient_id");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_item_answers_item_unique" ON "assessment_item_answers" USING btree ("clinic_id","response_id","item_id");--> statement-breakpoint
CREATE INDEX "assessment_item_answers_suicide_idx" ON "assessment_item_answers" USING btree ("clinic_id","patient_id") WHERE suicide_item;--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_responses_supersedes_unique" ON "assessment_responses" USING btree ("clinic_id","supersedes_id");--> statement-breakpoint
CREATE INDEX "assessment_responses_patient_idx" ON "assessment_responses" USING btree ("clinic_id","patient_id","administered_at");--> statement-breakpoint
CREATE UNIQUE INDEX "portal_links_token_hash_unique" ON "portal_links" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "portal_links_patient_idx" ON "portal_links" USING btree ("clinic_id","patient_id","created_at");