/** The staff due list: who has an assessment due now or overdue (overdue highlighted, listed first). */
import { Badge, Group, Pagination, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, call } from '../api/client';
import { CONTEXT_LABELS, INSTRUMENT_SHORT } from '../components/measurement/types';
import { formatDateTime } from '../format';

/** Patients per page (the server allows at most 200). */
const PAGE_SIZE = 100;

export function DuePage() {
  const [page, setPage] = useState(1);
  const due = useQuery({
    queryKey: ['due', page],
    queryFn: () =>
      call(api.GET('/api/due', { params: { query: { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE } } })),
    placeholderData: keepPreviousData,
  });
  const items = due.data?.items ?? [];
  const pages = Math.max(1, Math.ceil((due.data?.total ?? 0) / PAGE_SIZE));
  const overdue = items.filter((r) => r.overdue).length;
  return (
    <Stack maw={1100}>
      <Group justify="space-between">
        <Title order={2}>Due assessments</Title>
        {overdue > 0 && (
          <Badge color="red" size="lg" variant="light">
            {overdue} patient{overdue === 1 ? '' : 's'} overdue
          </Badge>
        )}
      </Group>
      <Text c="dimmed" size="sm">
        From the clinic&apos;s schedule rules: PHQ-9 and C-SSRS screener at baseline and before every session;
        PHQ-9 item 9 or SSI at +4 h and +24 h; weekly PHQ-9 and GAD-7 between sessions.
      </Text>
      <Paper withBorder>
        {due.isLoading ? (
          <Text p="md" c="dimmed">
            Loading…
          </Text>
        ) : items.length === 0 ? (
          <Text p="md" c="dimmed">
            Nothing is due.
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={700}>
            <Table highlightOnHover data-testid="due-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Patient</Table.Th>
                  <Table.Th>MRN</Table.Th>
                  <Table.Th>Due</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((r) => (
                  <Table.Tr
                    key={r.patientId}
                    bg={r.overdue ? 'red.0' : undefined}
                    data-overdue={r.overdue || undefined}
                  >
                    <Table.Td>
                      <Link to={`/patients/${r.patientId}`}>
                        {r.familyName}, {r.givenName}
                      </Link>
                    </Table.Td>
                    <Table.Td>{r.mrn}</Table.Td>
                    <Table.Td>
                      <Group gap="xs">
                        {r.due.map((d) => (
                          <Badge
                            key={`${d.ruleId}-${d.dueAt}`}
                            color={d.status === 'overdue' ? 'red' : 'teal'}
                            variant={d.status === 'overdue' ? 'filled' : 'light'}
                            title={`${d.status === 'overdue' ? 'Overdue since' : 'Due by'} ${formatDateTime(d.windowEnd)}`}
                          >
                            {d.instruments
                              .map((i) => INSTRUMENT_SHORT[i.instrument] ?? i.instrument)
                              .join(' or ')}{' '}
                            · {CONTEXT_LABELS[d.context]}
                            {d.status === 'overdue' ? ' · overdue' : ''}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      {pages > 1 && (
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            {due.data?.total} patients with something due
          </Text>
          <Pagination total={pages} value={page} onChange={setPage} />
        </Group>
      )}
    </Stack>
  );
}
