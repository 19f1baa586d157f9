import {
  Alert,
  Badge,
  Button,
  Paper,
  Select,
  SimpleGrid,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { ICD10CM_GROUPS, ICD10CM_SUBSET } from '../../../clinical/vocabulary';
import { api, ApiError, call } from '../../api/client';
import { diagnosisCreateSchema } from '../../contracts';
import { ClinicDateInput, useClinicDates } from '../../dates';
import { optionalText } from '../../forms';
import { useServerForm } from '../../useServerForm';
import type { paths } from '../../api/schema';
import type { ClinicalRecordData } from './types';

const GROUP_LABELS: Record<(typeof ICD10CM_GROUPS)[number], string> = {
  depressive: 'Depressive disorders',
  bipolar: 'Bipolar disorder',
  anxiety: 'Anxiety disorders',
  ptsd: 'Post-traumatic stress disorder',
  ocd: 'Obsessive-compulsive disorder',
};

const CODE_OPTIONS = ICD10CM_GROUPS.map((g) => ({
  group: GROUP_LABELS[g],
  items: ICD10CM_SUBSET.filter((c) => c.group === g).map((c) => ({
    value: c.code,
    label: `${c.code} ${c.title}`,
  })),
}));

type DiagnosisBody = NonNullable<
  paths['/api/patients/{patientId}/diagnoses']['post']['requestBody']
>['content']['application/json'];

interface DiagnosisValues extends Record<string, unknown> {
  icd10cmCode: string | null;
  description: string;
  onsetDate: string;
}
const EMPTY: DiagnosisValues = { icd10cmCode: null, description: '', onsetDate: '' };

const toRequest = (v: DiagnosisValues) => ({
  icd10cmCode: (v.icd10cmCode ?? undefined) as DiagnosisBody['icd10cmCode'],
  description: optionalText(v.description),
  onsetDate: optionalText(v.onsetDate),
});

/** The problem list (coded from the clinic's ICD-10-CM list, or flagged free text) and each course's primary diagnosis. */
export function ProblemListCard({
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
  const { form, onSubmit, pending, message } = useServerForm({
    initialValues: EMPTY,
    schema: diagnosisCreateSchema,
    toRequest,
    send: (body) =>
      call(api.POST('/api/patients/{patientId}/diagnoses', { params: { path: { patientId } }, body })),
    onSaved: onChanged,
    resetOnSave: true,
  });
  const primary = useMutation({
    mutationFn: (v: { courseId: string; diagnosisId: string | null }) =>
      call(
        api.PUT('/api/patients/{patientId}/courses/{courseId}/primary-diagnosis', {
          params: { path: { patientId, courseId: v.courseId } },
          body: { diagnosisId: v.diagnosisId },
        }),
      ),
    onSuccess: onChanged,
  });
  const usable = record.diagnoses.filter((d) => d.status !== 'entered-in-error');
  return (
    <Paper withBorder p="md" aria-label="Problem list">
      <Title order={4} mb="sm">
        Problem list
      </Title>
      {record.diagnoses.length === 0 ? (
        <Text c="dimmed">No diagnoses recorded.</Text>
      ) : (
        <Table aria-label="Diagnoses" striped mb="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Code</Table.Th>
              <Table.Th>Diagnosis</Table.Th>
              <Table.Th>Onset</Table.Th>
              <Table.Th>Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {record.diagnoses.map((d) => (
              <Table.Tr key={d.id} c={d.status === 'active' ? undefined : 'dimmed'}>
                <Table.Td>{d.icd10cmCode ?? '—'}</Table.Td>
                <Table.Td td={d.status === 'entered-in-error' ? 'line-through' : undefined}>
                  {d.description}
                  {d.freeText && (
                    <Badge ml={6} size="xs" color="gray" variant="outline" title="no ICD-10-CM code">
                      free text
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{d.onsetDate ? dates.date(d.onsetDate) : '—'}</Table.Td>
                <Table.Td>{d.status}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {record.courses.map((c, i) => (
        <Select
          key={c.courseId}
          mb="xs"
          label={`Primary diagnosis of course ${i + 1}`}
          placeholder="Not chosen"
          clearable
          disabled={!canRecord || primary.isPending}
          data={usable.map((d) => ({
            value: d.id,
            label: `${d.icd10cmCode ?? 'free text'} · ${d.description}`,
          }))}
          value={c.primaryDiagnosisId}
          onChange={(value) => primary.mutate({ courseId: c.courseId, diagnosisId: value })}
        />
      ))}
      {primary.error && (
        <Alert color="red">
          {primary.error instanceof ApiError ? primary.error.message : 'Could not reach the server.'}
        </Alert>
      )}
      {canRecord && (
        <form onSubmit={onSubmit} noValidate aria-label="Add diagnosis">
          <SimpleGrid cols={{ base: 1, sm: 3 }} mt="sm">
            <Select
              label="ICD-10-CM code"
              placeholder="Search the clinic’s list"
              searchable
              clearable
              data={CODE_OPTIONS}
              {...form.getInputProps('icd10cmCode')}
            />
            <TextInput
              label="Or describe (free text)"
              description="Recorded without a code, marked free text"
              {...form.getInputProps('description')}
            />
            <ClinicDateInput label="Onset" {...form.getInputProps('onsetDate')} />
          </SimpleGrid>
          {message && (
            <Alert color="red" mt="xs">
              {message}
            </Alert>
          )}
          <Button type="submit" loading={pending} mt="sm" variant="light">
            Add diagnosis
          </Button>
        </form>
      )}
    </Paper>
  );
}
