import type { Command } from 'commander';
import { withStore } from './store';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending database migrations (rein serve also does this at start)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      await withStore(async (store) => {
        const result = { status: 'migrated', database: store.kind, location: store.location };
        process.stdout.write(
          opts.json
            ? `${JSON.stringify(result)}\n`
            : `Migrations applied (${store.kind}, ${store.location}).\n`,
        );
      });
    });
}
