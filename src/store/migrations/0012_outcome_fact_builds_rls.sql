-- Row-level security for the per-clinic outcome-fact build marker (issue 9), as in 0008.
GRANT SELECT, INSERT, UPDATE, DELETE ON outcome_fact_builds TO rein_app;
--> statement-breakpoint
ALTER TABLE outcome_fact_builds ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE outcome_fact_builds FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY clinic_isolation ON outcome_fact_builds
  USING (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid)
  WITH CHECK (clinic_id = nullif(current_setting('rein.clinic_id', true), '')::uuid);
