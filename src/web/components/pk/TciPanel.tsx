import { LineChart } from '@mantine/charts';
import {
  Alert,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError, call } from '../../api/client';
import type { paths } from '../../api/schema';
import type { ModelInfo } from './types';
import { RangeNumberInput } from '../RangeNumberInput';

type TciRequest = paths['/api/pk/tci']['post']['requestBody']['content']['application/json'];
export type BodySize = Pick<TciRequest, 'patientId' | 'weightKg' | 'heightCm' | 'sex' | 'ageYears'>;

const fix = (v: number, d = 1) => v.toFixed(d);
const DISPLAY_MARKS_MIN = [
  0, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 360, 480, 720, 1440,
];

/**
 * STANPUMP-style target-controlled infusion: the bolus and stepwise rates that reach and hold a
 * target, as computed and verified by simulation on the server.
 */
export function TciPanel({ size, models }: { size: BodySize | null; models: ModelInfo[] }) {
  const [model, setModel] = useState<string | null>('domino-1984');
  const [target, setTarget] = useState<string | number>(150);
  const [duration, setDuration] = useState<string | number>(40);
  const [site, setSite] = useState<'plasma' | 'effect'>('plasma');
  const tci = useMutation({
    mutationFn: (body: TciRequest) => call(api.POST('/api/pk/tci', { body })),
  });
  const chosen = models.find((m) => m.id === model);
  const ready = size !== null && model !== null && typeof target === 'number' && typeof duration === 'number';
  const r = tci.data;
  // Rates change fastest at the start: show them at roughly logarithmic marks.
  const shownRates = r
    ? DISPLAY_MARKS_MIN.map((mark) =>
        r.infusions.find((s) => s.startMin <= mark + 1e-9 && mark < s.startMin + s.durationMin - 1e-9),
      ).filter((s, i, all): s is NonNullable<typeof s> => s !== undefined && all.indexOf(s) === i)
    : [];
  const chartData = r
    ? r.predicted.timesMin
        .map((t, i) => ({
          t,
          plasma: r.predicted.plasmaNgPerMl[i]!,
          ...(r.predicted.effectNgPerMl ? { effect: r.predicted.effectNgPerMl[i]! } : {}),
        }))
        .filter((_, i, all) => i % Math.max(1, Math.floor(all.length / 400)) === 0)
    : [];
  const segment = r?.verification.segments[0];

  return (
    <Paper withBorder p="md" className="pk-no-print" data-testid="tci-panel">
      <Title order={4}>Target-controlled infusion</Title>
      <Text size="xs" c="dimmed" mb="sm">
        Uses the patient and weight above. Effect-site targets need a ke0, which no source gives for racemic
        ketamine (the defaults are labelled unverified).
      </Text>
      <Group mb="sm" align="flex-end" gap="md">
        <Select
          w={340}
          label="Model"
          value={model}
          onChange={setModel}
          data={models.filter((m) => m.routes.includes('iv')).map((m) => ({ value: m.id, label: m.name }))}
          allowDeselect={false}
        />
        <RangeNumberInput label="Target (ng/mL)" value={target} onChange={setTarget} min={1} w={130} />
        <RangeNumberInput label="Duration (min)" value={duration} onChange={setDuration} min={1} w={130} />
        <div>
          <Text size="sm" fw={500} mb={4}>
            Target site
          </Text>
          <SegmentedControl
            value={site}
            onChange={(v) => setSite(v as 'plasma' | 'effect')}
            data={[
              { value: 'plasma', label: 'Plasma' },
              { value: 'effect', label: 'Effect site' },
            ]}
            disabled={chosen?.ke0.defaultPerMin == null}
          />
        </div>
        <Button
          disabled={!ready}
          loading={tci.isPending}
          onClick={() =>
            tci.mutate({
              ...size!,
              model: model!,
              targetNgPerMl: target as number,
              durationMin: duration as number,
              targetSite: chosen?.ke0.defaultPerMin == null ? 'plasma' : site,
            })
          }
        >
          Compute TCI
        </Button>
      </Group>
      {size === null && (
        <Text size="sm" c="dimmed">
          Calculate a plan above first (it sets the patient or weight).
        </Text>
      )}
      {tci.error && (
        <Alert color="red">
          {tci.error instanceof ApiError ? tci.error.message : 'Could not reach the server.'}
        </Alert>
      )}
      {r && segment && (
        <Stack gap="sm">
          <Group gap="xl">
            <Text size="sm">
              Bolus{' '}
              <b>
                {r.boluses.map((b) => `${fix(b.doseMg, 2)} mg at ${fix(b.timeMin, 0)} min`).join(', ') ||
                  'none'}
              </b>
            </Text>
            <Text size="sm">
              Total <b>{fix(r.totalDoseMg, 1)} mg</b>
            </Text>
            <Text size="sm">
              Reached within 1% at{' '}
              <b>
                {segment.reachedWithinOnePercentAtMin === null
                  ? 'not reached'
                  : `${fix(segment.reachedWithinOnePercentAtMin, 1)} min`}
              </b>
              ; overshoot {fix(segment.overshootPercent, 2)}%
            </Text>
          </Group>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <LineChart
              h={220}
              data={chartData}
              dataKey="t"
              series={[
                { name: 'plasma', label: 'Plasma', color: 'teal.7' },
                ...(r.predicted.effectNgPerMl
                  ? [{ name: 'effect', label: 'Effect site', color: 'indigo.6' }]
                  : []),
              ]}
              withDots={false}
              curveType="linear"
              xAxisProps={{ type: 'number', domain: [0, r.predicted.timesMin.at(-1) ?? 0] }}
              xAxisLabel="Time (min)"
              yAxisLabel="ng/mL"
              referenceLines={[{ y: target as number, label: 'target', color: 'gray.6' }]}
              valueFormatter={(v) => fix(v, 0)}
              withLegend
            />
            <Table verticalSpacing={2} aria-label="TCI rates">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>From (min)</Table.Th>
                  <Table.Th ta="right">Rate (mg/h)</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shownRates.map((s) => (
                  <Table.Tr key={s.startMin}>
                    <Table.Td>{fix(s.startMin, 1)}</Table.Td>
                    <Table.Td ta="right">{fix(s.rateMgPerH, 1)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
              <Table.Caption>
                {r.infusions.length} rate changes every {fix(r.updateIntervalMin * 60, 0)} s; the rate in
                force at selected times is shown
              </Table.Caption>
            </Table>
          </SimpleGrid>
        </Stack>
      )}
    </Paper>
  );
}
