import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { appendAudit, auditEventHash, sealAudit, verifyAuditChain } from './audit';
import { auditEvents } from './schema';
import { describeEachStore } from './test-harness';
import { inClinic } from './tx';
import { createClinic } from './users';

describeEachStore('tamper-evident audit chain', ({ store }) => {
  const db = () => store().db;
  const newClinic = async (events: number) => {
    const clinicId = uuidv7();
    await inClinic(db(), clinicId, (tx) =>
      createClinic(tx, { id: clinicId, name: 'Audit', timeZone: 'UTC' }),
    );
    // Concurrent transactions insert unsealed events; the sealer chains them into one unbroken chain.
    await Promise.all(
      Array.from({ length: events }, (_, i) =>
        inClinic(db(), clinicId, (tx) =>
          appendAudit(tx, {
            clinicId,
            userId: null,
            actorRole: 'test',
            action: 'patient.read',
            resourceType: 'patient',
            resourceId: uuidv7(),
            details: { i, nested: { b: 2, a: [1, 'x'] } },
          }),
        ),
      ),
    );
    await sealAudit(db(), { clinicId });
    return clinicId;
  };
  /** Tampering as a database superuser would: with the append-only trigger switched off. */
  const asSuperuser = async (fn: () => Promise<unknown>) => {
    await db().execute(sql`alter table audit_events disable trigger user`);
    try {
      await fn();
    } finally {
      await db().execute(sql`alter table audit_events enable trigger user`);
    }
  };
  const rowAt = async (clinicId: string, seq: number) =>
    (
      await db()
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.clinicId, clinicId), eq(auditEvents.seq, seq)))
    )[0]!;

  let clinicId: string;
  beforeAll(async () => {
    clinicId = await newClinic(12);
  });

  it('builds one unbroken chain from concurrent appends', async () => {
    const v = await verifyAuditChain(db(), clinicId);
    expect(v).toMatchObject({ ok: true, checked: 12, unchained: 0, problem: null });
    const seqs = (
      await db().select({ seq: auditEvents.seq }).from(auditEvents).where(eq(auditEvents.clinicId, clinicId))
    )
      .map((r) => r.seq)
      .sort((a, b) => a! - b!);
    expect(seqs).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('hashes every field: changing any one changes the hash', async () => {
    const e = await rowAt(clinicId, 3);
    const base = { ...e, seq: 3, prevHash: e.prevHash! };
    expect(auditEventHash(base)).toBe(e.hash);
    expect(auditEventHash({ ...base, action: 'patient.update' })).not.toBe(e.hash);
    expect(auditEventHash({ ...base, at: new Date(e.at.getTime() + 1) })).not.toBe(e.hash);
    expect(auditEventHash({ ...base, details: { ...(e.details as object), i: 99 } })).not.toBe(e.hash);
    expect(auditEventHash({ ...base, prevHash: '1'.repeat(64) })).not.toBe(e.hash);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of audit events', async () => {
    await expect(
      db().update(auditEvents).set({ action: 'x' }).where(eq(auditEvents.clinicId, clinicId)),
    ).rejects.toThrow();
    await expect(db().delete(auditEvents).where(eq(auditEvents.clinicId, clinicId))).rejects.toThrow();
    await expect(db().execute(sql`truncate audit_events`)).rejects.toThrow();
    expect((await verifyAuditChain(db(), clinicId)).ok).toBe(true);
  });

  it('reports the first edited event', async () => {
    const c = await newClinic(8);
    await asSuperuser(() =>
      db()
        .update(auditEvents)
        .set({ details: { i: 'rewritten' } })
        .where(and(eq(auditEvents.clinicId, c), eq(auditEvents.seq, 5))),
    );
    expect((await verifyAuditChain(db(), c)).problem).toMatchObject({ kind: 'edited', seq: 5 });
  });

  it('reports a deleted event in the middle and at the end', async () => {
    const c = await newClinic(8);
    await asSuperuser(() =>
      db()
        .delete(auditEvents)
        .where(and(eq(auditEvents.clinicId, c), eq(auditEvents.seq, 4))),
    );
    expect((await verifyAuditChain(db(), c)).problem).toMatchObject({ kind: 'deleted', seq: 4 });
    const d = await newClinic(6);
    await asSuperuser(() =>
      db()
        .delete(auditEvents)
        .where(and(eq(auditEvents.clinicId, d), eq(auditEvents.seq, 6))),
    );
    expect((await verifyAuditChain(db(), d)).problem).toMatchObject({ kind: 'deleted', seq: 6 });
  });

  it('reports an inserted event, even one given a plausible hash', async () => {
    const c = await newClinic(6);
    // Make room at seq 4 by moving the tail up, then forge an event with a correct-looking hash.
    await asSuperuser(async () => {
      for (const seq of [6, 5, 4]) {
        await db()
          .update(auditEvents)
          .set({ seq: seq + 1 })
          .where(and(eq(auditEvents.clinicId, c), eq(auditEvents.seq, seq)));
      }
      const prev = await rowAt(c, 3);
      const forged = {
        clinicId: c,
        id: uuidv7(),
        at: new Date(),
        userId: null,
        actorRole: 'intruder',
        action: 'patient.read',
        resourceType: 'patient',
        resourceId: null,
        requestId: null,
        outcome: 'success',
        details: null,
        seq: 4,
        prevHash: prev.hash!,
      };
      await db()
        .insert(auditEvents)
        .values({ ...forged, hash: auditEventHash(forged) });
    });
    const v = await verifyAuditChain(db(), c);
    expect(v.ok).toBe(false);
    expect(v.problem?.kind).toMatch(/edited|inserted/);
    expect(v.problem?.seq).toBeLessThanOrEqual(5);
  });
});
