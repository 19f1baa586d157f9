import { Paper, Stack, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, call } from '../api/client';
import { emptyPatient, PatientForm } from '../components/PatientForm';

export function NewPatientPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  return (
    <Stack maw={900}>
      <Title order={2}>New patient</Title>
      <Paper withBorder p="lg">
        <PatientForm
          initial={emptyPatient}
          submitLabel="Register patient"
          onCancel={() => navigate('/patients')}
          save={async (body) => {
            const created = await call(api.POST('/api/patients', { body }));
            await queryClient.invalidateQueries({ queryKey: ['patients'] });
            await queryClient.invalidateQueries({ queryKey: ['clinic'] });
            navigate(`/patients/${created.id}`);
          }}
        />
      </Paper>
    </Stack>
  );
}
