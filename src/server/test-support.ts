/**
 * Helpers for HTTP tests through `app.inject()` (no port is opened). Test passwords are random per
 * run; nothing here is a default credential.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { uuidv7 } from 'uuidv7';
import type { Store } from '../store/open';
import type { StaffRole } from '../store/schema';
import { inClinic } from '../store/tx';
import { createClinic, createUser } from '../store/users';
import { buildApp, type AppOptions } from './app';

export async function createTestApp(store: Store, opts: Partial<AppOptions> = {}): Promise<FastifyInstance> {
  const app = await buildApp({ store, webDir: '/nonexistent', ...opts });
  await app.ready();
  return app;
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  role: StaffRole;
}

export interface TestClinic {
  id: string;
  name: string;
  users: Record<StaffRole, TestUser>;
}

const ROLES_TO_SEED: StaffRole[] = ['admin', 'prescriber', 'nurse', 'staff'];

export async function seedClinic(store: Store, name: string): Promise<TestClinic> {
  const clinicId = uuidv7();
  const tag = randomBytes(4).toString('hex');
  return inClinic(store.db, clinicId, async (tx) => {
    await createClinic(tx, { id: clinicId, name, timeZone: 'UTC' });
    const users = {} as Record<StaffRole, TestUser>;
    for (const role of ROLES_TO_SEED) {
      const password = `pw-${randomBytes(12).toString('base64url')}`;
      const email = `${role}.${tag}@test.example.org`;
      const user = await createUser(tx, clinicId, { email, name: `${role} ${name}`, role, password });
      users[role] = { id: user.id, email, password, role };
    }
    return { id: clinicId, name, users };
  });
}

export interface Session {
  cookie: string;
  csrfToken: string;
  /** inject() with the session cookie and CSRF header set. */
  request(opts: { method: string; url: string; payload?: unknown }): Promise<LightMyRequestResponse>;
}

export function sessionCookieFrom(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === 'rein_session');
  if (!cookie) throw new Error(`no session cookie (status ${res.statusCode}: ${res.body})`);
  return `rein_session=${cookie.value}`;
}

export async function login(
  app: FastifyInstance,
  user: { email: string; password: string },
): Promise<Session> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: user.email, password: user.password },
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = sessionCookieFrom(res);
  const csrfToken = (res.json() as { csrfToken: string }).csrfToken;
  return {
    cookie,
    csrfToken,
    request: ({ method, url, payload }) =>
      app.inject({
        method: method as 'GET',
        url,
        headers: { cookie, 'x-csrf-token': csrfToken },
        ...(payload === undefined ? {} : { payload: payload as object }),
      }),
  };
}

export const samplePatient = (overrides: Record<string, unknown> = {}) => ({
  mrn: `MRN-${randomBytes(4).toString('hex')}`,
  givenName: 'Test',
  familyName: 'Person',
  dateOfBirth: '1980-04-12',
  sexAtBirth: 'female',
  ...overrides,
});
