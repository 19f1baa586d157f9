import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, ApiError, call } from '../../api/client';
import { useAuth } from '../../auth';
import { useClinicDates } from '../../dates';
import { Citations } from './Citations';
import { ScreeningForm, SignOff } from './EligibilityScreening';
import { InteractionFlags } from './InteractionFlags';
import { NewCourse } from './NewCourse';
import { ELIGIBILITY_STATUS_LABELS, RULE_KIND_LABELS } from '../../../clinical/vocabulary/eligibility';
import { MODALITY_LABELS } from '../../../clinical/vocabulary/modalities';

function errorText(err: unknown): string {
  return err instanceof ApiError ? err.message : 'Could not reach the server.';
}

const STATUS_COLOR = { eligible: 'teal', 'needs-review': 'yellow', 'not-eligible': 'red' } as const;

/** Eligibility screening with sign-off, and the patient's treatment courses (PatientPage section). */
export function PatientCourses({ patientId, ageYears }: { patientId: string; ageYears: number }) {
  const dates = useClinicDates();
  const { can } = useAuth();
  const clinical = can('eligibility.screen');
  const prescriber = can('courses.prescribe');
  const [screening, setScreening] = useState(false);
  const screenings = useQuery({
    queryKey: ['eligibility', patientId],
    queryFn: () =>
      call(api.GET('/api/patients/{patientId}/eligibility', { params: { path: { patientId } } })),
    enabled: clinical,
  });
  const courses = useQuery({
    queryKey: ['courses', patientId],
    queryFn: () => call(api.GET('/api/patients/{patientId}/courses', { params: { path: { patientId } } })),
  });
  const latest = screenings.data?.[0];
  const interactions = useQuery({
    queryKey: ['interactions', patientId, latest?.modality ?? 'iv-ketamine'],
    queryFn: () =>
      call(
        api.GET('/api/patients/{patientId}/interactions', {
          params: { path: { patientId }, query: { modality: latest?.modality ?? 'iv-ketamine' } },
        }),
      ),
    enabled: clinical && !screenings.isLoading,
  });
  return (
    <Paper withBorder p="md" component="section" aria-label="Treatment">
      <Stack>
        <Title order={3}>Treatment</Title>
        {clinical && (
          <Stack gap="xs">
            <Group justify="space-between">
              <Title order={4}>Eligibility</Title>
              <Button size="xs" variant="light" onClick={() => setScreening((s) => !s)}>
                {screening ? 'Close' : 'New screening'}
              </Button>
            </Group>
            {screenings.error && <Alert color="red">{errorText(screenings.error)}</Alert>}
            {!latest && !screening && <Text c="dimmed">Not screened yet.</Text>}
            {latest && (
              <Stack gap={6} data-testid="eligibility">
                <Group gap="xs">
                  <Badge color={STATUS_COLOR[latest.status]}>
                    {ELIGIBILITY_STATUS_LABELS[latest.status]}
                  </Badge>
                  <Text size="sm">
                    {MODALITY_LABELS[latest.modality]} · screened {dates.dateTime(latest.createdAt)}
                  </Text>
                  {latest.signOff ? (
                    <Text size="sm">
                      · {latest.signOff.decision === 'approve' ? 'Approved' : 'Declined'} by{' '}
                      {latest.signOff.signedByName} {dates.dateTime(latest.signOff.signedAt)}
                      {latest.signOff.note ? ` — “${latest.signOff.note}”` : ''}
                    </Text>
                  ) : (
                    <Text size="sm" c="orange">
                      · awaiting prescriber sign-off
                    </Text>
                  )}
                </Group>
                {[...latest.reasons, ...latest.notes].map((r) => (
                  <Stack key={r.ruleId} gap={2} pl="sm">
                    {/* The rule's id stays at hand for a question about it, out of the reading line. */}
                    <Text size="sm" title={`Rule ${r.ruleId}`}>
                      <b>{RULE_KIND_LABELS[r.kind]}:</b> {r.message}
                    </Text>
                    <Citations citations={r.citations} />
                  </Stack>
                ))}
                {can('eligibility.signOff') && !latest.signOff && (
                  <SignOff
                    patientId={patientId}
                    screening={latest}
                    onSaved={() => void screenings.refetch()}
                  />
                )}
              </Stack>
            )}
            {interactions.data && (
              <InteractionFlags flags={interactions.data.flags} notes={interactions.data.notes} />
            )}
            {screening && (
              <ScreeningForm
                patientId={patientId}
                ageYears={ageYears}
                onSaved={() => {
                  setScreening(false);
                  void screenings.refetch();
                }}
              />
            )}
          </Stack>
        )}

        <Title order={4}>Courses</Title>
        {courses.error && <Alert color="red">{errorText(courses.error)}</Alert>}
        {courses.data && courses.data.length === 0 && <Text c="dimmed">No treatment course yet.</Text>}
        {courses.data && courses.data.length > 0 && (
          <Table aria-label="Courses">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Course</Table.Th>
                <Table.Th>Start</Table.Th>
                <Table.Th>Sessions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {courses.data.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/patients/${patientId}/courses/${c.id}`}>
                      {c.template.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{dates.date(c.startDate)}</Table.Td>
                  <Table.Td>
                    {c.sessions.length}
                    {c.conflicts.length > 0 ? ` (${c.conflicts.length} unplaced)` : ''}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {prescriber && <NewCourse patientId={patientId} />}
      </Stack>
    </Paper>
  );
}
