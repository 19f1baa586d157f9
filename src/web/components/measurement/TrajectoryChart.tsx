/**
 * Trajectory: PHQ-9 / QIDS-SR16 / GAD-7 totals over time with the baseline, the response line (50 %
 * of baseline) and the remission threshold — all computed on the server by the clinical core — and
 * the suicidality items as their own track underneath.
 */
import { LineChart } from '@mantine/charts';
import { Badge, Group, Paper, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../../api/client';
import { useClinicDates } from '../../dates';
import { INSTRUMENT_SHORT, type Trajectory } from './types';

/** Points on a time axis: x is the instant (ms), so a twice-weekly induction and follow-ups months apart keep their spacing. */
function onTimeAxis(points: Trajectory['series'][number]['points']): Array<{ t: number; total: number }> {
  return points.map((p) => ({ t: Date.parse(p.at), total: p.total })).sort((a, b) => a.t - b.t);
}
/** Sessions between the first and last point (plus a week after) are marked. */
function inRange(iso: string, points: Trajectory['series'][number]['points']): boolean {
  if (points.length === 0) return false;
  const t = Date.parse(iso);
  return t >= Date.parse(points[0]!.at) && t <= Date.parse(points[points.length - 1]!.at) + 7 * 86_400_000;
}

/** Single-item suicide measures charted as lines; multi-item ones (C-SSRS, SSI) as markers. */
const SINGLE_ITEM: Record<string, string> = {
  'phq9:9': 'PHQ-9 item 9',
  'qids-sr16:12': 'QIDS item 12',
  'madrs:10': 'MADRS item 10',
};
const SERIES_COLORS = ['red.7', 'orange.6', 'grape.6'];

export function TrajectoryChart({ patientId }: { patientId: string }) {
  const dates = useClinicDates();
  const data = useQuery({
    queryKey: ['patient', patientId, 'trajectory'],
    queryFn: () => call(api.GET('/api/patients/{patientId}/trajectory', { params: { path: { patientId } } })),
  });
  const available = (data.data?.series ?? []).filter((s) => s.points.length > 0);
  const [chosen, setChosen] = useState<string | null>(null);
  if (!data.data) return null;
  if (available.length === 0 && data.data.suicidality.length === 0) {
    return <Text c="dimmed">No PHQ-9, QIDS-SR16 or GAD-7 recorded yet.</Text>;
  }
  const series = available.find((s) => s.instrument === chosen) ?? available[0];
  const sessionTimes = series
    ? data.data.sessions.filter((s) => inRange(s.startAt, series.points)).map((s) => Date.parse(s.startAt))
    : [];
  const points = series ? onTimeAxis(series.points) : [];
  const xMax = Math.max(...points.map((p) => p.t), ...sessionTimes);
  return (
    <Stack gap="md" data-testid="trajectory">
      {series && (
        <>
          <Group justify="space-between">
            {available.length > 1 ? (
              <SegmentedControl
                size="xs"
                value={series.instrument}
                onChange={setChosen}
                data={available.map((s) => ({
                  value: s.instrument,
                  label: INSTRUMENT_SHORT[s.instrument] ?? s.instrument,
                }))}
              />
            ) : (
              <Text fw={600}>{INSTRUMENT_SHORT[series.instrument]}</Text>
            )}
            <OutcomeBadges series={series} />
          </Group>
          <LineChart
            h={240}
            data={points}
            dataKey="t"
            xAxisProps={{
              type: 'number',
              scale: 'time',
              domain: ['dataMin', xMax],
              tickFormatter: (ms: number) => dates.shortDate(dates.dayOf(ms)),
            }}
            // The tooltip asks for a label before it points at a dot too: no instant, no label.
            tooltipProps={{
              labelFormatter: (t) =>
                Number.isFinite(Number(t)) && t !== '' && t != null
                  ? dates.dateTime(new Date(Number(t)))
                  : '',
            }}
            series={[
              { name: 'total', label: `${INSTRUMENT_SHORT[series.instrument]} total`, color: 'teal.7' },
            ]}
            curveType="linear"
            withDots
            yAxisProps={{ domain: [0, series.totalRange?.max ?? 'auto'] }}
            referenceLines={[
              // Each session at its own time on the axis.
              ...sessionTimes.map((t, k) => ({
                x: t,
                label: k === 0 ? 'Sessions' : '',
                color: 'violet.3',
                strokeDasharray: '4 4',
              })),
              ...(series.baseline
                ? [{ y: series.baseline.total, label: `Baseline ${series.baseline.total}`, color: 'gray.6' }]
                : []),
              ...(series.responseLine !== null
                ? [
                    {
                      y: series.responseLine,
                      label: `Response (−${series.responseMinFallPercent} %)`,
                      color: 'blue.6',
                    },
                  ]
                : []),
              ...(series.remission
                ? [
                    {
                      y: series.remission.value,
                      label: `Remission ${series.remission.comparator} ${series.remission.value}`,
                      color: 'green.7',
                    },
                  ]
                : []),
            ]}
          />
          {series.remission && (
            <Text size="xs" c="dimmed">
              Response: fall of at least {series.responseMinFallPercent} % from baseline. Remission:{' '}
              {series.remission.comparator} {series.remission.value} ({series.remission.source}).
            </Text>
          )}
        </>
      )}
      <SuicidalityTrack points={data.data.suicidality} />
    </Stack>
  );
}

function OutcomeBadges({ series }: { series: Trajectory['series'][number] }) {
  const l = series.latest;
  if (!l) return null;
  return (
    <Group gap="xs">
      <Badge variant="light" color="gray">
        Latest {l.total}
        {l.fallPercent !== null
          ? ` · ${Math.abs(l.fallPercent)} % ${l.fallPercent >= 0 ? 'below' : 'above'} baseline`
          : ''}
      </Badge>
      {l.response !== null && (
        <Badge
          color={l.response ? 'blue' : 'gray'}
          variant={l.response ? 'filled' : 'outline'}
          data-testid="response-badge"
        >
          {l.response ? 'Response' : 'No response yet'}
        </Badge>
      )}
      {l.remission !== null && (
        <Badge
          color={l.remission ? 'green' : 'gray'}
          variant={l.remission ? 'filled' : 'outline'}
          data-testid="remission-badge"
        >
          {l.remission ? 'Remission' : 'Not in remission'}
        </Badge>
      )}
    </Group>
  );
}

function SuicidalityTrack({ points }: { points: Trajectory['suicidality'] }) {
  const dates = useClinicDates();
  if (points.length === 0) return null;
  const keys = [...new Set(points.map((p) => `${p.instrument}:${p.itemId}`))].filter((k) => SINGLE_ITEM[k]);
  const rows = new Map<string, Record<string, string | number>>();
  for (const p of points) {
    const name = SINGLE_ITEM[`${p.instrument}:${p.itemId}`];
    if (!name) continue;
    const row = rows.get(p.at) ?? { when: dates.dateTime(p.at), at: p.at };
    row[name] = p.value;
    rows.set(p.at, row);
  }
  // PHQ-9 item 9 and QIDS item 12 run 0–3; MADRS item 10 runs 0–6.
  const trackMax = keys.includes('madrs:10') ? 6 : 3;
  const chartData = [...rows.values()].sort((a, b) => String(a.at).localeCompare(String(b.at)));
  // Multi-item instruments (C-SSRS screener, SSI): one marker per response, positive if any item is.
  const multi = new Map<string, { at: string; instrument: string; positive: boolean }>();
  for (const p of points) {
    if (SINGLE_ITEM[`${p.instrument}:${p.itemId}`]) continue;
    const m = multi.get(p.responseId) ?? { at: p.at, instrument: p.instrument, positive: false };
    m.positive ||= p.positive;
    multi.set(p.responseId, m);
  }
  return (
    <Paper withBorder p="sm" bg="red.0" data-testid="suicidality-track">
      <Title order={5} mb={4}>
        Suicidality items
      </Title>
      {chartData.length > 0 && (
        <LineChart
          h={150}
          data={chartData}
          dataKey="when"
          series={keys.map((k, i) => ({
            name: SINGLE_ITEM[k]!,
            color: SERIES_COLORS[i % SERIES_COLORS.length]!,
          }))}
          curveType="step"
          withDots
          connectNulls
          yAxisProps={{
            domain: [0, trackMax],
            ticks: Array.from({ length: trackMax + 1 }, (_, k) => k),
            interval: 0,
          }}
          withLegend
          legendProps={{ verticalAlign: 'bottom', height: 24 }}
        />
      )}
      {multi.size > 0 && (
        <Group gap={6} mt="xs">
          {[...multi.values()].map((m) => (
            <Badge
              key={`${m.instrument}-${m.at}`}
              color={m.positive ? 'red' : 'gray'}
              variant={m.positive ? 'filled' : 'light'}
              title={dates.dateTime(m.at)}
            >
              {INSTRUMENT_SHORT[m.instrument]} {dates.dateTime(m.at)}: {m.positive ? 'positive' : 'negative'}
            </Badge>
          ))}
        </Group>
      )}
    </Paper>
  );
}
