import { z } from 'zod';

/**
 * Evidence status tags: V = checked against the primary source or label; S = secondary source only;
 * U = unverified (must stay configurable and visibly marked); C = computed; D = derived by arithmetic.
 * `clinic` marks a value that is a clinic's own operational choice, not a published fact.
 */
export const EVIDENCE_STATUSES = ['V', 'S', 'U', 'C', 'D', 'clinic'] as const;
export const evidenceStatusSchema = z.enum(EVIDENCE_STATUSES);
export type EvidenceStatus = z.infer<typeof evidenceStatusSchema>;

/** The statuses a published model or parameter can carry (no clinic choices, no arithmetic). */
export const MODEL_EVIDENCE_STATUSES = ['V', 'S', 'U', 'C'] as const;
export type ModelEvidenceStatus = (typeof MODEL_EVIDENCE_STATUSES)[number];

/** The status as a badge says it; the source behind it is shown on demand. */
export const EVIDENCE_STATUS_SHORT: Readonly<Record<EvidenceStatus, string>> = {
  V: 'Verified',
  S: 'Secondary source',
  U: 'Unverified',
  C: 'Computed',
  D: 'Derived',
  clinic: 'Clinic setting',
};

export const EVIDENCE_STATUS_LABELS: Readonly<Record<EvidenceStatus, string>> = {
  V: 'verified against the primary source',
  S: 'secondary source only',
  U: 'unverified',
  C: 'computed',
  D: 'derived by arithmetic',
  clinic: "the clinic's own choice",
};
