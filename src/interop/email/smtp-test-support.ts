/**
 * A real SMTP server on an ephemeral local port for tests (smtp-server, parsed with mailparser):
 * it keeps every message it accepts, requires the credentials it was given, and refuses the
 * recipients a test names, as a mail server refuses an unknown mailbox.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** RCPT TO addresses of the envelope. */
  rcptTo: string[];
  /** MAIL FROM address of the envelope. */
  mailFrom: string;
  parsed: ParsedMail;
}

export interface TestSmtpServer {
  /** smtp://user:password@127.0.0.1:port — percent-encoded credentials, as REIN_SMTP_URL takes them. */
  url: string;
  received: ReceivedMail[];
  /** Recipients the server refuses with 550 at RCPT TO. */
  rejectRecipients: Set<string>;
  /** Resolves with the next message accepted (or one already accepted for `to`). */
  waitFor(to: string): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export async function startTestSmtpServer(
  credentials = { user: 'rein-mailer', password: 'p@ss/word: e2e' },
): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const rejectRecipients = new Set<string>();
  const waiters: Array<{ to: string; resolve: (m: ReceivedMail) => void }> = [];
  const server = new SMTPServer({
    // Plain local connection: no certificate to trust, so no STARTTLS; AUTH without TLS is allowed here.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === credentials.user && auth.password === credentials.password) {
        callback(null, { user: auth.username });
      } else {
        callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      }
    },
    onRcptTo(address, _session, callback) {
      if (rejectRecipients.has(address.address.toLowerCase())) {
        callback(Object.assign(new Error('No such mailbox here'), { responseCode: 550 }));
      } else {
        callback();
      }
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          const mail: ReceivedMail = {
            rcptTo: session.envelope.rcptTo.map((a) => a.address),
            mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            parsed,
          };
          received.push(mail);
          for (const w of waiters.splice(0)) {
            if (mail.rcptTo.includes(w.to)) w.resolve(mail);
            else waiters.push(w);
          }
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const { port } = server.server.address() as AddressInfo;
  const enc = encodeURIComponent;
  return {
    url: `smtp://${enc(credentials.user)}:${enc(credentials.password)}@127.0.0.1:${port}`,
    received,
    rejectRecipients,
    waitFor: (to) => {
      const already = received.find((m) => m.rcptTo.includes(to));
      if (already) return Promise.resolve(already);
      return new Promise((resolve) => waiters.push({ to, resolve }));
    },
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
