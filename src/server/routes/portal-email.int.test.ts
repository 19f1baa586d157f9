/**
 * E-mailing a patient their self-report link, over real SMTP: a local smtp-server on an ephemeral
 * port receives the message, mailparser reads it, and the link in it must open the portal.
 */
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { startTestSmtpServer, type TestSmtpServer } from '../../interop/email/smtp-test-support';
import { listAudit } from '../../store/audit';
import { describeEachStore } from '../../store/test-harness';
import { inClinic } from '../../store/tx';
import { updateClinic } from '../../store/users';
import {
  createTestApp,
  login,
  samplePatient,
  seedClinic,
  type Session,
  type TestClinic,
} from '../test-support';

const TOKEN = /\/portal\/([A-Za-z0-9_-]{43})\b/;

/** A local port nothing listens on: connecting to it is refused at once. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', () => ok()));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((ok) => srv.close(() => ok()));
  return port;
}

describeEachStore('e-mailing the portal link', ({ store }) => {
  const clock = new Date('2026-04-01T09:00:00Z');
  let smtp: TestSmtpServer;
  let app: FastifyInstance;
  let noMailApp: FastifyInstance;
  let deadMailApp: FastifyInstance;
  let clinic: TestClinic;
  let other: TestClinic;
  let frontDesk: Session;
  let nurse: Session;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    const from = '"Harbour Clinic" <no-reply@harbour.example>';
    app = await createTestApp(store(), { now: () => clock, smtp: { url: smtp.url, from } });
    noMailApp = await createTestApp(store(), { now: () => clock });
    deadMailApp = await createTestApp(store(), {
      now: () => clock,
      smtp: { url: `smtp://127.0.0.1:${await closedPort()}`, from },
    });
    clinic = await seedClinic(store(), 'Harbour Clinic');
    other = await seedClinic(store(), 'Other Clinic');
    await inClinic(store().db, clinic.id, (tx) =>
      updateClinic(tx, clinic.id, {
        name: 'Harbour Clinic',
        address: null,
        phone: '+1 555 0100',
        timeZone: 'America/New_York',
        locale: 'en-US',
      }),
    );
    frontDesk = await login(app, clinic.users.staff);
    nurse = await login(app, clinic.users.nurse);
  });

  afterAll(async () => {
    await Promise.all([app?.close(), noMailApp?.close(), deadMailApp?.close()]);
    await smtp?.close();
  });

  const newPatient = async (session: Session, email: string | null) =>
    (
      await session.request({
        method: 'POST',
        url: '/api/patients',
        payload: samplePatient(email ? { email } : {}),
      })
    ).json().id as string;
  const emailLink = (session: Session, patientId: string, payload: object = {}) =>
    session.request({ method: 'POST', url: `/api/patients/${patientId}/portal-links/email`, payload });
  const linksOf = async (patientId: string) =>
    (await nurse.request({ method: 'GET', url: `/api/patients/${patientId}/portal-links` })).json()
      .items as Array<{ id: string; state: string }>;

  it("front desk e-mails the link: it reaches the patient's address and opens the portal; audited without the token", async () => {
    const patientId = await newPatient(frontDesk, 'robin.example@mail.example');
    const res = await emailLink(frontDesk, patientId, { expiresInHours: 24 });
    expect(res.statusCode).toBe(201);
    const { link, sentTo } = res.json();
    expect(sentTo).toBe('robin.example@mail.example');
    expect(link.state).toBe('active');
    expect(new Date(link.expiresAt).getTime() - clock.getTime()).toBe(24 * 3600_000);

    const mail = await smtp.waitFor('robin.example@mail.example');
    expect(mail.rcptTo).toEqual(['robin.example@mail.example']);
    expect(mail.mailFrom).toBe('no-reply@harbour.example');
    expect(mail.parsed.subject).toBe('A short questionnaire from Harbour Clinic');
    const text = mail.parsed.text ?? '';
    expect(text).toContain('Call Harbour Clinic on +1 555 0100.');
    // 2026-04-02 09:00 UTC in New York (EDT, UTC−4).
    expect(text).toContain('The link works until 2 April 2026 at 05:00 (America/New_York time).');
    expect(`${mail.parsed.subject}\n${text}`).not.toMatch(/ketamine|depress|PHQ|suicid|score/i);

    const token = TOKEN.exec(text)?.[1];
    expect(token).toBeDefined();
    const page = await app.inject({ method: 'GET', url: `/api/portal/${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.json().clinicName).toBe('Harbour Clinic');
    expect(page.json().instruments.map((i: { definition: { id: string } }) => i.definition.id)).toEqual([
      'phq9',
    ]);

    const audits = await listAudit(store().db, clinic.id, { limit: 500 });
    const emailed = audits.filter((a) => a.action === 'portal_link.email' && a.resourceId === link.id);
    expect(emailed).toHaveLength(1);
    expect(emailed[0]).toMatchObject({
      outcome: 'success',
      userId: clinic.users.staff.id,
      actorRole: 'staff',
      details: { patientId, portalLinkId: link.id, to: 'robin.example@mail.example' },
    });
    expect(audits.some((a) => a.action === 'portal_link.create' && a.resourceId === link.id)).toBe(true);
    expect(JSON.stringify(audits)).not.toContain(token);
  });

  it('a patient with no e-mail on record is refused naming the field email; no link, no mail', async () => {
    const patientId = await newPatient(frontDesk, null);
    const before = smtp.received.length;
    const res = await emailLink(frontDesk, patientId);
    expect(res.statusCode).toBe(409);
    const body = res.json();
    expect(body.error.fields).toEqual([expect.objectContaining({ path: 'email' })]);
    expect(body.error.message).toMatch(/^This patient has no e-mail address on record\./);
    expect(await linksOf(patientId)).toEqual([]);
    expect(smtp.received.length).toBe(before);
    const audits = await listAudit(store().db, clinic.id, { resourceId: patientId, limit: 50 });
    expect(audits.find((a) => a.action === 'portal_link.email')).toMatchObject({
      outcome: 'failure',
      details: { reason: 'no-email' },
    });
  });

  it('without SMTP configured: 409 saying e-mail is not set up and the link can be given by hand', async () => {
    const desk = await login(noMailApp, clinic.users.staff);
    // The screens learn it from /api/auth/me and offer only the copy-the-link path.
    const me = (await desk.request({ method: 'GET', url: '/api/auth/me' })).json();
    expect(me.clinic.emailEnabled).toBe(false);
    expect((await frontDesk.request({ method: 'GET', url: '/api/auth/me' })).json().clinic.emailEnabled).toBe(
      true,
    );
    const patientId = await newPatient(desk, 'sam.example@mail.example');
    const res = await emailLink(desk, patientId);
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'email_not_configured' });
    expect(res.json().error.message).toContain('E-mail is not set up for this clinic');
    expect(res.json().error.message).toContain('by hand');
    expect(await linksOf(patientId)).toEqual([]);
  });

  it('the mail server refuses the recipient: 502 in plain words, and the new link is revoked', async () => {
    const patientId = await newPatient(frontDesk, 'no.such.box@mail.example');
    smtp.rejectRecipients.add('no.such.box@mail.example');
    const res = await emailLink(frontDesk, patientId);
    expect(res.statusCode).toBe(502);
    expect(res.json().error).toMatchObject({ code: 'email_not_sent' });
    expect(res.json().error.message).toContain("refused the patient's e-mail address");
    expect(smtp.received.some((m) => m.rcptTo.includes('no.such.box@mail.example'))).toBe(false);
    const links = await linksOf(patientId);
    expect(links).toHaveLength(1);
    expect(links.filter((l) => l.state === 'active')).toEqual([]);
    const audits = await listAudit(store().db, clinic.id, { resourceId: links[0]!.id, limit: 50 });
    expect(audits.find((a) => a.action === 'portal_link.email')).toMatchObject({
      outcome: 'failure',
      details: { reason: 'recipient-rejected' },
    });
    expect(audits.some((a) => a.action === 'portal_link.revoke')).toBe(true);
  });

  it('the mail server cannot be reached: 502, and no active link is left', async () => {
    const desk = await login(deadMailApp, clinic.users.staff);
    const patientId = await newPatient(desk, 'kim.example@mail.example');
    const res = await emailLink(desk, patientId);
    expect(res.statusCode).toBe(502);
    expect(res.json().error.message).toContain('could not be reached');
    expect((await linksOf(patientId)).filter((l) => l.state === 'active')).toEqual([]);
  });

  it('every staff role may e-mail a link (as they may create one); the caller must be logged in and in the clinic', async () => {
    const patientId = await newPatient(frontDesk, 'alex.example@mail.example');
    for (const role of ['admin', 'prescriber', 'nurse', 'staff'] as const) {
      const res = await emailLink(await login(app, clinic.users[role]), patientId, { expiresInHours: 4 });
      expect(res.statusCode, role).toBe(201);
    }
    const unauthenticated = await app.inject({
      method: 'POST',
      url: `/api/patients/${patientId}/portal-links/email`,
      payload: {},
    });
    expect(unauthenticated.statusCode).toBe(401);
    const stranger = await emailLink(await login(app, other.users.staff), patientId);
    expect(stranger.statusCode).toBe(404);
    const bad = await emailLink(frontDesk, patientId, { expiresInHours: 0 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toBe('body.expiresInHours');
  });
});
