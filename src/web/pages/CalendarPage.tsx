import { Anchor, Badge, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, call } from '../api/client';
import { useAuth } from '../auth';
import { BookingActions } from '../components/scheduling/BookingActions';
import { SessionStatusBadge } from '../components/scheduling/SessionStatusBadge';
import { clock } from '../components/sessions/types';
import { useClinicDates } from '../dates';
import { modalityLabel } from '../../clinical/vocabulary/modalities';

/** A session that will not take place (cancelled or missed) is struck through and faded. */
const offCalendar = (status: string) => status === 'cancelled' || status === 'no-show';

/**
 * The clinic calendar: a week of scheduled sessions by day, with rooms, patients and where each
 * session stands, and the days the clinic is closed.
 */
export function CalendarPage() {
  const dates = useClinicDates();
  const [params, setParams] = useSearchParams();
  const { can } = useAuth();
  // The server knows the clinic's calendar: it names the week's days and its neighbours.
  const date = params.get('week') ?? undefined;
  const calendar = useQuery({
    queryKey: ['calendar', 'week', date ?? 'today'],
    queryFn: () =>
      call(api.GET('/api/calendar/week', { params: { query: date === undefined ? {} : { date } } })),
  });
  const closures = useQuery({
    queryKey: ['calendar', 'closures'],
    queryFn: () => call(api.GET('/api/clinic/closures')),
  });
  const days = calendar.data?.days ?? [];
  const timeZone = calendar.data?.timeZone;
  const from = days[0] ?? '';
  const to = days[6] ?? '';
  const shift = (weeks: number) => {
    const target = weeks < 0 ? calendar.data?.previousWeek : calendar.data?.nextWeek;
    if (target) setParams({ week: target });
  };

  return (
    <Stack maw={1300}>
      <Group justify="space-between">
        <Title order={2}>Clinic calendar</Title>
        <Group>
          <Button variant="default" onClick={() => shift(-1)}>
            Previous week
          </Button>
          <Button variant="default" onClick={() => shift(1)}>
            Next week
          </Button>
          <Button component="a" variant="light" href={`/api/calendar.ics?from=${from}&to=${to}`}>
            Download ICS
          </Button>
        </Group>
      </Group>
      <Text c="dimmed" size="sm">
        Week of {from ? dates.date(from) : '…'} · times in the clinic&apos;s time zone (
        {calendar.data?.timeZone ?? '…'}). The ICS file lists rooms and session numbers without patient names.
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 7 }} spacing="xs">
        {days.map((day) => {
          const items = calendar.data?.items.filter((s) => s.date === day) ?? [];
          const closed = closures.data?.closures.find((c) => c.date === day);
          return (
            <Paper
              key={day}
              withBorder
              p="xs"
              mih={120}
              aria-label={`Sessions on ${day}`}
              role="region"
              bg={closed ? 'gray.1' : undefined}
            >
              <Text fw={600} size="sm">
                {dates.weekdayDate(day)}
              </Text>
              {closed && (
                <Text size="xs" c="red.8" fw={600} mt={4} data-testid="closure">
                  Closed: {closed.name}
                </Text>
              )}
              <Stack gap={6} mt={6}>
                {items.map((s) => (
                  <Paper
                    key={s.sessionId}
                    bg={offCalendar(s.status) ? 'white' : 'gray.0'}
                    p={6}
                    radius="sm"
                    withBorder={offCalendar(s.status)}
                    style={offCalendar(s.status) ? { borderStyle: 'dashed', opacity: 0.75 } : undefined}
                    data-testid="calendar-session"
                    data-status={s.status}
                  >
                    <Text size="xs" c="dimmed" td={offCalendar(s.status) ? 'line-through' : undefined}>
                      {clock(s.startMin)}–{clock(s.endMin)} · {s.roomId}
                    </Text>
                    {s.startedAt && (
                      <Text size="xs">
                        Actual {dates.time(s.startedAt, timeZone)}–
                        {s.endedAt ? dates.time(s.endedAt, timeZone) : 'now'}
                      </Text>
                    )}
                    <Anchor component={Link} to={`/patients/${s.patientId}`} size="sm" fw={500}>
                      {s.patientName}
                    </Anchor>
                    <Group gap={4}>
                      <Badge size="xs" variant="light" color={s.modality === 'esketamine' ? 'grape' : 'teal'}>
                        {modalityLabel(s.modality)}
                      </Badge>
                      <Anchor
                        component={Link}
                        to={`/patients/${s.patientId}/sessions/${s.sessionId}`}
                        size="xs"
                      >
                        Session {s.sequence}
                      </Anchor>
                      <SessionStatusBadge status={s.status} size="xs" />
                    </Group>
                    {/* The front desk moves bookings here: it may not open a course's doses. */}
                    {can('bookings.change') && (
                      <Group mt={4}>
                        <BookingActions
                          patientId={s.patientId}
                          session={{ ...s, id: s.sessionId }}
                          status={s.status}
                          compact
                        />
                      </Group>
                    )}
                  </Paper>
                ))}
                {items.length === 0 && !closed && (
                  <Text size="xs" c="dimmed">
                    No sessions
                  </Text>
                )}
              </Stack>
            </Paper>
          );
        })}
      </SimpleGrid>
    </Stack>
  );
}
