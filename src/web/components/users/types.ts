import type { paths } from '../../api/schema';

type Json<T> = T extends { content: { 'application/json': infer J } } ? J : never;

export type ClinicUser = Json<paths['/api/users']['get']['responses'][200]>['items'][number];
/** The roles an account can hold (`patient` is the portal's, never an account's). */
export type StaffRole = Exclude<ClinicUser['role'], 'patient'>;

export const ROLE_OPTIONS = [
  { value: 'prescriber', label: 'Prescriber' },
  { value: 'nurse', label: 'Nurse' },
  { value: 'staff', label: 'Front desk' },
  { value: 'admin', label: 'Clinic admin' },
];

export const roleLabel = (role: string) => ROLE_OPTIONS.find((o) => o.value === role)?.label ?? role;
