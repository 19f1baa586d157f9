import { api, call } from '../../api/client';

export function readClinicalRecord(patientId: string) {
  return call(api.GET('/api/patients/{patientId}/clinical-record', { params: { path: { patientId } } }));
}

export type ClinicalRecordData = Awaited<ReturnType<typeof readClinicalRecord>>;

export const recordQueryKey = (patientId: string) => ['patient', patientId, 'clinical-record'] as const;
