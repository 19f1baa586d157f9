/** The clinic's audit log: verifying its hash chain and exporting it for compliance review. */
import { endOfLocalDay, startOfLocalDay } from '../clinical/calendar';
import { clinicDay } from './clinic-day';
import { AUDIT_CSV_COLUMNS } from '../interop/audit-csv';
import { csvHeader, csvRow } from '../interop/csv';
import {
  appendAudit,
  auditEventsInOrder,
  countAuditEvents,
  type AuditVerification,
  sealAudit,
  sealAuditChain,
  SEAL_BATCH,
  verifyAuditChain,
} from '../store/audit';
import type { Db } from '../store/open';
import { listUsers } from '../store/users';
import { type Actor, recordAudit, type UseCaseContext } from './context';
import { checkExportSize } from './exports';

/**
 * Seals everything committed so far, then checks the chain, so the check covers it. Sealing runs
 * its own transactions, so this takes the database rather than a clinic transaction.
 */
export async function verifyClinicAudit(db: Db, actor: Actor): Promise<AuditVerification> {
  await sealAudit(db, { clinicId: actor.clinicId });
  const result = await verifyAuditChain(db, actor.clinicId);
  await appendAudit(db, {
    clinicId: actor.clinicId,
    userId: actor.userId,
    actorRole: actor.role,
    requestId: actor.requestId,
    action: 'audit.verify',
    resourceType: 'audit',
    details: { ok: result.ok, checked: result.checked },
  });
  return result;
}

/**
 * The audit log as CSV for a range of the clinic's days (`to` inclusive). The export itself is
 * recorded first and sealed with everything committed before it, so it appears, in place, in the
 * chain it exports.
 */
export async function exportAuditCsv(
  ctx: UseCaseContext,
  input: { from?: string | undefined; to?: string | undefined },
): Promise<string> {
  const { from, to } = input;
  const clinicId = ctx.actor.clinicId;
  // Dates are the clinic's; `to` is inclusive: events up to the end of that local day.
  const { timeZone } = await clinicDay(ctx);
  const range = {
    from: from ? startOfLocalDay(from, timeZone) : undefined,
    to: to ? endOfLocalDay(to, timeZone) : undefined,
  };
  checkExportSize(await countAuditEvents(ctx.tx, clinicId, range), 'audit events');
  await recordAudit(ctx, {
    action: 'audit.export',
    resourceType: 'audit',
    details: { from: from ?? null, to: to ?? null },
  });
  while ((await sealAuditChain(ctx.tx, clinicId)) === SEAL_BATCH);
  const emails = new Map((await listUsers(ctx.tx, clinicId)).map((u) => [u.id, u.email]));
  let out = csvHeader(AUDIT_CSV_COLUMNS);
  for await (const e of auditEventsInOrder(ctx.tx, clinicId, range)) {
    out += csvRow(AUDIT_CSV_COLUMNS, { ...e, userEmail: e.userId ? (emails.get(e.userId) ?? null) : null });
  }
  return out;
}
