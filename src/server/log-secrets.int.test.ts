import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { describeEachStore } from '../store/test-harness';
import { loggablePath } from './app';
import { createTestApp, login, samplePatient, seedClinic } from './test-support';

it('drops the query string and the portal token from a logged path', () => {
  expect(loggablePath('/api/portal/abcDEF_-123/responses?x=1')).toBe('/api/portal/:token/responses');
  expect(loggablePath('/portal/abcDEF_-123')).toBe('/portal/:token');
  expect(loggablePath('/api/patients/42?q=Smith')).toBe('/api/patients/42');
});

describeEachStore('request logs hold no secret', ({ store }) => {
  it('a whole portal session at info level never writes its token to the log', async () => {
    let log = '';
    const stream = new Writable({
      write(chunk, _enc, done) {
        log += String(chunk);
        done();
      },
    });
    const app = await createTestApp(store(), { logger: { level: 'trace', stream } });
    try {
      const clinic = await seedClinic(store(), 'Log Clinic');
      const desk = await login(app, clinic.users.staff);
      const patient = (
        await desk.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })
      ).json();
      const created = await desk.request({
        method: 'POST',
        url: `/api/patients/${patient.id}/portal-links`,
        payload: {},
      });
      expect(created.statusCode).toBe(201);
      const token = String(created.json().url).split('/portal/')[1]!;
      expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      const page = await app.inject({ method: 'GET', url: `/api/portal/${token}` });
      expect(page.statusCode).toBe(200);
      const sent = await app.inject({
        method: 'POST',
        url: `/api/portal/${token}/responses?ref=${token}`,
        payload: { instrument: 'phq9', version: '1.0.0', answers: [0, 1, 0, 1, 0, 1, 0, 1, 0] },
      });
      expect(sent.statusCode, sent.body).toBe(201);
      await app.inject({ method: 'GET', url: `/portal/${token}` });
      await app.inject({ method: 'GET', url: `/api/portal/${token}x` }); // an unknown token is logged too
      // The log is not empty: requests were written, with their paths redacted.
      expect(log).toContain('/api/portal/:token/responses');
      expect(log.split('\n').filter(Boolean).length).toBeGreaterThan(8);
      expect(log).not.toContain(token);
      expect(log).not.toContain(token.slice(0, 16));
    } finally {
      await app.close();
    }
  });
});
