/**
 * The self-report portal.
 *
 * Staff side (logged in): create an expiring magic link for ONE patient (shown once as a URL and a
 * QR code; only the token's SHA-256 is stored), list and revoke links.
 *
 * Patient side (NO account): `/api/portal/:token` routes are PUBLIC in the access table because the
 * token in the path is the credential, like a session cookie. They are marked `portalToken: true`
 * and are the only public routes that touch patient data. The rule they enforce themselves:
 *   - the token must hash to a link that is neither expired nor revoked (else 410 with no data, or
 *     404 for an unknown token);
 *   - everything is scoped to that link's clinic and patient: the phone never sends a patient id,
 *     so a link cannot reach another patient;
 *   - the patient sees only due self-report instruments and a thank-you, never a score or risk label;
 *     answers that report suicidal thoughts also bring the clinic's crisis resources at once;
 *   - every use (open, submit, refused) is audited with the link as actor;
 *   - requests are rate-limited per client.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import QRCode from 'qrcode';
import { z } from 'zod';
import { inClinicAs } from '../../app/context';
import { oncePerKey } from '../../app/idempotency';
import { ConflictError } from '../../app/errors';
import {
  createPatientPortalLink,
  emailPatientPortalLink,
  listPatientPortalLinks,
  openPortal,
  portalActor,
  PORTAL_LINKS_PER_PATIENT_PER_HOUR,
  resolvePortalToken,
  revokePatientPortalLink,
  submitPortalResponse,
  type PortalLinkView,
} from '../../app/portal';
import { PATIENT_READ, PATIENT_WRITE, PUBLIC } from '../access';
import { actorOf } from '../context';
import { errorResponse, errorResponses } from '../dto';
import { HttpError } from '../http-errors';
import { idempotencyKeyHeaders } from '../schemas/common';
import {
  createdPortalLinkDto,
  emailedPortalLinkDto,
  linkParams,
  patientParams,
  portalLinkCreateSchema,
  portalLinkDto,
  portalPageDto,
  portalReceiptDto,
  portalSubmissionSchema,
  tokenParams,
} from '../schemas/portal';

export { portalLinkDto } from '../schemas/portal';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Marks the public routes that authenticate by a portal magic-link token in the path. */
    portalToken?: boolean;
  }
}

const toLinkDto = (l: PortalLinkView): z.infer<typeof portalLinkDto> => ({
  id: l.id,
  patientId: l.patientId,
  createdBy: l.createdBy,
  createdAt: l.createdAt.toISOString(),
  expiresAt: l.expiresAt.toISOString(),
  revokedAt: l.revokedAt?.toISOString() ?? null,
  lastUsedAt: l.lastUsedAt?.toISOString() ?? null,
  useCount: l.useCount,
  state: l.state,
});

/** Why an e-mail did not go, in words for the member of staff who pressed the button. */
const SEND_FAILED: Record<'recipient-rejected' | 'unreachable' | 'refused', string> = {
  'recipient-rejected':
    "The clinic's mail server refused the patient's e-mail address. Check the address in the patient's details, or give the patient the link by hand.",
  unreachable:
    "The clinic's mail server could not be reached, so the e-mail was not sent. Try again later, or give the patient the link by hand.",
  refused:
    "The clinic's mail server did not accept the e-mail, so it was not sent. Try again later, or give the patient the link by hand.",
};

const rateLimited = () =>
  new HttpError(
    429,
    'rate_limited',
    `At most ${PORTAL_LINKS_PER_PATIENT_PER_HOUR} links per patient per hour; use or revoke an existing link.`,
  );

const portalErrors = { 404: errorResponse, 410: errorResponse, 429: errorResponse, 400: errorResponse };

export interface PortalOptions {
  /** Requests per client per minute on the public portal routes. */
  rateLimitPerMinute: number;
}

export async function portalRoutes(fastify: FastifyInstance, opts: PortalOptions): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const db = () => app.store.db;
  const portalRateLimit = { max: opts.rateLimitPerMinute, timeWindow: 60_000 };

  /** The link patients open: REIN_PUBLIC_URL when set, else the origin staff reached Rein at. */
  const portalUrl = (request: FastifyRequest, token: string) =>
    `${app.publicUrl ?? `${request.protocol}://${request.host}`}/portal/${token}`;

  /** Resolves the token or answers 404/410 (audited when the link is known) — never any data. */
  async function resolve(request: FastifyRequest, reply: FastifyReply, token: string) {
    const found = await resolvePortalToken(db(), token, app.now(), request.id);
    if (found.kind === 'unknown') {
      request.log.info({ portal: 'unknown-token' }, 'portal: unknown link');
      await reply.status(404).send({
        error: {
          code: 'link_not_found',
          message: 'This link is not valid. Please ask your clinic for a new one.',
        },
        requestId: request.id,
      });
      return null;
    }
    if (found.kind === 'inactive') {
      await reply.status(410).send({
        error: {
          code: found.state === 'revoked' ? 'link_revoked' : 'link_expired',
          message:
            found.state === 'revoked'
              ? 'This link has been withdrawn by your clinic. Please ask your clinic for a new one.'
              : 'This link has expired. Please ask your clinic for a new one.',
        },
        requestId: request.id,
      });
      return null;
    }
    return found;
  }

  app.post(
    '/api/patients/:patientId/portal-links',
    {
      config: { access: PATIENT_WRITE, rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        tags: ['portal'],
        summary: `Create an expiring self-report link for one patient (default 72 h; at most ${PORTAL_LINKS_PER_PATIENT_PER_HOUR} per patient per hour)`,
        params: patientParams,
        body: portalLinkCreateSchema,
        response: { 201: createdPortalLinkDto, ...errorResponses, 429: errorResponse },
      },
    },
    async (request, reply) => {
      const created = await inClinicAs(db(), actorOf(request), app.now(), (ctx) =>
        createPatientPortalLink(ctx, { ...request.params, ...request.body }),
      );
      if (!created.ok) throw rateLimited();
      const url = portalUrl(request, created.token);
      const svg = await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
      return reply.status(201).send({
        link: toLinkDto(created.link),
        url,
        qrCodeDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
      });
    },
  );

  app.post(
    '/api/patients/:patientId/portal-links/email',
    {
      config: { access: PATIENT_WRITE, rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        tags: ['portal'],
        summary:
          "E-mail a new expiring self-report link to the patient's address on record (the link is revoked if the mail server does not take the message)",
        params: patientParams,
        body: portalLinkCreateSchema,
        response: {
          201: emailedPortalLinkDto,
          ...errorResponses,
          429: errorResponse,
          502: errorResponse,
        },
      },
    },
    async (request, reply) => {
      const sent = await emailPatientPortalLink(db(), actorOf(request), app.now(), app.mailer ?? null, {
        ...request.params,
        ...request.body,
        urlOf: (token) => portalUrl(request, token),
      });
      if (!sent.ok) {
        if (sent.reason === 'rate-limited') throw rateLimited();
        if (sent.reason === 'not-configured') {
          // A state of this server, not a fault: 409, so the front desk knows to hand the link over.
          throw new HttpError(
            409,
            'email_not_configured',
            'E-mail is not set up for this clinic, so the link cannot be e-mailed. Create the link and give it to the patient by hand (copy it or let them scan the code).',
          );
        }
        if (sent.reason === 'no-email') {
          throw new ConflictError(
            'email',
            "This patient has no e-mail address on record. Add one in the patient's details, or create the link and give it to the patient by hand.",
          );
        }
        throw new HttpError(502, 'email_not_sent', SEND_FAILED[sent.kind]);
      }
      return reply.status(201).send({ link: toLinkDto(sent.link), sentTo: sent.sentTo });
    },
  );

  app.get(
    '/api/patients/:patientId/portal-links',
    {
      config: { access: PATIENT_READ },
      schema: {
        tags: ['portal'],
        summary: "A patient's portal links (newest first; tokens are never shown again)",
        params: patientParams,
        response: { 200: z.object({ items: z.array(portalLinkDto) }), ...errorResponses },
      },
    },
    async (request) => {
      const rows = await inClinicAs(db(), actorOf(request), app.now(), (ctx) =>
        listPatientPortalLinks(ctx, request.params.patientId),
      );
      return { items: rows.map(toLinkDto) };
    },
  );

  app.post(
    '/api/patients/:patientId/portal-links/:linkId/revoke',
    {
      config: { access: PATIENT_WRITE },
      schema: {
        tags: ['portal'],
        summary: 'Revoke a portal link (it stops working at once)',
        params: linkParams,
        response: { 200: portalLinkDto, ...errorResponses },
      },
    },
    async (request) => {
      const link = await inClinicAs(db(), actorOf(request), app.now(), (ctx) =>
        revokePatientPortalLink(ctx, request.params),
      );
      return toLinkDto(link);
    },
  );

  // ---- Public, token-authenticated patient routes (see the header comment) ----

  app.get(
    '/api/portal/:token',
    {
      config: { access: PUBLIC, portalToken: true, rateLimit: portalRateLimit },
      schema: {
        tags: ['portal'],
        summary: 'Patient portal: the self-report instruments due now (no scores, no risk labels)',
        params: tokenParams,
        response: { 200: portalPageDto, ...portalErrors },
      },
    },
    async (request, reply) => {
      const found = await resolve(request, reply, request.params.token);
      if (!found) return reply;
      const { link, clinicName } = found;
      const forms = await inClinicAs(db(), portalActor(link, request.id), app.now(), (ctx) =>
        openPortal(ctx, link),
      );
      return { clinicName, expiresAt: link.expiresAt.toISOString(), instruments: forms };
    },
  );

  app.post(
    '/api/portal/:token/responses',
    {
      config: { access: PUBLIC, portalToken: true, rateLimit: portalRateLimit },
      schema: {
        tags: ['portal'],
        summary: 'Patient portal: submit one completed instrument; answers with a thank-you only',
        params: tokenParams,
        headers: idempotencyKeyHeaders,
        body: portalSubmissionSchema,
        response: { 201: portalReceiptDto, ...portalErrors, 409: errorResponse },
      },
    },
    async (request, reply) => {
      const found = await resolve(request, reply, request.params.token);
      if (!found) return reply;
      const { link, clinicName } = found;
      const out = await inClinicAs(db(), portalActor(link, request.id), app.now(), (ctx) =>
        oncePerKey(
          ctx,
          {
            key: request.headers['idempotency-key'],
            actor: `portal-link:${link.id}`,
            operation: 'portal.submit',
            request: request.body,
          },
          () => submitPortalResponse(ctx, { link, clinicName, submission: request.body }),
          {
            action: 'portal.replay',
            resourceType: 'portal_link',
            resourceId: link.id,
            details: { actor: 'portal_link', portalLinkId: link.id, patientId: link.patientId },
          },
        ),
      );
      if (out.status === 'not-due') {
        throw new HttpError(
          409,
          'not_due',
          'This questionnaire is not due now. Thank you — nothing more is needed.',
        );
      }
      return reply
        .status(201)
        .send({ received: true as const, remaining: out.remaining, crisis: out.crisis });
    },
  );
}
