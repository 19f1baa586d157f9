import { and, eq, isNull, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import {
  appendAudit,
  auditEventDigest,
  auditEventHash,
  sealAudit,
  verifyAuditChain,
  type AuditEntry,
} from './audit';
import { auditChainHeads, auditEvents } from './schema';
import { describeEachStore } from './test-harness';
import { inClinic } from './tx';
import { createClinic } from './users';

describeEachStore('audit sealing', ({ kind, store }) => {
  const db = () => store().db;
  const entry = (clinicId: string, i: number): AuditEntry => ({
    clinicId,
    userId: null,
    actorRole: 'test',
    action: 'patient.read',
    resourceType: 'patient',
    resourceId: uuidv7(),
    details: { i },
  });
  const newClinic = async () => {
    const clinicId = uuidv7();
    await inClinic(db(), clinicId, (tx) => createClinic(tx, { id: clinicId, name: 'Seal', timeZone: 'UTC' }));
    return clinicId;
  };
  const write = async (clinicId: string, n: number) => {
    for (let i = 0; i < n; i++) await inClinic(db(), clinicId, (tx) => appendAudit(tx, entry(clinicId, i)));
  };
  const asSuperuser = async (fn: () => Promise<unknown>) => {
    await db().execute(sql`alter table audit_events disable trigger user`);
    try {
      await fn();
    } finally {
      await db().execute(sql`alter table audit_events enable trigger user`);
    }
  };
  const rows = (clinicId: string) =>
    db().select().from(auditEvents).where(eq(auditEvents.clinicId, clinicId)).orderBy(auditEvents.id);
  const seqsOf = async (clinicId: string) =>
    (await rows(clinicId)).map((r) => r.seq).sort((a, b) => (a ?? 0) - (b ?? 0));

  it('writes events unsealed with a digest; the sealer chains them and verify reports the tail', async () => {
    const c = await newClinic();
    await write(c, 5);
    const before = await rows(c);
    expect(before.every((r) => r.seq === null && r.hash === null && r.digest === auditEventDigest(r))).toBe(
      true,
    );
    const pending = await verifyAuditChain(db(), c);
    expect(pending).toMatchObject({ ok: true, checked: 0, unsealed: 5, problem: null });
    expect(pending.oldestUnsealedAt).toEqual(before.map((r) => r.at).sort((a, b) => +a - +b)[0]);

    expect(await sealAudit(db(), { clinicId: c })).toEqual({ sealed: 5, clinics: 1 });
    await write(c, 3);
    // A small batch size: the tail is sealed in several batches, each continuing the chain.
    expect(await sealAudit(db(), { clinicId: c, batch: 2 })).toEqual({ sealed: 3, clinics: 1 });
    expect(await seqsOf(c)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await verifyAuditChain(db(), c)).toMatchObject({
      ok: true,
      checked: 8,
      unsealed: 0,
      oldestUnsealedAt: null,
    });
    const [head] = await db().select().from(auditChainHeads).where(eq(auditChainHeads.clinicId, c));
    const last = (await rows(c)).find((r) => r.seq === 8)!;
    expect(head).toMatchObject({ seq: 8, hash: last.hash });
    // Sealing every clinic finds nothing left here.
    await sealAudit(db());
    expect(await seqsOf(c)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('a rolled-back transaction leaves neither an event nor a gap in the chain', async () => {
    const c = await newClinic();
    await write(c, 2);
    await expect(
      inClinic(db(), c, async (tx) => {
        await appendAudit(tx, entry(c, 99));
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    await write(c, 2);
    await sealAudit(db(), { clinicId: c });
    expect(await seqsOf(c)).toEqual([1, 2, 3, 4]);
    expect(await verifyAuditChain(db(), c)).toMatchObject({ ok: true, checked: 4 });
  });

  it('stores events recorded in a clinic transaction exactly, quotes and all, in that transaction', async () => {
    const c = await newClinic();
    const awkward = {
      ...entry(c, 0),
      requestId: "r'1\\; commit; --",
      details: { note: 'it\'s \\ "quoted"', nested: { n: 1.5, list: [null, true] }, unicode: 'é–ü' },
    };
    await inClinic(db(), c, async (tx) => {
      await appendAudit(tx, awkward);
      await appendAudit(tx, { ...entry(c, 1), details: null, resourceId: null });
    });
    const stored = await rows(c);
    expect(stored).toHaveLength(2);
    expect(stored.every((r) => r.digest === auditEventDigest(r))).toBe(true);
    expect(stored.find((r) => r.requestId === awkward.requestId)?.details).toEqual(awkward.details);
    // The work's own audit rows are visible to what it reads later in the same transaction.
    const seenInside = await inClinic(db(), c, async (tx) => {
      await appendAudit(tx, entry(c, 2));
      return (await verifyAuditChain(tx, c)).unsealed;
    });
    expect(seenInside).toBe(3);
  });

  it('an audit event that cannot be stored takes the work of its transaction down with it', async () => {
    const c = await newClinic();
    const other = await newClinic();
    await expect(
      inClinic(db(), c, async (tx) => {
        await tx.execute(sql`update clinics set name = 'Changed' where id = ${c}`);
        // Row-level security refuses an event for another clinic when it is written.
        await appendAudit(tx, entry(other, 0));
      }),
    ).rejects.toThrow();
    const name = await inClinic(db(), c, (tx) => tx.execute(sql`select name from clinics where id = ${c}`));
    expect((name as unknown as { rows: { name: string }[] }).rows[0]!.name).toBe('Seal');
    expect(await rows(other)).toEqual([]);
  });

  it('the trigger lets an unsealed event be sealed once, and nothing else', async () => {
    const c = await newClinic();
    await write(c, 2);
    const [a, b] = await rows(c);
    const seal = { seq: 1, prevHash: '0'.repeat(64), hash: 'f'.repeat(64) };
    // Sealing while changing a field is refused.
    await expect(
      db()
        .update(auditEvents)
        .set({ ...seal, action: 'patient.update' })
        .where(and(eq(auditEvents.clinicId, c), eq(auditEvents.id, a!.id))),
    ).rejects.toThrow();
    // Removing the digest (to pass for an event from before the chain) is refused.
    await expect(
      db()
        .update(auditEvents)
        .set({ digest: null })
        .where(and(eq(auditEvents.clinicId, c), eq(auditEvents.id, b!.id))),
    ).rejects.toThrow();
    await sealAudit(db(), { clinicId: c });
    // A sealed event cannot be sealed again.
    await expect(
      db()
        .update(auditEvents)
        .set({ hash: 'e'.repeat(64) })
        .where(and(eq(auditEvents.clinicId, c), eq(auditEvents.id, a!.id))),
    ).rejects.toThrow();
    expect(await verifyAuditChain(db(), c)).toMatchObject({ ok: true, checked: 2 });
  });

  it('reports an unsealed event edited before sealing, and still after it is sealed', async () => {
    const c = await newClinic();
    await write(c, 3);
    await sealAudit(db(), { clinicId: c });
    await write(c, 2);
    const victim = (await rows(c)).find((r) => r.seq === null)!;
    await asSuperuser(() =>
      db()
        .update(auditEvents)
        .set({ details: { i: 'rewritten' } })
        .where(and(eq(auditEvents.clinicId, c), eq(auditEvents.id, victim.id))),
    );
    const v = await verifyAuditChain(db(), c);
    expect(v.ok).toBe(false);
    expect(v.problem).toMatchObject({ kind: 'edited', seq: 0, eventId: victim.id });
    await sealAudit(db(), { clinicId: c });
    const after = await verifyAuditChain(db(), c);
    expect(after.problem).toMatchObject({ kind: 'edited', eventId: victim.id });
    expect(after.problem!.seq).toBeGreaterThan(3);
  });

  it('reports a sealed event that was edited, deleted, or one inserted into or after the chain', async () => {
    const edited = await newClinic();
    await write(edited, 4);
    await sealAudit(db(), { clinicId: edited });
    await asSuperuser(() =>
      db()
        .update(auditEvents)
        .set({ outcome: 'denied' })
        .where(and(eq(auditEvents.clinicId, edited), eq(auditEvents.seq, 2))),
    );
    expect((await verifyAuditChain(db(), edited)).problem).toMatchObject({ kind: 'edited', seq: 2 });

    const deleted = await newClinic();
    await write(deleted, 4);
    await sealAudit(db(), { clinicId: deleted });
    await write(deleted, 1); // an unsealed tail does not hide the gap
    await asSuperuser(() =>
      db()
        .delete(auditEvents)
        .where(and(eq(auditEvents.clinicId, deleted), eq(auditEvents.seq, 3))),
    );
    expect((await verifyAuditChain(db(), deleted)).problem).toMatchObject({ kind: 'deleted', seq: 3 });

    // A forged event appended after the head, with a correct hash: the head gives it away.
    const appended = await newClinic();
    await write(appended, 3);
    await sealAudit(db(), { clinicId: appended });
    const last = (await rows(appended)).find((r) => r.seq === 3)!;
    const forged = {
      ...entry(appended, 7),
      id: uuidv7(),
      at: new Date(),
      resourceId: null,
      requestId: null,
      outcome: 'success',
      details: null,
    };
    const digest = auditEventDigest(forged);
    await db()
      .insert(auditEvents)
      .values({
        ...forged,
        digest,
        seq: 4,
        prevHash: last.hash!,
        hash: auditEventHash({ ...forged, seq: 4, prevHash: last.hash! }),
      });
    expect((await verifyAuditChain(db(), appended)).problem).toMatchObject({ kind: 'inserted', seq: 4 });

    // A forged event posing as one from before the chain existed (no digest, no position).
    const preChain = await newClinic();
    await write(preChain, 2);
    await sealAudit(db(), { clinicId: preChain });
    await db()
      .insert(auditEvents)
      .values({ ...entry(preChain, 8), id: uuidv7(), at: new Date(Date.now() + 1000) });
    expect((await verifyAuditChain(db(), preChain)).problem).toMatchObject({ kind: 'inserted' });
  });

  if (kind === 'postgres') {
    it('an open transaction holding an audit event blocks neither other events nor sealing', async () => {
      const c = await newClinic();
      await write(c, 1);
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let written!: () => void;
      const heldWritten = new Promise<void>((r) => (written = r));
      const holder = inClinic(db(), c, async (tx) => {
        await appendAudit(tx, entry(c, 100));
        written();
        await held;
      });
      await heldWritten;
      // Another transaction of the same clinic writes its event and commits meanwhile.
      await inClinic(db(), c, (tx) => appendAudit(tx, entry(c, 101)));
      // The sealer seals what is committed; the open transaction's event is not visible to it.
      expect(await sealAudit(db(), { clinicId: c })).toEqual({ sealed: 2, clinics: 1 });
      release();
      await holder;
      // It committed after a later event was sealed: it is sealed next, in commit order, no gap.
      expect(await sealAudit(db(), { clinicId: c })).toEqual({ sealed: 1, clinics: 1 });
      const sealed = await rows(c);
      expect(sealed.find((r) => (r.details as { i: number }).i === 100)!.seq).toBe(3);
      expect(await verifyAuditChain(db(), c)).toMatchObject({ ok: true, checked: 3, unsealed: 0 });
      expect(
        await db()
          .select()
          .from(auditEvents)
          .where(and(eq(auditEvents.clinicId, c), isNull(auditEvents.hash))),
      ).toEqual([]);
    });

    it('a second sealer skips a clinic another sealer holds, and seals it once that one is done', async () => {
      const c = await newClinic();
      await write(c, 1);
      await sealAudit(db(), { clinicId: c });
      await write(c, 2);
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let locked!: () => void;
      const headLocked = new Promise<void>((r) => (locked = r));
      const holder = inClinic(db(), c, async (tx) => {
        await tx.execute(sql`select 1 from audit_chain_heads where clinic_id = ${c} for update`);
        locked();
        await held;
      });
      await headLocked;
      expect(await sealAudit(db(), { clinicId: c, skipLocked: true })).toEqual({ sealed: 0, clinics: 0 });
      release();
      await holder;
      expect(await sealAudit(db(), { clinicId: c, skipLocked: true })).toEqual({ sealed: 2, clinics: 1 });
    });
  }
});
