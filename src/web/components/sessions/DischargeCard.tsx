import { Alert, Badge, Button, Checkbox, Group, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { api, ApiError, call } from '../../api/client';
import { dischargeSubmitSchema } from '../../contracts';
import { validateWith } from '../../forms';
import { useClinicDates } from '../../dates';
import { RangeNumberInput } from '../RangeNumberInput';
import { StatusBadge } from './Citations';
import { DISCHARGE_EMPTY, dischargeRequest, type DischargeBody, type DischargeValues } from './requests';
import { SessionCard } from './SessionCard';
import { useSessionSaved, type SessionParams } from './session-mutation';
import type { SessionState } from './types';

const CRITERIA: [keyof DischargeValues, string][] = [
  ['sedationResolved', 'Sedation resolved'],
  ['dissociationResolved', 'Dissociation resolved'],
  ['respiratoryDepressionResolved', 'No respiratory depression'],
  ['mentalStatusAtBaseline', 'Mental status at baseline'],
  ['clinicallyStable', 'Clinically stable'],
  ['escortPresent', 'Escort present'],
];

function Discharged({ discharge }: { discharge: NonNullable<SessionState['discharge']> }) {
  const dates = useClinicDates();
  return (
    <SessionCard title="Discharge" label="Discharge">
      <Alert color="teal" data-testid="discharged">
        Discharged at {discharge.atMin} min ({dates.dateTime(discharge.at)}) by {discharge.by}.{' '}
        {discharge.result.message}
      </Alert>
      <Stack gap={2} mt="xs">
        {discharge.result.checks.map((c) => (
          <Group key={c.id} gap="xs" wrap="nowrap">
            <StatusBadge status={c.status} citations={c.citations} />
            <Text size="xs" c="dimmed">
              {c.message} ({c.id})
            </Text>
          </Group>
        ))}
      </Stack>
    </SessionCard>
  );
}

/** Why the server refused the discharge: the rule's own sentence (it names the time still to go). */
export function dischargeRefusal(err: unknown): string {
  if (!(err instanceof ApiError)) return 'Could not reach the server.';
  return err.body?.error.fields?.[0]?.message ?? err.message;
}

export function DischargeCard({ params, state }: { params: SessionParams; state: SessionState }) {
  const saved = useSessionSaved(params);
  const form = useForm<DischargeValues>({
    initialValues: DISCHARGE_EMPTY,
    validate: validateWith(dischargeSubmitSchema, dischargeRequest),
  });
  // A refusal is the discharge rule speaking about the whole patient, not one box: shown as one alert.
  const discharge = useMutation({
    mutationFn: (body: DischargeBody) =>
      call(
        api.POST('/api/patients/{patientId}/sessions/{sessionId}/discharge', {
          params: { path: params },
          body,
        }),
      ),
    onSuccess: saved,
  });
  if (state.discharge) return <Discharged discharge={state.discharge} />;
  const esk = state.course.modality === 'esketamine';
  return (
    <SessionCard
      title="Discharge"
      label="Discharge"
      right={
        state.earliestDischargeMin !== null ? (
          <Badge variant="light" size="lg" data-testid="earliest-discharge">
            earliest at {Math.ceil(state.earliestDischargeMin)} min
          </Badge>
        ) : state.dosing && (state.dosing.state === 'running' || state.dosing.state === 'paused') ? (
          <Badge variant="light" size="lg" color="gray">
            after dosing ends
          </Badge>
        ) : null
      }
    >
      <form
        onSubmit={form.onSubmit((v) => discharge.mutate(dischargeRequest(v)))}
        aria-label="Discharge criteria"
        noValidate
      >
        <Stack gap="xs">
          <Group gap="lg">
            {CRITERIA.map(([key, label]) => (
              <Checkbox key={key} label={label} {...form.getInputProps(key, { type: 'checkbox' })} />
            ))}
          </Group>
          <Group align="flex-end">
            {esk && (
              <RangeNumberInput
                label="Ready to leave without the 2-h rule at (min)"
                {...form.getInputProps('readyToLeaveMinFromStart')}
                min={0}
                w={300}
              />
            )}
            <Button type="submit" disabled={!state.dosingStartedAt} loading={discharge.isPending}>
              Record discharge
            </Button>
          </Group>
          {discharge.error && (
            <Alert color="red" title="Discharge refused" data-testid="discharge-error">
              {dischargeRefusal(discharge.error)}
            </Alert>
          )}
        </Stack>
      </form>
    </SessionCard>
  );
}
