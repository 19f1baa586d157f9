import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { patientEducation, type EducationInput } from './education';
import { mechanismFromRegimen } from './fromRegimen';

/** A block that rises to `peak` at `peakAt` min then halves every `halfLifeMin`. */
function course(peak: number, peakAt: number, halfLifeMin: number, untilMin: number): EducationInput {
  const timesMin = Array.from({ length: untilMin / 10 + 1 }, (_, i) => i * 10);
  const trappedBlock = timesMin.map((t) =>
    t <= peakAt ? (peak * t) / Math.max(peakAt, 1) : peak * 0.5 ** ((t - peakAt) / halfLifeMin),
  );
  const spineComponent = timesMin.map((t) => (t < 600 ? 0 : Math.exp(-((t - 1200) ** 2) / 1e6)));
  return {
    timesMin,
    trappedBlock,
    spineComponent,
    summary: { peakTrappedBlock: peak, peakTrappedBlockTimeMin: peakAt },
  };
}

describe('patient education view', () => {
  it('walks minutes, hours, days and weeks, each with a source and an evidence status', () => {
    const steps = patientEducation(course(0.6, 40, 300, 4320));
    expect(steps.map((s) => s.id)).toEqual(['minutes', 'hours', 'days', 'weeks']);
    for (const s of steps) {
      expect(s.text.length).toBeGreaterThan(40);
      expect(s.source).not.toBe('');
    }
  });

  it('states when the block peaks and until when it stays above half of its peak', () => {
    const [minutes] = patientEducation(course(0.6, 40, 300, 4320));
    // Half of the peak is reached one half-life (300 min) after the 40-min peak: 340 min = 5.7 h.
    expect(minutes!.inThisModel).toBe(
      'In this model the receptor block is greatest 40 minutes after the start and stays above half of that until about 5.7 hours.',
    );
  });

  it('says the block is still above half at the end when the horizon is short', () => {
    const [minutes] = patientEducation(course(0.6, 40, 10_000, 600));
    expect(minutes!.inThisModel).toMatch(/still above half of that at the end of the 10 hours shown/);
  });

  it('has nothing to say from the model when no drug is given', () => {
    const none = course(0, 0, 300, 600);
    const steps = patientEducation({
      ...none,
      trappedBlock: none.trappedBlock.map(() => 0),
      spineComponent: none.spineComponent.map(() => 0),
    });
    expect(steps.every((s) => s.inThisModel === null)).toBe(true);
  });

  it('never reports a half-block time before the peak (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 10, max: 5000 }),
        (peak, peakStep, halfLife) => {
          const c = course(peak, peakStep * 10, halfLife, 4320);
          const line = patientEducation(c)[0]!.inThisModel!;
          const until = /until about ([\d.]+) (minutes|hours|days)/.exec(line);
          if (until === null) return;
          const scale = { minutes: 1, hours: 60, days: 1440 }[until[2] as 'minutes' | 'hours' | 'days'];
          expect(Number(until[1]) * scale).toBeGreaterThanOrEqual(peakStep * 10 - 0.5 * scale);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is part of every mechanism result, read from that result', () => {
    const r = mechanismFromRegimen({
      model: 'domino-1984',
      weightKg: 70,
      doses: ['0.5 mg/kg over 40 min'],
      untilMin: 4320,
    });
    expect(r.education).toEqual(patientEducation(r));
    expect(r.education[0]!.inThisModel).toMatch(/^In this model the receptor block is greatest/);
    expect(r.education[2]!.inThisModel).toMatch(/new-connection index/);
  });
});
