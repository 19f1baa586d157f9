import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Grid,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ApiError, call } from '../api/client';
import { ConcentrationChart, type ModelCurve, type ObservedPoint } from '../components/pk/ConcentrationChart';
import { MetricsTable, ModelNotes, ObservationComparison, StatusBadge } from '../components/pk/MetricsTable';
import { PatientPicker, type PickedPatient } from '../components/pk/PatientPicker';
import { PumpProgram } from '../components/pk/PumpProgram';
import { TciPanel } from '../components/pk/TciPanel';
import {
  MODEL_COLORS,
  type ModelInfo,
  type PlanRequest,
  type SimulateRequest,
  type SimulateResult,
  type WeightBasis,
} from '../components/pk/types';
import { formatDateTime } from '../format';
import { Link } from 'react-router';
import { mechanismHref } from '../components/mechanism/url';
import { RangeNumberInput } from '../components/RangeNumberInput';
import { PLAUSIBLE } from '../../clinical/plausibility';

const DEFAULT_MODELS = ['domino-1984', 'hijazi-2003', 'kamp-2020'];

/** What the clinician asked for when pressing Calculate (queries run on this snapshot). */
interface Snapshot {
  /** For the printout: the patient the plan was computed for (null when weight was entered). */
  patientLabel: string | null;
  size: { patientId: string } | { weightKg: number; heightCm?: number; sex?: 'F' | 'M'; ageYears?: number };
  doses: string[];
  models: string[];
  untilMin: number;
  thresholdNgPerMl: number;
  weightBasis: WeightBasis;
  pump: { vialMgPerMl: number; bagMl: number; pumpResolutionMlPerH: number; maxMgPerKgPerSession: number };
}

const num = (v: string | number): number | undefined => (typeof v === 'number' ? v : undefined);
const normalise = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');
const messageOf = (err: unknown) => (err instanceof ApiError ? err.message : 'Could not reach the server.');

export function InfusionPlannerPage() {
  const [mode, setMode] = useState<'patient' | 'manual'>('patient');
  const [picked, setPicked] = useState<PickedPatient | null>(null);
  const [weightKg, setWeightKg] = useState<string | number>('');
  const [heightCm, setHeightCm] = useState<string | number>('');
  const [sex, setSex] = useState<string | null>(null);
  const [ageYears, setAgeYears] = useState<string | number>('');
  const [doses, setDoses] = useState<string[]>(['0.5 mg/kg over 40 min']);
  const [models, setModels] = useState<string[]>(DEFAULT_MODELS);
  const [untilMin, setUntilMin] = useState<string | number>(240);
  const [threshold, setThreshold] = useState<string | number>(100);
  const [weightBasis, setWeightBasis] = useState<WeightBasis>('actual');
  const [vial, setVial] = useState<string | number>(50);
  const [bag, setBag] = useState<string | number>(100);
  const [resolution, setResolution] = useState<string | number>(0.1);
  const [maxMgPerKg, setMaxMgPerKg] = useState<string | number>(1);
  const [formError, setFormError] = useState<string | null>(null);
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  // The clinic's session settings give the pump and dosing defaults (and the binding maximum).
  const clinicSettings = useQuery({
    queryKey: ['session-settings'],
    queryFn: () => call(api.GET('/api/session-settings')),
  });
  const [appliedSettings, setAppliedSettings] = useState(false);
  if (clinicSettings.data && !appliedSettings) {
    const cs = clinicSettings.data;
    setAppliedSettings(true);
    setVial(cs.vialMgPerMl);
    setBag(cs.bagMl);
    setMaxMgPerKg(cs.clinicMaxDoseMgPerKg);
    setResolution(cs.dosing.pumpResolutionMlPerH);
    setWeightBasis(cs.dosing.weightBasis);
  }

  const catalogue = useQuery({
    queryKey: ['pk', 'models'],
    queryFn: () => call(api.GET('/api/pk/models')),
    staleTime: Infinity,
  });
  const byId = new Map<string, ModelInfo>((catalogue.data ?? []).map((m) => [m.id, m]));

  const simulations = useQueries({
    queries: (snapshot?.models ?? []).map((model) => ({
      queryKey: ['pk', 'simulate', model, snapshot],
      queryFn: () => {
        const s = snapshot!;
        const step = s.untilMin <= 600 ? 1 : s.untilMin / 600;
        const body: SimulateRequest = {
          model,
          ...s.size,
          doses: s.doses,
          stepMin: step,
          untilMin: s.untilMin,
          thresholdNgPerMl: s.thresholdNgPerMl,
          weightBasis: s.weightBasis,
        };
        return call(api.POST('/api/pk/simulate', { body }));
      },
      retry: false,
    })),
  });

  const pumpDose = snapshot?.doses.find((d) => / over /i.test(d));
  const plan = useQuery({
    queryKey: ['pk', 'plan', snapshot, pumpDose],
    queryFn: () => {
      const body: PlanRequest = {
        ...snapshot!.size,
        dose: pumpDose!,
        weightBasis: snapshot!.weightBasis,
        ...snapshot!.pump,
      };
      return call(api.POST('/api/pk/plan', { body }));
    },
    enabled: Boolean(snapshot && pumpDose),
    retry: false,
  });

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const texts = doses.map((d) => d.trim()).filter(Boolean);
    if (texts.length === 0) return setFormError('Enter at least one dose.');
    if (models.length === 0) return setFormError('Choose at least one model.');
    let size: Snapshot['size'];
    if (mode === 'patient') {
      if (!picked) return setFormError('Choose a patient, or enter a weight manually.');
      if (picked.weightKg === null) return setFormError('The patient has no recorded weight.');
      size = { patientId: picked.patient.id };
    } else {
      const w = num(weightKg);
      if (w === undefined || w <= 0) return setFormError('Enter the weight in kg.');
      size = {
        weightKg: w,
        ...(num(heightCm) === undefined ? {} : { heightCm: num(heightCm) }),
        ...(sex === 'F' || sex === 'M' ? { sex } : {}),
        ...(num(ageYears) === undefined ? {} : { ageYears: num(ageYears) }),
      };
    }
    setSnapshot({
      patientLabel:
        'patientId' in size && picked
          ? `${picked.patient.familyName}, ${picked.patient.givenName} · MRN ${picked.patient.mrn}`
          : null,
      size,
      doses: texts,
      models,
      untilMin: num(untilMin) ?? 240,
      thresholdNgPerMl: num(threshold) ?? 100,
      weightBasis,
      pump: {
        vialMgPerMl: num(vial) ?? 50,
        bagMl: num(bag) ?? 0,
        pumpResolutionMlPerH: num(resolution) ?? 0.1,
        maxMgPerKgPerSession: num(maxMgPerKg) ?? 1,
      },
    });
  }

  // Results and errors. A regimen error names the dose text: show it under that input.
  const curves: ModelCurve[] = [];
  const modelErrors: string[] = [];
  const doseErrors = new Map<number, string>();
  snapshot?.models.forEach((id, i) => {
    const q = simulations[i];
    const model = byId.get(id);
    if (q?.data && model)
      curves.push({ model, result: q.data, color: MODEL_COLORS[i % MODEL_COLORS.length]! });
    if (q?.error) {
      const msg = messageOf(q.error);
      const doseIndex = snapshot.doses.findIndex((d) => msg.includes(`"${d}"`) && !/ has no /.test(msg));
      if (doseIndex >= 0 && doses[doseIndex]?.trim() === snapshot.doses[doseIndex])
        doseErrors.set(doseIndex, msg);
      else modelErrors.push(`${model?.name ?? id}: ${msg}`);
    }
  });
  const loading = simulations.some((q) => q.isFetching);
  const { observation, observationSource, drug } = findObservation(curves, snapshot?.doses ?? []);
  // A published ketamine mean is compared with ketamine models only (not esketamine).
  const comparable = curves.filter((c) => c.model.drug === drug);

  return (
    <Stack maw={1280} className="pk-planner">
      <style>{PRINT_CSS}</style>
      <Group justify="space-between" className="pk-no-print">
        <div>
          <Title order={2}>Infusion planner</Title>
          <Text c="dimmed" size="sm">
            Predicted plasma concentrations from published models, and the pump program. A planning aid: check
            every number before use.
          </Text>
        </div>
      </Group>

      <form onSubmit={onSubmit} className="pk-no-print" aria-label="Infusion plan">
        <Grid>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Paper withBorder p="md" h="100%">
              <Group justify="space-between" mb="sm">
                <Title order={4}>Patient</Title>
                <SegmentedControl
                  size="xs"
                  value={mode}
                  onChange={(v) => setMode(v as 'patient' | 'manual')}
                  data={[
                    { value: 'patient', label: 'From record' },
                    { value: 'manual', label: 'Enter manually' },
                  ]}
                />
              </Group>
              {mode === 'patient' ? (
                <PatientPicker value={picked} onChange={setPicked} />
              ) : (
                <SimpleGrid cols={2}>
                  <RangeNumberInput
                    label="Weight (kg)"
                    value={weightKg}
                    onChange={setWeightKg}
                    min={PLAUSIBLE.weightKg.min}
                    max={PLAUSIBLE.weightKg.max}
                    unit="kg"
                    required
                  />
                  <RangeNumberInput
                    label="Height (cm)"
                    value={heightCm}
                    onChange={setHeightCm}
                    min={PLAUSIBLE.heightCm.min}
                    max={PLAUSIBLE.heightCm.max}
                    unit="cm"
                  />
                  <Select
                    label="Sex"
                    value={sex}
                    onChange={setSex}
                    data={[
                      { value: 'F', label: 'Female' },
                      { value: 'M', label: 'Male' },
                    ]}
                    clearable
                  />
                  <RangeNumberInput
                    label="Age (years)"
                    value={ageYears}
                    onChange={setAgeYears}
                    min={0}
                    max={130}
                  />
                </SimpleGrid>
              )}
              <Select
                mt="sm"
                label="Weight for mg/kg doses"
                description="Ideal and adjusted weight need height and sex"
                value={weightBasis}
                onChange={(v) => setWeightBasis((v as WeightBasis) ?? 'actual')}
                data={[
                  { value: 'actual', label: 'Actual body weight' },
                  { value: 'ideal', label: 'Ideal body weight (Devine)' },
                  { value: 'adjusted', label: 'Adjusted body weight' },
                ]}
                allowDeselect={false}
                maw={320}
              />
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Paper withBorder p="md" h="100%">
              <Title order={4} mb="sm">
                Regimen
              </Title>
              <Stack gap="xs">
                {doses.map((d, i) => (
                  <Group key={i} gap="xs" align="flex-start" wrap="nowrap">
                    <TextInput
                      style={{ flex: 1 }}
                      aria-label={`Dose ${i + 1}`}
                      placeholder='e.g. "0.5 mg/kg over 40 min", "20 mg at 60 min"'
                      value={d}
                      onChange={(e) => {
                        const v = e.currentTarget.value;
                        setDoses((all) => all.map((x, j) => (j === i ? v : x)));
                      }}
                      error={doseErrors.get(i)}
                      data-testid={`dose-${i}`}
                    />
                    {doses.length > 1 && (
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        mt={6}
                        aria-label={`Remove dose ${i + 1}`}
                        onClick={() => setDoses((all) => all.filter((_, j) => j !== i))}
                      >
                        ×
                      </ActionIcon>
                    )}
                  </Group>
                ))}
                <Group>
                  <Button variant="subtle" size="xs" onClick={() => setDoses((all) => [...all, ''])}>
                    Add a dose
                  </Button>
                  <Text size="xs" c="dimmed">
                    “35 mg over 40 min at 0 min”, “0.75 mg/kg over 45 min at 2880 min”, “56 mg intranasal at 0
                    min”
                  </Text>
                </Group>
                <SimpleGrid cols={2}>
                  <RangeNumberInput
                    label="Show until (min)"
                    value={untilMin}
                    onChange={setUntilMin}
                    min={10}
                    max={20160}
                  />
                  <RangeNumberInput
                    label="Threshold (ng/mL)"
                    value={threshold}
                    onChange={setThreshold}
                    min={1}
                  />
                </SimpleGrid>
              </Stack>
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Paper withBorder p="md" h="100%">
              <Title order={4} mb="sm">
                Models
              </Title>
              {catalogue.isLoading && <Loader size="sm" />}
              <Checkbox.Group value={models} onChange={setModels} aria-label="Models">
                <Stack gap={6}>
                  {(catalogue.data ?? []).map((m) => (
                    <Checkbox
                      key={m.id}
                      value={m.id}
                      label={
                        <Group gap={6}>
                          <Text size="sm">{m.name}</Text>
                          <StatusBadge status={m.status} />
                          <Text size="xs" c="dimmed">
                            {m.drug}, {m.routes.join('/')}
                          </Text>
                        </Group>
                      }
                    />
                  ))}
                </Stack>
              </Checkbox.Group>
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Paper withBorder p="md" h="100%">
              <Title order={4} mb="sm">
                Pump
              </Title>
              <SimpleGrid cols={2}>
                <RangeNumberInput label="Vial (mg/mL)" value={vial} onChange={setVial} min={0.1} />
                <RangeNumberInput label="Bag or syringe (mL)" value={bag} onChange={setBag} min={0} />
                <RangeNumberInput
                  label="Pump resolution (mL/h)"
                  value={resolution}
                  onChange={setResolution}
                  min={0.01}
                  step={0.1}
                  decimalScale={2}
                />
                <RangeNumberInput
                  label="Maximum per session (mg/kg)"
                  value={maxMgPerKg}
                  onChange={setMaxMgPerKg}
                  min={0.1}
                  step={0.1}
                  decimalScale={2}
                />
              </SimpleGrid>
            </Paper>
          </Grid.Col>
        </Grid>
        <Group mt="md">
          <Button type="submit" loading={loading}>
            Calculate
          </Button>
          {formError && (
            <Text c="red" size="sm" role="alert">
              {formError}
            </Text>
          )}
        </Group>
      </form>

      {modelErrors.length > 0 && (
        <Alert color="red" title="Some models could not be computed" className="pk-no-print">
          <Stack gap={2}>
            {modelErrors.map((m) => (
              <Text key={m} size="sm">
                {m}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}

      {curves.length > 0 && (
        <Paper withBorder p="md" className="pk-no-print">
          <Title order={4} mb="sm">
            Predicted plasma concentration
          </Title>
          <ConcentrationChart curves={curves} observations={observation ? [observation] : []} />
          <MetricsTable curves={curves} thresholdNgPerMl={snapshot?.thresholdNgPerMl ?? 100} />
          <Group justify="space-between" mt={4} align="flex-start">
            <Text size="xs" c="dimmed">
              Metrics for the parent drug; Cmax, Tmax and threshold crossings on a{' '}
              {curves[0]!.result.metricsResolutionMin} min grid. Dosing weight{' '}
              {curves[0]!.result.dosingWeightKg.toFixed(1)} kg.
            </Text>
            {snapshot && (
              <Button
                component={Link}
                variant="light"
                size="xs"
                to={mechanismHref({
                  model: snapshot.models[0]!,
                  doses: snapshot.doses,
                  weightBasis: snapshot.weightBasis,
                  ...('patientId' in snapshot.size ? { patientId: snapshot.size.patientId } : snapshot.size),
                })}
              >
                How this dose acts: mechanism view
              </Button>
            )}
          </Group>
        </Paper>
      )}

      {curves.length > 0 && (
        <Grid className="pk-no-print">
          {observation && observationSource && (
            <Grid.Col span={{ base: 12, md: 5 }}>
              <ObservationComparison
                observation={observation}
                source={observationSource}
                curves={comparable}
              />
            </Grid.Col>
          )}
          <Grid.Col span={{ base: 12, md: observation ? 7 : 12 }}>
            <Paper withBorder p="md">
              <Title order={5} mb="xs">
                About these models
              </Title>
              <ModelNotes curves={curves} />
            </Paper>
          </Grid.Col>
        </Grid>
      )}

      {snapshot && (
        <Paper withBorder p="md" className="pk-print-area">
          <Group justify="space-between" mb="sm">
            <Title order={4}>Pump program</Title>
            {plan.data && (
              <Button variant="default" size="xs" onClick={() => window.print()} className="pk-no-print">
                Print
              </Button>
            )}
          </Group>
          <div className="pk-print-only">
            <Text size="sm">
              {snapshot.patientLabel
                ? `Patient: ${snapshot.patientLabel}`
                : 'Patient: not selected (weight entered manually)'}
            </Text>
            <Text size="sm">Printed {formatDateTime(new Date().toISOString())}</Text>
          </div>
          {!pumpDose && <Text c="dimmed">The pump program needs an infusion dose (“… over … min”).</Text>}
          {plan.isFetching && <Loader size="sm" />}
          {plan.error && (
            <Alert color="red" title="Not planned" data-testid="plan-error">
              {messageOf(plan.error)}
            </Alert>
          )}
          {plan.data && <PumpProgram plan={plan.data} />}
          <div className="pk-print-only" style={{ marginTop: 24 }}>
            <Text size="sm">Prepared by ____________________ Checked by ____________________</Text>
          </div>
        </Paper>
      )}

      <TciPanel size={snapshot?.size ?? null} models={catalogue.data ?? []} />
    </Stack>
  );
}

/**
 * A published mean with a time and value whose regimen is exactly the one entered (e.g. 185 ng/mL at
 * the end of 0.5 mg/kg over 40 min), from the first chosen model that lists it.
 */
function findObservation(
  curves: Array<{ model: ModelInfo; result: SimulateResult }>,
  doses: string[],
): { observation: ObservedPoint | null; observationSource: string | null; drug: string | null } {
  if (doses.length !== 1) return { observation: null, observationSource: null, drug: null };
  for (const { model } of curves) {
    for (const o of model.observations) {
      if (
        o.timeMin !== null &&
        o.valueNgPerMl !== undefined &&
        normalise(o.regimen) === normalise(doses[0]!)
      ) {
        return {
          observation: { timeMin: o.timeMin, valueNgPerMl: o.valueNgPerMl, label: o.description },
          observationSource: o.source,
          drug: model.drug,
        };
      }
    }
  }
  return { observation: null, observationSource: null, drug: null };
}

/** On paper only the pump program (with patient, date and signature lines) is printed. */
const PRINT_CSS = `
.pk-print-only { display: none; }
@media print {
  .mantine-AppShell-header, .mantine-AppShell-navbar, .pk-no-print { display: none !important; }
  .mantine-AppShell-main { padding: 0 !important; background: white !important; }
  .pk-print-only { display: block; margin-bottom: 12px; }
  .pk-print-area { border: none !important; }
}
`;
