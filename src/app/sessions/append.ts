/**
 * Appends one session event as given, unchecked, and refreshes the patient's outcome facts when the
 * event is one they depend on (dosing starts, vitals for hypertension alerts, adverse events): the
 * path tests and fixtures use to store records as older writers left them. Application code uses
 * the session use cases (src/app/sessions/record.ts), which validate with the session core first.
 */
import { modalitySchema } from '../../clinical/protocols';
import { FACT_EVENT_KINDS, modalityOfSession } from '../../store/outcome-facts';
import type { SessionEventKind } from '../../store/schema-sessions';
import { insertUncheckedSessionEvent, type SessionEventRow } from '../../store/sessions';
import type { Queryable } from '../../store/tx';
import { outcomeFactsChangedBy, refreshSessionOutcomeFacts } from '../outcome-facts';
import { getSessionSettings } from '../session-settings';

export async function appendSessionEvent(
  db: Queryable,
  clinicId: string,
  sessionId: string,
  event: { kind: SessionEventKind; timeMin?: number | null; payload: unknown },
  recordedBy: string,
  recordedAt: Date,
): Promise<SessionEventRow> {
  const row = await insertUncheckedSessionEvent(db, clinicId, sessionId, event, recordedBy, recordedAt);
  if (!(FACT_EVENT_KINDS as readonly SessionEventKind[]).includes(event.kind)) return row;
  // A reading changes the facts only when it alerts (outcomeFactsChangedBy), as the use cases judge.
  if (event.kind === 'vitals') {
    const [modality, settings] = await Promise.all([
      modalityOfSession(db, clinicId, sessionId),
      getSessionSettings(db, clinicId),
    ]);
    const known = modalitySchema.safeParse(modality);
    const stored = { kind: event.kind, timeMin: event.timeMin ?? null, payload: event.payload };
    if (known.success && !outcomeFactsChangedBy([stored], known.data, settings)) return row;
  }
  // The patient's course facts change with this event: recompute them in this transaction.
  await refreshSessionOutcomeFacts(db, clinicId, sessionId, recordedAt);
  return row;
}
