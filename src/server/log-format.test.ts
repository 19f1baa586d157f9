import { describe, expect, it } from 'vitest';
import type { Db } from '../store/open';
import { ensureFirstClinic } from '../app/bootstrap';
import { formatLogLine } from './log-format';

describe('readable log lines on a terminal', () => {
  const at = Date.parse('2026-03-02T09:15:30Z');

  it('logs a request once, when it completes, as method, path, status and time', () => {
    const incoming = JSON.stringify({ level: 30, time: at, msg: 'incoming request', req: { method: 'GET' } });
    expect(formatLogLine(incoming)).toBeNull();
    const done = JSON.stringify({
      level: 30,
      time: at,
      reqId: 'x',
      msg: 'request completed',
      req: { method: 'GET', path: '/api/clinic' },
      res: { statusCode: 200 },
      responseTime: 12.4,
    });
    expect(formatLogLine(done)).toBe('09:15:30 INFO  GET /api/clinic → 200 12 ms');
  });

  it('keeps a message with its fields and an error with its stack; passes other text through', () => {
    const warn = JSON.stringify({ level: 40, time: at, msg: 'shutting down', signal: 'SIGINT', pid: 1 });
    expect(formatLogLine(warn)).toBe('09:15:30 WARN  shutting down signal=SIGINT');
    const error = JSON.stringify({ level: 50, time: at, msg: 'failed', err: { stack: 'Error: x\n  at y' } });
    expect(formatLogLine(error)).toBe('09:15:30 ERROR failed\nError: x\n  at y');
    expect(formatLogLine('plain text')).toBe('plain text');
  });
});

describe('first-start configuration', () => {
  it('refuses an unknown REIN_CLINIC_TIME_ZONE with a message naming the variable and examples', async () => {
    // Checked before the database is touched.
    const noDb = {} as Db;
    await expect(
      ensureFirstClinic(noDb, { clinicName: 'Clinic', clinicTimeZone: 'America/Chicgo' }),
    ).rejects.toThrow(/REIN_CLINIC_TIME_ZONE "America\/Chicgo" is not an IANA time zone.*America\/Chicago/);
    await expect(ensureFirstClinic(noDb, { clinicName: 'Clinic', clinicTimeZone: '+02:00' })).rejects.toThrow(
      /REIN_CLINIC_TIME_ZONE/,
    );
  });

  it('refuses an unsupported REIN_CLINIC_LOCALE, naming the variable and the supported tags', async () => {
    const noDb = {} as Db;
    await expect(ensureFirstClinic(noDb, { clinicName: 'Clinic', clinicLocale: 'en_GB' })).rejects.toThrow(
      /REIN_CLINIC_LOCALE "en_GB" must be one of the supported locales: en-US, en-GB/,
    );
  });
});
