/**
 * Role sets of the access rules, in the one place both a use case and a route can read them. A
 * route's rule (src/server/access.ts) admits a request; a use case applies a rule to a decision
 * inside a request the route already admitted, such as changing a session's dose. Built from the
 * same sets, the two cannot disagree, and the web's capability for the decision is the route's.
 */
import type { Role } from '../clinical/vocabulary/roles';
import type { Actor } from './context';

/** Prescribing: courses, tapers and their decisions; admins keep clinical access. */
export const PRESCRIBING_ROLES = ['admin', 'prescriber'] as const satisfies readonly Role[];

/**
 * Clinical access: reading and recording what says how a patient is doing or what they take.
 * The front desk (`staff`) is not among them (minimum necessary, docs/security.md).
 */
export const CLINICAL_ROLES = ['admin', 'prescriber', 'nurse'] as const satisfies readonly Role[];

/**
 * Changing a session's dose from the course's prescribed dose is a prescribing decision: the
 * prescribing roles (shown to the web as the `courses.prescribe` capability).
 */
export const CHANGE_SESSION_DOSE: readonly Role[] = PRESCRIBING_ROLES;

/** Whether the actor holds one of the rule's roles (the CLI and system actors hold none). */
export function may(actor: Actor, rule: readonly Role[]): boolean {
  return actor.role !== null && actor.role !== 'cli' && actor.role !== 'system' && rule.includes(actor.role);
}
