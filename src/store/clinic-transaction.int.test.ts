import { eq, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { expect, it } from 'vitest';
import { appendAudit } from './audit';
import { TransactionRolledBackError } from './open';
import { auditEvents, clinics } from './schema';
import { describeEachStore } from './test-harness';
import { inClinic } from './tx';
import { createClinic } from './users';

describeEachStore('a clinic transaction a failed statement aborted', ({ store }) => {
  /** Creates a clinic, then runs a statement that fails and swallows its error, as careless code might. */
  const abortedQuietly = (clinicId: string, audited: boolean) =>
    inClinic(store().db, clinicId, async (tx) => {
      await createClinic(tx, { id: clinicId, name: 'Aborted Clinic', timeZone: 'UTC' });
      if (audited) {
        await appendAudit(tx, {
          clinicId,
          userId: null,
          actorRole: 'system',
          action: 'clinic.create',
          resourceType: 'clinic',
          resourceId: clinicId,
        });
      }
      await tx.execute(sql`select 1 / 0`).catch(() => undefined);
      return 'looked fine';
    });

  const stored = async (clinicId: string) => ({
    clinics: (await store().db.select().from(clinics).where(eq(clinics.id, clinicId))).length,
    audit: (await store().db.select().from(auditEvents).where(eq(auditEvents.clinicId, clinicId))).length,
  });

  it('is refused to its caller, not reported as done, and stores nothing', async () => {
    const clinicId = uuidv7();
    await expect(abortedQuietly(clinicId, false)).rejects.toBeInstanceOf(TransactionRolledBackError);
    expect(await stored(clinicId)).toEqual({ clinics: 0, audit: 0 });
  });

  it('is refused with its audit events, and stores neither the work nor the audit', async () => {
    const clinicId = uuidv7();
    await expect(abortedQuietly(clinicId, true)).rejects.toThrow();
    expect(await stored(clinicId)).toEqual({ clinics: 0, audit: 0 });
  });

  it('a transaction whose statements all succeed still commits', async () => {
    const clinicId = uuidv7();
    await inClinic(store().db, clinicId, (tx) =>
      createClinic(tx, { id: clinicId, name: 'Committed Clinic', timeZone: 'UTC' }),
    );
    expect((await stored(clinicId)).clinics).toBe(1);
  });
});
