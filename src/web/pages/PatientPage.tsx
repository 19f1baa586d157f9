import {
  Alert,
  Button,
  Grid,
  Group,
  Loader,
  Modal,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { LineChart } from '@mantine/charts';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { api, ApiError, call } from '../api/client';
import { useAuth } from '../auth';
import { PatientForm, type PatientFields } from '../components/PatientForm';
import { PatientMeasurement } from '../components/measurement/PatientMeasurement';
import { PatientCourses } from '../components/sessions/PatientCourses';
import { PatientTapers } from '../components/taper/PatientTapers';
import { PatientNotesCard } from '../components/notes/PatientNotesCard';
import { PatientBanner } from '../components/patient/PatientBanner';
import { useClinicDates } from '../dates';
import { PLAUSIBLE } from '../../clinical/vocabulary';
import { MedicationsCard, ReasonModal } from '../components/patient/MedicationsCard';
import { ClinicalRecordSection } from '../components/record/ClinicalRecordSection';
import { RangeNumberInput } from '../components/RangeNumberInput';
import { bodyMeasurementCreateSchema } from '../contracts';
import { optionalNumber, type NumberField } from '../forms';
import { useServerForm } from '../useServerForm';

function errorText(err: unknown): string {
  return err instanceof ApiError ? err.message : 'Could not reach the server.';
}

export function PatientPage() {
  const dates = useClinicDates();
  const { patientId = '' } = useParams();
  const { can } = useAuth();
  const canRecordClinical = can('clinical.record');
  // The front desk gets demographics, contact, due items and portal links; the clinical parts of the
  // chart (weights, medications, courses with doses, tapers) are shown only to who may read them.
  const canReadClinical = can('clinical.read');
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
    enabled: canReadClinical,
  });
  const [wrongMeasurement, setWrongMeasurement] = useState<{ id: string; label: string } | null>(null);

  if (patient.isLoading) return <Loader aria-label="Loading patient" />;
  if (patient.error || !patient.data) {
    return <Alert color="red">{patient.error ? errorText(patient.error) : 'Patient not found.'}</Alert>;
  }
  const p = patient.data;
  const latest = [...(measurements.data?.items ?? [])].reverse();
  // An entry marked entered in error is shown in the history but never as the latest value.
  const active = latest.filter((m) => m.status === 'active');
  const lastWeight = active.find((m) => m.weightKg !== null);
  const lastHeight = active.find((m) => m.heightCm !== null);
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
            MRN {p.mrn} · {p.ageYears} years · {p.sexAtBirth}
            {p.pronouns ? ` · ${p.pronouns}` : ''}
          </Text>
        </div>
        <Button variant="default" onClick={() => setEditing(true)}>
          Edit details
        </Button>
      </Group>

      {canReadClinical && <PatientBanner patientId={patientId} />}

      <Modal opened={editing} onClose={() => setEditing(false)} title="Edit patient details" size="xl">
        <PatientForm
          initial={initial}
          submitLabel="Save changes"
          onCancel={() => setEditing(false)}
          save={async (body) => {
            const updated = await call(
              api.PATCH('/api/patients/{patientId}', { ...path, body: { ...body, version: p.version } }),
            );
            queryClient.setQueryData(['patient', patientId], updated);
            void queryClient.invalidateQueries({ queryKey: ['patients'] });
            setEditing(false);
            notifications.show({ color: 'teal', message: 'Patient details saved.' });
          }}
        />
      </Modal>

      {canReadClinical && (
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Paper withBorder p="md">
            <Text size="sm" c="dimmed">
              Latest weight
            </Text>
            <Text size="xl" fw={600} data-testid="latest-weight">
              {lastWeight?.weightKg != null ? `${lastWeight.weightKg} kg` : '—'}
            </Text>
            <Text size="xs" c="dimmed">
              {lastWeight ? dates.dateTime(lastWeight.measuredAt) : 'not recorded'}
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
      )}

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
                  <Table.Td>{dates.date(p.dateOfBirth)}</Table.Td>
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
        {canReadClinical && (
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Paper withBorder p="md">
              <Title order={4} mb="sm">
                Weight and height
              </Title>
              {active.filter((m) => m.weightKg !== null).length >= 2 && (
                <LineChart
                  h={180}
                  mb="md"
                  data={[...active]
                    .reverse()
                    .filter((m) => m.weightKg !== null)
                    .map((m) => ({ date: dates.date(m.measuredAt), weightKg: m.weightKg }))}
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
                    {canRecordClinical && <Table.Th />}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {latest.map((m) => {
                    const wrong = m.status === 'entered-in-error';
                    const strike = wrong ? 'line-through' : undefined;
                    return (
                      <Table.Tr key={m.id} c={wrong ? 'dimmed' : undefined}>
                        <Table.Td>
                          {dates.dateTime(m.measuredAt)}
                          {wrong && (
                            <Text size="xs" c="red">
                              Entered in error: {m.statusReason}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td td={strike}>{m.weightKg ?? '—'}</Table.Td>
                        <Table.Td td={strike}>{m.heightCm ?? '—'}</Table.Td>
                        <Table.Td>{m.bmi ?? '—'}</Table.Td>
                        {canRecordClinical && (
                          <Table.Td>
                            {!wrong && (
                              <Button
                                size="xs"
                                variant="subtle"
                                color="red"
                                onClick={() =>
                                  setWrongMeasurement({
                                    id: m.id,
                                    label: [
                                      m.weightKg !== null ? `${m.weightKg} kg` : null,
                                      m.heightCm !== null ? `${m.heightCm} cm` : null,
                                    ]
                                      .filter(Boolean)
                                      .join(', '),
                                  })
                                }
                              >
                                Entered in error…
                              </Button>
                            )}
                          </Table.Td>
                        )}
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
              {latest.length === 0 && <Text c="dimmed">No measurements yet.</Text>}
              {canRecordClinical && (
                <MeasurementForm patientId={patientId} onSaved={() => void measurements.refetch()} />
              )}
              {wrongMeasurement && (
                <ReasonModal
                  title={`Mark ${wrongMeasurement.label} as entered in error?`}
                  explanation="The measurement stays in the record, struck through; it is no longer the latest weight and no dose uses it."
                  confirmLabel="Mark entered in error"
                  onClose={() => setWrongMeasurement(null)}
                  onConfirm={async (reason) => {
                    await call(
                      api.POST(
                        '/api/patients/{patientId}/body-measurements/{measurementId}/entered-in-error',
                        {
                          params: { path: { patientId, measurementId: wrongMeasurement.id } },
                          body: { reason },
                        },
                      ),
                    );
                    setWrongMeasurement(null);
                    void measurements.refetch();
                    void queryClient.invalidateQueries({ queryKey: ['session'] });
                  }}
                />
              )}
            </Paper>
          </Grid.Col>
        )}
      </Grid>

      {canReadClinical && (
        <>
          <ClinicalRecordSection patientId={patientId} />
          <MedicationsCard patientId={patientId} canRecord={canRecordClinical} />
          <PatientCourses patientId={patientId} ageYears={p.ageYears} />
          <PatientTapers patientId={patientId} />
          <PatientNotesCard patientId={patientId} />
        </>
      )}
    </Stack>
  );
}

type MeasurementValues = { weightKg: NumberField; heightCm: NumberField };

/** Blank is "not measured" (null); an out-of-range value is refused with its range, never changed. */
function measurementRequest(v: MeasurementValues) {
  return { weightKg: optionalNumber(v.weightKg) ?? null, heightCm: optionalNumber(v.heightCm) ?? null };
}

function MeasurementForm({ patientId, onSaved }: { patientId: string; onSaved(): void }) {
  const { form, onSubmit, pending, message } = useServerForm({
    initialValues: { weightKg: '', heightCm: '' } as MeasurementValues,
    schema: bodyMeasurementCreateSchema,
    toRequest: measurementRequest,
    send: (body) =>
      call(
        api.POST('/api/patients/{patientId}/body-measurements', { params: { path: { patientId } }, body }),
      ),
    onSaved,
    resetOnSave: true,
  });
  const w = PLAUSIBLE.weightKg;
  const h = PLAUSIBLE.heightCm;
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Record weight and height">
      <Group align="flex-end" mt="md">
        <RangeNumberInput
          label="Weight (kg)"
          min={w.min}
          max={w.max}
          unit={w.unit}
          decimalScale={1}
          {...form.getInputProps('weightKg')}
          error={form.errors.weightKg ?? message ?? undefined}
          w={140}
        />
        <RangeNumberInput
          label="Height (cm)"
          min={h.min}
          max={h.max}
          unit={h.unit}
          decimalScale={1}
          {...form.getInputProps('heightCm')}
          w={140}
        />
        <Button type="submit" loading={pending} variant="light">
          Record
        </Button>
      </Group>
    </form>
  );
}
