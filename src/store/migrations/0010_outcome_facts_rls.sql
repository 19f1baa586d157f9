-- Row-level security for the dashboard's pre-aggregated outcome facts (issue 9), as in 0008.
GRANT SELECT, INSERT, UPDATE, DELETE ON course_outcome_facts TO rein_app;
--> statement-breakpoint
ALTER TABLE course_outcome_facts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE course_outcome_facts FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON course_outcome_facts
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
