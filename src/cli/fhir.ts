import type { Command } from 'commander';
import { UsageError } from './errors';

/**
 * `rein fhir export DIR`: bulk export of a clinic as FHIR R4 NDJSON, one file per resource type
 * (`Patient.ndjson`, `Observation.ndjson`, …), the layout of FHIR Bulk Data. Each patient's record is
 * mapped by the same code as `GET /api/patients/:id/fhir`; resources shared between patients (the
 * instruments' Questionnaires) are written once. Every patient exported is audited.
 */
export function register(program: Command): void {
  const fhir = program.command('fhir').description('FHIR R4 export');
  fhir
    .command('export')
    .description('Write every patient of a clinic as FHIR R4 NDJSON, one file per resource type, into DIR')
    .argument('<dir>', 'an empty or new directory')
    .option('--clinic <id>', 'the clinic (needed when there is more than one)')
    .option('--base <url>', 'base URL for the resources’ fullUrl', 'urn:rein')
    .option('--progress', 'always draw the progress bar on stderr (default: only when stderr is a terminal)')
    .option('--no-progress', 'never draw the progress bar')
    .option('--json', 'print the result as JSON')
    .action(
      async (dir: string, opts: { clinic?: string; base: string; progress?: boolean; json?: boolean }) => {
        const [
          fs,
          path,
          { withStore },
          { chooseClinic },
          { loadPatientRecord },
          { patientBundle },
          { appendAudit },
          { patients },
          { and, asc, eq },
          { createProgressBar },
        ] = await Promise.all([
          import('node:fs'),
          import('node:path'),
          import('./store'),
          import('./clinic-choice'),
          import('../store/patient-record'),
          import('../interop/fhir/patient-bundle'),
          import('../store/audit'),
          import('../store/schema'),
          import('drizzle-orm'),
          import('./progress'),
        ]);
        if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
          throw new UsageError('DIR', `${dir} is not empty; choose a new directory`);
        }
        fs.mkdirSync(dir, { recursive: true });
        const showBar = opts.progress ?? Boolean(process.stderr.isTTY);
        const counts: Record<string, number> = {};
        const seen = new Set<string>();
        const result = await withStore(async (store) => {
          const clinic = await chooseClinic(store.db, opts.clinic);
          const ids = (
            await store.db
              .select({ id: patients.id })
              .from(patients)
              .where(and(eq(patients.clinicId, clinic.id)))
              .orderBy(asc(patients.id))
          ).map((r) => r.id);
          const bar = showBar ? createProgressBar(process.stderr, { label: 'fhir export ' }) : null;
          const now = new Date();
          for (const [i, patientId] of ids.entries()) {
            const record = await loadPatientRecord(store.db, clinic.id, patientId);
            const bundle = patientBundle({
              ...record,
              generatedAt: now,
              fhirBase: opts.base.replace(/\/$/, ''),
            });
            for (const entry of bundle.entry ?? []) {
              const resource = entry.resource;
              if (!resource) continue;
              const key = `${resource.resourceType}/${resource.id ?? ''}`;
              if (seen.has(key)) continue;
              seen.add(key);
              fs.appendFileSync(
                path.join(dir, `${resource.resourceType}.ndjson`),
                `${JSON.stringify(resource)}\n`,
              );
              counts[resource.resourceType] = (counts[resource.resourceType] ?? 0) + 1;
            }
            await appendAudit(store.db, {
              clinicId: clinic.id,
              userId: null,
              actorRole: 'cli',
              action: 'patient.fhir_bulk_export',
              resourceType: 'patient',
              resourceId: patientId,
            });
            bar?.update((i + 1) / ids.length);
          }
          bar?.done();
          return { clinicId: clinic.id, patients: ids.length };
        });
        const files = Object.keys(counts).sort();
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ dir, ...result, resources: counts })}\n`);
        } else {
          process.stdout.write(
            `Exported ${result.patients} patients to ${dir}: ${files.map((f) => `${f} ${counts[f]}`).join(', ')}.\n`,
          );
        }
      },
    );
}
