import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClinicalInputError } from '../errors';
import { instruments } from './registry';
import { scoreInstrument } from './score';

/** Invariants that hold for every summed instrument, whatever the answers. */
const summed = instruments.filter((d) => d.totalRange !== null);

function validAnswers(id: string) {
  const def = instruments.find((d) => d.id === id)!;
  return fc.tuple(
    ...def.items.filter((i) => i.required).map((i) => fc.constantFrom(...i.options.map((o) => o.value))),
  );
}

describe.each(summed.map((d) => [d.id, d] as const))('%s properties', (id, def) => {
  it('total lies within the published range and a band exists for it', () => {
    fc.assert(
      fc.property(validAnswers(id), (answers) => {
        const r = scoreInstrument(id, answers);
        expect(r.total).not.toBeNull();
        expect(r.total!).toBeGreaterThanOrEqual(def.totalRange!.min);
        expect(r.total!).toBeLessThanOrEqual(def.totalRange!.max);
        if (def.severityBands) expect(r.severity).toBeDefined();
      }),
      { numRuns: 200 },
    );
  });

  it('total is monotone in every item (raising one answer never lowers the total or the band)', () => {
    const required = def.items.filter((i) => i.required);
    fc.assert(
      fc.property(validAnswers(id), fc.nat(required.length - 1), fc.nat(), (answers, index, pick) => {
        const item = required[index]!;
        const current = answers[index]!;
        const higher = item.options.map((o) => o.value).filter((v) => v > current);
        if (higher.length === 0) return;
        const raised = [...answers];
        raised[index] = higher[pick % higher.length]!;
        const a = scoreInstrument(id, answers);
        const b = scoreInstrument(id, raised);
        expect(b.total!).toBeGreaterThanOrEqual(a.total!);
        if (def.severityBands) {
          const rank = (s: string | undefined) => def.severityBands!.findIndex((band) => band.label === s);
          expect(rank(b.severity)).toBeGreaterThanOrEqual(rank(a.severity));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('the suicidality flag is set exactly when a suicide item is ≥ 1', () => {
    const required = def.items.filter((i) => i.required);
    fc.assert(
      fc.property(validAnswers(id), (answers) => {
        const positive = required.some((item, i) => item.suicideItem && answers[i]! >= 1);
        expect(scoreInstrument(id, answers).flags.includes('suicidality')).toBe(positive);
      }),
      { numRuns: 100 },
    );
  });

  it('any out-of-range answer is rejected with that item named', () => {
    const required = def.items.filter((i) => i.required);
    fc.assert(
      fc.property(
        validAnswers(id),
        fc.nat(required.length - 1),
        fc.oneof(fc.integer({ min: -5, max: -1 }), fc.integer({ min: 7, max: 100 }), fc.constant(0.5)),
        (answers, index, bad) => {
          const broken: number[] = [...answers];
          broken[index] = bad;
          try {
            scoreInstrument(id, broken);
          } catch (err) {
            expect(err).toBeInstanceOf(ClinicalInputError);
            expect((err as ClinicalInputError).field).toBe(`item ${required[index]!.id}`);
            return;
          }
          throw new Error('accepted an invalid answer');
        },
      ),
      { numRuns: 100 },
    );
  });
});
