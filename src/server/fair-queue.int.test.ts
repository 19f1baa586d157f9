/**
 * Under load, requests are served in the order they came: each authenticated, audited request is one
 * database transaction (its session comes from the cache), and both PGlite's single connection and
 * the PostgreSQL pool hand out turns first come, first served — so no request starves or times out.
 */
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../store/test-harness';
import { createTestApp, login, samplePatient, seedClinic, type Session } from './test-support';

describeEachStore('fair queueing under load', ({ kind, store }) => {
  let app: FastifyInstance;
  let nurse: Session;
  let patientId: string;
  beforeAll(async () => {
    app = await createTestApp(store());
    const clinic = await seedClinic(store(), 'Queue Clinic');
    nurse = await login(app, clinic.users.nurse);
    patientId = (
      await nurse.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })
    ).json().id as string;
  });

  it('100 concurrent audited reads all succeed, finishing in about the order they arrived', async () => {
    const finished: number[] = [];
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        nurse.request({ method: 'GET', url: `/api/patients/${patientId}` }).then((res) => {
          finished.push(i);
          return res;
        }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(100).fill(200));
    // How many later requests finished before each one: FIFO turns keep this small.
    const overtakenBy = finished.map(
      (i, position) => finished.slice(0, position).filter((j) => j > i).length,
    );
    // PGlite: one connection, one FIFO queue, strictly in order. PostgreSQL: the pool of 10 runs
    // several at once, so a request that is slow on its connection (a busy CPU) may be overtaken by
    // several rounds of its neighbours, but on average only by a few; a LIFO queue would let half of
    // those behind overtake on average (about 50), and starve some entirely.
    if (kind === 'pglite') expect(Math.max(...overtakenBy)).toBe(0);
    else expect(overtakenBy.reduce((a, b) => a + b, 0) / overtakenBy.length).toBeLessThanOrEqual(15);
  });
});
