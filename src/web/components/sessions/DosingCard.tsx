import { Alert, Badge, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { api, call } from '../../api/client';
import { optionalText } from '../../forms';
import { SessionCard } from './SessionCard';
import { useSessionAction, type SessionParams } from './session-mutation';
import type { SessionState } from './types';

const DOSING_COLOR = { running: 'teal', paused: 'orange', stopped: 'red', complete: 'gray' } as const;
type Action = 'pause' | 'resume' | 'stop';

/** One decimal, for minutes and milligrams on the clock. */
export const oneDecimal = (x: number) => Math.round(x * 10) / 10;

/** The button for a dosing action: devices cannot be paused, so "stop" means no further devices. */
export function actionLabel(action: Action, kind: 'infusion' | 'devices'): string {
  if (action === 'pause') return 'Pause infusion';
  if (action === 'resume') return 'Resume infusion';
  return kind === 'devices' ? 'Stop dosing (no further devices)' : 'Stop infusion';
}

/** Dosing as it takes effect: the infusion clock (pause / resume / stop) or the devices used. */
export function DosingCard({ params, state }: { params: SessionParams; state: SessionState }) {
  const [note, setNote] = useState('');
  const act = useSessionAction(params, (body: { action: Action; note?: string }) =>
    call(
      api.POST('/api/patients/{patientId}/sessions/{sessionId}/dosing-actions', {
        params: { path: params },
        body,
      }),
    ),
  );
  const d = state.dosing!;
  const fmt = oneDecimal;
  const run = (action: Action) => {
    const trimmed = optionalText(note);
    act.run(
      { action, ...(trimmed !== undefined ? { note: trimmed } : {}) },
      { onSuccess: () => setNote('') },
    );
  };
  return (
    <SessionCard
      title={d.kind === 'infusion' ? 'Infusion' : 'Devices'}
      label="Dosing"
      right={
        <Badge size="lg" color={DOSING_COLOR[d.state]} data-testid="dosing-state">
          {d.state}
        </Badge>
      }
    >
      <Stack gap="xs">
        {d.kind === 'infusion' ? (
          <Text data-testid="infusion-clock">
            Infusion clock {fmt(d.runningMin ?? 0)} of {fmt((d.runningMin ?? 0) + (d.remainingMin ?? 0))} min
            {d.state === 'paused' && d.pausedSinceMin !== null
              ? ` · paused since ${fmt(d.pausedSinceMin)} min: pump stopped, ${d.remainingVtbiMl ?? '—'} mL to go`
              : ''}
            {d.state === 'running' && d.projectedEndMin !== null
              ? ` · ends at ${fmt(d.projectedEndMin)} min`
              : ''}
            {d.dosingEndMin !== null ? ` · ended at ${fmt(d.dosingEndMin)} min` : ''}
            {d.pausedMin ? ` · paused ${fmt(d.pausedMin)} min in total` : ''}
          </Text>
        ) : (
          <Text data-testid="infusion-clock">
            {d.devicesGiven} of {d.devicesPlanned} devices
            {d.dosingEndMin !== null ? ` · dosing ended at ${fmt(d.dosingEndMin)} min` : ''}
          </Text>
        )}
        {state.scheduleOverride && (
          <Text size="sm" c="orange" data-testid="schedule-override">
            Dosed on {state.scheduleOverride.dosedOn}, scheduled for {state.scheduleOverride.scheduledOn}:{' '}
            {state.scheduleOverride.reason} ({state.scheduleOverride.by})
          </Text>
        )}
        <Text data-testid="amount-given">
          Given: {d.amountGivenMg} mg of {fmt(d.plannedMg)} mg
          {d.rateMgPerMin !== null
            ? ` (${fmt(d.rateMgPerMin * 60)} mg/h × ${fmt(d.runningMin ?? 0)} min running)`
            : ` (${d.devicesGiven} × 28 mg)`}
        </Text>
        {d.actions.length > 0 && !state.discharge && (
          <Group align="flex-end">
            {d.actions.map((action) => (
              <Button
                key={action}
                color={action === 'stop' ? 'red' : action === 'pause' ? 'orange' : 'teal'}
                loading={act.pending}
                onClick={() => run(action)}
              >
                {actionLabel(action, d.kind)}
              </Button>
            ))}
            <TextInput
              placeholder="Reason (optional)"
              aria-label="Dosing note"
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
              w={260}
            />
          </Group>
        )}
        {act.message && <Alert color="red">{act.message}</Alert>}
        {d.history.map((h, i) => (
          <Text key={i} size="xs" c="dimmed">
            {fmt(h.atMin)} min · {h.action} · {h.amountGivenMg} mg given by then · {h.by}
            {h.note ? ` · ${h.note}` : ''}
          </Text>
        ))}
      </Stack>
    </SessionCard>
  );
}
