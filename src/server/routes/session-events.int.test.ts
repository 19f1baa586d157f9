import type { FastifyInstance } from 'fastify';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { auditEvents } from '../../store/schema';
import { describeEachStore } from '../../store/test-harness';
import { inClinic } from '../../store/tx';
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
 * The session screen's live updates: a stream opened by a clinician of the session's clinic hears
 * every append (through the store's change announcements) as a new event count; other roles and
 * clinics are refused before anything is streamed; a closed stream leaves no watcher behind.
 */
const START = new Date('2026-03-02T08:00:00Z');
const at = (min: number) => new Date(START.getTime() + min * 60_000);

/** Reads server-sent events from a fetch response, one parsed message at a time. */
function sseReader(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next(): Promise<{ event: string; data: unknown }> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n');
          const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
          const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
          if (event && data) return { event, data: JSON.parse(data) as unknown };
          continue; // a comment (heartbeat) or the retry hint
        }
        const chunk = await reader.read();
        if (chunk.done) throw new Error('stream ended');
        buffer += decoder.decode(chunk.value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

describeEachStore('session live updates (server-sent events)', ({ store }) => {
  let app: FastifyInstance;
  let url: string;
  let clinic: TestClinic;
  let other: TestClinic;
  let nurse: Session;
  let base: string;
  let sessionId: string;

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => at(20) });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    clinic = await seedClinic(store(), 'Live Clinic');
    other = await seedClinic(store(), 'Other Clinic');
    nurse = await login(app, clinic.users.nurse);
    const prescriber = await login(app, clinic.users.prescriber);
    const p = await nurse.request({ method: 'POST', url: '/api/patients', payload: samplePatient() });
    const patientId = p.json().id as string;
    await screenEligible(prescriber, patientId, 'iv-ketamine');
    const c = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/courses`,
      payload: { templateId: 'iv-induction-2x-weekly-3wk', startDate: '2026-03-02' },
    });
    expect(c.statusCode, c.body).toBe(201);
    sessionId = c.json().sessions[0].id as string;
    base = `/api/patients/${patientId}/sessions/${sessionId}`;
    expect((await nurse.request({ method: 'POST', url: `${base}/check-in`, payload: {} })).statusCode).toBe(
      200,
    );
    await recordPreSessionAssessments(nurse, patientId, at(-30));
    const checklist = await nurse.request({
      method: 'POST',
      url: `${base}/checklist`,
      payload: { ...READY_CHECKLIST, weightKg: 80 },
    });
    expect(checklist.statusCode, checklist.body).toBe(200);
  });

  afterAll(async () => {
    // The test's own HTTP client may keep a connection; the server's streams are gone by now.
    app.server.closeAllConnections();
    await app.close();
  });

  const open = (cookie: string) => fetch(`${url}${base}/events`, { headers: { cookie } });

  it('streams the new event count after a vitals reading is recorded through the API', async () => {
    const res = await open(nurse.cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const stream = sseReader(res);
    const ready = await stream.next();
    expect(ready.event).toBe('ready');
    const before = (ready.data as { eventCount: number }).eventCount;
    expect(before).toBeGreaterThan(0);
    expect(app.sessionChanges.watcherCount(sessionId)).toBe(1);

    const v = await nurse.request({
      method: 'POST',
      url: `${base}/vitals`,
      payload: { sbpMmHg: 128, dbpMmHg: 80 },
    });
    expect(v.statusCode, v.body).toBe(200);
    const changed = await stream.next();
    expect(changed).toEqual({ event: 'changed', data: { eventCount: before + 1 } });

    // The screen reads the session afresh: the reading it was told about is there.
    const state = (await nurse.request({ method: 'GET', url: base })).json();
    expect(state.vitals.at(-1)).toMatchObject({ sbpMmHg: 128, dbpMmHg: 80 });

    await stream.cancel();
    await expect.poll(() => app.sessionChanges.watcherCount()).toBe(0);

    // Opening the stream is an audited read of the session.
    const audited = await inClinic(store().db, clinic.id, (tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'session.watch'), eq(auditEvents.resourceId, sessionId))),
    );
    expect(audited.length).toBeGreaterThanOrEqual(1);
    expect(audited[0]!.userId).toBe(clinic.users.nurse.id);
  });

  it('refuses the front desk (403) and another clinic (404) before streaming anything', async () => {
    const staff = await login(app, clinic.users.staff);
    const refused = await open(staff.cookie);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/json/);

    const outsider = await login(app, other.users.nurse);
    const hidden = await open(outsider.cookie);
    expect(hidden.status).toBe(404);

    const anonymous = await fetch(`${url}${base}/events`);
    expect(anonymous.status).toBe(401);
    expect(app.sessionChanges.watcherCount()).toBe(0);
  });

  it('a stream for one session hears nothing of another session', async () => {
    const prescriber = await login(app, clinic.users.prescriber);
    const p = await nurse.request({ method: 'POST', url: '/api/patients', payload: samplePatient() });
    const otherPatient = p.json().id as string;
    await screenEligible(prescriber, otherPatient, 'iv-ketamine');
    const c = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${otherPatient}/courses`,
      payload: { templateId: 'iv-induction-2x-weekly-3wk', startDate: '2026-03-02' },
    });
    const otherBase = `/api/patients/${otherPatient}/sessions/${c.json().sessions[0].id}`;

    const stream = sseReader(await open(nurse.cookie));
    const ready = (await stream.next()).data as { eventCount: number };
    expect(
      (await nurse.request({ method: 'POST', url: `${otherBase}/check-in`, payload: {} })).statusCode,
    ).toBe(200);
    expect(
      (await nurse.request({ method: 'POST', url: `${base}/vitals`, payload: { sbpMmHg: 126, dbpMmHg: 78 } }))
        .statusCode,
    ).toBe(200);
    // The first message after "ready" is this session's own append, not the other session's check-in.
    expect(await stream.next()).toEqual({ event: 'changed', data: { eventCount: ready.eventCount + 1 } });
    await stream.cancel();
    await expect.poll(() => app.sessionChanges.watcherCount()).toBe(0);
  });
});
