import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachStore } from '../store/test-harness';
import { BODY_LIMIT_BYTES, buildApp } from './app';
import { createTestApp, login, samplePatient, seedClinic, type Session } from './test-support';

/** What a clinician must never read in a refusal: field paths, zod's wording, evidence codes. */
const MACHINE_WORDS =
  /\b(body|querystring|params|headers)\.|\[[VSUCD]\]|Expected|expected|Invalid input|Invalid option|Too (big|small)|received|[a-z]+[A-Z][A-Za-z]*Kg\b/;

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
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['content-security-policy']).toContain("object-src 'none'");
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['strict-transport-security']).toBeUndefined(); // TLS is the proxy's (docs/security.md)
    // Every response, an error's too.
    const missing = await app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(missing.headers['content-security-policy']).toBe(res.headers['content-security-policy']);
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

  it('answers a bad request in plain sentences and keeps paths and codes as machine fields', async () => {
    const res = await s.request({
      method: 'POST',
      url: '/api/patients',
      payload: { mrn: '', givenName: 'Ada', familyName: 'X', dateOfBirth: '1980-13-40', sexAtBirth: 'robot' },
    });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.message).not.toMatch(MACHINE_WORDS);
    expect(error.message).toContain('Date of birth must be a date written YYYY-MM-DD.');
    for (const f of error.fields) expect(f.message).not.toMatch(MACHINE_WORDS);
    expect(error.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'body.mrn', code: 'too_small', message: 'MRN must not be empty.' }),
        expect.objectContaining({ path: 'body.sexAtBirth', code: 'invalid_value' }),
      ]),
    );
  });

  it('says an out-of-range weight with its allowed range, and a domain refusal without the rule’s field name', async () => {
    const created = await s.request({
      method: 'POST',
      url: '/api/patients',
      payload: samplePatient({ mrn: 'ERR-W' }),
    });
    const url = `/api/patients/${created.json().id}/body-measurements`;
    const heavy = await s.request({ method: 'POST', url, payload: { weightKg: 900 } });
    expect(heavy.statusCode).toBe(400);
    expect(heavy.json().error.message).toBe('Weight must be between 10 and 500 kg.');
    expect(heavy.json().error.fields[0]).toMatchObject({ path: 'body.weightKg', code: 'too_big' });
    const future = await s.request({
      method: 'POST',
      url,
      payload: { weightKg: 70, measuredAt: '2999-01-01T00:00:00Z' },
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.message).not.toMatch(MACHINE_WORDS);
    expect(future.json().error.message).toMatch(/^Measured at /);
    expect(future.json().error.fields[0]).toMatchObject({ path: 'body.measuredAt', code: 'invalid' });
  });

  it('words a bad query and a bad path parameter plainly too', async () => {
    const query = await s.request({ method: 'GET', url: '/api/audit/export.csv?from=yesterday' });
    expect(query.statusCode).toBe(400);
    expect(query.json().error.message).not.toMatch(MACHINE_WORDS);
    const param = await s.request({ method: 'GET', url: '/api/patients/not-an-id' });
    expect(param.statusCode).toBe(400);
    expect(param.json().error.message).not.toMatch(MACHINE_WORDS);
  });
});
