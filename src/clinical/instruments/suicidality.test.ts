import { describe, expect, it } from 'vitest';
import { ageInYears } from '../calendar';
import { scoreInstrument } from './score';
import {
  DEFAULT_CRISIS_RESOURCES,
  isSuicidalityPositive,
  SUICIDALITY_TIERS,
  suicidalityTier,
  suicidalityTierRank,
} from './suicidality';

describe('suicidality: who needs help at once, and reading order', () => {
  it('PHQ-9 item 9 above 0 is positive; 0 is not', () => {
    expect(isSuicidalityPositive(scoreInstrument('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 1]))).toBe(true);
    expect(isSuicidalityPositive(scoreInstrument('phq9', [3, 3, 3, 3, 3, 3, 3, 3, 0]))).toBe(false);
  });

  it('any C-SSRS screener item yes is positive; all no is not', () => {
    expect(isSuicidalityPositive(scoreInstrument('cssrs-screener', [1, 0, null, null, null, 0, null]))).toBe(
      true,
    );
    expect(isSuicidalityPositive(scoreInstrument('cssrs-screener', [0, 0, null, null, null, 0, null]))).toBe(
      false,
    );
  });

  it('reads C-SSRS high before moderate before a bare positive item', () => {
    expect(SUICIDALITY_TIERS).toEqual(['high', 'moderate', 'positive-item']);
    const ranks = (['high', 'moderate', 'low', 'none', null] as const).map((r) =>
      suicidalityTierRank(suicidalityTier(r)),
    );
    expect(ranks).toEqual([0, 1, 2, 2, 2]);
  });

  it('defaults to the US 988 Lifeline and 911, with no invented clinic phone', () => {
    expect(DEFAULT_CRISIS_RESOURCES).toMatchObject({
      clinicPhone: '',
      crisisLinePhone: '988',
      emergencyNumber: '911',
    });
  });

  it('counts age in whole years, birthdays from their day', () => {
    expect(ageInYears('1990-05-01', '2026-05-01')).toBe(36);
    expect(ageInYears('1990-05-02', '2026-05-01')).toBe(35);
    expect(ageInYears('2000-02-29', '2026-02-28')).toBe(25);
  });
});
