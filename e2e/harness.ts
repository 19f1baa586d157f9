import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { chromium, type Browser } from 'playwright-core';
import { createTestDatabase } from '../src/store/test-harness';

export const CHROMIUM = process.env.REIN_CHROMIUM ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() =>
        typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port')),
      );
    });
  });
}

export interface RunningServer {
  url: string;
  output(): string;
  stop(): Promise<void>;
  /** Kills the process with SIGKILL (no clean shutdown), as a crash or power loss would. */
  kill(): Promise<void>;
}

/**
 * Starts `rein serve` the way a user does, on a fresh embedded database (or on PostgreSQL when
 * `databaseUrl` is given), and waits until it prints that it is running. `bin`: another build of
 * `rein` to run (default bin/rein.js).
 */
export async function startServer(
  env: Record<string, string> = {},
  opts: { dataDir?: string; bin?: string } = {},
): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = opts.dataDir ?? join(mkdtempSync(join(tmpdir(), 'rein-e2e-')), 'data');
  const bin = opts.bin ?? resolve('bin/rein.js');
  const child: ChildProcess = spawn('node', [bin, 'serve', '--port', String(port)], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      REIN_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      // Browser tests sign in with passwords; the two-factor test turns the requirement on.
      REIN_TWO_FACTOR_REQUIRED: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${out}`)), 90_000);
    const check = () => {
      if (out.includes('Rein is running at')) {
        clearTimeout(timer);
        ok();
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => out,
    stop: () =>
      new Promise((ok) => {
        if (child.exitCode !== null) return ok();
        child.once('exit', () => ok());
        child.kill('SIGTERM');
      }),
    kill: () =>
      new Promise((ok) => {
        if (child.exitCode !== null || child.signalCode !== null) return ok();
        child.once('exit', () => ok());
        child.kill('SIGKILL');
      }),
  };
}

/** A server on its own PostgreSQL database, and a browser, for one test file. */
export interface ThrowawayRig {
  server: RunningServer;
  browser: Browser;
  db: { url: string; drop(): Promise<void> };
}

/**
 * Starts Rein on a throwaway PostgreSQL database (so a test may rewrite recorded times in it
 * instead of waiting), with `admin` as the first administrator, and a browser.
 */
export async function startOnThrowawayDatabase(admin: {
  email: string;
  password: string;
}): Promise<ThrowawayRig> {
  const db = await createTestDatabase(
    process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  );
  const server = await startServer({
    REIN_ADMIN_EMAIL: admin.email,
    REIN_ADMIN_PASSWORD: admin.password,
    DATABASE_URL: db.url,
  });
  return { db, server, browser: await launchBrowser() };
}

/** Stops what startOnThrowawayDatabase started, whatever part of it did start. */
export async function stopThrowawayRig(rig: Partial<ThrowawayRig>): Promise<void> {
  await rig.browser?.close();
  await rig.server?.stop();
  await rig.db?.drop();
}

/**
 * Moves dosing starts `minutes` earlier — one session's, or every session's — so a session behaves
 * as if that much time had passed. Returns how many starts moved.
 */
export async function moveDosingStartBack(
  dbUrl: string,
  minutes: number,
  sessionId?: string,
): Promise<number> {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  try {
    const r = await c.query(
      `update session_events set recorded_at = recorded_at - make_interval(mins => $1)
        where kind = 'dosing-start' and ($2::uuid is null or session_id = $2)`,
      [minutes, sessionId ?? null],
    );
    return r.rowCount ?? 0;
  } finally {
    await c.end();
  }
}
