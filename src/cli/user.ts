import type { Command } from 'commander';

export function register(program: Command): void {
  const user = program.command('user').description('Manage user accounts');
  user
    .command('create')
    .description(
      'Create a user; without --password a temporary one is generated, printed once, and must be changed at first login',
    )
    .requiredOption('--email <email>', 'login email')
    .requiredOption('--role <role>', 'admin | prescriber | nurse | staff')
    .option('--password <password>', 'password (at least 12 characters)')
    .option('--name <name>', 'display name (default: the part of the email before @)')
    .option('--clinic <id>', 'clinic id (needed when the database holds more than one clinic)')
    .option('--json', 'print the result as JSON')
    .action(
      async (opts: {
        email: string;
        role: string;
        password?: string;
        name?: string;
        clinic?: string;
        json?: boolean;
      }) => {
        const [
          { appendAudit },
          { userCreateSchema },
          { generatePassword },
          { inClinic },
          { createUser },
          { chooseClinic },
          { withStore },
          { parseArgs },
        ] = await Promise.all([
          import('../store/audit'),
          import('../server/schemas/users'),
          import('../store/passwords'),
          import('../store/tx'),
          import('../store/users'),
          import('./clinic-choice'),
          import('./store'),
          import('./validate'),
        ]);
        const generated = opts.password === undefined ? generatePassword() : null;
        const input = parseArgs(
          userCreateSchema,
          {
            email: opts.email,
            role: opts.role,
            password: opts.password ?? generated,
            name: opts.name ?? opts.email.split('@')[0],
          },
          { email: '--email', role: '--role', password: '--password', name: '--name' },
        );
        const result = await withStore(async (store) => {
          const clinic = await chooseClinic(store.db, opts.clinic);
          return inClinic(store.db, clinic.id, async (tx) => {
            const created = await createUser(tx, clinic.id, input, {
              mustChangePassword: generated !== null,
            });
            await appendAudit(tx, {
              clinicId: clinic.id,
              userId: null,
              actorRole: 'cli',
              action: 'user.create',
              resourceType: 'user',
              resourceId: created.id,
              details: { role: created.role },
            });
            return { userId: created.id, clinicId: clinic.id, email: created.email, role: created.role };
          });
        });
        if (opts.json) {
          process.stdout.write(
            `${JSON.stringify({ ...result, ...(generated ? { temporaryPassword: generated } : {}) })}\n`,
          );
        } else {
          process.stdout.write(`Created ${result.role} ${result.email}.\n`);
          if (generated) {
            process.stdout.write(
              `Temporary password (shown once; must be changed at first login): ${generated}\n`,
            );
          }
        }
      },
    );
  addResetPassword(user);
}

/** `rein user reset-password`: the way back in for an administrator who lost the password. */
function addResetPassword(user: Command): void {
  user
    .command('reset-password')
    .description(
      'Give an account a new temporary password (printed once, must be changed at first login); ends its sessions and lifts a lock-out',
    )
    .requiredOption('--email <email>', 'login email of the account')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { email: string; json?: boolean }) => {
      const [
        { z },
        { resetPasswordFromCommandLine },
        { emailSchema },
        { withStore },
        { parseArgs },
        { UsageError },
      ] = await Promise.all([
        import('zod'),
        import('../app/users'),
        import('../server/schemas/users'),
        import('./store'),
        import('./validate'),
        import('./errors'),
      ]);
      const { email } = parseArgs(
        z.object({ email: emailSchema }),
        { email: opts.email },
        { email: '--email' },
      );
      const result = await withStore((store) => resetPasswordFromCommandLine(store.db, email, new Date()));
      if (!result) throw new UsageError('--email', `no account has the email ${email}`);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(result)}\n`);
        return;
      }
      process.stdout.write(
        `New temporary password for ${result.email} (shown once; must be changed at first login): ${result.temporaryPassword}\n`,
      );
      if (result.wasDisabled) {
        process.stdout.write('Note: this account is disabled; an admin must enable it on the Users page.\n');
      }
    });
}
