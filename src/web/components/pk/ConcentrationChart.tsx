import { LineChart } from '@mantine/charts';
import { Group, Text } from '@mantine/core';
import { ReferenceArea, ReferenceDot } from 'recharts';
import { DISSOCIATION_BAND, parentAnalyte, type ModelInfo, type SimulateResult } from './types';

export interface ModelCurve {
  model: ModelInfo;
  result: SimulateResult;
  color: string;
}

export interface ObservedPoint {
  timeMin: number;
  valueNgPerMl: number;
  label: string;
}

const fmt = (v: number) => (v === 0 ? '0' : v >= 10 ? v.toFixed(0) : v.toFixed(1));

/**
 * Plasma concentration of the parent drug for each chosen model on one time axis, with the
 * 100–250 ng/mL range associated with dissociation shaded and published observations as dots.
 */
export function ConcentrationChart({
  curves,
  observations,
}: {
  curves: ModelCurve[];
  observations: ObservedPoint[];
}) {
  const times = curves[0]?.result.timesMin ?? [];
  const data = times.map((t, i) => {
    const row: Record<string, number> = { t };
    for (const c of curves) row[c.model.id] = c.result.analytes[parentAnalyte(c.result)]![i]!;
    return row;
  });
  const peak = Math.max(
    DISSOCIATION_BAND.high,
    ...curves.map((c) => c.result.metrics[parentAnalyte(c.result)]?.cmaxNgPerMl ?? 0),
    ...observations.map((o) => o.valueNgPerMl),
  );
  const yMax = Math.ceil((peak * 1.1) / 50) * 50;
  return (
    <div data-testid="pk-chart">
      <LineChart
        h={340}
        data={data}
        dataKey="t"
        series={curves.map((c) => ({ name: c.model.id, label: c.model.name, color: c.color }))}
        withDots={false}
        curveType="linear"
        strokeWidth={2}
        withLegend
        legendProps={{ verticalAlign: 'bottom', height: 40 }}
        xAxisLabel="Time (min)"
        yAxisLabel="Plasma ng/mL"
        xAxisProps={{ type: 'number', domain: [0, times.at(-1) ?? 0], tickCount: 9 }}
        yAxisProps={{ domain: [0, yMax] }}
        valueFormatter={fmt}
        tooltipProps={{ labelFormatter: (t: unknown) => `${Number(t).toFixed(0)} min` }}
        gridAxis="xy"
      >
        <ReferenceArea
          yAxisId="left"
          y1={DISSOCIATION_BAND.low}
          y2={DISSOCIATION_BAND.high}
          fill="var(--mantine-color-yellow-4)"
          fillOpacity={0.18}
          stroke="none"
          ifOverflow="extendDomain"
        />
        {observations.map((o) => (
          <ReferenceDot
            key={o.label}
            yAxisId="left"
            x={o.timeMin}
            y={o.valueNgPerMl}
            r={6}
            fill="var(--mantine-color-dark-6)"
            stroke="white"
            strokeWidth={2}
          />
        ))}
      </LineChart>
      <Group gap="lg" mt={4}>
        <Group gap={6}>
          <div
            style={{
              width: 14,
              height: 10,
              background: 'var(--mantine-color-yellow-4)',
              opacity: 0.5,
              borderRadius: 2,
            }}
          />
          <Text size="xs" c="dimmed">
            {DISSOCIATION_BAND.low}–{DISSOCIATION_BAND.high} ng/mL: range associated with dissociation (
            {DISSOCIATION_BAND.source})
          </Text>
        </Group>
        {observations.length > 0 && (
          <Group gap={6}>
            <div
              style={{ width: 10, height: 10, borderRadius: 5, background: 'var(--mantine-color-dark-6)' }}
            />
            <Text size="xs" c="dimmed">
              Published observation
            </Text>
          </Group>
        )}
      </Group>
    </div>
  );
}
