/**
 * A patient's trajectory: PHQ-9, QIDS-SR16 and GAD-7 totals over time with the baseline, the
 * response line and remission under the clinic's thresholds, and the suicide-item track. Pure.
 */
import { renderDefinition } from './overlay';
import {
  assessRemission,
  assessResponse,
  DEFAULT_REMISSION_THRESHOLDS,
  DEFAULT_RESPONSE_MIN_FALL_PERCENT,
  type RemissionThreshold,
} from './outcomes';
import type { InstrumentId } from './types';

/** One recorded response as the trajectory reads it (current versions, oldest first). */
export interface TrajectoryRow {
  id: string;
  instrument: string;
  totalScore: number | null;
  severity: string | null;
  context: string;
  administeredAt: Date;
  items: ReadonlyArray<{
    itemId: string;
    value: number | null;
    suicideItem: boolean;
    positive: boolean | null;
  }>;
}

/** The instruments charted on the trajectory. */
export const TRAJECTORY_INSTRUMENTS = ['phq9', 'qids-sr16', 'gad7'] as const;

/** Builds the trajectory with the core's outcome rules (assessResponse, assessRemission). */
export function trajectory(
  rows: readonly TrajectoryRow[],
  thresholds: Partial<Record<InstrumentId, RemissionThreshold>> = {},
) {
  const series = TRAJECTORY_INSTRUMENTS.map((instrument) => {
    const def = renderDefinition(instrument);
    const own = rows.filter((r) => r.instrument === instrument && r.totalScore !== null);
    const points = own.map((r) => ({
      responseId: r.id,
      at: r.administeredAt.toISOString(),
      total: r.totalScore!,
      severity: r.severity,
      context: r.context,
    }));
    const base = own.find((r) => r.context === 'baseline') ?? own[0];
    const baseline = base
      ? { responseId: base.id, at: base.administeredAt.toISOString(), total: base.totalScore! }
      : null;
    const threshold = thresholds[instrument] ?? DEFAULT_REMISSION_THRESHOLDS[instrument];
    const last = own[own.length - 1];
    let latest = null;
    if (last) {
      const resp = baseline && baseline.total > 0 ? assessResponse(baseline.total, last.totalScore!) : null;
      latest = {
        total: last.totalScore!,
        fallPercent: resp ? Math.round(resp.fallPercent * 10) / 10 : null,
        response: resp && last.id !== baseline?.responseId ? resp.response : null,
        remission: threshold ? assessRemission(instrument, last.totalScore!, thresholds).remission : null,
      };
    }
    return {
      instrument,
      title: def.title,
      totalRange: def.totalRange,
      points,
      baseline,
      responseLine:
        baseline && baseline.total > 0
          ? (baseline.total * (100 - DEFAULT_RESPONSE_MIN_FALL_PERCENT)) / 100
          : null,
      responseMinFallPercent: DEFAULT_RESPONSE_MIN_FALL_PERCENT,
      remission: threshold
        ? { comparator: threshold.comparator, value: threshold.value, source: threshold.source }
        : null,
      latest,
    };
  });
  const suicidality = rows.flatMap((r) =>
    r.items
      .filter((i) => i.suicideItem && i.value !== null)
      .map((i) => ({
        responseId: r.id,
        at: r.administeredAt.toISOString(),
        instrument: r.instrument as InstrumentId,
        itemId: i.itemId,
        value: i.value!,
        positive: i.positive ?? false,
      })),
  );
  return { series, suicidality };
}
