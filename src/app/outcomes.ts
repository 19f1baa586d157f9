/**
 * The clinic outcomes summary: response and remission at the end of induction, rapid response,
 * suicidality change, durability and per-session safety rates, from the pre-aggregated per-course
 * facts, with the clinic's own remission threshold and the published benchmarks beside them.
 */
import { ClinicalInputError } from '../clinical/errors';
import { clinicRemissionThresholds, DEFAULT_REMISSION_THRESHOLDS } from '../clinical/instruments';
import { BENCHMARKS, DEFAULT_RELAPSE_DEFINITION, summariseCounts } from '../clinical/outcomes';
import { getSessionSettings } from './session-settings';
import { outcomeFactCounts } from '../store/outcome-facts';
import { coursePrescribers } from '../store/outcomes';
import { activityCounts } from './outcome-rows';
import type { Modality } from '../clinical/protocols/evidence';
import { clinicToday } from './clinic-day';
import { recordAudit, type UseCaseContext } from './context';

export interface OutcomeFilter {
  from?: string | undefined;
  to?: string | undefined;
  modality?: Modality | undefined;
  prescriberId?: string | undefined;
}

export async function readOutcomeSummary(ctx: UseCaseContext, filter: OutcomeFilter) {
  const clinicId = ctx.actor.clinicId;
  if (filter.from && filter.to && filter.from > filter.to) {
    throw new ClinicalInputError('to', 'must be on or after from');
  }
  const remissionThresholds = clinicRemissionThresholds(
    (await getSessionSettings(ctx.tx, clinicId)).outcomes.remissionThresholds,
  );
  const phq9Threshold = remissionThresholds.phq9 ?? DEFAULT_REMISSION_THRESHOLDS.phq9!;
  // Pre-aggregated per-course facts, kept current by every write that changes them.
  const summary = summariseCounts(
    await outcomeFactCounts(ctx.tx, clinicId, {
      fromDate: filter.from,
      toDate: filter.to,
      modality: filter.modality,
      prescriberId: filter.prescriberId,
    }),
  );
  const counts = await activityCounts(ctx.tx, clinicId, ctx.now, await clinicToday(ctx));
  const prescribers = await coursePrescribers(ctx.tx, clinicId);
  await recordAudit(ctx, {
    action: 'outcomes.read',
    resourceType: 'outcomes',
    details: { courses: summary.courses, evaluable: summary.evaluable },
  });
  return {
    summary,
    counts,
    prescribers,
    phq9Threshold,
    relapseDefinition: DEFAULT_RELAPSE_DEFINITION,
    benchmarks: BENCHMARKS,
  };
}
