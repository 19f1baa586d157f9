import { and, asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { auditEvents } from '../../store/schema';
import { assessmentResponses } from '../../store/schema-measurement';
import { sessionEvents } from '../../store/schema-sessions';
import { appendSessionEvent } from '../../app/sessions/append';
import { describeEachStore } from '../../store/test-harness';
import { inClinic } from '../../store/tx';
import {
  createTestApp,
  login,
  recordPreSessionAssessments,
  samplePatient,
  screenEligible,
  seedClinic,
  type Session,
  type TestClinic,
} from '../test-support';

// 03:00 UTC on Monday 2 March 2026 is still Sunday 1 March (21:00 CST) in Chicago.
const NOW = new Date('2026-03-02T03:00:00Z');

describeEachStore('clinic identity API', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let other: TestClinic;
  let admin: Session;
  let nurse: Session;
  let otherAdmin: Session;

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => NOW });
    clinic = await seedClinic(store(), 'Identity Clinic');
    other = await seedClinic(store(), 'Other Identity Clinic');
    admin = await login(app, clinic.users.admin);
    nurse = await login(app, clinic.users.nurse);
    otherAdmin = await login(app, other.users.admin);
  });

  const identity = {
    name: 'Lakeside Ketamine Clinic',
    address: '100 Main Street\nSpringfield, IL 62701',
    phone: '+1 (217) 555-0100',
    timeZone: 'America/Chicago',
  };

  it('shows every staff member the identity; only an admin changes it, audited, in its own clinic', async () => {
    const before = await nurse.request({ method: 'GET', url: '/api/clinic/identity' });
    expect(before.statusCode).toBe(200);
    expect(before.json()).toMatchObject({
      name: 'Identity Clinic',
      address: null,
      phone: null,
      timeZone: 'UTC',
      today: '2026-03-02',
    });

    const refused = await nurse.request({ method: 'PUT', url: '/api/clinic/identity', payload: identity });
    expect(refused.statusCode).toBe(403);

    const saved = await admin.request({ method: 'PUT', url: '/api/clinic/identity', payload: identity });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ ...identity, id: clinic.id, today: '2026-03-01' });

    const overview = await nurse.request({ method: 'GET', url: '/api/clinic' });
    expect(overview.json().clinic).toMatchObject({ name: identity.name, timeZone: 'America/Chicago' });
    const untouched = await otherAdmin.request({ method: 'GET', url: '/api/clinic/identity' });
    expect(untouched.json()).toMatchObject({ name: 'Other Identity Clinic', timeZone: 'UTC' });

    const audit = await store()
      .db.select()
      .from(auditEvents)
      .where(and(eq(auditEvents.clinicId, clinic.id), eq(auditEvents.action, 'clinic.update')));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ userId: clinic.users.admin.id, resourceType: 'clinic' });
    expect(audit[0]!.details).toEqual({
      changedFields: ['name', 'address', 'phone', 'timeZone'],
      timeZoneFrom: 'UTC',
      timeZoneTo: 'America/Chicago',
    });
  });

  it('refuses a bad identity field by field and writes nothing', async () => {
    const bad = await admin.request({
      method: 'PUT',
      url: '/api/clinic/identity',
      payload: { name: '  ', phone: 'call us', timeZone: 'Mars/Olympus_Mons' },
    });
    expect(bad.statusCode).toBe(400);
    const fields = bad.json().error.fields as { path: string; message: string }[];
    expect(fields.map((e) => e.path)).toEqual(
      expect.arrayContaining(['body.name', 'body.phone', 'body.timeZone']),
    );
    expect(fields.find((e) => e.path === 'body.timeZone')!.message).toContain('IANA time zone');
    // A fixed offset has no daylight-saving rules of a place.
    const offset = await admin.request({
      method: 'PUT',
      url: '/api/clinic/identity',
      payload: { ...identity, timeZone: '-06:00' },
    });
    expect(offset.statusCode).toBe(400);
    const after = await nurse.request({ method: 'GET', url: '/api/clinic/identity' });
    expect(after.json()).toMatchObject(identity);
  });

  it('clears address and phone when they are left blank', async () => {
    const res = await admin.request({
      method: 'PUT',
      url: '/api/clinic/identity',
      payload: { ...identity, address: '', phone: '  ' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ address: null, phone: null });
    await admin.request({ method: 'PUT', url: '/api/clinic/identity', payload: identity });
  });

  it('changing the time zone moves no stored instant; "today" and the week follow the new zone', async () => {
    const prescriber = await login(app, clinic.users.prescriber);
    const patient = await nurse.request({ method: 'POST', url: '/api/patients', payload: samplePatient() });
    const patientId = patient.json().id as string;
    await recordPreSessionAssessments(nurse, patientId, new Date('2026-03-01T23:30:00Z'));
    await screenEligible(prescriber, patientId, 'iv-ketamine');
    const course = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/courses`,
      payload: { templateId: 'iv-induction-2x-weekly-3wk', startDate: '2026-03-02' },
    });
    expect(course.statusCode).toBe(201);
    const sessionId = course.json().sessions[0].id as string;
    await inClinic(store().db, clinic.id, (tx) =>
      appendSessionEvent(
        tx,
        clinic.id,
        sessionId,
        { kind: 'check-in', payload: { note: 'Arrived early' } },
        clinic.users.nurse.id,
        new Date('2026-03-02T02:15:00Z'),
      ),
    );
    const instants = async () => ({
      assessments: (
        await store()
          .db.select({ at: assessmentResponses.administeredAt })
          .from(assessmentResponses)
          .where(eq(assessmentResponses.patientId, patientId))
          .orderBy(asc(assessmentResponses.administeredAt))
      ).map((r) => r.at.toISOString()),
      sessionEvents: (
        await store()
          .db.select({ at: sessionEvents.recordedAt })
          .from(sessionEvents)
          .where(eq(sessionEvents.sessionId, sessionId))
      ).map((r) => r.at.toISOString()),
    });
    const week = async () => (await nurse.request({ method: 'GET', url: '/api/calendar/week' })).json();
    const listed = async () =>
      (await nurse.request({ method: 'GET', url: `/api/patients/${patientId}/assessments` })).json()
        .items as { administeredAt: string }[];

    const inChicago = await instants();
    expect(inChicago.assessments).toEqual(['2026-03-01T23:30:00.000Z', '2026-03-01T23:30:00.000Z']);
    expect(inChicago.sessionEvents).toEqual(['2026-03-02T02:15:00.000Z']);
    const listedInChicago = (await listed()).map((a) => a.administeredAt).sort();
    // Sunday 1 March in Chicago: the week began on Monday 23 February.
    expect((await week()).days[0]).toBe('2026-02-23');

    const moved = await admin.request({
      method: 'PUT',
      url: '/api/clinic/identity',
      payload: { ...identity, timeZone: 'Europe/London' },
    });
    expect(moved.json().today).toBe('2026-03-02');

    expect(await instants()).toEqual(inChicago);
    expect((await listed()).map((a) => a.administeredAt).sort()).toEqual(listedInChicago);
    // Monday 2 March in London: this week begins today.
    expect((await week()).days[0]).toBe('2026-03-02');
    // The booked session keeps its clinic-local date and wall time.
    const booked = (await week()).items.find((i: { sessionId: string }) => i.sessionId === sessionId);
    expect(booked).toMatchObject({ date: '2026-03-02' });
  });
});
