import type { Command } from 'commander';
import { parseNumberArg } from './args';
import { UsageError } from './errors';

const MAX_PATIENTS = 1_000_000;
const MAX_CLINICS = 100;

interface DemoOptions {
  patients?: string;
  clinics?: string;
  seed?: string;
  clinic?: string;
  json?: boolean;
  progress?: boolean;
}

function wholeNumber(name: string, raw: string, min: number, max: number): number {
  const n = parseNumberArg(name, raw, { min, max });
  if (!Number.isInteger(n)) throw new UsageError(name, `must be a whole number, got ${raw}`);
  return n;
}

export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'Load synthetic demo data: invented patients with medication lists, treatment courses, sessions ' +
        '(vitals, dose plans, adverse events, discharge), PHQ-9/GAD-7 assessments and alerts, so the ' +
        'outcomes dashboard has realistic numbers. With --clinics 1 (the default): on an empty database ' +
        'it creates a demo clinic and prints its admin login once; otherwise it fills an existing clinic ' +
        'that has no patients. With --clinics K > 1 it always creates K new clinics ("Rein Demo Clinic N ' +
        '(synthetic data)", the largest with about 40% of the patients, varied time zones) and prints ' +
        "each clinic's admin login once. PostgreSQL is written with COPY (fast for large N).",
    )
    .option('--patients <n>', `number of patients, 1–${MAX_PATIENTS.toLocaleString('en-US')} (default 60)`)
    .option('--clinics <k>', `number of new clinics to spread them over, 1–${MAX_CLINICS} (default 1)`)
    .option('--seed <s>', 'seed of the generator (same seed, same data; default 20261126)')
    .option('--clinic <id>', 'the existing clinic to fill (needed when there is more than one)')
    .option('--progress', 'always draw the progress bar on stderr (default: only when stderr is a terminal)')
    .option('--no-progress', 'never draw the progress bar')
    .option('--json', 'print the result as JSON')
    .action(async (opts: DemoOptions) => {
      const patients =
        opts.patients === undefined ? 60 : wholeNumber('--patients', opts.patients, 1, MAX_PATIENTS);
      const clinics = opts.clinics === undefined ? 1 : wholeNumber('--clinics', opts.clinics, 1, MAX_CLINICS);
      if (clinics > patients) {
        throw new UsageError('--clinics', `must be at most the number of patients (${patients})`);
      }
      const seed = opts.seed === undefined ? undefined : wholeNumber('--seed', opts.seed, 0, 2 ** 32 - 1);
      if (opts.clinic && clinics > 1) {
        throw new UsageError('--clinic', '--clinics creates new clinics; leave out --clinic');
      }
      const [{ systemActor }, demo, { chooseClinic }, { withStore }, { createProgressBar }] =
        await Promise.all([
          import('../app/context'),
          import('../demo/load'),
          import('./clinic-choice'),
          import('./store'),
          import('./progress'),
        ]);
      const showBar = opts.progress ?? Boolean(process.stderr.isTTY);
      const bar = showBar ? createProgressBar(process.stderr, { label: 'demo patients ' }) : null;
      const onProgress = (done: number, total: number) => bar?.update(done / total);
      // The dashboard's outcome facts are rebuilt after each clinic: one bar per clinic.
      const facts: { clinic: number; bar: ReturnType<typeof createProgressBar> | null } = {
        clinic: -1,
        bar: null,
      };
      const onFactsProgress = (clinic: number, done: number, total: number) => {
        if (!showBar || total === 0) return;
        if (facts.clinic !== clinic) {
          facts.bar?.done();
          facts.clinic = clinic;
          facts.bar = createProgressBar(process.stderr, { label: `outcome facts, clinic ${clinic + 1} ` });
        }
        facts.bar?.update(done / total);
      };
      const now = new Date();

      const result = await withStore(async (store) => {
        if (clinics > 1 || !(await demo.hasClinics(store))) {
          if (opts.clinic) throw new UsageError('--clinic', 'the database has no clinics yet');
          const network = await demo.createDemoClinics(store, {
            patients,
            clinics,
            ...(seed === undefined ? {} : { seed }),
            now,
            onProgress,
            onFactsProgress,
          });
          return { kind: 'network' as const, network };
        }
        const clinic = await chooseClinic(store.db, opts.clinic);
        const timing = { loadMs: 0, factsMs: 0, rows: 0 };
        const summary = await demo.loadDemoIntoClinic(store, systemActor(clinic.id, 'cli'), now, {
          ...(seed === undefined ? {} : { seed }),
          patients,
          timing,
          onProgress,
          onFactsProgress: (done, total) => onFactsProgress(0, done, total),
        });
        return { kind: 'existing' as const, clinicId: clinic.id, summary, timing };
      });
      bar?.done();
      facts.bar?.done();

      if (result.kind === 'existing') {
        const { clinicId, summary } = result;
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ clinicId, ...summary })}\n`);
          return;
        }
        process.stdout.write(`${describe(summary)}\n`);
        return;
      }
      const { network } = result;
      if (opts.json) {
        // One clinic: the flat shape of earlier versions (clinicId, counts, adminEmail, temporaryPassword).
        const flat = network.clinics.map((c) => ({
          clinicId: c.clinicId,
          name: c.name,
          timeZone: c.timeZone,
          ...c.summary,
          adminEmail: c.adminEmail,
          temporaryPassword: c.temporaryPassword,
        }));
        const out =
          flat.length === 1
            ? flat[0]
            : {
                clinics: flat,
                patients: network.patients,
                rows: network.rows,
                writer: network.writer,
                loadSeconds: network.loadSeconds,
                rowsPerSecond: network.rowsPerSecond,
                factsSeconds: network.factsSeconds,
              };
        process.stdout.write(`${JSON.stringify(out)}\n`);
        return;
      }
      for (const c of network.clinics) {
        process.stdout.write(
          `${c.name} (${c.timeZone}): ${describe(c.summary)}\n` +
            `  admin: ${c.adminEmail}\n  temporary password (shown once; must be changed at first login): ${c.temporaryPassword}\n`,
        );
      }
      if (network.clinics.length > 1) {
        process.stdout.write(
          `${network.patients} patients, ${network.rows} rows in ${network.loadSeconds.toFixed(1)} s ` +
            `(${network.rowsPerSecond} rows/s, ${network.writer}); outcome facts ${network.factsSeconds.toFixed(1)} s.\n` +
            'Demo prescribers and nurses have no usable password: an admin resets one in user management.\n',
        );
      }
    });
}

function describe(s: {
  patients: number;
  courses: number;
  sessions: number;
  assessments: number;
  alerts: number;
  staff: number;
}): string {
  return (
    `loaded the synthetic demo: ${s.patients} patients, ${s.courses} courses, ${s.sessions} sessions, ` +
    `${s.assessments} assessments, ${s.alerts} alerts, ${s.staff} demo staff.`
  );
}
