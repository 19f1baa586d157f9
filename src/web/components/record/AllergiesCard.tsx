import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { ALLERGY_SEVERITIES, ALLERGY_SOURCES } from '../../../clinical/vocabulary';
import { api, ApiError, call } from '../../api/client';
import { allergyCreateSchema } from '../../contracts';
import { useClinicDates } from '../../dates';
import { optionalText } from '../../forms';
import { useServerForm } from '../../useServerForm';
import type { ClinicalRecordData } from './types';

const SOURCE_LABELS: Record<(typeof ALLERGY_SOURCES)[number], string> = {
  patient: 'Patient',
  'family-or-carer': 'Family or carer',
  'previous-record': 'Previous record',
  'clinician-observed': 'Observed by a clinician',
};

interface AllergyValues extends Record<string, unknown> {
  substance: string;
  reaction: string;
  severity: string | null;
  source: string | null;
}
// Selects start empty as null: Mantine keeps showing the last choice for a value not in its list.
const EMPTY: AllergyValues = { substance: '', reaction: '', severity: null, source: null };

const toRequest = (v: AllergyValues) => ({
  substance: v.substance.trim(),
  reaction: optionalText(v.reaction),
  severity: v.severity as (typeof ALLERGY_SEVERITIES)[number],
  source: v.source as (typeof ALLERGY_SOURCES)[number],
});

/**
 * Allergies: the chart's allergy state first (never asked, "no known allergies" with who and when,
 * or the list), then the entries; free-text substances are marked as not matched to a drug.
 */
export function AllergiesCard({
  patientId,
  record,
  canRecord,
  onChanged,
}: {
  patientId: string;
  record: ClinicalRecordData;
  canRecord: boolean;
  onChanged(): void;
}) {
  const dates = useClinicDates();
  const state = record.allergyState;
  const nka = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/patients/{patientId}/no-known-allergies', {
          params: { path: { patientId } },
          body: {},
        }),
      ),
    onSuccess: onChanged,
  });
  const { form, onSubmit, pending, message } = useServerForm({
    initialValues: EMPTY,
    schema: allergyCreateSchema,
    toRequest,
    messages: { severity: 'Choose a severity', source: 'Say who reported it' },
    send: (body) =>
      call(api.POST('/api/patients/{patientId}/allergies', { params: { path: { patientId } }, body })),
    onSaved: onChanged,
    resetOnSave: true,
  });
  return (
    <Paper withBorder p="md" aria-label="Allergies">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Allergies</Title>
        <Badge
          data-testid="allergy-state"
          color={state.kind === 'unknown' ? 'orange' : state.activeCount > 0 ? 'red' : 'teal'}
          variant="light"
        >
          {state.kind === 'unknown'
            ? 'Allergies not yet asked'
            : state.kind === 'no-known-allergies'
              ? 'No known allergies'
              : `${state.activeCount} active`}
        </Badge>
      </Group>
      {state.kind === 'no-known-allergies' && (
        <Text size="sm" c="dimmed" mb="xs">
          Stated by {state.recordedByName ?? 'a clinician'} on {dates.dateTime(state.recordedAt ?? '')}
        </Text>
      )}
      {record.allergies.length > 0 && (
        <Table aria-label="Allergy list" striped mb="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Substance</Table.Th>
              <Table.Th>Reaction</Table.Th>
              <Table.Th>Severity</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Source</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {record.allergies.map((a) => {
              const wrong = a.status === 'entered-in-error';
              return (
                <Table.Tr key={a.id} c={a.status === 'active' ? undefined : 'dimmed'}>
                  <Table.Td fw={500} td={wrong ? 'line-through' : undefined}>
                    {a.substance}
                    {a.substanceFreeText && (
                      <Badge ml={6} size="xs" color="gray" variant="outline" title="not matched to a drug">
                        free text
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{a.reaction ?? '—'}</Table.Td>
                  <Table.Td>{a.severity}</Table.Td>
                  <Table.Td>{a.status}</Table.Td>
                  <Table.Td>{SOURCE_LABELS[a.source]}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      {canRecord && (
        <>
          {state.activeCount === 0 && state.kind !== 'no-known-allergies' && (
            <Button
              size="xs"
              variant="light"
              color="teal"
              loading={nka.isPending}
              onClick={() => nka.mutate()}
            >
              No known allergies
            </Button>
          )}
          {nka.error && (
            <Alert color="red" mt="xs">
              {nka.error instanceof ApiError ? nka.error.message : 'Could not reach the server.'}
            </Alert>
          )}
          <form onSubmit={onSubmit} noValidate aria-label="Add allergy">
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} mt="sm">
              <TextInput
                label="Substance"
                required
                description="Drug names are matched to the dictionary"
                {...form.getInputProps('substance')}
              />
              <TextInput label="Reaction" {...form.getInputProps('reaction')} />
              <Select
                label="Severity"
                required
                data={[...ALLERGY_SEVERITIES]}
                {...form.getInputProps('severity')}
              />
              <Select
                label="Reported by"
                required
                data={ALLERGY_SOURCES.map((s) => ({ value: s, label: SOURCE_LABELS[s] }))}
                {...form.getInputProps('source')}
              />
            </SimpleGrid>
            {message && (
              <Alert color="red" mt="xs">
                {message}
              </Alert>
            )}
            <Button type="submit" loading={pending} mt="sm" variant="light">
              Add allergy
            </Button>
          </form>
        </>
      )}
    </Paper>
  );
}
