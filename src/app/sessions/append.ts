/**
 * Appends one session event as given, unchecked, and refreshes the patient's outcome facts when the
 * event is one they depend on (dosing starts, vitals for hypertension alerts, adverse events): the
 * path tests and fixtures use to store records as older writers left them. Application code uses
 * the session use cases (src/app/sessions/record.ts), which validate with the session core first.
 */
import { FACT_EVENT_KINDS } from '../../store/outcome-facts';
import type { SessionEventKind } from '../../store/schema-sessions';
import { insertUncheckedSessionEvent, type SessionEventRow } from '../../store/sessions';
import type { Queryable } from '../../store/tx';
import { refreshSessionOutcomeFacts } from '../outcome-facts';

export async function appendSessionEvent(
  db: Queryable,
  clinicId: string,
  sessionId: string,
  event: { kind: SessionEventKind; timeMin?: number | null; payload: unknown },
  recordedBy: string,
  recordedAt: Date,
): Promise<SessionEventRow> {
  const row = await insertUncheckedSessionEvent(db, clinicId, sessionId, event, recordedBy, recordedAt);
  // The patient's course facts change with these kinds: recompute them in this transaction.
  if ((FACT_EVENT_KINDS as readonly SessionEventKind[]).includes(event.kind)) {
    await refreshSessionOutcomeFacts(db, clinicId, sessionId, recordedAt);
  }
  return row;
}
