/**
 * Audited requests of one clinic do not wait on each other: writing an audit event takes no
 * clinic-wide lock. A transaction is held open with its audit event written, and a second request
 * of the same clinic completes meanwhile (PostgreSQL: PGlite has one connection, so it runs one
 * transaction at a time by construction).
 */
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { appendAudit, sealAudit, verifyAuditChain } from '../store/audit';
import { describeEachStore } from '../store/test-harness';
import { inClinic } from '../store/tx';
import { createTestApp, login, samplePatient, seedClinic, type TestClinic } from './test-support';

describeEachStore('audited requests run side by side', ({ kind, store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  beforeAll(async () => {
    app = await createTestApp(store());
    clinic = await seedClinic(store(), 'Concurrent Clinic');
  });

  if (kind === 'postgres') {
    it('a request completes while another transaction of its clinic holds an unsealed audit event', async () => {
      const nurse = await login(app, clinic.users.nurse);
      const created = await nurse.request({ method: 'POST', url: '/api/patients', payload: samplePatient() });
      expect(created.statusCode).toBe(201);
      const patientId = created.json().id as string;

      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let written!: () => void;
      const eventWritten = new Promise<void>((r) => (written = r));
      const open = inClinic(store().db, clinic.id, async (tx) => {
        await appendAudit(tx, {
          clinicId: clinic.id,
          userId: clinic.users.admin.id,
          actorRole: 'admin',
          action: 'patient.read',
          resourceType: 'patient',
          resourceId: patientId,
        });
        written();
        await held;
      });
      await eventWritten;
      const reads = await Promise.all(
        [1, 2, 3].map(() => nurse.request({ method: 'GET', url: `/api/patients/${patientId}` })),
      );
      expect(reads.map((r) => r.statusCode)).toEqual([200, 200, 200]);
      release();
      await open;
      await sealAudit(store().db, { clinicId: clinic.id });
      expect(await verifyAuditChain(store().db, clinic.id)).toMatchObject({ ok: true, unsealed: 0 });
    });
  }

  it('many concurrent audited reads of one clinic all succeed and chain without a gap', async () => {
    const nurse = await login(app, clinic.users.nurse);
    const created = await nurse.request({ method: 'POST', url: '/api/patients', payload: samplePatient() });
    const patientId = created.json().id as string;
    const reads = await Promise.all(
      Array.from({ length: 100 }, () => nurse.request({ method: 'GET', url: `/api/patients/${patientId}` })),
    );
    expect(reads.every((r) => r.statusCode === 200)).toBe(true);
    await sealAudit(store().db, { clinicId: clinic.id });
    const v = await verifyAuditChain(store().db, clinic.id);
    expect(v).toMatchObject({ ok: true, unsealed: 0 });
    expect(v.checked).toBeGreaterThanOrEqual(102);
  });
});
