import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { auditEvents } from '../../store/schema';
import { describeEachStore } from '../../store/test-harness';
import {
  createTestApp,
  eligibleAnswers,
  login,
  samplePatient,
  screenEligible,
  seedClinic,
  type Session,
  type TestClinic,
} from '../test-support';

// Every safety question answered, nothing found.
const cleanAnswers = eligibleAnswers('iv-ketamine');

describeEachStore('courses and eligibility API', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let other: TestClinic;
  let prescriber: Session;
  let nurse: Session;
  let staff: Session;
  let admin: Session;
  let otherPrescriber: Session;
  let patientId: string;

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => new Date('2026-03-02T09:00:00Z') });
    clinic = await seedClinic(store(), 'Course Clinic');
    other = await seedClinic(store(), 'Other Course Clinic');
    prescriber = await login(app, clinic.users.prescriber);
    nurse = await login(app, clinic.users.nurse);
    staff = await login(app, clinic.users.staff);
    admin = await login(app, clinic.users.admin);
    otherPrescriber = await login(app, other.users.prescriber);
    const p = await staff.request({ method: 'POST', url: '/api/patients', payload: samplePatient() });
    patientId = p.json().id;
  });

  it('screens eligibility, and only a prescriber signs it off (needs-review requires a note)', async () => {
    const url = `/api/patients/${patientId}/eligibility`;
    const denied = await staff.request({ method: 'POST', url, payload: { answers: cleanAnswers } });
    expect(denied.statusCode).toBe(403);

    const review = await nurse.request({
      method: 'POST',
      url,
      payload: { answers: { ...cleanAnswers, psychosisHistory: 'yes' } },
    });
    expect(review.statusCode).toBe(201);
    const screening = review.json();
    expect(screening.status).toBe('needs-review');
    expect(screening.reasons.length).toBeGreaterThan(0);
    expect(screening.reasons[0].citations.length).toBeGreaterThan(0);
    expect(screening.signOff).toBeNull();

    const signUrl = `${url}/${screening.id}/sign-off`;
    expect(
      (await nurse.request({ method: 'POST', url: signUrl, payload: { decision: 'approve' } })).statusCode,
    ).toBe(403);
    const noNote = await prescriber.request({
      method: 'POST',
      url: signUrl,
      payload: { decision: 'approve' },
    });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.json().error.fields[0].path).toBe('note');

    const ok = await prescriber.request({
      method: 'POST',
      url: signUrl,
      payload: { decision: 'approve', note: 'Remote single episode, stable for 10 years' },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().signOff).toMatchObject({
      decision: 'approve',
      signedByName: 'prescriber Course Clinic',
      signedBy: clinic.users.prescriber.id,
    });

    const again = await prescriber.request({
      method: 'POST',
      url: signUrl,
      payload: { decision: 'decline' },
    });
    expect(again.statusCode).toBe(409);

    const contraindicated = await nurse.request({
      method: 'POST',
      url,
      payload: { answers: { ...cleanAnswers, intracerebralHemorrhageHistory: 'yes' } },
    });
    expect(contraindicated.json().status).toBe('not-eligible');
    const refused = await prescriber.request({
      method: 'POST',
      url: `${url}/${contraindicated.json().id}/sign-off`,
      payload: { decision: 'approve', note: 'x' },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields[0].path).toBe('decision');

    const list = await prescriber.request({ method: 'GET', url });
    expect(list.json().map((s: { status: string }) => s.status)).toEqual(['not-eligible', 'needs-review']);
    expect(list.json()[1].signOff.note).toContain('Remote');

    // Other clinic: the patient does not exist there.
    expect((await otherPrescriber.request({ method: 'GET', url })).statusCode).toBe(404);
    expect(
      (await otherPrescriber.request({ method: 'POST', url: signUrl, payload: { decision: 'decline' } }))
        .statusCode,
    ).toBe(404);

    const events = await store()
      .db.select()
      .from(auditEvents)
      .where(and(eq(auditEvents.clinicId, clinic.id), eq(auditEvents.action, 'eligibility.sign_off')));
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events[0]!.details)).not.toContain('Remote');
  });

  it('schedules a course within clinic hours and rooms, shows conflicts, and exports ICS', async () => {
    const url = `/api/patients/${patientId}/courses`;
    // The previous test left a not-eligible screening: a course needs a current eligible one.
    await screenEligible(prescriber, patientId, 'iv-ketamine');
    const templates = await staff.request({ method: 'GET', url: '/api/course-templates' });
    expect(templates.json().map((t: { template: { id: string } }) => t.template.id)).toContain(
      'iv-induction-2x-weekly-3wk',
    );

    expect(
      (
        await nurse.request({
          method: 'POST',
          url,
          payload: { templateId: 'iv-induction-2x-weekly-3wk', startDate: '2026-03-02' },
        })
      ).statusCode,
    ).toBe(403);

    // One room, only Monday 08:00–10:00 open: a 120-min session fits once a week, so the second
    // session of each week (twice weekly, >= 2 days apart) cannot be placed.
    const settings = (await admin.request({ method: 'GET', url: '/api/session-settings' })).json();
    const mondayOnly = {
      ...settings,
      rooms: ['Chair A'],
      clinicHours: [[], [{ openMin: 480, closeMin: 600 }], [], [], [], [], []],
    };
    expect(
      (await prescriber.request({ method: 'PUT', url: '/api/session-settings', payload: mondayOnly }))
        .statusCode,
    ).toBe(403);
    expect(
      (await admin.request({ method: 'PUT', url: '/api/session-settings', payload: mondayOnly })).statusCode,
    ).toBe(200);

    const preview = await prescriber.request({
      method: 'POST',
      url,
      payload: { templateId: 'iv-induction-2x-weekly-3wk', startDate: '2026-03-02', preview: true },
    });
    expect(preview.statusCode).toBe(200);
    expect(preview.json().id).toBeNull();
    expect(preview.json().sessions).toHaveLength(3);
    expect(preview.json().conflicts).toHaveLength(3);
    for (const s of preview.json().sessions) {
      expect(new Date(`${s.date}T00:00:00Z`).getUTCDay()).toBe(1);
      expect(s).toMatchObject({ roomId: 'Chair A', startMin: 480, endMin: 600 });
    }
    expect((await prescriber.request({ method: 'GET', url })).json()).toHaveLength(0);

    // Back to defaults (Mon–Fri, two rooms): the whole course fits.
    expect(
      (await admin.request({ method: 'PUT', url: '/api/session-settings', payload: settings })).statusCode,
    ).toBe(200);
    const created = await prescriber.request({
      method: 'POST',
      url,
      payload: { templateId: 'iv-induction-2x-weekly-3wk', startDate: '2026-03-02' },
    });
    expect(created.statusCode).toBe(201);
    const course = created.json();
    expect(course.sessions).toHaveLength(6);
    expect(course.conflicts).toHaveLength(0);
    expect(course.sessions[0]).toMatchObject({ date: '2026-03-02', roomId: 'Room 1', startMin: 480 });

    // A second patient's course on the same day takes the next free room, not the same slot.
    const p2 = await staff.request({
      method: 'POST',
      url: '/api/patients',
      payload: samplePatient({ mrn: 'MRN-C2' }),
    });
    await screenEligible(prescriber, p2.json().id, 'iv-ketamine');
    const second = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${p2.json().id}/courses`,
      payload: { templateId: 'iv-induction-2x-weekly-3wk', startDate: '2026-03-02' },
    });
    expect(second.json().sessions[0]).toMatchObject({ date: '2026-03-02', roomId: 'Room 2', startMin: 480 });

    // A course lists each session's dose: clinicians read it; the front desk books from the
    // calendar and the course's ICS file, which carry no dose.
    expect((await staff.request({ method: 'GET', url: `${url}/${course.id}` })).statusCode).toBe(403);
    const read = await nurse.request({ method: 'GET', url: `${url}/${course.id}` });
    expect(read.json().sessions.map((s: { id: string }) => s.id)).toEqual(
      course.sessions.map((s: { id: string }) => s.id),
    );

    const ics = await staff.request({ method: 'GET', url: `${url}/${course.id}/ics` });
    expect(ics.statusCode).toBe(200);
    expect(ics.headers['content-type']).toContain('text/calendar');
    expect(ics.body.match(/BEGIN:VEVENT/g)).toHaveLength(6);
    expect(ics.body).not.toContain(samplePatient().familyName);

    expect((await otherPrescriber.request({ method: 'GET', url: `${url}/${course.id}` })).statusCode).toBe(
      404,
    );
    expect(
      (
        await prescriber.request({
          method: 'POST',
          url,
          payload: { templateId: 'nope', startDate: '2026-03-02' },
        })
      ).json().error.fields[0].path,
    ).toBe('templateId');
  });

  it('stores a clinic template that replaces the built-in with the same id', async () => {
    const templates = (await staff.request({ method: 'GET', url: '/api/course-templates' })).json();
    const builtIn = templates.find(
      (t: { template: { id: string } }) => t.template.id === 'iv-booster-single',
    ).template;
    const edited = { ...builtIn, name: 'Clinic booster' };
    expect(
      (await nurse.request({ method: 'POST', url: '/api/course-templates', payload: { template: edited } }))
        .statusCode,
    ).toBe(403);
    const saved = await prescriber.request({
      method: 'POST',
      url: '/api/course-templates',
      payload: { template: edited },
    });
    expect(saved.statusCode).toBe(201);
    const after = (await staff.request({ method: 'GET', url: '/api/course-templates' })).json();
    const boosters = after.filter((t: { template: { id: string } }) => t.template.id === 'iv-booster-single');
    expect(boosters).toEqual([
      expect.objectContaining({
        source: 'clinic',
        template: expect.objectContaining({ name: 'Clinic booster' }),
      }),
    ]);
    // Other clinics still see the built-in.
    const theirs = (await otherPrescriber.request({ method: 'GET', url: '/api/course-templates' })).json();
    expect(
      theirs.find((t: { template: { id: string } }) => t.template.id === 'iv-booster-single').source,
    ).toBe('built-in');
  });
});
