import { LineChart } from '@mantine/charts';
import { Button, Group, SegmentedControl, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { downloadText, toCsvText } from './download';
import type { OutcomeSummary } from './types';

type Durability = OutcomeSummary['durability'];

/** Step points for the chart: the curve starts at 100 % on day 0 and drops at event times. */
export function curvePoints(
  d: Durability,
): { day: number; survival: number; lower: number | null; upper: number | null }[] {
  const pts: { day: number; survival: number; lower: number | null; upper: number | null }[] = [
    { day: 0, survival: 100, lower: null, upper: null },
  ];
  for (const s of d.steps) {
    pts.push({
      day: Math.round(s.time * 10) / 10,
      survival: Math.round(s.survival * 1000) / 10,
      lower: s.lower === null ? null : Math.round(s.lower * 1000) / 10,
      upper: s.upper === null ? null : Math.round(s.upper * 1000) / 10,
    });
  }
  return pts;
}

export function DurabilityCurve({ durability }: { durability: Durability }) {
  const [view, setView] = useState('chart');
  const csv = () =>
    toCsvText(
      [
        'days_after_last_induction_session',
        'at_risk',
        'relapses',
        'censored',
        'still_responding',
        'ci95_lower',
        'ci95_upper',
      ],
      durability.steps.map((s) => [s.time, s.atRisk, s.events, s.censored, s.survival, s.lower, s.upper]),
    );
  if (durability.n === 0) {
    return <Text c="dimmed">No responders with follow-up yet.</Text>;
  }
  return (
    <>
      <Group justify="space-between" className="no-print">
        <Text size="sm" c="dimmed">
          {durability.n} responders · {durability.events} relapsed · {durability.censored} censored · median{' '}
          {durability.medianDays === null ? 'not reached' : `${durability.medianDays.toFixed(0)} days`}
        </Text>
        <SegmentedControl
          size="xs"
          value={view}
          onChange={setView}
          data={[
            { value: 'chart', label: 'Chart' },
            { value: 'table', label: 'Table' },
          ]}
          aria-label="Durability view"
        />
      </Group>
      {view === 'chart' ? (
        <LineChart
          h={260}
          data={curvePoints(durability)}
          dataKey="day"
          unit=" %"
          yAxisProps={{ domain: [0, 100] }}
          // Days to scale (a numeric axis), not one evenly spaced category per step.
          xAxisProps={{ type: 'number', domain: [0, 'dataMax'], allowDecimals: false }}
          xAxisLabel="Days after the last induction session"
          series={[
            { name: 'survival', label: 'Still responding', color: 'teal.7' },
            { name: 'upper', label: '95 % CI upper', color: 'gray.5', strokeDasharray: '4 4' },
            { name: 'lower', label: '95 % CI lower', color: 'gray.5', strokeDasharray: '4 4' },
          ]}
          curveType="stepAfter"
          withDots={false}
          connectNulls
          withLegend
          aria-label="Kaplan–Meier durability curve"
        />
      ) : (
        <Table aria-label="Durability table" striped verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th ta="right">Day</Table.Th>
              <Table.Th ta="right">At risk</Table.Th>
              <Table.Th ta="right">Relapsed</Table.Th>
              <Table.Th ta="right">Censored</Table.Th>
              <Table.Th ta="right">Still responding</Table.Th>
              <Table.Th ta="right">95 % CI</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {durability.steps.map((s) => (
              <Table.Tr key={s.time}>
                <Table.Td ta="right">{s.time}</Table.Td>
                <Table.Td ta="right">{s.atRisk}</Table.Td>
                <Table.Td ta="right">{s.events}</Table.Td>
                <Table.Td ta="right">{s.censored}</Table.Td>
                <Table.Td ta="right">{(s.survival * 100).toFixed(1)} %</Table.Td>
                <Table.Td ta="right">
                  {s.lower === null
                    ? '—'
                    : `${(s.lower * 100).toFixed(1)} – ${((s.upper ?? 0) * 100).toFixed(1)} %`}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group justify="flex-end" className="no-print">
        <Button variant="light" size="xs" onClick={() => downloadText('rein-durability.csv', csv())}>
          Download curve (CSV)
        </Button>
      </Group>
    </>
  );
}
