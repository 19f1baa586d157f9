/**
 * Loading the synthetic demo into an empty clinic: one use case for the admin start page and
 * `rein demo`. The generator (src/demo) writes the rows in the caller's transaction; this use case
 * audits the load with its counts, so every caller records it the same way.
 */
import { DEFAULT_DEMO_SEED, loadDemoData, type DemoSummary, type LoadDemoOptions } from '../demo';
import { recordAudit, type UseCaseContext } from './context';

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
