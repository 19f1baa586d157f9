import { Badge, Button, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, call } from '../api/client';
import { AlertInbox } from '../components/measurement/AlertInbox';
import { ACTION_LABELS } from '../components/measurement/types';
import { useClinicDates } from '../dates';

export function AlertsPage() {
  const dates = useClinicDates();
  // The history is paged by the server (newest acknowledgement first); "Show more" asks for the next page.
  const history = useInfiniteQuery({
    queryKey: ['alerts', 'acknowledged'],
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/api/alerts/acknowledged', {
          params: { query: pageParam ? { cursor: pageParam } : {} },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const acknowledged = history.data?.pages.flatMap((p) => p.items) ?? [];
  const total = history.data?.pages[0]?.total ?? 0;
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
            <Table striped aria-label="Acknowledged alerts">
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
                    <Table.Td>{dates.dateTime(a.createdAt)}</Table.Td>
                    <Table.Td>{dates.dateTime(a.acknowledgedAt!)}</Table.Td>
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
        {history.hasNextPage && (
          <Button
            variant="default"
            mt="sm"
            onClick={() => void history.fetchNextPage()}
            loading={history.isFetchingNextPage}
          >
            Show more ({total - acknowledged.length} more)
          </Button>
        )}
      </Paper>
    </Stack>
  );
}
