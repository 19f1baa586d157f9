/**
 * Two defects found while reviewing the exports: the discharge time the writer records (`atMin`)
 * must be the one the session export and the FHIR Encounter use, and the REMS form's patient sex
 * offers what the current form offers (Male, Female, Other).
 */
import type { FastifyInstance } from 'fastify';
import type { Bundle, Encounter } from '@medplum/fhirtypes';
import { beforeAll, expect, it } from 'vitest';
import { appendSessionEvent } from '../../app/sessions/append';
import { describeEachStore } from '../../store/test-harness';
import { inClinic } from '../../store/tx';
import {
  createTestApp,
  login,
  samplePatient,
  screenEligible,
  seedClinic,
  type Session,
  type TestClinic,
} from '../test-support';

describeEachStore('discharge time in exports; REMS patient sex', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let nurse: Session;
  let prescriber: Session;

  beforeAll(async () => {
    app = await createTestApp(store());
    clinic = await seedClinic(store(), 'Found Clinic');
    nurse = await login(app, clinic.users.nurse);
    prescriber = await login(app, clinic.users.prescriber);
  });

  async function course(sexAtBirth: string, templateId: string) {
    const patientId = (
      await prescriber.request({
        method: 'POST',
        url: '/api/patients',
        payload: samplePatient({ sexAtBirth }),
      })
    ).json().id as string;
    await screenEligible(prescriber, patientId, 'iv-ketamine', 'esketamine');
    const c = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/courses`,
      payload: { templateId, startDate: '2026-03-02' },
    });
    expect(c.statusCode, c.body).toBe(201);
    return { patientId, sessionId: c.json().sessions[0].id as string };
  }

  it('exports the discharge at the time the clinician recorded (atMin), not the event time', async () => {
    const { patientId, sessionId } = await course('female', 'iv-induction-2x-weekly-3wk');
    await inClinic(store().db, clinic.id, async (tx) => {
      const u = clinic.users.nurse.id;
      const add = (
        kind: 'dose-plan' | 'dosing-start' | 'discharge',
        timeMin: number | null,
        payload: unknown,
        at: string,
      ) => appendSessionEvent(tx, clinic.id, sessionId, { kind, timeMin, payload }, u, new Date(at));
      await add(
        'dose-plan',
        null,
        { modality: 'iv-ketamine', doseMg: 35, doseMgPerKg: 0.5, weightKg: 70 },
        '2026-03-02T08:00:00Z',
      );
      await add('dosing-start', 0, {}, '2026-03-02T08:00:00Z');
      // Recorded at minute 130 (entered late) for a discharge the clinician states was at minute 95.
      await add('discharge', 130, { atMin: 95 }, '2026-03-02T10:10:00Z');
    });
    const csv = await nurse.request({
      method: 'GET',
      url: `/api/exports/sessions.csv?patientId=${patientId}`,
    });
    expect(csv.statusCode, csv.body).toBe(200);
    const [header, ...rows] = csv.body
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    const col = header!.indexOf('discharge_at_min');
    const row = rows.find((r) => r.includes(sessionId))!;
    expect(row[col]).toBe('95');

    const fhir = (
      await nurse.request({ method: 'GET', url: `/api/patients/${patientId}/fhir` })
    ).json() as Bundle;
    const enc = fhir
      .entry!.map((e) => e.resource!)
      .find((r) => r.resourceType === 'Encounter' && r.id === sessionId) as Encounter;
    expect(enc.status).toBe('finished');
    expect(enc.period?.end).toBe('2026-03-02T09:35:00.000Z');
  });

  it('fills the REMS form sex "other" for an intersex patient and lists only an unknown sex as missing', async () => {
    const intersex = await course('intersex', 'esketamine-trd-label');
    const form = (
      await nurse.request({
        method: 'GET',
        url: `/api/patients/${intersex.patientId}/sessions/${intersex.sessionId}/rems`,
      })
    ).json();
    expect(form.ok).toBe(false); // nothing recorded yet
    expect(form.missing.join(' ')).not.toMatch(/patient\.sex/);

    const unknown = await course('unknown', 'esketamine-trd-label');
    const missing = (
      await nurse.request({
        method: 'GET',
        url: `/api/patients/${unknown.patientId}/sessions/${unknown.sessionId}/rems`,
      })
    ).json().missing as string[];
    expect(missing.join(' ')).toMatch(/patient\.sex \(the form offers male, female, other/);
  });
});
