import { describe, expect, it } from 'vitest';
import { ClinicalInputError } from '../errors';
import { alertFor, assertRecordable, newAlertFor, scorePartial, scoreResponse } from './recording';
import { scoreInstrument } from './score';

describe('recording a response: scoring, who and when, and the alert it raises', () => {
  const now = new Date('2026-03-01T10:00:00Z');

  it('refuses answers scored against another definition version', () => {
    expect(() => scoreResponse('phq9', '0.9.0', [0, 0, 0, 0, 0, 0, 0, 0, 0], undefined)).toThrow(
      ClinicalInputError,
    );
    expect(scoreResponse('phq9', '1.0.0', [1, 1, 1, 1, 1, 1, 1, 1, 0], undefined).total).toBe(8);
  });

  it('scores a suicide item asked alone without a total, and refuses other items alone', () => {
    const s = scorePartial('phq9', { '9': 1 }, ['9']);
    expect(s).toMatchObject({ total: null, flags: ['suicidality'], items: [{ id: '9', value: 1 }] });
    expect(() => scorePartial('phq9', { '1': 1 }, ['1'])).toThrow(/only suicide items/);
    expect(() => scorePartial('phq9', [1], ['9'])).toThrow(/keyed by item id/);
  });

  it('keeps clinician-rated instruments off the portal and responses out of the future', () => {
    const at = (minutesAhead: number) => new Date(now.getTime() + minutesAhead * 60_000);
    expect(() =>
      assertRecordable({ instrument: 'madrs', viaPortal: true, administeredAt: now, now }),
    ).toThrow(/rated by a clinician/);
    expect(() =>
      assertRecordable({ instrument: 'madrs', viaPortal: false, administeredAt: now, now }),
    ).not.toThrow();
    expect(() =>
      assertRecordable({ instrument: 'phq9', viaPortal: true, administeredAt: at(5), now }),
    ).not.toThrow();
    expect(() =>
      assertRecordable({ instrument: 'phq9', viaPortal: true, administeredAt: at(6), now }),
    ).toThrow(/future/);
  });

  it('raises an alert for a positive suicide item, C-SSRS risk outranking the bare item', () => {
    expect(alertFor(scoreInstrument('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 0]))).toBeNull();
    expect(alertFor(scoreInstrument('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 2]))).toEqual({
      kind: 'suicidality',
      reason: 'Patient Health Questionnaire-9 (PHQ-9): item 9 = 2',
    });
    const cssrs = alertFor(scoreInstrument('cssrs-screener', [1, 1, 1, 1, 1, 1, 1]));
    expect(cssrs?.kind).toBe('cssrs-risk');
  });

  it('a correction of a response that already raised an alert raises none; any other positive one does', () => {
    const positive = scoreInstrument('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(newAlertFor(positive, null)?.kind).toBe('suicidality');
    expect(newAlertFor(positive, { suicidality: true, cssrsRisk: null })).toBeNull();
    expect(newAlertFor(positive, { suicidality: false, cssrsRisk: 'moderate' })).toBeNull();
    expect(newAlertFor(positive, { suicidality: false, cssrsRisk: 'low' })?.kind).toBe('suicidality');
    const negative = scoreInstrument('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(newAlertFor(negative, null)).toBeNull();
  });
});
