import {
  ActionIcon,
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
import type { UseFormReturnType } from '@mantine/form';
import type { FormEvent } from 'react';
import { PLAUSIBLE } from '../../../clinical/vocabulary';
import { RangeNumberInput } from '../RangeNumberInput';
import { StatusBadge } from './MetricsTable';
import { PatientPicker, type PickedPatient } from './PatientPicker';
import type { PlannerValues } from './planner';
import type { ModelInfo } from './types';

type Form = UseFormReturnType<PlannerValues>;

function PatientInputs({
  form,
  picked,
  onPick,
}: {
  form: Form;
  picked: PickedPatient | null;
  onPick: (p: PickedPatient | null) => void;
}) {
  const v = form.getValues();
  return (
    <Paper withBorder p="md" h="100%">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Patient</Title>
        <SegmentedControl
          size="xs"
          {...form.getInputProps('mode')}
          data={[
            { value: 'patient', label: 'From record' },
            { value: 'manual', label: 'Enter manually' },
          ]}
        />
      </Group>
      {v.mode === 'patient' ? (
        <PatientPicker value={picked} onChange={onPick} />
      ) : (
        <SimpleGrid cols={2}>
          <RangeNumberInput
            label="Weight (kg)"
            {...form.getInputProps('weightKg')}
            min={PLAUSIBLE.weightKg.min}
            max={PLAUSIBLE.weightKg.max}
            unit="kg"
            required
          />
          <RangeNumberInput
            label="Height (cm)"
            {...form.getInputProps('heightCm')}
            min={PLAUSIBLE.heightCm.min}
            max={PLAUSIBLE.heightCm.max}
            unit="cm"
          />
          <Select
            label="Sex"
            {...form.getInputProps('sex')}
            data={[
              { value: 'F', label: 'Female' },
              { value: 'M', label: 'Male' },
            ]}
            clearable
          />
          <RangeNumberInput label="Age (years)" {...form.getInputProps('ageYears')} min={0} max={130} />
        </SimpleGrid>
      )}
      <Select
        mt="sm"
        label="Weight for mg/kg doses"
        description="Ideal and adjusted weight need height and sex"
        value={v.weightBasis}
        onChange={(w) => form.setFieldValue('weightBasis', (w as PlannerValues['weightBasis']) ?? 'actual')}
        data={[
          { value: 'actual', label: 'Actual body weight' },
          { value: 'ideal', label: 'Ideal body weight (Devine)' },
          { value: 'adjusted', label: 'Adjusted body weight' },
        ]}
        allowDeselect={false}
        maw={320}
      />
    </Paper>
  );
}

function RegimenInputs({ form, doseErrors }: { form: Form; doseErrors: ReadonlyMap<number, string> }) {
  const doses = form.getValues().doses;
  return (
    <Paper withBorder p="md" h="100%">
      <Title order={4} mb="sm">
        Regimen
      </Title>
      <Stack gap="xs">
        {doses.map((_, i) => (
          <Group key={i} gap="xs" align="flex-start" wrap="nowrap">
            <TextInput
              style={{ flex: 1 }}
              aria-label={`Dose ${i + 1}`}
              placeholder='e.g. "0.5 mg/kg over 40 min", "20 mg at 60 min"'
              {...form.getInputProps(`doses.${i}`)}
              error={doseErrors.get(i)}
              data-testid={`dose-${i}`}
            />
            {doses.length > 1 && (
              <ActionIcon
                variant="subtle"
                color="gray"
                mt={6}
                aria-label={`Remove dose ${i + 1}`}
                onClick={() => form.removeListItem('doses', i)}
              >
                ×
              </ActionIcon>
            )}
          </Group>
        ))}
        <Group>
          <Button variant="subtle" size="xs" onClick={() => form.insertListItem('doses', '')}>
            Add a dose
          </Button>
          <Text size="xs" c="dimmed">
            “35 mg over 40 min at 0 min”, “0.75 mg/kg over 45 min at 2880 min”, “56 mg intranasal at 0 min”
          </Text>
        </Group>
        <SimpleGrid cols={2}>
          <RangeNumberInput
            label="Show until (min)"
            {...form.getInputProps('untilMin')}
            min={10}
            max={20160}
          />
          <RangeNumberInput label="Threshold (ng/mL)" {...form.getInputProps('thresholdNgPerMl')} min={1} />
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}

function ModelChoice({ form, catalogue }: { form: Form; catalogue: ModelInfo[] | undefined }) {
  return (
    <Paper withBorder p="md" h="100%">
      <Title order={4} mb="sm">
        Models
      </Title>
      {!catalogue && <Loader size="sm" />}
      <Checkbox.Group {...form.getInputProps('models')} aria-label="Models">
        <Stack gap={6}>
          {(catalogue ?? []).map((m) => (
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
  );
}

function PumpInputs({ form }: { form: Form }) {
  return (
    <Paper withBorder p="md" h="100%">
      <Title order={4} mb="sm">
        Pump
      </Title>
      <SimpleGrid cols={2}>
        <RangeNumberInput label="Vial (mg/mL)" {...form.getInputProps('vialMgPerMl')} min={0.1} />
        <RangeNumberInput label="Bag or syringe (mL)" {...form.getInputProps('bagMl')} min={0} />
        <RangeNumberInput
          label="Pump resolution (mL/h)"
          {...form.getInputProps('pumpResolutionMlPerH')}
          min={0.01}
          step={0.1}
          decimalScale={2}
        />
        <RangeNumberInput
          label="Maximum per session (mg/kg)"
          {...form.getInputProps('maxMgPerKgPerSession')}
          min={0.1}
          step={0.1}
          decimalScale={2}
        />
      </SimpleGrid>
    </Paper>
  );
}

/** The planner's inputs: patient or manual size, regimen, models and the pump. */
export function PlannerForm(props: {
  form: Form;
  picked: PickedPatient | null;
  onPick: (p: PickedPatient | null) => void;
  catalogue: ModelInfo[] | undefined;
  doseErrors: ReadonlyMap<number, string>;
  loading: boolean;
  formError: string | null;
  onSubmit: (e?: FormEvent<HTMLFormElement>) => void;
}) {
  const { form } = props;
  return (
    <form onSubmit={props.onSubmit} className="pk-no-print" aria-label="Infusion plan">
      <Grid>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <PatientInputs form={form} picked={props.picked} onPick={props.onPick} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <RegimenInputs form={form} doseErrors={props.doseErrors} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <ModelChoice form={form} catalogue={props.catalogue} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <PumpInputs form={form} />
        </Grid.Col>
      </Grid>
      <Group mt="md">
        <Button type="submit" loading={props.loading}>
          Calculate
        </Button>
        {props.formError && (
          <Text c="red" size="sm" role="alert">
            {props.formError}
          </Text>
        )}
      </Group>
    </form>
  );
}
