/**
 * CSV exports of clinical data: assessment scores (optionally item by item), treatment sessions,
 * adverse events, medication administrations (the MAR), and the clinical record (allergies,
 * problem list, prior trials) over a date range. Every export is audited with its filter and row
 * count.
 */
import { endOfLocalDay, startOfLocalDay } from '../clinical/calendar';
import { ClinicalInputError } from '../clinical/errors';
import { getInstrument } from '../clinical/instruments';
import type { InstrumentId } from '../clinical/instruments/types';
import { toCsv, type CsvColumn } from '../interop/csv';
import { ADVERSE_EVENT_CSV_COLUMNS, SESSION_CSV_COLUMNS, scoreCsvColumns } from '../interop/outcome-csv';
import {
  countScores,
  countSessionsInRange,
  exportScores,
  listExportEvents,
  listExportSessions,
} from '../store/outcomes';
import { ADMINISTRATION_CSV_COLUMNS, type AdministrationCsvRow } from '../interop/mar-csv';
import {
  foldSession,
  parseSessionEvents,
  sessionMar,
  sessionState,
  type SessionEventKind,
} from '../clinical/session';
import { patientMrns } from '../store/patients';
import { listUsers } from '../store/users';
import { getSessionSettings } from './session-settings';
import { ALLERGY_CSV_COLUMNS, DIAGNOSIS_CSV_COLUMNS, TRIAL_CSV_COLUMNS } from '../interop/record-csv';
import { countClinicEntries, listClinicEntries } from '../store/clinical-record';
import { exportAdverseEvents, exportSessions } from './outcome-rows';
import { clinicDay, clinicToday } from './clinic-day';
import { recordAudit, type UseCaseContext } from './context';

export interface DateRange {
  /** First day included (YYYY-MM-DD). */
  from?: string | undefined;
  /** Last day included (YYYY-MM-DD). */
  to?: string | undefined;
}

export interface CsvExport {
  csv: string;
  rows: number;
  /** The file name offered to the user, stamped with the clinic's today. */
  fileName: string;
}

function checkRange({ from, to }: DateRange): void {
  if (from && to && from > to) throw new ClinicalInputError('to', 'must be on or after from');
}

/**
 * Bounded work per request: one CSV export over HTTP holds at most this many rows (sessions for
 * the session and adverse-event exports), counted before anything is loaded, so a whole-history
 * export of a large clinic is refused with the count instead of being built in memory.
 */
export const EXPORT_MAX_ROWS = 50_000;

/** Refuses an export over EXPORT_MAX_ROWS, naming `from`: a shorter range is the way out. */
export function checkExportSize(count: number, what: string): void {
  if (count > EXPORT_MAX_ROWS) {
    throw new ClinicalInputError(
      'from',
      `the range holds ${count} ${what}; one export holds at most ${EXPORT_MAX_ROWS} — choose a shorter range (from, to)`,
    );
  }
}

const fileName = async (ctx: UseCaseContext, name: string) => `rein-${name}-${await clinicToday(ctx)}.csv`;

/**
 * Current assessment scores as CSV. With `items` and an instrument, one column per item of that
 * instrument (item answers of two instruments do not share columns).
 */
export async function exportScoresCsv(
  ctx: UseCaseContext,
  input: DateRange & { instrument?: InstrumentId | undefined; items?: boolean },
): Promise<CsvExport> {
  const { from, to, instrument } = input;
  const withItems = input.items ?? false;
  checkRange(input);
  if (withItems && !instrument) {
    throw new ClinicalInputError('instrument', 'choose an instrument to export item-level answers');
  }
  const itemIds = withItems ? getInstrument(instrument!).items.map((i) => i.id) : undefined;
  const { timeZone } = await clinicDay(ctx);
  const filter = {
    from: from ? startOfLocalDay(from, timeZone) : undefined,
    to: to ? endOfLocalDay(to, timeZone) : undefined,
    instrument,
  };
  checkExportSize(await countScores(ctx.tx, ctx.actor.clinicId, filter), 'scores');
  const rows = await exportScores(ctx.tx, ctx.actor.clinicId, { ...filter, withItems });
  await recordAudit(ctx, {
    action: 'export.scores',
    resourceType: 'assessment',
    details: {
      from: from ?? null,
      to: to ?? null,
      instrument: instrument ?? null,
      items: withItems,
      rows: rows.length,
    },
  });
  return {
    csv: toCsv(scoreCsvColumns(itemIds), rows),
    rows: rows.length,
    fileName: await fileName(ctx, 'scores'),
  };
}

/** Treatment sessions with dose, vitals summary, hypertension alerts and adverse-event counts. */
export async function exportSessionsCsv(ctx: UseCaseContext, input: DateRange): Promise<CsvExport> {
  checkRange(input);
  const filter = { fromDate: input.from, toDate: input.to };
  checkExportSize(await countSessionsInRange(ctx.tx, ctx.actor.clinicId, filter), 'sessions');
  const rows = await exportSessions(ctx.tx, ctx.actor.clinicId, filter);
  await auditSessionExport(ctx, 'export.sessions', input, rows.length);
  return {
    csv: toCsv(SESSION_CSV_COLUMNS, rows),
    rows: rows.length,
    fileName: await fileName(ctx, 'sessions'),
  };
}

/** Adverse events recorded in sessions. */
export async function exportAdverseEventsCsv(ctx: UseCaseContext, input: DateRange): Promise<CsvExport> {
  checkRange(input);
  const filter = { fromDate: input.from, toDate: input.to };
  checkExportSize(await countSessionsInRange(ctx.tx, ctx.actor.clinicId, filter), 'sessions');
  const rows = await exportAdverseEvents(ctx.tx, ctx.actor.clinicId, filter);
  await auditSessionExport(ctx, 'export.adverse_events', input, rows.length);
  return {
    csv: toCsv(ADVERSE_EVENT_CSV_COLUMNS, rows),
    rows: rows.length,
    fileName: await fileName(ctx, 'adverse-events'),
  };
}

/** The events the MAR projection reads: the order, the plan, its verification, each step and rescue. */
const MAR_EVENT_KINDS: SessionEventKind[] = [
  'order-signed',
  'dose-plan',
  'dose-verified',
  'dosing-start',
  'dosing-action',
  'rescue-given',
];

/**
 * Medication administrations: one row per session whose dose was started, from the session core's
 * MAR (the order it was given against, start, pauses, stop, amount and volume given, who verified
 * the drawn-up dose, and the rescue medications given), as of now.
 */
export async function exportAdministrationsCsv(ctx: UseCaseContext, input: DateRange): Promise<CsvExport> {
  checkRange(input);
  const { tx } = ctx;
  const clinicId = ctx.actor.clinicId;
  const filter = { fromDate: input.from, toDate: input.to };
  checkExportSize(await countSessionsInRange(tx, clinicId, filter), 'sessions');
  const sessions = await listExportSessions(tx, clinicId, filter);
  const events = await listExportEvents(
    tx,
    clinicId,
    sessions.map((s) => s.sessionId),
    MAR_EVENT_KINDS,
  );
  const names = new Map((await listUsers(tx, clinicId)).map((u) => [u.id, u.name]));
  const bySession = new Map<string, typeof events>();
  for (const e of events) {
    const list = bySession.get(e.sessionId) ?? [];
    list.push(e);
    bySession.set(e.sessionId, list);
  }
  const dosed = sessions.filter((s) => bySession.get(s.sessionId)?.some((e) => e.kind === 'dosing-start'));
  const mrns = await patientMrns(
    tx,
    clinicId,
    dosed.map((s) => s.patientId),
  );
  const settings = await getSessionSettings(tx, clinicId);
  const rows: AdministrationCsvRow[] = dosed.flatMap((s) => {
    const stored = bySession.get(s.sessionId)!.map((e) => ({
      ...e,
      recordedByName: names.get(e.recordedBy) ?? '',
    }));
    const state = sessionState(foldSession(parseSessionEvents(stored).events), s.modality, settings, ctx.now);
    const mar = sessionMar(state);
    const t = mar.treatment;
    if (!t) return [];
    const stop = t.steps.find((x) => x.action === 'stop');
    return [
      {
        sessionId: s.sessionId,
        courseId: s.courseId,
        patientId: s.patientId,
        patientMrn: mrns.get(s.patientId) ?? null,
        modality: s.modality,
        sessionDateLocal: s.date,
        sessionSequence: s.sequence,
        orderEventId: t.orderEventId,
        orderSignedBy: mar.order?.signedBy ?? null,
        drug: t.drug,
        route: t.route,
        orderedDoseMg: mar.order?.doseMg ?? null,
        plannedDoseMg: t.plannedMg,
        amountGivenMg: t.amountGivenMg,
        state: t.state,
        startedAt: t.steps[0]!.at,
        stoppedAt: stop?.at ?? null,
        pauses: t.steps.filter((x) => x.action === 'pause').length,
        pausedMin: state.dosing?.pausedMin ?? 0,
        volumeInfusedMl: t.volumeInfusedMl,
        devicesGiven: t.devicesGiven,
        deviationReason: t.deviation?.reason ?? null,
        rescues: mar.rescues.map((r) => `${r.drug} ${r.doseMg} mg ${r.route} at ${r.atMin} min`).join('; '),
        administeredBy: t.steps[0]!.by,
        verifiedBy: t.verifiedBy,
      },
    ];
  });
  await auditSessionExport(ctx, 'export.administrations', input, rows.length);
  return {
    csv: toCsv(ADMINISTRATION_CSV_COLUMNS, rows),
    rows: rows.length,
    fileName: await fileName(ctx, 'administrations'),
  };
}

function auditSessionExport(ctx: UseCaseContext, action: string, { from, to }: DateRange, rows: number) {
  return recordAudit(ctx, {
    action,
    resourceType: 'session',
    details: { from: from ?? null, to: to ?? null, rows },
  });
}

/** The clinical record's exports: which table, its file name and what a row is called. */
const RECORD_EXPORTS = {
  allergies: { resource: 'allergy', what: 'allergies' },
  'problem-list': { resource: 'diagnosis', what: 'diagnoses' },
  'treatment-trials': { resource: 'treatment_trial', what: 'treatment trials' },
} as const;
export type RecordExport = keyof typeof RECORD_EXPORTS;

/**
 * The clinic's allergies, problem list or prior treatment trials as CSV: current versions,
 * entries entered in error left out, optionally those recorded in a date range (clinic days).
 */
export async function exportRecordCsv(
  ctx: UseCaseContext,
  input: DateRange & { kind: RecordExport },
): Promise<CsvExport> {
  checkRange(input);
  const { resource, what } = RECORD_EXPORTS[input.kind];
  const { timeZone } = await clinicDay(ctx);
  const range = {
    ...(input.from ? { from: startOfLocalDay(input.from, timeZone) } : {}),
    ...(input.to ? { to: endOfLocalDay(input.to, timeZone) } : {}),
  };
  const { tx } = ctx;
  const clinicId = ctx.actor.clinicId;
  checkExportSize(await countClinicEntries(tx, resource, clinicId, range), what);
  const [csv, rows] =
    input.kind === 'allergies'
      ? csvOf(ALLERGY_CSV_COLUMNS, await listClinicEntries(tx, 'allergy', clinicId, range))
      : input.kind === 'problem-list'
        ? csvOf(DIAGNOSIS_CSV_COLUMNS, await listClinicEntries(tx, 'diagnosis', clinicId, range))
        : csvOf(TRIAL_CSV_COLUMNS, await listClinicEntries(tx, 'treatment_trial', clinicId, range));
  await recordAudit(ctx, {
    action: `export.${input.kind.replace('-', '_')}`,
    resourceType: resource,
    details: { from: input.from ?? null, to: input.to ?? null, rows },
  });
  return { csv, rows, fileName: await fileName(ctx, input.kind) };
}

const csvOf = <T>(columns: CsvColumn<T>[], rows: T[]): [string, number] => [
  toCsv(columns, rows),
  rows.length,
];
