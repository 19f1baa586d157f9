import { Group, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../api/client';
import type { ModelCurve } from '../components/pk/ConcentrationChart';
import type { PickedPatient } from '../components/pk/PatientPicker';
import { PlannerForm } from '../components/pk/PlannerForm';
import { messageOf, ModelErrors, PlannerCurves, PumpProgramCard } from '../components/pk/PlannerResults';
import {
  doseIndexOfError,
  PLANNER_DEFAULTS,
  plannerSnapshot,
  pumpDoseOf,
  type PlannerValues,
  type Snapshot,
} from '../components/pk/planner';
import { TciPanel } from '../components/pk/TciPanel';
import { MODEL_COLORS, type ModelInfo, type PlanRequest, type SimulateRequest } from '../components/pk/types';

export function InfusionPlannerPage() {
  const form = useForm<PlannerValues>({ initialValues: PLANNER_DEFAULTS });
  const [picked, setPicked] = useState<PickedPatient | null>(null);
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
    form.setValues({
      vialMgPerMl: cs.vialMgPerMl,
      bagMl: cs.bagMl,
      maxMgPerKgPerSession: cs.clinicMaxDoseMgPerKg,
      pumpResolutionMlPerH: cs.dosing.pumpResolutionMlPerH,
      weightBasis: cs.dosing.weightBasis,
    });
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
        const body: SimulateRequest = {
          model,
          ...s.size,
          doses: s.doses,
          stepMin: s.untilMin <= 600 ? 1 : s.untilMin / 600,
          untilMin: s.untilMin,
          thresholdNgPerMl: s.thresholdNgPerMl,
          weightBasis: s.weightBasis,
        };
        return call(api.POST('/api/pk/simulate', { body }));
      },
      retry: false,
    })),
  });

  const pumpDose = pumpDoseOf(snapshot?.doses ?? []);
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

  const onSubmit = form.onSubmit((values) => {
    const next = plannerSnapshot(values, picked);
    setFormError(next.error ?? null);
    if (next.snapshot) setSnapshot(next.snapshot);
  });

  // Results and errors. A regimen error belongs under its dose input; the rest name the model.
  const curves: ModelCurve[] = [];
  const modelErrors: string[] = [];
  const doseErrors = new Map<number, string>();
  snapshot?.models.forEach((id, i) => {
    const q = simulations[i];
    const model = byId.get(id);
    if (q?.data && model)
      curves.push({ model, result: q.data, color: MODEL_COLORS[i % MODEL_COLORS.length]! });
    if (q?.error) {
      const doseIndex = doseIndexOfError(q.error, snapshot.doses, form.getValues().doses);
      if (doseIndex !== null) doseErrors.set(doseIndex, messageOf(q.error));
      else modelErrors.push(`${model?.name ?? id}: ${messageOf(q.error)}`);
    }
  });

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
      <PlannerForm
        form={form}
        picked={picked}
        onPick={setPicked}
        catalogue={catalogue.data}
        doseErrors={doseErrors}
        loading={simulations.some((q) => q.isFetching)}
        formError={formError}
        onSubmit={onSubmit}
      />
      <ModelErrors errors={modelErrors} />
      {snapshot && curves.length > 0 && <PlannerCurves curves={curves} snapshot={snapshot} />}
      {snapshot && <PumpProgramCard snapshot={snapshot} pumpDose={pumpDose} plan={plan} />}
      <TciPanel size={snapshot?.size ?? null} models={catalogue.data ?? []} />
    </Stack>
  );
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
