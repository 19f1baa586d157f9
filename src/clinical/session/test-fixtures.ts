/** Builders for session events in unit tests (pure; no database). */
import type { NewSessionEvent, OrderPayload, SessionEvent } from './events';
import type { SessionSettingsInput } from './rules';
import { DEFAULT_CHECKLIST_RULES, IV_MIN_OBSERVATION_DEFAULT, PAUSED_RECHECK_DEFAULT } from '../protocols';

export const T0 = new Date('2026-12-01T15:00:00Z');

export const SETTINGS: SessionSettingsInput = {
  thresholds: { 'iv-ketamine': null, esketamine: null },
  monitoring: {
    ivMinObservationAfterDosingMin: IV_MIN_OBSERVATION_DEFAULT.value,
    pausedRecheckEveryMin: PAUSED_RECHECK_DEFAULT.value,
  },
  clinicMaxDoseMgPerKg: 1,
  vialMgPerMl: 50,
  bagMl: 100,
  checklist: DEFAULT_CHECKLIST_RULES,
};

let seq = 0;
/** A recorded event `minutesAfterT0` after dosing start time T0. */
export function recorded(e: NewSessionEvent, minutesAfterT0 = 0, id?: string): SessionEvent {
  seq++;
  return {
    ...e,
    id: id ?? `00000000-0000-7000-8000-${String(seq).padStart(12, '0')}`,
    recordedBy: 'user-1',
    recordedByName: 'Nurse One',
    recordedAt: new Date(T0.getTime() + minutesAfterT0 * 60_000),
  } as SessionEvent;
}

export const ivPlan = (doseMg = 40, dosingEndMin = 40): NewSessionEvent => ({
  kind: 'dose-plan',
  timeMin: null,
  payload: {
    modality: 'iv-ketamine',
    doseMg,
    doseMgPerKg: 0.5,
    weightKg: 80,
    devices: null,
    lotNumber: null,
    dosingEndMin,
    pump: null,
  },
});

export const eskPlan = (devices = 2): NewSessionEvent => ({
  kind: 'dose-plan',
  timeMin: null,
  payload: {
    modality: 'esketamine',
    doseMg: devices * 28,
    doseMgPerKg: null,
    weightKg: null,
    devices,
    lotNumber: 'LOT1',
    dosingEndMin: (devices - 1) * 5,
    pump: null,
  },
});

/** A prescriber's signed IV order matching `ivPlan()` (0.5 mg/kg, 80 kg, 40 min). */
export const ivOrder = (o: Partial<OrderPayload> = {}): NewSessionEvent => ({
  kind: 'order-signed',
  timeMin: null,
  payload: {
    drug: 'ketamine',
    route: 'iv',
    doseMgPerKg: 0.5,
    doseMg: 40,
    weightKg: 80,
    durationMin: 40,
    rateMgPerMin: 1,
    maxDoseMg: 40,
    holdConditions: [],
    rescues: [{ drug: 'ondansetron', doseMg: 4, route: 'iv', indication: 'nausea' }],
    standing: true,
    ...o,
  },
});

/** A prescriber's signed esketamine order matching `eskPlan(devices)`. */
export const eskOrder = (devices = 2): NewSessionEvent => ({
  kind: 'order-signed',
  timeMin: null,
  payload: {
    drug: 'esketamine',
    route: 'intranasal',
    doseMgPerKg: null,
    doseMg: devices * 28,
    weightKg: null,
    durationMin: null,
    rateMgPerMin: null,
    maxDoseMg: devices * 28,
    holdConditions: [],
    rescues: [],
    standing: true,
  },
});

export const start: NewSessionEvent = { kind: 'dosing-start', timeMin: 0, payload: { note: null } };
export const checkIn: NewSessionEvent = { kind: 'check-in', timeMin: null, payload: { note: null } };

export const vitals = (
  timeMin: number,
  v: Partial<Record<'sbpMmHg' | 'dbpMmHg' | 'heartRateBpm' | 'spo2Pct', number>>,
): NewSessionEvent => ({
  kind: 'vitals',
  timeMin,
  payload: v,
});
