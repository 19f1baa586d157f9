/** The clinician alert inbox: open suicidality alerts, each acknowledged with a note and an action. */
import { Alert, Badge, Button, Card, Group, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, ApiError, call } from '../../api/client';
import { formatDateTime } from '../../format';
import { ACTION_LABELS, type AlertItem } from './types';

const ACTION_OPTIONS = Object.entries(ACTION_LABELS).map(([value, label]) => ({ value, label }));

export function useOpenAlerts(enabled = true, patientId?: string) {
  return useQuery({
    queryKey: ['alerts', 'open', patientId ?? 'all'],
    queryFn: () => call(api.GET('/api/alerts', { params: { query: { status: 'open', patientId } } })),
    enabled,
    refetchInterval: 60_000,
  });
}

export function AcknowledgeModal({ alert, onClose }: { alert: AlertItem | null; onClose: () => void }) {
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
              (MRN {alert.patient.mrn}) · {alert.reason} · {formatDateTime(alert.createdAt)}
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

/** Open alerts as cards; `compact` for the start page. */
export function AlertInbox({ patientId, emptyText }: { patientId?: string; emptyText?: string }) {
  const alerts = useOpenAlerts(true, patientId);
  const [selected, setSelected] = useState<AlertItem | null>(null);
  if (alerts.isLoading) return <Text c="dimmed">Loading alerts…</Text>;
  if (alerts.error) return <Alert color="red">{alerts.error.message}</Alert>;
  const items = alerts.data?.items ?? [];
  if (items.length === 0) return <Text c="dimmed">{emptyText ?? 'No open alerts.'}</Text>;
  return (
    <Stack gap="sm" data-testid="alert-inbox">
      {items.map((a) => (
        <Card
          key={a.id}
          withBorder
          padding="sm"
          data-testid="open-alert"
          style={{ borderLeft: '4px solid var(--mantine-color-red-6)' }}
        >
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Stack gap={2}>
              <Group gap="xs">
                <Badge color="red" variant="light">
                  {a.kind === 'cssrs-risk' ? 'C-SSRS risk' : 'Suicidality'}
                </Badge>
                <Text fw={600} component={Link} to={`/patients/${a.patientId}`} c="inherit">
                  {a.patient.givenName} {a.patient.familyName}
                </Text>
                <Text size="sm" c="dimmed">
                  MRN {a.patient.mrn}
                </Text>
              </Group>
              <Text size="sm">{a.reason}</Text>
              <Text size="xs" c="dimmed">
                Raised {formatDateTime(a.createdAt)}
              </Text>
            </Stack>
            <Button color="red" variant="light" onClick={() => setSelected(a)}>
              Acknowledge
            </Button>
          </Group>
        </Card>
      ))}
      <AcknowledgeModal alert={selected} onClose={() => setSelected(null)} />
    </Stack>
  );
}
