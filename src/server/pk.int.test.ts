import { and, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { listModels, planInfusion, planTci, simulate } from '../clinical/pk';
import { auditEvents } from '../store/schema';
import { describeEachStore } from '../store/test-harness';
import { ageOn } from './routes/pk';
import {
  createTestApp,
  login,
  samplePatient,
  seedClinic,
  type Session,
  type TestClinic,
} from './test-support';

/** The wire form of an engine result (what JSON.stringify makes of it). */
const wire = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

describeEachStore('PK API', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let nurse: Session;
  let prescriber: Session;
  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => new Date('2026-11-26T12:00:00Z') });
    clinic = await seedClinic(store(), 'PK Clinic');
    nurse = await login(app, clinic.users.nurse);
    prescriber = await login(app, clinic.users.prescriber);
  });

  async function patientWith(measurements: Array<Record<string, unknown>>, overrides = {}) {
    const p = await prescriber.request({
      method: 'POST',
      url: '/api/patients',
      payload: samplePatient(overrides),
    });
    expect(p.statusCode).toBe(201);
    for (const m of measurements) {
      const r = await nurse.request({
        method: 'POST',
        url: `/api/patients/${p.json().id}/body-measurements`,
        payload: m,
      });
      expect(r.statusCode).toBe(201);
    }
    return p.json().id as string;
  }

  async function auditFor(patientId: string) {
    return store()
      .db.select()
      .from(auditEvents)
      .where(and(eq(auditEvents.clinicId, clinic.id), eq(auditEvents.resourceId, patientId)));
  }

  it('lists the model catalogue', async () => {
    const res = await nurse.request({ method: 'GET', url: '/api/pk/models' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(wire(listModels()));
    expect(res.json().map((m: { id: string }) => m.id)).toContain('domino-1984');
  });

  it('simulates exactly what the engine computes, and the reference Domino value', async () => {
    const body = {
      model: 'domino-1984',
      weightKg: 70,
      doses: ['0.5 mg/kg over 40 min'],
      stepMin: 5,
      untilMin: 240,
    };
    const res = await nurse.request({ method: 'POST', url: '/api/pk/simulate', payload: body });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(wire(simulate(body)));
    // pharmacology.md §1.11 [C] table: Domino, 35 mg over 40 min at 70 kg → 240.4 ng/mL at 40 min.
    const eoi = res.json().metrics.ketamine.endOfInfusion[0].concentrationNgPerMl;
    expect(eoi).toBeCloseTo(240.4, 1);
  });

  it('plans a pump program and refuses a dose above the session maximum', async () => {
    const body = { weightKg: 70, dose: '0.5 mg/kg over 40 min', vialMgPerMl: 50, bagMl: 100 };
    const res = await nurse.request({ method: 'POST', url: '/api/pk/plan', payload: body });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(wire(planInfusion(body)));
    // 35 mg = 0.7 mL of 50 mg/mL; 100.7 mL over 40 min = 151.05 mL/h.
    expect(res.json().drugVolumeMl).toBeCloseTo(0.7, 9);
    expect(res.json().exactRateMlPerH).toBeCloseTo((100.7 * 60) / 40, 9);
    const over = await nurse.request({
      method: 'POST',
      url: '/api/pk/plan',
      payload: { ...body, dose: '1.2 mg/kg over 40 min' },
    });
    expect(over.statusCode).toBe(400);
    expect(over.json().error.fields[0].path).toBe('dose');
    expect(over.json().error.message).toMatch(/maximum/);
  });

  it('computes a TCI schedule as the engine does', async () => {
    const body = { model: 'domino-1984', weightKg: 70, targetNgPerMl: 150, durationMin: 30 };
    const res = await prescriber.request({ method: 'POST', url: '/api/pk/tci', payload: body });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(wire(planTci(body)));
  });

  it('refuses a malformed regimen with 400 naming the bad token', async () => {
    const res = await nurse.request({
      method: 'POST',
      url: '/api/pk/simulate',
      payload: { model: 'kamp-2020', weightKg: 70, doses: ['0.5 mg/kg over 40 mni'], timesMin: [0, 40] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('"mni"');
    const unknownModel = await nurse.request({
      method: 'POST',
      url: '/api/pk/simulate',
      payload: { model: 'nope', weightKg: 70, doses: ['20 mg at 0 min'], timesMin: [0] },
    });
    expect(unknownModel.statusCode).toBe(400);
    expect(unknownModel.json().error.fields[0].path).toBe('body.model');
  });

  it('requires a session, and is for clinicians (not front desk)', async () => {
    const anon = await app.inject({
      method: 'POST',
      url: '/api/pk/plan',
      payload: { weightKg: 70, dose: '0.5 mg/kg over 40 min', vialMgPerMl: 50, bagMl: 100 },
    });
    expect(anon.statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/pk/models' })).statusCode).toBe(401);
    const staff = await login(app, clinic.users.staff);
    expect((await staff.request({ method: 'GET', url: '/api/pk/models' })).statusCode).toBe(403);
  });

  it("takes weight, height, sex and age from a patient's record, and audits the read", async () => {
    const id = await patientWith(
      [
        { weightKg: 90, heightCm: 165, measuredAt: '2026-01-01T10:00:00Z' },
        { weightKg: 82, measuredAt: '2026-11-01T10:00:00Z' },
      ],
      { sexAtBirth: 'female', dateOfBirth: '1960-12-01' },
    );
    const req = {
      model: 'perez-ruixo-2021',
      doses: ['56 mg intranasal at 0 min'],
      stepMin: 10,
      untilMin: 240,
    };
    const res = await nurse.request({
      method: 'POST',
      url: '/api/pk/simulate',
      payload: { ...req, patientId: id },
    });
    expect(res.statusCode).toBe(200);
    // Latest weight (82, not 90), latest height, F, and age 65 on 2026-11-26 (birthday in December).
    expect(ageOn('1960-12-01', new Date('2026-11-26T12:00:00Z'))).toBe(65);
    const direct = simulate({ ...req, weightKg: 82, heightCm: 165, sex: 'F', ageYears: 65 });
    expect(res.json()).toEqual(wire(direct));
    // The age matters for this model (Qh falls after 60): a 40-year-old differs.
    expect(res.json()).not.toEqual(
      wire(simulate({ ...req, weightKg: 82, heightCm: 165, sex: 'F', ageYears: 40 })),
    );

    const plan = await nurse.request({
      method: 'POST',
      url: '/api/pk/plan',
      payload: {
        patientId: id,
        dose: '0.5 mg/kg over 40 min',
        vialMgPerMl: 10,
        bagMl: 50,
        weightBasis: 'adjusted',
      },
    });
    expect(plan.statusCode).toBe(200);
    expect(plan.json().actualWeightKg).toBe(82);
    expect(plan.json()).toEqual(
      wire(
        planInfusion({
          weightKg: 82,
          heightCm: 165,
          sex: 'F',
          dose: '0.5 mg/kg over 40 min',
          vialMgPerMl: 10,
          bagMl: 50,
          weightBasis: 'adjusted',
        }),
      ),
    );

    const tci = await nurse.request({
      method: 'POST',
      url: '/api/pk/tci',
      payload: { patientId: id, model: 'kamp-2020', targetNgPerMl: 120, durationMin: 20 },
    });
    expect(tci.statusCode).toBe(200);
    expect(tci.json()).toEqual(
      wire(
        planTci({
          model: 'kamp-2020',
          weightKg: 82,
          heightCm: 165,
          sex: 'F',
          ageYears: 65,
          targetNgPerMl: 120,
          durationMin: 20,
        }),
      ),
    );

    const events = await auditFor(id);
    const pkEvents = events.filter((e) => e.action.startsWith('pk.'));
    expect(pkEvents.map((e) => `${e.action}:${e.userId}`).sort()).toEqual([
      `pk.plan:${clinic.users.nurse.id}`,
      `pk.simulate:${clinic.users.nurse.id}`,
      `pk.tci:${clinic.users.nurse.id}`,
    ]);
    const details = JSON.stringify(pkEvents.map((e) => e.details));
    expect(details).not.toContain('82');
    expect(details).toContain('weightKg');
  });

  it('refuses body-size fields alongside patientId, and a record without weight (naming weightKg)', async () => {
    const withWeight = await patientWith([{ weightKg: 70 }]);
    const both = await nurse.request({
      method: 'POST',
      url: '/api/pk/plan',
      payload: {
        patientId: withWeight,
        weightKg: 60,
        dose: '0.5 mg/kg over 40 min',
        vialMgPerMl: 50,
        bagMl: 100,
      },
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().error.fields[0].path).toBe('weightKg');

    const heightOnly = await patientWith([{ heightCm: 170 }]);
    const res = await nurse.request({
      method: 'POST',
      url: '/api/pk/simulate',
      payload: {
        patientId: heightOnly,
        model: 'domino-1984',
        doses: ['0.5 mg/kg over 40 min'],
        timesMin: [40],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].path).toBe('weightKg');
    expect(res.json().error.message).toMatch(/no weight/);
    // The read itself is still audited.
    expect((await auditFor(heightOnly)).map((e) => e.action)).toContain('pk.simulate');

    const none = await nurse.request({
      method: 'POST',
      url: '/api/pk/plan',
      payload: { dose: '0.5 mg/kg over 40 min', vialMgPerMl: 50, bagMl: 100 },
    });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.fields[0].path).toBe('weightKg');
  });

  it("answers 404 for another clinic's patient and leaks nothing", async () => {
    const other = await seedClinic(store(), 'Other PK Clinic');
    const otherAdmin = await login(app, other.users.admin);
    const p = await otherAdmin.request({
      method: 'POST',
      url: '/api/patients',
      payload: samplePatient({ familyName: 'Elsewhere' }),
    });
    await otherAdmin.request({
      method: 'POST',
      url: `/api/patients/${p.json().id}/body-measurements`,
      payload: { weightKg: 123.4 },
    });
    for (const [url, payload] of [
      ['/api/pk/simulate', { model: 'domino-1984', doses: ['0.5 mg/kg over 40 min'], timesMin: [40] }],
      ['/api/pk/plan', { dose: '0.5 mg/kg over 40 min', vialMgPerMl: 50, bagMl: 100 }],
      ['/api/pk/tci', { model: 'domino-1984', targetNgPerMl: 150, durationMin: 30 }],
    ] as const) {
      const res = await nurse.request({
        method: 'POST',
        url,
        payload: { ...payload, patientId: p.json().id },
      });
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('123.4');
      expect(res.body).not.toContain('Elsewhere');
    }
  });
});
