import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { listAudit } from '../../store/audit';
import { describeEachStore } from '../../store/test-harness';
import {
  createTestApp,
  login,
  samplePatient,
  seedClinic,
  type Session,
  type TestClinic,
} from '../test-support';

describeEachStore('self-report portal', ({ store }) => {
  let clock = new Date('2026-04-01T09:00:00Z');
  let app: FastifyInstance;
  let clinic: TestClinic;
  let frontDesk: Session;
  let nurse: Session;
  let patientA: string;
  let patientB: string;

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => clock, portalRateLimitPerMinute: 25 });
    clinic = await seedClinic(store(), 'Portal Clinic');
    frontDesk = await login(app, clinic.users.staff);
    nurse = await login(app, clinic.users.nurse);
    patientA = (
      await frontDesk.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })
    ).json().id;
    patientB = (
      await frontDesk.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })
    ).json().id;
  });

  const createLink = (patientId: string, payload: object = {}) =>
    frontDesk.request({ method: 'POST', url: `/api/patients/${patientId}/portal-links`, payload });
  const tokenOf = (url: string) => url.split('/portal/')[1]!;
  const open = (token: string) => app.inject({ method: 'GET', url: `/api/portal/${token}` });
  const submit = (token: string, payload: object) =>
    app.inject({ method: 'POST', url: `/api/portal/${token}/responses`, payload });

  it('front desk creates a 72 h link shown as a URL and a QR code; only the hash is stored', async () => {
    const res = await createLink(patientA);
    expect(res.statusCode).toBe(201);
    const { link, url, qrCodeDataUrl } = res.json();
    expect(url).toMatch(/\/portal\/[A-Za-z0-9_-]{43}$/);
    expect(qrCodeDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(qrCodeDataUrl.split(',')[1], 'base64').toString()).toContain('<svg');
    expect(new Date(link.expiresAt).getTime() - clock.getTime()).toBe(72 * 3600_000);
    const listed = await nurse.request({ method: 'GET', url: `/api/patients/${patientA}/portal-links` });
    expect(listed.body).not.toContain(tokenOf(url));
    const bad = await createLink(patientA, { expiresInHours: 24 * 30 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toBe('body.expiresInHours');
  });

  it('the patient sees due self-report instruments, submits a PHQ-9 and gets only a thank-you; the clinician gets the alert', async () => {
    const { url, link } = (await createLink(patientA, { expiresInHours: 4 })).json();
    const token = tokenOf(url);
    const page = await open(token);
    expect(page.statusCode).toBe(200);
    const body = page.json();
    expect(body.instruments.map((i: { definition: { id: string } }) => i.definition.id)).toEqual(['phq9']);
    expect(body.instruments[0].context).toBe('baseline');
    expect(body.instruments[0].definition.severityBands).toBeUndefined();
    expect(page.body).not.toContain('Person'); // no patient name on the portal

    const sent = await submit(token, {
      instrument: 'phq9',
      version: '1.0.0',
      answers: [1, 1, 1, 1, 1, 1, 1, 1, 2],
    });
    expect(sent.statusCode).toBe(201);
    // Item 9 = 2: the thank-you comes with the clinic's crisis resources (never a score or risk label).
    expect(sent.json()).toMatchObject({ received: true, remaining: 0, crisis: { crisisLinePhone: '988' } });
    expect(sent.body).not.toMatch(/severity|total|risk|moderate/i);

    const again = await submit(token, {
      instrument: 'phq9',
      version: '1.0.0',
      answers: [0, 0, 0, 0, 0, 0, 0, 0, 0],
    });
    expect(again.statusCode).toBe(409);
    const gad = await submit(token, { instrument: 'gad7', version: '1.0.0', answers: [0, 0, 0, 0, 0, 0, 0] });
    expect(gad.statusCode).toBe(409);

    const recorded = (
      await nurse.request({ method: 'GET', url: `/api/patients/${patientA}/assessments` })
    ).json().items;
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      respondent: 'patient',
      portalLinkId: link.id,
      enteredBy: null,
      context: 'baseline',
    });
    const inbox = (await nurse.request({ method: 'GET', url: '/api/alerts' })).json().items;
    expect(inbox.filter((a: { patientId: string }) => a.patientId === patientA)).toHaveLength(1);

    const audits = await listAudit(store().db, clinic.id, { limit: 500 });
    const portalUses = audits.filter(
      (a) => (a.details as { portalLinkId?: string } | null)?.portalLinkId === link.id,
    );
    expect(portalUses.map((a) => a.action).sort()).toEqual([
      'alert.create',
      'assessment.create',
      'portal.open',
    ]);
    for (const a of portalUses) expect(a).toMatchObject({ userId: null, actorRole: 'patient' });
    const listedLinks = (
      await nurse.request({ method: 'GET', url: `/api/patients/${patientA}/portal-links` })
    ).json().items;
    expect(listedLinks.find((l: { id: string }) => l.id === link.id).useCount).toBe(2);
  });

  it("a link reaches only its own patient: B's link records for B, and never shows A's data", async () => {
    const { url } = (await createLink(patientB)).json();
    const res = await submit(tokenOf(url), {
      instrument: 'phq9',
      version: '1.0.0',
      answers: [0, 0, 0, 0, 0, 0, 0, 0, 0],
    });
    expect(res.statusCode).toBe(201);
    const a = (await nurse.request({ method: 'GET', url: `/api/patients/${patientA}/assessments` })).json()
      .items;
    const b = (await nurse.request({ method: 'GET', url: `/api/patients/${patientB}/assessments` })).json()
      .items;
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(1);
    // Extra fields naming another patient are not part of the contract and change nothing.
    const { url: url2 } = (await createLink(patientB)).json();
    const sneaky = await submit(tokenOf(url2), {
      instrument: 'phq9',
      version: '1.0.0',
      answers: [0, 0, 0, 0, 0, 0, 0, 0, 0],
      patientId: patientA,
    });
    expect(sneaky.statusCode).toBe(409); // nothing due for B any more; A is never touched
    expect(
      (await nurse.request({ method: 'GET', url: `/api/patients/${patientA}/assessments` })).json().items,
    ).toHaveLength(1);
  });

  it('expired and revoked links answer 410 with no data, and the refusal is audited; unknown tokens 404', async () => {
    const other = (
      await frontDesk.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })
    ).json().id;
    const expiring = (await createLink(other, { expiresInHours: 1 })).json();
    const revoked = (await createLink(other)).json();
    const rev = await frontDesk.request({
      method: 'POST',
      url: `/api/patients/${other}/portal-links/${revoked.link.id}/revoke`,
    });
    expect(rev.statusCode).toBe(200);
    expect(rev.json().state).toBe('revoked');
    const revAgain = await frontDesk.request({
      method: 'POST',
      url: `/api/patients/${other}/portal-links/${revoked.link.id}/revoke`,
    });
    expect(revAgain.statusCode).toBe(409);
    // Revoking through another patient's URL does not find the link.
    const cross = await frontDesk.request({
      method: 'POST',
      url: `/api/patients/${patientA}/portal-links/${expiring.link.id}/revoke`,
    });
    expect(cross.statusCode).toBe(404);

    const r1 = await open(tokenOf(revoked.url));
    expect(r1.statusCode).toBe(410);
    expect(r1.json().error.code).toBe('link_revoked');
    expect(r1.body).not.toContain('instruments');

    expect((await open(tokenOf(expiring.url))).statusCode).toBe(200);
    clock = new Date(clock.getTime() + 3600_000 + 1000);
    const r2 = await open(tokenOf(expiring.url));
    expect(r2.statusCode).toBe(410);
    expect(r2.json().error.code).toBe('link_expired');
    const s2 = await submit(tokenOf(expiring.url), {
      instrument: 'phq9',
      version: '1.0.0',
      answers: [0, 0, 0, 0, 0, 0, 0, 0, 0],
    });
    expect(s2.statusCode).toBe(410);
    const denied = (await listAudit(store().db, clinic.id, { resourceId: expiring.link.id })).filter(
      (a) => a.outcome === 'denied',
    );
    expect(denied.length).toBe(2);

    const unknown = await open('x'.repeat(43));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('link_not_found');
  });

  it('link creation is limited per patient per hour, and the portal per client per minute', async () => {
    frontDesk = await login(app, clinic.users.staff); // the clock moved past the idle timeout
    const p = (
      await frontDesk.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })
    ).json().id;
    const codes: number[] = [];
    for (let k = 0; k < 6; k++) codes.push((await createLink(p)).statusCode);
    expect(codes).toEqual([201, 201, 201, 201, 201, 429]);
    clock = new Date(clock.getTime() + 20 * 60_000);
    expect((await createLink(p)).statusCode).toBe(429);
    clock = new Date(clock.getTime() + 41 * 60_000);
    frontDesk = await login(app, clinic.users.staff);
    expect((await createLink(p)).statusCode).toBe(201);

    const statuses: number[] = [];
    for (let k = 0; k < 30; k++) statuses.push((await open('y'.repeat(43))).statusCode);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.indexOf(429)).toBeLessThanOrEqual(25);
  });
});
