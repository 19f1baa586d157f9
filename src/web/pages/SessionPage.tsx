import { Alert, Anchor, Badge, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { PatientBanner } from '../components/patient/PatientBanner';
import { api, ApiError, call } from '../api/client';
import { ChecklistCard } from '../components/sessions/ChecklistCard';
import { DischargeCard } from '../components/sessions/DischargeCard';
import { DoseCard } from '../components/sessions/DoseCard';
import { DosingCard } from '../components/sessions/DosingCard';
import { SessionNotesCard } from '../components/notes/SessionNotesCard';
import { MarCard } from '../components/sessions/MarCard';
import { OrderCard } from '../components/sessions/OrderCard';
import { ObservationsCard } from '../components/sessions/ObservationsCard';
import { RemsCard } from '../components/sessions/RemsCard';
import { LiveCurve } from '../components/sessions/SessionCharts';
import { SessionCard } from '../components/sessions/SessionCard';
import { CheckInStep, StartDosingStep } from '../components/sessions/SessionSteps';
import type { SessionParams } from '../components/sessions/session-mutation';
import { clock, phaseInWords, sessionClosed, type SessionState } from '../components/sessions/types';
import { VitalsCard } from '../components/sessions/VitalsCard';
import { SessionStatusBadge } from '../components/scheduling/SessionStatusBadge';
import { useClinicDates } from '../dates';
import { MODALITY_LABELS } from '../../clinical/vocabulary/modalities';

function errorText(err: unknown): string {
  return err instanceof ApiError ? err.message : 'Could not reach the server.';
}

/** Only while the live-update stream is down does the screen ask the server on a timer. */
const FALLBACK_REFRESH_MS = 60_000;

/**
 * Follows the session's server-sent events: each change (an entry made here, on another tablet or
 * by the CLI) refetches the session and its curve. Returns whether the stream is down, in which
 * case the queries fall back to a slow poll until the browser reconnects.
 */
function useSessionLiveUpdates(params: SessionParams): boolean {
  const queryClient = useQueryClient();
  const [down, setDown] = useState(false);
  const { patientId, sessionId } = params;
  useEffect(() => {
    const source = new EventSource(`/api/patients/${patientId}/sessions/${sessionId}/events`);
    const refresh = () => {
      setDown(false);
      void queryClient.invalidateQueries({ queryKey: ['session', sessionId] });
      void queryClient.invalidateQueries({ queryKey: ['session-curve', sessionId] });
    };
    source.addEventListener('ready', refresh);
    source.addEventListener('changed', refresh);
    source.onerror = () => setDown(true);
    return () => source.close();
  }, [queryClient, patientId, sessionId]);
  return down;
}

/**
 * Minutes elapsed since the server answered, ticking every 15 s: the header's clock and the vitals
 * countdown move between live updates without asking the server again.
 */
function useMinutesSince(answeredAtMs: number): number {
  const [tickMs, setTickMs] = useState(answeredAtMs);
  useEffect(() => {
    const timer = setInterval(() => setTickMs(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  return Math.max(0, tickMs - answeredAtMs) / 60_000;
}

/** Next vitals: when they are due by the server's schedule, counting down, and overdue in red. */
function NextVitalsBadge({ state, elapsedMin }: { state: SessionState; elapsedMin: number }) {
  const next = state.nextVitals;
  if (!next || next.nextDueMin === null) return null;
  if (state.nowMin === null) {
    return (
      <Badge size="lg" variant="light" color="gray" data-testid="next-vitals">
        vitals due at {next.nextDueMin} min
      </Badge>
    );
  }
  const inMin = next.nextDueMin - (state.nowMin + elapsedMin);
  return (
    <Badge
      size="lg"
      variant={inMin < 0 ? 'filled' : 'light'}
      color={inMin < 0 ? 'red' : 'gray'}
      data-testid="next-vitals"
    >
      {inMin < 0
        ? `vitals overdue by ${Math.ceil(-inMin)} min`
        : `next vitals in ${Math.ceil(inMin)} min (at ${next.nextDueMin} min)`}
    </Badge>
  );
}

/** When the session began far from its booking (beyond the clinic's warning setting), in words. */
function driftWarning(s: SessionState['session']): string | null {
  if (!s.startDriftWarn || s.startDriftMin === null) return null;
  return `Started ${Math.abs(s.startDriftMin)} min ${s.startDriftMin > 0 ? 'after' : 'before'} the booked time`;
}

/**
 * The session's header stays on screen while the nurse scrolls: who, its booking status, which
 * phase, the session clock, when vitals are next due and the open alerts, which it links to.
 */
function SessionHeader({
  params,
  state,
  answeredAtMs,
}: {
  params: SessionParams;
  state: SessionState;
  answeredAtMs: number;
}) {
  const dates = useClinicDates();
  const s = state.session;
  const elapsedMin = useMinutesSince(answeredAtMs);
  const running = state.nowMin !== null && !sessionClosed(state);
  const open = state.openAlerts.length;
  const drift = driftWarning(s);
  return (
    <Paper
      component="header"
      aria-label="Session header"
      data-testid="session-header"
      withBorder
      shadow="xs"
      p="sm"
      style={{ position: 'sticky', top: 'var(--app-shell-header-offset, 0px)', zIndex: 20 }}
    >
      <Anchor component={Link} to={`/patients/${params.patientId}/courses/${state.course.id}`} size="sm">
        ← {state.patient.name}: {state.course.templateName}
      </Anchor>
      <Group justify="space-between" align="center" gap="xs">
        <div>
          <Title order={2} size="h3">
            {state.patient.name} · Session {s.sequence} · {MODALITY_LABELS[state.course.modality]}
          </Title>
          <Text c="dimmed" size="sm">
            {dates.date(s.date)} {clock(s.startMin)} · {s.roomId} · {s.phaseLabel} · MRN {state.patient.mrn}
          </Text>
        </div>
        <Group gap="xs">
          <SessionStatusBadge status={s.status} size="lg" />
          {drift && (
            <Badge size="lg" color="orange" variant="light" data-testid="start-drift">
              {drift}
            </Badge>
          )}
          <Badge size="lg" variant="light" data-testid="session-phase">
            {phaseInWords(state)}
          </Badge>
          {running && (
            <Badge size="lg" color="indigo" data-testid="now-min">
              {Math.floor(state.nowMin! + elapsedMin)} min since dosing start
            </Badge>
          )}
          {!sessionClosed(state) && <NextVitalsBadge state={state} elapsedMin={elapsedMin} />}
          {open > 0 && (
            <Badge
              size="lg"
              color="red"
              component="a"
              href="#open-alerts"
              style={{ cursor: 'pointer' }}
              data-testid="header-alerts"
            >
              {open === 1 ? '1 open alert' : `${open} open alerts`}
            </Badge>
          )}
        </Group>
      </Group>
    </Paper>
  );
}

function LiveCurveCard({
  params,
  state,
  poll,
}: {
  params: SessionParams;
  state: SessionState;
  poll: number | false;
}) {
  const curve = useQuery({
    queryKey: ['session-curve', params.sessionId],
    queryFn: () =>
      call(api.GET('/api/patients/{patientId}/sessions/{sessionId}/curve', { params: { path: params } })),
    refetchInterval: poll,
  });
  if (curve.error) {
    return (
      <Text size="sm" c="dimmed">
        Predicted concentration not available: {errorText(curve.error)}
      </Text>
    );
  }
  if (!curve.data) return null;
  const closed = sessionClosed(state);
  return (
    <SessionCard
      title={closed ? 'Predicted concentration' : 'Predicted concentration (live)'}
      label="Live curve"
    >
      <LiveCurve curve={curve.data} nowMin={closed ? null : state.nowMin} />
    </SessionCard>
  );
}

/** One treatment session: check-in → checklist → dose → dosing → vitals, alerts, observations → discharge. */
export function SessionPage() {
  const dates = useClinicDates();
  const { patientId = '', sessionId = '' } = useParams();
  const params = { patientId, sessionId };
  const streamDown = useSessionLiveUpdates(params);
  const poll = streamDown ? FALLBACK_REFRESH_MS : false;
  const session = useQuery({
    queryKey: ['session', sessionId],
    queryFn: () =>
      call(api.GET('/api/patients/{patientId}/sessions/{sessionId}', { params: { path: params } })),
    refetchInterval: poll,
  });
  const state = session.data;
  if (session.isLoading) return <Loader aria-label="Loading" />;
  if (!state) return <Alert color="red">{errorText(session.error)}</Alert>;
  const dosing = state.dosingStartedAt !== null;
  // Keyed, so a card keeps what is typed into it when dosing starts and the order changes.
  const vitals = state.checkedIn ? <VitalsCard key="vitals" params={params} state={state} /> : null;
  const setUp = [
    state.checkedIn && (
      <Text key="checked-in" size="sm" c="dimmed">
        Checked in {dates.dateTime(state.checkedIn.at)} by {state.checkedIn.by}
        {state.dosingStartedAt ? ` · dosing started ${dates.dateTime(state.dosingStartedAt)}` : ''}
      </Text>
    ),
    state.checkedIn && (
      <ChecklistCard
        key={`checklist-${state.checklist?.recordedAt ?? 'new'}`}
        params={params}
        state={state}
      />
    ),
    state.checkedIn && <OrderCard key="order" params={params} state={state} />,
    state.checklist && <DoseCard key="dose" params={params} state={state} />,
    state.dosePlan && !dosing && <StartDosingStep key="start" params={params} state={state} />,
  ];
  // Once dosing has started the work is vitals and alerts: they come first, the set-up after.
  const running = [
    vitals,
    state.dosing && <DosingCard key="dosing" params={params} state={state} />,
    (dosing || state.orders.mar.rescues.length > 0) && <MarCard key="mar" params={params} state={state} />,
    dosing && <ObservationsCard key="observations" params={params} state={state} />,
    dosing && state.dosePlan && <LiveCurveCard key="curve" params={params} state={state} poll={poll} />,
    dosing && <DischargeCard key="discharge" params={params} state={state} />,
    state.course.modality === 'esketamine' && state.discharge && (
      <RemsCard key="rems" params={params} state={state} />
    ),
    state.checkedIn && <SessionNotesCard key="notes" params={params} state={state} />,
  ];
  return (
    <Stack maw={1200}>
      <PatientBanner patientId={params.patientId} />
      <SessionHeader params={params} state={state} answeredAtMs={session.dataUpdatedAt} />
      {!state.checkedIn && <CheckInStep params={params} state={state} />}
      {dosing ? [...running, ...setUp] : [...setUp, ...running]}
    </Stack>
  );
}
