import type { Command } from 'commander';

export function register(program: Command): void {
  const clinic = program.command('clinic').description('Manage clinics (tenants) in this database');
  clinic
    .command('create')
    .description('Create a separate clinic with its own administrator')
    .requiredOption('--name <name>', 'clinic name')
    .requiredOption('--admin-email <email>', "the clinic administrator's email (their login)")
    .requiredOption('--admin-password <password>', `the administrator's password (at least 12 characters)`)
    .option('--admin-name <name>', "the administrator's name", 'Clinic administrator')
    .option('--time-zone <tz>', 'IANA time zone for display', 'UTC')
    .option('--locale <tag>', 'how dates are written, e.g. en-US (MM/DD/YYYY), en-GB, de-DE', 'en-US')
    .option('--json', 'print the result as JSON')
    .action(
      async (opts: {
        name: string;
        adminEmail: string;
        adminPassword: string;
        adminName: string;
        timeZone: string;
        locale: string;
        json?: boolean;
      }) => {
        const [
          { createClinicFromCommandLine },
          { clinicCreateSchema },
          { userCreateSchema },
          { withStore },
          { parseArgs },
        ] = await Promise.all([
          import('../app/clinic'),
          import('../server/schemas/clinic'),
          import('../server/schemas/users'),
          import('./store'),
          import('./validate'),
        ]);
        const clinicInput = parseArgs(
          clinicCreateSchema,
          { name: opts.name, timeZone: opts.timeZone, locale: opts.locale },
          { name: '--name', timeZone: '--time-zone', locale: '--locale' },
        );
        const { role: _admin, ...adminInput } = parseArgs(
          userCreateSchema,
          { email: opts.adminEmail, name: opts.adminName, role: 'admin', password: opts.adminPassword },
          { email: '--admin-email', name: '--admin-name', password: '--admin-password' },
        );
        const result = await withStore((store) =>
          createClinicFromCommandLine(store.db, { clinic: clinicInput, admin: adminInput }),
        );
        process.stdout.write(
          opts.json
            ? `${JSON.stringify(result)}\n`
            : `Created clinic "${result.name}" (${result.clinicId}); its administrator logs in as ${result.adminEmail}.\n`,
        );
      },
    );
}
