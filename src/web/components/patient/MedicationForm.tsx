import { Alert, Button, Group, MultiSelect, SimpleGrid, Text, TextInput, Title } from '@mantine/core';
import { ClinicDateInput } from '../../dates';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { MEDICATION_CLASSES } from '../../../clinical/vocabulary';
import { api, ApiError, call } from '../../api/client';
import { medicationCreateSchema } from '../../contracts';
import { serverErrors, validateWith } from '../../forms';
import { RangeNumberInput } from '../RangeNumberInput';
import {
  MEDICATION_EMPTY,
  medicationRequest,
  type MedicationBody,
  type MedicationValues,
} from './medication-request';

/** Adding a medication; a dose above the labelled maximum is saved only after the clinician confirms it. */
export function MedicationForm({ patientId, onSaved }: { patientId: string; onSaved(): void }) {
  const [warning, setWarning] = useState<string | null>(null);
  const form = useForm<MedicationValues>({
    initialValues: MEDICATION_EMPTY,
    validate: validateWith(medicationCreateSchema, (v: MedicationValues) => medicationRequest(v)),
    // Editing what the warning was about withdraws it: the clinician confirms the dose they see.
    onValuesChange: () => setWarning(null),
  });
  const save = useMutation({
    mutationFn: (body: MedicationBody) =>
      call(api.POST('/api/patients/{patientId}/medications', { params: { path: { patientId } }, body })),
    onSuccess: () => {
      form.reset();
      setWarning(null);
      onSaved();
    },
    onError: (err) => {
      if (err instanceof ApiError && err.code === 'confirmation_required') {
        setWarning(serverErrors(err, ['dose']).fieldErrors.dose ?? err.message);
        return;
      }
      const split = serverErrors(err, Object.keys(MEDICATION_EMPTY));
      // A refusal that names no field of this form is shown under the name.
      form.setErrors(split.message ? { ...split.fieldErrors, name: split.message } : split.fieldErrors);
    },
  });
  const bind = (name: keyof MedicationValues) => form.getInputProps(name);
  return (
    <form
      onSubmit={form.onSubmit((v) => save.mutate(medicationRequest(v)))}
      noValidate
      aria-label="Add medication"
    >
      <Title order={5} mt="lg" mb="xs">
        Add medication
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        <TextInput label="Medication" required {...bind('name')} />
        <Group grow gap="xs">
          <RangeNumberInput label="Dose" min={0} {...bind('dose')} />
          <TextInput label="Unit" {...bind('doseUnit')} />
        </Group>
        <TextInput label="Frequency" placeholder="e.g. twice daily" {...bind('frequency')} />
        <ClinicDateInput label="Start date" {...bind('startDate')} />
        <MultiSelect
          label="Additional classes"
          description="Classes of known drugs are added from the drug dictionary"
          data={[...MEDICATION_CLASSES]}
          {...bind('classTags')}
          error={form.errors.classTags ?? form.errors['classTags.0']}
          searchable
        />
        <TextInput label="RxNorm code (optional)" {...bind('rxnormCode')} />
      </SimpleGrid>
      {warning && (
        <Alert color="orange" mt="sm" title="Dose above the labelled maximum">
          <Text size="sm">{warning}</Text>
          <Group mt="xs">
            <Button
              size="xs"
              color="orange"
              loading={save.isPending}
              onClick={() => save.mutate(medicationRequest(form.getValues(), true))}
            >
              Confirm and save
            </Button>
            <Button size="xs" variant="default" onClick={() => setWarning(null)}>
              Change the dose
            </Button>
          </Group>
        </Alert>
      )}
      <Button type="submit" loading={save.isPending} mt="sm" variant="light">
        Add medication
      </Button>
    </form>
  );
}
