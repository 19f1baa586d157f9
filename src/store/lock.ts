import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

function readPid(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : -1;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * Creates `path` holding our pid, atomically: the pid is written to a private file first and then
 * hard-linked into place, and link() fails if `path` exists. So no process ever sees a lock file
 * without its pid, and of several processes racing for a free lock exactly one wins.
 */
function tryCreate(path: string): boolean {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temp, String(process.pid), { flag: 'wx' });
  try {
    linkSync(temp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    rmSync(temp, { force: true });
  }
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

const ATTEMPTS = 200;

export function acquireDataDirLock(lockPath: string): DataDirLock {
  mkdirSync(dirname(lockPath), { recursive: true });
  const breakPath = `${lockPath}.recovering`;
  let recoveredFromPid: number | null = null;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (tryCreate(lockPath)) {
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
    }
    const pid = readPid(lockPath);
    if (pid === null) continue; // released meanwhile: try again
    if (pid !== -1 && pid !== process.pid && isAlive(pid)) throw new DataDirLockedError(lockPath, pid);
    // A stale lock. Only the holder of the recovery file may remove it, after checking it is still
    // the same stale lock: otherwise two processes could each remove the other's fresh lock.
    if (tryCreate(breakPath)) {
      try {
        if (readPid(lockPath) === pid) {
          rmSync(lockPath, { force: true });
          recoveredFromPid = pid;
        }
      } finally {
        rmSync(breakPath, { force: true });
      }
      continue;
    }
    const breaker = readPid(breakPath);
    if (breaker !== null && (breaker === -1 || !isAlive(breaker))) {
      rmSync(breakPath, { force: true }); // the recovering process itself died
    } else {
      pause(5);
    }
  }
  throw new Error(`Could not acquire the database lock ${lockPath}`);
}
