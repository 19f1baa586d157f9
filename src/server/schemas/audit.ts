/** Request and response contracts of the audit-log routes. */
import { z } from 'zod';

export const auditVerification = z.object({
  clinicId: z.uuid(),
  ok: z.boolean(),
  checked: z.int(),
  unchained: z.int(),
  unsealed: z.int(),
  oldestUnsealedAt: z.string().nullable(),
  problem: z
    .object({
      kind: z.enum(['edited', 'inserted', 'deleted']),
      seq: z.int(),
      eventId: z.string().nullable(),
      message: z.string(),
    })
    .nullable(),
});

export const auditExportQuery = z.object({
  from: z.iso.date({ error: 'must be a date written YYYY-MM-DD' }).optional(),
  to: z.iso.date({ error: 'must be a date written YYYY-MM-DD' }).optional(),
});
