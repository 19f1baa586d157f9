import { vi } from 'vitest';
import { main } from './main';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Variables `rein` reads (server/config.ts); a spawned test gave the child none of them unless named. */
const CONFIG_VARIABLE = /^(REIN_|DATABASE_URL$|PORT$|HOST$|LOG_LEVEL$)/;

/**
 * Runs `rein ARGS…` inside the test process through the same main() bin/rein.js calls: stdout and
 * stderr captured and neither a terminal (as under a pipe), the environment holding only the
 * configuration given in `env`, and the exit code read from process.exitCode. Spawning the binary
 * costs seconds of module loading per call; tests of the process boundary itself (the binary's exit
 * code, a lock held by another process, kill -9) still spawn it.
 */
export async function runRein(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout;
  const err = process.stderr;
  const writes = { out: out.write, err: err.write };
  const ttys = {
    out: Object.getOwnPropertyDescriptor(out, 'isTTY'),
    err: Object.getOwnPropertyDescriptor(err, 'isTTY'),
  };
  const exitCodeBefore = process.exitCode;
  const capture =
    (append: (text: string) => void) =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      done?.();
      return true;
    };
  for (const name of Object.keys(process.env)) if (CONFIG_VARIABLE.test(name)) vi.stubEnv(name, undefined);
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  out.write = capture((t) => (stdout += t)) as typeof out.write;
  err.write = capture((t) => (stderr += t)) as typeof err.write;
  Object.defineProperty(out, 'isTTY', { value: undefined, configurable: true, writable: true });
  Object.defineProperty(err, 'isTTY', { value: undefined, configurable: true, writable: true });
  process.exitCode = undefined;
  try {
    await main(['node', 'rein', ...args]);
    return { code: Number(process.exitCode ?? 0), stdout, stderr };
  } finally {
    out.write = writes.out;
    err.write = writes.err;
    restoreProperty(out, 'isTTY', ttys.out);
    restoreProperty(err, 'isTTY', ttys.err);
    process.exitCode = exitCodeBefore;
    vi.unstubAllEnvs();
  }
}

function restoreProperty(target: object, name: string, descriptor: PropertyDescriptor | undefined): void {
  if (descriptor) Object.defineProperty(target, name, descriptor);
  else delete (target as Record<string, unknown>)[name];
}
