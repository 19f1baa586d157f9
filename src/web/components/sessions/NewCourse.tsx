import { Button, Group, Select, Stack, Text } from '@mantine/core';
import { useClinicToday } from '../../auth';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, ApiError, call } from '../../api/client';
import { ClinicDateInput, useClinicDates } from '../../dates';
import type { Course } from './types';

function errorText(err: unknown): string {
  return err instanceof ApiError ? err.message : 'Could not reach the server.';
}

/** Scheduling a course from a template: preview where the sessions fall, then schedule. */
export function NewCourse({ patientId }: { patientId: string }) {
  const dates = useClinicDates();
  const navigate = useNavigate();
  const templates = useQuery({
    queryKey: ['course-templates'],
    queryFn: () => call(api.GET('/api/course-templates')),
  });
  const [templateId, setTemplateId] = useState<string | null>(null);
  const today = useClinicToday();
  const [startDate, setStartDate] = useState(today);
  const [preview, setPreview] = useState<Course | null>(null);
  const schedule = useMutation({
    mutationFn: (previewOnly: boolean) =>
      call(
        api.POST('/api/patients/{patientId}/courses', {
          params: { path: { patientId } },
          body: { templateId: templateId!, startDate, preview: previewOnly },
        }),
      ),
    onSuccess: (res, previewOnly) => {
      if (previewOnly) setPreview(res);
      else navigate(`/patients/${patientId}/courses/${res.id}`);
    },
    onError: (err) => notifications.show({ color: 'red', message: errorText(err) }),
  });
  const run = (previewOnly: boolean) => templateId && schedule.mutate(previewOnly);
  return (
    <Stack gap="xs">
      <Group align="flex-end">
        <Select
          label="Course template"
          data={(templates.data ?? []).map((t) => ({
            value: t.template.id,
            label: `${t.template.name}${t.source === 'clinic' ? ' (clinic)' : ''}`,
          }))}
          value={templateId}
          onChange={(v) => {
            setTemplateId(v);
            setPreview(null);
          }}
          w={460}
          searchable
        />
        <ClinicDateInput
          label="Start date"
          value={startDate}
          onChange={(v) => {
            setStartDate(v);
            setPreview(null);
          }}
        />
        <Button
          variant="default"
          disabled={!templateId}
          loading={schedule.isPending}
          onClick={() => run(true)}
        >
          Preview schedule
        </Button>
        <Button disabled={!templateId} loading={schedule.isPending} onClick={() => run(false)}>
          Schedule course
        </Button>
      </Group>
      {preview && (
        <Text size="sm" c={preview.conflicts.length > 0 ? 'orange' : 'dimmed'}>
          {preview.sessions.length} sessions fit from {dates.date(preview.sessions[0]?.date ?? startDate)} to{' '}
          {dates.date(preview.sessions.at(-1)?.date ?? startDate)}
          {preview.conflicts.length > 0
            ? `; ${preview.conflicts.length} could not be placed (see the course page after scheduling)`
            : '; no conflicts'}
          .
        </Text>
      )}
    </Stack>
  );
}
