import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Loader,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { api, ApiError, call } from '../api/client';
import type { paths } from '../api/schema';
import { useAuth } from '../auth';
import { mechanismHref } from '../components/mechanism/url';
import { PumpProgram } from '../components/pk/PumpProgram';
import { StatusBadge } from '../components/sessions/Citations';
import { InteractionFlags } from '../components/sessions/InteractionFlags';
import { LiveCurve, VitalsChart } from '../components/sessions/SessionCharts';
import { clock, MODALITY_LABEL, STATE_COLOR, type SessionState } from '../components/sessions/types';
import { formatDate, formatDateTime } from '../format';
import { RangeNumberInput } from '../components/RangeNumberInput';
import { PLAUSIBLE } from '../../clinical/plausibility';

function errorText(err: unknown): string {
  return err instanceof ApiError ? err.message : 'Could not reach the server.';
}

type Params = { patientId: string; sessionId: string };
const REFRESH_MS = 15_000;

function useSession(params: Params) {
  return useQuery({
    queryKey: ['session', params.sessionId],
    queryFn: () =>
      call(api.GET('/api/patients/{patientId}/sessions/{sessionId}', { params: { path: params } })),
    refetchInterval: REFRESH_MS,
  });
}

/** Posts one session entry and puts the returned state into the cache. */
function usePost(params: Params) {
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  async function post(run: () => Promise<SessionState>): Promise<boolean> {
    setBusy(true);
    setError(null);
    try {
      const state = await run();
      queryClient.setQueryData(['session', params.sessionId], state);
      void queryClient.invalidateQueries({ queryKey: ['session-curve', params.sessionId] });
      return true;
    } catch (err) {
      if (err instanceof ApiError) setError(err);
      else notifications.show({ color: 'red', message: errorText(err) });
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { post, busy, error };
}

function Card({
  title,
  label,
  children,
  right,
}: {
  title: string;
  label: string;
  children: ReactNode;
  right?: ReactNode;
}) {
  return (
    <Paper withBorder p="md" component="section" aria-label={label}>
      <Group justify="space-between" mb="xs">
        <Title order={3}>{title}</Title>
        {right}
      </Group>
      {children}
    </Paper>
  );
}

// ------------------------------------------------------------------------------------------------

function ChecklistCard({ params, state }: { params: Params; state: SessionState }) {
  const esk = state.course.modality === 'esketamine';
  const { post, busy, error } = usePost(params);
  const prev = state.checklist?.input as Record<string, unknown> | undefined;
  const [weightKg, setWeight] = useState<number | string>(
    state.latestWeight?.measuredOn === state.today ? state.latestWeight.weightKg : '',
  );
  const [sbp, setSbp] = useState<number | string>((prev?.baselineSbpMmHg as number) ?? '');
  const [dbp, setDbp] = useState<number | string>((prev?.baselineDbpMmHg as number) ?? '');
  const [hr, setHr] = useState<number | string>((prev?.baselineHeartRateBpm as number) ?? '');
  const [spo2, setSpo2] = useState<number | string>((prev?.baselineSpo2Pct as number) ?? '');
  const [food, setFood] = useState<number | string>((prev?.lastFoodMinBeforeDose as number) ?? '');
  const [liquid, setLiquid] = useState<number | string>((prev?.lastLiquidMinBeforeDose as number) ?? '');
  // No default: the nurse chooses the result every time (the clinic's rule decides who needs a test).
  const [pregnancy, setPregnancy] = useState<string | null>((prev?.pregnancyTest as string) ?? null);
  const [pregnancyMissing, setPregnancyMissing] = useState(false);
  const [checks, setChecks] = useState({
    identityConfirmed: Boolean(prev?.identityConfirmed),
    escortArranged: Boolean(prev?.escortArranged),
    interactionReviewDone: Boolean(prev?.interactionReviewDone),
    remsPatientEnrolled: Boolean(prev?.remsPatientEnrolled),
  });
  const locked = state.dosingStartedAt !== null;
  const n = (v: number | string) => (typeof v === 'number' ? v : undefined);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setPregnancyMissing(pregnancy === null);
    if (pregnancy === null) return;
    await post(() =>
      call(
        api.POST('/api/patients/{patientId}/sessions/{sessionId}/checklist', {
          params: { path: params },
          body: {
            identityConfirmed: checks.identityConfirmed,
            escortArranged: checks.escortArranged,
            interactionReviewDone: checks.interactionReviewDone,
            ...(esk ? { remsPatientEnrolled: checks.remsPatientEnrolled } : {}),
            pregnancyTest: pregnancy as 'negative',
            ...(n(weightKg) !== undefined ? { weightKg: n(weightKg) } : {}),
            ...(n(sbp) !== undefined ? { baselineSbpMmHg: n(sbp) } : {}),
            ...(n(dbp) !== undefined ? { baselineDbpMmHg: n(dbp) } : {}),
            ...(n(hr) !== undefined ? { baselineHeartRateBpm: n(hr) } : {}),
            ...(n(spo2) !== undefined ? { baselineSpo2Pct: n(spo2) } : {}),
            ...(n(food) !== undefined ? { lastFoodMinBeforeDose: n(food) } : {}),
            ...(n(liquid) !== undefined ? { lastLiquidMinBeforeDose: n(liquid) } : {}),
          },
        }),
      ),
    );
  }
  const box = (key: keyof typeof checks, label: string) => (
    <Checkbox
      label={label}
      checked={checks[key]}
      disabled={locked}
      onChange={(e) => {
        const checked = e.currentTarget.checked;
        setChecks((c) => ({ ...c, [key]: checked }));
      }}
    />
  );
  return (
    <Card
      title="Pre-session checklist"
      label="Pre-session checklist"
      right={
        state.checklist && (
          <Badge color={STATE_COLOR[state.checklist.overall]} size="lg" data-testid="checklist-overall">
            {state.checklist.overall}
          </Badge>
        )
      }
    >
      <Stack gap="sm">
        <InteractionFlags flags={state.interactions} notes={state.interactionNotes} />
        {!locked && (
          <form onSubmit={submit} aria-label="Checklist">
            <Stack gap="xs">
              <SimpleGrid cols={{ base: 2, sm: 3, md: 6 }} spacing="xs">
                <RangeNumberInput
                  label="Today's weight (kg)"
                  value={weightKg}
                  onChange={setWeight}
                  min={PLAUSIBLE.weightKg.min}
                  max={PLAUSIBLE.weightKg.max}
                  unit="kg"
                  decimalScale={1}
                />
                <RangeNumberInput
                  label="Baseline systolic"
                  value={sbp}
                  onChange={setSbp}
                  min={40}
                  max={300}
                />
                <RangeNumberInput
                  label="Baseline diastolic"
                  value={dbp}
                  onChange={setDbp}
                  min={20}
                  max={200}
                />
                <RangeNumberInput
                  label="Baseline heart rate"
                  value={hr}
                  onChange={setHr}
                  min={20}
                  max={250}
                />
                <RangeNumberInput
                  label="Baseline SpO2 %"
                  value={spo2}
                  onChange={setSpo2}
                  min={50}
                  max={100}
                />
                <RangeNumberInput label="Last food (min before)" value={food} onChange={setFood} min={0} />
                {esk && (
                  <RangeNumberInput
                    label="Last liquid (min before)"
                    value={liquid}
                    onChange={setLiquid}
                    min={0}
                  />
                )}
              </SimpleGrid>
              <Group gap="lg">
                {box('identityConfirmed', 'Identity confirmed')}
                {box('escortArranged', 'Escort / transport home arranged')}
                {box('interactionReviewDone', 'Interactions reviewed')}
                {esk && box('remsPatientEnrolled', 'Enrolled in the SPRAVATO REMS')}
              </Group>
              <Text size="sm" data-testid="checklist-assessments">
                PHQ-9:{' '}
                {state.assessmentsLatest.phq9
                  ? `recorded ${formatDate(state.assessmentsLatest.phq9)}`
                  : 'none on record'}
                {' · '}C-SSRS:{' '}
                {state.assessmentsLatest.cssrs
                  ? `recorded ${formatDate(state.assessmentsLatest.cssrs)}`
                  : 'none on record'}
                <Text span c="dimmed" size="xs">
                  {' '}
                  (they count only when recorded within the clinic's window; record them on the patient page)
                </Text>
              </Text>
              <Group align="flex-end">
                <Select
                  label="Pregnancy test"
                  placeholder="Choose the result"
                  data={[
                    { value: 'negative', label: 'Negative' },
                    { value: 'positive', label: 'Positive' },
                    { value: 'not-done', label: 'Not done' },
                    { value: 'not-applicable', label: 'Not applicable' },
                  ]}
                  value={pregnancy}
                  onChange={(v) => setPregnancy(v)}
                  error={pregnancyMissing ? 'Choose the pregnancy test result' : undefined}
                  w={220}
                />
                <Button type="submit" loading={busy}>
                  Record checklist
                </Button>
              </Group>
              {error && <Alert color="red">{error.message}</Alert>}
            </Stack>
          </form>
        )}
        {state.checklist && (
          <Table aria-label="Checklist result">
            <Table.Tbody>
              {state.checklist.items.map((i) => (
                <Table.Tr key={i.id}>
                  <Table.Td w={110}>
                    <Badge color={STATE_COLOR[i.state]} variant="light">
                      {i.state === 'not-applicable' ? 'n/a' : i.state}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {i.label}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {i.message}
                    </Text>
                  </Table.Td>
                  <Table.Td w={40}>
                    <StatusBadge status={i.status} citations={i.citations} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}

function DoseCard({ params, state }: { params: Params; state: SessionState }) {
  const esk = state.course.modality === 'esketamine';
  const { post, busy, error } = usePost(params);
  const dose = state.session.dose;
  const [doseMg, setDoseMg] = useState<string | null>(
    state.session.fixedDoseMg !== null ? String(state.session.fixedDoseMg) : null,
  );
  const [lot, setLot] = useState('');
  const { can } = useAuth();
  const canPrescribe = can('courses.prescribe');
  const [mgPerKg, setMgPerKg] = useState<number | string>(
    dose.kind === 'weight-based' ? dose.doseMgPerKg : '',
  );
  const plan = state.dosePlan;
  const locked = state.dosingStartedAt !== null;
  const compute = () =>
    post(() =>
      call(
        api.POST('/api/patients/{patientId}/sessions/{sessionId}/dose-plan', {
          params: { path: params },
          body: {
            ...(esk && doseMg ? { doseMg: Number(doseMg) } : {}),
            ...(!esk && typeof mgPerKg === 'number' ? { doseMgPerKg: mgPerKg } : {}),
            ...(lot.trim() ? { lotNumber: lot.trim() } : {}),
          },
        }),
      ),
    );
  const mech = plan
    ? mechanismHref({
        model: esk ? 'perez-ruixo-2021' : 'domino-1984',
        patientId: params.patientId,
        ...(plan.weightKg !== null ? { weightKg: plan.weightKg } : {}),
        doses: esk
          ? Array.from({ length: plan.devices ?? 1 }, (_, i) => `28 mg intranasal at ${i * 5} min`)
          : [`${plan.doseMg.toFixed(1)} mg over ${plan.dosingEndMin} min`],
      })
    : null;
  return (
    <Card
      title="Dose and pump program"
      label="Dose"
      right={
        mech && (
          <Anchor component={Link} to={mech} size="sm">
            Open in mechanism view
          </Anchor>
        )
      }
    >
      <Stack gap="sm">
        {!locked && (
          <Group align="flex-end">
            {esk && dose.kind === 'fixed-intranasal' && (
              <Select
                label="Dose"
                data={(state.session.fixedDoseMg !== null
                  ? [state.session.fixedDoseMg]
                  : dose.doseMgOptions
                ).map((d) => ({
                  value: String(d),
                  label: `${d} mg (${d / 28} devices)`,
                }))}
                value={doseMg}
                onChange={setDoseMg}
                w={200}
              />
            )}
            {!esk && canPrescribe && (
              <RangeNumberInput
                label="Dose (mg/kg)"
                description="Course dose; a prescriber may change it"
                value={mgPerKg}
                onChange={setMgPerKg}
                min={0.05}
                max={2}
                step={0.05}
                decimalScale={2}
                w={200}
              />
            )}
            <TextInput
              label="Lot number"
              value={lot}
              onChange={(e) => setLot(e.currentTarget.value)}
              w={180}
            />
            <Button onClick={() => void compute()} loading={busy} disabled={!state.checklist}>
              {esk ? 'Record dose' : "Compute dose from today's weight"}
            </Button>
          </Group>
        )}
        {error && <Alert color="red">{error.message}</Alert>}
        {plan && plan.pump && <PumpProgram plan={plan.pump} />}
        {plan && !plan.pump && (
          <Text data-testid="esk-dose">
            {plan.doseMg} mg intranasal: {plan.devices} devices of 28 mg, 5 min apart (label); lot{' '}
            {plan.lotNumber ?? '—'}.
          </Text>
        )}
      </Stack>
    </Card>
  );
}

function VitalsCard({ params, state }: { params: Params; state: SessionState }) {
  const { post, busy, error } = usePost(params);
  const [sbp, setSbp] = useState<number | string>('');
  const [dbp, setDbp] = useState<number | string>('');
  const [hr, setHr] = useState<number | string>('');
  const [spo2, setSpo2] = useState<number | string>('');
  const [rr, setRr] = useState<number | string>('');
  const [at, setAt] = useState<number | string>('');
  const n = (v: number | string) => (typeof v === 'number' ? v : undefined);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const ok = await post(() =>
      call(
        api.POST('/api/patients/{patientId}/sessions/{sessionId}/vitals', {
          params: { path: params },
          body: {
            ...(n(sbp) !== undefined ? { sbpMmHg: n(sbp) } : {}),
            ...(n(dbp) !== undefined ? { dbpMmHg: n(dbp) } : {}),
            ...(n(hr) !== undefined ? { heartRateBpm: n(hr) } : {}),
            ...(n(spo2) !== undefined ? { spo2Pct: n(spo2) } : {}),
            ...(n(rr) !== undefined ? { respiratoryRatePerMin: n(rr) } : {}),
            ...(n(at) !== undefined ? { timeMin: n(at) } : {}),
          },
        }),
      ),
    );
    if (ok) {
      setSbp('');
      setDbp('');
      setHr('');
      setSpo2('');
      setRr('');
      setAt('');
    }
  }
  const next = state.nextVitals;
  return (
    <Card
      title="Vitals"
      label="Vitals"
      right={
        next && next.nextDueMin !== null ? (
          <Badge color={next.overdueByMin > 0 ? 'red' : 'gray'} variant="light" size="lg">
            next due at {next.nextDueMin} min
            {next.overdueByMin > 0 ? ` — ${Math.round(next.overdueByMin)} min overdue` : ''}
          </Badge>
        ) : null
      }
    >
      <Stack gap="sm">
        {state.openAlerts.length > 0 && <OpenAlerts params={params} state={state} />}
        {!state.discharge && (
          <form onSubmit={submit} aria-label="Vitals entry">
            <Group align="flex-end">
              <RangeNumberInput label="Systolic" value={sbp} onChange={setSbp} min={40} max={300} w={110} />
              <RangeNumberInput label="Diastolic" value={dbp} onChange={setDbp} min={20} max={200} w={110} />
              <RangeNumberInput label="Heart rate" value={hr} onChange={setHr} min={20} max={250} w={110} />
              <RangeNumberInput label="SpO2 %" value={spo2} onChange={setSpo2} min={50} max={100} w={100} />
              <RangeNumberInput
                label="Resp. rate (/min)"
                value={rr}
                onChange={setRr}
                min={0}
                max={80}
                w={130}
              />
              <RangeNumberInput
                label="Taken at (min)"
                description="Empty = now"
                value={at}
                onChange={setAt}
                min={-240}
                w={130}
              />
              <Button type="submit" loading={busy}>
                Record vitals
              </Button>
            </Group>
            {error && (
              <Alert color="red" mt="xs">
                {error.message}
              </Alert>
            )}
          </form>
        )}
        {state.vitals.length > 0 && <VitalsChart state={state} />}
        {state.vitals.length > 0 && (
          <Table aria-label="Vitals readings" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Min</Table.Th>
                <Table.Th>BP</Table.Th>
                <Table.Th>HR</Table.Th>
                <Table.Th>SpO2</Table.Th>
                <Table.Th>RR</Table.Th>
                <Table.Th>Alerts</Table.Th>
                <Table.Th>By</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {state.vitals.map((v) => (
                <Table.Tr key={v.id}>
                  <Table.Td>{v.timeMin}</Table.Td>
                  <Table.Td>{v.sbpMmHg !== null ? `${v.sbpMmHg}/${v.dbpMmHg}` : '—'}</Table.Td>
                  <Table.Td>{v.heartRateBpm ?? '—'}</Table.Td>
                  <Table.Td>{v.spo2Pct ?? '—'}</Table.Td>
                  <Table.Td>{v.respiratoryRatePerMin ?? '—'}</Table.Td>
                  <Table.Td>
                    {v.alerts.map((a) => (
                      <Text
                        key={a.id}
                        size="xs"
                        c={a.severity === 'hold' ? 'red' : 'orange'}
                        title={`${a.threshold.source}${a.threshold.note ? ` — ${a.threshold.note}` : ''}`}
                      >
                        {a.message}
                      </Text>
                    ))}
                    {/* One decision covers the whole reading: shown once. */}
                    {v.alerts
                      .filter((a) => a.decision)
                      .slice(0, 1)
                      .map((a) => (
                        <Text key="decision" size="xs">
                          → {a.decision!.decision} ({a.decision!.decidedBy})
                        </Text>
                      ))}
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{v.recordedBy}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}

const DECISION_LABEL: Record<'continue' | 'pause' | 'stop', (s: SessionState) => string> = {
  continue: (s) => (s.dosing?.state === 'paused' ? 'Continue (stay paused)' : 'Continue'),
  pause: () => 'Pause',
  stop: (s) => (s.dosing?.kind === 'devices' ? 'Stop (no further devices)' : 'Stop'),
};

function OpenAlerts({ params, state }: { params: Params; state: SessionState }) {
  const { post, busy, error } = usePost(params);
  const [note, setNote] = useState('');
  return (
    <Alert color="red" title="Alert: a decision is needed" data-testid="open-alerts">
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
                  loading={busy}
                  onClick={() =>
                    void post(() =>
                      call(
                        api.POST('/api/patients/{patientId}/sessions/{sessionId}/alert-decisions', {
                          params: { path: params },
                          body: {
                            vitalsEventId: a.vitalsEventId,
                            alertId: a.alertId,
                            decision,
                            ...(note.trim() ? { note: note.trim() } : {}),
                          },
                        }),
                      ),
                    )
                  }
                >
                  {DECISION_LABEL[decision](state)}
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
        {error && <Text c="red">{error.message}</Text>}
      </Stack>
    </Alert>
  );
}

const CADSS6 = ['1', '2', '6', '7', '15', '22'];

type AdverseEventBody = NonNullable<
  paths['/api/patients/{patientId}/sessions/{sessionId}/adverse-events']['post']['requestBody']
>['content']['application/json'];

const AE_CATEGORIES: { value: AdverseEventBody['category']; label: string }[] = [
  { value: 'nausea', label: 'Nausea' },
  { value: 'vomiting', label: 'Vomiting' },
  { value: 'hypertension', label: 'Hypertension' },
  { value: 'hypotension', label: 'Hypotension' },
  { value: 'bradycardia', label: 'Bradycardia' },
  { value: 'tachycardia', label: 'Tachycardia' },
  { value: 'desaturation-hypoxia', label: 'Desaturation / hypoxia' },
  { value: 'respiratory-depression', label: 'Respiratory depression' },
  { value: 'emergence-reaction', label: 'Emergence reaction' },
  { value: 'agitation-anxiety-panic', label: 'Agitation / anxiety / panic' },
  { value: 'hallucinations', label: 'Hallucinations' },
  { value: 'sedation', label: 'Sedation' },
  { value: 'dissociation', label: 'Dissociation' },
  { value: 'headache', label: 'Headache' },
  { value: 'dizziness', label: 'Dizziness' },
  { value: 'allergic-reaction', label: 'Allergic reaction' },
  { value: 'other', label: 'Other (describe)' },
];
const AE_ESCALATION: { value: NonNullable<AdverseEventBody['escalation']>; label: string }[] = [
  { value: 'none', label: 'Not escalated' },
  { value: 'prescriber-notified', label: 'Prescriber notified' },
  { value: 'emergency-services-called', label: 'Emergency services called' },
  { value: 'transferred-to-hospital', label: 'Transferred to hospital' },
];
const label = (list: { value: string; label: string }[], value: string | null) =>
  list.find((x) => x.value === value)?.label ?? value;

function ObservationsCard({ params, state }: { params: Params; state: SessionState }) {
  const { post, busy, error } = usePost(params);
  const [moaas, setMoaas] = useState<string | null>(null);
  const [cadss, setCadss] = useState<Record<string, number | string>>({});
  const [ae, setAe] = useState({
    category: 'nausea' as AdverseEventBody['category'],
    severity: 'mild',
    actionTaken: 'observed',
    description: '',
    serious: false,
    escalation: 'none' as NonNullable<AdverseEventBody['escalation']>,
  });
  const [onset, setOnset] = useState<number | string>('');
  const closed = state.discharge !== null;
  return (
    <Card title="Dissociation, sedation and adverse events" label="Observations">
      <Stack gap="sm">
        {!closed && (
          <SimpleGrid cols={{ base: 1, md: 3 }}>
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
                loading={busy}
                onClick={() =>
                  void post(() =>
                    call(
                      api.POST('/api/patients/{patientId}/sessions/{sessionId}/observations', {
                        params: { path: params },
                        body: { kind: 'moaas', score: Number(moaas) },
                      }),
                    ),
                  )
                }
              >
                Record MOAA/S
              </Button>
            </Stack>
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                CADSS-6 items (0–4)
              </Text>
              <Group gap={4}>
                {CADSS6.map((id) => (
                  <RangeNumberInput
                    key={id}
                    aria-label={`CADSS item ${id}`}
                    placeholder={id}
                    value={cadss[id] ?? ''}
                    onChange={(v) => setCadss((c) => ({ ...c, [id]: v }))}
                    min={0}
                    max={4}
                    w={56}
                    hideControls
                  />
                ))}
              </Group>
              <Button
                size="xs"
                variant="light"
                loading={busy}
                disabled={CADSS6.some((id) => typeof cadss[id] !== 'number')}
                onClick={() =>
                  void post(() =>
                    call(
                      api.POST('/api/patients/{patientId}/sessions/{sessionId}/observations', {
                        params: { path: params },
                        body: {
                          kind: 'cadss6',
                          answers: Object.fromEntries(CADSS6.map((id) => [id, Number(cadss[id])])),
                        },
                      }),
                    ),
                  )
                }
              >
                Record CADSS-6
              </Button>
            </Stack>
            <Stack gap={4}>
              <Group gap={4} grow>
                <Select
                  label="Adverse event"
                  data={AE_CATEGORIES}
                  value={ae.category}
                  onChange={(v) => v && setAe((a) => ({ ...a, category: v as AdverseEventBody['category'] }))}
                  allowDeselect={false}
                />
                <Select
                  label="Severity"
                  data={['mild', 'moderate', 'severe']}
                  value={ae.severity}
                  onChange={(v) => v && setAe((a) => ({ ...a, severity: v }))}
                  allowDeselect={false}
                />
              </Group>
              <Group gap={4} grow>
                <Select
                  label="Action taken"
                  data={['none', 'observed', 'paused', 'stopped', 'medication-given', 'escalated-emergency']}
                  value={ae.actionTaken}
                  onChange={(v) => v && setAe((a) => ({ ...a, actionTaken: v }))}
                  allowDeselect={false}
                />
                <TextInput
                  label="Description"
                  value={ae.description}
                  onChange={(e) => {
                    const description = e.currentTarget.value;
                    setAe((a) => ({ ...a, description }));
                  }}
                />
              </Group>
              <Group gap={4} grow align="flex-end">
                <RangeNumberInput
                  label="Onset (min)"
                  description="Empty = now"
                  value={onset}
                  onChange={setOnset}
                  min={-240}
                />
                <Select
                  label="Escalation"
                  data={AE_ESCALATION}
                  value={ae.escalation}
                  onChange={(v) =>
                    v &&
                    setAe((a) => ({ ...a, escalation: v as NonNullable<AdverseEventBody['escalation']> }))
                  }
                  allowDeselect={false}
                />
              </Group>
              <Checkbox
                label="Serious adverse event (death, life-threatening, hospitalisation, disability or other important medical event)"
                checked={ae.serious}
                onChange={(e) => {
                  const serious = e.currentTarget.checked;
                  setAe((a) => ({ ...a, serious }));
                }}
              />
              <Button
                size="xs"
                variant="light"
                loading={busy}
                onClick={async () => {
                  const ok = await post(() =>
                    call(
                      api.POST('/api/patients/{patientId}/sessions/{sessionId}/adverse-events', {
                        params: { path: params },
                        body: {
                          category: ae.category,
                          severity: ae.severity as 'mild',
                          actionTaken: ae.actionTaken as 'observed',
                          serious: ae.serious,
                          escalation: ae.escalation,
                          ...(typeof onset === 'number' ? { onsetMin: onset } : {}),
                          ...(ae.description.trim() ? { description: ae.description.trim() } : {}),
                        },
                      }),
                    ),
                  );
                  if (ok) {
                    setAe((a) => ({ ...a, serious: false, escalation: 'none', description: '' }));
                    setOnset('');
                  }
                }}
              >
                Record adverse event
              </Button>
            </Stack>
          </SimpleGrid>
        )}
        {error && <Alert color="red">{error.message}</Alert>}
        {(state.observations.length > 0 || state.adverseEvents.length > 0) && (
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
                {a.onsetMin !== null ? ` (onset ${a.onsetMin} min)` : ''} · {label(AE_CATEGORIES, a.category)}
                {a.description ? ` (${a.description})` : ''} · {a.severity} · {a.actionTaken}
                {a.escalation && a.escalation !== 'none'
                  ? ` · ${label(AE_ESCALATION, a.escalation)}`
                  : ''} · {a.recordedBy}
                {a.alert?.decision
                  ? ` · decision: ${a.alert.decision.decision} (${a.alert.decision.decidedBy})`
                  : ''}
              </Text>
            ))}
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

function DischargeCard({ params, state }: { params: Params; state: SessionState }) {
  const { post, busy, error } = usePost(params);
  const [a, setA] = useState({
    sedationResolved: false,
    dissociationResolved: false,
    respiratoryDepressionResolved: false,
    mentalStatusAtBaseline: false,
    clinicallyStable: false,
    escortPresent: false,
  });
  const [ready, setReady] = useState<number | string>('');
  const esk = state.course.modality === 'esketamine';
  if (state.discharge) {
    return (
      <Card title="Discharge" label="Discharge">
        <Alert color="teal" data-testid="discharged">
          Discharged at {state.discharge.atMin} min ({formatDateTime(state.discharge.at)}) by{' '}
          {state.discharge.by}. {state.discharge.result.message}
        </Alert>
        <Stack gap={2} mt="xs">
          {state.discharge.result.checks.map((c) => (
            <Group key={c.id} gap="xs" wrap="nowrap">
              <StatusBadge status={c.status} citations={c.citations} />
              <Text size="xs" c="dimmed">
                {c.message} ({c.id})
              </Text>
            </Group>
          ))}
        </Stack>
      </Card>
    );
  }
  const box = (key: keyof typeof a, label: string) => (
    <Checkbox
      label={label}
      checked={a[key]}
      onChange={(e) => {
        const checked = e.currentTarget.checked;
        setA((x) => ({ ...x, [key]: checked }));
      }}
    />
  );
  return (
    <Card
      title="Discharge"
      label="Discharge"
      right={
        state.earliestDischargeMin !== null ? (
          <Badge variant="light" size="lg" data-testid="earliest-discharge">
            earliest at {Math.ceil(state.earliestDischargeMin)} min
          </Badge>
        ) : state.dosing && (state.dosing.state === 'running' || state.dosing.state === 'paused') ? (
          <Badge variant="light" size="lg" color="gray">
            after dosing ends
          </Badge>
        ) : null
      }
    >
      <Stack gap="xs">
        <Group gap="lg">
          {box('sedationResolved', 'Sedation resolved')}
          {box('dissociationResolved', 'Dissociation resolved')}
          {box('respiratoryDepressionResolved', 'No respiratory depression')}
          {box('mentalStatusAtBaseline', 'Mental status at baseline')}
          {box('clinicallyStable', 'Clinically stable')}
          {box('escortPresent', 'Escort present')}
        </Group>
        <Group align="flex-end">
          {esk && (
            <RangeNumberInput
              label="Ready to leave without the 2-h rule at (min)"
              value={ready}
              onChange={setReady}
              min={0}
              w={300}
            />
          )}
          <Button
            disabled={!state.dosingStartedAt}
            loading={busy}
            onClick={() =>
              void post(() =>
                call(
                  api.POST('/api/patients/{patientId}/sessions/{sessionId}/discharge', {
                    params: { path: params },
                    body: { ...a, ...(typeof ready === 'number' ? { readyToLeaveMinFromStart: ready } : {}) },
                  }),
                ),
              )
            }
          >
            Record discharge
          </Button>
        </Group>
        {error && (
          <Alert color="red" title="Discharge refused" data-testid="discharge-error">
            {error.body?.error.fields?.[0]?.message ?? error.message}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}

const DOSING_COLOR = { running: 'teal', paused: 'orange', stopped: 'red', complete: 'gray' } as const;

/** Dosing as it takes effect: the infusion clock (pause / resume / stop) or the devices used. */
function DosingCard({ params, state }: { params: Params; state: SessionState }) {
  const { post, busy, error } = usePost(params);
  const [note, setNote] = useState('');
  const d = state.dosing!;
  const act = (action: 'pause' | 'resume' | 'stop') =>
    void post(() =>
      call(
        api.POST('/api/patients/{patientId}/sessions/{sessionId}/dosing-actions', {
          params: { path: params },
          body: { action, ...(note.trim() ? { note: note.trim() } : {}) },
        }),
      ),
    ).then((ok) => ok && setNote(''));
  const fmt = (x: number) => Math.round(x * 10) / 10;
  return (
    <Card
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
                loading={busy}
                onClick={() => act(action)}
              >
                {action === 'pause'
                  ? 'Pause infusion'
                  : action === 'resume'
                    ? 'Resume infusion'
                    : d.kind === 'devices'
                      ? 'Stop dosing (no further devices)'
                      : 'Stop infusion'}
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
        {error && <Alert color="red">{error.message}</Alert>}
        {d.history.map((h, i) => (
          <Text key={i} size="xs" c="dimmed">
            {fmt(h.atMin)} min · {h.action} · {h.amountGivenMg} mg given by then · {h.by}
            {h.note ? ` · ${h.note}` : ''}
          </Text>
        ))}
      </Stack>
    </Card>
  );
}

function RemsCard({ params, state }: { params: Params; state: SessionState }) {
  const rems = useQuery({
    queryKey: ['session-rems', params.sessionId, state.discharge?.at ?? null, state.remsSubmittedOn],
    queryFn: () =>
      call(api.GET('/api/patients/{patientId}/sessions/{sessionId}/rems', { params: { path: params } })),
  });
  const { post, busy } = usePost(params);
  if (!rems.data) return null;
  const r = rems.data;
  return (
    <Card
      title="REMS Patient Monitoring Form"
      label="REMS"
      right={
        r.submittedOn ? (
          <Badge color="teal">submitted {formatDate(r.submittedOn)}</Badge>
        ) : (
          <Badge color="orange">due by {formatDate(r.dueDate)}</Badge>
        )
      }
    >
      <Stack gap="xs">
        {!r.ok && (
          <Text size="sm" c="dimmed">
            Not complete yet: {r.missing.join('; ')}.
          </Text>
        )}
        {r.ok && (
          <Group>
            <Button
              component="a"
              href={`/api/patients/${params.patientId}/sessions/${params.sessionId}/rems/pdf`}
              variant="default"
            >
              Printable form (PDF)
            </Button>
            {!r.submittedOn && (
              <Button
                loading={busy}
                onClick={() =>
                  void post(() =>
                    call(
                      api.POST('/api/patients/{patientId}/sessions/{sessionId}/rems/submitted', {
                        params: { path: params },
                        body: { submittedOn: state.today },
                      }),
                    ),
                  )
                }
              >
                Mark submitted today
              </Button>
            )}
          </Group>
        )}
        {r.warnings.map((w) => (
          <Text key={w} size="xs" c="orange">
            {w}
          </Text>
        ))}
      </Stack>
    </Card>
  );
}

/** One treatment session: check-in → checklist → dose → dosing → vitals, alerts, observations → discharge. */
export function SessionPage() {
  const { patientId = '', sessionId = '' } = useParams();
  const params = { patientId, sessionId };
  const session = useSession(params);
  const { post, busy, error } = usePost(params);
  const state = session.data;
  const curve = useQuery({
    queryKey: ['session-curve', sessionId],
    queryFn: () =>
      call(api.GET('/api/patients/{patientId}/sessions/{sessionId}/curve', { params: { path: params } })),
    enabled: Boolean(state?.dosePlan),
    refetchInterval: REFRESH_MS,
  });
  if (session.isLoading) return <Loader aria-label="Loading" />;
  if (!state) return <Alert color="red">{errorText(session.error)}</Alert>;
  const s = state.session;
  return (
    <Stack maw={1200}>
      <div>
        <Anchor component={Link} to={`/patients/${patientId}/courses/${state.course.id}`} size="sm">
          ← {state.patient.name}: {state.course.templateName}
        </Anchor>
        <Group justify="space-between" align="flex-end">
          <div>
            <Title order={2}>
              Session {s.sequence} · {MODALITY_LABEL[state.course.modality]}
            </Title>
            <Text c="dimmed">
              {formatDate(s.date)} {clock(s.startMin)} · {s.roomId} · {s.phaseLabel} · MRN {state.patient.mrn}
            </Text>
          </div>
          <Group>
            <Badge size="xl" variant="light" data-testid="session-phase">
              {state.phase}
            </Badge>
            {state.nowMin !== null && !state.discharge && (
              <Badge size="xl" color="indigo" data-testid="now-min">
                {Math.floor(state.nowMin)} min since dosing start
              </Badge>
            )}
          </Group>
        </Group>
      </div>
      {error && <Alert color="red">{error.message}</Alert>}

      {!state.checkedIn && (
        <Paper withBorder p="md">
          <Group justify="space-between">
            <Stack gap={2}>
              <Text>The patient has not been checked in.</Text>
              {!state.screening.ok && (
                <Text size="sm" c="red" data-testid="screening-gate">
                  No current screening: {state.screening.message}
                </Text>
              )}
            </Stack>
            <Button
              loading={busy}
              onClick={() =>
                void post(() =>
                  call(
                    api.POST('/api/patients/{patientId}/sessions/{sessionId}/check-in', {
                      params: { path: params },
                      body: {},
                    }),
                  ),
                )
              }
            >
              Check in
            </Button>
          </Group>
        </Paper>
      )}
      {state.checkedIn && (
        <Text size="sm" c="dimmed">
          Checked in {formatDateTime(state.checkedIn.at)} by {state.checkedIn.by}
          {state.dosingStartedAt ? ` · dosing started ${formatDateTime(state.dosingStartedAt)}` : ''}
        </Text>
      )}

      {state.checkedIn && (
        <ChecklistCard key={state.checklist?.recordedAt ?? 'new'} params={params} state={state} />
      )}
      {state.checklist && <DoseCard params={params} state={state} />}
      {state.dosePlan && !state.dosingStartedAt && (
        <Paper withBorder p="md">
          <Group justify="space-between">
            <Text>
              {state.checklist?.overall === 'blocked'
                ? 'The checklist is blocked: resolve the failed items before dosing.'
                : state.course.modality === 'esketamine'
                  ? 'Start when the patient uses the first device.'
                  : 'Start when the infusion starts.'}
            </Text>
            <Button
              color="teal"
              loading={busy}
              disabled={state.checklist?.overall === 'blocked'}
              onClick={() =>
                void post(() =>
                  call(
                    api.POST('/api/patients/{patientId}/sessions/{sessionId}/start', {
                      params: { path: params },
                      body: {},
                    }),
                  ),
                )
              }
            >
              Start dosing
            </Button>
          </Group>
        </Paper>
      )}
      {state.dosing && <DosingCard params={params} state={state} />}
      {state.dosePlan && curve.error && (
        <Text size="sm" c="dimmed">
          Predicted concentration not available: {errorText(curve.error)}
        </Text>
      )}
      {state.dosePlan && curve.data && (
        <Card title="Predicted concentration (live)" label="Live curve">
          <LiveCurve curve={curve.data} nowMin={state.discharge ? null : state.nowMin} />
        </Card>
      )}
      {state.checkedIn && <VitalsCard params={params} state={state} />}
      {state.dosingStartedAt && <ObservationsCard params={params} state={state} />}
      {state.dosingStartedAt && <DischargeCard params={params} state={state} />}
      {state.course.modality === 'esketamine' && state.discharge && (
        <RemsCard params={params} state={state} />
      )}
    </Stack>
  );
}
