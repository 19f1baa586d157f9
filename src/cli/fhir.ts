import type { Command } from 'commander';
import { UsageError } from './errors';

/**
 * `rein fhir export DIR`: bulk export of a clinic as FHIR R4 NDJSON, one file per resource type
 * (`Patient.ndjson`, `Observation.ndjson`, …), the layout of FHIR Bulk Data. Each patient's record is
 * mapped by the same code as `GET /api/patients/:id/fhir`; resources shared between patients (the
 * instruments' Questionnaires) are written once. Every patient exported is audited.
 *
 * `rein fhir import FILE`: imports a FHIR R4 Bundle (JSON) with the same use case as
 * `POST /api/fhir/import`: all or nothing, each problem named by entry, recorded as `--user`.
 */
export function register(program: Command): void {
  const fhir = program.command('fhir').description('FHIR R4 import and export');
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
          { inClinicAs, systemActor },
          fhirUseCases,
          { createProgressBar },
        ] = await Promise.all([
          import('node:fs'),
          import('node:path'),
          import('./store'),
          import('./clinic-choice'),
          import('../app/context'),
          import('../app/fhir'),
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
          const actor = systemActor(clinic.id, 'cli');
          const now = new Date();
          const ids = await inClinicAs(store.db, actor, now, fhirUseCases.clinicPatientIds);
          const bar = showBar ? createProgressBar(process.stderr, { label: 'fhir export ' }) : null;
          for (const [i, patientId] of ids.entries()) {
            // One transaction per patient: a long export holds no clinic-wide transaction open.
            const bundle = await inClinicAs(store.db, actor, now, (ctx) =>
              fhirUseCases.exportPatientFhir(ctx, {
                patientId,
                fhirBase: opts.base.replace(/\/$/, ''),
                bulk: true,
              }),
            );
            // A patient's lines are appended with one write per file: one per resource (tens of
            // thousands of open-write-close calls for a clinic) was a tenth of the export's time.
            const lines = new Map<string, string[]>();
            for (const entry of bundle.entry ?? []) {
              const resource = entry.resource;
              if (!resource) continue;
              const key = `${resource.resourceType}/${resource.id ?? ''}`;
              if (seen.has(key)) continue;
              seen.add(key);
              let list = lines.get(resource.resourceType);
              if (!list) lines.set(resource.resourceType, (list = []));
              list.push(`${JSON.stringify(resource)}\n`);
              counts[resource.resourceType] = (counts[resource.resourceType] ?? 0) + 1;
            }
            for (const [type, list] of lines)
              fs.appendFileSync(path.join(dir, `${type}.ndjson`), list.join(''));
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

  fhir
    .command('import')
    .description(
      'Import Patients, MedicationStatements, PHQ-9/GAD-7 Observations, AllergyIntolerances, Conditions and prior treatment trials from a FHIR R4 Bundle',
    )
    .argument('<file>', 'a FHIR R4 Bundle as JSON')
    .requiredOption('--user <email>', 'the clinician the imported records are recorded by')
    .option('--clinic <id>', 'the clinic (needed when there is more than one)')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts: { user: string; clinic?: string; json?: boolean }) => {
      const [
        fs,
        { withStore },
        { chooseClinic },
        { inClinicAs },
        { importFhirBundle, FhirImportRejected },
        { commandLineActorFor },
      ] = await Promise.all([
        import('node:fs'),
        import('./store'),
        import('./clinic-choice'),
        import('../app/context'),
        import('../app/fhir'),
        import('../app/actors'),
      ]);
      let bundle: unknown;
      try {
        bundle = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (e) {
        throw new UsageError('FILE', `${file} is not a readable JSON file (${(e as Error).message})`);
      }
      const result = await withStore(async (store) => {
        const clinic = await chooseClinic(store.db, opts.clinic);
        const actor = await commandLineActorFor(store.db, clinic.id, opts.user);
        if (!actor) throw new UsageError('--user', `no active user ${opts.user} in clinic ${clinic.id}`);
        try {
          return await inClinicAs(store.db, actor, new Date(), (ctx) => importFhirBundle(ctx, bundle));
        } catch (e) {
          if (!(e instanceof FhirImportRejected)) throw e;
          const list = e.issues.map((i) => `entry ${i.entry} ${i.resourceType} ${i.path}: ${i.message}`);
          throw new UsageError('FILE', `nothing imported:\n  ${list.join('\n  ')}`);
        }
      });
      if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else
        process.stdout.write(
          `Imported ${result.patients.length} patients, ${result.medications} medications, ${result.assessments} assessments, ${result.allergies + result.noKnownAllergies} allergy entries, ${result.diagnoses} diagnoses, ${result.trials} prior trials (${result.skipped.length} entries skipped).\n`,
        );
    });
}
