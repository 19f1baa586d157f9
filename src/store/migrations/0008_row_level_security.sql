-- Row-level security keyed by clinic (DESIGN.md §2, issue 8): defence in depth beneath the query
-- filters. Clinic-scoped work runs in `inClinic()` (src/store/tx.ts), which switches the transaction
-- to the unprivileged role `rein_app` and sets `rein.clinic_id`; as `rein_app`, a row of another
-- clinic can be neither seen nor written, whatever the query says. Work that must span clinics
-- (login by email, session lookup, migrations, backup) runs as the connecting role.
-- The connecting role must be allowed to create `rein_app` once (CREATEROLE) or a DBA creates it.
DO $$
BEGIN
  CREATE ROLE rein_app NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- another database on this server created it first
END
$$;
--> statement-breakpoint
GRANT rein_app TO CURRENT_USER;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO rein_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO rein_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO rein_app;
--> statement-breakpoint
ALTER TABLE clinics ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE clinics FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON clinics
  USING (id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE alerts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE alerts FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON alerts
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE assessment_item_answers ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE assessment_item_answers FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON assessment_item_answers
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE assessment_responses ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE assessment_responses FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON assessment_responses
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE audit_chain_heads ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE audit_chain_heads FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON audit_chain_heads
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON audit_events
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE body_measurements ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE body_measurements FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON body_measurements
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE clinic_course_templates ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE clinic_course_templates FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON clinic_course_templates
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE clinic_session_settings ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE clinic_session_settings FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON clinic_session_settings
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE courses ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE courses FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON courses
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE eligibility_screenings ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE eligibility_screenings FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON eligibility_screenings
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE eligibility_sign_offs ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE eligibility_sign_offs FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON eligibility_sign_offs
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE login_sessions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE login_sessions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON login_sessions
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE medications ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE medications FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON medications
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE patients ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE patients FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON patients
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE portal_links ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE portal_links FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON portal_links
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE revisions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE revisions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON revisions
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE session_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE session_events FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON session_events
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE taper_check_ins ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE taper_check_ins FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON taper_check_ins
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE taper_decisions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE taper_decisions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON taper_decisions
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE taper_plan_versions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE taper_plan_versions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON taper_plan_versions
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE taper_plans ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE taper_plans FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON taper_plans
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE treatment_sessions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE treatment_sessions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON treatment_sessions
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE users FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON users
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
