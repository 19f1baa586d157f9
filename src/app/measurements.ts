/**
 * Body measurement use cases: a patient's weight and height history with BMI, recording a weight
 * and/or height, and marking one entered in error (it then neither drives a dose nor counts as
 * the latest). BMI pairs each weight with the latest height measured at or before it.
 */
import { bmi } from '../clinical/body';
import { assertMeasuredByNow, latestMeasuredByNow } from '../clinical/plausibility';
import {
  addBodyMeasurement,
  listBodyMeasurements,
  markBodyMeasurementEnteredInError,
  type BodyMeasurement,
  type BodyMeasurementCreate,
} from '../store/body-measurements';
import { recordAudit, type UseCaseContext } from './context';

export type { BodyMeasurement };

export interface MeasurementWithBmi {
  measurement: BodyMeasurement;
  /** kg/m², one decimal; null without a weight, an earlier height, or when entered in error. */
  bmi: number | null;
}

/**
 * Pairs each weight with the latest height measured at or before it (heights change rarely).
 * Entries marked entered in error get no BMI and lend no height.
 */
export function withBmi(measurements: BodyMeasurement[]): MeasurementWithBmi[] {
  let lastHeightCm: number | null = null;
  return measurements.map((m) => {
    if (m.status !== 'active') return { measurement: m, bmi: null };
    if (m.heightCm !== null) lastHeightCm = m.heightCm;
    const value = m.weightKg !== null && lastHeightCm !== null ? bmi(m.weightKg, lastHeightCm) : null;
    return { measurement: m, bmi: value === null ? null : Math.round(value * 10) / 10 };
  });
}

/** The weight and height that count now: the latest active ones measured by now. */
export interface LatestBodySize {
  weightKg: number | null;
  weighedAt: Date | null;
  heightCm: number | null;
}

export function latestBodySize(measurements: readonly BodyMeasurement[], now: Date): LatestBodySize {
  const active = measurements.filter((m) => m.status === 'active');
  const weighed = latestMeasuredByNow(active, now, (m) => (m.weightKg === null ? null : m));
  return {
    weightKg: weighed?.weightKg ?? null,
    weighedAt: weighed?.measuredAt ?? null,
    heightCm: latestMeasuredByNow(active, now, (m) => m.heightCm),
  };
}

/**
 * The history, oldest first, including entries entered in error (with their status), and the
 * weight and height that count now, so no reader picks "the latest" from the list itself.
 */
export async function bodyMeasurementHistory(
  ctx: UseCaseContext,
  patientId: string,
): Promise<{ items: MeasurementWithBmi[]; latest: LatestBodySize }> {
  const rows = await listBodyMeasurements(ctx.tx, ctx.actor.clinicId, patientId, {
    includeEnteredInError: true,
  });
  await recordAudit(ctx, { action: 'body_measurement.list', resourceType: 'patient', resourceId: patientId });
  return { items: withBmi(rows), latest: latestBodySize(rows, ctx.now) };
}

export async function recordBodyMeasurement(
  ctx: UseCaseContext,
  input: { patientId: string; measurement: BodyMeasurementCreate },
): Promise<MeasurementWithBmi> {
  const { tx, actor, now } = ctx;
  if (!actor.userId) throw new Error('recordBodyMeasurement: a measurement is recorded by a staff user');
  // A weight dated in the future would become "the latest" and drive every dose: refused.
  if (input.measurement.measuredAt !== undefined) {
    assertMeasuredByNow('measuredAt', new Date(input.measurement.measuredAt), now);
  }
  const created = await addBodyMeasurement(
    tx,
    actor.clinicId,
    input.patientId,
    input.measurement,
    actor.userId,
    now,
  );
  await recordAudit(ctx, {
    action: 'body_measurement.create',
    resourceType: 'body_measurement',
    resourceId: created.id,
    details: { patientId: input.patientId },
  });
  const all = withBmi(await listBodyMeasurements(tx, actor.clinicId, input.patientId));
  return all.find((m) => m.measurement.id === created.id)!;
}

export async function markMeasurementEnteredInError(
  ctx: UseCaseContext,
  input: { patientId: string; measurementId: string; reason: string },
): Promise<BodyMeasurement> {
  const { tx, actor, now } = ctx;
  if (!actor.userId) throw new Error('markMeasurementEnteredInError: a staff user marks it');
  const row = await markBodyMeasurementEnteredInError(
    tx,
    actor.clinicId,
    input.patientId,
    input.measurementId,
    input.reason,
    actor.userId,
    now,
  );
  await recordAudit(ctx, {
    action: 'body_measurement.entered_in_error',
    resourceType: 'body_measurement',
    resourceId: input.measurementId,
    details: { patientId: input.patientId },
  });
  return row;
}
