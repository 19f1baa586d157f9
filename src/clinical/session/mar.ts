/**
 * The session's medication administration record (MAR): every administration tied to its order —
 * the ketamine or esketamine dose with its start, pauses, resumes, stop, amount and volume given,
 * and every rescue medication. A projection of the session state; it decides nothing.
 */
import type { DosingState, Modality } from '../protocols';
import type { MedicationRoute, OrderDrug, RescueDrug } from '../vocabulary/orders';
import type { OrderPayload } from './events';
import { orderInForce } from './fold';
import type { SessionState } from './state';

export interface MarOrder extends OrderPayload {
  eventId: string;
  signedBy: string;
  signedAt: Date;
}

export interface MarDoseStep {
  action: 'start' | 'pause' | 'resume' | 'stop';
  atMin: number;
  at: Date;
  by: string;
  note: string | null;
}

export interface MarTreatment {
  drug: OrderDrug;
  route: MedicationRoute;
  /** The order dosing started against (null: dosed before orders were recorded). */
  orderEventId: string | null;
  plannedMg: number;
  state: DosingState;
  steps: MarDoseStep[];
  /** IV: rate × running time; esketamine: devices used × 28 mg (as of the state's `now`). */
  amountGivenMg: number;
  /** IV: the volume the pump has delivered (proportional to the mg given); null for devices. */
  volumeInfusedMl: number | null;
  devicesGiven: number | null;
  deviation: { reason: string; differences: string[] } | null;
  /** Who verified the drawn-up dose, when a second person did. */
  verifiedBy: string | null;
}

export interface MarRescue {
  eventId: string;
  drug: RescueDrug;
  doseMg: number;
  route: MedicationRoute;
  atMin: number;
  at: Date;
  by: string;
  reason: string;
  orderEventId: string;
  deviationReason: string | null;
}

export interface Mar {
  order: MarOrder | null;
  treatment: MarTreatment | null;
  rescues: MarRescue[];
}

const DRUG_OF: Readonly<Record<Modality, { drug: OrderDrug; route: MedicationRoute }>> = {
  'iv-ketamine': { drug: 'ketamine', route: 'iv' },
  esketamine: { drug: 'esketamine', route: 'intranasal' },
};

const atMinute = (start: Date, min: number) => new Date(start.getTime() + min * 60_000);

/** The MAR of a session in this state. */
export function sessionMar(state: SessionState): Mar {
  const r = state.record;
  const o = orderInForce(r);
  const order: MarOrder | null = o
    ? { ...o.payload, eventId: o.id, signedBy: o.recordedByName, signedAt: o.recordedAt }
    : null;
  const start = r.dosingStart;
  const plan = r.dosePlan?.payload;
  let treatment: MarTreatment | null = null;
  if (start && plan && state.dosing) {
    const d = state.dosing;
    const steps: MarDoseStep[] = [
      { action: 'start', atMin: 0, at: start.recordedAt, by: start.recordedByName, note: start.payload.note },
      ...d.history.map((h) => ({
        action: h.action,
        atMin: h.atMin,
        at: atMinute(start.recordedAt, h.atMin),
        by: h.event.recordedByName,
        note: h.event.payload.note,
      })),
    ];
    const vtbi = plan.pump?.vtbiMl ?? null;
    const verification = r.doseVerifications.filter((v) => v.recordedAt <= start.recordedAt).at(-1);
    treatment = {
      ...DRUG_OF[state.modality],
      orderEventId: start.payload.orderEventId ?? null,
      plannedMg: d.plannedMg,
      state: d.state,
      steps,
      amountGivenMg: d.amountGivenMg,
      volumeInfusedMl:
        d.kind === 'infusion' && vtbi !== null && d.plannedMg > 0
          ? Math.round(((vtbi * d.amountGivenMg) / d.plannedMg) * 10) / 10
          : null,
      devicesGiven: d.devicesGiven,
      deviation: start.payload.orderDeviation ?? null,
      verifiedBy: verification?.payload.verifierName ?? null,
    };
  }
  const rescues: MarRescue[] = r.rescues
    .map((e) => ({
      eventId: e.id,
      drug: e.payload.drug,
      doseMg: e.payload.doseMg,
      route: e.payload.route,
      atMin: e.timeMin ?? 0,
      // Before dosing started the minute has no clock to count from: the time it was recorded.
      at:
        start && e.timeMin !== null && e.recordedAt >= start.recordedAt
          ? atMinute(start.recordedAt, e.timeMin)
          : e.recordedAt,
      by: e.recordedByName,
      reason: e.payload.reason,
      orderEventId: e.payload.orderEventId,
      deviationReason: e.payload.deviationReason,
    }))
    .sort((a, b) => a.atMin - b.atMin);
  return { order, treatment, rescues };
}
