import { Alert, Anchor, Group, Loader, Select, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, call } from '../../api/client';
import { useClinicDates } from '../../dates';
import type { Patient } from './types';

export interface PickedPatient {
  patient: Patient;
  weightKg: number | null;
  weighedAt: string | null;
  heightCm: number | null;
}

const label = (p: Patient) => `${p.familyName}, ${p.givenName} · ${p.mrn}`;

/**
 * Searches patients by name or MRN and shows the latest recorded weight. The planner then sends only
 * the patient id: the server takes the weight from the record itself.
 */
export function PatientPicker({
  value,
  onChange,
}: {
  value: PickedPatient | null;
  onChange: (picked: PickedPatient | null) => void;
}) {
  const dates = useClinicDates();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const selectedLabel = value ? label(value.patient) : null;
  const q = debounced.trim();
  const results = useQuery({
    queryKey: ['patients', 'picker', q],
    queryFn: () => call(api.GET('/api/patients', { params: { query: { q, limit: 10 } } })),
    enabled: q.length > 0 && q !== selectedLabel,
  });
  const patients = new Map<string, Patient>();
  if (value) patients.set(value.patient.id, value.patient);
  for (const p of results.data?.items ?? []) patients.set(p.id, p);
  const [loadingId, setLoadingId] = useState<string | null>(null);

  async function pick(id: string | null) {
    const patient = id ? patients.get(id) : undefined;
    if (!patient) {
      onChange(null);
      return;
    }
    setLoadingId(id);
    try {
      // The server says which weight counts (active, not dated after now); the list is history.
      const { latest } = await call(
        api.GET('/api/patients/{patientId}/body-measurements', {
          params: { path: { patientId: patient.id } },
        }),
      );
      onChange({ patient, ...latest });
    } finally {
      setLoadingId(null);
    }
  }

  return (
    <Stack gap="xs">
      <Select
        label="Patient"
        placeholder="Search by name or MRN"
        searchable
        clearable
        searchValue={search}
        onSearchChange={setSearch}
        data={[...patients.values()].map((p) => ({ value: p.id, label: label(p) }))}
        filter={({ options }) => options}
        value={value?.patient.id ?? null}
        onChange={(id) => void pick(id)}
        nothingFoundMessage={q && !results.isFetching ? 'No patient found' : undefined}
        rightSection={results.isFetching || loadingId ? <Loader size="xs" /> : undefined}
        data-testid="patient-picker"
      />
      {value && (
        <Group gap="lg" data-testid="picked-patient">
          <Text size="sm">
            <Text span c="dimmed">
              Weight{' '}
            </Text>
            <Text span fw={600} data-testid="picked-weight">
              {value.weightKg !== null ? `${value.weightKg} kg` : '—'}
            </Text>
            {value.weighedAt && (
              <Text span c="dimmed" size="xs">
                {' '}
                ({dates.dateTime(value.weighedAt)})
              </Text>
            )}
          </Text>
          <Text size="sm">
            <Text span c="dimmed">
              Height{' '}
            </Text>
            {value.heightCm !== null ? `${value.heightCm} cm` : '—'}
          </Text>
          <Text size="sm">
            {value.patient.ageYears} y · {value.patient.sexAtBirth}
          </Text>
        </Group>
      )}
      {value && value.weightKg === null && (
        <Alert color="yellow" variant="light">
          No weight is recorded for this patient.{' '}
          <Anchor component={Link} to={`/patients/${value.patient.id}`}>
            Record one on the patient page
          </Anchor>{' '}
          or enter a weight manually.
        </Alert>
      )}
    </Stack>
  );
}
