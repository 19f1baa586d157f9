import { describe, expect, it } from 'vitest';
import { DEFAULT_POOL_SIZE } from '../store/open';
import { loadConfig } from './config';

describe('e-mail configuration from the environment', () => {
  it('is off unless REIN_SMTP_URL is set: nothing is sent to a default host', () => {
    expect(loadConfig({}).smtp).toBeNull();
    expect(loadConfig({ REIN_MAIL_FROM: 'clinic@example.org' }).smtp).toBeNull();
  });

  it('takes the SMTP URL and the sender together', () => {
    const config = loadConfig({
      REIN_SMTP_URL: 'smtps://mailer:secret@mail.example.org:465',
      REIN_MAIL_FROM: '"Harbour Clinic" <no-reply@example.org>',
    });
    expect(config.smtp).toEqual({
      url: 'smtps://mailer:secret@mail.example.org:465',
      from: '"Harbour Clinic" <no-reply@example.org>',
    });
  });

  it('refuses an SMTP URL without a sender, or one that is not smtp:// or smtps://, naming the variable', () => {
    expect(() => loadConfig({ REIN_SMTP_URL: 'smtp://mail.example.org' })).toThrow(
      'environment variable REIN_MAIL_FROM: is required when REIN_SMTP_URL is set',
    );
    expect(() =>
      loadConfig({ REIN_SMTP_URL: 'http://mail.example.org', REIN_MAIL_FROM: 'a@example.org' }),
    ).toThrow(/^environment variable REIN_SMTP_URL: must look like smtp:/);
  });

  it('never repeats the SMTP password in its refusal', () => {
    expect(() => loadConfig({ REIN_SMTP_URL: 'smtp://u:hunter2@host/path' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
  });

  it('takes the public address patients reach Rein at, without a trailing slash', () => {
    expect(loadConfig({ REIN_PUBLIC_URL: 'https://rein.clinic.example/' }).publicUrl).toBe(
      'https://rein.clinic.example',
    );
    expect(() => loadConfig({ REIN_PUBLIC_URL: 'rein.clinic.example' })).toThrow(/REIN_PUBLIC_URL/);
  });
});

describe('PostgreSQL pool size from the environment', () => {
  it('keeps the default unless REIN_DATABASE_POOL_SIZE is set, and takes a whole number', () => {
    expect(loadConfig({}).databasePoolSize).toBe(DEFAULT_POOL_SIZE);
    expect(loadConfig({ REIN_DATABASE_POOL_SIZE: '32' }).databasePoolSize).toBe(32);
  });

  it('refuses zero, fractions and words, naming the variable', () => {
    for (const bad of ['0', '2.5', 'many', '501']) {
      expect(() => loadConfig({ REIN_DATABASE_POOL_SIZE: bad })).toThrow(/REIN_DATABASE_POOL_SIZE/);
    }
  });
});
