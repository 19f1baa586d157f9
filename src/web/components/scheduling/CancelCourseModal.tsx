import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { paths } from '../../api/schema';
import { api, call } from '../../api/client';
import { courseCancelSchema } from '../../contracts';
import { useServerForm } from '../../useServerForm';
import { useRefreshBookings } from './BookingChangeModal';

type CancelPath = '/api/patients/{patientId}/courses/{courseId}/cancel';
type CancelBody = paths[CancelPath]['post']['requestBody']['content']['application/json'];
type CancelResult = paths[CancelPath]['post']['responses'][200]['content']['application/json'];

/** Cancelling a course cancels every session still booked: confirmed, with a reason, before it is sent. */
export function CancelCourseModal({
  patientId,
  courseId,
  courseName,
  bookedCount,
  onClose,
}: {
  patientId: string;
  courseId: string;
  courseName: string;
  bookedCount: number;
  onClose(): void;
}) {
  const refresh = useRefreshBookings();
  const { form, onSubmit, pending, message } = useServerForm<{ reason: string }, CancelBody, CancelResult>({
    initialValues: { reason: '' },
    schema: courseCancelSchema,
    toRequest: (v) => ({ reason: v.reason }),
    messages: { reason: 'Give a reason for cancelling the course.' },
    send: (body) =>
      call(
        api.POST('/api/patients/{patientId}/courses/{courseId}/cancel', {
          params: { path: { patientId, courseId } },
          body,
        }),
      ),
    onSaved: (out) => {
      refresh();
      notifications.show({
        color: 'teal',
        message: `Course cancelled: ${out.cancelled} booked session${out.cancelled === 1 ? '' : 's'} cancelled.`,
      });
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} title="Cancel course?">
      <form onSubmit={onSubmit} noValidate aria-label="Cancel course">
        <Stack gap="sm">
          <Text size="sm">
            Cancel <strong>{courseName}</strong>? Its {bookedCount} booked session
            {bookedCount === 1 ? '' : 's'} will be cancelled. Sessions that took place or were missed keep
            their status.
          </Text>
          <Textarea label="Reason" required autosize minRows={2} {...form.getInputProps('reason')} />
          {message && (
            <Alert color="red" role="alert">
              {message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Keep the course
            </Button>
            <Button type="submit" color="red" loading={pending}>
              Cancel course
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
