import {
  Alert,
  Button,
  Checkbox,
  Paper,
  Select,
  SimpleGrid,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { TRIAL_ADHERENCES, TRIAL_RESPONSES } from '../../../clinical/vocabulary';
import { api, call } from '../../api/client';
import { trialCreateSchema } from '../../contracts';
import { optionalNumber, optionalText, type NumberField } from '../../forms';
import { RangeNumberInput } from '../RangeNumberInput';
import { useServerForm } from '../../useServerForm';
import type { ClinicalRecordData } from './types';
import { EvidenceBadge } from '../EvidenceBadge';

/** The prescriber's judgement: yes, no, or not judged (null). */
const ADEQUACY = [
  { value: 'yes', label: 'Adequate' },
  { value: 'no', label: 'Not adequate' },
  { value: 'unknown', label: 'Not judged' },
];
const adequacy = (v: string) => (v === 'yes' ? true : v === 'no' ? false : null);
const shown = (v: boolean | null) => (v === null ? 'not judged' : v ? 'adequate' : 'not adequate');

interface TrialValues extends Record<string, unknown> {
  drug: string;
  doseMgPerDay: NumberField;
  durationWeeks: NumberField;
  adherence: string | null;
  response: string | null;
  reasonStopped: string;
  currentEpisode: boolean;
  adequateDose: string;
  adequateDuration: string;
}
const EMPTY: TrialValues = {
  drug: '',
  doseMgPerDay: '',
  durationWeeks: '',
  adherence: null,
  response: null,
  reasonStopped: '',
  currentEpisode: true,
  adequateDose: 'unknown',
  adequateDuration: 'unknown',
};

const toRequest = (v: TrialValues) => ({
  drug: v.drug.trim(),
  doseMgPerDay: optionalNumber(v.doseMgPerDay),
  durationWeeks: optionalNumber(v.durationWeeks),
  adherence: v.adherence as (typeof TRIAL_ADHERENCES)[number],
  response: v.response as (typeof TRIAL_RESPONSES)[number],
  reasonStopped: optionalText(v.reasonStopped),
  currentEpisode: v.currentEpisode,
  adequateDose: adequacy(v.adequateDose),
  adequateDuration: adequacy(v.adequateDuration),
});

/**
 * Prior treatment trials and the server's treatment-resistance statement: which trials count and
 * why the others do not, with the definition and its source. Adequacy is the prescriber's call.
 */
export function TrialsCard({
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
  const trd = record.treatmentResistance;
  const why = new Map(trd.judgements.map((j) => [j.trialId, j]));
  const { form, onSubmit, pending, message } = useServerForm({
    initialValues: EMPTY,
    schema: trialCreateSchema,
    toRequest,
    messages: { adherence: 'Choose the adherence', response: 'Choose the response' },
    send: (body) =>
      call(api.POST('/api/patients/{patientId}/treatment-trials', { params: { path: { patientId } }, body })),
    onSaved: onChanged,
    resetOnSave: true,
  });
  return (
    <Paper withBorder p="md" aria-label="Treatment history">
      <Title order={4} mb="sm">
        Prior treatment trials
      </Title>
      <Alert color={trd.resistant ? 'orange' : 'gray'} mb="sm" data-testid="trd-statement">
        <Text fw={600}>{trd.statement}</Text>
        <Text size="xs">
          Definition: {trd.definition.text} ({trd.definition.source}){' '}
          <EvidenceBadge status={trd.definition.status} source={trd.definition.source} />{' '}
          {trd.definition.adequacy}
        </Text>
      </Alert>
      {record.trials.length > 0 && (
        <Table.ScrollContainer minWidth={800}>
          <Table aria-label="Treatment trials" striped mb="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Drug</Table.Th>
                <Table.Th>Dose (mg/day)</Table.Th>
                <Table.Th>Weeks</Table.Th>
                <Table.Th>Adherence</Table.Th>
                <Table.Th>Response</Table.Th>
                <Table.Th>Stopped because</Table.Th>
                <Table.Th>Counts?</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {record.trials.map((t) => {
                const j = why.get(t.id);
                return (
                  <Table.Tr key={t.id} c={t.status === 'entered-in-error' ? 'dimmed' : undefined}>
                    <Table.Td fw={500} td={t.status === 'entered-in-error' ? 'line-through' : undefined}>
                      {t.drug}
                      <Text size="xs" c="dimmed">
                        dose {shown(t.adequateDose)}, duration {shown(t.adequateDuration)}
                        {t.currentEpisode ? '' : ', earlier episode'}
                      </Text>
                    </Table.Td>
                    <Table.Td>{t.doseMgPerDay ?? '—'}</Table.Td>
                    <Table.Td>{t.durationWeeks ?? '—'}</Table.Td>
                    <Table.Td>{t.adherence}</Table.Td>
                    <Table.Td>{t.response}</Table.Td>
                    <Table.Td>{t.reasonStopped ?? '—'}</Table.Td>
                    <Table.Td>
                      {j ? (
                        <Text size="sm" c={j.counts ? 'orange' : 'dimmed'}>
                          {j.counts ? 'Counts' : 'Does not count'}: {j.reasons.join('; ')}
                        </Text>
                      ) : (
                        'entered in error'
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {canRecord && (
        <form onSubmit={onSubmit} noValidate aria-label="Add treatment trial">
          <SimpleGrid cols={{ base: 1, sm: 3 }} mt="sm">
            <TextInput label="Drug" required {...form.getInputProps('drug')} />
            <RangeNumberInput label="Dose (mg/day)" min={0} {...form.getInputProps('doseMgPerDay')} />
            <RangeNumberInput label="Duration (weeks)" min={0} {...form.getInputProps('durationWeeks')} />
            <Select
              label="Adherence"
              required
              data={[...TRIAL_ADHERENCES]}
              {...form.getInputProps('adherence')}
            />
            <Select
              label="Response"
              required
              data={[...TRIAL_RESPONSES]}
              {...form.getInputProps('response')}
            />
            <TextInput label="Reason stopped" {...form.getInputProps('reasonStopped')} />
            <Select
              label="Dose"
              data={ADEQUACY}
              allowDeselect={false}
              {...form.getInputProps('adequateDose')}
            />
            <Select
              label="Duration"
              data={ADEQUACY}
              allowDeselect={false}
              {...form.getInputProps('adequateDuration')}
            />
            <Checkbox
              mt="xl"
              label="In the current episode"
              {...form.getInputProps('currentEpisode', { type: 'checkbox' })}
            />
          </SimpleGrid>
          {message && (
            <Alert color="red" mt="xs">
              {message}
            </Alert>
          )}
          <Button type="submit" loading={pending} mt="sm" variant="light">
            Add trial
          </Button>
        </form>
      )}
    </Paper>
  );
}
