/**
 * The start page's day board: what the clinic's day needs next, on one screen. Today's sessions by
 * room with how far each has come, the patients in recovery, vitals that are late, REMS forms
 * due, new (unacknowledged) alerts, and tapers with a decision due. Every judgement is the
 * core's (the session fold and state, the REMS due rule, the taper decision-due rule); this use case
 * loads, asks and arranges. A section the caller's role may not see is null, never empty.
 */
import { addDays } from '../clinical/calendar';
import type { SuicidalityTier } from '../clinical/instruments';
import { modalitySchema, remsFormsDue, type Modality } from '../clinical/protocols';
import {
  foldSession,
  parseSessionEvents,
  sessionBoardStatus,
  sessionState,
  SESSION_EVENT_KINDS,
  type SessionBoardStatus,
} from '../clinical/session';
import { taperDecisionDue, type TaperPlan } from '../clinical/taper';
import { listClinicCalendar } from '../store/courses';
import { listActiveTaperPlans } from '../store/tapers';
import { listEventsOfKinds, listTreatmentsAwaitingRems } from '../store/sessions';
import { CLINICAL_ROLES, may } from './access';
import { alertInbox } from './alerts';
import { clinicDay } from './clinic-day';
import { recordAudit, type UseCaseContext } from './context';
import { getSessionSettings } from './session-settings';

/** One of today's sessions on the board. */
export interface BoardSession {
  sessionId: string;
  patientId: string;
  patientName: string;
  mrn: string;
  modality: string;
  sequence: number;
  phaseLabel: string;
  roomId: string;
  startMin: number;
  endMin: number;
  /** The session's progress and flags; null for a role that may not read session records. */
  status: SessionBoardStatus | null;
}

export interface BoardRoom {
  roomId: string;
  sessions: BoardSession[];
}

export interface BoardRemsForm {
  sessionId: string;
  patientId: string;
  patientName: string;
  mrn: string;
  sessionDate: string;
  dueDate: string;
  daysLeft: number;
}

export interface BoardAlertPatient {
  patientId: string;
  patientName: string;
  mrn: string;
  tier: SuicidalityTier;
  alertCount: number;
  latestReason: string;
  latestAt: Date;
}

export interface BoardTaperDecision {
  taperId: string;
  patientId: string;
  patientName: string;
  mrn: string;
  drug: string;
  stepDate: string;
  fromDoseMg: number | null;
  toDoseMg: number | null;
  daysOverdue: number;
}

export interface DayBoard {
  /** The clinic's today (YYYY-MM-DD) and its time zone. */
  today: string;
  timeZone: string;
  /** Today's sessions, by room (rooms in name order, sessions by start time). */
  rooms: BoardRoom[];
  /** Dosing over, not yet discharged. Null: the role may not read session records. */
  recovery: BoardSession[] | null;
  /** Sessions whose next vitals reading is late, latest first. */
  vitalsOverdue: BoardSession[] | null;
  /** Esketamine REMS monitoring forms not yet marked submitted, earliest due first. */
  remsDue: { items: BoardRemsForm[]; total: number } | null;
  /** Unacknowledged alerts, the most urgent patients first. */
  alerts: { patients: BoardAlertPatient[]; totalAlerts: number; totalPatients: number } | null;
  /** Active tapers whose planned reduction (today or earlier) awaits the prescriber, longest waiting first. */
  tapersDue: BoardTaperDecision[] | null;
}

/** How many patients the board lists under new alerts and how many REMS forms (the rest: their pages). */
export const BOARD_ALERT_PATIENTS_MAX = 5;
export const BOARD_REMS_MAX = 10;

export async function readDayBoard(ctx: UseCaseContext): Promise<DayBoard> {
  const clinicId = ctx.actor.clinicId;
  const { today, timeZone } = await clinicDay(ctx);
  const clinical = may(ctx.actor, CLINICAL_ROLES);

  const rows = await listClinicCalendar(ctx.tx, clinicId, today, today);
  const statusOf = clinical ? await sessionStatuses(ctx, rows) : new Map<string, SessionBoardStatus>();
  const sessions: BoardSession[] = rows.map((r) => ({
    sessionId: r.sessionId,
    patientId: r.patientId,
    patientName: `${r.givenName} ${r.familyName}`,
    mrn: r.mrn,
    modality: r.modality,
    sequence: r.sequence,
    phaseLabel: r.phaseLabel,
    roomId: r.roomId,
    startMin: r.startMin,
    endMin: r.endMin,
    status: statusOf.get(r.sessionId) ?? null,
  }));
  const rooms = [...new Set(sessions.map((s) => s.roomId))]
    .sort((a, b) => a.localeCompare(b))
    .map((roomId) => ({ roomId, sessions: sessions.filter((s) => s.roomId === roomId) }));

  const board: DayBoard = {
    today,
    timeZone,
    rooms,
    recovery: clinical ? sessions.filter((s) => s.status?.inRecovery) : null,
    vitalsOverdue: clinical
      ? sessions
          .filter((s) => s.status?.vitalsOverdueByMin != null)
          .sort((a, b) => b.status!.vitalsOverdueByMin! - a.status!.vitalsOverdueByMin!)
      : null,
    remsDue: clinical ? await remsDue(ctx, today) : null,
    alerts: clinical ? await newAlerts(ctx) : null,
    tapersDue: clinical ? await tapersDue(ctx, today) : null,
  };
  await recordAudit(ctx, {
    action: 'day_board.read',
    resourceType: 'calendar',
    details: {
      date: today,
      sessions: sessions.length,
      clinical,
      recovery: board.recovery?.length ?? 0,
      vitalsOverdue: board.vitalsOverdue?.length ?? 0,
      remsDue: board.remsDue?.total ?? 0,
      tapersDue: board.tapersDue?.length ?? 0,
    },
  });
  return board;
}

/** Each session's board status: its events folded and judged by the clinic's rules at `now`. */
async function sessionStatuses(
  ctx: UseCaseContext,
  rows: readonly { sessionId: string; modality: string }[],
): Promise<Map<string, SessionBoardStatus>> {
  if (rows.length === 0) return new Map();
  const settings = await getSessionSettings(ctx.tx, ctx.actor.clinicId);
  const stored = await listEventsOfKinds(
    ctx.tx,
    ctx.actor.clinicId,
    rows.map((r) => r.sessionId),
    [...SESSION_EVENT_KINDS],
  );
  const out = new Map<string, SessionBoardStatus>();
  for (const r of rows) {
    const modality = modalitySchema.safeParse(r.modality);
    if (!modality.success) continue;
    const { events } = parseSessionEvents(stored.filter((e) => e.sessionId === r.sessionId));
    const state = sessionState(foldSession(events), modality.data as Modality, settings, ctx.now);
    out.set(r.sessionId, sessionBoardStatus(state));
  }
  return out;
}

async function remsDue(ctx: UseCaseContext, today: string): Promise<DayBoard['remsDue']> {
  // Every discharged esketamine treatment up to today without a submission; the core dates each.
  const { rows, total } = await listTreatmentsAwaitingRems(ctx.tx, ctx.actor.clinicId, {
    datedBefore: addDays(today, 1),
    limit: BOARD_REMS_MAX,
  });
  const byId = new Map(rows.map((r) => [r.sessionId, r]));
  const items = remsFormsDue(
    rows.map((r) => ({ sessionId: r.sessionId, sessionDate: r.date })),
    today,
  ).map((f) => {
    const r = byId.get(f.sessionId)!;
    return { ...f, patientId: r.patientId, patientName: `${r.givenName} ${r.familyName}`, mrn: r.mrn };
  });
  return { items, total };
}

/** Each active plan asked, by the core's rule, whether a reduction awaits a decision today. */
async function tapersDue(ctx: UseCaseContext, today: string): Promise<BoardTaperDecision[]> {
  const plans = await listActiveTaperPlans(ctx.tx, ctx.actor.clinicId);
  const out: BoardTaperDecision[] = [];
  for (const p of plans) {
    const due = taperDecisionDue({
      status: p.plan.status,
      plan: p.current.plan as TaperPlan,
      decisionDates: p.decisionDates,
      today,
    });
    if (!due) continue;
    out.push({
      taperId: p.plan.id,
      patientId: p.plan.patientId,
      patientName: `${p.patient.givenName} ${p.patient.familyName}`,
      mrn: p.patient.mrn,
      drug: p.plan.drug,
      stepDate: due.stepDate,
      fromDoseMg: due.fromDoseMg,
      toDoseMg: due.toDoseMg,
      daysOverdue: due.daysOverdue,
    });
  }
  return out.sort((a, b) => b.daysOverdue - a.daysOverdue || a.patientName.localeCompare(b.patientName));
}

async function newAlerts(ctx: UseCaseContext): Promise<DayBoard['alerts']> {
  const page = await alertInbox(ctx, { status: 'open', limit: BOARD_ALERT_PATIENTS_MAX });
  return {
    totalAlerts: page.totalAlerts,
    totalPatients: page.totalPatients,
    patients: page.groups.map((g) => {
      const latest = [...g.alerts].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0]!;
      return {
        patientId: g.patientId,
        patientName: `${latest.patientGivenName} ${latest.patientFamilyName}`,
        mrn: latest.patientMrn,
        tier: g.tier,
        alertCount: g.alertCount,
        latestReason: latest.reason,
        latestAt: g.latestAt,
      };
    }),
  };
}
