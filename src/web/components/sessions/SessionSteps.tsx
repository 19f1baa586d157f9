import { Alert, Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { api, call } from '../../api/client';
import { optionalText, serverErrors } from '../../forms';
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
          {!state.dosingDay.onScheduledDay && (
            <Text size="sm" c="orange" data-testid="scheduled-day">
              Scheduled for {state.dosingDay.scheduledOn}, not today: dosing will need a reason.
            </Text>
          )}
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

/** The day the session is for, when today is not it: shown from check-in on, before the start refuses. */
function DosingDayNote({ state }: { state: SessionState }) {
  const blockers = state.dosingDay.blockers;
  if (blockers.length === 0) return null;
  return (
    <Alert color="orange" mt="xs" data-testid="dosing-day">
      {blockers.map((b) => (
        <Text key={b.field} size="sm">
          {b.message}
        </Text>
      ))}
    </Alert>
  );
}

/**
 * The start of dosing (first device or infusion start): the session clock's zero. On a day outside
 * the clinic's window around the scheduled date the server asks for a reason, which is recorded.
 */
export function StartDosingStep({ params, state }: { params: SessionParams; state: SessionState }) {
  const [reason, setReason] = useState('');
  const [deviation, setDeviation] = useState('');
  const start = useSessionAction(
    params,
    (body: { scheduleOverrideReason?: string; deviationReason?: string }) =>
      call(
        api.POST('/api/patients/{patientId}/sessions/{sessionId}/start', { params: { path: params }, body }),
      ),
  );
  const blocked = state.checklist?.overall === 'blocked';
  // Dosing is given only against a prescriber's signed order (the server refuses a start without one).
  const unsigned = state.orders.order === null;
  const fields = state.dosingDay.blockers.map((b) => b.field);
  const needsReason = fields.includes('scheduleOverrideReason');
  // No reason lifts the minimum interval: the button stays off until the clinic's rule allows it.
  const tooSoon = fields.includes('minDaysBetweenDoses');
  const trimmed = optionalText(reason);
  // The server names the differences from the signed order; the reason is asked for then.
  const needsDeviation =
    start.error !== null && 'deviationReason' in serverErrors(start.error, ['deviationReason']).fieldErrors;
  const deviationReason = optionalText(deviation);
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" align="flex-end">
        <Text>
          {blocked
            ? 'The checklist is blocked: resolve the failed items before dosing.'
            : unsigned
              ? 'A prescriber must sign the order for this session before dosing starts.'
              : state.course.modality === 'esketamine'
                ? 'Start when the patient uses the first device.'
                : 'Start when the infusion starts.'}
        </Text>
        {needsReason && !tooSoon && (
          <TextInput
            label="Reason for dosing today"
            description={`Scheduled for ${state.dosingDay.scheduledOn}`}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            w={320}
          />
        )}
        {needsDeviation && (
          <TextInput
            label="Reason the dose differs from the order"
            value={deviation}
            onChange={(e) => setDeviation(e.currentTarget.value)}
            w={320}
          />
        )}
        <Button
          color="teal"
          loading={start.pending}
          disabled={blocked || unsigned || tooSoon || (needsReason && trimmed === undefined)}
          onClick={() =>
            start.run({
              ...(needsReason && trimmed !== undefined ? { scheduleOverrideReason: trimmed } : {}),
              ...(deviationReason !== undefined ? { deviationReason } : {}),
            })
          }
        >
          Start dosing
        </Button>
      </Group>
      <DosingDayNote state={state} />
      {start.message && (
        <Alert color="red" mt="xs">
          {start.message}
        </Alert>
      )}
    </Paper>
  );
}
