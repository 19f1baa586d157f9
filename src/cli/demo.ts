import type { Command } from 'commander';
import { UsageError } from './errors';

interface DemoResult {
  clinicId: string;
  patients: number;
  bodyMeasurements: number;
  medications: number;
  adminEmail?: string;
  temporaryPassword?: string;
}

export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'Load the synthetic demo clinic (60 invented patients with weights and medication lists). ' +
        'On an empty database it creates a demo clinic and prints its admin login once; otherwise it fills an existing clinic that has no patients.',
    )
    .option('--clinic <id>', 'the clinic to fill (needed when there is more than one)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { clinic?: string; json?: boolean }) => {
      const [
        { uuidv7 },
        { appendAudit },
        { loadDemoData },
        { generatePassword },
        { inClinic },
        users,
        { chooseClinic },
        { withStore },
      ] = await Promise.all([
        import('uuidv7'),
        import('../store/audit'),
        import('../store/demo'),
        import('../store/passwords'),
        import('../store/tx'),
        import('../store/users'),
        import('./clinic-choice'),
        import('./store'),
      ]);
      const { createClinic, createUser, countClinics } = users;
      const result = await withStore(async (store): Promise<DemoResult> => {
        const now = new Date();
        if ((await countClinics(store.db)) === 0) {
          if (opts.clinic) throw new UsageError('--clinic', 'the database has no clinics yet');
          const clinicId = uuidv7();
          const password = generatePassword();
          return inClinic(store.db, clinicId, async (tx) => {
            await createClinic(tx, {
              id: clinicId,
              name: 'Rein Demo Clinic (synthetic data)',
              timeZone: 'UTC',
            });
            const admin = await createUser(
              tx,
              clinicId,
              { email: 'admin@demo.example.org', name: 'Demo administrator', role: 'admin', password },
              { mustChangePassword: true },
            );
            const summary = await loadDemoData(tx, clinicId, admin.id, now);
            await appendAudit(tx, {
              clinicId,
              userId: null,
              actorRole: 'cli',
              action: 'clinic.load_demo',
              resourceType: 'clinic',
              resourceId: clinicId,
              details: { ...summary },
            });
            return { clinicId, ...summary, adminEmail: admin.email, temporaryPassword: password };
          });
        }
        const clinic = await chooseClinic(store.db, opts.clinic);
        return inClinic(store.db, clinic.id, async (tx) => {
          const [admin] = await tx.query.users.findMany({
            where: (u, { and, eq }) =>
              and(eq(u.clinicId, clinic.id), eq(u.role, 'admin'), eq(u.disabled, false)),
            limit: 1,
          });
          if (!admin)
            throw new UsageError('--clinic', 'the clinic has no active admin to attribute the demo data to');
          const summary = await loadDemoData(tx, clinic.id, admin.id, now);
          await appendAudit(tx, {
            clinicId: clinic.id,
            userId: null,
            actorRole: 'cli',
            action: 'clinic.load_demo',
            resourceType: 'clinic',
            resourceId: clinic.id,
            details: { ...summary },
          });
          return { clinicId: clinic.id, ...summary };
        });
      });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(result)}\n`);
        return;
      }
      process.stdout.write(
        `Loaded the synthetic demo: ${result.patients} patients, ${result.bodyMeasurements} body measurements, ${result.medications} medications.\n`,
      );
      if (result.temporaryPassword) {
        process.stdout.write(
          `Demo clinic admin: ${result.adminEmail}\nTemporary password (shown once; must be changed at first login): ${result.temporaryPassword}\n`,
        );
      }
    });
}
