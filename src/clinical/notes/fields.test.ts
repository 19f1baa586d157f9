import { describe, expect, it } from 'vitest';
import { foldSession, sessionState } from '../session';
import { checkIn, ivPlan, recorded, SETTINGS, start, T0, vitals } from '../session/test-fixtures';
import type { NewSessionEvent } from '../session/events';
import { MODALITIES } from '../vocabulary/modalities';
import { NOTE_TEMPLATES, noteKindOfModality, noteSessionSummary, prefillNote } from './fields';

const pause = (timeMin: number, action: 'pause' | 'resume'): NewSessionEvent => ({
  kind: 'dosing-action',
  timeMin,
  payload: { action, note: null, amountGivenMg: 0, runningMin: null },
});
const moaas = (timeMin: number, score: number): NewSessionEvent => ({
  kind: 'moaas',
  timeMin,
  payload: { score, scoreMax: 5, unverified: [] },
});

describe('noteSessionSummary', () => {
  it('takes dose, pauses, vitals extremes, lowest MOAA/S and adverse events from the fold', () => {
    const events = [
      recorded(checkIn, -20),
      recorded(ivPlan(40, 40), -10),
      recorded(start, 0),
      recorded(vitals(10, { sbpMmHg: 140, dbpMmHg: 85, heartRateBpm: 70, spo2Pct: 97 }), 10),
      recorded(moaas(12, 4), 12),
      recorded(pause(15, 'pause'), 15),
      recorded(pause(20, 'resume'), 20),
      recorded(vitals(25, { sbpMmHg: 150, dbpMmHg: 80, heartRateBpm: 95, spo2Pct: 94 }), 25),
      recorded(moaas(30, 3), 30),
      recorded(
        {
          kind: 'adverse-event',
          timeMin: 26,
          payload: {
            category: 'nausea',
            severity: 'mild',
            actionTaken: 'observed',
            timeMin: 26,
            serious: false,
          },
        },
        26,
      ),
    ];
    const state = sessionState(
      foldSession(events),
      'iv-ketamine',
      SETTINGS,
      new Date(T0.getTime() + 60 * 60_000),
    );
    const s = noteSessionSummary(state, { id: 's1', sequence: 2, date: '2026-12-01' });
    expect(s).toMatchObject({
      sessionId: 's1',
      sequence: 2,
      doseMg: 40,
      doseMgPerKg: 0.5,
      weightKg: 80,
      dosingStartedAt: T0.toISOString(),
      pauses: { count: 1, totalMin: 5 },
      vitals: {
        readings: 2,
        maxSbpMmHg: 150,
        maxDbpMmHg: 85,
        maxHeartRateBpm: 95,
        minHeartRateBpm: 70,
        minSpo2Pct: 94,
      },
      lowestMoaas: 3,
      highestCadss6: null,
      adverseEvents: [
        { category: 'nausea', severity: 'mild', actionTaken: 'observed', timeMin: 26, serious: false },
      ],
      discharge: null,
    });
  });
});

describe('prefillNote', () => {
  it('starts from the template headings with an empty assessment and no carried plan', () => {
    const p = prefillNote('iv-administration', null, null);
    expect(p.text).toContain('IV access:');
    expect(p.fields).toEqual({ session: null, assessment: '', plan: '', carriedFromNoteId: null });
  });
  it('carries the previous note’s plan, never its assessment', () => {
    const p = prefillNote('prescriber-progress', null, {
      id: 'n1',
      fields: { session: null, assessment: 'Improving.', plan: 'Taper to weekly.', carriedFromNoteId: null },
    });
    expect(p.fields).toMatchObject({ assessment: '', plan: 'Taper to weekly.', carriedFromNoteId: 'n1' });
  });
});

describe('administration note kinds', () => {
  it('match the templates: each modality’s note documents that modality', () => {
    for (const m of MODALITIES) expect(NOTE_TEMPLATES[noteKindOfModality(m)].modality).toBe(m);
  });
});
