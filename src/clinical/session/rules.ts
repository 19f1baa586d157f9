/**
 * The session rules a clinic's settings feed: the esketamine device rule, which vitals thresholds
 * apply, and the discharge settings. Each lives here once; the session's decisions, its state and
 * its projections all use these.
 */
import { frozenMemo } from '../frozen';
import { type Dose, ESKETAMINE_DEVICE_INTERVAL_MIN, ESKETAMINE_DEVICE_MG, formatRegimen } from '../pk';
import {
  clinicSetting,
  defaultDischargeSettings,
  IV_MIN_OBSERVATION_DEFAULT,
  resolveVitalsThresholds,
  type ChecklistRules,
  type DischargeSettings,
  type Modality,
  type StoredVitalsThresholds,
  type VitalsThresholds,
} from '../protocols';

/** The clinic settings the session's rules read (the clinic's session settings satisfy it). */
export interface SessionSettingsInput {
  thresholds: Record<Modality, StoredVitalsThresholds | null>;
  monitoring: { ivMinObservationAfterDosingMin: number; pausedRecheckEveryMin: number };
  clinicMaxDoseMgPerKg: number;
  vialMgPerMl: number;
  bagMl: number;
  checklist: ChecklistRules;
}

/** The vitals thresholds in force for a modality: the clinic's own, else the cited defaults. */
export function sessionThresholds(
  settings: Pick<SessionSettingsInput, 'thresholds'>,
  modality: Modality,
): { thresholds: VitalsThresholds; source: 'defaults' | 'clinic' } {
  const own = settings.thresholds[modality];
  return { thresholds: resolveVitalsThresholds(modality, own), source: own ? 'clinic' : 'defaults' };
}

/** Discharge settings made from frozen clinic settings, kept with them. */
const dischargeOf = frozenMemo<DischargeSettings>();

/** The discharge settings: the core defaults with the clinic's IV observation minimum. */
export function sessionDischargeSettings(
  settings: Pick<SessionSettingsInput, 'thresholds' | 'monitoring'>,
  modality: Modality,
): DischargeSettings {
  // A session's state asks at every read; frozen settings cannot have changed since the last ask.
  return dischargeOf(settings, modality, () => ({
    ...defaultDischargeSettings(sessionThresholds(settings, modality).thresholds),
    ivMinObservationAfterInfusionMin: clinicSetting(
      settings.monitoring.ivMinObservationAfterDosingMin,
      IV_MIN_OBSERVATION_DEFAULT,
    ),
  }));
}

/**
 * Esketamine nasal spray: 28 mg per device, 5 minutes between devices, the first at dosing start
 * (label [V]). A dose is a whole number of devices.
 */
export const ESKETAMINE_DEVICE = {
  mgPerDevice: ESKETAMINE_DEVICE_MG,
  minBetweenDevicesMin: ESKETAMINE_DEVICE_INTERVAL_MIN,
} as const;

/** Devices for an esketamine dose; null when the dose is not a whole number of devices. */
export function esketamineDevices(doseMg: number): number | null {
  const devices = doseMg / ESKETAMINE_DEVICE.mgPerDevice;
  return Number.isInteger(devices) && devices >= 1 ? devices : null;
}

/** The minute the last device is used: (devices − 1) × 5 min after the first. */
export function esketamineDosingEndMin(devices: number): number {
  return (devices - 1) * ESKETAMINE_DEVICE.minBetweenDevicesMin;
}

/** The planned dose as PK doses: the devices 5 min apart, or the infusion from minute 0. */
export function plannedDoses(plan: {
  modality: Modality;
  doseMg: number;
  devices: number | null;
  dosingEndMin: number;
}): Dose[] {
  return plan.modality === 'esketamine'
    ? esketamineDoses(plan.devices ?? 1)
    : [{ doseMg: plan.doseMg, route: 'iv', durationMin: plan.dosingEndMin, startMin: 0 }];
}

/** The planned dose in the regimen language, for display. */
export function plannedRegimen(plan: Parameters<typeof plannedDoses>[0]): string[] {
  return formatRegimen(plannedDoses(plan));
}

/** The devices as PK doses: one 28-mg intranasal dose every 5 minutes from 0. */
export function esketamineDoses(devices: number): Dose[] {
  return Array.from({ length: devices }, (_, i) => ({
    doseMg: ESKETAMINE_DEVICE.mgPerDevice,
    route: 'intranasal',
    durationMin: null,
    startMin: i * ESKETAMINE_DEVICE.minBetweenDevicesMin,
  }));
}

/** The devices in the regimen language, for display. */
export function esketamineRegimen(devices: number): string[] {
  return formatRegimen(esketamineDoses(devices));
}
