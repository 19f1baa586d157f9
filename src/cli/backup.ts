import type { Command } from 'commander';
import type { BackupTrailer } from '../store/backup';
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
        { exportDatabase },
        { appendAudit },
        { clinics },
      ] = await Promise.all([
        import('node:fs'),
        import('node:stream/promises'),
        import('node:stream'),
        import('node:zlib'),
        import('./store'),
        import('../store/backup'),
        import('../store/audit'),
        import('../store/schema'),
      ]);
      if (existsSync(file)) throw new UsageError('FILE', `${file} already exists; choose a new file name`);
      const partial = `${file}.partial`;
      const counts = { rows: 0, tables: {} as Record<string, number> };
      await withStore(async (store) => {
        async function* lines() {
          for await (const line of exportDatabase(store.db, new Date())) {
            // The last line is the trailer with the counts the restore will check.
            if (line.startsWith('{"end":')) {
              const { end } = JSON.parse(line) as BackupTrailer;
              counts.rows = end.rows;
              counts.tables = end.tables;
            }
            yield `${line}\n`;
          }
        }
        const source = Readable.from(lines());
        try {
          if (file.endsWith('.gz')) await pipeline(source, createGzip(), createWriteStream(partial));
          else await pipeline(source, createWriteStream(partial));
          // Written under a temporary name and renamed at the end: a file named FILE is always complete.
          renameSync(partial, file);
        } catch (err) {
          rmSync(partial, { force: true });
          throw err;
        }
        for (const clinic of await store.db.select({ id: clinics.id }).from(clinics)) {
          await appendAudit(store.db, {
            clinicId: clinic.id,
            userId: null,
            actorRole: 'cli',
            action: 'database.backup',
            resourceType: 'clinic',
            resourceId: clinic.id,
            details: { rows: counts.rows },
          });
        }
      });
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
      const [
        { existsSync },
        { withStore },
        { importDatabase, readBackupFile, BackupFormatError },
        { appendAudit },
        { clinics },
      ] = await Promise.all([
        import('node:fs'),
        import('./store'),
        import('../store/backup'),
        import('../store/audit'),
        import('../store/schema'),
      ]);
      if (!existsSync(file)) throw new UsageError('FILE', `${file} does not exist`);
      const summary = await withStore(async (store) => {
        try {
          const result = await importDatabase(store.db, readBackupFile(file));
          for (const clinic of await store.db.select({ id: clinics.id }).from(clinics)) {
            await appendAudit(store.db, {
              clinicId: clinic.id,
              userId: null,
              actorRole: 'cli',
              action: 'database.restore',
              resourceType: 'clinic',
              resourceId: clinic.id,
              details: { rows: result.rows },
            });
          }
          return result;
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
