import type { Command } from 'commander';
import { parseNumberArg } from './args';

export function register(program: Command): void {
  program
    .command('serve')
    .description(
      'Start the Rein server (migrates the database first; creates the first clinic on an empty one)',
    )
    .option('--port <port>', 'port to listen on (default $PORT or 3000)')
    .option('--host <host>', 'interface to bind (default $HOST or 127.0.0.1)')
    .action(async (opts: { port?: string; host?: string }) => {
      // Loaded on use, so other commands start without the server's dependencies.
      const [
        { buildApp },
        { loadConfig },
        { ensureFirstClinic },
        { openConfiguredStore },
        { backfillOutcomeFacts },
        { auditSealer },
        { readableLogStream },
      ] = await Promise.all([
        import('../server/app'),
        import('../server/config'),
        import('../app/bootstrap'),
        import('./store'),
        import('../app/outcome-facts'),
        import('../app/audit'),
        import('../server/log-format'),
      ]);
      const config = loadConfig();
      const port = opts.port ? parseNumberArg('--port', opts.port, { min: 1, max: 65_535 }) : config.port;
      const host = opts.host ?? config.host;
      const readableLogs =
        config.logFormat === 'pretty' || (config.logFormat === 'auto' && process.stdout.isTTY === true);
      const store = await openConfiguredStore();
      if (store.recoveredLockFromPid !== null) {
        process.stderr.write(
          `rein: recovered the embedded database lock left by process ${store.recoveredLockFromPid}, which is no longer running (it probably crashed).\n`,
        );
      }
      const app = await buildApp({
        store,
        webDir: config.webDir,
        cookieSecure: config.cookieSecure,
        trustProxy: config.trustProxy,
        twoFactorRequired: config.twoFactorRequired,
        smtp: config.smtp,
        publicUrl: config.publicUrl,
        logger: {
          level: config.logLevel,
          ...(readableLogs ? { stream: readableLogStream(process.stdout) } : {}),
        },
      });
      const sealer = auditSealer(store.db, config.auditSealIntervalMs, (err) =>
        app.log.error({ err }, 'sealing the audit chain failed; retrying at the next interval'),
      );
      let closing = false;
      const shutdown = async (signal: string) => {
        if (closing) return;
        closing = true;
        app.log.info({ signal }, 'shutting down');
        try {
          await app.close();
          // Requests have drained: seal what they wrote, so a clean stop leaves no unsealed tail.
          await sealer.stop({ finalSeal: true });
        } finally {
          await store.close();
        }
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      try {
        const first = await ensureFirstClinic(store.db, {
          clinicName: config.clinicName,
          clinicTimeZone: config.clinicTimeZone,
          clinicLocale: config.clinicLocale,
          adminEmail: config.adminEmail,
          adminPassword: config.adminPassword,
        });
        // Events a crashed process committed but never sealed are sealed before anything else.
        const sealed = await sealer.start();
        if (sealed.sealed > 0) app.log.info(sealed, 'sealed audit events left unsealed by the last run');
        // A database from before the dashboard's course facts existed gets them once, here.
        for (const r of await backfillOutcomeFacts(store.db, new Date())) {
          app.log.info({ clinicId: r.clinicId, facts: r.facts }, 'built the outcome dashboard facts');
        }
        await app.listen({ port, host });
        const url = `http://${host === '0.0.0.0' || host === '127.0.0.1' ? 'localhost' : host}:${port}`;
        const lines = [`Rein is running at ${url}  (database: ${store.kind}, ${store.location})`];
        if (first.created && first.generatedPassword) {
          lines.push(
            '',
            'First start: created your clinic and its administrator.',
            `  email:    ${first.email}`,
            `  password: ${first.generatedPassword}`,
            'This password is shown only once. Log in and you will be asked to choose your own.',
          );
        } else if (first.created) {
          lines.push(
            '',
            `First start: created your clinic; log in as ${first.email} with REIN_ADMIN_PASSWORD.`,
          );
        }
        process.stdout.write(`${lines.join('\n')}\n`);
      } catch (err) {
        await shutdown('error');
        throw err;
      }
    });
}
