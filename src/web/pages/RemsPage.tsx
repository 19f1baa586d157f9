import { Alert, Anchor, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, ApiError, call } from '../api/client';
import { useClinicDates } from '../dates';

/** Esketamine REMS Patient Monitoring Forms not marked submitted within 7 days of the treatment. */
export function RemsPage() {
  const dates = useClinicDates();
  const overdue = useQuery({ queryKey: ['rems-overdue'], queryFn: () => call(api.GET('/api/rems/overdue')) });
  if (overdue.isLoading) return <Loader aria-label="Loading" />;
  if (!overdue.data) {
    return (
      <Alert color="red">
        {overdue.error instanceof ApiError ? overdue.error.message : 'Could not reach the server.'}
      </Alert>
    );
  }
  return (
    <Stack maw={900}>
      <Title order={2}>REMS forms overdue</Title>
      <Text c="dimmed" size="sm">
        The SPRAVATO REMS asks for a Patient Monitoring Form within 7 days of each treatment. These esketamine
        sessions were discharged and their form is not marked submitted.
      </Text>
      <Paper withBorder p="md">
        {overdue.data.length === 0 ? (
          <Text c="dimmed">No overdue forms.</Text>
        ) : (
          <Table aria-label="Overdue REMS forms">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Patient</Table.Th>
                <Table.Th>Treatment</Table.Th>
                <Table.Th>Due</Table.Th>
                <Table.Th>Days overdue</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {overdue.data.map((o) => (
                <Table.Tr key={o.sessionId}>
                  <Table.Td>
                    <Anchor component={Link} to={`/patients/${o.patientId}/sessions/${o.sessionId}`}>
                      {o.patientName}
                    </Anchor>{' '}
                    <Text span size="xs" c="dimmed">
                      {o.mrn}
                    </Text>
                  </Table.Td>
                  <Table.Td>{dates.date(o.sessionDate)}</Table.Td>
                  <Table.Td>{dates.date(o.dueDate)}</Table.Td>
                  <Table.Td>{o.daysOverdue}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
    </Stack>
  );
}
