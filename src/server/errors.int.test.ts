import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachStore } from '../store/test-harness';
import { BODY_LIMIT_BYTES, buildApp } from './app';
import { createTestApp, login, seedClinic, type Session } from './test-support';

describeEachStore('error handling', ({ store }) => {
  let app: FastifyInstance;
  let s: Session;
  beforeAll(async () => {
    app = await createTestApp(store());
    const clinic = await seedClinic(store(), 'Errors');
    s = await login(app, clinic.users.admin);
  });

  it('hides internal errors behind a request id', async () => {
    // Routes cannot be added after ready(); a fresh app gets the throwing route.
    const fresh = await buildApp({ store: store(), webDir: '/nonexistent' });
    fresh.get('/api/test/boom', { config: { access: { kind: 'public' } } }, async () => {
      throw new Error('secret internal detail: SELECT * FROM patients');
    });
    await fresh.ready();
    const res = await fresh.inject({ method: 'GET', url: '/api/test/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret');
    expect(res.body).not.toContain('SELECT');
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
    expect(res.json().requestId).toBe(res.headers['x-request-id']);
    await fresh.close();
  });

  it('answers malformed JSON with 400 and no parser internals', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('bad_request');
  });

  it('enforces the body size limit with 413', async () => {
    const res = await s.request({
      method: 'POST',
      url: '/api/patients',
      payload: {
        mrn: 'X',
        givenName: 'a'.repeat(BODY_LIMIT_BYTES),
        familyName: 'b',
        dateOfBirth: '1990-01-01',
        sexAtBirth: 'male',
      },
    });
    expect(res.statusCode).toBe(413);
  });

  it('unknown API paths are a JSON 404', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });

  it('sends security headers and no-store on API responses', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('serves the OpenAPI 3.1 document with the route schemas', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    const create = doc.paths['/api/patients'].post;
    expect(create.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['mrn', 'givenName', 'familyName', 'dateOfBirth', 'sexAtBirth']),
    );
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/patients/{patientId}/medications', '/api/users']),
    );
    const docs = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });
});
