import { beforeAll, expect, it } from 'vitest';
import { resolveVitalsThresholds } from '../clinical/protocols';
import { DEFAULT_SESSION_SETTINGS } from '../clinical/session';
import { seedClinic, type TestClinic } from '../server/test-support';
import { clinicSessionSettings } from '../store/schema-sessions';
import { describeEachStore } from '../store/test-harness';
import { inClinic } from '../store/tx';
import { getSessionSettings } from './session-settings';

describeEachStore("reading a clinic's session settings", ({ store }) => {
  let clinic: TestClinic;
  const read = () => inClinic(store().db, clinic.id, (tx) => getSessionSettings(tx, clinic.id));
  // Writes a row as an older version (or a broken writer) could have left it, bypassing the schema.
  const storeRaw = (settings: unknown) =>
    inClinic(store().db, clinic.id, (tx) =>
      tx.insert(clinicSessionSettings).values({
        clinicId: clinic.id,
        settings: settings as typeof DEFAULT_SESSION_SETTINGS,
        createdBy: clinic.users.admin.id,
      }),
    );

  beforeAll(async () => {
    clinic = await seedClinic(store(), 'Settings Clinic');
  });

  it('gives the defaults to a clinic that has saved none', async () => {
    expect(await read()).toEqual(DEFAULT_SESSION_SETTINGS);
  });

  it('fills fields added since an older row was saved with their defaults, keeping its own values', async () => {
    const { dosing, monitoring, dosingDays, ...older } = DEFAULT_SESSION_SETTINGS;
    await storeRaw({ ...older, rooms: ['Suite A'], slotStepMin: 15 });
    const settings = await read();
    expect(settings.rooms).toEqual(['Suite A']);
    expect(settings.slotStepMin).toBe(15);
    expect(settings.dosing).toEqual(dosing);
    expect(settings.monitoring).toEqual(monitoring);
    expect(settings.dosingDays).toEqual(dosingDays);
  });

  it('falls back to the defaults when the newest row no longer parses', async () => {
    await storeRaw({ ...DEFAULT_SESSION_SETTINGS, rooms: [] });
    expect(await read()).toEqual(DEFAULT_SESSION_SETTINGS);
  });

  it('shares one frozen copy of a saved version, and reads a newer version at once', async () => {
    // A clinic's own IV thresholds: the defaults with another systolic hold value.
    const ownIv = (value: number) => {
      const defaults = resolveVitalsThresholds('iv-ketamine', null);
      return { ...defaults, holdSbpAboveMmHg: { ...defaults.holdSbpAboveMmHg, value } };
    };
    await storeRaw({
      ...DEFAULT_SESSION_SETTINGS,
      rooms: ['Suite B'],
      thresholds: { ...DEFAULT_SESSION_SETTINGS.thresholds, 'iv-ketamine': ownIv(170) },
    });
    const first = await read();
    const again = await read();
    expect(again).toBe(first);
    expect(first.rooms).toEqual(['Suite B']);
    // Shared between requests: a use case that changed it by mistake fails instead.
    expect(() => (first.rooms as string[]).push('Suite X')).toThrow(TypeError);
    const own = first.thresholds['iv-ketamine'];
    expect(resolveVitalsThresholds('iv-ketamine', own)).toBe(resolveVitalsThresholds('iv-ketamine', own));
    expect(resolveVitalsThresholds('iv-ketamine', own).holdSbpAboveMmHg.value).toBe(170);

    await storeRaw({
      ...DEFAULT_SESSION_SETTINGS,
      rooms: ['Suite C'],
      thresholds: { ...DEFAULT_SESSION_SETTINGS.thresholds, 'iv-ketamine': ownIv(160) },
    });
    const newer = await read();
    expect(newer.rooms).toEqual(['Suite C']);
    expect(
      resolveVitalsThresholds('iv-ketamine', newer.thresholds['iv-ketamine']).holdSbpAboveMmHg.value,
    ).toBe(160);
  });
});
