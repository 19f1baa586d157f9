/**
 * The baseline of a course on its primary scale (PHQ-9): one rule for the trajectory chart, the
 * titration suggestions and the outcomes dashboard (rule BASELINE in
 * docs/clinical-sources/outcomes.md, an operational clinic choice).
 *
 * - Once treatment has started, the baseline is the latest scored assessment taken at or before
 *   the start of the first treatment session (its first dosing start). A score taken after that
 *   is never a baseline: with no pre-treatment score there is no baseline, and no response.
 * - Before any treatment session has started, the baseline is the first scored assessment on
 *   record (the score later change is measured from).
 */

export interface BaselineCandidate {
  at: Date;
  /** Total score; null (not scored) never counts. */
  score: number | null;
}

/** The baseline among `assessments` (any order), or null; see the module comment for the rule. */
export function baselineAssessment<T extends BaselineCandidate>(
  assessments: readonly T[],
  treatmentStartedAt: Date | null,
): T | null {
  const scored = assessments
    .filter((a) => typeof a.score === 'number' && Number.isFinite(a.at.getTime()))
    .map((a, i) => ({ a, i, t: a.at.getTime() }))
    // Stable: equal times keep their input order (the later-recorded one wins as "latest").
    .sort((x, y) => x.t - y.t || x.i - y.i);
  if (treatmentStartedAt === null) return scored[0]?.a ?? null;
  const start = treatmentStartedAt.getTime();
  return scored.findLast((x) => x.t <= start)?.a ?? null;
}
