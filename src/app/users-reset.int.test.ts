import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { createTestApp, login, seedClinic, type TestClinic } from '../server/test-support';
import { auditEvents } from '../store/schema';
import { describeEachStore } from '../store/test-harness';
import { resetPasswordFromCommandLine } from './users';

describeEachStore('resetting a lost password from the command line', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;

  beforeAll(async () => {
    app = await createTestApp(store());
    clinic = await seedClinic(store(), 'Reset Clinic');
  });

  it('gives a temporary password, ends the old sessions and is audited as the command line', async () => {
    const admin = clinic.users.admin;
    const oldSession = await login(app, admin);
    const result = await resetPasswordFromCommandLine(store().db, admin.email.toUpperCase(), new Date());
    expect(result).toMatchObject({ clinicId: clinic.id, email: admin.email, wasDisabled: false });

    const refused = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: admin.email, password: admin.password },
    });
    expect(refused.statusCode).toBe(401);
    const ended = await oldSession.request({ method: 'GET', url: '/api/auth/me' });
    expect(ended.statusCode).toBe(401);

    const fresh = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: admin.email, password: result!.temporaryPassword },
    });
    expect(fresh.statusCode).toBe(200);
    expect(fresh.json().user.mustChangePassword).toBe(true);

    const audit = await store()
      .db.select()
      .from(auditEvents)
      .where(and(eq(auditEvents.clinicId, clinic.id), eq(auditEvents.action, 'user.reset_password')));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorRole: 'cli', userId: null, resourceId: admin.id });
  });

  it('finds no account for an unknown email and changes nothing', async () => {
    expect(await resetPasswordFromCommandLine(store().db, 'nobody@example.org', new Date())).toBeNull();
  });
});
