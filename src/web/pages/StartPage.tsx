import { Alert, Anchor, Button, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, call } from '../api/client';
import { useAuth } from '../auth';
import { OpenAlertsCard } from '../components/measurement/OpenAlertsCard';
import { AttentionCard } from '../components/start/AttentionCard';
import { DayScheduleCard } from '../components/start/DayScheduleCard';
import { DaySummary } from '../components/start/DaySummary';
import { useClinicDates } from '../dates';

/** The start page runs the day: today's sessions, what needs someone now, new alerts — per role. */
export function StartPage() {
  const dates = useClinicDates();
  const { user, can } = useAuth();
  const queryClient = useQueryClient();
  const clinic = useQuery({ queryKey: ['clinic'], queryFn: () => call(api.GET('/api/clinic')) });
  const board = useQuery({ queryKey: ['day-board'], queryFn: () => call(api.GET('/api/day-board')) });
  const loadDemo = useMutation({
    mutationFn: () => call(api.POST('/api/clinic/demo')),
    onSuccess: (summary) => {
      notifications.show({ color: 'teal', message: `Loaded ${summary.patients} synthetic demo patients.` });
      void queryClient.invalidateQueries();
    },
    onError: (err) => notifications.show({ color: 'red', message: err.message }),
  });
  const today = board.data ? dates.weekdayDate(board.data.today, 'long') : '';
  const clinical = Boolean(board.data?.recovery);

  return (
    <Stack maw={1280}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{clinic.data?.clinic.name ?? 'Rein'}</Title>
          <Text c="dimmed" data-testid="board-today">
            {today} · {user?.name} ({user?.role})
          </Text>
        </div>
        <Text size="sm" c="dimmed">
          <span data-testid="patient-count">{clinic.data?.patientCount ?? '—'}</span> patients ·{' '}
          <Anchor component={Link} to="/patients">
            Open patient list
          </Anchor>
        </Text>
      </Group>
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
      {board.error && <Alert color="red">{board.error.message}</Alert>}
      {board.data && (
        <>
          <DaySummary board={board.data} />
          <Grid gutter="md">
            <Grid.Col span={{ base: 12, md: clinical ? 7 : 12 }}>
              <DayScheduleCard board={board.data} />
            </Grid.Col>
            {clinical && (
              <Grid.Col span={{ base: 12, md: 5 }}>
                <Stack>
                  <AttentionCard board={board.data} />
                  {can('alerts.read') && <OpenAlertsCard />}
                </Stack>
              </Grid.Col>
            )}
          </Grid>
        </>
      )}
    </Stack>
  );
}
