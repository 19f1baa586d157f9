/**
 * The e-mail that carries a patient's self-report link. It may land in a shared inbox, so it names
 * no diagnosis, treatment, drug or score — only the clinic, the link, when it stops working and how
 * to reach the clinic. It does not name the patient either: the address is the patient's own.
 */
import { localDateOf, localMinuteOf } from '../../clinical/calendar';
import type { OutgoingMail } from './mailer';

export interface PortalLinkMessageInput {
  to: string;
  clinicName: string;
  /** The clinic's phone for patients; null when the clinic has not entered one. */
  clinicPhone: string | null;
  url: string;
  expiresAt: Date;
  /** The clinic's IANA time zone: the expiry is written in the clinic's wall-clock time. */
  timeZone: string;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "7 April 2026 at 09:00" in the clinic's time zone. */
export function expiryWords(at: Date, timeZone: string): string {
  const [y, m, d] = localDateOf(at, timeZone).split('-').map(Number) as [number, number, number];
  const minute = localMinuteOf(at, timeZone);
  const hh = String(Math.floor(minute / 60)).padStart(2, '0');
  const mm = String(minute % 60).padStart(2, '0');
  return `${d} ${MONTHS[m - 1]} ${y} at ${hh}:${mm}`;
}

export function portalLinkMessage(input: PortalLinkMessageInput): OutgoingMail {
  const phone = input.clinicPhone?.trim();
  const text = [
    'Hello,',
    '',
    `${input.clinicName} asks you to answer a few short questions before your next visit.`,
    'Open this link on your phone or computer; no account or password is needed:',
    '',
    input.url,
    '',
    `The link works until ${expiryWords(input.expiresAt, input.timeZone)} (${input.timeZone} time).`,
    'It is meant for you alone: please do not forward this e-mail.',
    '',
    phone
      ? `Questions? Call ${input.clinicName} on ${phone}.`
      : `Questions? Please contact ${input.clinicName}.`,
    'If you did not expect this e-mail, you can ignore it.',
    '',
    input.clinicName,
  ].join('\n');
  return { to: input.to, subject: `A short questionnaire from ${input.clinicName}`, text };
}
