import { Alert, Badge, Button, Checkbox, Group, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { PLAUSIBLE } from '../../../clinical/vocabulary';
import { api, call } from '../../api/client';
import { checklistSubmitSchema } from '../../contracts';
import { useClinicDates } from '../../dates';
import { useServerForm } from '../../useServerForm';
import { RangeNumberInput } from '../RangeNumberInput';
import { StatusBadge } from './Citations';
import { InteractionFlags } from './InteractionFlags';
import { checklistInitial, checklistRequest, type ChecklistValues } from './requests';
import { SessionCard } from './SessionCard';
import { useSessionSaved, type SessionParams } from './session-mutation';
import { STATE_COLOR, type SessionState } from './types';

const PREGNANCY_OPTIONS = [
  { value: 'negative', label: 'Negative' },
  { value: 'positive', label: 'Positive' },
  { value: 'not-done', label: 'Not done' },
  { value: 'not-applicable', label: 'Not applicable' },
];

type CheckKey = 'identityConfirmed' | 'escortArranged' | 'interactionReviewDone' | 'remsPatientEnrolled';

export function ChecklistCard({ params, state }: { params: SessionParams; state: SessionState }) {
  const dates = useClinicDates();
  const esk = state.course.modality === 'esketamine';
  const saved = useSessionSaved(params);
  const { form, onSubmit, pending, message } = useServerForm<
    ChecklistValues,
    ReturnType<typeof checklistRequest>,
    SessionState
  >({
    initialValues: checklistInitial(state),
    schema: checklistSubmitSchema,
    toRequest: (v) => checklistRequest(v, esk),
    messages: { pregnancyTest: 'Choose the pregnancy test result' },
    send: (body) =>
      call(
        api.POST('/api/patients/{patientId}/sessions/{sessionId}/checklist', {
          params: { path: params },
          body,
        }),
      ),
    onSaved: saved,
  });
  const locked = state.dosingStartedAt !== null;
  const box = (key: CheckKey, label: string) => (
    <Checkbox label={label} disabled={locked} {...form.getInputProps(key, { type: 'checkbox' })} />
  );
  const number = (key: keyof ChecklistValues) => form.getInputProps(key);
  return (
    <SessionCard
      title="Pre-session checklist"
      label="Pre-session checklist"
      right={
        state.checklist && (
          <Badge color={STATE_COLOR[state.checklist.overall]} size="lg" data-testid="checklist-overall">
            {state.checklist.overall}
          </Badge>
        )
      }
    >
      <Stack gap="sm">
        <InteractionFlags flags={state.interactions} notes={state.interactionNotes} />
        {!locked && (
          <form onSubmit={onSubmit} aria-label="Checklist" noValidate>
            <Stack gap="xs">
              <SimpleGrid cols={{ base: 2, sm: 3, md: 6 }} spacing="xs">
                <RangeNumberInput
                  label="Today's weight (kg)"
                  {...number('weightKg')}
                  min={PLAUSIBLE.weightKg.min}
                  max={PLAUSIBLE.weightKg.max}
                  unit="kg"
                  decimalScale={1}
                />
                <RangeNumberInput
                  label="Baseline systolic"
                  {...number('baselineSbpMmHg')}
                  min={40}
                  max={300}
                />
                <RangeNumberInput
                  label="Baseline diastolic"
                  {...number('baselineDbpMmHg')}
                  min={20}
                  max={200}
                />
                <RangeNumberInput
                  label="Baseline heart rate"
                  {...number('baselineHeartRateBpm')}
                  min={20}
                  max={250}
                />
                <RangeNumberInput label="Baseline SpO2 %" {...number('baselineSpo2Pct')} min={50} max={100} />
                <RangeNumberInput
                  label="Last food (min before)"
                  {...number('lastFoodMinBeforeDose')}
                  min={0}
                />
                {esk && (
                  <RangeNumberInput
                    label="Last liquid (min before)"
                    {...number('lastLiquidMinBeforeDose')}
                    min={0}
                  />
                )}
              </SimpleGrid>
              <Group gap="lg">
                {box('identityConfirmed', 'Identity confirmed')}
                {box('escortArranged', 'Escort / transport home arranged')}
                {box('interactionReviewDone', 'Interactions reviewed')}
                {esk && box('remsPatientEnrolled', 'Enrolled in the SPRAVATO REMS')}
              </Group>
              <Text size="sm" data-testid="checklist-assessments">
                PHQ-9:{' '}
                {state.assessmentsLatest.phq9
                  ? `recorded ${dates.date(state.assessmentsLatest.phq9)}`
                  : 'none on record'}
                {' · '}C-SSRS:{' '}
                {state.assessmentsLatest.cssrs
                  ? `recorded ${dates.date(state.assessmentsLatest.cssrs)}`
                  : 'none on record'}
                <Text span c="dimmed" size="xs">
                  {' '}
                  (they count only when recorded within the clinic's window; record them on the patient page)
                </Text>
              </Text>
              <Group align="flex-end">
                <Select
                  label="Pregnancy test"
                  placeholder="Choose the result"
                  data={PREGNANCY_OPTIONS}
                  {...form.getInputProps('pregnancyTest')}
                  w={220}
                />
                <Button type="submit" loading={pending}>
                  Record checklist
                </Button>
              </Group>
              {message && <Alert color="red">{message}</Alert>}
            </Stack>
          </form>
        )}
        {state.checklist && (
          <Table aria-label="Checklist result">
            <Table.Tbody>
              {state.checklist.items.map((i) => (
                <Table.Tr key={i.id}>
                  <Table.Td w={110}>
                    <Badge color={STATE_COLOR[i.state]} variant="light">
                      {i.state === 'not-applicable' ? 'n/a' : i.state}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {i.label}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {i.message}
                    </Text>
                  </Table.Td>
                  <Table.Td w={40}>
                    <StatusBadge status={i.status} citations={i.citations} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </SessionCard>
  );
}
