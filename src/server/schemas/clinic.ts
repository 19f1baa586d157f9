/** Request and response contracts of the clinic routes and of creating a clinic. */
import { z } from 'zod';
import { isTimeZone } from '../../clinical/calendar';

/** A new clinic: its name and the IANA time zone its dates are kept in. */
export const clinicCreateSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters'),
  timeZone: z
    .string()
    .refine((tz) => isTimeZone(tz), 'must be an IANA time zone such as Europe/London')
    .default('UTC'),
});
export type ClinicCreate = z.infer<typeof clinicCreateSchema>;

export const clinicOverviewResponse = z.object({
  clinic: z.object({ id: z.uuid(), name: z.string(), timeZone: z.string() }),
  patientCount: z.int(),
  /** True for an admin while the clinic has no patients: the start page offers the demo. */
  canLoadDemo: z.boolean(),
});

export const demoSummaryResponse = z.object({
  patients: z.int(),
  bodyMeasurements: z.int(),
  medications: z.int(),
  staff: z.int(),
  courses: z.int(),
  sessions: z.int(),
  sessionEvents: z.int(),
  assessments: z.int(),
  itemAnswers: z.int(),
  alerts: z.int(),
  outcomeFacts: z.int(),
});
