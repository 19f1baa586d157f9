import { Badge, ColorSwatch, Group, List, Paper, Stack, Table, Text, Title } from '@mantine/core';
import type { ModelCurve, ObservedPoint } from './ConcentrationChart';
import { parentAnalyte, type ModelInfo, type SimulateResult } from './types';

const ng = (v: number) => `${v >= 100 ? v.toFixed(0) : v.toFixed(1)}`;
const min = (v: number) => `${v.toFixed(0)} min`;

const STATUS_LABEL: Record<string, { text: string; color: string }> = {
  V: { text: 'verified', color: 'teal' },
  S: { text: 'secondary source', color: 'blue' },
  U: { text: 'unverified', color: 'orange' },
  C: { text: 'computed', color: 'gray' },
};

export function StatusBadge({ status }: { status: string }) {
  const s = STATUS_LABEL[status] ?? { text: status, color: 'gray' };
  return (
    <Badge size="xs" variant="light" color={s.color}>
      {s.text}
    </Badge>
  );
}

/** Linear interpolation of the parent concentration at `t` on the result's grid. */
export function concentrationAt(result: SimulateResult, t: number): number | null {
  const ts = result.timesMin;
  const ys = result.analytes[parentAnalyte(result)]!;
  for (let i = 0; i < ts.length; i++) {
    if (ts[i] === t) return ys[i]!;
    if (i > 0 && ts[i - 1]! < t && t < ts[i]!) {
      const f = (t - ts[i - 1]!) / (ts[i]! - ts[i - 1]!);
      return ys[i - 1]! + f * (ys[i]! - ys[i - 1]!);
    }
  }
  return null;
}

export function MetricsTable({
  curves,
  thresholdNgPerMl,
}: {
  curves: ModelCurve[];
  thresholdNgPerMl: number;
}) {
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table verticalSpacing="xs" aria-label="Exposure metrics" data-testid="pk-metrics">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Model</Table.Th>
            <Table.Th ta="right">Cmax ng/mL</Table.Th>
            <Table.Th ta="right">Tmax</Table.Th>
            <Table.Th ta="right">End of infusion ng/mL</Table.Th>
            <Table.Th ta="right">AUC 0–t ng·h/mL</Table.Th>
            <Table.Th ta="right">AUC 0–∞ ng·h/mL</Table.Th>
            <Table.Th ta="right">Above {thresholdNgPerMl} ng/mL</Table.Th>
            <Table.Th ta="right">Falls below at</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {curves.map(({ model, result, color }) => {
            const m = result.metrics[parentAnalyte(result)];
            if (!m) return null;
            return (
              <Table.Tr key={model.id}>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap" align="flex-start">
                    <ColorSwatch color={`var(--mantine-color-${color.replace('.', '-')})`} size={12} mt={4} />
                    <div>
                      <Text size="sm">{model.name}</Text>
                      <StatusBadge status={model.status} />
                    </div>
                  </Group>
                </Table.Td>
                <Table.Td ta="right">{ng(m.cmaxNgPerMl)}</Table.Td>
                <Table.Td ta="right">{min(m.tmaxMin)}</Table.Td>
                <Table.Td ta="right">
                  {m.endOfInfusion.length === 0
                    ? '—'
                    : m.endOfInfusion
                        .map((e) => `${ng(e.concentrationNgPerMl)} (${min(e.timeMin)})`)
                        .join(', ')}
                </Table.Td>
                <Table.Td ta="right">{m.aucToEndNgHPerMl.toFixed(0)}</Table.Td>
                <Table.Td ta="right">{m.aucInfNgHPerMl.toFixed(0)}</Table.Td>
                <Table.Td ta="right">{m.threshold ? min(m.threshold.timeAboveMin) : '—'}</Table.Td>
                <Table.Td ta="right">
                  {!m.threshold
                    ? '—'
                    : m.threshold.aboveAtEnd
                      ? 'still above at end'
                      : m.threshold.fallsBelowAtMin === null
                        ? 'never above'
                        : min(m.threshold.fallsBelowAtMin)}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** A published mean next to each model's prediction at the same time, with the difference. */
export function ObservationComparison({
  observation,
  source,
  curves,
}: {
  observation: ObservedPoint;
  source: string;
  curves: ModelCurve[];
}) {
  return (
    <Paper withBorder p="md" data-testid="pk-observation">
      <Title order={5}>Published observation</Title>
      <Text size="sm" mb="xs">
        {observation.label}: <b>{ng(observation.valueNgPerMl)} ng/mL</b> at {min(observation.timeMin)}{' '}
        <Text span size="xs" c="dimmed">
          ({source})
        </Text>
      </Text>
      <Table withRowBorders={false} verticalSpacing={2} maw={520}>
        <Table.Tbody>
          {curves.map((c) => {
            const v = concentrationAt(c.result, observation.timeMin);
            return (
              <Table.Tr key={c.model.id}>
                <Table.Td>{c.model.name}</Table.Td>
                <Table.Td ta="right">{v === null ? '—' : `${ng(v)} ng/mL`}</Table.Td>
                <Table.Td ta="right" c="dimmed">
                  {v === null
                    ? ''
                    : `${v >= observation.valueNgPerMl ? '+' : ''}${(((v - observation.valueNgPerMl) / observation.valueNgPerMl) * 100).toFixed(0)}%`}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

/** Each chosen model's source, population, sampling, status and the engine's notes for this run. */
export function ModelNotes({ curves }: { curves: Array<{ model: ModelInfo; result: SimulateResult }> }) {
  return (
    <Stack gap="sm" data-testid="pk-model-notes">
      {curves.map(({ model, result }) => (
        <div key={model.id}>
          <Group gap="xs">
            <Text size="sm" fw={600}>
              {model.name}
            </Text>
            <StatusBadge status={model.status} />
          </Group>
          <Text size="xs" c="dimmed">
            {model.citation} · {model.population} · {model.sampling}
          </Text>
          <List size="xs" spacing={2} mt={2}>
            <List.Item>{model.statusNote}</List.Item>
            {result.notes.map((n) => (
              <List.Item key={n}>{n}</List.Item>
            ))}
          </List>
        </div>
      ))}
    </Stack>
  );
}
