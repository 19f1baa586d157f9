import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A pid lock file beside the embedded database's data directory. PGlite has no cross-process lock,
 * and two processes on one data directory corrupt it (engineering-notes §1.4), so a second process
 * gets a clear error instead. A lock left by a crashed process (its pid no longer alive) is recovered.
 */
export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
  constructor(
    readonly lockPath: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database is in use by another Rein process (pid ${pid}, lock ${lockPath}). ` +
        'Stop that process (for example a running `rein serve`) or point DATABASE_URL at PostgreSQL.',
    );
  }
}

export interface DataDirLock {
  path: string;
  /** Set when a stale lock from a crashed process was found and recovered. */
  recoveredFromPid: number | null;
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM means the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireDataDirLock(lockPath: string): DataDirLock {
  mkdirSync(dirname(lockPath), { recursive: true });
  let recoveredFromPid: number | null = null;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        path: lockPath,
        recoveredFromPid,
        release() {
          if (!released) {
            released = true;
            rmSync(lockPath, { force: true });
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw err;
      }
      const pid = Number.parseInt(readFileSync(lockPath, 'utf8').trim(), 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new DataDirLockedError(lockPath, pid);
      }
      recoveredFromPid = Number.isInteger(pid) ? pid : -1;
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not acquire the database lock ${lockPath}`);
}
