/** The clinic's audit log: verifying its hash chain and exporting it for compliance review. */
import { endOfLocalDay, startOfLocalDay } from '../clinical/calendar';
import { clinicDay } from './clinic-day';
import { AUDIT_CSV_COLUMNS } from '../interop/audit-csv';
import { csvHeader, csvRow } from '../interop/csv';
import {
  AuditSealer,
  auditChainHead,
  auditEventsInOrder,
  auditHashAt,
  countAuditEvents,
  type AuditVerification,
  sealAudit,
  sealAuditChain,
  SEAL_BATCH,
  verifyAuditChain,
} from '../store/audit';
import type { Db } from '../store/open';
import type { Queryable } from '../store/tx';
import { listUsers } from '../store/users';
import { type Actor, recordAudit, systemActor, type UseCaseContext } from './context';
import { checkExportSize } from './exports';

/**
 * Seals everything committed so far, then checks the chain, so the check covers it. Sealing runs
 * its own transactions, so this takes the database rather than a clinic transaction.
 */
export async function verifyClinicAudit(db: Db, actor: Actor): Promise<AuditVerification> {
  await sealAudit(db, { clinicId: actor.clinicId });
  const result = await verifyAuditChain(db, actor.clinicId);
  await recordAudit(
    { tx: db, actor },
    { action: 'audit.verify', resourceType: 'audit', details: { ok: result.ok, checked: result.checked } },
  );
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
  return (await auditCsv(ctx.tx, clinicId, range)).csv;
}

/** The clinic's audit events in chain order as CSV, each with its user's email. */
async function auditCsv(
  db: Queryable,
  clinicId: string,
  range: { from?: Date | undefined; to?: Date | undefined } = {},
): Promise<{ csv: string; events: number }> {
  const emails = new Map((await listUsers(db, clinicId)).map((u) => [u.id, u.email]));
  let csv = csvHeader(AUDIT_CSV_COLUMNS);
  let events = 0;
  for await (const e of auditEventsInOrder(db, clinicId, range)) {
    csv += csvRow(AUDIT_CSV_COLUMNS, { ...e, userEmail: e.userId ? (emails.get(e.userId) ?? null) : null });
    events++;
  }
  return { csv, events };
}

/*
 * The operator's view: commands run by whoever runs the database (`rein audit …`), not by a clinic
 * user, so they take the database and a clinic id rather than a clinic user's context.
 */

export interface OperatorAuditCheck extends AuditVerification {
  /** Null without an anchor; false when the anchored event no longer has the recorded hash. */
  anchorOk: boolean | null;
  head: { seq: number; hash: string } | null;
}

/**
 * Checks a clinic's chain as it stands (it only reads: nothing is sealed first, so the unsealed tail
 * is reported as such) and, given an anchor recorded earlier, that event SEQ still has HASH.
 */
export async function checkAuditChain(
  db: Db,
  clinicId: string,
  anchor: { seq: number; hash: string } | null,
): Promise<OperatorAuditCheck> {
  const verification = await verifyAuditChain(db, clinicId);
  const head = await auditChainHead(db, clinicId);
  const anchorOk = anchor ? (await auditHashAt(db, clinicId, anchor.seq)) === anchor.hash : null;
  return { ...verification, ok: verification.ok && anchorOk !== false, anchorOk, head };
}

/** Seals the committed audit events of one clinic, or of every clinic, into their chains. */
export function sealAuditEvents(db: Db, clinicId?: string): Promise<{ sealed: number; clinics: number }> {
  return sealAudit(db, clinicId ? { clinicId } : {});
}

/**
 * Seals on a timer in the serving process; `start()` first seals what a crashed process left.
 * Call `stop({ finalSeal: true })` after requests have drained.
 */
export function auditSealer(db: Db, intervalMs: number, onError: (err: unknown) => void): AuditSealer {
  return new AuditSealer(db, intervalMs, onError);
}

/**
 * The whole audit log of a clinic as CSV, for the operator (no size limit: this is the archival
 * copy). The export is recorded first and everything is sealed, so the file carries every event's
 * hash, its own event included.
 */
export async function exportAuditLog(db: Db, clinicId: string): Promise<{ csv: string; events: number }> {
  await recordAudit(
    { tx: db, actor: systemActor(clinicId) },
    { action: 'audit.export', resourceType: 'audit' },
  );
  await sealAudit(db, { clinicId });
  return auditCsv(db, clinicId);
}
