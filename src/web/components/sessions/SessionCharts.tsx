import { LineChart } from '@mantine/charts';
import { Group, Text } from '@mantine/core';
import { ReferenceArea, ReferenceLine } from 'recharts';
import { sessionEndMin, type Curve, type SessionState } from './types';
import { plainWords } from '../../../server/schemas/messages';
import { evidenceWords, withEvidence } from '../EvidenceBadge';

/** A threshold with its evidence status in words, e.g. "92 (unverified)". */
const sn = (t: { value: number; status: string }) => withEvidence(t.value, t.status);

const fmt = (v: number) => (Math.abs(v) < 0.05 ? '0' : v >= 10 ? v.toFixed(0) : v.toFixed(1));

/** Predicted plasma (and effect-site) concentration with the dissociative band and a "now" marker. */
export function LiveCurve({ curve, nowMin }: { curve: Curve; nowMin: number | null }) {
  const data = curve.timesMin.map((t, i) => ({
    t,
    plasma: curve.plasmaNgPerMl[i]!,
    ...(curve.effectNgPerMl ? { effect: curve.effectNgPerMl[i]! } : {}),
  }));
  const peak = Math.max(curve.band.high, ...curve.plasmaNgPerMl);
  const yMax = Math.ceil((peak * 1.1) / 50) * 50;
  return (
    <div data-testid="live-curve">
      <LineChart
        h={260}
        data={data}
        dataKey="t"
        series={[
          { name: 'plasma', label: 'Plasma (predicted)', color: 'teal.7' },
          ...(curve.effectNgPerMl
            ? [{ name: 'effect', label: 'Effect site (predicted)', color: 'indigo.4' }]
            : []),
        ]}
        withDots={false}
        curveType="linear"
        strokeWidth={2}
        withLegend
        legendProps={{ verticalAlign: 'bottom', height: 30 }}
        xAxisLabel="Minutes since dosing start"
        yAxisLabel="ng/mL"
        xAxisProps={{ type: 'number', domain: [0, curve.timesMin.at(-1) ?? 0], tickCount: 9 }}
        yAxisProps={{ domain: [0, yMax], tickFormatter: fmt }}
        valueFormatter={fmt}
        tooltipProps={{ labelFormatter: (t: unknown) => `${Number(t).toFixed(0)} min` }}
        gridAxis="xy"
      >
        <ReferenceArea
          yAxisId="left"
          y1={curve.band.low}
          y2={curve.band.high}
          fill="var(--mantine-color-yellow-4)"
          fillOpacity={0.18}
          stroke="none"
        />
        {nowMin !== null && (
          <ReferenceLine
            yAxisId="left"
            x={nowMin}
            stroke="var(--mantine-color-red-6)"
            strokeDasharray="4 3"
            label={{ value: `now ${Math.round(nowMin)} min`, position: 'top', fontSize: 11 }}
          />
        )}
      </LineChart>
      <Text size="xs" c="dimmed" mt={4}>
        Model {curve.model}, {curve.weightKg} kg, {curve.regimen.join(' + ')}. Shaded: {curve.band.low}–
        {curve.band.high} ng/mL, the plasma range associated with dissociation (
        {evidenceWords(curve.band.status)}: {plainWords(curve.band.source)}). A prediction, not a measurement.
      </Text>
    </div>
  );
}

/** Blood pressure, heart rate and SpO2 over the session with the clinic's alarm thresholds. */
export function VitalsChart({ state }: { state: SessionState }) {
  const data = state.vitals.map((v) => ({
    t: v.timeMin,
    ...(v.sbpMmHg !== null ? { sbp: v.sbpMmHg } : {}),
    ...(v.dbpMmHg !== null ? { dbp: v.dbpMmHg } : {}),
    ...(v.heartRateBpm !== null ? { hr: v.heartRateBpm } : {}),
    ...(v.spo2Pct !== null ? { spo2: v.spo2Pct } : {}),
  }));
  const spo2Floor = Math.min(80, ...state.vitals.flatMap((v) => (v.spo2Pct !== null ? [v.spo2Pct - 5] : [])));
  const th = state.thresholds;
  // The session's own window: to now while it runs, to discharge (or its last entry) after.
  const last = Math.max(60, ...state.vitals.map((v) => v.timeMin), sessionEndMin(state) ?? 0);
  return (
    <div data-testid="vitals-chart">
      <LineChart
        h={240}
        data={data}
        dataKey="t"
        series={[
          { name: 'sbp', label: 'Systolic', color: 'red.6' },
          { name: 'dbp', label: 'Diastolic', color: 'blue.6' },
          { name: 'hr', label: 'Heart rate', color: 'gray.6' },
          { name: 'spo2', label: 'SpO2 %', color: 'violet.6', yAxisId: 'right' },
        ]}
        withRightYAxis
        rightYAxisLabel="SpO2 %"
        rightYAxisProps={{ domain: [Math.floor(spo2Floor / 5) * 5, 100] }}
        withDots
        connectNulls
        curveType="linear"
        withLegend
        legendProps={{ verticalAlign: 'bottom', height: 30 }}
        xAxisLabel="Minutes since dosing start"
        xAxisProps={{
          type: 'number',
          domain: [Math.min(0, ...state.vitals.map((v) => v.timeMin)), last],
          tickCount: 9,
        }}
        yAxisProps={{ domain: [40, Math.max(200, th.holdSbpAboveMmHg.value + 20)] }}
        gridAxis="xy"
        referenceLines={[
          {
            y: th.holdSbpAboveMmHg.value,
            label: `Hold SBP > ${sn(th.holdSbpAboveMmHg)}`,
            color: 'red.4',
          },
          {
            y: th.holdDbpAboveMmHg.value,
            label: `Hold DBP > ${sn(th.holdDbpAboveMmHg)}`,
            color: 'blue.4',
          },
          {
            y: th.spo2BelowPct.value,
            yAxisId: 'right',
            label: `SpO2 < ${th.spo2BelowPct.value} % (${evidenceWords(th.spo2BelowPct.status)})`,
            color: 'violet.4',
          },
        ]}
      />
      <Group gap="md" mt={4}>
        <Text size="xs" c="dimmed">
          Thresholds: {state.thresholdsSource === 'clinic' ? 'set by the clinic' : 'defaults'}; pre-dose
          caution{' '}
          {withEvidence(
            `${th.preDoseCautionSbpAboveMmHg.value}/${th.preDoseCautionDbpAboveMmHg.value}`,
            th.preDoseCautionSbpAboveMmHg.status,
          )}
          , hold{' '}
          {withEvidence(
            `${th.holdSbpAboveMmHg.value}/${th.holdDbpAboveMmHg.value}`,
            th.holdSbpAboveMmHg.status,
          )}
          , HR {sn(th.holdHeartRateAboveBpm)}; alarms SpO2 &lt; {sn(th.spo2BelowPct)} % or a fall of{' '}
          {sn(th.spo2FallFromBaselinePctPoints)} points, systolic &lt; {sn(th.hypotensionSbpBelowMmHg)} or a
          fall of {sn(th.hypotensionSbpFallFromBaselinePct)} %, HR &lt; {sn(th.bradycardiaHeartRateBelowBpm)},
          respiratory rate &lt; {sn(th.respiratoryRateBelowPerMin)} /min, MOAA/S ≤{' '}
          {sn(th.deepSedationMoaasAtOrBelow)}.
        </Text>
      </Group>
    </div>
  );
}
