import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { auditEvents } from '../../store/schema';
import { describeEachStore } from '../../store/test-harness';
import { createTestApp, login, seedClinic, type Session, type TestClinic } from '../test-support';

const capabilitiesOf = async (s: Session) =>
  ((await s.request({ method: 'GET', url: '/api/auth/me' })).json() as { capabilities: string[] })
    .capabilities;

describeEachStore('clinical lead and prescriber identifiers', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let admin: Session;
  let prescriber: Session;

  beforeAll(async () => {
    app = await createTestApp(store());
    clinic = await seedClinic(store(), 'Lead Clinic');
    admin = await login(app, clinic.users.admin);
    prescriber = await login(app, clinic.users.prescriber);
  });

  const patch = (s: Session, userId: string, payload: object) =>
    s.request({ method: 'PATCH', url: `/api/users/${userId}`, payload });

  it('stores a prescriber NPI, DEA number and licence normalized, and audits which fields changed', async () => {
    const res = await patch(admin, clinic.users.prescriber.id, {
      npi: '155 859-8797',
      deaNumber: 'ap5836727',
      licenceState: 'ny',
      licenceNumber: ' 123456 ',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      npi: '1558598797',
      deaNumber: 'AP5836727',
      licenceState: 'NY',
      licenceNumber: '123456',
    });
    const audit = await store()
      .db.select()
      .from(auditEvents)
      .where(and(eq(auditEvents.clinicId, clinic.id), eq(auditEvents.action, 'user.update')));
    expect(audit.at(-1)?.details).toMatchObject({
      changedFields: ['npi', 'deaNumber', 'licenceState', 'licenceNumber'],
    });
    const cleared = await patch(admin, clinic.users.prescriber.id, { deaNumber: '' });
    expect(cleared.json()).toMatchObject({ deaNumber: null, npi: '1558598797' });
  });

  it('refuses a mistyped NPI or DEA number in plain words, naming the field, and changes nothing', async () => {
    const res = await patch(admin, clinic.users.prescriber.id, { npi: '1558598798', licenceState: 'CA' });
    expect(res.statusCode).toBe(400);
    const fields = res.json().error.fields as { path: string; code: string; message: string }[];
    expect(fields).toEqual([
      {
        path: 'body.npi',
        code: 'custom',
        message: 'This is not a valid NPI: the last digit does not match; check for a typing error.',
      },
    ]);
    const dea = await patch(admin, clinic.users.prescriber.id, { deaNumber: 'AP583672' });
    expect(dea.json().error.fields[0]).toMatchObject({ path: 'body.deaNumber' });
    const users = (await admin.request({ method: 'GET', url: '/api/users' })).json().items as {
      id: string;
      licenceState: string | null;
    }[];
    expect(users.find((u) => u.id === clinic.users.prescriber.id)?.licenceState).toBe('NY');
  });

  it('session settings need the clinical-lead sign-off, not only the admin role', async () => {
    const settings = (await admin.request({ method: 'GET', url: '/api/session-settings' })).json();
    expect(
      (await admin.request({ method: 'PUT', url: '/api/session-settings', payload: settings })).statusCode,
    ).toBe(200);

    // A second admin who is not clinical lead manages accounts but cannot change clinical policy.
    const created = await admin.request({
      method: 'POST',
      url: '/api/users',
      payload: {
        email: 'second.admin@lead.example.org',
        name: 'Second Admin',
        role: 'admin',
        password: 'a long passphrase 42',
      },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().user.clinicalLead).toBe(false);
    const second = await login(app, {
      email: 'second.admin@lead.example.org',
      password: 'a long passphrase 42',
    });
    const changed = await second.request({
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: 'a long passphrase 42', newPassword: 'another long passphrase 43' },
    });
    expect(changed.statusCode).toBe(200);
    const refused = await second.request({ method: 'PUT', url: '/api/session-settings', payload: settings });
    expect(refused.statusCode).toBe(403);
    expect(await capabilitiesOf(second)).not.toContain('settings.edit');
    expect(await capabilitiesOf(second)).toContain('users.manage');

    // Nor can that admin make anyone clinical lead while the clinic has one.
    const grantBySecond = await patch(second, clinic.users.prescriber.id, { clinicalLead: true });
    expect(grantBySecond.statusCode).toBe(403);
    expect(grantBySecond.json().error.code).toBe('forbidden');

    // The clinical lead names a prescriber as clinical lead: the prescriber may now change settings.
    expect(await capabilitiesOf(prescriber)).not.toContain('settings.edit');
    const grant = await patch(admin, clinic.users.prescriber.id, { clinicalLead: true });
    expect(grant.statusCode).toBe(200);
    expect(grant.json().clinicalLead).toBe(true);
    expect(await capabilitiesOf(prescriber)).toContain('settings.edit');
    expect(
      (await prescriber.request({ method: 'PUT', url: '/api/session-settings', payload: settings }))
        .statusCode,
    ).toBe(200);
    const audit = await store()
      .db.select()
      .from(auditEvents)
      .where(
        and(eq(auditEvents.clinicId, clinic.id), eq(auditEvents.resourceId, clinic.users.prescriber.id)),
      );
    expect(audit.at(-1)).toMatchObject({ action: 'user.update', details: { clinicalLead: true } });
  });

  it('a clinical lead is an admin or prescriber: a nurse cannot hold it and a lead cannot be made nurse', async () => {
    const nurse = await patch(admin, clinic.users.nurse.id, { clinicalLead: true });
    expect(nurse.statusCode).toBe(400);
    expect(nurse.json().error.fields[0]).toEqual({
      path: 'clinicalLead',
      code: 'invalid',
      message: 'Clinical lead: only an admin or a prescriber can be clinical lead.',
    });
    // The prescriber was made clinical lead above.
    const demote = await patch(admin, clinic.users.prescriber.id, { role: 'nurse' });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error.message).toMatch(/clinical lead; remove that before making them nurse/);
    const both = await patch(admin, clinic.users.prescriber.id, { role: 'nurse', clinicalLead: false });
    expect(both.statusCode).toBe(200);
    const audit = await store()
      .db.select()
      .from(auditEvents)
      .where(
        and(eq(auditEvents.clinicId, clinic.id), eq(auditEvents.resourceId, clinic.users.prescriber.id)),
      );
    expect(audit.at(-1)?.details).toMatchObject({
      fromRole: 'prescriber',
      toRole: 'nurse',
      clinicalLead: false,
    });
    // The role change applies to the very next request.
    expect(await capabilitiesOf(prescriber)).not.toContain('courses.prescribe');
  });
});
