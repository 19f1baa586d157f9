/** Who may act in Rein: four staff roles and the patient (portal, by magic link). */
export const ROLES = ['admin', 'prescriber', 'nurse', 'staff', 'patient'] as const;
export type Role = (typeof ROLES)[number];
/** Roles a clinic user account can hold; `patient` is reserved for portal magic links. */
export const STAFF_ROLES = ['admin', 'prescriber', 'nurse', 'staff'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
/**
 * Who may hold the clinical-lead sign-off: clinicians who may prescribe, because what it signs off
 * (session thresholds, pump settings, rescue and timing rules) is prescribing policy
 * (docs/clinical-sources/regulatory.md §4).
 */
export const CLINICAL_LEAD_ROLES = ['admin', 'prescriber'] as const satisfies readonly StaffRole[];
