import { Alert, Anchor, Badge, Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { PatientBanner } from '../components/patient/PatientBanner';
import { api, ApiError, call } from '../api/client';
import { useAuth } from '../auth';
import { useClinicDates } from '../dates';
import { CancelCourseModal } from '../components/scheduling/CancelCourseModal';
import { CourseSchedule } from '../components/scheduling/CourseSchedule';
import { Citations } from '../components/sessions/Citations';
import { MODALITY_LABELS } from '../../clinical/vocabulary/modalities';
import { SUGGESTION_KIND_LABELS } from '../../clinical/vocabulary/suggestions';

function errorText(err: unknown): string {
  return err instanceof ApiError ? err.message : 'Could not reach the server.';
}

function Suggestions({ patientId, courseId }: { patientId: string; courseId: string }) {
  const q = useQuery({
    queryKey: ['course-suggestions', courseId],
    queryFn: () =>
      call(
        api.GET('/api/patients/{patientId}/courses/{courseId}/suggestions', {
          params: { path: { patientId, courseId } },
        }),
      ),
  });
  if (q.isLoading) return <Loader size="sm" aria-label="Loading suggestions" />;
  if (q.error || !q.data) return <Alert color="red">{errorText(q.error)}</Alert>;
  const s = q.data;
  return (
    <Paper withBorder p="md" component="section" aria-label="Suggestions">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3}>Suggestions</Title>
          <Text size="xs" c="dimmed">
            For the prescriber to consider; nothing changes automatically. {s.completedSessions} session(s)
            completed.
          </Text>
        </Group>
        <Stack gap={4} data-testid="titration">
          <Text fw={600}>Dose titration</Text>
          {s.titration ? (
            <>
              <Group gap="xs">
                <Badge
                  variant="light"
                  color={s.titration.kind === 'consider-dose-increase' ? 'orange' : 'gray'}
                  title={`Rule ${s.titration.ruleId}`}
                >
                  {SUGGESTION_KIND_LABELS[s.titration.kind]}
                </Badge>
                <Text size="sm">{s.titration.message}</Text>
              </Group>
              <Citations citations={s.titration.citations} />
            </>
          ) : (
            <Text size="sm" c="dimmed">
              {s.titrationUnavailable}
            </Text>
          )}
        </Stack>
        <Stack gap={4} data-testid="booster">
          <Text fw={600}>Next booster</Text>
          {s.booster ? (
            <>
              <Group gap="xs">
                <Badge variant="light" title={`Rule ${s.booster.ruleId}`}>
                  {SUGGESTION_KIND_LABELS[s.booster.kind]}
                </Badge>
                <Text size="sm">{s.booster.message}</Text>
              </Group>
              <Citations citations={s.booster.citations} />
            </>
          ) : (
            <Text size="sm" c="dimmed">
              {s.boosterUnavailable}
            </Text>
          )}
        </Stack>
      </Stack>
    </Paper>
  );
}

/** A treatment course: its schedule on the clinic calendar, conflicts, ICS export and suggestions. */
export function CoursePage() {
  const dates = useClinicDates();
  const { patientId = '', courseId = '' } = useParams();
  const { can } = useAuth();
  const clinical = can('sessions.read');
  const [cancelling, setCancelling] = useState(false);
  // Actual start and end times are moments; they are shown on the clinic's clock like the bookings.
  const identity = useQuery({
    queryKey: ['clinic', 'identity'],
    queryFn: () => call(api.GET('/api/clinic/identity')),
  });
  const patient = useQuery({
    queryKey: ['patient', patientId],
    queryFn: () => call(api.GET('/api/patients/{patientId}', { params: { path: { patientId } } })),
  });
  const course = useQuery({
    queryKey: ['course', courseId],
    queryFn: () =>
      call(
        api.GET('/api/patients/{patientId}/courses/{courseId}', {
          params: { path: { patientId, courseId } },
        }),
      ),
  });
  if (patient.isLoading || course.isLoading) return <Loader aria-label="Loading" />;
  if (!patient.data || !course.data)
    return <Alert color="red">{errorText(patient.error ?? course.error)}</Alert>;
  const p = patient.data;
  const c = course.data;
  const booked = c.sessions.filter((s) => s.status === 'booked').length;
  return (
    <Stack maw={1100}>
      <PatientBanner patientId={patientId} />
      <div>
        <Anchor component={Link} to={`/patients/${patientId}`} size="sm">
          ← {p.givenName} {p.familyName}
        </Anchor>
        <Group justify="space-between" align="flex-end">
          <div>
            <Title order={2}>{c.template.name}</Title>
            <Text c="dimmed">
              {MODALITY_LABELS[c.modality]} · starts {dates.date(c.startDate)} · {c.sessions.length} sessions
              scheduled
            </Text>
          </div>
          <Group gap="xs">
            <Button
              component="a"
              href={`/api/patients/${patientId}/courses/${courseId}/ics`}
              download
              variant="default"
            >
              Download calendar (ICS)
            </Button>
            {can('courses.cancel') && !c.cancelled && booked > 0 && (
              <Button color="red" variant="light" onClick={() => setCancelling(true)}>
                Cancel course
              </Button>
            )}
          </Group>
        </Group>
      </div>

      {c.cancelled && (
        <Alert color="gray" title="Course cancelled" data-testid="course-cancelled">
          Cancelled {dates.dateTime(c.cancelled.at, identity.data?.timeZone)}: {c.cancelled.reason}
        </Alert>
      )}
      {cancelling && (
        <CancelCourseModal
          patientId={patientId}
          courseId={courseId}
          courseName={c.template.name}
          bookedCount={booked}
          onClose={() => setCancelling(false)}
        />
      )}

      {c.conflicts.length > 0 && (
        <Alert color="orange" title={`${c.conflicts.length} session(s) could not be placed`}>
          <Stack gap={2}>
            {c.conflicts.map((x) => (
              <Text key={x.sequence} size="sm">
                Session {x.sequence} (target {dates.date(x.targetDate)}): {x.reason}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}

      <Paper withBorder p="md" component="section" aria-label="Schedule">
        <Title order={3} mb="xs">
          Schedule
        </Title>
        <CourseSchedule
          course={c}
          patientId={patientId}
          clinical={clinical}
          canChange={can('bookings.change')}
          timeZone={identity.data?.timeZone}
        />
        <Stack gap={2} mt="sm">
          {c.template.notes.map((n) => (
            <Text key={n} size="xs" c="dimmed">
              {n}
            </Text>
          ))}
          <Citations citations={c.template.citations} />
        </Stack>
      </Paper>

      {clinical && <Suggestions patientId={patientId} courseId={courseId} />}
    </Stack>
  );
}
