import type { Command } from 'commander';
import { UsageError } from './errors';

/**
 * `rein backup FILE` and `rein restore FILE`: a logical copy of the whole database (every clinic),
 * the same format for the embedded database and PostgreSQL, so a backup also moves a clinic from one
 * to the other. Restore goes into an empty database only, in one transaction.
 */
export function register(program: Command): void {
  program
    .command('backup')
    .description(
      'Write a backup of the whole database (all clinics) to FILE (JSON lines, gzip-compressed when FILE ends in .gz)',
    )
    .argument('<file>', 'where to write the backup; refused if it exists')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const [
        { createWriteStream, existsSync, renameSync, rmSync },
        { pipeline },
        { Readable },
        { createGzip },
        { withStore },
        { backupDatabase },
      ] = await Promise.all([
        import('node:fs'),
        import('node:stream/promises'),
        import('node:stream'),
        import('node:zlib'),
        import('./store'),
        import('../app/backup'),
      ]);
      if (existsSync(file)) throw new UsageError('FILE', `${file} already exists; choose a new file name`);
      const partial = `${file}.partial`;
      const counts = await withStore((store) =>
        backupDatabase(store.db, new Date(), async (lines) => {
          const source = Readable.from(lines);
          try {
            if (file.endsWith('.gz')) await pipeline(source, createGzip(), createWriteStream(partial));
            else await pipeline(source, createWriteStream(partial));
            // Written under a temporary name and renamed at the end: a file named FILE is always complete.
            renameSync(partial, file);
          } catch (err) {
            rmSync(partial, { force: true });
            throw err;
          }
        }),
      );
      process.stdout.write(
        opts.json
          ? `${JSON.stringify({ file, ...counts })}\n`
          : `Backed up ${counts.rows} rows from ${Object.keys(counts.tables).length} tables to ${file}.\n`,
      );
    });

  program
    .command('restore')
    .description('Restore a backup made by `rein backup` into an empty database (all or nothing)')
    .argument('<file>', 'the backup file (.gz or plain)')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const [{ existsSync }, { withStore }, { restoreDatabase, BackupFormatError }] = await Promise.all([
        import('node:fs'),
        import('./store'),
        import('../app/backup'),
      ]);
      if (!existsSync(file)) throw new UsageError('FILE', `${file} does not exist`);
      const summary = await withStore(async (store) => {
        try {
          return await restoreDatabase(store.db, file);
        } catch (err) {
          if (err instanceof BackupFormatError) throw new UsageError('FILE', err.message);
          throw err;
        }
      });
      process.stdout.write(
        opts.json
          ? `${JSON.stringify({ file, ...summary })}\n`
          : `Restored ${summary.rows} rows into ${Object.keys(summary.tables).length} tables from ${file}.\n`,
      );
    });
}
