/**
 * How clinic transactions wait for a connection: PGlite has one, PostgreSQL a pool. Waiting is
 * first come, first served — on PGlite strictly, one transaction or query after another — a long
 * series of transactions cannot keep others waiting until it ends, a queue of them does not keep
 * the server from accepting connections, and a transaction that fails gives its connection back
 * with nothing it wrote kept.
 */
import { eq, sql } from 'drizzle-orm';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import type pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { expect, it } from 'vitest';
import { appendAudit } from './audit';
import { TransactionRolledBackError } from './open';
import { auditEvents, clinics } from './schema';
import { describeEachStore } from './test-harness';
import { CLINIC_ROLE, inClinic } from './tx';
import { createClinic } from './users';

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

describeEachStore('clinic transactions waiting for a connection', ({ kind, store }) => {
  const db = () => store().db;
  /** PGlite's one connection, or the size of the PostgreSQL pool. */
  const connections = () =>
    kind === 'postgres' ? (store().db as unknown as { $client: pg.Pool }).$client.options.max : 1;

  /**
   * Holds every connection in open transactions until the returned release is called, so that what
   * is asked for meanwhile has to queue.
   */
  async function holdAllConnections(): Promise<{ release: () => Promise<void> }> {
    const n = connections();
    let started = 0;
    let allStarted!: () => void;
    const ready = new Promise<void>((resolve) => (allStarted = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const holders = Array.from({ length: n }, () =>
      inClinic(db(), uuidv7(), async () => {
        if (++started === n) allStarted();
        await gate;
      }),
    );
    await ready;
    return {
      release: async () => {
        release();
        await Promise.all(holders);
      },
    };
  }

  /** Lets the event loop turn, so each request below is asked for in a later turn than the last. */
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

  it('start in the order they were asked for, none overtaking', async () => {
    const held = await holdAllConnections();
    const order: number[] = [];
    const done: Promise<unknown>[] = [];
    for (let i = 0; i < 40; i++) {
      done.push(
        inClinic(db(), uuidv7(), async (tx) => {
          order.push(i);
          await tx.execute(sql`select 1`);
        }),
      );
      await nextTurn();
    }
    // Nothing could start while every connection was held.
    expect(order).toEqual([]);
    await held.release();
    await Promise.all(done);
    // PGlite hands its connection on strictly in turn; the PostgreSQL pool gives each returned
    // connection to the longest waiter.
    expect(order).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('queue with plain queries; each transaction sees its own scope, plain queries none', async () => {
    const held = await holdAllConnections();
    const finished: number[] = [];
    const scope = sql`select current_setting('rein.clinic_id', true) as clinic, current_user as role`;
    const asked: Promise<{ clinicId: string | null; row: { clinic: string | null; role: string } }>[] = [];
    for (let i = 0; i < 40; i++) {
      const clinicId = i % 2 === 0 ? uuidv7() : null;
      asked.push(
        (clinicId ? inClinic(db(), clinicId, (tx) => tx.execute(scope)) : db().execute(scope)).then(
          (result) => {
            finished.push(i);
            return { clinicId, row: rowsOf<{ clinic: string | null; role: string }>(result)[0]! };
          },
        ),
      );
      await nextTurn();
    }
    await held.release();
    for (const { clinicId, row } of await Promise.all(asked)) {
      if (clinicId) expect(row).toEqual({ clinic: clinicId, role: CLINIC_ROLE });
      else {
        // A transaction's scope ends with it: a plain query after one is not scoped to its clinic.
        expect(row.role).not.toBe(CLINIC_ROLE);
        expect(row.clinic ?? '').toBe('');
      }
    }
    const all = Array.from({ length: 40 }, (_, i) => i);
    // PGlite runs transactions and plain queries from one queue, one after another, in turn. On
    // PostgreSQL a plain query takes any free connection and may finish before a transaction.
    expect(kind === 'pglite' ? finished : finished.toSorted((a, b) => a - b)).toEqual(all);
  });

  it('in a long series let a transaction asked for meanwhile in before the series ends', async () => {
    const finished: string[] = [];
    const series = (async () => {
      for (let i = 0; i < 50; i++) await inClinic(db(), uuidv7(), (tx) => tx.execute(sql`select 1`));
      finished.push('series');
    })();
    await nextTurn();
    await inClinic(db(), uuidv7(), (tx) => tx.execute(sql`select 1`));
    finished.push('one asked for meanwhile');
    await series;
    expect(finished).toEqual(['one asked for meanwhile', 'series']);
  });

  it('queued 200 deep do not hold off connections a server is asked for meanwhile', async () => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    let finished = 0;
    let acceptedAfter: number | null = null;
    const clients: Socket[] = [];
    try {
      const queue = Array.from({ length: 200 }, () =>
        inClinic(db(), uuidv7(), async (tx) => {
          await tx.execute(sql`select count(*) from generate_series(1, 2000)`);
          finished++;
        }),
      );
      await nextTurn();
      // 20 clients connect while the queue runs; the server hears of each connection only in a
      // turn of the loop.
      const accepted = new Promise<void>((resolve) => {
        let n = 0;
        server.on('connection', () => {
          if (++n === 20) {
            acceptedAfter = finished;
            resolve();
          }
        });
      });
      for (let i = 0; i < 20; i++) clients.push(connect(port, '127.0.0.1'));
      await Promise.all([accepted, ...queue]);
      // Every connection was accepted long before the queue's end (on PostgreSQL, with its pool
      // waiting on the network, at once).
      expect(acceptedAfter).not.toBeNull();
      expect(acceptedAfter!).toBeLessThan(100);
    } finally {
      for (const c of clients) c.destroy();
      server.close();
    }
  });

  it('that fail give the connection back and keep nothing they wrote, audit included', async () => {
    const failed: string[] = [];
    const kept: string[] = [];
    // More failures than connections, queued among transactions that succeed: a failure that kept
    // its connection would leave the ones behind it waiting forever.
    const outcomes = await Promise.allSettled(
      Array.from({ length: 3 * connections() }, (_, i) => {
        const id = uuidv7();
        const mode = i % 3; // 0: throws in code, 1: a statement fails, 2: succeeds
        (mode === 2 ? kept : failed).push(id);
        return inClinic(db(), id, async (tx) => {
          await createClinic(tx, { id, name: `Clinic ${i}`, timeZone: 'UTC' });
          await appendAudit(tx, {
            clinicId: id,
            userId: null,
            actorRole: null,
            action: 'clinic.create',
            resourceType: 'clinic',
            resourceId: id,
          });
          if (mode === 0) throw new Error(`refused ${i}`);
          // The same id again breaks the primary key.
          if (mode === 1) await createClinic(tx, { id, name: 'Again', timeZone: 'UTC' });
        });
      }),
    );
    expect(outcomes.map((o) => o.status)).toEqual(
      Array.from({ length: 3 * connections() }, (_, i) => (i % 3 === 2 ? 'fulfilled' : 'rejected')),
    );
    const stored = async (id: string) =>
      inClinic(db(), id, async (tx) => ({
        clinic: (await tx.select().from(clinics).where(eq(clinics.id, id))).length,
        audit: (await tx.select().from(auditEvents).where(eq(auditEvents.resourceId, id))).length,
      }));
    for (const id of failed) expect(await stored(id)).toEqual({ clinic: 0, audit: 0 });
    for (const id of kept) expect(await stored(id)).toEqual({ clinic: 1, audit: 1 });
  });
});

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
