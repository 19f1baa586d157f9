/**
 * The recording use case does, in the open and in order, what the store used to do out of sight:
 * score, persist, raise the alert, audit (the response's event before its alert's) — for staff,
 * the portal and older positional callers alike. The repositories alone raise nothing.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { getInstrument } from '../clinical/instruments';
import { scoreResponse } from '../clinical/instruments/recording';
import { audit } from '../server/context';
import { samplePatient, seedClinic, type TestClinic } from '../server/test-support';
import { insertAssessmentVersion, recordAssessmentInTx as recordPositional } from './assessments';
import { auditEvents } from '../store/schema';
import { alerts } from '../store/schema-measurement';
import { describeEachStore } from '../store/test-harness';
import { inClinic } from '../store/tx';
import { correctAssessment, recordAssessment } from './assessments';
import { inClinicAs, type Actor } from './context';
import { registerPatient } from './patients';
import { createPatientPortalLink, portalActor, submitPortalResponse } from './portal';
import type { PatientCreate } from '../store/patients';

const now = new Date('2026-03-01T10:00:00Z');
const phq9 = (item9: number) => [0, 0, 0, 0, 0, 0, 0, 0, item9];

describeEachStore('assessment use cases', ({ store }) => {
  const db = () => store().db;
  let clinic: TestClinic;
  let requestSeq = 0;
  const nurse = (): Actor => ({
    clinicId: clinic.id,
    userId: clinic.users.nurse.id,
    role: 'nurse',
    requestId: `req-${++requestSeq}`,
  });
  const newPatient = () =>
    inClinicAs(db(), nurse(), now, (ctx) => registerPatient(ctx, samplePatient() as PatientCreate));
  const eventsOf = (requestId: string) =>
    db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.clinicId, clinic.id), eq(auditEvents.requestId, requestId)))
      .orderBy(asc(auditEvents.id));
  const alertsOf = (patientId: string) =>
    db()
      .select()
      .from(alerts)
      .where(and(eq(alerts.clinicId, clinic.id), eq(alerts.patientId, patientId)));

  beforeAll(async () => {
    clinic = await seedClinic(store(), 'Use cases');
  });

  it('records, raises the alert and audits both as the actor, the response first', async () => {
    const patient = await newPatient();
    const actor = nurse();
    const rec = await inClinicAs(db(), actor, now, (ctx) =>
      recordAssessment(ctx, {
        patientId: patient.id,
        response: {
          instrument: 'phq9',
          version: '1.0.0',
          context: 'ad-hoc',
          administeredAt: now,
          answers: phq9(2),
        },
        author: { kind: 'user', userId: actor.userId! },
      }),
    );
    expect(rec.alert?.kind).toBe('suicidality');
    const events = await eventsOf(actor.requestId!);
    expect(events.map((e) => e.action)).toEqual(['assessment.create', 'alert.create']);
    expect(events.every((e) => e.userId === actor.userId && e.actorRole === 'nurse')).toBe(true);
    expect(events[1]!.resourceId).toBe(rec.alert!.id);
  });

  it('the repository alone persists the response and raises no alert', async () => {
    const patient = await newPatient();
    const input = {
      instrument: 'phq9' as const,
      version: getInstrument('phq9').version,
      context: 'ad-hoc' as const,
      administeredAt: now,
      answers: phq9(3),
    };
    await inClinic(db(), clinic.id, (tx) =>
      insertAssessmentVersion(tx, clinic.id, patient.id, {
        input,
        score: scoreResponse('phq9', input.version, input.answers, undefined),
        author: { kind: 'user', userId: clinic.users.nurse.id },
        now,
        previous: null,
        reason: null,
      }),
    );
    expect(await alertsOf(patient.id)).toHaveLength(0);
  });

  it('a correction raises an alert only when the corrected version had none', async () => {
    const patient = await newPatient();
    const record = (item9: number) =>
      inClinicAs(db(), nurse(), now, (ctx) =>
        recordAssessment(ctx, {
          patientId: patient.id,
          response: {
            instrument: 'phq9',
            version: '1.0.0',
            context: 'ad-hoc',
            administeredAt: now,
            answers: phq9(item9),
          },
          author: { kind: 'user', userId: clinic.users.nurse.id },
        }),
      );
    const correct = (responseId: string, item9: number) => {
      const actor = nurse();
      return {
        actor,
        run: inClinicAs(db(), actor, now, (ctx) =>
          correctAssessment(ctx, {
            patientId: patient.id,
            responseId,
            answers: phq9(item9),
            reason: 'misread',
          }),
        ),
      };
    };
    const positive = await record(1);
    const stillPositive = await correct(positive.response.id, 2).run;
    expect(stillPositive.alert).toBeNull();

    const negative = await record(0);
    const { actor, run } = correct(negative.response.id, 1);
    const nowPositive = await run;
    expect(nowPositive.alert?.kind).toBe('suicidality');
    expect((await eventsOf(actor.requestId!)).map((e) => e.action)).toEqual([
      'assessment.correct',
      'alert.create',
    ]);
    expect(await alertsOf(patient.id)).toHaveLength(2);
  });

  it('a portal submission is recorded by the same use case, audited with the link as the actor', async () => {
    const patient = await newPatient();
    const created = await inClinicAs(db(), nurse(), now, (ctx) =>
      createPatientPortalLink(ctx, { patientId: patient.id, expiresInHours: 72 }),
    );
    if (!created.ok) throw new Error('rate limited');
    const actor = portalActor(created.link, 'req-portal');
    const out = await inClinicAs(db(), actor, now, (ctx) =>
      submitPortalResponse(ctx, {
        link: created.link,
        clinicName: clinic.name,
        submission: { instrument: 'phq9', version: '1.0.0', answers: phq9(1) },
      }),
    );
    expect(out.status).toBe('recorded');
    if (out.status === 'recorded') expect(out.crisis?.clinicName).toBe(clinic.name);
    const events = await eventsOf('req-portal');
    expect(events.map((e) => e.action)).toEqual(['assessment.create', 'alert.create']);
    for (const e of events) {
      expect(e).toMatchObject({ userId: null, actorRole: 'patient' });
      expect(e.details).toMatchObject({ actor: 'portal_link', portalLinkId: created.link.id });
    }
    const again = await inClinicAs(db(), actor, now, (ctx) =>
      submitPortalResponse(ctx, {
        link: created.link,
        clinicName: clinic.name,
        submission: { instrument: 'phq9', version: '1.0.0', answers: phq9(0) },
      }),
    );
    expect(again.status).toBe('not-due');
  });

  it("the store's positional recordAssessment is the same use case (alert included)", async () => {
    const patient = await newPatient();
    const rec = await inClinic(db(), clinic.id, (tx) =>
      recordPositional(
        tx,
        clinic.id,
        patient.id,
        { instrument: 'phq9', version: '1.0.0', context: 'ad-hoc', administeredAt: now, answers: phq9(1) },
        { kind: 'user', userId: clinic.users.nurse.id },
        now,
      ),
    );
    expect(rec.alert?.kind).toBe('suicidality');
    expect(await alertsOf(patient.id)).toHaveLength(1);
  });

  it("the server's audit() delegates to recordAudit with the request's caller and id", async () => {
    const request = {
      id: 'req-wrapper',
      auth: { clinicId: clinic.id, userId: clinic.users.admin.id, role: 'admin' },
    } as unknown as FastifyRequest;
    await inClinic(db(), clinic.id, (tx) =>
      audit(tx, request, { action: 'patient.read', resourceType: 'patient', details: { n: 1 } }),
    );
    const [event] = await eventsOf('req-wrapper');
    expect(event).toMatchObject({
      userId: clinic.users.admin.id,
      actorRole: 'admin',
      action: 'patient.read',
      details: { n: 1 },
    });
  });
});
