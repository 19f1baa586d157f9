import {
  Alert,
  Anchor,
  Button,
  Group,
  Loader,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { ClinicDateInput } from '../dates';
import { MODALITIES, MODALITY_LABELS, type Modality } from '../../clinical/vocabulary/modalities';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError, call } from '../api/client';
import { DurabilityCurve } from '../components/outcomes/DurabilityCurve';
import { RatesTable } from '../components/outcomes/RatesTable';

function Stat({ label, value, note }: { label: string; value: string | number; note?: string }) {
  return (
    <Paper withBorder p="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
      {note && (
        <Text size="xs" c="dimmed">
          {note}
        </Text>
      )}
    </Paper>
  );
}

/** Clinic outcomes dashboard: rates with Wilson CIs beside published figures, the durability curve. */
export function DashboardPage() {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [modality, setModality] = useState<Modality | null>(null);
  const [prescriberId, setPrescriberId] = useState<string | null>(null);
  const query = {
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(modality ? { modality } : {}),
    ...(prescriberId ? { prescriberId } : {}),
  };
  const summary = useQuery({
    queryKey: ['outcomes-summary', query],
    queryFn: () => call(api.GET('/api/outcomes/summary', { params: { query } })),
  });
  const exportQuery = new URLSearchParams({ ...(from ? { from } : {}), ...(to ? { to } : {}) }).toString();
  const suffix = exportQuery ? `?${exportQuery}` : '';

  return (
    <Stack maw={1100}>
      <style>{'@media print { .no-print { display: none !important; } }'}</style>
      <Group justify="space-between">
        <Title order={2}>Clinic outcomes</Title>
        <Button variant="subtle" size="xs" className="no-print" onClick={() => window.print()}>
          Print
        </Button>
      </Group>
      <Text c="dimmed" size="sm">
        Courses started in the chosen range. Response and remission on the PHQ-9 at the end of induction;
        durability among responders until relapse (loss of response) or the next maintenance session.
        Intervals are 95 % Wilson (rates) and log–log Greenwood (curve). Published figures are context from
        other populations, not targets.
      </Text>
      <Group className="no-print" align="flex-end">
        <ClinicDateInput label="Courses from" value={from} onChange={setFrom} />
        <ClinicDateInput label="to" value={to} onChange={setTo} />
        <Select
          label="Treatment"
          placeholder="All"
          clearable
          value={modality}
          onChange={(value) => setModality(MODALITIES.find((m) => m === value) ?? null)}
          data={MODALITIES.map((value) => ({ value, label: MODALITY_LABELS[value] }))}
        />
        <Select
          label="Prescriber"
          placeholder="All"
          clearable
          value={prescriberId}
          onChange={setPrescriberId}
          data={(summary.data?.prescribers ?? []).map((p) => ({ value: p.id, label: p.name }))}
        />
      </Group>
      {summary.isLoading ? (
        <Loader aria-label="Loading" />
      ) : !summary.data ? (
        <Alert color="red">
          {summary.error instanceof ApiError ? summary.error.message : 'Could not reach the server.'}
        </Alert>
      ) : (
        <>
          <SimpleGrid cols={{ base: 2, sm: 4 }}>
            <Stat
              label="Patients in treatment"
              value={summary.data.patientsInTreatment}
              note="dosed in the last 28 days"
            />
            <Stat label="Sessions this week" value={summary.data.sessionsThisWeek} note="scheduled Mon–Sun" />
            <Stat
              label="Courses"
              value={summary.data.courses}
              note={`${summary.data.evaluable} evaluable for response`}
            />
            <Stat label="Dosed sessions" value={summary.data.sessions.dosed} note="in these courses" />
          </SimpleGrid>
          <Paper withBorder p="md">
            <Stack gap="sm">
              <Title order={4}>Response, remission, suicidality and safety</Title>
              <RatesTable summary={summary.data} />
              {summary.data.meanSuicidalityChange !== null && (
                <Text size="sm" c="dimmed">
                  Mean change of PHQ-9 item 9 from baseline to end of induction:{' '}
                  {summary.data.meanSuicidalityChange.toFixed(2)} points.
                </Text>
              )}
            </Stack>
          </Paper>
          <Paper withBorder p="md">
            <Stack gap="sm">
              <Title order={4}>Durability after induction (Kaplan–Meier)</Title>
              <DurabilityCurve durability={summary.data.durability} />
              <Text size="xs" c="dimmed">
                Relapse: {summary.data.relapseDefinition.source}.
              </Text>
            </Stack>
          </Paper>
          <Paper withBorder p="md" className="no-print">
            <Stack gap="xs">
              <Title order={4}>Data exports (CSV)</Title>
              <Text size="sm" c="dimmed">
                Column dictionary: docs/csv-exports.md. Every export is recorded in the audit log.
              </Text>
              <Group>
                <Anchor href={`/api/exports/scores.csv${suffix}`}>Scores</Anchor>
                <Anchor
                  href={`/api/exports/scores.csv?${new URLSearchParams({ ...(from ? { from } : {}), ...(to ? { to } : {}), instrument: 'phq9', items: 'true' }).toString()}`}
                >
                  PHQ-9 with items
                </Anchor>
                <Anchor href={`/api/exports/sessions.csv${suffix}`}>Sessions</Anchor>
                <Anchor href={`/api/exports/adverse-events.csv${suffix}`}>Adverse events</Anchor>
              </Group>
            </Stack>
          </Paper>
        </>
      )}
    </Stack>
  );
}
