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

/** A copy of the record whose lists may be appended to without touching the original's. */
function draftOf(r: SessionRecord): SessionRecord {
  return {
    ...r,
    vitals: [...r.vitals],
    observations: [...r.observations],
    adverseEvents: [...r.adverseEvents],
    alertDecisions: [...r.alertDecisions],
    dosingActions: [...r.dosingActions],
    notes: [...r.notes],
    orders: [...r.orders],
    doseVerifications: [...r.doseVerifications],
    rescues: [...r.rescues],
  };
}

/** The rule for each kind, applied to a draft (its lists are its own). */
function applyToDraft(d: SessionRecord, e: SessionEvent): void {
  switch (e.kind) {
    case 'check-in':
      d.checkIn ??= e;
      return;
    case 'checklist':
      d.checklist = e;
      return;
    case 'dose-plan':
      // A re-plan before dosing is a new event: the latest plan is the one in force.
      d.dosePlan = e;
      return;
    case 'dosing-start':
      d.dosingStart ??= e;
      return;
    case 'vitals':
      d.vitals.push(e);
      return;
    case 'cadss6':
    case 'moaas':
      d.observations.push(e);
      return;
    case 'adverse-event':
      d.adverseEvents.push(e);
      return;
    case 'alert-decision':
      d.alertDecisions.push(e);
      return;
    case 'dosing-action':
      d.dosingActions.push(e);
      return;
    case 'discharge':
      d.discharge ??= e;
      return;
    case 'rems-submitted':
      d.remsSubmitted = e;
      return;
    case 'note':
      d.notes.push(e);
      return;
    case 'order-signed':
      d.orders.push(e);
      return;
    case 'dose-verified':
      d.doseVerifications.push(e);
      return;
    case 'rescue-given':
      d.rescues.push(e);
      return;
  }
}

/** Applies one event (events arrive in the order recorded). */
export function applySessionEvent(r: SessionRecord, e: SessionEvent): SessionRecord {
  const d = draftOf(r);
  applyToDraft(d, e);
  return d;
}

/**
 * The record after `events`, recorded after those `r` was folded from. The fold is a left fold,
 * so folding the new events onto a record gives what folding every event from the start would;
 * the lists are copied once, not per event.
 */
export function foldSessionFrom(r: SessionRecord, events: readonly SessionEvent[]): SessionRecord {
  if (events.length === 0) return r;
  const d = draftOf(r);
  for (const e of events) applyToDraft(d, e);
  return d;
}

/** The session's record from its events in the order recorded. */
export function foldSession(events: readonly SessionEvent[]): SessionRecord {
  return foldSessionFrom(EMPTY_SESSION_RECORD, events);
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
