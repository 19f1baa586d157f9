import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, call } from '../../api/client';
import { useClinicDates } from '../../dates';
import { SessionCard } from './SessionCard';
import { useSessionAction, type SessionParams } from './session-mutation';
import type { SessionState } from './types';

export function RemsCard({ params, state }: { params: SessionParams; state: SessionState }) {
  const dates = useClinicDates();
  const rems = useQuery({
    queryKey: ['session-rems', params.sessionId, state.discharge?.at ?? null, state.remsSubmittedOn],
    queryFn: () =>
      call(api.GET('/api/patients/{patientId}/sessions/{sessionId}/rems', { params: { path: params } })),
  });
  const submitted = useSessionAction(params, (body: { submittedOn: string }) =>
    call(
      api.POST('/api/patients/{patientId}/sessions/{sessionId}/rems/submitted', {
        params: { path: params },
        body,
      }),
    ),
  );
  if (!rems.data) return null;
  const r = rems.data;
  return (
    <SessionCard
      title="REMS Patient Monitoring Form"
      label="REMS"
      right={
        r.submittedOn ? (
          <Badge color="teal">submitted {dates.date(r.submittedOn)}</Badge>
        ) : (
          <Badge color="orange">due by {dates.date(r.dueDate)}</Badge>
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
              <Button loading={submitted.pending} onClick={() => submitted.run({ submittedOn: state.today })}>
                Mark submitted today
              </Button>
            )}
          </Group>
        )}
        {submitted.message && (
          <Text size="sm" c="red">
            {submitted.message}
          </Text>
        )}
        {r.warnings.map((w) => (
          <Text key={w} size="xs" c="orange">
            {w}
          </Text>
        ))}
      </Stack>
    </SessionCard>
  );
}
