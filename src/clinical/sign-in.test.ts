import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TWO_FACTOR_REQUIRED_ROLES,
  formatRecoveryCode,
  recoveryCodeSchema,
  secondFactorStep,
  securitySettingsOf,
  totpCodeSchema,
  twoFactorRequiredRolesSchema,
} from './sign-in';

describe('secondFactorStep', () => {
  const required = DEFAULT_TWO_FACTOR_REQUIRED_ROLES;

  it('asks an enrolled account for its code, whatever its role or the switch', () => {
    for (const role of ['admin', 'prescriber', 'nurse', 'staff'] as const) {
      for (const requirementOn of [true, false]) {
        expect(secondFactorStep({ role, requiredRoles: required, requirementOn, enrolled: true })).toBe(
          'code',
        );
      }
    }
  });

  it('sends a required role without an authenticator to set one up', () => {
    expect(
      secondFactorStep({ role: 'prescriber', requiredRoles: required, requirementOn: true, enrolled: false }),
    ).toBe('enrol');
    expect(
      secondFactorStep({ role: 'admin', requiredRoles: required, requirementOn: true, enrolled: false }),
    ).toBe('enrol');
  });

  it('lets a role the clinic does not require sign in with its password', () => {
    expect(
      secondFactorStep({ role: 'nurse', requiredRoles: required, requirementOn: true, enrolled: false }),
    ).toBe('none');
    expect(
      secondFactorStep({ role: 'nurse', requiredRoles: ['nurse'], requirementOn: true, enrolled: false }),
    ).toBe('enrol');
  });

  it('requires nobody to enrol when the deployment turns the requirement off', () => {
    expect(
      secondFactorStep({ role: 'admin', requiredRoles: required, requirementOn: false, enrolled: false }),
    ).toBe('none');
  });
});

describe('security settings', () => {
  it('defaults to prescribers and admins when the clinic never chose', () => {
    expect(securitySettingsOf(null).twoFactorRequiredRoles.sort()).toEqual(['admin', 'prescriber']);
    expect(securitySettingsOf([]).twoFactorRequiredRoles).toEqual([]);
  });

  it('refuses unknown and repeated roles', () => {
    expect(twoFactorRequiredRolesSchema.safeParse(['patient']).success).toBe(false);
    expect(twoFactorRequiredRolesSchema.safeParse(['admin', 'admin']).success).toBe(false);
    expect(twoFactorRequiredRolesSchema.safeParse(['nurse', 'staff']).success).toBe(true);
  });
});

describe('code formats', () => {
  it('accepts six digits with spaces people type, nothing else', () => {
    expect(totpCodeSchema.parse(' 123 456 ')).toBe('123456');
    expect(totpCodeSchema.safeParse('12345').success).toBe(false);
    expect(totpCodeSchema.safeParse('12345a').success).toBe(false);
  });

  it('reads a recovery code however it is typed back as the stored form', () => {
    const shown = formatRecoveryCode('abcde23456');
    expect(shown).toBe('abcde-23456');
    expect(recoveryCodeSchema.parse(' ABCDE 23456 ')).toBe('abcde23456');
    expect(recoveryCodeSchema.parse(shown)).toBe('abcde23456');
    expect(recoveryCodeSchema.safeParse('abcde-1234').success).toBe(false);
  });
});
