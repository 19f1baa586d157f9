import { Alert, Loader, Stack } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../api/client';
import { useAuth } from '../../auth';
import { AllergiesCard } from './AllergiesCard';
import { ProblemListCard } from './ProblemListCard';
import { TrialsCard } from './TrialsCard';
import { readClinicalRecord, recordQueryKey } from './types';

/** The clinical record on the patient page: allergies, problem list, prior trials with the TRD statement. */
export function ClinicalRecordSection({ patientId }: { patientId: string }) {
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const record = useQuery({
    queryKey: recordQueryKey(patientId),
    queryFn: () => readClinicalRecord(patientId),
  });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: recordQueryKey(patientId) });
    // A dose plan reads the allergies: an open session screen must see the change.
    void queryClient.invalidateQueries({ queryKey: ['session'] });
  };
  if (record.isLoading) return <Loader aria-label="Loading the clinical record" />;
  if (!record.data) {
    return (
      <Alert color="red">
        {record.error instanceof ApiError ? record.error.message : 'Could not reach the server.'}
      </Alert>
    );
  }
  const props = { patientId, record: record.data, onChanged: refresh };
  return (
    <Stack>
      <AllergiesCard {...props} canRecord={can('record.allergies')} />
      <ProblemListCard {...props} canRecord={can('record.diagnose')} />
      <TrialsCard {...props} canRecord={can('record.diagnose')} />
    </Stack>
  );
}
