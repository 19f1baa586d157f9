/**
 * The trajectory chart, the titration suggestion and the outcomes dashboard take the baseline
 * PHQ-9 from the one core rule (baselineAssessment), so for the same patient they agree, where the
 * chart once preferred a response tagged "baseline" and the titration compared UTC dates.
 */
import { describe, expect, it } from 'vitest';
import { baselineAssessment, courseOutcome } from '../../clinical/outcomes';
import type { AssessmentWithItems } from '../../store/assessments';
import { trajectory } from '../../clinical/instruments/trajectory';

const T0 = Date.UTC(2026, 2, 9, 14, 0); // first dosing start: Mon 9 Mar 2026, 09:00 in Chicago
const at = (d: number, minutes = 0) => new Date(T0 + d * 86_400_000 + minutes * 60_000);

function phq9(id: string, when: Date, totalScore: number, context: string): AssessmentWithItems {
  return {
    clinicId: 'c',
    id,
    patientId: 'p',
    instrument: 'phq9',
    instrumentVersion: '1.0.0',
    context,
    sessionId: null,
    administeredAt: when,
    respondent: 'patient',
    enteredBy: null,
    portalLinkId: null,
    totalScore,
    severity: null,
    cssrsRisk: null,
    flags: [],
    items: [],
  } as unknown as AssessmentWithItems;
}

describe('one baseline PHQ-9 for trajectory, titration and dashboard', () => {
  // Tagged "baseline" at intake, re-scored the evening before (Chicago) which is already the first
  // dosing day in UTC, a pre-session score on the day, then scores during treatment.
  const rows = [
    phq9('intake', at(-14), 22, 'baseline'),
    phq9('eve', at(0, -12 * 60), 20, 'ad-hoc'), // 21:00 CDT on 8 Mar = 02:00 UTC on 9 Mar
    phq9('pre', at(0, -15), 19, 'pre-session'),
    phq9('wk1', at(7), 14, 'weekly'),
    phq9('wk2', at(14), 8, 'weekly'),
  ];
  const firstDosedAt = at(0);

  it('all three pick the latest score at or before the first dosing start', () => {
    const chart = trajectory(rows, {}, firstDosedAt).series.find((s) => s.instrument === 'phq9')!;
    const titration = baselineAssessment(
      rows.map((a) => ({ ...a, at: a.administeredAt, score: a.totalScore })),
      firstDosedAt,
    );
    const dashboard = courseOutcome({
      instrument: 'phq9',
      inductionSessions: [0, 2, 4].map((d) => ({ startedAt: at(d) })),
      assessments: rows.map((a) => ({ at: a.administeredAt, score: a.totalScore! })),
    }).baseline;
    expect(chart.baseline?.responseId).toBe('pre');
    expect(titration?.id).toBe('pre');
    expect(dashboard?.score).toBe(19);
    expect(chart.baseline?.total).toBe(dashboard?.score);
  });

  it('before treatment the chart measures change from the first score on record', () => {
    const chart = trajectory(rows.slice(0, 2), {}, null).series.find((s) => s.instrument === 'phq9')!;
    expect(chart.baseline?.responseId).toBe('intake');
  });
});
