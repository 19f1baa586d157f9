import type { Role } from '../store/schema';

/**
 * Every route states who may call it. `public` routes need no login; `authenticated`
 * routes admit any logged-in staff member; otherwise the list of roles. One hook enforces it.
 */
export type Access =
  | { kind: 'public' }
  | { kind: 'authenticated'; allowPasswordChangePending?: boolean }
  | { kind: 'roles'; roles: readonly Role[] };

export const PUBLIC: Access = { kind: 'public' };
export const ANY_STAFF: Access = { kind: 'authenticated' };
export const roles = (...allowed: Role[]): Access => ({ kind: 'roles', roles: allowed });

/** Who may touch patient records: all clinical and front-desk staff. */
export const PATIENT_READ = roles('admin', 'prescriber', 'nurse', 'staff');
export const PATIENT_WRITE = roles('admin', 'prescriber', 'nurse', 'staff');
/** Clinical observations: clinicians (front desk may read them with the chart). */
export const CLINICAL_WRITE = roles('admin', 'prescriber', 'nurse');
export const ADMIN_ONLY = roles('admin');

export function isAllowed(access: Access, role: Role | null): boolean {
  switch (access.kind) {
    case 'public':
      return true;
    case 'authenticated':
      return role !== null && role !== 'patient';
    case 'roles':
      return role !== null && access.roles.includes(role);
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}
