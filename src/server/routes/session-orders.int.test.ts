import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { auditEvents } from '../../store/schema';
import { describeEachStore } from '../../store/test-harness';
import { unlockAccount } from '../../store/users';
import {
  createTestApp,
  login,
  READY_CHECKLIST,
  recordPreSessionAssessments,
  samplePatient,
  screenEligible,
  seedClinic,
  type Session,
  signOrderForPlan,
  type TestClinic,
} from '../test-support';

/**
 * Session orders over HTTP: a prescriber signs the order, the nurse doses against it, a dose that
 * differs needs a reason, a second person verifies with their own password where the clinic
 * requires it, an allergy refuses the order, and rescues and dosing steps land in the MAR.
 */
const START = new Date('2026-03-02T08:00:00Z'); // a Monday; clinic time zone UTC
const at = (min: number) => new Date(START.getTime() + min * 60_000);

describeEachStore('session orders and MAR API', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let prescriber: Session;
  let nurse: Session;
  let admin: Session;
  let now = START;

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => now });
    clinic = await seedClinic(store(), 'Orders Clinic');
    prescriber = await login(app, clinic.users.prescriber);
    nurse = await login(app, clinic.users.nurse);
    admin = await login(app, clinic.users.admin);
  });

  async function tick(target: Date): Promise<void> {
    now = target;
    for (const s of [nurse, prescriber, admin]) await s.request({ method: 'GET', url: '/api/clinic' });
  }

  /** A new patient whose first session is checked in, checklist done and dose planned. */
  async function plannedSession(
    modality: 'iv-ketamine' | 'esketamine' = 'iv-ketamine',
  ): Promise<{ base: string; patientId: string }> {
    await tick(START);
    const p = await nurse.request({ method: 'POST', url: '/api/patients', payload: samplePatient() });
    const patientId = p.json().id as string;
    await screenEligible(prescriber, patientId, modality);
    const c = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/courses`,
      payload: {
        templateId: modality === 'iv-ketamine' ? 'iv-induction-2x-weekly-3wk' : 'esketamine-trd-label',
        startDate: '2026-03-02',
      },
    });
    expect(c.statusCode, c.body).toBe(201);
    const base = `/api/patients/${patientId}/sessions/${c.json().sessions[0].id}`;
    expect((await nurse.request({ method: 'POST', url: `${base}/check-in`, payload: {} })).statusCode).toBe(
      200,
    );
    await recordPreSessionAssessments(nurse, patientId, at(-30));
    const ck = await nurse.request({
      method: 'POST',
      url: `${base}/checklist`,
      payload: {
        ...READY_CHECKLIST,
        weightKg: 80,
        ...(modality === 'esketamine'
          ? { lastFoodMinBeforeDose: 180, lastLiquidMinBeforeDose: 60, remsPatientEnrolled: true }
          : {}),
      },
    });
    expect(ck.json().checklist.overall, ck.body).toBe('ready');
    const plan = await nurse.request({
      method: 'POST',
      url: `${base}/dose-plan`,
      payload: { lotNumber: 'L1' },
    });
    expect(plan.statusCode, plan.body).toBe(200);
    return { base, patientId };
  }

  /** The standing order as the session screen offers it, as a sign-order request. */
  async function standing(base: string) {
    const o = (await nurse.request({ method: 'GET', url: base })).json().orders.standingOrder;
    return {
      doseMgPerKg: o.doseMgPerKg,
      durationMin: o.durationMin,
      maxDoseMg: o.maxDoseMg,
      holdConditions: o.holdConditions,
      rescues: o.rescues,
    };
  }

  const post = (s: Session, url: string, payload: unknown) => s.request({ method: 'POST', url, payload });

  it.each(['iv-ketamine', 'esketamine'] as const)(
    '%s: dosing without a signed order is refused in plain words; once a prescriber signs it, dosing starts',
    async (modality) => {
      const { base } = await plannedSession(modality);
      const refused = await post(nurse, `${base}/start`, {});
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.message).toBe(
        'A prescriber must sign the order for this session before dosing starts.',
      );
      expect(refused.json().error.fields[0].path).toBe('order');
      expect((await nurse.request({ method: 'GET', url: base })).json().phase).toBe('dose-planned');

      await signOrderForPlan(prescriber, base);
      const started = await post(nurse, `${base}/start`, {});
      expect(started.statusCode, started.body).toBe(200);
      expect(started.json().phase).toBe('dosing');
      expect(started.json().orders.mar.treatment.orderEventId).toBe(started.json().orders.order.eventId);
    },
  );

  it('a prescriber signs the standing order; the nurse doses against it, gives a rescue, pauses and resumes; the MAR shows each', async () => {
    const { base, patientId } = await plannedSession();
    const order = await standing(base);
    expect(order).toMatchObject({ doseMgPerKg: 0.5, durationMin: 40, maxDoseMg: 40 });
    expect(order.rescues).toEqual([
      { drug: 'ondansetron', doseMg: 4, route: 'iv', indication: 'nausea or vomiting' },
    ]);

    const byNurse = await post(nurse, `${base}/orders`, order);
    expect(byNurse.statusCode).toBe(403);

    const signed = await post(prescriber, `${base}/orders`, order);
    expect(signed.statusCode, signed.body).toBe(200);
    const o = signed.json().orders.order;
    expect(o).toMatchObject({ drug: 'ketamine', route: 'iv', doseMg: 40, rateMgPerMin: 1, standing: true });
    expect(o.signedBy).toBe('prescriber Orders Clinic');

    const started = await post(nurse, `${base}/start`, {});
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json().orders.mar.treatment).toMatchObject({ orderEventId: o.eventId, deviation: null });

    await tick(at(8));
    const rescue = await post(nurse, `${base}/rescues`, {
      drug: 'ondansetron',
      doseMg: 4,
      route: 'iv',
      reason: 'nausea',
    });
    expect(rescue.statusCode, rescue.body).toBe(200);
    const notOrdered = await post(nurse, `${base}/rescues`, {
      drug: 'midazolam',
      doseMg: 1,
      route: 'iv',
      reason: 'agitation',
    });
    expect(notOrdered.statusCode).toBe(409);
    expect(notOrdered.json().error.message).toMatch(/no midazolam line/);

    await tick(at(10));
    expect((await post(nurse, `${base}/dosing-actions`, { action: 'pause' })).statusCode).toBe(200);
    await tick(at(15));
    const resumed = await post(nurse, `${base}/dosing-actions`, { action: 'resume' });
    expect(resumed.statusCode).toBe(200);
    const mar = resumed.json().orders.mar;
    expect(mar.treatment.steps.map((s: { action: string; atMin: number }) => [s.action, s.atMin])).toEqual([
      ['start', 0],
      ['pause', 10],
      ['resume', 15],
    ]);
    expect(mar.treatment.amountGivenMg).toBe(10);
    expect(mar.treatment.volumeInfusedMl).toBeGreaterThan(0);
    expect(mar.rescues).toEqual([
      expect.objectContaining({
        drug: 'ondansetron',
        doseMg: 4,
        atMin: 8,
        orderEventId: o.eventId,
        by: 'nurse Orders Clinic',
      }),
    ]);

    // FHIR: the order as a MedicationRequest; the dose and the rescue as administrations against it.
    const fhir = (await nurse.request({ method: 'GET', url: `/api/patients/${patientId}/fhir` })).json();
    const resources = (fhir.entry as { resource: Record<string, unknown> }[]).map((e) => e.resource);
    const requests = resources.filter((r) => r.resourceType === 'MedicationRequest');
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      status: 'active',
      intent: 'order',
      dosageInstruction: [
        {
          doseAndRate: [{ doseQuantity: { value: 40, code: 'mg' } }],
          maxDosePerAdministration: { value: 40 },
        },
      ],
    });
    const administrations = resources.filter((r) => r.resourceType === 'MedicationAdministration');
    expect(administrations).toHaveLength(2);
    for (const a of administrations) {
      expect(a.request).toEqual({ reference: `MedicationRequest/${String(requests[0]!.id)}` });
    }
    expect(administrations).toContainEqual(
      expect.objectContaining({
        medicationCodeableConcept: { text: 'ondansetron' },
        dosage: expect.objectContaining({ dose: expect.objectContaining({ value: 4 }) }),
        reasonCode: [{ text: 'nausea' }],
      }),
    );
  });

  it('an order for a drug the patient is allergic to is refused with the reason', async () => {
    const { base, patientId } = await plannedSession();
    const order = await standing(base);
    const allergy = await post(nurse, `/api/patients/${patientId}/allergies`, {
      substance: 'Zofran',
      reaction: 'rash',
      severity: 'moderate',
      source: 'patient',
    });
    expect(allergy.statusCode, allergy.body).toBe(201);
    const refused = await post(prescriber, `${base}/orders`, order);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(
      /active allergy to Zofran \(rash\): ondansetron is not given/,
    );
    // Without the rescue line the ketamine order itself is allowed.
    expect((await post(prescriber, `${base}/orders`, { ...order, rescues: [] })).statusCode).toBe(200);

    const ketamine = await post(nurse, `/api/patients/${patientId}/allergies`, {
      substance: 'ketamine',
      severity: 'severe',
      source: 'patient',
    });
    expect(ketamine.statusCode).toBe(201);
    const again = await post(prescriber, `${base}/orders`, { ...order, rescues: [] });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/active allergy to ketamine: ketamine is contraindicated/);
  });

  it('a dose that differs from the order is refused without a reason and recorded with one', async () => {
    const { base } = await plannedSession();
    const order = { ...(await standing(base)), durationMin: 60 };
    expect((await post(prescriber, `${base}/orders`, order)).statusCode).toBe(200);
    const refused = await post(nurse, `${base}/start`, {});
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields[0].path).toBe('deviationReason');
    expect(refused.json().error.fields[0].message).toMatch(/infusion 40 min, ordered 60 min/);
    const started = await post(nurse, `${base}/start`, {
      deviationReason: 'pump program set for 40 min per protocol',
    });
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json().orders.mar.treatment.deviation).toEqual({
      reason: 'pump program set for 40 min per protocol',
      differences: ['infusion 40 min, ordered 60 min'],
    });
  });

  it('who signs an order: a prescriber or an admin, never a nurse or the front desk', async () => {
    const { base } = await plannedSession();
    const order = await standing(base);
    const frontDesk = await login(app, clinic.users.staff);
    expect((await post(nurse, `${base}/orders`, order)).statusCode).toBe(403);
    expect((await post(frontDesk, `${base}/orders`, order)).statusCode).toBe(403);
    const byAdmin = await post(admin, `${base}/orders`, order);
    expect(byAdmin.statusCode, byAdmin.body).toBe(200);
    expect(byAdmin.json().orders.order.signedBy).toBe(`admin ${clinic.name}`);
  });

  it('with second-person verification on, the second person must enter their own correct password', async () => {
    const settings = (await admin.request({ method: 'GET', url: '/api/session-settings' })).json();
    const put = (on: boolean) =>
      admin.request({
        method: 'PUT',
        url: '/api/session-settings',
        payload: { ...settings, orders: { secondPersonVerification: on } },
      });
    expect((await put(true)).statusCode).toBe(200);
    try {
      const { base } = await plannedSession();
      expect((await post(prescriber, `${base}/orders`, await standing(base))).statusCode).toBe(200);
      const unverified = await post(nurse, `${base}/start`, {});
      expect(unverified.statusCode).toBe(409);
      expect(unverified.json().error.message).toMatch(/second person must verify/);

      const wrong = await post(nurse, `${base}/dose-verification`, {
        verifierEmail: clinic.users.prescriber.email,
        verifierPassword: 'not-the-password',
      });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().error.fields[0].path).toBe('verifierPassword');
      const self = await post(nurse, `${base}/dose-verification`, {
        verifierEmail: clinic.users.nurse.email,
        verifierPassword: clinic.users.nurse.password,
      });
      expect(self.statusCode).toBe(400);
      expect(self.json().error.fields[0].message).toMatch(/someone other than you/);
      const frontDesk = await post(nurse, `${base}/dose-verification`, {
        verifierEmail: clinic.users.staff.email,
        verifierPassword: clinic.users.staff.password,
      });
      expect(frontDesk.statusCode).toBe(400);
      expect((await post(nurse, `${base}/start`, {})).statusCode).toBe(409);

      const ok = await post(nurse, `${base}/dose-verification`, {
        verifierEmail: clinic.users.prescriber.email,
        verifierPassword: clinic.users.prescriber.password,
      });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().orders.doseVerifiedBy).toBe('prescriber Orders Clinic');
      const started = await post(nurse, `${base}/start`, {});
      expect(started.statusCode, started.body).toBe(200);
      expect(started.json().orders.mar.treatment.verifiedBy).toBe('prescriber Orders Clinic');
    } finally {
      expect((await put(false)).statusCode).toBe(200);
    }
  });

  it('wrong verifier passwords are counted and audited; the fifth locks verifying as that person', async () => {
    const { base } = await plannedSession();
    const sessionId = base.split('/').at(-1)!;
    expect((await post(prescriber, `${base}/orders`, await standing(base))).statusCode).toBe(200);
    const attempt = (password: string) =>
      post(nurse, `${base}/dose-verification`, {
        verifierEmail: clinic.users.prescriber.email,
        verifierPassword: password,
      });
    try {
      for (let i = 1; i <= 5; i++) {
        const wrong = await attempt(`guess-${i}`);
        expect(wrong.statusCode, `attempt ${i}`).toBe(400);
        expect(wrong.json().error.fields[0].path).toBe('verifierPassword');
      }
      // Locked now, even with the right password: the dialog cannot be used to guess a password.
      const locked = await attempt(clinic.users.prescriber.password);
      expect(locked.statusCode, locked.body).toBe(423);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      expect(locked.json().error.message).toMatch(/Too many failed attempts/);

      const denied = await store()
        .db.select()
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.clinicId, clinic.id),
            eq(auditEvents.action, 'session.dose_verification'),
            eq(auditEvents.resourceId, sessionId),
          ),
        );
      expect(denied.map((e) => e.outcome)).toEqual(Array(6).fill('denied'));
      expect(denied.map((e) => (e.details as { reason: string }).reason).sort()).toEqual([
        ...Array(5).fill('bad_password'),
        'locked',
      ]);
      expect(JSON.stringify(denied)).not.toMatch(/guess-|prescriber-password|verifierPassword/);
    } finally {
      await unlockAccount(store().db, clinic.users.prescriber.email);
    }
    // After the lock is lifted the right password verifies, and the refusals did not verify anything.
    const ok = await attempt(clinic.users.prescriber.password);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().orders.doseVerifiedBy).toBe('prescriber Orders Clinic');
  });
});
