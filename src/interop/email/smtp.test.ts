import { describe, expect, it } from 'vitest';
import { smtpOptionsOf } from './smtp';

describe('SMTP settings from REIN_SMTP_URL', () => {
  it('smtp:// is a plain connection (STARTTLS when offered) on 587 unless a port is given', () => {
    expect(smtpOptionsOf('smtp://mail.example.org')).toMatchObject({
      host: 'mail.example.org',
      port: 587,
      secure: false,
    });
    expect(smtpOptionsOf('smtp://mail.example.org:2525').port).toBe(2525);
    expect(smtpOptionsOf('smtp://mail.example.org').auth).toBeUndefined();
  });

  it('smtps:// is TLS from the start on 465; credentials are percent-decoded', () => {
    expect(smtpOptionsOf('smtps://clinic%40example.org:p%40ss%2Fword@mail.example.org')).toMatchObject({
      host: 'mail.example.org',
      port: 465,
      secure: true,
      auth: { user: 'clinic@example.org', pass: 'p@ss/word' },
    });
  });

  it('waits seconds, not minutes, for a mail server that does not answer', () => {
    const o = smtpOptionsOf('smtp://mail.example.org');
    for (const t of [o.connectionTimeout, o.greetingTimeout, o.socketTimeout]) {
      expect(t).toBeLessThanOrEqual(30_000);
    }
  });

  it('refuses any other scheme', () => {
    expect(() => smtpOptionsOf('http://mail.example.org')).toThrow(/smtp:\/\/ or smtps:\/\//);
  });
});
