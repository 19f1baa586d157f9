import { Alert, Anchor, Badge, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, ApiError, call } from '../api/client';
import { ChecklistCard } from '../components/sessions/ChecklistCard';
import { DischargeCard } from '../components/sessions/DischargeCard';
import { DoseCard } from '../components/sessions/DoseCard';
import { DosingCard } from '../components/sessions/DosingCard';
import { ObservationsCard } from '../components/sessions/ObservationsCard';
import { RemsCard } from '../components/sessions/RemsCard';
import { LiveCurve } from '../components/sessions/SessionCharts';
import { SessionCard } from '../components/sessions/SessionCard';
import { CheckInStep, StartDosingStep } from '../components/sessions/SessionSteps';
import type { SessionParams } from '../components/sessions/session-mutation';
import { clock, MODALITY_LABEL, sessionClosed, type SessionState } from '../components/sessions/types';
import { VitalsCard } from '../components/sessions/VitalsCard';
import { formatDate, formatDateTime } from '../format';

function errorText(err: unknown): string {
  return err instanceof ApiError ? err.message : 'Could not reach the server.';
}

/** The screen follows the session while it runs; live updates will replace this refresh. */
const REFRESH_MS = 15_000;

function SessionHeader({ params, state }: { params: SessionParams; state: SessionState }) {
  const s = state.session;
  return (
    <div>
      <Anchor component={Link} to={`/patients/${params.patientId}/courses/${state.course.id}`} size="sm">
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
  );
}

function LiveCurveCard({ params, state }: { params: SessionParams; state: SessionState }) {
  const curve = useQuery({
    queryKey: ['session-curve', params.sessionId],
    queryFn: () =>
      call(api.GET('/api/patients/{patientId}/sessions/{sessionId}/curve', { params: { path: params } })),
    refetchInterval: REFRESH_MS,
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
  const { patientId = '', sessionId = '' } = useParams();
  const params = { patientId, sessionId };
  const session = useQuery({
    queryKey: ['session', sessionId],
    queryFn: () =>
      call(api.GET('/api/patients/{patientId}/sessions/{sessionId}', { params: { path: params } })),
    refetchInterval: REFRESH_MS,
  });
  const state = session.data;
  if (session.isLoading) return <Loader aria-label="Loading" />;
  if (!state) return <Alert color="red">{errorText(session.error)}</Alert>;
  return (
    <Stack maw={1200}>
      <SessionHeader params={params} state={state} />
      {!state.checkedIn && <CheckInStep params={params} state={state} />}
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
      {state.dosePlan && !state.dosingStartedAt && <StartDosingStep params={params} state={state} />}
      {state.dosing && <DosingCard params={params} state={state} />}
      {state.dosePlan && <LiveCurveCard params={params} state={state} />}
      {state.checkedIn && <VitalsCard params={params} state={state} />}
      {state.dosingStartedAt && <ObservationsCard params={params} state={state} />}
      {state.dosingStartedAt && <DischargeCard params={params} state={state} />}
      {state.course.modality === 'esketamine' && state.discharge && (
        <RemsCard params={params} state={state} />
      )}
    </Stack>
  );
}
