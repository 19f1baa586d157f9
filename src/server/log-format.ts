/**
 * Readable log lines for a person at a terminal. The server logs JSON lines (for log collectors);
 * on a terminal each becomes one short line, and a request is logged once, when it completes, so
 * the first-start banner (with the one-time admin password) stays on screen.
 */
import { Writable } from 'node:stream';

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
};

interface LogRecord {
  level?: number;
  time?: number;
  msg?: string;
  req?: { method?: string; path?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  err?: { message?: string; stack?: string };
  [key: string]: unknown;
}

const QUIET_KEYS = new Set([
  'level',
  'time',
  'pid',
  'hostname',
  'msg',
  'reqId',
  'req',
  'res',
  'responseTime',
  'err',
]);

/** One JSON log line → one readable line (or null to drop it); text that is not JSON passes through. */
export function formatLogLine(line: string): string | null {
  let record: LogRecord;
  try {
    record = JSON.parse(line) as LogRecord;
  } catch {
    return line;
  }
  // Fastify logs every request twice (received, completed); the completed line says it all.
  if (record.msg === 'incoming request') return null;
  const time = new Date(record.time ?? Date.now()).toISOString().slice(11, 19);
  const level = LEVELS[record.level ?? 30] ?? 'INFO ';
  let text: string;
  if (record.msg === 'request completed' && record.req) {
    const ms = record.responseTime === undefined ? '' : ` ${Math.round(record.responseTime)} ms`;
    text = `${record.req.method ?? ''} ${record.req.path ?? ''} → ${record.res?.statusCode ?? '?'}${ms}`;
  } else {
    const extra = Object.entries(record)
      .filter(([k]) => !QUIET_KEYS.has(k))
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
    text = [record.msg ?? '', ...extra].filter(Boolean).join(' ');
    if (record.err) text += `\n${record.err.stack ?? record.err.message ?? ''}`;
  }
  return `${time} ${level} ${text}`;
}

/** A stream for the logger that writes readable lines to `out` (the terminal). */
export function readableLogStream(out: NodeJS.WritableStream = process.stdout): Writable {
  let pending = '';
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      pending += chunk.toString();
      let newline = pending.indexOf('\n');
      while (newline !== -1) {
        const formatted = formatLogLine(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
        if (formatted !== null) out.write(`${formatted}\n`);
        newline = pending.indexOf('\n');
      }
      done();
    },
  });
}
