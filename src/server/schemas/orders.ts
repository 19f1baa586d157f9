/**
 * Session orders and the medication administration record (MAR) in the API's shape: the signed
 * order, the standing order a course pre-fills, the rescue formulary with its cited defaults, and
 * every administration. Pure zod over the session core, so the web's forms use the same schemas.
 */
import { z } from 'zod';
import { citationSchema } from '../../clinical/protocols';
import { orderPayloadSchema, rescueOrderLineSchema } from '../../clinical/session';
import { medicationRouteSchema, orderDrugSchema, rescueDrugSchema } from '../../clinical/vocabulary/orders';

export { rescueGivenSchema, signOrderSchema, verifyDoseSchema } from '../../clinical/session';

export const orderDto = orderPayloadSchema.extend({
  eventId: z.string(),
  signedBy: z.string(),
  signedAt: z.string(),
});

export const orderDraftDto = orderPayloadSchema.omit({ maxDoseMg: true, standing: true }).extend({
  maxDoseMg: z.number().nullable(),
});

export const rescueFormularyDto = z.array(
  z.object({
    drug: rescueDrugSchema,
    indication: z.string(),
    defaultLine: rescueOrderLineSchema.nullable(),
    citation: citationSchema,
  }),
);

export const marDto = z.object({
  treatment: z
    .object({
      drug: orderDrugSchema,
      route: medicationRouteSchema,
      orderEventId: z.string().nullable(),
      plannedMg: z.number(),
      state: z.enum(['running', 'paused', 'stopped', 'complete']),
      steps: z.array(
        z.object({
          action: z.enum(['start', 'pause', 'resume', 'stop']),
          atMin: z.number(),
          at: z.string(),
          by: z.string(),
          note: z.string().nullable(),
        }),
      ),
      amountGivenMg: z.number(),
      volumeInfusedMl: z.number().nullable(),
      devicesGiven: z.number().nullable(),
      deviation: z.object({ reason: z.string(), differences: z.array(z.string()) }).nullable(),
      verifiedBy: z.string().nullable(),
    })
    .nullable(),
  rescues: z.array(
    z.object({
      eventId: z.string(),
      drug: rescueDrugSchema,
      doseMg: z.number(),
      route: medicationRouteSchema,
      atMin: z.number(),
      at: z.string(),
      by: z.string(),
      reason: z.string(),
      orderEventId: z.string(),
      deviationReason: z.string().nullable(),
    }),
  ),
});

/** The session screen's orders part. */
export const sessionOrdersDto = z.object({
  order: orderDto.nullable(),
  /** The course's standing order, to pre-fill the form (null when the session has no scheduled dose). */
  standingOrder: orderDraftDto.nullable(),
  rescueFormulary: rescueFormularyDto,
  /** Whether the clinic requires a second person to verify the drawn-up dose. */
  secondPersonVerification: z.boolean(),
  /** Who verified the current dose plan (null: not verified). */
  doseVerifiedBy: z.string().nullable(),
  mar: marDto,
});
