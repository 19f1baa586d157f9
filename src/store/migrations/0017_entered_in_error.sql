ALTER TABLE "body_measurements" ADD COLUMN "status" text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE "body_measurements" ADD COLUMN "status_reason" text;--> statement-breakpoint
ALTER TABLE "body_measurements" ADD COLUMN "status_changed_by" uuid;--> statement-breakpoint
ALTER TABLE "body_measurements" ADD COLUMN "status_changed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "body_measurements" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "medications" ADD COLUMN "status" text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE "medications" ADD COLUMN "status_reason" text;--> statement-breakpoint
ALTER TABLE "medications" ADD COLUMN "dose_above_maximum" jsonb;--> statement-breakpoint
ALTER TABLE "body_measurements" ADD CONSTRAINT "body_measurements_status_check" CHECK (status in ('active', 'entered-in-error'));--> statement-breakpoint
ALTER TABLE "medications" ADD CONSTRAINT "medications_status_check" CHECK (status in ('active', 'entered-in-error'));