import { Alert, Badge, Button, Group, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../../api/client';
import { RangeNumberInput } from '../RangeNumberInput';
import { AdverseEventForm, AE_CATEGORIES, AE_ESCALATION } from './AdverseEventForm';
import { SessionCard } from './SessionCard';
import { CADSS6, cadssAnswers } from './requests';
import { useSessionAction, type SessionParams } from './session-mutation';
import type { SessionState } from './types';

const labelOf = (list: { value: string; label: string }[], value: string | null) =>
  list.find((x) => x.value === value)?.label ?? value;

type ObservationBody = { kind: 'moaas'; score: number } | { kind: 'cadss6'; answers: Record<string, number> };

function Scales({ params }: { params: SessionParams }) {
  const [moaas, setMoaas] = useState<string | null>(null);
  const [cadss, setCadss] = useState<Record<string, number | string>>({});
  const record = useSessionAction(params, (body: ObservationBody) =>
    call(
      api.POST('/api/patients/{patientId}/sessions/{sessionId}/observations', {
        params: { path: params },
        body,
      }),
    ),
  );
  // Item ids, wording and answer range come from the server's CADSS-6 definition: the licensed
  // item text when the clinic has loaded it, otherwise the item's label.
  const defs = useQuery({
    queryKey: ['instruments'],
    queryFn: () => call(api.GET('/api/instruments')),
    staleTime: Infinity,
  });
  const cadss6 = defs.data?.items.find((d) => d.id === 'cadss6');
  const values = cadss6?.items[0]?.options.map((o) => o.value) ?? [];
  const itemMin = values.length > 0 ? Math.min(...values) : 0;
  const itemMax = values.length > 0 ? Math.max(...values) : 4;
  const answers = cadssAnswers(cadss);
  return (
    <>
      <Stack gap={4}>
        <Select
          label="MOAA/S (5 = alert … 0 = no response)"
          data={['5', '4', '3', '2', '1', '0']}
          value={moaas}
          onChange={setMoaas}
        />
        <Button
          size="xs"
          variant="light"
          disabled={moaas === null}
          loading={record.pending}
          onClick={() =>
            record.run({ kind: 'moaas', score: Number(moaas) }, { onSuccess: () => setMoaas(null) })
          }
        >
          Record MOAA/S
        </Button>
      </Stack>
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          CADSS-6 items ({itemMin}–{itemMax})
        </Text>
        <Stack gap={4} data-testid="cadss6-items">
          {CADSS6.map((id) => {
            const item = cadss6?.items.find((i) => i.id === id);
            return (
              <Group key={id} gap="xs" wrap="nowrap" justify="space-between">
                <Text size="xs" id={`cadss6-item-${id}`}>
                  {item?.text ?? item?.label ?? `CADSS item ${id}`}
                </Text>
                <RangeNumberInput
                  aria-labelledby={`cadss6-item-${id}`}
                  value={cadss[id] ?? ''}
                  onChange={(v) => setCadss((c) => ({ ...c, [id]: v }))}
                  min={itemMin}
                  max={itemMax}
                  w={56}
                  hideControls
                />
              </Group>
            );
          })}
        </Stack>
        <Button
          size="xs"
          variant="light"
          loading={record.pending}
          disabled={answers === null}
          onClick={() =>
            answers && record.run({ kind: 'cadss6', answers }, { onSuccess: () => setCadss({}) })
          }
        >
          Record CADSS-6
        </Button>
        {record.message && <Alert color="red">{record.message}</Alert>}
      </Stack>
    </>
  );
}

function ObservationList({ state }: { state: SessionState }) {
  return (
    <Stack gap={2}>
      {state.observations.map((o) => (
        <Text key={o.id} size="sm">
          {o.timeMin} min · {o.kind === 'cadss6' ? 'CADSS-6' : 'MOAA/S'} {o.score ?? '—'}
          {o.scoreMax !== null ? ` / ${o.scoreMax}` : ''} · {o.recordedBy}
          {o.unverified.length > 0 && (
            <Text span size="xs" c="dimmed">
              {' '}
              (unverified: {o.unverified.join('; ')})
            </Text>
          )}
          {o.alerts.map((a) => (
            <Text span key={a.id} size="xs" c="red">
              {' '}
              {a.message}
              {a.decision ? ` → ${a.decision.decision} (${a.decision.decidedBy})` : ''}
            </Text>
          ))}
        </Text>
      ))}
      {state.adverseEvents.map((a) => (
        <Text key={a.id} size="sm" c={a.alert ? 'red' : 'orange'} data-testid="adverse-event">
          {a.serious && (
            <Badge color="red" size="sm" mr={4}>
              serious
            </Badge>
          )}
          {a.timeMin} min
          {a.onsetMin !== null ? ` (onset ${a.onsetMin} min)` : ''} · {labelOf(AE_CATEGORIES, a.category)}
          {a.description ? ` (${a.description})` : ''} · {a.severity} · {a.actionTaken}
          {a.escalation && a.escalation !== 'none' ? ` · ${labelOf(AE_ESCALATION, a.escalation)}` : ''} ·{' '}
          {a.recordedBy}
          {a.alert?.decision
            ? ` · decision: ${a.alert.decision.decision} (${a.alert.decision.decidedBy})`
            : ''}
        </Text>
      ))}
    </Stack>
  );
}

export function ObservationsCard({ params, state }: { params: SessionParams; state: SessionState }) {
  const closed = state.discharge !== null;
  return (
    <SessionCard title="Dissociation, sedation and adverse events" label="Observations">
      <Stack gap="sm">
        {!closed && (
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            <Scales params={params} />
            <AdverseEventForm params={params} />
          </SimpleGrid>
        )}
        {(state.observations.length > 0 || state.adverseEvents.length > 0) && (
          <ObservationList state={state} />
        )}
      </Stack>
    </SessionCard>
  );
}
