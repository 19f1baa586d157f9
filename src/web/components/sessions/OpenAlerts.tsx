import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { api, call } from '../../api/client';
import { optionalText } from '../../forms';
import { useSessionAction, type SessionParams } from './session-mutation';
import type { SessionState } from './types';

type Decision = 'continue' | 'pause' | 'stop';

/** What each decision does now: continuing a paused infusion keeps it paused; devices cannot "stop" mid-device. */
export function decisionLabel(decision: Decision, state: SessionState): string {
  if (decision === 'continue')
    return state.dosing?.state === 'paused' ? 'Continue (stay paused)' : 'Continue';
  if (decision === 'pause') return 'Pause';
  return state.dosing?.kind === 'devices' ? 'Stop (no further devices)' : 'Stop';
}

export function OpenAlerts({ params, state }: { params: SessionParams; state: SessionState }) {
  const [note, setNote] = useState('');
  const decide = useSessionAction(
    params,
    (body: { vitalsEventId: string; alertId: string; decision: Decision; note?: string }) =>
      call(
        api.POST('/api/patients/{patientId}/sessions/{sessionId}/alert-decisions', {
          params: { path: params },
          body,
        }),
      ),
  );
  const trimmed = optionalText(note);
  return (
    <Alert
      color="red"
      title="Alert: a decision is needed"
      data-testid="open-alerts"
      id="open-alerts"
      // The sticky session header links here; keep the alert clear of it.
      style={{ scrollMarginTop: 180 }}
    >
      <Stack gap="xs">
        {state.openAlerts.map((a) => (
          <Stack key={a.vitalsEventId} gap={4}>
            <Text size="sm">
              At {a.timeMin} min: {a.message}
            </Text>
            {/* One decision covers the reading; only the decisions that can take effect are offered. */}
            <Group gap="xs">
              {(state.dosing?.decisionOptions ?? ['continue']).map((decision) => (
                <Button
                  key={decision}
                  size="xs"
                  color={decision === 'stop' ? 'red' : decision === 'pause' ? 'orange' : 'gray'}
                  variant={decision === 'continue' ? 'default' : 'filled'}
                  loading={decide.pending}
                  onClick={() =>
                    decide.run({
                      vitalsEventId: a.vitalsEventId,
                      alertId: a.alertId,
                      decision,
                      ...(trimmed !== undefined ? { note: trimmed } : {}),
                    })
                  }
                >
                  {decisionLabel(decision, state)}
                </Button>
              ))}
            </Group>
          </Stack>
        ))}
        <TextInput
          size="xs"
          placeholder="Decision note (optional)"
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
        />
        {decide.message && <Text c="red">{decide.message}</Text>}
      </Stack>
    </Alert>
  );
}
