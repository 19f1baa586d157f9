/**
 * The self-report portal's use cases. Staff create, list and revoke a patient's expiring magic
 * links; the patient (no account) opens a link and submits instruments. Every use by the patient
 * is audited with the link as the actor, never a user; a submission is recorded through the same
 * recording use case as staff entry, so it raises the same alert and refreshes the same facts.
 */
import {
  isSuicidalityPositive,
  renderDefinition,
  type AnswersInput,
  type InstrumentDefinition,
  type InstrumentId,
} from '../clinical/instruments';
import { portalInstruments, type PortalOffer } from '../clinical/instruments/portal';
import { getSessionSettings } from './session-settings';
import { MailSendError, type Mailer } from '../interop/email/mailer';
import { portalLinkMessage } from '../interop/email/portal-link-message';
import { lockPatient } from '../store/locks';
import { getPatient } from '../store/patients';
import { getClinic } from '../store/users';
import type { Db } from '../store/open';
import {
  countRecentLinks,
  createPortalLink,
  findPortalLinkByToken,
  linkState,
  listPortalLinks,
  markPortalLinkUsed,
  PORTAL_LINKS_PER_PATIENT_PER_HOUR,
  revokePortalLink,
  type PortalLink,
  type PortalLinkState,
} from '../store/portal-links';
import type { SessionSettings } from '../clinical/session';
import { dueForPatient, recordAssessment } from './assessments';
import { inClinicAs, recordAudit, type Actor, type AuditFields, type UseCaseContext } from './context';

export { PORTAL_LINKS_PER_PATIENT_PER_HOUR };

/** A link as staff see it, with its state (active, expired, revoked) at the time of the request. */
export type PortalLinkView = PortalLink & { state: PortalLinkState };

const linkView = (link: PortalLink, now: Date): PortalLinkView => ({ ...link, state: linkState(link, now) });

/** The patient acting through a link: no user, the role `patient`, the clinic of the link. */
export function portalActor(link: PortalLink, requestId: string | null): Actor {
  return { clinicId: link.clinicId, userId: null, role: 'patient', requestId };
}

/** Audit with the portal link as the actor (never the user of any session cookie the browser holds). */
function portalAudit(ctx: UseCaseContext, link: PortalLink, entry: AuditFields): Promise<void> {
  return recordAudit(ctx, {
    ...entry,
    details: { ...entry.details, actor: 'portal_link', portalLinkId: link.id },
  });
}

export type CreatedPortalLink =
  | { ok: true; link: PortalLinkView; token: string }
  /** More than PORTAL_LINKS_PER_PATIENT_PER_HOUR links in the last hour. */
  | { ok: false; reason: 'rate-limited' };

/** Creates an expiring link for one patient (the token is returned once; only its hash is kept). */
export async function createPatientPortalLink(
  ctx: UseCaseContext,
  input: { patientId: string; expiresInHours: number },
): Promise<CreatedPortalLink> {
  const { tx, actor, now } = ctx;
  if (!actor.userId) throw new Error('createPatientPortalLink: a link is created by a staff user');
  // Links of one patient are created one at a time, each counting those before it: the cap holds.
  await lockPatient(tx, actor.clinicId, input.patientId);
  const recent = await countRecentLinks(tx, actor.clinicId, input.patientId, now);
  if (recent >= PORTAL_LINKS_PER_PATIENT_PER_HOUR) return { ok: false, reason: 'rate-limited' };
  const created = await createPortalLink(
    tx,
    actor.clinicId,
    input.patientId,
    actor.userId,
    input.expiresInHours,
    now,
  );
  await recordAudit(ctx, {
    action: 'portal_link.create',
    resourceType: 'portal_link',
    resourceId: created.link.id,
    details: { patientId: input.patientId, expiresInHours: input.expiresInHours },
  });
  return { ok: true, link: linkView(created.link, now), token: created.token };
}

export type EmailedPortalLink =
  | { ok: true; link: PortalLinkView; sentTo: string }
  | { ok: false; reason: 'rate-limited' }
  | { ok: false; reason: 'no-email' }
  /** This server has no mail server configured (REIN_SMTP_URL); the link can be given by hand. */
  | { ok: false; reason: 'not-configured' }
  /** The mail server refused the message or was not reached; the new link was revoked. */
  | { ok: false; reason: 'send-failed'; kind: MailSendError['kind'] };

/**
 * E-mails a new link to the patient's address on record. The link is created (and the creation
 * audited) through createPatientPortalLink and committed before the mail server is contacted, so no
 * database transaction or patient lock is held while SMTP answers (on the embedded database that
 * would stall every other request). If the send fails, the link is revoked at once: the token
 * existed only in memory and in the unsent message, so nothing usable is left behind.
 * The audit rows carry the link id and the address, never the token.
 */
export async function emailPatientPortalLink(
  db: Db,
  actor: Actor,
  now: Date,
  mailer: Mailer | null,
  input: { patientId: string; expiresInHours: number; urlOf: (token: string) => string },
): Promise<EmailedPortalLink> {
  const prepared = await inClinicAs(db, actor, now, async (ctx) => {
    // The patient first: another clinic's patient is not found, whatever this server can send.
    const patient = await getPatient(ctx.tx, actor.clinicId, input.patientId);
    if (mailer === null) return { ok: false as const, reason: 'not-configured' as const };
    const to = patient.email?.trim();
    if (!to) {
      await recordAudit(ctx, {
        action: 'portal_link.email',
        resourceType: 'patient',
        resourceId: input.patientId,
        outcome: 'failure',
        details: { patientId: input.patientId, reason: 'no-email' },
      });
      return { ok: false as const, reason: 'no-email' as const };
    }
    const created = await createPatientPortalLink(ctx, input);
    if (!created.ok) return created;
    const clinic = await getClinic(ctx.tx, actor.clinicId);
    const mail = portalLinkMessage({
      to,
      clinicName: clinic.name,
      clinicPhone: clinic.phone,
      url: input.urlOf(created.token),
      expiresAt: created.link.expiresAt,
      timeZone: clinic.timeZone,
    });
    return { ok: true as const, link: created.link, mail, mailer };
  });
  if (!prepared.ok) return prepared;
  const { link, mail, mailer: sender } = prepared;
  const details = { patientId: input.patientId, portalLinkId: link.id, to: mail.to };
  try {
    await sender.send(mail);
  } catch (err) {
    const kind = err instanceof MailSendError ? err.kind : 'refused';
    await inClinicAs(db, actor, now, async (ctx) => {
      await revokePatientPortalLink(ctx, { patientId: input.patientId, linkId: link.id });
      await recordAudit(ctx, {
        action: 'portal_link.email',
        resourceType: 'portal_link',
        resourceId: link.id,
        outcome: 'failure',
        details: { ...details, reason: kind },
      });
    });
    return { ok: false, reason: 'send-failed', kind };
  }
  await inClinicAs(db, actor, now, (ctx) =>
    recordAudit(ctx, {
      action: 'portal_link.email',
      resourceType: 'portal_link',
      resourceId: link.id,
      details,
    }),
  );
  return { ok: true, link, sentTo: mail.to };
}

export async function listPatientPortalLinks(
  ctx: UseCaseContext,
  patientId: string,
): Promise<PortalLinkView[]> {
  const rows = await listPortalLinks(ctx.tx, ctx.actor.clinicId, patientId);
  await recordAudit(ctx, { action: 'portal_link.list', resourceType: 'patient', resourceId: patientId });
  return rows.map((l) => linkView(l, ctx.now));
}

/** Revokes a link: it stops working at once. */
export async function revokePatientPortalLink(
  ctx: UseCaseContext,
  input: { patientId: string; linkId: string },
): Promise<PortalLinkView> {
  const { tx, actor, now } = ctx;
  if (!actor.userId) throw new Error('revokePatientPortalLink: a link is revoked by a staff user');
  const link = await revokePortalLink(tx, actor.clinicId, input.patientId, input.linkId, actor.userId, now);
  await recordAudit(ctx, {
    action: 'portal_link.revoke',
    resourceType: 'portal_link',
    resourceId: input.linkId,
    details: { patientId: input.patientId },
  });
  return linkView(link, now);
}

export type ResolvedPortalToken =
  | { kind: 'unknown' }
  | { kind: 'inactive'; link: PortalLink; state: Exclude<PortalLinkState, 'active'> }
  | { kind: 'active'; link: PortalLink; clinicName: string };

/**
 * Finds the link a token names (across clinics: the token is the credential). A known link that
 * is expired or revoked has its refused use audited in its clinic; an unknown token has no clinic.
 */
export async function resolvePortalToken(
  db: Db,
  token: string,
  now: Date,
  requestId: string | null,
): Promise<ResolvedPortalToken> {
  const found = await findPortalLinkByToken(db, token);
  if (!found) return { kind: 'unknown' };
  const state = linkState(found.link, now);
  if (state === 'active') return { kind: 'active', link: found.link, clinicName: found.clinicName };
  await inClinicAs(db, portalActor(found.link, requestId), now, (ctx) =>
    portalAudit(ctx, found.link, {
      action: 'portal.open',
      resourceType: 'portal_link',
      resourceId: found.link.id,
      outcome: 'denied',
      details: { reason: state },
    }),
  );
  return { kind: 'inactive', link: found.link, state };
}

/**
 * One form on the patient's phone: the instrument's items and options only (no severity bands: the
 * patient never sees a score or a label), narrowed to the items asked when only some are due.
 */
export interface PortalForm {
  context: PortalOffer['context'];
  definition: Omit<InstrumentDefinition, 'severityBands'>;
}

/** What the patient's phone sees on opening a link: the instruments due now, as forms. */
export async function openPortal(ctx: UseCaseContext, link: PortalLink): Promise<PortalForm[]> {
  const list = portalInstruments(await dueForPatient(ctx.tx, link.clinicId, link.patientId, ctx.now));
  await markPortalLinkUsed(ctx.tx, link, ctx.now);
  await portalAudit(ctx, link, {
    action: 'portal.open',
    resourceType: 'portal_link',
    resourceId: link.id,
    details: { patientId: link.patientId, offered: list.map((o) => o.instrument) },
  });
  return list.map((o) => {
    const { severityBands: _bands, ...definition } = renderDefinition(o.instrument);
    if (o.itemIds) definition.items = definition.items.filter((i) => o.itemIds!.includes(i.id));
    return { context: o.context, definition };
  });
}

export type PortalSubmissionResult =
  | { status: 'not-due' }
  | {
      status: 'recorded';
      /** Instruments still due after this one. */
      remaining: number;
      /** The clinic's crisis resources when the answers report suicidal thoughts, else null. */
      crisis: (SessionSettings['crisisResources'] & { clinicName: string }) | null;
    };

/**
 * Records one instrument the patient submitted, in the context the due list gives it (the phone
 * never chooses it), through the same recording use case as staff entry.
 */
export async function submitPortalResponse(
  ctx: UseCaseContext,
  input: {
    link: PortalLink;
    clinicName: string;
    submission: { instrument: InstrumentId; version: string; answers: AnswersInput };
  },
): Promise<PortalSubmissionResult> {
  const { tx, now } = ctx;
  const { link, submission } = input;
  // Submissions for one patient are recorded one at a time, each reading the due list the one
  // before it left: an instrument is stored once while it is due, and raises one alert.
  await lockPatient(tx, link.clinicId, link.patientId);
  const offered = portalInstruments(await dueForPatient(tx, link.clinicId, link.patientId, now));
  const slot = offered.find((o) => o.instrument === submission.instrument);
  if (!slot) return { status: 'not-due' };
  const rec = await recordAssessment(ctx, {
    patientId: link.patientId,
    response: {
      instrument: submission.instrument,
      version: submission.version,
      context: slot.context,
      administeredAt: now,
      answers: submission.answers,
      itemIds: slot.itemIds,
    },
    author: { kind: 'portal', portalLinkId: link.id },
  });
  await markPortalLinkUsed(tx, link, now);
  const remaining = portalInstruments(await dueForPatient(tx, link.clinicId, link.patientId, now)).length;
  if (!isSuicidalityPositive(rec.score)) return { status: 'recorded', remaining, crisis: null };
  const settings = await getSessionSettings(tx, link.clinicId);
  return {
    status: 'recorded',
    remaining,
    crisis: { clinicName: input.clinicName, ...settings.crisisResources },
  };
}
