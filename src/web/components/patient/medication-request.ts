import type { paths } from '../../api/schema';
import { compact, optionalNumber, optionalText, type NumberField } from '../../forms';

export type MedicationBody = NonNullable<
  paths['/api/patients/{patientId}/medications']['post']['requestBody']
>['content']['application/json'];

export type MedicationValues = {
  name: string;
  dose: NumberField;
  doseUnit: string;
  frequency: string;
  classTags: string[];
  startDate: string;
  rxnormCode: string;
};

export const MEDICATION_EMPTY: MedicationValues = {
  name: '',
  dose: '',
  doseUnit: 'mg',
  frequency: '',
  classTags: [],
  startDate: '',
  rxnormCode: '',
};

/**
 * The medication as the API takes it: blank optional fields are null (not recorded), and the
 * confirmation of a dose above the labelled maximum is sent only once the clinician gave it.
 */
export function medicationRequest(v: MedicationValues, confirmAboveMaximum = false): MedicationBody {
  return {
    name: v.name,
    dose: optionalNumber(v.dose) ?? null,
    doseUnit: optionalText(v.doseUnit) ?? null,
    frequency: optionalText(v.frequency) ?? null,
    classTags: v.classTags as MedicationBody['classTags'],
    startDate: optionalText(v.startDate) ?? null,
    rxnormCode: optionalText(v.rxnormCode) ?? null,
    ...compact({ confirmAboveMaximum: confirmAboveMaximum || undefined }),
  };
}
