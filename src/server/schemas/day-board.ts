/** The start page's day board (pure zod). A section the caller's role may not see is null. */
import { z } from 'zod';
import { SUICIDALITY_TIERS } from '../../clinical/instruments';

export const boardSessionStatusDto = z.object({
  phase: z.enum(['scheduled', 'checked-in', 'checklist-done', 'dose-planned', 'dosing', 'discharged']),
  inRecovery: z.boolean(),
  vitalsOverdueByMin: z.number().nullable(),
  openAlerts: z.int(),
  minutesSinceDosingStart: z.number().nullable(),
  earliestDischargeMin: z.number().nullable(),
});

export const boardSessionDto = z.object({
  sessionId: z.uuid(),
  patientId: z.uuid(),
  patientName: z.string(),
  mrn: z.string(),
  modality: z.string(),
  sequence: z.int(),
  phaseLabel: z.string(),
  roomId: z.string(),
  /** Minutes after the clinic's midnight. */
  startMin: z.int(),
  endMin: z.int(),
  /** Null for a role that may not read session records (the front desk). */
  status: boardSessionStatusDto.nullable(),
});

export const boardRemsFormDto = z.object({
  sessionId: z.uuid(),
  patientId: z.uuid(),
  patientName: z.string(),
  mrn: z.string(),
  sessionDate: z.string(),
  dueDate: z.string(),
  /** Days until the due date; negative when late. */
  daysLeft: z.int(),
});

export const boardAlertPatientDto = z.object({
  patientId: z.uuid(),
  patientName: z.string(),
  mrn: z.string(),
  tier: z.enum(SUICIDALITY_TIERS),
  alertCount: z.int(),
  latestReason: z.string(),
  latestAt: z.string(),
});

export const boardTaperDecisionDto = z.object({
  taperId: z.uuid(),
  patientId: z.uuid(),
  patientName: z.string(),
  mrn: z.string(),
  drug: z.string(),
  /** The reduction's planned date (YYYY-MM-DD). */
  stepDate: z.string(),
  fromDoseMg: z.number().nullable(),
  toDoseMg: z.number().nullable(),
  daysOverdue: z.int(),
});

export const dayBoardDto = z.object({
  today: z.string(),
  timeZone: z.string(),
  rooms: z.array(z.object({ roomId: z.string(), sessions: z.array(boardSessionDto) })),
  recovery: z.array(boardSessionDto).nullable(),
  vitalsOverdue: z.array(boardSessionDto).nullable(),
  remsDue: z.object({ items: z.array(boardRemsFormDto), total: z.int() }).nullable(),
  alerts: z
    .object({
      patients: z.array(boardAlertPatientDto),
      totalAlerts: z.int(),
      totalPatients: z.int(),
    })
    .nullable(),
  tapersDue: z.array(boardTaperDecisionDto).nullable(),
});
export type DayBoardDto = z.infer<typeof dayBoardDto>;
