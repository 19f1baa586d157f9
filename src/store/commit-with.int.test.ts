import { Socket } from 'node:net';
import { eq, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { afterEach, beforeAll, expect, it, vi } from 'vitest';
import { appendAudit } from './audit';
import { NotFoundError } from './errors';
import { createPatient, getPatient } from './patients';
import { auditEvents } from './schema';
import { describeEachStore } from './test-harness';
import { commitWith, inClinic, type Tx } from './tx';
import { createClinic } from './users';

/** An error's message with its causes' (the query builder wraps the driver's error). */
const reasons = (err: unknown): string =>
  err instanceof Error ? `${err.message} / ${reasons(err.cause)}` : '';

describeEachStore('a transaction that commits with its last statement', ({ kind, store }) => {
  const clinicId = uuidv7();
  let patientId = '';
  beforeAll(async () => {
    patientId = await inClinic(store().db, clinicId, async (tx) => {
      await createClinic(tx, { id: clinicId, name: 'Last Statement Clinic', timeZone: 'UTC' });
      const patient = await createPatient(tx, clinicId, {
        mrn: 'LS-1',
        givenName: 'Ada',
        familyName: 'Last',
        dateOfBirth: '1980-04-12',
        sexAtBirth: 'female',
      });
      return patient.id;
    });
  });
  afterEach(() => vi.restoreAllMocks());

  const readEvent = (tx: Tx, resourceId: string) =>
    appendAudit(tx, {
      clinicId,
      userId: null,
      actorRole: 'nurse',
      action: 'patient.read',
      resourceType: 'patient',
      resourceId,
      onlyIfResourceExists: true,
    });
  /** A patient read as the use case makes it: its event recorded first, the read last. */
  const auditedRead = (id: string) =>
    inClinic(store().db, clinicId, async (tx) => {
      await readEvent(tx, id);
      return commitWith(tx, () => getPatient(tx, clinicId, id));
    });
  const eventsFor = async (resourceId: string) =>
    (await store().db.select().from(auditEvents).where(eq(auditEvents.resourceId, resourceId))).length;

  it('reads the row and commits the audit event recorded before it', async () => {
    const before = await eventsFor(patientId);
    const patient = await auditedRead(patientId);
    expect(patient.givenName).toBe('Ada');
    expect(await eventsFor(patientId)).toBe(before + 1);
  });

  it('writes no event when the row is not there, and the caller hears the miss', async () => {
    const missing = uuidv7();
    await expect(auditedRead(missing)).rejects.toBeInstanceOf(NotFoundError);
    expect(await eventsFor(missing)).toBe(0);
  });

  it('writes no event for another clinic’s row: the existence check runs under row-level security', async () => {
    const otherClinic = uuidv7();
    const otherPatient = await inClinic(store().db, otherClinic, async (tx) => {
      await createClinic(tx, { id: otherClinic, name: 'Other Clinic', timeZone: 'UTC' });
      return (
        await createPatient(tx, otherClinic, {
          mrn: 'LS-2',
          givenName: 'Bo',
          familyName: 'Other',
          dateOfBirth: '1975-01-02',
          sexAtBirth: 'male',
        })
      ).id;
    });
    await expect(auditedRead(otherPatient)).rejects.toBeInstanceOf(NotFoundError);
    expect(await eventsFor(otherPatient)).toBe(0);
  });

  it('stores nothing when the last statement fails', async () => {
    const before = await eventsFor(patientId);
    const failed = inClinic(store().db, clinicId, async (tx) => {
      await readEvent(tx, patientId);
      await commitWith(tx, () => tx.execute(sql`select 1 / 0`));
    });
    await expect(failed.catch(reasons)).resolves.toMatch(/division by zero/);
    expect(await eventsFor(patientId)).toBe(before);
  });

  it('refuses a statement after the last one, which would run outside the transaction', async () => {
    const refused = inClinic(store().db, clinicId, async (tx) => {
      await commitWith(tx, () => getPatient(tx, clinicId, patientId));
      await tx.execute(sql`select current_user`);
    });
    await expect(refused.catch(reasons)).resolves.toMatch(/after the last statement/);
    // The connection went back clean: a plain statement runs without any clinic scope or role.
    const r = (await store().db.execute(
      sql`select current_setting('rein.clinic_id', true) as scope, current_user as role`,
    )) as unknown as { rows: { scope: string | null; role: string }[] };
    expect(r.rows[0]?.scope ?? '').toBe('');
    expect(r.rows[0]?.role).not.toBe('rein_app');
  });

  it('refuses an audit event recorded after the last statement, and a second last statement', async () => {
    await expect(
      inClinic(store().db, clinicId, async (tx) => {
        await commitWith(tx, () => getPatient(tx, clinicId, patientId));
        await readEvent(tx, patientId);
      }),
    ).rejects.toThrow(/already committing/);
    await expect(
      inClinic(store().db, clinicId, async (tx) => {
        await commitWith(tx, () => getPatient(tx, clinicId, patientId));
        await commitWith(tx, () => getPatient(tx, clinicId, patientId));
      }),
    ).rejects.toThrow(/already has its last statement/);
  });

  if (kind === 'postgres') {
    it('sends BEGIN, the scope, the read, its audit event and COMMIT in one socket write', async () => {
      const socket = Socket.prototype as unknown as Record<'_write' | '_writev', (...a: unknown[]) => void>;
      const writes = [vi.spyOn(socket, '_write'), vi.spyOn(socket, '_writev')];
      const before = await eventsFor(patientId);
      writes.forEach((w) => w.mockClear());
      await auditedRead(patientId);
      const socketWrites = writes.reduce((n, spy) => n + spy.mock.calls.length, 0);
      vi.restoreAllMocks();
      expect(socketWrites).toBe(1);
      expect(await eventsFor(patientId)).toBe(before + 1);
    });

    it('inserts audit events through statements the connection prepared once', async () => {
      // Alone, the transactions below take the pool's one idle connection in turn.
      const preparedNames = () =>
        inClinic(store().db, clinicId, async (tx) => {
          const rows = await tx.execute(sql`select name from pg_prepared_statements order by name`);
          return (rows as unknown as { rows: { name: string }[] }).rows.map((r) => r.name);
        });
      const before = await eventsFor(patientId);
      await auditedRead(patientId);
      await inClinic(store().db, clinicId, async (tx) => {
        await readEvent(tx, patientId);
        await tx.execute(sql`select 1`);
      });
      await auditedRead(patientId);
      expect(await eventsFor(patientId)).toBe(before + 3);
      expect(await preparedNames()).toEqual(
        expect.arrayContaining(['rein_audit_commit', 'rein_audit_commit_if_patients']),
      );
    });
  }
});
