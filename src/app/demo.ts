/**
 * Loading the synthetic demo: one use case for the admin start page, `rein demo` and the demo
 * network. The generator (src/demo) writes the rows in the caller's transaction; this use case
 * audits the load with its counts, so every caller records it the same way. This file is the one
 * door from the use cases to the generator: the shells reach the demo only through it.
 */
import {
  DEFAULT_DEMO_SEED,
  generateDemoNetwork,
  loadDemoData,
  type DemoNetworkOptions,
  type DemoNetworkResult,
  type DemoSummary,
  type LoadDemoOptions,
} from '../demo';
import { inClinicWithWriter } from '../demo/network';
import type { Store } from '../store/open';
import { countClinics } from '../store/users';
import { recordAudit, type Actor, type UseCaseContext } from './context';

export type { DemoNetworkResult, DemoSummary };

export interface LoadDemoInput extends LoadDemoOptions {
  /** The generator's seed (default: the demo's own); the same seed gives the same clinic. */
  seed?: number | undefined;
}

export async function loadDemoClinic(ctx: UseCaseContext, input: LoadDemoInput = {}): Promise<DemoSummary> {
  const clinicId = ctx.actor.clinicId;
  const { seed, ...opts } = input;
  const summary = await loadDemoData(
    ctx.tx,
    clinicId,
    ctx.actor.userId ?? '',
    ctx.now,
    seed ?? DEFAULT_DEMO_SEED,
    opts,
  );
  await recordAudit(ctx, {
    action: 'clinic.load_demo',
    resourceType: 'clinic',
    resourceId: clinicId,
    details: { ...summary, ...(seed === undefined ? {} : { seed }) },
  });
  return summary;
}

/**
 * Loads the demo into an existing empty clinic in one transaction, with the fastest writer the
 * store has (COPY on PostgreSQL).
 */
export function loadDemoIntoClinic(
  store: Store,
  actor: Actor,
  now: Date,
  input: Omit<LoadDemoInput, 'write'> = {},
): Promise<DemoSummary> {
  const writer = store.kind === 'postgres' ? 'copy' : 'pglite-copy';
  return inClinicWithWriter(store, actor.clinicId, writer, (tx, write) =>
    loadDemoClinic({ tx, actor, now }, { ...input, write }),
  );
}

/** New demo clinics, each with an admin and its share of the patients (see src/demo/network). */
export function createDemoClinics(store: Store, opts: DemoNetworkOptions): Promise<DemoNetworkResult> {
  return generateDemoNetwork(store, opts);
}

/** Whether the database has any clinic yet (`rein demo` creates one when it has none). */
export async function hasClinics(store: Store): Promise<boolean> {
  return (await countClinics(store.db)) > 0;
}
