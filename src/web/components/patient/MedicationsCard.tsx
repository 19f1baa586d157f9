import {
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useClinicToday } from '../../auth';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ApiError, call } from '../../api/client';
import { useClinicDates } from '../../dates';
import { serverErrors } from '../../forms';
import { SESSION_RELEVANT_CLASSES } from '../../../clinical/vocabulary';
import { MedicationForm } from './MedicationForm';

type MedicationRow = Awaited<ReturnType<typeof listMedications>>['items'][number];

const FLAGGED: ReadonlySet<string> = SESSION_RELEVANT_CLASSES;

function errorText(err: unknown): string {
  return err instanceof ApiError ? err.message : 'Could not reach the server.';
}

function listMedications(patientId: string) {
  return call(api.GET('/api/patients/{patientId}/medications', { params: { path: { patientId } } }));
}

/**
 * The medication list: class tags derived from the drug dictionary (locked) and those a clinician
 * added; stopping asks for confirmation and a reason; a wrong entry is marked entered in error.
 * Every change refreshes the interaction flags at once.
 */
export function MedicationsCard({ patientId, canRecord }: { patientId: string; canRecord: boolean }) {
  const dates = useClinicDates();
  const today = useClinicToday();
  const queryClient = useQueryClient();
  const medications = useQuery({
    queryKey: ['patient', patientId, 'medications'],
    queryFn: () => listMedications(patientId),
  });
  const [action, setAction] = useState<{ kind: 'stop' | 'entered-in-error'; med: MedicationRow } | null>(
    null,
  );
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['patient', patientId, 'medications'] });
    void queryClient.invalidateQueries({ queryKey: ['interactions', patientId] });
    void queryClient.invalidateQueries({ queryKey: ['session'] });
  };
  const items = medications.data?.items ?? [];
  return (
    <Paper withBorder p="md">
      <Title order={4} mb="sm">
        Medications
      </Title>
      <Table.ScrollContainer minWidth={700}>
        <Table aria-label="Medications" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Medication</Table.Th>
              <Table.Th>Dose</Table.Th>
              <Table.Th>Frequency</Table.Th>
              <Table.Th>Classes</Table.Th>
              <Table.Th>Started</Table.Th>
              <Table.Th>Stopped</Table.Th>
              {canRecord && <Table.Th />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((m) => {
              const wrong = m.status === 'entered-in-error';
              return (
                <Table.Tr key={m.id} c={m.stopDate || wrong ? 'dimmed' : undefined}>
                  <Table.Td fw={500} td={wrong ? 'line-through' : undefined}>
                    {m.name}
                    {wrong && (
                      <Text size="xs" c="red" td="none">
                        Entered in error: {m.statusReason}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {m.dose != null ? `${m.dose} ${m.doseUnit ?? ''}` : '—'}
                    {m.doseAboveMaximum && (
                      <Tooltip
                        label={`Above the labelled maximum of ${m.doseAboveMaximum.maxMgPerDay} mg/day; confirmed`}
                      >
                        <Badge ml={4} size="xs" color="orange" variant="light">
                          above max, confirmed
                        </Badge>
                      </Tooltip>
                    )}
                  </Table.Td>
                  <Table.Td>{m.frequency ?? '—'}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {m.effectiveClassTags.map((t) => {
                        const derived = m.derivedClassTags.includes(t);
                        return (
                          <Badge
                            key={t}
                            size="sm"
                            variant={derived ? 'filled' : 'light'}
                            color={FLAGGED.has(t) ? 'orange' : 'gray'}
                            title={
                              derived ? 'from the drug dictionary; cannot be removed' : 'added by a clinician'
                            }
                          >
                            {t}
                          </Badge>
                        );
                      })}
                    </Group>
                  </Table.Td>
                  <Table.Td>{m.startDate ? dates.date(m.startDate) : '—'}</Table.Td>
                  <Table.Td>{m.stopDate ? dates.date(m.stopDate) : '—'}</Table.Td>
                  {canRecord && (
                    <Table.Td>
                      {!wrong && (
                        <Group gap={4} wrap="nowrap">
                          {!m.stopDate && (
                            <Button
                              size="xs"
                              variant="subtle"
                              onClick={() => setAction({ kind: 'stop', med: m })}
                            >
                              Stop…
                            </Button>
                          )}
                          <Button
                            size="xs"
                            variant="subtle"
                            color="red"
                            onClick={() => setAction({ kind: 'entered-in-error', med: m })}
                          >
                            Entered in error…
                          </Button>
                        </Group>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {items.length === 0 && <Text c="dimmed">No medications recorded.</Text>}
      {action && (
        <ReasonModal
          title={
            action.kind === 'stop'
              ? `Stop ${action.med.name} today?`
              : `Mark ${action.med.name} as entered in error?`
          }
          confirmLabel={action.kind === 'stop' ? 'Stop medication' : 'Mark entered in error'}
          explanation={
            action.kind === 'stop'
              ? 'The medication gets today as its stop date; the earlier version is kept.'
              : 'The entry stays in the record, struck through, and no longer counts in interaction flags, the REMS form or exports.'
          }
          onClose={() => setAction(null)}
          onConfirm={async (reason) => {
            const params = { params: { path: { patientId, medicationId: action.med.id } } };
            if (action.kind === 'stop') {
              await call(
                api.PATCH('/api/patients/{patientId}/medications/{medicationId}', {
                  ...params,
                  body: {
                    stopDate: today,
                    version: action.med.version,
                    reason,
                  } as never,
                }),
              );
            } else {
              await call(
                api.POST('/api/patients/{patientId}/medications/{medicationId}/entered-in-error', {
                  ...params,
                  body: { reason, version: action.med.version },
                }),
              );
            }
            setAction(null);
            refresh();
          }}
        />
      )}
      {canRecord && <MedicationForm patientId={patientId} onSaved={refresh} />}
    </Paper>
  );
}

/** Asks for confirmation and a reason; nothing is sent without one. */
export function ReasonModal({
  title,
  explanation,
  confirmLabel,
  onClose,
  onConfirm,
}: {
  title: string;
  explanation: string;
  confirmLabel: string;
  onClose(): void;
  onConfirm(reason: string): Promise<void>;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const confirm = useMutation({
    mutationFn: onConfirm,
    onError: (err) => {
      const { fieldErrors, message } = serverErrors(err, ['reason']);
      setError(fieldErrors.reason ?? message ?? undefined);
      notifications.show({ color: 'red', message: errorText(err) });
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    if (reason.trim() === '') {
      setError('Say why');
      return;
    }
    confirm.mutate(reason.trim());
  }
  return (
    <Modal opened onClose={onClose} title={title}>
      <form onSubmit={submit} noValidate aria-label={title}>
        <Stack>
          <Text size="sm">{explanation}</Text>
          <TextInput
            label="Reason"
            required
            data-autofocus
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={error}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="red" loading={confirm.isPending}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
