/**
 * Backing up and restoring the whole database (every clinic), run by the database's operator from
 * the command line. The copy is logical and the same for the embedded database and PostgreSQL; each
 * clinic's audit log records that it was copied or restored.
 */
import {
  BackupFormatError,
  exportDatabase,
  importDatabase,
  readBackupFile,
  type BackupSummary,
  type BackupTrailer,
} from '../store/backup';
import type { Db } from '../store/open';
import { listClinics } from '../store/users';
import { recordAudit, systemActor } from './context';

export { BackupFormatError, type BackupSummary };

async function auditEveryClinic(db: Db, action: string, rows: number): Promise<void> {
  for (const clinic of await listClinics(db)) {
    await recordAudit(
      { tx: db, actor: systemActor(clinic.id) },
      { action, resourceType: 'clinic', resourceId: clinic.id, details: { rows } },
    );
  }
}

/**
 * Streams a backup, line by line, to `write` (the caller owns the file: compression, a temporary
 * name). Only once `write` has finished is the backup recorded in each clinic's audit log, so a
 * failed write records nothing.
 */
export async function backupDatabase(
  db: Db,
  now: Date,
  write: (lines: AsyncIterable<string>) => Promise<void>,
): Promise<BackupSummary> {
  const summary: BackupSummary = { rows: 0, tables: {} };
  async function* lines() {
    for await (const line of exportDatabase(db, now)) {
      // The last line is the trailer with the counts the restore will check.
      if (line.startsWith('{"end":')) {
        const { end } = JSON.parse(line) as BackupTrailer;
        summary.rows = end.rows;
        summary.tables = end.tables;
      }
      yield `${line}\n`;
    }
  }
  await write(lines());
  await auditEveryClinic(db, 'database.backup', summary.rows);
  return summary;
}

/**
 * Restores a backup file into an empty database, all or nothing, and records the restore in each
 * restored clinic's audit log. A file that is not a complete, unaltered Rein backup is refused with
 * `BackupFormatError` and writes nothing.
 */
export async function restoreDatabase(db: Db, path: string): Promise<BackupSummary> {
  const summary = await importDatabase(db, readBackupFile(path));
  await auditEveryClinic(db, 'database.restore', summary.rows);
  return summary;
}
