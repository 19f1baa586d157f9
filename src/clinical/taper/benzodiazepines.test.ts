import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bzdKetamineFlag, diazepamEquivalentMgPerDay, EQUIVALENCE_TABLES } from './benzodiazepines';

describe('diazepam equivalence', () => {
  it('converts with the Ashton column by default (ASAM Table 7: lorazepam 1 mg ≈ diazepam 10 mg)', () => {
    const r = diazepamEquivalentMgPerDay([{ drug: 'Lorazepam', doseMgPerDay: 2 }]);
    expect(r.table).toBe('ashton');
    expect(r.lowMgPerDay).toBe(20);
    expect(r.highMgPerDay).toBe(20);
  });

  it('gives different totals with the VA/DoD column (lorazepam 2 mg ≈ diazepam 10 mg)', () => {
    expect(
      diazepamEquivalentMgPerDay([{ drug: 'lorazepam', doseMgPerDay: 2 }], { table: 'va-dod' }).lowMgPerDay,
    ).toBe(10);
  });

  it('sums several drugs and ignores non-benzodiazepines', () => {
    const r = diazepamEquivalentMgPerDay([
      { drug: 'clonazepam', doseMgPerDay: 0.5 }, // 10 mg DE (Ashton 0.5 ≈ 10)
      { drug: 'diazepam', doseMgPerDay: 5 }, // 5 mg
      { drug: 'sertraline', doseMgPerDay: 100 },
    ]);
    expect(r.lowMgPerDay).toBe(15);
    expect(r.ignored).toEqual(['sertraline']);
  });

  it('returns a range where the table gives one (Ashton estazolam 1–2 mg ≈ diazepam 10 mg)', () => {
    const r = diazepamEquivalentMgPerDay([{ drug: 'estazolam', doseMgPerDay: 2 }]);
    expect(r.lowMgPerDay).toBe(10);
    expect(r.highMgPerDay).toBe(20);
  });

  it('reports benzodiazepines missing from the chosen table instead of counting them as zero', () => {
    const r = diazepamEquivalentMgPerDay([{ drug: 'bromazepam', doseMgPerDay: 6 }]);
    expect(r.notInTable).toEqual(['bromazepam']);
    expect(bzdKetamineFlag([{ drug: 'bromazepam', doseMgPerDay: 6 }]).level).toBe('possibly-above');
    // WHO 2009: bromazepam 3 mg ≈ diazepam 5 mg → 6 mg = 10 mg DE
    expect(
      diazepamEquivalentMgPerDay([{ drug: 'bromazepam', doseMgPerDay: 6 }], { table: 'who-2009' })
        .lowMgPerDay,
    ).toBe(10);
  });

  it('flags > 8 mg/day DE (Andrashko 2020): 8 mg is not above, 8.5 mg is', () => {
    expect(bzdKetamineFlag([{ drug: 'diazepam', doseMgPerDay: 8 }]).level).toBe('not-above');
    expect(bzdKetamineFlag([{ drug: 'diazepam', doseMgPerDay: 8.5 }]).level).toBe('above');
    // alprazolam 0.5 mg: 10 mg DE (Ashton) but 5 mg DE (VA/DoD) — the table matters
    expect(bzdKetamineFlag([{ drug: 'alprazolam', doseMgPerDay: 0.5 }]).level).toBe('above');
    expect(bzdKetamineFlag([{ drug: 'alprazolam', doseMgPerDay: 0.5 }], { table: 'va-dod' }).level).toBe(
      'not-above',
    );
  });

  it('is linear and additive in dose (property)', () => {
    const tables = Object.values(EQUIVALENCE_TABLES);
    fc.assert(
      fc.property(
        fc.constantFrom(...tables),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (t, a, b) => {
          const drug = Object.keys(t.equivalentMg)[0]!;
          const sum = diazepamEquivalentMgPerDay([{ drug, doseMgPerDay: a + b }], {
            table: t.id,
          }).lowMgPerDay;
          const parts = diazepamEquivalentMgPerDay(
            [
              { drug, doseMgPerDay: a },
              { drug, doseMgPerDay: b },
            ],
            { table: t.id },
          ).lowMgPerDay;
          expect(parts).toBeCloseTo(sum, 9);
        },
      ),
    );
  });

  it('diazepam maps to itself in every table', () => {
    for (const t of Object.values(EQUIVALENCE_TABLES)) {
      expect(
        diazepamEquivalentMgPerDay([{ drug: 'diazepam', doseMgPerDay: 7 }], { table: t.id }).lowMgPerDay,
      ).toBe(7);
    }
  });

  it('rejects negative doses naming the item', () => {
    expect(() => diazepamEquivalentMgPerDay([{ drug: 'diazepam', doseMgPerDay: -1 }])).toThrow(
      /meds\[0\]|dose/,
    );
  });
});
