/**
 * The SMTP adapter over nodemailer. Settings come from the environment only (REIN_SMTP_URL,
 * REIN_MAIL_FROM; validated in src/server/config.ts). Timeouts are short because a member of staff
 * waits for the answer at the front desk; nodemailer's defaults (minutes) would hang the request.
 */
import { createTransport } from 'nodemailer';
import type { SMTPConnectionOptions } from 'nodemailer';
import { MailSendError, type Mailer, type OutgoingMail } from './mailer';

export interface SmtpSettings {
  /** smtp://[user:password@]host[:port] (STARTTLS when offered) or smtps:// (TLS from the start). */
  url: string;
  /** The sender, e.g. `"Clinic" <noreply@clinic.example>`. */
  from: string;
}

const TIMEOUT_MS = 15_000;

/** What went wrong, without the server's reply text (it may echo the recipient's address). */
function kindOf(err: unknown): MailSendError['kind'] {
  const e = err as { code?: string; command?: string; responseCode?: number };
  if (e.code === 'EENVELOPE' || e.command === 'RCPT TO') return 'recipient-rejected';
  if (
    e.code === 'ECONNECTION' ||
    e.code === 'ETIMEDOUT' ||
    e.code === 'ESOCKET' ||
    e.code === 'EDNS' ||
    e.code === 'ETLS'
  ) {
    return 'unreachable';
  }
  return 'refused';
}

/** The transport's options from the URL: host, port, TLS mode, credentials (percent-decoded). */
export function smtpOptionsOf(
  url: string,
): SMTPConnectionOptions & { auth?: { user: string; pass: string } } {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  if (!secure && u.protocol !== 'smtp:') throw new Error('the SMTP URL must start with smtp:// or smtps://');
  if (!u.hostname) throw new Error('the SMTP URL names no host');
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    ...(u.username
      ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } }
      : {}),
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
  };
}

export function smtpMailer(settings: SmtpSettings): Mailer {
  const transport = createTransport(smtpOptionsOf(settings.url), { from: settings.from });
  return {
    async send(mail: OutgoingMail): Promise<void> {
      try {
        await transport.sendMail(mail);
      } catch (err) {
        throw new MailSendError(kindOf(err));
      }
    },
  };
}
