import {
  Alert,
  Badge,
  Button,
  Grid,
  Group,
  List,
  Loader,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { api, ApiError, call } from '../api/client';
import { MechanismCharts } from '../components/mechanism/MechanismCharts';
import {
  MechanismParameterTable,
  PkParameterTable,
  STATUS_MEANING,
} from '../components/mechanism/ParameterTable';
import type { MechanismRequest } from '../components/mechanism/types';
import {
  isRunnable,
  mechanismQuery,
  parseMechanismQuery,
  prefilled,
  type MechanismInputs,
} from '../components/mechanism/url';
import { PatientExplanation } from '../components/mechanism/PatientExplanation';
import { RangeNumberInput } from '../components/RangeNumberInput';
import { PLAUSIBLE } from '../../clinical/vocabulary';
import { EvidenceBadge, evidenceWords } from '../components/EvidenceBadge';

const BANNER_TITLE = 'Educational model, not a prediction for the individual';
const DEFAULT_BANNER =
  'It illustrates published animal and cell findings with partly illustrative parameters; it must not guide dosing or treatment.';

function errorText(err: unknown): string {
  return err instanceof ApiError ? err.message : 'Could not reach the server.';
}

const pct = (v: number) => `${(v * 100).toFixed(0)}%`;
const hours = (min: number) => `${Number((min / 60).toFixed(1))} h`;

function toRequest(inputs: MechanismInputs): MechanismRequest {
  return {
    model: inputs.model,
    doses: inputs.doses,
    ...(inputs.weightKg !== undefined ? { weightKg: inputs.weightKg } : {}),
    ...(inputs.patientId ? { patientId: inputs.patientId } : {}),
    ...(inputs.untilMin !== undefined ? { untilMin: inputs.untilMin } : {}),
    ...(inputs.ageYears !== undefined ? { ageYears: inputs.ageYears } : {}),
    ...(inputs.heightCm !== undefined ? { heightCm: inputs.heightCm } : {}),
    ...(inputs.sex ? { sex: inputs.sex } : {}),
    ...(inputs.weightBasis ? { weightBasis: inputs.weightBasis } : {}),
  };
}

/** The inputs form; its state starts from the URL and is written back to it on submit. */
function InputsForm({
  initial,
  onSubmit,
  running,
}: {
  initial: MechanismInputs;
  onSubmit: (inputs: MechanismInputs) => void;
  running: boolean;
}) {
  const models = useQuery({
    queryKey: ['pk', 'models'],
    queryFn: () => call(api.GET('/api/pk/models')),
    staleTime: Infinity,
  });
  const [model, setModel] = useState(initial.model);
  const [weight, setWeight] = useState<number | string>(initial.weightKg ?? '');
  const [doses, setDoses] = useState(initial.doses.join('\n'));
  const [untilH, setUntilH] = useState<number | string>(
    initial.untilMin !== undefined ? initial.untilMin / 60 : '',
  );
  const options = (models.data ?? []).map((m) => ({
    value: m.id,
    label: `${m.name} (${evidenceWords(m.status)})`,
  }));
  if (model && !options.some((o) => o.value === model)) options.unshift({ value: model, label: model });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({
      ...initial,
      model,
      weightKg: weight === '' ? undefined : Number(weight),
      doses: doses
        .split('\n')
        .map((d) => d.trim())
        .filter((d) => d !== ''),
      untilMin: untilH === '' ? undefined : Number(untilH) * 60,
    });
  };

  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-label="Mechanism inputs">
      <Grid align="flex-end">
        <Grid.Col span={{ base: 12, sm: 6, md: 4 }}>
          <Select
            label="PK model"
            data={options}
            value={model}
            onChange={(v) => setModel(v ?? '')}
            allowDeselect={false}
            searchable
          />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 3, md: 2 }}>
          <RangeNumberInput
            label="Weight (kg)"
            value={weight}
            onChange={setWeight}
            min={PLAUSIBLE.weightKg.min}
            max={PLAUSIBLE.weightKg.max}
            unit="kg"
            placeholder={initial.patientId ? 'from record' : undefined}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 3, md: 2 }}>
          <RangeNumberInput label="Horizon (h)" value={untilH} onChange={setUntilH} min={1} max={672} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Textarea
            label="Regimen (one dose per line)"
            value={doses}
            onChange={(e) => setDoses(e.currentTarget.value)}
            autosize
            minRows={1}
            maxRows={4}
          />
        </Grid.Col>
      </Grid>
      <Group justify="space-between" mt="sm">
        <Text size="xs" c="dimmed">
          Doses as in the infusion planner, e.g. “0.5 mg/kg over 40 min”, “56 mg intranasal at 0 min”, “0.5
          mg/kg over 40 min at 48 h”.
          {initial.patientId &&
            ' Weight, height, sex and age not entered here come from the patient’s record.'}
        </Text>
        <Button type="submit" loading={running}>
          Show mechanism
        </Button>
      </Group>
    </Paper>
  );
}

export function MechanismPage() {
  const [params, setParams] = useSearchParams();
  const inputs = prefilled(parseMechanismQuery(params));
  const request = toRequest(inputs);
  const runnable = isRunnable(inputs);
  const result = useQuery({
    queryKey: ['mechanism', request],
    queryFn: () => call(api.POST('/api/mechanism/simulate', { body: request })),
    enabled: runnable,
    staleTime: Infinity,
    retry: false,
  });
  const r = result.data;

  return (
    <Stack gap="md" maw={1200}>
      <div>
        <Title order={2}>Mechanism</Title>
        <Text c="dimmed" size="sm">
          How ketamine’s action may unfold after a dose: plasma concentration → NMDA-receptor block → quieter
          lateral-habenula bursting → new prefrontal spines.
        </Text>
      </div>

      <Alert
        color="orange"
        variant="filled"
        title={BANNER_TITLE}
        data-testid="mechanism-banner"
        role="note"
        styles={{ title: { fontSize: 'var(--mantine-font-size-md)' } }}
      >
        {r
          ? r.banner.replace(/^Educational model, not a prediction for the individual\.\s*/, '')
          : DEFAULT_BANNER}
      </Alert>

      <InputsForm
        key={params.toString()}
        initial={inputs}
        running={result.isFetching}
        onSubmit={(next) => setParams(mechanismQuery(next))}
      />

      {!runnable && (
        <Text c="dimmed" size="sm">
          Choose a model, a weight and at least one dose, then press “Show mechanism”.
        </Text>
      )}
      {result.isError && (
        <Alert color="red" title="Could not run the model">
          {errorText(result.error)}
        </Alert>
      )}
      {runnable && result.isPending && <Loader aria-label="Computing" />}

      {r && (
        <>
          <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
            <Stat
              label="Peak receptor occupancy"
              value={pct(r.summary.peakOccupancy)}
              at={hours(r.summary.peakOccupancyTimeMin)}
            />
            <Stat
              label="Peak trapped block"
              value={pct(r.summary.peakTrappedBlock)}
              at={hours(r.summary.peakTrappedBlockTimeMin)}
            />
            <Stat label="Peak burst suppression" value={pct(r.summary.peakBurstSuppression)} />
            <Stat
              label={`Spine component at ${hours(r.grid.untilMin)}`}
              value={r.summary.spineComponentAtEnd.toFixed(2)}
              note="illustrative index"
            />
          </SimpleGrid>

          <Paper withBorder p="md">
            <Group justify="space-between" mb="xs">
              <Text size="sm" component="div">
                <b>{r.pk.modelName}</b>{' '}
                <Badge size="xs" variant="light">
                  {r.pk.status}
                </Badge>{' '}
                ·{' '}
                {r.pk.doses.length > 0
                  ? r.pk.doses.map((d) => `${d.text} = ${Number(d.doseMg.toFixed(1))} mg`).join('; ')
                  : 'no dose'}{' '}
                · dosing weight {Number(r.pk.dosingWeightKg.toFixed(1))} kg
              </Text>
              <Text size="xs" c="dimmed">
                {r.grid.points} time points, 0–{hours(r.grid.untilMin)}
              </Text>
            </Group>
            <MechanismCharts result={r} />
          </Paper>

          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
            <PatientExplanation steps={r.education} />
            <Paper withBorder p="md">
              <Title order={4} mb="xs">
                Assumptions
              </Title>
              <List size="sm" spacing={4} aria-label="Assumptions">
                {r.assumptions.map((a) => (
                  <List.Item key={a}>{a}</List.Item>
                ))}
              </List>
            </Paper>
          </SimpleGrid>

          <Paper withBorder p="md">
            <Title order={4}>Parameters</Title>
            <Text size="xs" c="dimmed" mb="xs">
              Status:{' '}
              {Object.entries(STATUS_MEANING)
                .map(([k, v]) => `${k} = ${v}`)
                .join('; ')}
              . Nothing here is fitted to patient data.
            </Text>
            <MechanismParameterTable parameters={r.parameters} />
            <Title order={5} mt="md" mb={4}>
              PK model: {r.pk.modelName}
            </Title>
            <Text size="xs" c="dimmed" mb="xs">
              {r.pk.citation} — <EvidenceBadge status={r.pk.status} source={r.pk.citation} />{' '}
              {r.pk.statusNote}
            </Text>
            <PkParameterTable pk={r.pk} />
            {r.pk.notes.map((n) => (
              <Text key={n} size="xs" c="dimmed" mt={4}>
                Note: {n}
              </Text>
            ))}
          </Paper>
        </>
      )}
    </Stack>
  );
}

function Stat({ label, value, at, note }: { label: string; value: string; at?: string; note?: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl">
        {value}
      </Text>
      {(at || note) && (
        <Text size="xs" c="dimmed">
          {at ? `at ${at}` : note}
        </Text>
      )}
    </Paper>
  );
}
