import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError } from './lock';

describe('data directory lock', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'rein-lock-'));

  it('writes our pid and removes the file on release', () => {
    const path = join(dir(), 'data.lock');
    const lock = acquireDataDirLock(path);
    expect(readFileSync(path, 'utf8')).toBe(String(process.pid));
    expect(lock.recoveredFromPid).toBeNull();
    lock.release();
    expect(existsSync(path)).toBe(false);
  });

  it('refuses a lock held by a live process, naming it', () => {
    const path = join(dir(), 'data.lock');
    writeFileSync(path, String(process.ppid)); // the parent process is alive
    expect(() => acquireDataDirLock(path)).toThrow(DataDirLockedError);
    expect(() => acquireDataDirLock(path)).toThrow(new RegExp(`pid ${process.ppid}`));
  });

  it('recovers a lock left by a process that no longer exists', () => {
    const path = join(dir(), 'data.lock');
    writeFileSync(path, '2147483646');
    const lock = acquireDataDirLock(path);
    expect(lock.recoveredFromPid).toBe(2147483646);
    expect(readFileSync(path, 'utf8')).toBe(String(process.pid));
    lock.release();
  });
});
