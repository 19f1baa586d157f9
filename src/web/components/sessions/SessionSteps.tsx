import { Alert, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { api, call } from '../../api/client';
import { useSessionAction, type SessionParams } from './session-mutation';
import type { SessionState } from './types';

/** Before anything else: the patient is checked in (a missing screening is shown, not enforced here). */
export function CheckInStep({ params, state }: { params: SessionParams; state: SessionState }) {
  const checkIn = useSessionAction(params, (body: Record<string, never>) =>
    call(
      api.POST('/api/patients/{patientId}/sessions/{sessionId}/check-in', { params: { path: params }, body }),
    ),
  );
  return (
    <Paper withBorder p="md">
      <Group justify="space-between">
        <Stack gap={2}>
          <Text>The patient has not been checked in.</Text>
          {!state.screening.ok && (
            <Text size="sm" c="red" data-testid="screening-gate">
              No current screening: {state.screening.message}
            </Text>
          )}
        </Stack>
        <Button loading={checkIn.pending} onClick={() => checkIn.run({})}>
          Check in
        </Button>
      </Group>
      {checkIn.message && (
        <Alert color="red" mt="xs">
          {checkIn.message}
        </Alert>
      )}
    </Paper>
  );
}

/** The start of dosing (first device or infusion start): the session clock's zero. */
export function StartDosingStep({ params, state }: { params: SessionParams; state: SessionState }) {
  const start = useSessionAction(params, (body: Record<string, never>) =>
    call(
      api.POST('/api/patients/{patientId}/sessions/{sessionId}/start', { params: { path: params }, body }),
    ),
  );
  const blocked = state.checklist?.overall === 'blocked';
  return (
    <Paper withBorder p="md">
      <Group justify="space-between">
        <Text>
          {blocked
            ? 'The checklist is blocked: resolve the failed items before dosing.'
            : state.course.modality === 'esketamine'
              ? 'Start when the patient uses the first device.'
              : 'Start when the infusion starts.'}
        </Text>
        <Button color="teal" loading={start.pending} disabled={blocked} onClick={() => start.run({})}>
          Start dosing
        </Button>
      </Group>
      {start.message && (
        <Alert color="red" mt="xs">
          {start.message}
        </Alert>
      )}
    </Paper>
  );
}
