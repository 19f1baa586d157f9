/**
 * Live updates of the session screen: who is watching which session, and what changed. Every
 * append announces itself on the store's session channel when its transaction commits (see
 * insertSessionEvents), so a change made through another server process or the CLI reaches the
 * watchers of this one too. One listening subscription per process serves every watcher.
 */
import { getTreatmentSession } from '../../store/courses';
import type { Store } from '../../store/open';
import { countSessionEvents, SESSION_CHANGE_CHANNEL } from '../../store/sessions';
import { recordAudit, type UseCaseContext } from '../context';
import type { SessionRef } from './load';

export interface SessionWatcher {
  /** The session now has this many events (its version). */
  changed(eventCount: number): void;
  /** The announcements stopped (the listening connection failed): changes may be missed. */
  lost(): void;
}

export class SessionChangeFeed {
  private readonly watchers = new Map<string, Set<SessionWatcher>>();
  private unlisten: Promise<() => Promise<void>> | null = null;

  constructor(private readonly store: Store) {}

  /** How many watchers are attached (to a session, or in all): a closed stream leaves none behind. */
  watcherCount(sessionId?: string): number {
    if (sessionId !== undefined) return this.watchers.get(sessionId)?.size ?? 0;
    let n = 0;
    for (const set of this.watchers.values()) n += set.size;
    return n;
  }

  /** Starts telling `watcher` about the session's appends; the returned function stops it. */
  async watch(sessionId: string, watcher: SessionWatcher): Promise<() => Promise<void>> {
    const set = this.watchers.get(sessionId) ?? new Set<SessionWatcher>();
    set.add(watcher);
    this.watchers.set(sessionId, set);
    try {
      await this.ensureListening();
    } catch (err) {
      await this.detach(sessionId, watcher);
      throw err;
    }
    return () => this.detach(sessionId, watcher);
  }

  async stop(): Promise<void> {
    this.watchers.clear();
    await this.stopListening();
  }

  private ensureListening(): Promise<unknown> {
    this.unlisten ??= this.store.listen(
      SESSION_CHANGE_CHANNEL,
      (payload) => this.announce(payload),
      () => this.lose(),
    );
    const current = this.unlisten;
    return current.catch((err: unknown) => {
      if (this.unlisten === current) this.unlisten = null;
      throw err;
    });
  }

  private announce(payload: string): void {
    const [sessionId, count] = payload.split(':');
    const eventCount = Number(count);
    if (!sessionId || !Number.isInteger(eventCount)) return;
    for (const w of this.watchers.get(sessionId) ?? []) w.changed(eventCount);
  }

  private lose(): void {
    this.unlisten = null;
    const all = [...this.watchers.values()].flatMap((set) => [...set]);
    this.watchers.clear();
    for (const w of all) w.lost();
  }

  private async detach(sessionId: string, watcher: SessionWatcher): Promise<void> {
    const set = this.watchers.get(sessionId);
    set?.delete(watcher);
    if (set && set.size === 0) this.watchers.delete(sessionId);
    if (this.watchers.size === 0) await this.stopListening();
  }

  private async stopListening(): Promise<void> {
    const current = this.unlisten;
    this.unlisten = null;
    if (current) await (await current.catch(() => null))?.();
  }
}

/**
 * Opening a session's live updates is a read of the session: the same access (the session must be
 * the caller's clinic's, by row-level security) and an audit row. Returns the current version.
 */
export async function watchSession(ctx: UseCaseContext, ref: SessionRef): Promise<{ eventCount: number }> {
  await getTreatmentSession(ctx.tx, ctx.actor.clinicId, ref.patientId, ref.sessionId);
  const eventCount = await countSessionEvents(ctx.tx, ctx.actor.clinicId, ref.sessionId);
  await recordAudit(ctx, {
    action: 'session.watch',
    resourceType: 'treatment_session',
    resourceId: ref.sessionId,
  });
  return { eventCount };
}
