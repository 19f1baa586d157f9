import { Alert, Anchor, Badge, Button, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { PatientBanner } from '../components/patient/PatientBanner';
import { api, ApiError, call } from '../api/client';
import { useAuth } from '../auth';
import { formatDate } from '../format';
import { Citations } from '../components/sessions/Citations';
import { clock, MODALITY_LABEL, type Course } from '../components/sessions/types';

function errorText(err: unknown): string {
  return err instanceof ApiError ? err.message : 'Could not reach the server.';
}

const weekday = (iso: string) =>
  new Date(`${iso}T00:00:00Z`).toLocaleDateString(undefined, { weekday: 'short', timeZone: 'UTC' });

function doseText(d: Course['sessions'][number]): string {
  if (d.dose.kind === 'weight-based')
    return `${d.dose.doseMgPerKg} mg/kg over ${d.dose.infusionDurationMin} min`;
  if (d.fixedDoseMg !== null) return `${d.fixedDoseMg} mg (fixed)`;
  return `${d.dose.doseMgOptions.join(' or ')} mg`;
}

function Suggestions({ patientId, courseId }: { patientId: string; courseId: string }) {
  const q = useQuery({
    queryKey: ['course-suggestions', courseId],
    queryFn: () =>
      call(
        api.GET('/api/patients/{patientId}/courses/{courseId}/suggestions', {
          params: { path: { patientId, courseId } },
        }),
      ),
  });
  if (q.isLoading) return <Loader size="sm" aria-label="Loading suggestions" />;
  if (q.error || !q.data) return <Alert color="red">{errorText(q.error)}</Alert>;
  const s = q.data;
  return (
    <Paper withBorder p="md" component="section" aria-label="Suggestions">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3}>Suggestions</Title>
          <Text size="xs" c="dimmed">
            For the prescriber to consider; nothing changes automatically. {s.completedSessions} session(s)
            completed.
          </Text>
        </Group>
        <Stack gap={4} data-testid="titration">
          <Text fw={600}>Dose titration</Text>
          {s.titration ? (
            <>
              <Group gap="xs">
                <Badge
                  variant="light"
                  color={s.titration.kind === 'consider-dose-increase' ? 'orange' : 'gray'}
                >
                  {s.titration.ruleId}
                </Badge>
                <Text size="sm">{s.titration.message}</Text>
              </Group>
              <Citations citations={s.titration.citations} />
            </>
          ) : (
            <Text size="sm" c="dimmed">
              {s.titrationUnavailable}
            </Text>
          )}
        </Stack>
        <Stack gap={4} data-testid="booster">
          <Text fw={600}>Next booster</Text>
          {s.booster ? (
            <>
              <Group gap="xs">
                <Badge variant="light">{s.booster.ruleId}</Badge>
                <Text size="sm">{s.booster.message}</Text>
              </Group>
              <Citations citations={s.booster.citations} />
            </>
          ) : (
            <Text size="sm" c="dimmed">
              {s.boosterUnavailable}
            </Text>
          )}
        </Stack>
      </Stack>
    </Paper>
  );
}

/** A treatment course: its schedule on the clinic calendar, conflicts, ICS export and suggestions. */
export function CoursePage() {
  const { patientId = '', courseId = '' } = useParams();
  const { can } = useAuth();
  const clinical = can('sessions.read');
  const patient = useQuery({
    queryKey: ['patient', patientId],
    queryFn: () => call(api.GET('/api/patients/{patientId}', { params: { path: { patientId } } })),
  });
  const course = useQuery({
    queryKey: ['course', courseId],
    queryFn: () =>
      call(
        api.GET('/api/patients/{patientId}/courses/{courseId}', {
          params: { path: { patientId, courseId } },
        }),
      ),
  });
  if (patient.isLoading || course.isLoading) return <Loader aria-label="Loading" />;
  if (!patient.data || !course.data)
    return <Alert color="red">{errorText(patient.error ?? course.error)}</Alert>;
  const p = patient.data;
  const c = course.data;
  return (
    <Stack maw={1100}>
      <PatientBanner patientId={patientId} />
      <div>
        <Anchor component={Link} to={`/patients/${patientId}`} size="sm">
          ← {p.givenName} {p.familyName}
        </Anchor>
        <Group justify="space-between" align="flex-end">
          <div>
            <Title order={2}>{c.template.name}</Title>
            <Text c="dimmed">
              {MODALITY_LABEL[c.modality]} · starts {formatDate(c.startDate)} · {c.sessions.length} sessions
              scheduled
            </Text>
          </div>
          <Button
            component="a"
            href={`/api/patients/${patientId}/courses/${courseId}/ics`}
            download
            variant="default"
          >
            Download calendar (ICS)
          </Button>
        </Group>
      </div>

      {c.conflicts.length > 0 && (
        <Alert color="orange" title={`${c.conflicts.length} session(s) could not be placed`}>
          <Stack gap={2}>
            {c.conflicts.map((x) => (
              <Text key={x.sequence} size="sm">
                Session {x.sequence} (target {formatDate(x.targetDate)}): {x.reason}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}

      <Paper withBorder p="md" component="section" aria-label="Schedule">
        <Title order={3} mb="xs">
          Schedule
        </Title>
        <Table.ScrollContainer minWidth={640}>
          <Table aria-label="Sessions" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>Date</Table.Th>
                <Table.Th>Time</Table.Th>
                <Table.Th>Room</Table.Th>
                <Table.Th>Phase</Table.Th>
                <Table.Th>Dose</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {c.sessions.map((s) => (
                <Table.Tr key={s.sequence}>
                  <Table.Td>{s.sequence}</Table.Td>
                  <Table.Td>
                    {weekday(s.date)} {formatDate(s.date)}
                    {s.shiftedDays > 0 && (
                      <Text span size="xs" c="orange">
                        {' '}
                        (+{s.shiftedDays} d)
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {clock(s.startMin)}–{clock(s.endMin)}
                  </Table.Td>
                  <Table.Td>{s.roomId}</Table.Td>
                  <Table.Td>{s.phaseLabel}</Table.Td>
                  <Table.Td>{doseText(s)}</Table.Td>
                  <Table.Td>
                    {clinical && s.id && (
                      <Anchor component={Link} to={`/patients/${patientId}/sessions/${s.id}`} size="sm">
                        Open session
                      </Anchor>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Stack gap={2} mt="sm">
          {c.template.notes.map((n) => (
            <Text key={n} size="xs" c="dimmed">
              {n}
            </Text>
          ))}
          <Citations citations={c.template.citations} />
        </Stack>
      </Paper>

      {clinical && <Suggestions patientId={patientId} courseId={courseId} />}
    </Stack>
  );
}
