import { and, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { auditEvents } from '../store/schema';
import { describeEachStore } from '../store/test-harness';
import { createTestApp, login, samplePatient, seedClinic, type Session } from './test-support';

const url = '/api/mechanism/simulate';
const regimen = { model: 'domino-1984', doses: ['0.5 mg/kg over 40 min'], untilMin: 720 };

describeEachStore('mechanism API', ({ store }) => {
  let app: FastifyInstance;
  let nurse: Session;
  let frontDesk: Session;
  let otherClinic: Session;
  let patientId: string;
  let clinicId: string;

  beforeAll(async () => {
    app = await createTestApp(store());
    const clinic = await seedClinic(store(), 'Mechanism Clinic');
    clinicId = clinic.id;
    const other = await seedClinic(store(), 'Other Clinic');
    nurse = await login(app, clinic.users.nurse);
    frontDesk = await login(app, clinic.users.staff);
    otherClinic = await login(app, other.users.prescriber);
    const p = await nurse.request({ method: 'POST', url: '/api/patients', payload: samplePatient() });
    patientId = p.json().id;
    await nurse.request({
      method: 'POST',
      url: `/api/patients/${patientId}/body-measurements`,
      payload: { weightKg: 100 },
    });
  });

  it('computes the chain on one time axis with the banner, assumptions and parameters', async () => {
    const res = await nurse.request({ method: 'POST', url, payload: { ...regimen, weightKg: 70 } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.banner).toMatch(/educational model, not a prediction for the individual/i);
    expect(body.timesMin.at(-1)).toBe(720);
    for (const key of ['plasmaNgPerMl', 'occupancy', 'trappedBlock', 'burstSuppression', 'spineComponent'])
      expect(body[key]).toHaveLength(body.timesMin.length);
    expect(body.pk.doses[0].doseMg).toBeCloseTo(35, 10);
    expect(body.summary.peakOccupancy).toBeGreaterThan(0);
    expect(body.assumptions.length).toBeGreaterThan(5);
    expect(body.parameters[0]).toEqual(
      expect.objectContaining({ source: expect.any(String), status: expect.any(String) }),
    );
  });

  it('a bad dose is 400 naming the dose token; a missing weight is 400 naming weightKg', async () => {
    const bad = await nurse.request({
      method: 'POST',
      url,
      payload: { ...regimen, weightKg: 70, doses: ['0.5 mg/kilo over 40 min'] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toBe('dose token "mg/kilo"');
    const noWeight = await nurse.request({ method: 'POST', url, payload: regimen });
    expect(noWeight.statusCode).toBe(400);
    expect(noWeight.json().error.fields[0].path).toBe('weightKg');
    const badUntil = await nurse.request({
      method: 'POST',
      url,
      payload: { ...regimen, weightKg: 70, untilMin: -5 },
    });
    expect(badUntil.statusCode).toBe(400);
    expect(badUntil.json().error.fields[0].path).toBe('body.untilMin');
  });

  it('is refused without a session (401) and to front-desk staff (403)', async () => {
    const anon = await app.inject({ method: 'POST', url, payload: { ...regimen, weightKg: 70 } });
    expect(anon.statusCode).toBe(401);
    const desk = await frontDesk.request({ method: 'POST', url, payload: { ...regimen, weightKg: 70 } });
    expect(desk.statusCode).toBe(403);
  });

  it("takes the weight from the patient's record (audited) and keeps other clinics out", async () => {
    const res = await nurse.request({ method: 'POST', url, payload: { ...regimen, patientId } });
    expect(res.statusCode).toBe(200);
    expect(res.json().pk.doses[0].doseMg).toBeCloseTo(50, 10); // 0.5 mg/kg × 100 kg recorded
    const events = await store()
      .db.select()
      .from(auditEvents)
      .where(and(eq(auditEvents.clinicId, clinicId), eq(auditEvents.action, 'mechanism.simulate')));
    expect(events).toHaveLength(1);
    expect(events[0]!.resourceId).toBe(patientId);
    expect(events[0]!.details).toEqual(
      expect.objectContaining({ fromRecord: expect.arrayContaining(['weightKg']) }),
    );
    const foreign = await otherClinic.request({ method: 'POST', url, payload: { ...regimen, patientId } });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.body).not.toContain('doseMg');
  });
});
