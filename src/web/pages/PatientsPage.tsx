import { Badge, Button, Group, Pagination, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, call } from '../api/client';
import { useClinicDates } from '../dates';

const PAGE_SIZE = 25;

export function PatientsPage() {
  const dates = useClinicDates();
  const [params, setParams] = useSearchParams();
  const [q, setQ] = useState(params.get('q') ?? '');
  const [debounced] = useDebouncedValue(q, 250);
  const page = Number(params.get('page') ?? '1');
  const navigate = useNavigate();
  const list = useQuery({
    queryKey: ['patients', debounced, page],
    queryFn: () =>
      call(
        api.GET('/api/patients', {
          params: { query: { q: debounced || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const pages = Math.max(1, Math.ceil((list.data?.total ?? 0) / PAGE_SIZE));

  return (
    <Stack maw={1100}>
      <Group justify="space-between">
        <Title order={2}>Patients</Title>
        <Button component={Link} to="/patients/new">
          New patient
        </Button>
      </Group>
      <TextInput
        label="Search"
        placeholder="Name or MRN"
        value={q}
        onChange={(e) => {
          setQ(e.currentTarget.value);
          setParams(e.currentTarget.value ? { q: e.currentTarget.value } : {}, { replace: true });
        }}
        maw={420}
        autoFocus
      />
      <Paper withBorder>
        <Table.ScrollContainer minWidth={600}>
          <Table highlightOnHover verticalSpacing="sm" aria-label="Patients">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>MRN</Table.Th>
                <Table.Th>Date of birth</Table.Th>
                <Table.Th>Sex at birth</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data?.items.map((p) => (
                <Table.Tr
                  key={p.id}
                  style={{ cursor: 'pointer' }}
                  onClick={() => navigate(`/patients/${p.id}`)}
                >
                  <Table.Td>
                    <Link to={`/patients/${p.id}`} style={{ color: 'inherit', fontWeight: 500 }}>
                      {p.familyName}, {p.givenName}
                    </Link>
                    {p.pronouns && (
                      <Text span c="dimmed" size="sm">
                        {' '}
                        ({p.pronouns})
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={p.mrn.startsWith('DEMO-') ? 'grape' : 'gray'}>
                      {p.mrn}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {dates.date(p.dateOfBirth)} · {p.ageYears} y
                  </Table.Td>
                  <Table.Td>{p.sexAtBirth}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {list.data && list.data.items.length === 0 && (
          <Text p="md" c="dimmed">
            {debounced ? `No patient matches “${debounced}”.` : 'No patients yet.'}
          </Text>
        )}
      </Paper>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {list.data ? `${list.data.total} patient${list.data.total === 1 ? '' : 's'}` : ''}
        </Text>
        {pages > 1 && (
          <Pagination
            total={pages}
            value={page}
            onChange={(p) => setParams({ ...(q ? { q } : {}), page: String(p) })}
          />
        )}
      </Group>
    </Stack>
  );
}
