import { LineChart } from '@mantine/charts';
import { Box, Stack, Text } from '@mantine/core';
import type { MechanismResult } from './types';

/** Hour ticks for the shared axis: a round step giving at most ~12 intervals. */
function hourTicks(untilH: number): number[] {
  const step = [0.25, 0.5, 1, 2, 3, 6, 12, 24, 48, 96].find((s) => untilH / s <= 12) ?? 168;
  const ticks: number[] = [];
  for (let h = 0; h <= untilH + 1e-9; h += step) ticks.push(Math.round(h * 100) / 100);
  return ticks;
}

const fmtH = (h: number) => (h < 10 ? `${Number(h.toFixed(2))} h` : `${h.toFixed(0)} h`);
const fmtPct = (v: number) => `${v.toFixed(1)}%`;
const fmtConc = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

interface Panel {
  id: string;
  step: string;
  title: string;
  caption: string;
  yLabel: string;
  series: { name: string; label: string; color: string }[];
  yDomain?: [number, number];
  format: (v: number) => string;
}

/**
 * The mechanism chain as stacked charts on one shared time axis (hours):
 * plasma → receptor occupancy and trapped block → burst suppression → spine component.
 * Tooltips are synchronised across the four charts.
 */
export function MechanismCharts({ result }: { result: MechanismResult }) {
  const untilH = result.grid.untilMin / 60;
  const ticks = hourTicks(untilH);
  const metabolite = result.pk.metaboliteAnalyte;
  const data = result.timesMin.map((t, i) => ({
    h: t / 60,
    plasma: result.plasmaNgPerMl[i]!,
    ...(result.norketamineNgPerMl ? { metabolite: result.norketamineNgPerMl[i]! } : {}),
    occupancy: result.occupancy[i]! * 100,
    trapped: result.trappedBlock[i]! * 100,
    burst: result.burstSuppression[i]! * 100,
    spine: result.spineComponent[i]!,
    formation: result.spineFormationIndex[i]!,
  }));
  const doseLines = result.pk.doses
    .filter((d) => d.startMin <= result.grid.untilMin)
    .map((d) => ({ x: d.startMin / 60, color: 'gray.5', strokeDasharray: '4 4' }));

  const panels: Panel[] = [
    {
      id: 'plasma',
      step: '1',
      title: 'Plasma concentration',
      caption: `${result.pk.modelName} — typical patient for the inputs, not this person's measured levels.`,
      yLabel: 'ng/mL',
      series: [
        { name: 'plasma', label: result.pk.parentAnalyte, color: 'teal.7' },
        ...(metabolite && result.norketamineNgPerMl
          ? [{ name: 'metabolite', label: metabolite, color: 'grape.5' }]
          : []),
      ],
      format: fmtConc,
    },
    {
      id: 'receptor',
      step: '2',
      title: 'NMDA-receptor occupancy and trapped block',
      caption:
        'Occupancy follows the free brain concentration; trapped drug stays in closed channels and leaves slowly.',
      yLabel: '% of receptors',
      series: [
        { name: 'occupancy', label: 'Occupancy', color: 'blue.6' },
        { name: 'trapped', label: 'Trapped block', color: 'indigo.9' },
      ],
      yDomain: [0, 100],
      format: fmtPct,
    },
    {
      id: 'burst',
      step: '3',
      title: 'Predicted suppression of lateral-habenula bursting',
      caption: 'From a conductance-based model neuron (illustrative parameters) driven by the trapped block.',
      yLabel: '% suppressed',
      series: [{ name: 'burst', label: 'Burst suppression', color: 'orange.7' }],
      yDomain: [0, 100],
      format: fmtPct,
    },
    {
      id: 'spine',
      step: '4',
      title: 'Spine formation and durability component',
      caption:
        'Illustrative index (no published scale): unchanged at 3–6 h, rising at 12–24 h, lasting days.',
      yLabel: 'index (0–1)',
      series: [
        { name: 'spine', label: 'Spine component', color: 'green.7' },
        { name: 'formation', label: 'Formation drive', color: 'lime.5' },
      ],
      yDomain: [0, 1],
      format: (v) => v.toFixed(3),
    },
  ];

  return (
    <Stack gap="md" data-testid="mechanism-charts">
      {panels.map((p, k) => (
        <Box key={p.id} data-testid={`mechanism-chart-${p.id}`} role="figure" aria-label={p.title}>
          <Text fw={600} size="sm">
            {p.step}. {p.title}
          </Text>
          <Text size="xs" c="dimmed" mb={4}>
            {p.caption}
          </Text>
          <LineChart
            h={170}
            data={data}
            dataKey="h"
            series={p.series}
            withDots={false}
            curveType="linear"
            strokeWidth={2}
            withLegend
            legendProps={{ verticalAlign: 'top', height: 26 }}
            xAxisProps={{
              type: 'number',
              domain: [0, untilH],
              ticks,
              tickFormatter: (h: number) => fmtH(h),
            }}
            yAxisProps={{
              width: 56,
              tickFormatter: (v: number) => `${Number(v.toFixed(2))}${p.yLabel.startsWith('%') ? '%' : ''}`,
              ...(p.yDomain ? { domain: p.yDomain } : {}),
            }}
            yAxisLabel={p.yLabel}
            xAxisLabel={k === panels.length - 1 ? 'Time since start (h)' : undefined}
            valueFormatter={p.format}
            tooltipProps={{ labelFormatter: (h: unknown) => fmtH(Number(h)) }}
            lineChartProps={{ syncId: 'mechanism' }}
            referenceLines={doseLines}
            gridAxis="xy"
            tooltipAnimationDuration={0}
            lineProps={{ isAnimationActive: false }}
          />
        </Box>
      ))}
      <Text size="xs" c="dimmed">
        Dashed vertical lines mark dose starts. All four charts share one time axis.
      </Text>
    </Stack>
  );
}
