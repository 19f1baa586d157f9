import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  Paper,
  Select,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useClinicToday } from '../auth';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { PatientBanner } from '../components/patient/PatientBanner';
import { api, ApiError, call } from '../api/client';
import { useAuth } from '../auth';
import { PatientTapers } from '../components/taper/PatientTapers';
import { TaperForm } from '../components/taper/TaperForm';
import { TaperMonitoring } from '../components/taper/TaperMonitoring';
import { TaperTimeline } from '../components/taper/TaperTimeline';
import { STATUS_COLOR, type TaperReference } from '../components/taper/types';
import { useClinicDates } from '../dates';

function errorText(err: unknown): string {
  return err instanceof ApiError ? err.message : 'Could not reach the server.';
}

/** Medication taper plans of one patient: plan a taper, follow its timeline, check in, decide, print. */
export function TaperPage() {
  const { patientId = '', taperId } = useParams();
  const { can } = useAuth();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const canPrescribe = can('tapers.prescribe');
  const patient = useQuery({
    queryKey: ['patient', patientId],
    queryFn: () => call(api.GET('/api/patients/{patientId}', { params: { path: { patientId } } })),
  });
  const reference = useQuery({
    queryKey: ['taper-reference'],
    queryFn: () => call(api.GET('/api/tapers/reference')),
    staleTime: Infinity,
  });
  // The taper is aligned with the patient's ketamine course: its scheduled session dates.
  const courses = useQuery({
    queryKey: ['patient', patientId, 'courses'],
    queryFn: () => call(api.GET('/api/patients/{patientId}/courses', { params: { path: { patientId } } })),
  });
  // A taper starts from what the patient takes now: the medication list, read by the server.
  const starts = useQuery({
    queryKey: ['patient', patientId, 'taper-starts'],
    queryFn: () =>
      call(api.GET('/api/patients/{patientId}/taper-starts', { params: { path: { patientId } } })),
    enabled: canPrescribe && !taperId,
  });
  const today = useClinicToday();
  const courseSessionDates = [
    ...new Set((courses.data ?? []).flatMap((c) => c.sessions.map((s) => s.date)).filter((d) => d >= today)),
  ].sort();

  if (patient.isLoading || reference.isLoading || courses.isLoading) return <Loader aria-label="Loading" />;
  if (patient.error || !patient.data || !reference.data) {
    return <Alert color="red">{errorText(patient.error ?? reference.error)}</Alert>;
  }
  const p = patient.data;
  return (
    <Stack maw={1200}>
      <PatientBanner patientId={patientId} />
      <div>
        <Anchor component={Link} to={`/patients/${patientId}`} size="sm">
          ← {p.givenName} {p.familyName}
        </Anchor>
        <Title order={2}>Medication tapers</Title>
      </div>
      {taperId ? (
        <TaperView
          key={taperId}
          patientId={patientId}
          taperId={taperId}
          reference={reference.data}
          canPrescribe={canPrescribe}
          canMonitor={can('tapers.monitor')}
        />
      ) : (
        <>
          <PatientTapers patientId={patientId} showLink={false} />
          {canPrescribe && (
            <Paper withBorder p="md">
              <Title order={4} mb="sm">
                Plan a taper
              </Title>
              <TaperForm
                key={courseSessionDates.join(',')}
                reference={reference.data}
                courseSessionDates={courseSessionDates}
                medications={starts.data?.items ?? []}
                onSubmit={async (body) => {
                  const created = await call(
                    api.POST('/api/patients/{patientId}/tapers', {
                      params: { path: { patientId } },
                      body,
                    }),
                  );
                  void queryClient.invalidateQueries({ queryKey: ['patient', patientId, 'tapers'] });
                  notifications.show({ color: 'teal', message: `The ${created.drug} taper was planned.` });
                  navigate(`/patients/${patientId}/tapers/${created.id}`);
                }}
              />
            </Paper>
          )}
        </>
      )}
    </Stack>
  );
}

function TaperView({
  patientId,
  taperId,
  reference,
  canPrescribe,
  canMonitor,
}: {
  patientId: string;
  taperId: string;
  reference: TaperReference;
  canPrescribe: boolean;
  canMonitor: boolean;
}) {
  const dates = useClinicDates();
  const queryClient = useQueryClient();
  const path = { params: { path: { patientId, taperId } } };
  const detail = useQuery({
    queryKey: ['taper', taperId],
    queryFn: () => call(api.GET('/api/patients/{patientId}/tapers/{taperId}', path)),
  });
  const [versionNo, setVersionNo] = useState<string | null>(null);
  const [statusChange, setStatusChange] = useState<string | null>(null);
  const [statusReason, setStatusReason] = useState('');
  const statusMutation = useMutation({
    mutationFn: (body: { status: string; reason: string; version: number }) =>
      call(api.POST('/api/patients/{patientId}/tapers/{taperId}/status', { ...path, body: body as never })),
    onSuccess: () => {
      setStatusChange(null);
      setStatusReason('');
      void queryClient.invalidateQueries({ queryKey: ['taper', taperId] });
      void queryClient.invalidateQueries({ queryKey: ['patient', patientId, 'tapers'] });
    },
    onError: (err) => notifications.show({ color: 'red', message: errorText(err) }),
  });

  if (detail.isLoading) return <Loader aria-label="Loading plan" />;
  if (detail.error || !detail.data) return <Alert color="red">{errorText(detail.error)}</Alert>;
  const d = detail.data;
  const current = d.versions.at(-1)!;
  const version = d.versions.find((v) => String(v.number) === versionNo) ?? current;
  const open = d.status === 'active' || d.status === 'paused';
  const apiBase = `/api/patients/${patientId}/tapers/${taperId}`;
  const s = version.schedule;

  function changeStatus() {
    if (!statusChange) return;
    statusMutation.mutate({ status: statusChange, reason: statusReason, version: d.version });
  }

  return (
    <Stack>
      <Paper withBorder p="md">
        <Group justify="space-between" align="flex-start">
          <div>
            <Group gap="xs">
              <Title order={3} data-testid="taper-title">
                {d.drug} taper
              </Title>
              <Badge color={STATUS_COLOR[d.status]} variant="light">
                {d.status}
              </Badge>
            </Group>
            <Text size="sm" c="dimmed">
              From {fmt(s.steps[0]!.targetDoseMg)} mg a day on {dates.date(s.startDate)}{' '}
              {s.status === 'ends-before-zero' ? 'until it pauses before zero on' : 'to stopping on'}{' '}
              {dates.date(s.endDate)} · {s.durationText} · {s.steps.length - 1} changes · planned{' '}
              {dates.dateTime(d.createdAt)}
            </Text>
          </div>
          <Group gap="xs" className="no-print">
            {d.versions.length > 1 && (
              <Select
                aria-label="Plan version"
                size="xs"
                w={190}
                data={d.versions.map((v) => ({
                  value: String(v.number),
                  label: `Version ${v.number}${v.number === current.number ? ' (current)' : ''}`,
                }))}
                value={String(version.number)}
                onChange={setVersionNo}
                allowDeselect={false}
              />
            )}
            <Button
              component="a"
              href={`${apiBase}/pdf?version=${version.number}`}
              download
              size="xs"
              data-testid="download-pdf"
            >
              Download PDF calendar
            </Button>
            <Button
              component="a"
              href={`${apiBase}/ics?version=${version.number}`}
              download
              size="xs"
              variant="light"
            >
              Download ICS
            </Button>
            <Button size="xs" variant="default" onClick={() => window.print()}>
              Print
            </Button>
          </Group>
        </Group>
        {canPrescribe && open && (
          <Group gap="xs" mt="sm" className="no-print">
            {d.status === 'active' ? (
              <Button size="xs" variant="default" onClick={() => setStatusChange('paused')}>
                Pause
              </Button>
            ) : (
              <Button size="xs" variant="default" onClick={() => setStatusChange('active')}>
                Resume
              </Button>
            )}
            <Button size="xs" variant="default" onClick={() => setStatusChange('completed')}>
              Mark completed
            </Button>
            <Button size="xs" variant="subtle" color="red" onClick={() => setStatusChange('cancelled')}>
              Cancel plan
            </Button>
          </Group>
        )}
        {version.previousVersionId && (
          <Text size="sm" mt="sm">
            Version {version.number}: {version.reason} — replaces version {version.number - 1}, which is kept.
          </Text>
        )}
        {s.infusionDates.length > 0 ? (
          <Text size="xs" c="dimmed" mt="xs">
            Infusion dates ({s.infusionDates.map((d) => dates.date(d)).join(', ')}) were entered by the
            prescriber; linking the plan to the patient&apos;s ketamine course arrives with courses and
            sessions in a later release. No dose change within {s.infusionSpacing.noChangeHoursBeforeInfusion}{' '}
            h before an infusion.
          </Text>
        ) : (
          <Text size="xs" c="dimmed" mt="xs">
            No infusion dates entered. Courses and sessions arrive in a later release; until then the
            prescriber enters planned infusion dates with the plan.
          </Text>
        )}
      </Paper>

      <Modal
        opened={statusChange !== null}
        onClose={() => setStatusChange(null)}
        title={`${statusChange === 'active' ? 'Resume' : statusChange === 'paused' ? 'Pause' : statusChange === 'completed' ? 'Complete' : 'Cancel'} this plan`}
      >
        <Textarea
          label="Why"
          required
          autosize
          minRows={2}
          value={statusReason}
          onChange={(e) => setStatusReason(e.currentTarget.value)}
        />
        <Button
          mt="sm"
          onClick={changeStatus}
          loading={statusMutation.isPending}
          disabled={!statusReason.trim()}
        >
          Confirm
        </Button>
      </Modal>

      <Paper withBorder p="md">
        <Title order={4} mb="sm">
          Timeline {d.versions.length > 1 ? `(version ${version.number})` : ''}
        </Title>
        <TaperTimeline schedule={s} />
      </Paper>

      {canMonitor && (
        <div className="no-print">
          <TaperMonitoring
            patientId={patientId}
            taperId={taperId}
            reference={reference}
            canDecide={canPrescribe}
            mode={current.schedule.mode}
            currentStep={
              current.schedule.mode === 'occupancy' ? current.schedule.stepPp : current.schedule.stepPct
            }
            open={open}
            onReplanned={() => {
              setVersionNo(null);
              void queryClient.invalidateQueries({ queryKey: ['taper', taperId] });
              void queryClient.invalidateQueries({ queryKey: ['patient', patientId, 'tapers'] });
            }}
          />
        </div>
      )}
      <style>{'@media print { .no-print { display: none !important; } }'}</style>
    </Stack>
  );
}

function fmt(x: number): string {
  return String(Number(x.toFixed(3)));
}
