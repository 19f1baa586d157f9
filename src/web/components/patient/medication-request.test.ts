import { describe, expect, it } from 'vitest';
import { medicationCreateSchema, patientCreateSchema } from '../../contracts';
import { validateWith } from '../../forms';
import { emptyPatient, toPatientBody, type PatientFields } from '../PatientForm';
import { MEDICATION_EMPTY, medicationRequest } from './medication-request';

describe('medication form → request', () => {
  it('sends blanks as null and the above-maximum confirmation only when given', () => {
    const body = medicationRequest({
      ...MEDICATION_EMPTY,
      name: 'Lorazepam',
      dose: 1,
      frequency: ' twice daily ',
    });
    expect(body).toEqual({
      name: 'Lorazepam',
      dose: 1,
      doseUnit: 'mg',
      frequency: 'twice daily',
      classTags: [],
      startDate: null,
      rxnormCode: null,
    });
    expect(medicationCreateSchema.safeParse(body).success).toBe(true);
    expect(medicationRequest({ ...MEDICATION_EMPTY, name: 'X' }, true).confirmAboveMaximum).toBe(true);
  });

  it('is refused, field by field, where the server would refuse it', () => {
    const validate = validateWith(medicationCreateSchema, medicationRequest);
    const errors = validate({ ...MEDICATION_EMPTY, name: ' ', dose: -1, rxnormCode: 'abc' });
    expect(Object.keys(errors).sort()).toEqual(['dose', 'name', 'rxnormCode']);
  });
});

describe('patient form → request', () => {
  const juniper: PatientFields = {
    ...emptyPatient,
    mrn: 'E2E-0001',
    givenName: 'Juniper',
    familyName: 'Okonkwo-Test',
    dateOfBirth: '1984-03-09',
    sexAtBirth: 'female',
    pronouns: ' ',
  };
  it('turns blank optional fields into null and passes the server schema', () => {
    const body = toPatientBody(juniper);
    expect(body.pronouns).toBeNull();
    expect(body.email).toBeNull();
    expect(patientCreateSchema.safeParse(body).success).toBe(true);
  });
  it('marks the missing required fields by name', () => {
    const errors = validateWith(patientCreateSchema, toPatientBody)(emptyPatient);
    expect(Object.keys(errors).sort()).toEqual([
      'dateOfBirth',
      'familyName',
      'givenName',
      'mrn',
      'sexAtBirth',
    ]);
  });
});
