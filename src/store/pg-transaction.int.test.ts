import { Socket } from 'node:net';
import { eq, sql } from 'drizzle-orm';
import { afterEach, expect, it, vi } from 'vitest';
import { clinics } from './schema';
import { createClinic } from './users';
import { inClinic } from './tx';
import { describeEachStore } from './test-harness';
import { uuidv7 } from 'uuidv7';

describeEachStore('a clinic transaction on the wire', ({ kind, store }) => {
  afterEach(() => vi.restoreAllMocks());
  if (kind !== 'postgres') {
    it('PGlite runs in the process: there is no socket to write to', () => expect(kind).toBe('pglite'));
    return;
  }

  it('sends BEGIN and the reads started together in one socket write, and COMMIT in one more', async () => {
    const clinicId = uuidv7();
    await inClinic(store().db, clinicId, (tx) =>
      createClinic(tx, { id: clinicId, name: 'Wire Clinic', timeZone: 'UTC' }),
    );
    // The socket's own write methods: every chunk the driver hands over reaches the kernel through one.
    const socket = Socket.prototype as unknown as Record<'_write' | '_writev', (...a: unknown[]) => void>;
    const writes = [vi.spyOn(socket, '_write'), vi.spyOn(socket, '_writev')];
    const [a, b, c] = await inClinic(store().db, clinicId, (tx) =>
      Promise.all([
        tx.select({ name: clinics.name }).from(clinics).where(eq(clinics.id, clinicId)),
        tx.execute(sql`select current_setting('rein.clinic_id') as scope`),
        tx.execute(sql`select current_user as role`),
      ]),
    );
    const socketWrites = writes.reduce((n, spy) => n + spy.mock.calls.length, 0);
    vi.restoreAllMocks();
    expect(a[0]?.name).toBe('Wire Clinic');
    // The reads ran after the scope and role switch that BEGIN's message carries.
    expect((b as unknown as { rows: { scope: string }[] }).rows[0]?.scope).toBe(clinicId);
    expect((c as unknown as { rows: { role: string }[] }).rows[0]?.role).toBe('rein_app');
    // One write for BEGIN, the scope and the three reads; one for COMMIT. One each would be five.
    expect(socketWrites).toBe(2);
  });

  it('gives the connection back to the pool as it found it', async () => {
    const clinicId = uuidv7();
    await inClinic(store().db, clinicId, (tx) =>
      createClinic(tx, { id: clinicId, name: 'Pool Clinic', timeZone: 'UTC' }),
    );
    // A statement outside any clinic transaction runs on a pooled connection with no scope and no
    // batching left behind: its answer comes back on its own.
    for (let i = 0; i < 12; i++) {
      const r = (await store().db.execute(
        sql`select current_setting('rein.clinic_id', true) as scope`,
      )) as unknown as { rows: { scope: string | null }[] };
      expect(r.rows[0]?.scope ?? '').toBe('');
    }
  });
});
