import { Alert, Button, Group, Modal, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import type { paths } from '../../api/schema';
import { api, call } from '../../api/client';
import { bookingChangeCreateSchema } from '../../contracts';
import { ClinicDateInput, useClinicDates } from '../../dates';
import { useServerForm } from '../../useServerForm';
import { clock } from '../sessions/types';

type ChangePath = '/api/patients/{patientId}/sessions/{sessionId}/booking-changes';
type ChangeBody = paths[ChangePath]['post']['requestBody']['content']['application/json'];
type ChangeKind = ChangeBody['kind'];
/** The time input's "HH:MM" is kept under the body's own name, so the server's errors land under it. */
type ChangeValues = { reason: string; date: string; startMin: string };

export interface BookedSession {
  id: string;
  sequence: number;
  date: string;
  startMin: number;
  endMin: number;
  roomId: string;
}

const TITLE: Record<ChangeKind, string> = {
  reschedule: 'Reschedule session',
  cancel: 'Cancel session',
  'no-show': 'Mark session a no-show',
};
const CONFIRM: Record<ChangeKind, string> = {
  reschedule: 'Reschedule',
  cancel: 'Cancel session',
  'no-show': 'Mark no-show',
};
const SAVED: Record<ChangeKind, string> = {
  reschedule: 'Session rescheduled.',
  cancel: 'Session cancelled.',
  'no-show': 'Session marked a no-show.',
};

/** "13:30" → 810 minutes from midnight; blank or half-typed → NaN, which the schema refuses. */
function minutesOf(hhmm: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN;
}

function toRequest(kind: ChangeKind, v: ChangeValues): ChangeBody {
  if (kind === 'reschedule') {
    return { kind, reason: v.reason, date: v.date, startMin: minutesOf(v.startMin) };
  }
  return { kind, reason: v.reason };
}

/** Everything that shows a session's booking reads it again after a change. */
export function useRefreshBookings() {
  const queryClient = useQueryClient();
  return () => {
    for (const key of ['course', 'courses', 'course-suggestions', 'calendar', 'session', 'patient']) {
      void queryClient.invalidateQueries({ queryKey: [key] });
    }
  };
}

/**
 * Reschedule, cancel or mark a no-show one session. The dialog is the confirmation: it names the
 * session and its booking, asks for the reason, and sends nothing until the button is pressed.
 */
export function BookingChangeModal({
  patientId,
  session,
  kind,
  onClose,
}: {
  patientId: string;
  session: BookedSession;
  kind: ChangeKind;
  onClose(): void;
}) {
  const dates = useClinicDates();
  const refresh = useRefreshBookings();
  const { form, onSubmit, pending, message } = useServerForm<ChangeValues, ChangeBody, unknown>({
    initialValues: { reason: '', date: session.date, startMin: clock(session.startMin) },
    schema: bookingChangeCreateSchema,
    toRequest: (v) => toRequest(kind, v),
    messages: {
      reason: 'Give a reason for the change.',
      date: 'Choose the new date.',
      startMin: 'Choose the new start time.',
    },
    send: (body) =>
      call(
        api.POST('/api/patients/{patientId}/sessions/{sessionId}/booking-changes', {
          params: { path: { patientId, sessionId: session.id } },
          body,
        }),
      ),
    onSaved: () => {
      refresh();
      notifications.show({ color: 'teal', message: SAVED[kind] });
      onClose();
    },
  });
  const booked = `${dates.date(session.date)} at ${clock(session.startMin)}–${clock(session.endMin)}, ${session.roomId}`;
  return (
    <Modal opened onClose={onClose} title={TITLE[kind]}>
      <form onSubmit={onSubmit} noValidate aria-label={TITLE[kind]}>
        <Stack gap="sm">
          <Text size="sm">
            Session {session.sequence}, booked {booked}.
          </Text>
          {kind === 'cancel' && (
            <Text size="sm" c="dimmed">
              A cancelled session stays in the record with its reason; it cannot be rebooked.
            </Text>
          )}
          {kind === 'no-show' && (
            <Text size="sm" c="dimmed">
              The patient did not come. The session can be rescheduled afterwards.
            </Text>
          )}
          {kind === 'reschedule' && (
            <Group grow align="flex-start">
              <ClinicDateInput label="New date" required {...form.getInputProps('date')} />
              <TextInput
                label="New start time"
                type="time"
                required
                description={`Keeps its ${session.endMin - session.startMin} min and its room`}
                {...form.getInputProps('startMin')}
              />
            </Group>
          )}
          <Textarea label="Reason" required autosize minRows={2} {...form.getInputProps('reason')} />
          {message && (
            <Alert color="red" role="alert">
              {message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Keep the booking
            </Button>
            <Button type="submit" color={kind === 'reschedule' ? 'blue' : 'orange'} loading={pending}>
              {CONFIRM[kind]}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export type { ChangeKind };
