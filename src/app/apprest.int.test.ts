/**
 * The taper and FHIR use cases called directly, as the CLI and the demo call them: the same rules
 * and audit as over HTTP, without a request.
 */
import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { seedClinic } from '../server/test-support';
import { auditEvents } from '../store/schema';
import { describeEachStore } from '../store/test-harness';
import { inClinicAs, systemActor, type Actor } from './context';
import { exportPatientFhir, FhirImportRejected, importFhirBundle } from './fhir';
import { changeTaperPlanStatus, createTaper, readTaperMonitoring, recordTaperCheckIn } from './tapers';

const now = new Date('2026-01-20T12:00:00Z');

const patientResource = (mrn: string) => ({
  resourceType: 'Patient',
  identifier: [{ system: 'urn:rein:mrn', value: mrn }],
  name: [{ family: 'Example', given: ['Alex'] }],
  birthDate: '1980-04-02',
  gender: 'female',
});

describeEachStore('taper and FHIR use cases', ({ store }) => {
  it('imports a bundle as a user, all or nothing, and exports it again', async () => {
    const clinic = await seedClinic(store(), 'Use case FHIR');
    const actor: Actor = {
      clinicId: clinic.id,
      userId: clinic.users.nurse.id,
      role: 'nurse',
      requestId: null,
    };
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: patientResource('UC-1') }],
    };
    const result = await inClinicAs(store().db, actor, now, (ctx) => importFhirBundle(ctx, bundle));
    expect(result.patients).toHaveLength(1);

    // The same MRN again: rejected, and nothing of the second bundle is written.
    const again = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: patientResource('UC-2') }, { resource: patientResource('UC-1') }],
    };
    const rejected = await inClinicAs(store().db, actor, now, (ctx) => importFhirBundle(ctx, again)).catch(
      (e: unknown) => e,
    );
    expect(rejected).toBeInstanceOf(FhirImportRejected);
    expect((rejected as FhirImportRejected).issues[0]).toMatchObject({ entry: 1, path: 'identifier' });

    const exported = await inClinicAs(store().db, systemActor(clinic.id), now, (ctx) =>
      exportPatientFhir(ctx, { patientId: result.patients[0]!.id, fhirBase: 'urn:rein', bulk: true }),
    );
    expect(exported.entry?.some((e) => e.resource?.resourceType === 'Patient')).toBe(true);
    const audits = await store()
      .db.select()
      .from(auditEvents)
      .where(and(eq(auditEvents.clinicId, clinic.id), eq(auditEvents.action, 'patient.fhir_bulk_export')));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ userId: null, actorRole: 'cli' });
  });

  it('plans, checks in and closes a taper; a closed plan takes no check-in', async () => {
    const clinic = await seedClinic(store(), 'Use case taper');
    const prescriber: Actor = {
      clinicId: clinic.id,
      userId: clinic.users.prescriber.id,
      role: 'prescriber',
      requestId: null,
    };
    const run = <T>(fn: Parameters<typeof inClinicAs<T>>[3]) => inClinicAs(store().db, prescriber, now, fn);
    const imported = await run((ctx) =>
      importFhirBundle(ctx, { resourceType: 'Bundle', entry: [{ resource: patientResource('UC-T') }] }),
    );
    const patientId = imported.patients[0]!.id;
    const { plan } = await run((ctx) =>
      createTaper(ctx, {
        patientId,
        request: {
          drug: 'sertraline',
          startDoseMg: 100,
          mode: 'proportional',
          stepPct: 10,
          intervalDays: 28,
          startDate: '2026-01-05',
        },
      }),
    );
    const ref = { patientId, taperId: plan.id };
    const { suggestion } = await run((ctx) =>
      recordTaperCheckIn(ctx, { ...ref, checkIn: { date: '2026-01-19', answers: {}, tolerable: true } }),
    );
    expect(suggestion.decision).toBe('continue');
    const monitoring = await run((ctx) => readTaperMonitoring(ctx, ref));
    expect(monitoring.checkIns).toHaveLength(1);
    expect(monitoring.suggestion).not.toBeNull();

    await run((ctx) =>
      changeTaperPlanStatus(ctx, { ...ref, change: { status: 'cancelled', reason: 'test' } }),
    );
    await expect(
      run((ctx) =>
        recordTaperCheckIn(ctx, { ...ref, checkIn: { date: '2026-01-20', answers: {}, tolerable: true } }),
      ),
    ).rejects.toThrow(/cancelled/);
    await expect(
      run((ctx) => changeTaperPlanStatus(ctx, { ...ref, change: { status: 'active', reason: 'undo' } })),
    ).rejects.toThrow(/cannot become/);
    // Without a signed-in user there is no one to record a prescription change.
    await expect(
      inClinicAs(store().db, systemActor(clinic.id), now, (ctx) =>
        changeTaperPlanStatus(ctx, { ...ref, change: { status: 'paused', reason: 'x' } }),
      ),
    ).rejects.toThrow(/signed-in user/);
  });
});
