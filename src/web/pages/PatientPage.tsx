import {
  Alert,
  Badge,
  Button,
  Grid,
  Group,
  Loader,
  Modal,
  MultiSelect,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { LineChart } from '@mantine/charts';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { api, ApiError, call } from '../api/client';
import { useAuth } from '../auth';
import { PatientForm, toPatientBody, type PatientFields } from '../components/PatientForm';
import { PatientMeasurement } from '../components/measurement/PatientMeasurement';
import { PatientCourses } from '../components/sessions/PatientCourses';
import { PatientTapers } from '../components/taper/PatientTapers';
import { ageYears, formatDate, formatDateTime } from '../format';
import { MEDICATION_CLASSES, SESSION_RELEVANT_CLASSES } from '../../clinical/medication-classes';

const FLAGGED: ReadonlySet<string> = SESSION_RELEVANT_CLASSES;

function errorText(err: unknown): string {
  return err instanceof ApiError ? err.message : 'Could not reach the server.';
}

export function PatientPage() {
  const { patientId = '' } = useParams();
  const { user } = useAuth();
  const canRecordClinical = user?.role !== 'staff';
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const path = { params: { path: { patientId } } };
  const patient = useQuery({
    queryKey: ['patient', patientId],
    queryFn: () => call(api.GET('/api/patients/{patientId}', path)),
  });
  const measurements = useQuery({
    queryKey: ['patient', patientId, 'measurements'],
    queryFn: () => call(api.GET('/api/patients/{patientId}/body-measurements', path)),
  });
  const medications = useQuery({
    queryKey: ['patient', patientId, 'medications'],
    queryFn: () => call(api.GET('/api/patients/{patientId}/medications', path)),
  });

  if (patient.isLoading) return <Loader aria-label="Loading patient" />;
  if (patient.error || !patient.data) {
    return <Alert color="red">{patient.error ? errorText(patient.error) : 'Patient not found.'}</Alert>;
  }
  const p = patient.data;
  const latest = [...(measurements.data?.items ?? [])].reverse();
  const lastWeight = latest.find((m) => m.weightKg !== null);
  const lastHeight = latest.find((m) => m.heightCm !== null);
  const initial: PatientFields = {
    mrn: p.mrn,
    givenName: p.givenName,
    familyName: p.familyName,
    dateOfBirth: p.dateOfBirth,
    sexAtBirth: p.sexAtBirth,
    genderIdentity: p.genderIdentity ?? '',
    pronouns: p.pronouns ?? '',
    phone: p.phone ?? '',
    email: p.email ?? '',
    emergencyContactName: p.emergencyContactName ?? '',
    emergencyContactPhone: p.emergencyContactPhone ?? '',
    emergencyContactRelationship: p.emergencyContactRelationship ?? '',
  };

  return (
    <Stack maw={1200}>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2} data-testid="patient-name">
            {p.givenName} {p.familyName}
          </Title>
          <Text c="dimmed">
            MRN {p.mrn} · {ageYears(p.dateOfBirth)} years · {p.sexAtBirth}
            {p.pronouns ? ` · ${p.pronouns}` : ''}
          </Text>
        </div>
        <Button variant="default" onClick={() => setEditing(true)}>
          Edit details
        </Button>
      </Group>

      <Modal opened={editing} onClose={() => setEditing(false)} title="Edit patient details" size="xl">
        <PatientForm
          initial={initial}
          submitLabel="Save changes"
          onCancel={() => setEditing(false)}
          onSubmit={async (fields) => {
            const updated = await call(
              api.PATCH('/api/patients/{patientId}', {
                ...path,
                body: { ...toPatientBody(fields), version: p.version } as never,
              }),
            );
            queryClient.setQueryData(['patient', patientId], updated);
            void queryClient.invalidateQueries({ queryKey: ['patients'] });
            setEditing(false);
            notifications.show({ color: 'teal', message: 'Patient details saved.' });
          }}
        />
      </Modal>

      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Paper withBorder p="md">
          <Text size="sm" c="dimmed">
            Latest weight
          </Text>
          <Text size="xl" fw={600} data-testid="latest-weight">
            {lastWeight?.weightKg != null ? `${lastWeight.weightKg} kg` : '—'}
          </Text>
          <Text size="xs" c="dimmed">
            {lastWeight ? formatDateTime(lastWeight.measuredAt) : 'not recorded'}
          </Text>
        </Paper>
        <Paper withBorder p="md">
          <Text size="sm" c="dimmed">
            Height
          </Text>
          <Text size="xl" fw={600}>
            {lastHeight?.heightCm != null ? `${lastHeight.heightCm} cm` : '—'}
          </Text>
        </Paper>
        <Paper withBorder p="md">
          <Text size="sm" c="dimmed">
            BMI (kg/m²)
          </Text>
          <Text size="xl" fw={600}>
            {lastWeight?.bmi ?? '—'}
          </Text>
        </Paper>
      </SimpleGrid>

      <PatientMeasurement patientId={patientId} />

      <Grid>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Paper withBorder p="md">
            <Title order={4} mb="sm">
              Contact
            </Title>
            <Table variant="vertical" withRowBorders={false}>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Th w={160}>Date of birth</Table.Th>
                  <Table.Td>{formatDate(p.dateOfBirth)}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>Gender identity</Table.Th>
                  <Table.Td>{p.genderIdentity ?? '—'}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>Phone</Table.Th>
                  <Table.Td>{p.phone ?? '—'}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>Email</Table.Th>
                  <Table.Td>{p.email ?? '—'}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>Emergency contact</Table.Th>
                  <Table.Td>
                    {p.emergencyContactName ?? '—'}
                    {p.emergencyContactRelationship ? ` (${p.emergencyContactRelationship})` : ''}
                    {p.emergencyContactPhone ? ` · ${p.emergencyContactPhone}` : ''}
                  </Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Paper withBorder p="md">
            <Title order={4} mb="sm">
              Weight and height
            </Title>
            {(measurements.data?.items.filter((m) => m.weightKg !== null).length ?? 0) >= 2 && (
              <LineChart
                h={180}
                mb="md"
                data={measurements
                  .data!.items.filter((m) => m.weightKg !== null)
                  .map((m) => ({ date: formatDate(m.measuredAt), weightKg: m.weightKg }))}
                dataKey="date"
                series={[{ name: 'weightKg', label: 'Weight (kg)', color: 'teal.6' }]}
                yAxisProps={{ domain: ['dataMin - 2', 'dataMax + 2'] }}
                curveType="linear"
              />
            )}
            <Table aria-label="Weight and height history" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Measured</Table.Th>
                  <Table.Th>Weight (kg)</Table.Th>
                  <Table.Th>Height (cm)</Table.Th>
                  <Table.Th>BMI</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {latest.map((m) => (
                  <Table.Tr key={m.id}>
                    <Table.Td>{formatDateTime(m.measuredAt)}</Table.Td>
                    <Table.Td>{m.weightKg ?? '—'}</Table.Td>
                    <Table.Td>{m.heightCm ?? '—'}</Table.Td>
                    <Table.Td>{m.bmi ?? '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {latest.length === 0 && <Text c="dimmed">No measurements yet.</Text>}
            {canRecordClinical && (
              <MeasurementForm patientId={patientId} onSaved={() => void measurements.refetch()} />
            )}
          </Paper>
        </Grid.Col>
      </Grid>

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
                {canRecordClinical && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {medications.data?.items.map((m) => (
                <Table.Tr key={m.id} c={m.stopDate ? 'dimmed' : undefined}>
                  <Table.Td fw={500}>{m.name}</Table.Td>
                  <Table.Td>{m.dose != null ? `${m.dose} ${m.doseUnit ?? ''}` : '—'}</Table.Td>
                  <Table.Td>{m.frequency ?? '—'}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {m.classTags.map((t) => (
                        <Badge key={t} size="sm" variant="light" color={FLAGGED.has(t) ? 'orange' : 'gray'}>
                          {t}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>{m.startDate ? formatDate(m.startDate) : '—'}</Table.Td>
                  <Table.Td>{m.stopDate ? formatDate(m.stopDate) : '—'}</Table.Td>
                  {canRecordClinical && (
                    <Table.Td>
                      {!m.stopDate && (
                        <Button
                          size="xs"
                          variant="subtle"
                          onClick={async () => {
                            try {
                              await call(
                                api.PATCH('/api/patients/{patientId}/medications/{medicationId}', {
                                  params: { path: { patientId, medicationId: m.id } },
                                  body: {
                                    stopDate: new Date().toISOString().slice(0, 10),
                                    version: m.version,
                                  } as never,
                                }),
                              );
                              void medications.refetch();
                            } catch (err) {
                              notifications.show({ color: 'red', message: errorText(err) });
                            }
                          }}
                        >
                          Stop today
                        </Button>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {medications.data?.items.length === 0 && <Text c="dimmed">No medications recorded.</Text>}
        {canRecordClinical && (
          <MedicationForm patientId={patientId} onSaved={() => void medications.refetch()} />
        )}
      </Paper>

      <PatientCourses patientId={patientId} ageYears={ageYears(p.dateOfBirth)} />
      <PatientTapers patientId={patientId} />
    </Stack>
  );
}

function MeasurementForm({ patientId, onSaved }: { patientId: string; onSaved(): void }) {
  const [weightKg, setWeight] = useState<number | string>('');
  const [heightCm, setHeight] = useState<number | string>('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      await call(
        api.POST('/api/patients/{patientId}/body-measurements', {
          params: { path: { patientId } },
          body: {
            weightKg: weightKg === '' ? null : Number(weightKg),
            heightCm: heightCm === '' ? null : Number(heightCm),
          },
        }),
      );
      setWeight('');
      setHeight('');
      onSaved();
    } catch (err) {
      setErrors(
        err instanceof ApiError
          ? { weightKg: err.message, ...err.fieldErrors() }
          : { weightKg: errorText(err) },
      );
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={submit} noValidate aria-label="Record weight and height">
      <Group align="flex-end" mt="md">
        <NumberInput
          label="Weight (kg)"
          min={1}
          max={500}
          decimalScale={1}
          value={weightKg}
          onChange={setWeight}
          error={errors.weightKg}
          w={140}
        />
        <NumberInput
          label="Height (cm)"
          min={1}
          max={272}
          decimalScale={1}
          value={heightCm}
          onChange={setHeight}
          error={errors.heightCm}
          w={140}
        />
        <Button type="submit" loading={busy} variant="light">
          Record
        </Button>
      </Group>
    </form>
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
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
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
          } as never,
        }),
      );
      setF(empty);
      onSaved();
    } catch (err) {
      setErrors(err instanceof ApiError ? err.fieldErrors() : { name: errorText(err) });
      if (err instanceof ApiError && Object.keys(err.fieldErrors()).length === 0)
        setErrors({ name: err.message });
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={submit} noValidate aria-label="Add medication">
      <Title order={5} mt="lg" mb="xs">
        Add medication
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        <TextInput
          label="Medication"
          required
          value={f.name}
          onChange={(e) => setF({ ...f, name: e.currentTarget.value })}
          error={errors.name}
        />
        <Group grow gap="xs">
          <NumberInput
            label="Dose"
            min={0}
            value={f.dose}
            onChange={(v) => setF({ ...f, dose: v })}
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
          onChange={(e) => setF({ ...f, frequency: e.currentTarget.value })}
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
          label="Classes"
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
      <Button type="submit" loading={busy} mt="sm" variant="light">
        Add medication
      </Button>
    </form>
  );
}
