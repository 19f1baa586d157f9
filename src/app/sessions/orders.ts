/**
 * The session's orders as its screen reads them: the signed order, the standing order the
 * course pre-fills, the rescue formulary, whether the current plan was verified, and the MAR.
 */
import { doseSpecSchema } from '../../clinical/protocols';
import {
  RESCUE_FORMULARY,
  orderInForce,
  sessionMar,
  sessionThresholds,
  standingOrder,
  type Mar,
  type OrderDraft,
  type RescueFormularyEntry,
} from '../../clinical/session';
import type { LoadedSession } from './load';

/**
 * The standing order the session's course pre-fills (null when the session's stored dose is not
 * a dose the course schedules, as in fixtures that store none).
 */
export function sessionStandingOrder(s: LoadedSession): OrderDraft | null {
  const dose = doseSpecSchema.safeParse(s.session.dose);
  if (!dose.success) return null;
  return standingOrder({
    modality: s.modality,
    dose: dose.data,
    doseMg: s.session.fixedDoseMg ?? s.orderedDoseMg,
    weightKg: s.weights.at(-1)?.weightKg ?? null,
    thresholds: sessionThresholds(s.settings, s.modality).thresholds,
  });
}

export interface SessionOrders {
  mar: Mar;
  standingOrder: OrderDraft | null;
  rescueFormulary: RescueFormularyEntry[];
  secondPersonVerification: boolean;
  /** Who verified the current dose plan (null: not verified). */
  doseVerifiedBy: string | null;
  hasOrder: boolean;
}

export function sessionOrders(s: LoadedSession): SessionOrders {
  const r = s.state.record;
  const plan = r.dosePlan;
  const verified = plan
    ? r.doseVerifications.filter((v) => v.payload.planEventId === plan.id).at(-1)
    : undefined;
  return {
    mar: sessionMar(s.state),
    standingOrder: sessionStandingOrder(s),
    rescueFormulary: Object.values(RESCUE_FORMULARY),
    secondPersonVerification: s.settings.orders.secondPersonVerification,
    doseVerifiedBy: verified?.payload.verifierName ?? null,
    hasOrder: orderInForce(r) !== null,
  };
}
