import { clinicsOnRecord } from '../app/clinic';
import type { Db } from '../store/open';
import { UsageError } from './errors';

/** The clinic a command acts on: `--clinic ID`, or the only clinic when there is exactly one. */
export async function chooseClinic(
  db: Db,
  clinicOption: string | undefined,
): Promise<{ id: string; name: string }> {
  const all = await clinicsOnRecord(db);
  if (clinicOption) {
    const found = all.find((c) => c.id === clinicOption);
    if (!found) throw new UsageError('--clinic', `no clinic with id ${clinicOption}`);
    return found;
  }
  if (all.length === 1) return all[0]!;
  if (all.length === 0) {
    throw new UsageError(
      '--clinic',
      'there is no clinic yet: run `rein serve` once, or `rein clinic create`',
    );
  }
  throw new UsageError(
    '--clinic',
    `this database has ${all.length} clinics; choose one with --clinic (${all.map((c) => `${c.id} "${c.name}"`).join(', ')})`,
  );
}
