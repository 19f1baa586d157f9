import { Badge, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, call } from '../api/client';
import { AlertInbox } from '../components/measurement/AlertInbox';
import { ACTION_LABELS } from '../components/measurement/types';
import { formatDateTime } from '../format';

export function AlertsPage() {
  const history = useQuery({
    queryKey: ['alerts', 'all'],
    queryFn: () => call(api.GET('/api/alerts', { params: { query: { status: 'all' } } })),
  });
  const acknowledged = (history.data?.items ?? []).filter((a) => a.acknowledgedAt);
  return (
    <Stack maw={1000}>
      <Title order={2}>Alert inbox</Title>
      <Text c="dimmed" size="sm">
        Raised automatically when a response has a positive suicidality item or a moderate/high C-SSRS risk.
        Acknowledge each one with the action taken and a note.
      </Text>
      <Paper withBorder p="md">
        <Title order={4} mb="sm">
          Open
        </Title>
        <AlertInbox />
      </Paper>
      <Paper withBorder p="md">
        <Title order={4} mb="sm">
          Acknowledged
        </Title>
        {acknowledged.length === 0 ? (
          <Text c="dimmed">None yet.</Text>
        ) : (
          <Table.ScrollContainer minWidth={700}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Patient</Table.Th>
                  <Table.Th>Reason</Table.Th>
                  <Table.Th>Raised</Table.Th>
                  <Table.Th>Acknowledged</Table.Th>
                  <Table.Th>Action and note</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {acknowledged.map((a) => (
                  <Table.Tr key={a.id}>
                    <Table.Td>
                      <Link to={`/patients/${a.patientId}`}>
                        {a.patient.givenName} {a.patient.familyName}
                      </Link>{' '}
                      <Text span size="sm" c="dimmed">
                        {a.patient.ageYears} y
                      </Text>
                    </Table.Td>
                    <Table.Td>{a.reason}</Table.Td>
                    <Table.Td>{formatDateTime(a.createdAt)}</Table.Td>
                    <Table.Td>{formatDateTime(a.acknowledgedAt!)}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color="gray" mr="xs">
                        {ACTION_LABELS[a.actionTaken ?? ''] ?? a.actionTaken}
                      </Badge>
                      <Text size="sm" span>
                        {a.acknowledgementNote}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
    </Stack>
  );
}
