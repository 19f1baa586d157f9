/**
 * The shells' one entry to the synthetic demo: the admin start page's "load demo" and `rein demo`
 * call these, and only these. The demo is a client of src/app: it generates, the app's use cases
 * persist, rebuild the outcome facts and audit.
 */
import type { Actor } from '../app/context';
import { fastestWriter, hasClinics, inClinicWithWriter, type Store } from '../app/demo';
import { loadDemoClinic, type DemoSummary, type LoadDemoInput } from './clinic';
import { generateDemoNetwork, type DemoNetworkOptions, type DemoNetworkResult } from './network';

export { hasClinics, loadDemoClinic };
export type { DemoNetworkResult, DemoSummary, LoadDemoInput };

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
  return inClinicWithWriter(store, actor, now, fastestWriter(store), (ctx, write) =>
    loadDemoClinic(ctx, { ...input, write }),
  );
}

/** New demo clinics, each with an admin and its share of the patients (see ./network.ts). */
export function createDemoClinics(store: Store, opts: DemoNetworkOptions): Promise<DemoNetworkResult> {
  return generateDemoNetwork(store, opts);
}
