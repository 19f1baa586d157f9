/** Response contracts of the clinic routes. */
import { z } from 'zod';

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
