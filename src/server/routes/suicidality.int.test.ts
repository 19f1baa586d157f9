/**
 * Suicidality: the inbox reads highest risk first, then newest, grouped per patient with the
 * patient's age, in pages that never hide a new alert; a patient who reports suicidal thoughts on
 * the portal gets the clinic's crisis resources at once.
 */
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { recordAssessmentInTx as recordAssessment } from '../../app/assessments';
import { describeEachStore } from '../../store/test-harness';
import { inClinic } from '../../store/tx';
import {
  createTestApp,
  login,
  samplePatient,
  seedClinic,
  type Session,
  type TestClinic,
} from '../test-support';

type Group = {
  patient: { id: string; ageYears: number };
  tier: string;
  alerts: { id: string; tier: string; createdAt: string; patient: { ageYears: number } }[];
};

describeEachStore('suicidality alerts and the portal crisis resource', ({ store }) => {
  let clock = new Date('2026-05-01T09:00:00Z');
  let app: FastifyInstance;
  let clinic: TestClinic;
  let nurse: Session;
  let admin: Session;
  let frontDesk: Session;

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => clock });
    clinic = await seedClinic(store(), 'Crisis Clinic');
    nurse = await login(app, clinic.users.nurse);
    admin = await login(app, clinic.users.admin);
    frontDesk = await login(app, clinic.users.staff);
  });

  const patient = async (dateOfBirth: string) =>
    (
      await frontDesk.request({
        method: 'POST',
        url: '/api/patients',
        payload: samplePatient({ dateOfBirth }),
      })
    ).json().id as string;
  const record = async (
    patientId: string,
    instrument: 'phq9' | 'cssrs-screener',
    answers: (number | null)[],
  ) => {
    const res = await nurse.request({
      method: 'POST',
      url: `/api/patients/${patientId}/assessments`,
      payload: {
        instrument,
        version: '1.0.0',
        context: 'ad-hoc',
        administeredAt: clock.toISOString(),
        answers,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().alert).not.toBeNull();
    return res.json().alert.id as string;
  };
  const later = (min: number) => {
    clock = new Date(clock.getTime() + min * 60_000);
  };

  it('lists alerts highest risk first, then newest, grouped per patient with their age', async () => {
    const older = await patient('1990-05-02'); // 35 on 2026-05-01 (birthday tomorrow)
    const newer = await patient('1990-05-01'); // 36 today
    const high = await patient('2000-01-15');
    const olderFirst = await record(older, 'phq9', [1, 1, 1, 1, 1, 1, 1, 1, 1]);
    later(5);
    const highAlert = await record(high, 'cssrs-screener', [1, 1, 0, 1, 0, 0, null]); // high risk
    later(5);
    const newerAlert = await record(newer, 'phq9', [0, 0, 0, 0, 0, 0, 0, 0, 1]);
    later(5);
    const olderSecond = await record(older, 'phq9', [2, 2, 2, 2, 2, 2, 2, 2, 3]);
    later(5);
    const moderate = await record(newer, 'cssrs-screener', [1, 1, 1, 0, 0, 0, null]); // moderate risk

    const res = await nurse.request({ method: 'GET', url: '/api/alerts' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { items: { id: string }[]; groups: Group[]; total: object; nextCursor: null };
    expect(body.groups.map((g) => [g.patient.id, g.tier])).toEqual([
      [high, 'high'],
      [newer, 'moderate'],
      [older, 'positive-item'],
    ]);
    expect(body.groups.map((g) => g.patient.ageYears)).toEqual([26, 36, 35]);
    // Within a patient: highest risk, then newest.
    expect(body.groups[1]!.alerts.map((a) => a.id)).toEqual([moderate, newerAlert]);
    expect(body.groups[2]!.alerts.map((a) => a.id)).toEqual([olderSecond, olderFirst]);
    expect(body.items.map((a) => a.id)).toEqual([highAlert, moderate, newerAlert, olderSecond, olderFirst]);
    expect(body.total).toEqual({ alerts: 5, patients: 3 });
    expect(body.nextCursor).toBeNull();
  });

  it('pages by patient with a cursor: every patient once, in order, none lost', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/alerts?limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await nurse.request({ method: 'GET', url });
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as { groups: Group[]; nextCursor: string | null };
      expect(page.groups).toHaveLength(1);
      seen.push(page.groups[0]!.patient.id);
      cursor = page.nextCursor;
    } while (cursor);
    const all = (await nurse.request({ method: 'GET', url: '/api/alerts' })).json() as { groups: Group[] };
    expect(seen).toEqual(all.groups.map((g) => g.patient.id));
    const bad = await nurse.request({ method: 'GET', url: '/api/alerts?cursor=not-a-cursor' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/cursor/);
  });

  it('a new alert is listed even behind more than 200 older open alerts', async () => {
    const busy = await patient('1980-01-01');
    await inClinic(store().db, clinic.id, async (tx) => {
      for (let i = 0; i < 205; i++) {
        await recordAssessment(
          tx,
          clinic.id,
          busy,
          {
            instrument: 'phq9',
            version: '1.0.0',
            context: 'ad-hoc',
            administeredAt: new Date(clock.getTime() - 400 * 60_000),
            answers: { '9': 1 },
            itemIds: ['9'],
          },
          { kind: 'user', userId: clinic.users.nurse.id },
          new Date(clock.getTime() - (300 - i) * 60_000),
        );
      }
    });
    later(10);
    const fresh = await patient('1985-06-30');
    const freshAlert = await record(fresh, 'phq9', [0, 0, 0, 0, 0, 0, 0, 0, 1]);
    const inbox = await nurse.request({ method: 'GET', url: '/api/alerts' });
    const items = inbox.json().items as { id: string }[];
    expect(items.some((a) => a.id === freshAlert)).toBe(true);
    expect(inbox.json().total.alerts).toBeGreaterThan(205);
    const busyGroup = (inbox.json().groups as Group[]).find((g) => g.patient.id === busy)!;
    expect(busyGroup.alerts).toHaveLength(205);
  });

  it('shows the crisis resource at once after a portal PHQ-9 with item 9 above 0, from the clinic settings', async () => {
    const p = await patient('1992-03-03');
    const settings = (await admin.request({ method: 'GET', url: '/api/session-settings' })).json();
    expect(settings.crisisResources).toMatchObject({
      crisisLinePhone: '988',
      emergencyNumber: '911',
      clinicPhone: '',
    });
    const saved = await admin.request({
      method: 'PUT',
      url: '/api/session-settings',
      payload: { ...settings, crisisResources: { ...settings.crisisResources, clinicPhone: '+1 555 0199' } },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const refused = await admin.request({
      method: 'PUT',
      url: '/api/session-settings',
      payload: { ...settings, crisisResources: { ...settings.crisisResources, crisisLinePhone: ' ' } },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields[0].path).toBe('body.crisisResources.crisisLinePhone');

    const link = (
      await frontDesk.request({ method: 'POST', url: `/api/patients/${p}/portal-links`, payload: {} })
    ).json();
    const token = (link.url as string).split('/portal/')[1]!;
    const sent = await app.inject({
      method: 'POST',
      url: `/api/portal/${token}/responses`,
      payload: { instrument: 'phq9', version: '1.0.0', answers: [0, 0, 0, 0, 0, 0, 0, 0, 1] },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json().crisis).toEqual({
      clinicName: 'Crisis Clinic',
      clinicPhone: '+1 555 0199',
      crisisLineName: '988 Suicide & Crisis Lifeline',
      crisisLinePhone: '988',
      crisisLineText: '988',
      crisisLineUrl: 'https://988lifeline.org',
      emergencyNumber: '911',
    });
    expect(sent.body).not.toMatch(/severity|total|risk|moderate/i);
  });

  it('answers without suicidal thoughts get the plain thank-you', async () => {
    const p = await patient('1992-03-04');
    const link = (
      await frontDesk.request({ method: 'POST', url: `/api/patients/${p}/portal-links`, payload: {} })
    ).json();
    const token = (link.url as string).split('/portal/')[1]!;
    const sent = await app.inject({
      method: 'POST',
      url: `/api/portal/${token}/responses`,
      payload: { instrument: 'phq9', version: '1.0.0', answers: [2, 2, 1, 1, 1, 1, 1, 1, 0] },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json()).toEqual({ received: true, remaining: 0, crisis: null });
  });
});
