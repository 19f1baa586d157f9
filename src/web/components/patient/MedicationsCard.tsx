import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  MultiSelect,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ApiError, call } from '../../api/client';
import { formatDate } from '../../format';
import { MEDICATION_CLASSES, SESSION_RELEVANT_CLASSES } from '../../../clinical/vocabulary';
import { outOfRange, RangeNumberInput } from '../RangeNumberInput';

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
                  <Table.Td>{m.startDate ? formatDate(m.startDate) : '—'}</Table.Td>
                  <Table.Td>{m.stopDate ? formatDate(m.stopDate) : '—'}</Table.Td>
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
                    stopDate: new Date().toISOString().slice(0, 10),
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
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (reason.trim() === '') {
      setError('Say why');
      return;
    }
    setBusy(true);
    try {
      await onConfirm(reason.trim());
    } catch (err) {
      const fields = err instanceof ApiError ? err.fieldErrors() : {};
      setError(fields.reason ?? errorText(err));
      notifications.show({ color: 'red', message: errorText(err) });
    } finally {
      setBusy(false);
    }
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
            <Button type="submit" color="red" loading={busy}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function MedicationForm({ patientId, onSaved }: { patientId: string; onSaved(): void }) {
  const empty = {
    name: '',
    dose: '' as number | string,
    doseUnit: 'mg',
    frequency: '',
    classTags: [] as string[],
    startDate: '',
    rxnormCode: '',
  };
  const [f, setF] = useState(empty);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [warning, setWarning] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function save(confirmAboveMaximum: boolean) {
    if (outOfRange(f.dose, 0)) return;
    setBusy(true);
    setErrors({});
    try {
      await call(
        api.POST('/api/patients/{patientId}/medications', {
          params: { path: { patientId } },
          body: {
            name: f.name,
            dose: f.dose === '' ? null : Number(f.dose),
            doseUnit: f.doseUnit || null,
            frequency: f.frequency || null,
            classTags: f.classTags,
            startDate: f.startDate || null,
            rxnormCode: f.rxnormCode || null,
            ...(confirmAboveMaximum ? { confirmAboveMaximum: true } : {}),
          } as never,
        }),
      );
      setF(empty);
      setWarning(null);
      onSaved();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'confirmation_required') {
        setWarning(err.fieldErrors().dose ?? err.message);
      } else {
        setErrors(err instanceof ApiError ? err.fieldErrors() : { name: errorText(err) });
        if (err instanceof ApiError && Object.keys(err.fieldErrors()).length === 0)
          setErrors({ name: err.message });
      }
    } finally {
      setBusy(false);
    }
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void save(false);
      }}
      noValidate
      aria-label="Add medication"
    >
      <Title order={5} mt="lg" mb="xs">
        Add medication
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        <TextInput
          label="Medication"
          required
          value={f.name}
          onChange={(e) => {
            setWarning(null);
            setF({ ...f, name: e.currentTarget.value });
          }}
          error={errors.name}
        />
        <Group grow gap="xs">
          <RangeNumberInput
            label="Dose"
            min={0}
            value={f.dose}
            onChange={(v) => {
              setWarning(null);
              setF({ ...f, dose: v });
            }}
            error={errors.dose}
          />
          <TextInput
            label="Unit"
            value={f.doseUnit}
            onChange={(e) => setF({ ...f, doseUnit: e.currentTarget.value })}
            error={errors.doseUnit}
          />
        </Group>
        <TextInput
          label="Frequency"
          placeholder="e.g. twice daily"
          value={f.frequency}
          onChange={(e) => {
            setWarning(null);
            setF({ ...f, frequency: e.currentTarget.value });
          }}
          error={errors.frequency}
        />
        <TextInput
          label="Start date"
          type="date"
          value={f.startDate}
          onChange={(e) => setF({ ...f, startDate: e.currentTarget.value })}
          error={errors.startDate}
        />
        <MultiSelect
          label="Additional classes"
          description="Classes of known drugs are added from the drug dictionary"
          data={[...MEDICATION_CLASSES]}
          value={f.classTags}
          onChange={(v) => setF({ ...f, classTags: v })}
          error={errors.classTags ?? errors['classTags.0']}
          searchable
        />
        <TextInput
          label="RxNorm code (optional)"
          value={f.rxnormCode}
          onChange={(e) => setF({ ...f, rxnormCode: e.currentTarget.value })}
          error={errors.rxnormCode}
        />
      </SimpleGrid>
      {warning && (
        <Alert color="orange" mt="sm" title="Dose above the labelled maximum">
          <Text size="sm">{warning}</Text>
          <Group mt="xs">
            <Button size="xs" color="orange" loading={busy} onClick={() => void save(true)}>
              Confirm and save
            </Button>
            <Button size="xs" variant="default" onClick={() => setWarning(null)}>
              Change the dose
            </Button>
          </Group>
        </Alert>
      )}
      <Button type="submit" loading={busy} mt="sm" variant="light">
        Add medication
      </Button>
    </form>
  );
}
