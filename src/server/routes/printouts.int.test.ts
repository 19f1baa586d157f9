import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { pdfText } from '../../interop/pdf-text-test-support';
import { NOT_RECORDED } from '../../interop/pump-program-pdf';
import { auditEvents } from '../../store/schema';
import { describeEachStore } from '../../store/test-harness';
import {
  createTestApp,
  login,
  READY_CHECKLIST,
  recordPreSessionAssessments,
  samplePatient,
  screenEligible,
  seedClinic,
  type Session,
  type TestClinic,
} from '../test-support';

/**
 * Printouts a nurse hangs on the pump or hands to the patient: what they print, read back from
 * the compressed PDF the server sends, who may print them, and the audit row each leaves.
 */
const START = new Date('2026-03-02T15:00:00Z');
const at = (min: number) => new Date(START.getTime() + min * 60_000);

describeEachStore('printouts: pump program and taper calendar', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let other: TestClinic;
  let admin: Session;
  let prescriber: Session;
  let nurse: Session;
  let staff: Session;
  let patientId: string;
  const now = START;

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => now });
    clinic = await seedClinic(store(), 'Print Clinic');
    other = await seedClinic(store(), 'Other Print Clinic');
    admin = await login(app, clinic.users.admin);
    prescriber = await login(app, clinic.users.prescriber);
    nurse = await login(app, clinic.users.nurse);
    staff = await login(app, clinic.users.staff);
    const identity = await admin.request({
      method: 'PUT',
      url: '/api/clinic/identity',
      payload: {
        name: 'Lakeside Ketamine Clinic',
        address: '1 Lake St, Chicago',
        phone: '+1 312 555 0100',
        timeZone: 'America/Chicago',
      },
    });
    expect(identity.statusCode, identity.body).toBe(200);
    const p = await staff.request({
      method: 'POST',
      url: '/api/patients',
      payload: samplePatient({ givenName: 'Ann', familyName: 'Example', mrn: 'MRN-PRINT-1' }),
    });
    expect(p.statusCode, p.body).toBe(201);
    patientId = p.json().id;
    await screenEligible(prescriber, patientId, 'iv-ketamine', 'esketamine');
  });

  async function firstSession(templateId: string): Promise<string> {
    const c = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/courses`,
      payload: { templateId, startDate: '2026-03-02' },
    });
    expect(c.statusCode, c.body).toBe(201);
    return `/api/patients/${patientId}/sessions/${c.json().sessions[0].id}`;
  }

  it('prints the IV pump program with both identifiers, the bag, the prescriber and the clinic phone', async () => {
    const base = await firstSession('iv-induction-2x-weekly-3wk');
    const pdfUrl = `${base}/pump-program/pdf`;
    const early = await nurse.request({ method: 'GET', url: pdfUrl });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toContain('compute the dose');

    await nurse.request({ method: 'POST', url: `${base}/check-in`, payload: {} });
    await recordPreSessionAssessments(nurse, patientId, at(-30));
    const checked = await nurse.request({
      method: 'POST',
      url: `${base}/checklist`,
      payload: { ...READY_CHECKLIST, weightKg: 80 },
    });
    expect(checked.statusCode, checked.body).toBe(200);

    // Planned without diluent or lot: the sheet says so where they belong.
    const bare = await nurse.request({ method: 'POST', url: `${base}/dose-plan`, payload: {} });
    expect(bare.statusCode, bare.body).toBe(200);
    const bareText = pdfText((await nurse.request({ method: 'GET', url: pdfUrl })).rawPayload);
    expect(bareText.split(NOT_RECORDED)).toHaveLength(3);

    const planned = await nurse.request({
      method: 'POST',
      url: `${base}/dose-plan`,
      payload: { lotNumber: 'LOT-PUMP-7', diluent: '0.9% sodium chloride' },
    });
    expect(planned.statusCode, planned.body).toBe(200);
    expect(planned.json().dosePlan).toMatchObject({
      diluent: '0.9% sodium chloride',
      weightMeasuredOn: '2026-03-02',
    });

    const res = await nurse.request({ method: 'GET', url: pdfUrl });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain('pump-program-2026-03-02.pdf');
    const text = pdfText(res.rawPayload);
    for (const words of [
      'Pump program: Ketamine',
      'Lakeside Ketamine Clinic. Phone: +1 312 555 0100',
      // Dates as the clinic's screens write them: en-US, its default.
      'Ann Example, born 04/12/1980',
      'Session date',
      '03/02/2026',
      'MRN-PRINT-1',
      'mg/mL',
      '0.9% sodium chloride',
      'LOT-PUMP-7',
      'prescriber Print Clinic',
      'nurse Print Clinic, 03/02/2026 09:00',
      '80 kg, measured 03/02/2026',
      '40 mg (0.5 mg/kg)',
      '151.2 mL/h',
      '40 min',
    ]) {
      expect(text).toContain(words);
    }
    expect(text).not.toContain(NOT_RECORDED);
    expect(text).not.toContain('2026-03-02');

    // The admin switches the clinic to day-first dates: the next sheet follows at once.
    const gb = await admin.request({
      method: 'PUT',
      url: '/api/clinic/identity',
      payload: {
        name: 'Lakeside Ketamine Clinic',
        address: '1 Lake St, Chicago',
        phone: '+1 312 555 0100',
        timeZone: 'America/Chicago',
        locale: 'en-GB',
      },
    });
    expect(gb.statusCode, gb.body).toBe(200);
    const gbText = pdfText((await nurse.request({ method: 'GET', url: pdfUrl })).rawPayload);
    for (const words of [
      'born 12/04/1980',
      'nurse Print Clinic, 02/03/2026 09:00',
      '80 kg, measured 02/03/2026',
    ]) {
      expect(gbText).toContain(words);
    }
    const us = await admin.request({
      method: 'PUT',
      url: '/api/clinic/identity',
      payload: {
        name: 'Lakeside Ketamine Clinic',
        address: '1 Lake St, Chicago',
        phone: '+1 312 555 0100',
        timeZone: 'America/Chicago',
        locale: 'en-US',
      },
    });
    expect(us.statusCode, us.body).toBe(200);

    // Clinicians only, and only in their own clinic.
    expect((await staff.request({ method: 'GET', url: pdfUrl })).statusCode).toBe(403);
    const outsider = await login(app, other.users.nurse);
    expect((await outsider.request({ method: 'GET', url: pdfUrl })).statusCode).toBe(404);

    const sessionId = base.split('/').at(-1)!;
    const audited = await store()
      .db.select({ action: auditEvents.action, actorRole: auditEvents.actorRole })
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.clinicId, clinic.id),
          eq(auditEvents.resourceId, sessionId),
          eq(auditEvents.action, 'session.pump_program.pdf'),
        ),
      );
    // Three printed sheets (without, then with diluent and lot, then day-first); refusals leave no row.
    expect(audited).toEqual([
      { action: 'session.pump_program.pdf', actorRole: 'nurse' },
      { action: 'session.pump_program.pdf', actorRole: 'nurse' },
      { action: 'session.pump_program.pdf', actorRole: 'nurse' },
    ]);
  });

  it('answers 409 for an esketamine session: nasal devices, no pump to program', async () => {
    const base = await firstSession('esketamine-trd-label');
    const res = await nurse.request({ method: 'GET', url: `${base}/pump-program/pdf` });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('no pump program to print');
  });

  it("prints the clinic's phone on the patient taper calendar", async () => {
    const created = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/tapers`,
      payload: {
        drug: 'sertraline',
        startDoseMg: 100,
        mode: 'occupancy',
        stepPp: 10,
        intervalDays: 28,
        startDate: '2026-03-09',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const res = await nurse.request({
      method: 'GET',
      url: `/api/patients/${patientId}/tapers/${created.json().id}/pdf`,
    });
    expect(res.statusCode).toBe(200);
    const text = pdfText(res.rawPayload);
    expect(text).toContain('Call Lakeside Ketamine Clinic: +1 312 555 0100');
    expect(text).toContain('Ann Example');
  });
});
