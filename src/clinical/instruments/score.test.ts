import { describe, expect, it } from 'vitest';
import { ClinicalInputError } from '../errors';
import { cadss6FromCadss, scoreInstrument } from './score';

/**
 * Worked examples. Every expected total and band below was computed by hand from the manual's rule
 * (reference instruments.md §1) — sum of items, QIDS domain maxima, Snaith bands, C-SSRS triage —
 * not copied from the code's output.
 */

type Case = [answers: number[], total: number, severity: string | undefined, suicidality: boolean];

function check(id: string, cases: Case[]) {
  it.each(cases)(`${id} %j → total %i (%s)`, (answers, total, severity, suicidality) => {
    const r = scoreInstrument(id, answers);
    expect(r.total).toBe(total);
    expect(r.severity).toBe(severity);
    expect(r.flags.includes('suicidality')).toBe(suicidality);
  });
}

function expectItemError(fn: () => unknown, field: string) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ClinicalInputError);
    expect((err as ClinicalInputError).field).toBe(field);
    return;
  }
  throw new Error(`expected ClinicalInputError on ${field}`);
}

describe('PHQ-9 (bands 0–4/5–9/10–14/15–19/20–27)', () => {
  check('phq9', [
    [[0, 0, 0, 0, 0, 0, 0, 0, 0], 0, 'minimal', false],
    [[1, 1, 1, 1, 0, 0, 0, 0, 0], 4, 'minimal', false],
    [[1, 1, 1, 1, 1, 0, 0, 0, 0], 5, 'mild', false],
    [[1, 1, 1, 1, 1, 1, 1, 1, 1], 9, 'mild', true],
    [[2, 2, 2, 2, 2, 0, 0, 0, 0], 10, 'moderate', false],
    [[2, 2, 2, 2, 2, 2, 2, 0, 0], 14, 'moderate', false],
    [[3, 3, 3, 3, 3, 0, 0, 0, 0], 15, 'moderately-severe', false],
    [[3, 3, 3, 3, 3, 3, 1, 0, 0], 19, 'moderately-severe', false],
    [[3, 3, 3, 3, 3, 3, 2, 0, 0], 20, 'severe', false],
    [[3, 3, 3, 3, 3, 3, 3, 3, 3], 27, 'severe', true],
    [[0, 0, 0, 0, 0, 0, 0, 0, 1], 1, 'minimal', true],
    [[0, 1, 0, 2, 0, 3, 0, 0, 2], 8, 'mild', true],
  ]);

  it('does not score the difficulty item', () => {
    const r = scoreInstrument('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 0, 3]);
    expect(r.total).toBe(0);
    expect(r.items.find((i) => i.id === 'difficulty')?.value).toBe(3);
  });

  it('accepts answers keyed by item id', () => {
    const r = scoreInstrument('phq9', {
      '1': 1,
      '2': 1,
      '3': 1,
      '4': 1,
      '5': 1,
      '6': 0,
      '7': 0,
      '8': 0,
      '9': 2,
    });
    expect(r.total).toBe(7);
    expect(r.flags).toEqual(['suicidality']);
  });

  it('rejects an out-of-range, fractional or missing answer, naming the item', () => {
    expectItemError(() => scoreInstrument('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 4]), 'item 9');
    expectItemError(() => scoreInstrument('phq9', [0, 0, 1.5, 0, 0, 0, 0, 0, 0]), 'item 3');
    expectItemError(() => scoreInstrument('phq9', [0, 0, 0, -1, 0, 0, 0, 0, 0]), 'item 4');
    expectItemError(
      () => scoreInstrument('phq9', { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0, '6': 0, '7': 0, '8': 0 }),
      'item 9',
    );
    expectItemError(() => scoreInstrument('phq9', [0, 0, 0]), 'answers');
    expectItemError(() => scoreInstrument('phq9', { '10': 1 }), 'item 10');
    expectItemError(() => scoreInstrument('nope', [0]), 'instrument');
  });

  it('applies valid per-clinic bands and rejects bands with gaps', () => {
    // MADRS alternative cuts 12/24/35 (reference §1.5 [S]) entered as clinic bands.
    const madrsAlt = [
      { label: 'normal', min: 0, max: 11 },
      { label: 'mild', min: 12, max: 23 },
      { label: 'moderate', min: 24, max: 34 },
      { label: 'severe', min: 35, max: 60 },
    ];
    const madrs11 = [6, 5, 0, 0, 0, 0, 0, 0, 0, 0]; // 11: Snaith mild, alternative normal
    expect(scoreInstrument('madrs', madrs11).severity).toBe('mild');
    expect(scoreInstrument('madrs', madrs11, { severityBands: { madrs: madrsAlt } }).severity).toBe('normal');
    const renamed = madrsAlt.map((b, i) => (i === 0 ? { ...b, label: 'absent' } : b));
    expectItemError(
      () => scoreInstrument('madrs', madrs11, { severityBands: { madrs: renamed } }),
      'severityBands.madrs',
    );
    const gap = [
      { label: 'minimal', min: 0, max: 4 },
      { label: 'mild', min: 5, max: 8 },
      { label: 'moderate', min: 10, max: 14 },
      { label: 'moderately-severe', min: 15, max: 19 },
      { label: 'severe', min: 20, max: 27 },
    ];
    expectItemError(
      () => scoreInstrument('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 0], { severityBands: { phq9: gap } }),
      'severityBands.phq9',
    );
  });
});

describe('PHQ-2 (0–6, positive screen ≥3)', () => {
  it.each([
    [[0, 0], 0, false],
    [[1, 0], 1, false],
    [[0, 1], 1, false],
    [[1, 1], 2, false],
    [[0, 2], 2, false],
    [[2, 1], 3, true],
    [[1, 2], 3, true],
    [[3, 0], 3, true],
    [[2, 2], 4, true],
    [[3, 3], 6, true],
  ])('%j → %i, positive %s', (answers, total, positive) => {
    const r = scoreInstrument('phq2', answers);
    expect(r.total).toBe(total);
    expect(r.flags.includes('positive-screen')).toBe(positive);
    expect(r.flags.includes('suicidality')).toBe(false);
  });
});

describe('GAD-7 (bands 0–4/5–9/10–14/15–21)', () => {
  check('gad7', [
    [[0, 0, 0, 0, 0, 0, 0], 0, 'minimal', false],
    [[1, 1, 1, 1, 0, 0, 0], 4, 'minimal', false],
    [[1, 1, 1, 1, 1, 0, 0], 5, 'mild', false],
    [[2, 2, 2, 2, 1, 0, 0], 9, 'mild', false],
    [[2, 2, 2, 2, 2, 0, 0], 10, 'moderate', false],
    [[2, 2, 2, 2, 2, 2, 2], 14, 'moderate', false],
    [[3, 3, 3, 3, 3, 0, 0], 15, 'severe', false],
    [[3, 3, 3, 3, 3, 3, 3], 21, 'severe', false],
    [[0, 0, 0, 0, 0, 0, 3], 3, 'minimal', false],
    [[3, 0, 3, 0, 3, 0, 3], 12, 'moderate', false],
  ]);
  it('rejects 4 on item 7', () =>
    expectItemError(() => scoreInstrument('gad7', [0, 0, 0, 0, 0, 0, 4]), 'item 7'));
});

/** 16 QIDS answers, all 0 except the given item numbers. */
function qids(set: Record<number, number>): number[] {
  return Array.from({ length: 16 }, (_, i) => set[i + 1] ?? 0);
}

describe('QIDS-SR16 (nine domains, each the highest of its items; bands 0–5/6–10/11–15/16–20/21–27)', () => {
  check('qids-sr16', [
    [qids({}), 0, 'none', false],
    // Sleep items 1–4 all 3: domain = max = 3, not the sum 12.
    [qids({ 1: 3, 2: 3, 3: 3, 4: 3 }), 3, 'none', false],
    // sleep max(1,2)=2, mood 1, appetite/weight max(1,2)=2 → 5.
    [qids({ 1: 1, 2: 2, 5: 1, 7: 1, 8: 2 }), 5, 'none', false],
    // sleep 2 + mood 2 + appetite 2 → 6.
    [qids({ 3: 2, 5: 2, 6: 2 }), 6, 'mild', false],
    // sleep 2 + mood 2 + appetite 2 + concentration 2 + self-view 2 → 10.
    [qids({ 4: 2, 5: 2, 9: 2, 10: 2, 11: 2 }), 10, 'mild', false],
    [qids({ 4: 2, 5: 2, 9: 2, 10: 2, 11: 2, 13: 1 }), 11, 'moderate', false],
    [qids({ 1: 3, 5: 3, 6: 3, 10: 3, 11: 3 }), 15, 'moderate', false],
    [qids({ 1: 3, 5: 3, 6: 3, 10: 3, 11: 3, 14: 1 }), 16, 'severe', false],
    // + energy 3 + psychomotor max(2,1)=2 → 20.
    [qids({ 1: 3, 5: 3, 6: 3, 10: 3, 11: 3, 14: 3, 15: 2, 16: 1 }), 20, 'severe', false],
    [qids({ 1: 3, 5: 3, 6: 3, 10: 3, 11: 3, 14: 3, 16: 3 }), 21, 'very-severe', false],
    [Array<number>(16).fill(3), 27, 'very-severe', true],
    [qids({ 12: 1 }), 1, 'none', true],
    [qids({ 15: 1, 16: 3 }), 3, 'none', false],
  ]);

  it('accepts either item 6 or 7 and either 8 or 9 (paper form), but not neither', () => {
    const answers: (number | null)[] = qids({ 7: 2, 9: 1, 5: 1 });
    answers[5] = null; // item 6 left blank
    answers[7] = null; // item 8 left blank
    // appetite/weight = max(2, 1) = 2, mood 1 → 3.
    expect(scoreInstrument('qids-sr16', answers).total).toBe(3);
    const neither: (number | null)[] = qids({});
    neither[7] = null;
    neither[8] = null;
    expectItemError(() => scoreInstrument('qids-sr16', neither), 'item 8');
  });

  it('reports the nine domain scores', () => {
    const r = scoreInstrument('qids-sr16', qids({ 2: 1, 3: 2, 7: 3, 12: 2 }));
    expect(r.domains?.map((d) => [d.id, d.score])).toEqual([
      ['sleep', 2],
      ['sad-mood', 0],
      ['appetite-weight', 3],
      ['concentration', 0],
      ['self-view', 0],
      ['suicidal-ideation', 2],
      ['interest', 0],
      ['energy', 0],
      ['psychomotor', 0],
    ]);
    expect(r.total).toBe(7);
  });
});

describe('MADRS (clinician, items 0–6, Snaith bands 0–6/7–19/20–34/35–60)', () => {
  check('madrs', [
    [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0, 'normal', false],
    [[6, 0, 0, 0, 0, 0, 0, 0, 0, 0], 6, 'normal', false],
    [[6, 1, 0, 0, 0, 0, 0, 0, 0, 0], 7, 'mild', false],
    [[6, 6, 6, 1, 0, 0, 0, 0, 0, 0], 19, 'mild', false],
    [[6, 6, 6, 2, 0, 0, 0, 0, 0, 0], 20, 'moderate', false],
    [[6, 6, 6, 6, 6, 4, 0, 0, 0, 0], 34, 'moderate', false],
    [[6, 6, 6, 6, 6, 5, 0, 0, 0, 0], 35, 'severe', false],
    [[6, 6, 6, 6, 6, 6, 6, 6, 6, 6], 60, 'severe', true],
    [[0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 1, 'normal', true],
    [[1, 3, 5, 0, 2, 4, 6, 0, 0, 0], 21, 'moderate', false],
  ]);
  it('rejects 7, naming the item', () =>
    expectItemError(() => scoreInstrument('madrs', [0, 0, 0, 0, 7, 0, 0, 0, 0, 0]), 'item 5'));
});

describe('CADSS (23 items, 0–4 per item [U]) and CADSS-6', () => {
  const full = (set: Record<number, number>) => Array.from({ length: 23 }, (_, i) => set[i + 1] ?? 0);
  it.each([
    [full({}), 0],
    [full({ 1: 1 }), 1],
    [full({ 23: 4 }), 4],
    [full({ 1: 2, 2: 2, 3: 2 }), 6],
    [full({ 5: 4, 10: 4, 15: 4, 20: 4 }), 16],
    [Array<number>(23).fill(1), 23],
    [Array<number>(23).fill(2), 46],
    [Array<number>(23).fill(3), 69],
    [Array<number>(23).fill(4), 92],
    [full({ 1: 1, 2: 2, 6: 3, 7: 4, 15: 1, 22: 2, 23: 4 }), 17],
  ])('%j → %i', (answers, total) => {
    const r = scoreInstrument('cadss', answers);
    expect(r.total).toBe(total);
    expect(r.totalRange).toEqual({ min: 0, max: 92 });
    expect(r.flags).toEqual([]);
    expect(r.unverified.some((u) => u.includes('cadss.itemRange') && u.includes('[U]'))).toBe(true);
  });

  it('takes the item maximum from settings because it is unverified', () => {
    expectItemError(() => scoreInstrument('cadss', full({ 4: 4 }), { cadssItemMaxScore: 3 }), 'item 4');
    expect(scoreInstrument('cadss', full({ 4: 3 }), { cadssItemMaxScore: 3 }).totalRange).toEqual({
      min: 0,
      max: 69,
    });
  });

  it.each([
    [[0, 0, 0, 0, 0, 0], 0],
    [[1, 0, 0, 0, 0, 0], 1],
    [[0, 0, 0, 0, 0, 4], 4],
    [[1, 1, 1, 1, 1, 1], 6],
    [[2, 2, 2, 2, 2, 2], 12],
    [[4, 4, 4, 4, 4, 4], 24],
    [[1, 2, 3, 4, 0, 1], 11],
    [[4, 0, 4, 0, 4, 0], 12],
    [[3, 3, 3, 0, 0, 0], 9],
    [[0, 1, 0, 1, 0, 1], 3],
  ])('CADSS-6 %j → %i', (answers, total) => {
    expect(scoreInstrument('cadss6', answers).total).toBe(total);
  });

  it('derives CADSS-6 from items 1, 2, 6, 7, 15, 22 of a full CADSS', () => {
    const r = scoreInstrument('cadss', full({ 1: 1, 2: 2, 3: 4, 6: 3, 7: 4, 15: 1, 22: 2, 23: 4 }));
    // 1 + 2 + 3 + 4 + 1 + 2 = 13 (items 3 and 23 are not in the short form).
    expect(cadss6FromCadss(r).total).toBe(13);
  });
});

describe('SSI (clinician, 19 items 0–2, total 0–38; suicidality when > 0)', () => {
  const ssi = (set: Record<number, number>) => Array.from({ length: 19 }, (_, i) => set[i + 1] ?? 0);
  check('ssi', [
    [ssi({}), 0, undefined, false],
    [ssi({ 1: 1 }), 1, undefined, true],
    [ssi({ 19: 1 }), 1, undefined, true],
    [ssi({ 13: 2 }), 2, undefined, true],
    [ssi({ 1: 2, 2: 2 }), 4, undefined, true],
    [ssi({ 4: 1, 5: 1, 6: 1, 7: 1 }), 4, undefined, true],
    [Array<number>(19).fill(1), 19, undefined, true],
    [Array<number>(19).fill(2), 38, undefined, true],
    [ssi({ 1: 2, 3: 2, 5: 2, 7: 2, 9: 2 }), 10, undefined, true],
    [ssi({ 10: 1, 11: 2, 12: 1 }), 4, undefined, true],
  ]);
  it('rejects 3 on item 13', () => expectItemError(() => scoreInstrument('ssi', ssi({ 13: 3 })), 'item 13'));
});
