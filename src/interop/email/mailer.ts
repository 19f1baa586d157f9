/**
 * Outgoing e-mail as the use cases see it: one message to one address. The SMTP adapter
 * (./smtp.ts) implements it; a clinic without REIN_SMTP_URL has no mailer at all, so nothing is
 * ever sent to a default host.
 */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** Resolves once the mail server accepted the message; rejects with MailSendError otherwise. */
  send(mail: OutgoingMail): Promise<void>;
}

/**
 * The mail server refused the message or could not be reached. `kind` says which, for a plain
 * message; the server's own reply is not kept, since it may echo the patient's address.
 */
export class MailSendError extends Error {
  override readonly name = 'MailSendError';
  constructor(readonly kind: 'recipient-rejected' | 'unreachable' | 'refused') {
    super(`e-mail not sent: ${kind}`);
  }
}
