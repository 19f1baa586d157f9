/**
 * The one fold from a session's events to its record: what was recorded, with the rule for each
 * kind of which entry counts (the first check-in, dosing start and discharge; the latest checklist,
 * dose plan and REMS submission; every reading, observation, adverse event and dosing action; the
 * latest decision on each entry). Every reader of a session builds on this, never on raw payloads.
 */
import type { SessionEvent, SessionEventOf } from './events';

export interface SessionRecord {
  checkIn: SessionEventOf<'check-in'> | null;
  checklist: SessionEventOf<'checklist'> | null;
  dosePlan: SessionEventOf<'dose-plan'> | null;
  dosingStart: SessionEventOf<'dosing-start'> | null;
  /** In the order recorded. */
  vitals: SessionEventOf<'vitals'>[];
  observations: SessionEventOf<'cadss6' | 'moaas'>[];
  adverseEvents: SessionEventOf<'adverse-event'>[];
  alertDecisions: SessionEventOf<'alert-decision'>[];
  dosingActions: SessionEventOf<'dosing-action'>[];
  discharge: SessionEventOf<'discharge'> | null;
  remsSubmitted: SessionEventOf<'rems-submitted'> | null;
  notes: SessionEventOf<'note'>[];
  /** Every order signed, in the order signed; the last is in force. */
  orders: SessionEventOf<'order-signed'>[];
  doseVerifications: SessionEventOf<'dose-verified'>[];
  rescues: SessionEventOf<'rescue-given'>[];
}

export const EMPTY_SESSION_RECORD: SessionRecord = {
  checkIn: null,
  checklist: null,
  dosePlan: null,
  dosingStart: null,
  vitals: [],
  observations: [],
  adverseEvents: [],
  alertDecisions: [],
  dosingActions: [],
  discharge: null,
  remsSubmitted: null,
  notes: [],
  orders: [],
  doseVerifications: [],
  rescues: [],
};

/** Applies one event (events arrive in the order recorded). */
export function applySessionEvent(r: SessionRecord, e: SessionEvent): SessionRecord {
  switch (e.kind) {
    case 'check-in':
      return r.checkIn ? r : { ...r, checkIn: e };
    case 'checklist':
      return { ...r, checklist: e };
    case 'dose-plan':
      // A re-plan before dosing is a new event: the latest plan is the one in force.
      return { ...r, dosePlan: e };
    case 'dosing-start':
      return r.dosingStart ? r : { ...r, dosingStart: e };
    case 'vitals':
      return { ...r, vitals: [...r.vitals, e] };
    case 'cadss6':
    case 'moaas':
      return { ...r, observations: [...r.observations, e] };
    case 'adverse-event':
      return { ...r, adverseEvents: [...r.adverseEvents, e] };
    case 'alert-decision':
      return { ...r, alertDecisions: [...r.alertDecisions, e] };
    case 'dosing-action':
      return { ...r, dosingActions: [...r.dosingActions, e] };
    case 'discharge':
      return r.discharge ? r : { ...r, discharge: e };
    case 'rems-submitted':
      return { ...r, remsSubmitted: e };
    case 'note':
      return { ...r, notes: [...r.notes, e] };
    case 'order-signed':
      return { ...r, orders: [...r.orders, e] };
    case 'dose-verified':
      return { ...r, doseVerifications: [...r.doseVerifications, e] };
    case 'rescue-given':
      return { ...r, rescues: [...r.rescues, e] };
  }
}

/** The session's record from its events in the order recorded. */
export function foldSession(events: readonly SessionEvent[]): SessionRecord {
  return events.reduce(applySessionEvent, EMPTY_SESSION_RECORD);
}

export type SessionPhase =
  'scheduled' | 'checked-in' | 'checklist-done' | 'dose-planned' | 'dosing' | 'discharged';

/** How far the session has come. */
export function sessionPhase(r: SessionRecord): SessionPhase {
  if (r.discharge) return 'discharged';
  if (r.dosingStart) return 'dosing';
  if (r.dosePlan) return 'dose-planned';
  if (r.checklist) return 'checklist-done';
  if (r.checkIn) return 'checked-in';
  return 'scheduled';
}

/** The latest decision recorded on an entry (one decision covers every alert the entry raised). */
export function decisionOn(r: SessionRecord, entryId: string): SessionEventOf<'alert-decision'> | null {
  return r.alertDecisions.filter((d) => d.payload.vitalsEventId === entryId).at(-1) ?? null;
}

/** The order in force: the latest signed. */
export function orderInForce(r: SessionRecord): SessionEventOf<'order-signed'> | null {
  return r.orders.at(-1) ?? null;
}

/** Minutes from dosing start to `now` (one decimal); null before dosing. */
export function minutesSinceDosingStart(r: SessionRecord, now: Date): number | null {
  if (!r.dosingStart) return null;
  return Math.round(((now.getTime() - r.dosingStart.recordedAt.getTime()) / 60_000) * 10) / 10;
}
