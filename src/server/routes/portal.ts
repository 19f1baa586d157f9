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
import {
  getInstrument,
  instrumentDefinitionSchema,
  isSuicidalityPositive,
  renderDefinition,
  type DueAssessment,
  type InstrumentId,
} from '../../clinical/instruments';
import { appendAudit } from '../../store/audit';
import { dueForPatient, recordAssessment } from '../../store/assessments';
import { getSessionSettings } from '../../store/courses';
import { portalLinkCreateSchema, portalSubmissionSchema } from '../../store/inputs-measurement';
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
} from '../../store/portal-links';
import type { AssessmentContextValue } from '../../store/schema-measurement';
import { inClinic, type Tx } from '../../store/tx';
import { PATIENT_READ, PATIENT_WRITE, PUBLIC } from '../access';
import { audit, caller } from '../context';
import { errorResponse, errorResponses } from '../dto';
import { HttpError } from '../http-errors';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Marks the public routes that authenticate by a portal magic-link token in the path. */
    portalToken?: boolean;
  }
}

const patientParams = z.object({ patientId: z.uuid({ error: 'must be a patient id (UUID)' }) });
const linkParams = patientParams.extend({ linkId: z.uuid({ error: 'must be a link id (UUID)' }) });
const tokenParams = z.object({ token: z.string().min(1).max(200) });
const crisisDto = z.object({
  clinicName: z.string(),
  /** '' when the clinic has not entered a phone for patients. */
  clinicPhone: z.string(),
  crisisLineName: z.string(),
  crisisLinePhone: z.string(),
  crisisLineText: z.string(),
  crisisLineUrl: z.string(),
  emergencyNumber: z.string(),
});

export const portalLinkDto = z.object({
  id: z.uuid(),
  patientId: z.uuid(),
  createdBy: z.uuid(),
  createdAt: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  useCount: z.int(),
  state: z.enum(['active', 'expired', 'revoked']),
});
const toLinkDto = (l: PortalLink, now: Date): z.infer<typeof portalLinkDto> => ({
  id: l.id,
  patientId: l.patientId,
  createdBy: l.createdBy,
  createdAt: l.createdAt.toISOString(),
  expiresAt: l.expiresAt.toISOString(),
  revokedAt: l.revokedAt?.toISOString() ?? null,
  lastUsedAt: l.lastUsedAt?.toISOString() ?? null,
  useCount: l.useCount,
  state: linkState(l, now),
});

const portalErrors = { 404: errorResponse, 410: errorResponse, 429: errorResponse, 400: errorResponse };

/** Due self-report instruments the portal offers: due now, or baseline still missing. One per instrument. */
export interface PortalOffer {
  instrument: InstrumentId;
  context: AssessmentContextValue;
  /** Only these items (PHQ-9 item 9 alone at +4 h / +24 h); omitted = the whole instrument. */
  itemIds?: string[];
}

export function portalInstruments(due: DueAssessment[]): PortalOffer[] {
  const out: PortalOffer[] = [];
  for (const d of due) {
    const open = d.status === 'due' || (d.status === 'overdue' && d.context === 'baseline');
    if (!open) continue;
    const req = d.anyOf.find((r) => getInstrument(r.instrument).rater === 'patient');
    if (!req || out.some((o) => o.instrument === req.instrument)) continue;
    out.push({
      instrument: req.instrument,
      context: d.context,
      ...(req.itemIds ? { itemIds: [...req.itemIds] } : {}),
    });
  }
  return out;
}

export interface PortalOptions {
  /** Requests per client per minute on the public portal routes. */
  rateLimitPerMinute: number;
}

export async function portalRoutes(fastify: FastifyInstance, opts: PortalOptions): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const db = () => app.store.db;
  const portalRateLimit = { max: opts.rateLimitPerMinute, timeWindow: 60_000 };

  /** Resolves the token or answers 404/410 (audited when the link is known) — never any data. */
  async function resolve(request: FastifyRequest, reply: FastifyReply, token: string) {
    const found = await findPortalLinkByToken(db(), token);
    if (!found) {
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
    const state = linkState(found.link, app.now());
    if (state !== 'active') {
      await inClinic(db(), found.link.clinicId, (tx) =>
        portalAudit(tx, request, found.link, {
          action: 'portal.open',
          resourceType: 'portal_link',
          resourceId: found.link.id,
          outcome: 'denied',
          details: { reason: state },
        }),
      );
      await reply.status(410).send({
        error: {
          code: state === 'revoked' ? 'link_revoked' : 'link_expired',
          message:
            state === 'revoked'
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
        response: {
          201: z.object({ link: portalLinkDto, url: z.string(), qrCodeDataUrl: z.string() }),
          ...errorResponses,
          429: errorResponse,
        },
      },
    },
    async (request, reply) => {
      const me = caller(request);
      const { patientId } = request.params;
      const now = app.now();
      const { link, token } = await inClinic(db(), me.clinicId, async (tx) => {
        const recent = await countRecentLinks(tx, me.clinicId, patientId, now);
        if (recent >= PORTAL_LINKS_PER_PATIENT_PER_HOUR) {
          throw new HttpError(
            429,
            'rate_limited',
            `At most ${PORTAL_LINKS_PER_PATIENT_PER_HOUR} links per patient per hour; use or revoke an existing link.`,
          );
        }
        const created = await createPortalLink(
          tx,
          me.clinicId,
          patientId,
          me.userId,
          request.body.expiresInHours,
          now,
        );
        await audit(tx, request, {
          action: 'portal_link.create',
          resourceType: 'portal_link',
          resourceId: created.link.id,
          details: { patientId, expiresInHours: request.body.expiresInHours },
        });
        return created;
      });
      const url = `${request.protocol}://${request.host}/portal/${token}`;
      const svg = await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
      return reply.status(201).send({
        link: toLinkDto(link, now),
        url,
        qrCodeDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
      });
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
      const me = caller(request);
      const { patientId } = request.params;
      const now = app.now();
      return inClinic(db(), me.clinicId, async (tx) => {
        const rows = await listPortalLinks(tx, me.clinicId, patientId);
        await audit(tx, request, {
          action: 'portal_link.list',
          resourceType: 'patient',
          resourceId: patientId,
        });
        return { items: rows.map((l) => toLinkDto(l, now)) };
      });
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
      const me = caller(request);
      const { patientId, linkId } = request.params;
      const now = app.now();
      return inClinic(db(), me.clinicId, async (tx) => {
        const link = await revokePortalLink(tx, me.clinicId, patientId, linkId, me.userId, now);
        await audit(tx, request, {
          action: 'portal_link.revoke',
          resourceType: 'portal_link',
          resourceId: linkId,
          details: { patientId },
        });
        return toLinkDto(link, now);
      });
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
        response: {
          200: z.object({
            clinicName: z.string(),
            expiresAt: z.string(),
            instruments: z.array(z.object({ context: z.string(), definition: instrumentDefinitionSchema })),
          }),
          ...portalErrors,
        },
      },
    },
    async (request, reply) => {
      const found = await resolve(request, reply, request.params.token);
      if (!found) return reply;
      const { link, clinicName } = found;
      const now = app.now();
      const offered = await inClinic(db(), link.clinicId, async (tx) => {
        const list = portalInstruments(await dueForPatient(tx, link.clinicId, link.patientId, now));
        await markPortalLinkUsed(tx, link, now);
        await portalAudit(tx, request, link, {
          action: 'portal.open',
          resourceType: 'portal_link',
          resourceId: link.id,
          details: { patientId: link.patientId, offered: list.map((o) => o.instrument) },
        });
        return list;
      });
      return {
        clinicName,
        expiresAt: link.expiresAt.toISOString(),
        instruments: offered.map((o) => {
          // Forms need items and options only: no severity bands on the patient's screen.
          const { severityBands: _bands, ...definition } = renderDefinition(o.instrument);
          if (o.itemIds) definition.items = definition.items.filter((i) => o.itemIds!.includes(i.id));
          return { context: o.context, definition };
        }),
      };
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
        body: portalSubmissionSchema,
        response: {
          201: z.object({
            received: z.literal(true),
            remaining: z.int(),
            /**
             * Present when the answers report suicidal thoughts (PHQ-9 item 9 above 0, any C-SSRS
             * item yes): the clinic's crisis resources, shown to the patient at once.
             */
            crisis: crisisDto.nullable(),
          }),
          ...portalErrors,
        },
      },
    },
    async (request, reply) => {
      const found = await resolve(request, reply, request.params.token);
      if (!found) return reply;
      const { link } = found;
      const now = app.now();
      const body = request.body;
      const { remaining, crisis } = await inClinic(db(), link.clinicId, async (tx) => {
        const offered = portalInstruments(await dueForPatient(tx, link.clinicId, link.patientId, now));
        const slot = offered.find((o) => o.instrument === body.instrument);
        if (!slot) {
          throw new HttpError(
            409,
            'not_due',
            'This questionnaire is not due now. Thank you — nothing more is needed.',
          );
        }
        const rec = await recordAssessment(
          tx,
          link.clinicId,
          link.patientId,
          {
            instrument: body.instrument,
            version: body.version,
            context: slot.context,
            administeredAt: now,
            answers: body.answers,
            itemIds: slot.itemIds,
          },
          { kind: 'portal', portalLinkId: link.id },
          now,
        );
        await markPortalLinkUsed(tx, link, now);
        await portalAudit(tx, request, link, {
          action: 'assessment.create',
          resourceType: 'assessment_response',
          resourceId: rec.response.id,
          details: { patientId: link.patientId, instrument: body.instrument, context: slot.context },
        });
        if (rec.alert) {
          await portalAudit(tx, request, link, {
            action: 'alert.create',
            resourceType: 'alert',
            resourceId: rec.alert.id,
            details: { patientId: link.patientId, responseId: rec.response.id, kind: rec.alert.kind },
          });
        }
        const left = portalInstruments(await dueForPatient(tx, link.clinicId, link.patientId, now)).length;
        if (!isSuicidalityPositive(rec.score)) return { remaining: left, crisis: null };
        const settings = await getSessionSettings(tx, link.clinicId);
        return {
          remaining: left,
          crisis: { clinicName: found.clinicName, ...settings.crisisResources },
        };
      });
      return reply.status(201).send({ received: true as const, remaining, crisis });
    },
  );
}

/** Audit with the portal link as the actor (never the user of any session cookie the browser holds). */
function portalAudit(
  tx: Tx,
  request: FastifyRequest,
  link: PortalLink,
  entry: {
    action: string;
    resourceType: string;
    resourceId: string;
    outcome?: 'success' | 'denied';
    details: Record<string, unknown>;
  },
): Promise<void> {
  return appendAudit(tx, {
    clinicId: link.clinicId,
    userId: null,
    actorRole: 'patient',
    requestId: request.id,
    action: entry.action,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId,
    outcome: entry.outcome ?? 'success',
    details: { ...entry.details, actor: 'portal_link', portalLinkId: link.id },
  });
}
