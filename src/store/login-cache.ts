import type { Store } from './open';
import { hashToken, resolveLoginSession, SESSION_IDLE_MINUTES } from './login-sessions';

type Resolved = NonNullable<Awaited<ReturnType<typeof resolveLoginSession>>>;

/**
 * The channel the database announces auth changes on: a user id per change to a user or their
 * sessions (migration 0015), `clinic:<id>` per change to a clinic's time zone or locale (0028).
 */
export const AUTH_CHANGE_CHANNEL = 'rein_auth';
const CLINIC_PREFIX = 'clinic:';

/** How long a cached session is trusted before it is read again (which also slides its idle timer). */
export const LOGIN_CACHE_MAX_AGE_MS = 60_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  row: Resolved;
  cachedAtMs: number;
}

/**
 * Resolves session cookies without a database round trip per request. Safe because every change
 * that ends or narrows a session (logout, revocation, password change or reset, role change,
 * disabling, deletion) drops the user's entries at once, and every change to the clinic's time zone
 * or locale, which the entries carry, drops the clinic's:
 * - the database announces each such change on `rein_auth` when it commits (a trigger, so changes
 *   by another server or the CLI count too); PGlite delivers it before the commit returns;
 * - routes that make such a change also drop the entries themselves after their commit;
 * - a lookup that read the database before a drop is not cached (generation check).
 * Without a live notification connection, nothing is cached. Entries are re-read after a minute
 * regardless, and expiry and the idle timeout are checked on every request.
 */
export class LoginSessionCache {
  private readonly entries = new Map<string, Entry>();
  private readonly byUser = new Map<string, Set<string>>();
  private generation = 0;
  private live = false;
  private unlisten: (() => Promise<void>) | null = null;
  private stopped = false;
  private readonly waiters = new Map<string, Array<() => void>>();

  constructor(private readonly store: Store) {}

  async start(): Promise<void> {
    this.stopped = false;
    try {
      this.unlisten = await this.store.listen(
        AUTH_CHANGE_CHANNEL,
        (payload) =>
          payload.startsWith(CLINIC_PREFIX)
            ? this.invalidateClinic(payload.slice(CLINIC_PREFIX.length))
            : this.invalidateUser(payload),
        () => this.lost(),
      );
      this.live = true;
    } catch {
      this.lost();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.live = false;
    this.clear();
    await this.unlisten?.();
    this.unlisten = null;
  }

  /** The listening connection failed: stop caching (changes may be missed) and reconnect. */
  private lost() {
    this.live = false;
    this.clear();
    this.unlisten = null;
    if (this.stopped) return;
    setTimeout(() => {
      if (!this.stopped && !this.live) void this.start();
    }, 1000).unref();
  }

  /** True while changes are being received, i.e. while sessions are served from the cache. */
  get caching(): boolean {
    return this.live;
  }

  async resolve(token: string, now: Date): Promise<Resolved | null> {
    const tokenHash = hashToken(token);
    const nowMs = now.getTime();
    const hit = this.entries.get(tokenHash);
    if (hit && this.live) {
      const { session } = hit.row;
      const fresh = nowMs - hit.cachedAtMs < LOGIN_CACHE_MAX_AGE_MS && nowMs >= hit.cachedAtMs;
      const alive =
        session.expiresAt.getTime() > nowMs &&
        nowMs - session.lastSeenAt.getTime() <= SESSION_IDLE_MINUTES * 60_000;
      if (fresh && alive) return hit.row;
      this.drop(tokenHash);
    }
    const generation = this.generation;
    const row = await resolveLoginSession(this.store.db, token, now);
    // Cache only what no change has overtaken since the read began.
    if (row && this.live && generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.clear();
      if (row.session.lastSeenAt.getTime() < nowMs - 60_000) row.session.lastSeenAt = now;
      this.entries.set(tokenHash, { row, cachedAtMs: nowMs });
      const tokens = this.byUser.get(row.user.id) ?? new Set<string>();
      tokens.add(tokenHash);
      this.byUser.set(row.user.id, tokens);
    }
    return row;
  }

  /** Drops every cached session of a user (call after the change has committed). */
  invalidateUser(userId: string): void {
    this.generation++;
    for (const tokenHash of this.byUser.get(userId) ?? []) this.entries.delete(tokenHash);
    this.byUser.delete(userId);
    this.wake(userId);
  }

  /** Drops every cached session of a clinic's users (after a change to its time zone or locale). */
  invalidateClinic(clinicId: string): void {
    this.generation++;
    for (const [userId, tokens] of this.byUser) {
      const first = tokens.values().next();
      if (first.done || this.entries.get(first.value)?.row.user.clinicId !== clinicId) continue;
      for (const tokenHash of tokens) this.entries.delete(tokenHash);
      this.byUser.delete(userId);
    }
    this.wake(`${CLINIC_PREFIX}${clinicId}`);
  }

  /**
   * Resolves when a user's sessions (a user id) or a clinic's (`clinic:<id>`) are next dropped:
   * lets a caller see another process's change land.
   */
  nextInvalidation(key: string): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.set(key, [...(this.waiters.get(key) ?? []), resolve]);
    });
  }

  private wake(key: string) {
    const waiting = this.waiters.get(key) ?? [];
    this.waiters.delete(key);
    for (const resolve of waiting) resolve();
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
    this.byUser.clear();
  }

  private drop(tokenHash: string) {
    const entry = this.entries.get(tokenHash);
    this.entries.delete(tokenHash);
    if (entry) this.byUser.get(entry.row.user.id)?.delete(tokenHash);
  }
}
