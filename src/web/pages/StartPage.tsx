import { Alert, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, call } from '../api/client';
import { useAuth } from '../auth';
import { OpenAlertsCard } from '../components/measurement/OpenAlertsCard';

export function StartPage() {
  const { user, can } = useAuth();
  const queryClient = useQueryClient();
  const clinic = useQuery({ queryKey: ['clinic'], queryFn: () => call(api.GET('/api/clinic')) });
  const loadDemo = useMutation({
    mutationFn: () => call(api.POST('/api/clinic/demo')),
    onSuccess: (summary) => {
      notifications.show({ color: 'teal', message: `Loaded ${summary.patients} synthetic demo patients.` });
      void queryClient.invalidateQueries();
    },
    onError: (err) => notifications.show({ color: 'red', message: err.message }),
  });

  return (
    <Stack maw={960}>
      <div>
        <Title order={2}>{clinic.data?.clinic.name ?? 'Rein'}</Title>
        <Text c="dimmed">Welcome, {user?.name}.</Text>
      </div>
      {can('alerts.read') && <OpenAlertsCard />}
      {clinic.data?.canLoadDemo && (
        <Alert color="teal" title="Your clinic has no patients yet" variant="light">
          <Stack gap="xs">
            <Text size="sm">
              See Rein at work with a synthetic demo clinic: 60 invented patients with medication lists (some
              on benzodiazepines, lamotrigine, stimulants or MAOIs), a year of treatment courses, sessions and
              PHQ-9/GAD-7 scores, and demo prescribers and nurses, so the outcomes dashboard has numbers.
              Every record is marked DEMO. Or register your first real patient.
            </Text>
            <Group>
              <Button onClick={() => loadDemo.mutate()} loading={loadDemo.isPending}>
                Load demo clinic
              </Button>
              <Button component={Link} to="/patients/new" variant="default">
                Register a patient
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            Patients
          </Text>
          <Text size="xl" fw={600} data-testid="patient-count">
            {clinic.data?.patientCount ?? '—'}
          </Text>
          <Button component={Link} to="/patients" variant="light" mt="sm">
            Open patient list
          </Button>
        </Card>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            Your role
          </Text>
          <Text size="xl" fw={600}>
            {user?.role}
          </Text>
          <Text size="sm" c="dimmed" mt="sm">
            Clinic time zone: {clinic.data?.clinic.timeZone ?? '—'}
          </Text>
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
