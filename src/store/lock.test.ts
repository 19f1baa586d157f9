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

describe('data directory lock under a race', () => {
  // Six processes acquire within the same millisecond, twelve rounds, with a free lock and with a
  // crashed process's stale one: exactly one holds it each round. The parent waits until every
  // racer is up ("ready") and then paces the rounds over stdin ("go PATH AT", "release"), so slow
  // process start-up cannot blur them.
  const racer = (lockModule: string) => `
    import { createInterface } from 'node:readline';
    import { acquireDataDirLock } from ${JSON.stringify(lockModule)};
    let lock = null;
    process.stdout.write('ready\\n');
    for await (const line of createInterface({ input: process.stdin })) {
      const [cmd, path, at] = line.split(' ');
      if (cmd === 'release') {
        lock?.release();
        lock = null;
        process.stdout.write('released\\n');
        continue;
      }
      // Sleep to just before the moment, then spin: six processes spinning for the whole lead
      // time took seconds of CPU from everything else running.
      await new Promise((r) => setTimeout(r, Math.max(0, Number(at) - Date.now() - 15)));
      while (Date.now() < Number(at)) {}
      try {
        lock = acquireDataDirLock(path);
        process.stdout.write('won\\n');
      } catch (err) {
        process.stdout.write((err.name === 'DataDirLockedError' ? 'lost' : 'error ' + err.message) + '\\n');
      }
    }`;

  it('gives the lock to exactly one of six processes racing for it', { timeout: 120_000 }, async () => {
    const { spawn } = await import('node:child_process');
    const { createInterface } = await import('node:readline');
    const { transform } = await import('esbuild');
    const folder = mkdtempSync(join(tmpdir(), 'rein-lock-race-'));
    // lock.ts as plain JavaScript (it imports Node's built-ins only), run by plain node: six
    // processes starting under tsx's loader took seconds of CPU on two cores.
    const lockModule = join(folder, 'lock.mjs');
    const source = readFileSync(join(import.meta.dirname, 'lock.ts'), 'utf8');
    writeFileSync(lockModule, (await transform(source, { loader: 'ts', format: 'esm' })).code);
    const file = join(folder, 'racer.mjs');
    writeFileSync(file, racer(lockModule));
    const racers = Array.from({ length: 6 }, () => {
      const child = spawn(process.execPath, [file], {
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
      const next = async () => String((await lines.next()).value);
      return { child, next };
    });
    try {
      expect(await Promise.all(racers.map((r) => r.next()))).toEqual(Array(6).fill('ready'));
      for (let round = 0; round < 12; round++) {
        const lockPath = join(folder, `round-${round}.lock`);
        if (round % 2 === 1) writeFileSync(lockPath, '2147483646');
        // Every racer is up and idle on stdin: a line reaches each within a few milliseconds, even
        // on a loaded machine, so a tenth of a second lets all six sleep to the same moment.
        const at = Date.now() + 100;
        for (const r of racers) r.child.stdin.write(`go ${lockPath} ${at}\n`);
        const outcomes = await Promise.all(racers.map((r) => r.next()));
        expect(
          outcomes.filter((o) => o === 'won'),
          `round ${round}: ${outcomes.join(', ')}`,
        ).toHaveLength(1);
        expect(outcomes.filter((o) => o === 'lost')).toHaveLength(5);
        for (const r of racers) r.child.stdin.write('release\n');
        await Promise.all(racers.map((r) => r.next()));
      }
    } finally {
      for (const r of racers) r.child.kill();
    }
  });
});
