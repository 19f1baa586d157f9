/** The clinician alert inbox: open suicidality alerts per patient, each acknowledged with a note and an action. */
import { Alert, Badge, Button, Card, Group, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, ApiError, call } from '../../api/client';
import { useClinicDates } from '../../dates';
import { ACTION_LABELS, TIER_LABELS, type AlertGroup, type AlertItem } from './types';

const ACTION_OPTIONS = Object.entries(ACTION_LABELS).map(([value, label]) => ({ value, label }));

/**
 * Open alerts, grouped per patient, highest risk then newest (the server's order). Pages of
 * patients: "Show more patients" fetches the next page with the server's cursor.
 */
export function useOpenAlerts(enabled = true, patientId?: string) {
  return useInfiniteQuery({
    queryKey: ['alerts', 'open', patientId ?? 'all'],
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/api/alerts', {
          params: { query: { status: 'open', patientId, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled,
    refetchInterval: 60_000,
  });
}

export function AcknowledgeModal({ alert, onClose }: { alert: AlertItem | null; onClose: () => void }) {
  const dates = useClinicDates();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const [action, setAction] = useState<string | null>(null);
  const ack = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/alerts/{alertId}/acknowledge', {
          params: { path: { alertId: alert!.id } },
          body: { note, action: action as AlertItem['actionTaken'] & string },
        }),
      ),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: 'Alert acknowledged.' });
      void queryClient.invalidateQueries({ queryKey: ['alerts'] });
      setNote('');
      setAction(null);
      onClose();
    },
  });
  const fieldErrors = ack.error instanceof ApiError ? ack.error.fieldErrors() : {};
  return (
    <Modal opened={alert !== null} onClose={onClose} title="Acknowledge alert" size="lg">
      {alert && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            ack.mutate();
          }}
        >
          <Stack>
            <Text size="sm">
              <b>
                {alert.patient.givenName} {alert.patient.familyName}
              </b>{' '}
              (MRN {alert.patient.mrn}) · {alert.reason} · {dates.dateTime(alert.createdAt)}
            </Text>
            <Select
              label="Action taken"
              placeholder="Choose the action taken"
              data={ACTION_OPTIONS}
              value={action}
              onChange={setAction}
              required
              error={fieldErrors.action}
              comboboxProps={{ withinPortal: true }}
            />
            <Textarea
              label="Note"
              description="What you did and why; kept with the alert."
              autosize
              minRows={3}
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
              required
              error={fieldErrors.note}
            />
            {ack.error && !Object.keys(fieldErrors).length && <Alert color="red">{ack.error.message}</Alert>}
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={ack.isPending} disabled={!action || !note.trim()}>
                Acknowledge
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

/** Open alerts, one card per patient (name, age, MRN), each alert with its own acknowledgement. */
export function AlertInbox({ patientId, emptyText }: { patientId?: string; emptyText?: string }) {
  const dates = useClinicDates();
  const alerts = useOpenAlerts(true, patientId);
  const [selected, setSelected] = useState<AlertItem | null>(null);
  if (alerts.isLoading) return <Text c="dimmed">Loading alerts…</Text>;
  if (alerts.error) return <Alert color="red">{alerts.error.message}</Alert>;
  const groups: AlertGroup[] = alerts.data?.pages.flatMap((p) => p.groups) ?? [];
  if (groups.length === 0) return <Text c="dimmed">{emptyText ?? 'No open alerts.'}</Text>;
  const total = alerts.data?.pages[0]?.total;
  return (
    <Stack gap="sm" data-testid="alert-inbox">
      {groups.map((g) => (
        <Card
          key={g.patient.id}
          withBorder
          padding="sm"
          data-testid="alert-group"
          style={{ borderLeft: `4px solid var(--mantine-color-${TIER_COLOR[g.tier]}-6)` }}
        >
          <Group gap="xs" mb={6}>
            <Text fw={700} component={Link} to={`/patients/${g.patient.id}`} c="inherit">
              {g.patient.givenName} {g.patient.familyName}
            </Text>
            <Text size="sm">{g.patient.ageYears} y</Text>
            <Text size="sm" c="dimmed">
              MRN {g.patient.mrn}
            </Text>
            {g.alertCount > 1 && (
              <Badge variant="outline" color="gray">
                {g.alertCount} open
              </Badge>
            )}
          </Group>
          <Stack gap={6}>
            {g.alerts.map((a) => (
              <Group
                key={a.id}
                justify="space-between"
                wrap="wrap"
                gap="xs"
                data-testid="open-alert"
                data-tier={a.tier}
              >
                <Stack gap={2}>
                  <Group gap="xs">
                    <Badge color={TIER_COLOR[a.tier]} variant="light">
                      {TIER_LABELS[a.tier] ?? a.tier}
                    </Badge>
                    <Text size="sm" fw={500}>
                      {a.patient.givenName} {a.patient.familyName}
                    </Text>
                  </Group>
                  <Text size="sm">{a.reason}</Text>
                  <Text size="xs" c="dimmed">
                    Raised {dates.dateTime(a.createdAt)}
                  </Text>
                </Stack>
                <Button color="red" variant="light" onClick={() => setSelected(a)}>
                  Acknowledge
                </Button>
              </Group>
            ))}
          </Stack>
        </Card>
      ))}
      {alerts.hasNextPage && (
        <Button
          variant="default"
          onClick={() => void alerts.fetchNextPage()}
          loading={alerts.isFetchingNextPage}
        >
          Show more patients ({total ? `${total.patients - groups.length} more` : 'more'})
        </Button>
      )}
      <AcknowledgeModal alert={selected} onClose={() => setSelected(null)} />
    </Stack>
  );
}

const TIER_COLOR: Record<string, string> = { high: 'red', moderate: 'orange', 'positive-item': 'yellow' };
