/**
 * The staff due list: one line per patient and instrument due now or overdue (the earliest due of
 * that instrument), with its due time; sorted and filtered by the server; a self-report link from
 * the line for the patient to answer on their phone.
 */
import {
  Badge,
  Checkbox,
  Group,
  Pagination,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, call } from '../api/client';
import { useAuth } from '../auth';
import { PortalLinkPanel } from '../components/measurement/PortalLinkPanel';
import { CONTEXT_LABELS, INSTRUMENT_SHORT } from '../components/measurement/types';
import { useClinicDates } from '../dates';

/** Lines per page (the server allows at most 200). */
const PAGE_SIZE = 100;

type Sort = 'due' | 'patient' | 'instrument';

/** Instruments staff filter by: the ones the clinic's schedule asks for. */
const FILTER_INSTRUMENTS = ['phq9', 'gad7', 'cssrs-screener', 'ssi'] as const;
type FilterInstrument = (typeof FILTER_INSTRUMENTS)[number];

/** "phq9:9|ssi" → "PHQ-9 item 9 or SSI". */
function instrumentWords(key: string): string {
  return key
    .split('|')
    .map((part) => {
      const [id = '', items] = part.split(':');
      const name = INSTRUMENT_SHORT[id] ?? id;
      return items ? `${name} item ${items.split(',').join(', ')}` : name;
    })
    .join(' or ');
}

export function DuePage() {
  const dates = useClinicDates();
  const { can } = useAuth();
  const [page, setPage] = useState(1);
  const [sort, setSort] = useState<Sort>('due');
  const [instrument, setInstrument] = useState<FilterInstrument | null>(null);
  const [overdueOnly, setOverdueOnly] = useState(false);
  const due = useQuery({
    queryKey: ['due', page, sort, instrument, overdueOnly],
    queryFn: () =>
      call(
        api.GET('/api/due', {
          params: {
            query: {
              limit: PAGE_SIZE,
              offset: (page - 1) * PAGE_SIZE,
              sort,
              ...(instrument ? { instrument } : {}),
              ...(overdueOnly ? { overdueOnly: 'true' as const } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const items = due.data?.items ?? [];
  const total = due.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const canLink = can('patients.write');
  const resetPage =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPage(1);
    };
  return (
    <Stack maw={1200}>
      <Title order={2}>Due assessments</Title>
      <Text c="dimmed" size="sm">
        From the clinic&apos;s schedule rules: PHQ-9 and C-SSRS screener at baseline and before every session;
        PHQ-9 item 9 or SSI at +4 h and +24 h; weekly PHQ-9 and GAD-7 between sessions. One line per patient
        and instrument: one answer serves every item due for it.
      </Text>
      <Group align="flex-end" gap="md" wrap="wrap">
        <div>
          <Text size="sm" fw={500} mb={4}>
            Sort by
          </Text>
          <SegmentedControl
            aria-label="Sort by"
            value={sort}
            onChange={(v) => resetPage(setSort)(v as Sort)}
            data={[
              { value: 'due', label: 'Due date' },
              { value: 'patient', label: 'Patient' },
              { value: 'instrument', label: 'Instrument' },
            ]}
          />
        </div>
        <Select
          label="Instrument"
          placeholder="All instruments"
          clearable
          w={200}
          data={FILTER_INSTRUMENTS.map((i) => ({ value: i, label: INSTRUMENT_SHORT[i] ?? i }))}
          value={instrument}
          onChange={(v) => resetPage(setInstrument)(v as FilterInstrument | null)}
        />
        <Checkbox
          label="Overdue only"
          checked={overdueOnly}
          onChange={(e) => resetPage(setOverdueOnly)(e.currentTarget.checked)}
          mb={8}
        />
        <Text size="sm" c="dimmed" mb={8} data-testid="due-total">
          {total} line{total === 1 ? '' : 's'}
        </Text>
      </Group>
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
          <Table.ScrollContainer minWidth={760}>
            <Table highlightOnHover data-testid="due-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Patient</Table.Th>
                  <Table.Th>MRN</Table.Th>
                  <Table.Th>Instrument</Table.Th>
                  <Table.Th>Due</Table.Th>
                  <Table.Th>Status</Table.Th>
                  {canLink && <Table.Th aria-label="Actions" />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((r) => (
                  <Table.Tr
                    key={`${r.patientId}-${r.instrumentKey}`}
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
                      {instrumentWords(r.instrumentKey)}
                      <Text span size="xs" c="dimmed">
                        {' '}
                        · {CONTEXT_LABELS[r.item.context]}
                        {r.merged > 0 ? ` (+${r.merged} more due)` : ''}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <time dateTime={r.item.dueAt}>{dates.dateTime(r.item.dueAt)}</time>
                    </Table.Td>
                    <Table.Td>
                      <Badge
                        color={r.overdue ? 'red' : 'teal'}
                        variant={r.overdue ? 'filled' : 'light'}
                        title={`${r.overdue ? 'Overdue since' : 'Due by'} ${dates.dateTime(r.item.windowEnd)}`}
                      >
                        {r.overdue ? 'overdue' : 'due'}
                      </Badge>
                    </Table.Td>
                    {canLink && (
                      <Table.Td>
                        <PortalLinkPanel
                          patientId={r.patientId}
                          label="Send link"
                          size="xs"
                          patientName={`${r.givenName} ${r.familyName}`}
                        />
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      {pages > 1 && (
        <Group justify="flex-end">
          <Pagination total={pages} value={page} onChange={setPage} />
        </Group>
      )}
    </Stack>
  );
}
