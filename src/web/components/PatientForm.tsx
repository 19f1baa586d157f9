import { Alert, Button, Group, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { ClinicDateInput } from '../dates';
import { patientCreateSchema } from '../contracts';
import { useServerForm } from '../useServerForm';

export type PatientFields = {
  mrn: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  sexAtBirth: string;
  genderIdentity: string;
  pronouns: string;
  phone: string;
  email: string;
  emergencyContactName: string;
  emergencyContactPhone: string;
  emergencyContactRelationship: string;
};

export const emptyPatient: PatientFields = {
  mrn: '',
  givenName: '',
  familyName: '',
  dateOfBirth: '',
  sexAtBirth: '',
  genderIdentity: '',
  pronouns: '',
  phone: '',
  email: '',
  emergencyContactName: '',
  emergencyContactPhone: '',
  emergencyContactRelationship: '',
};

export type PatientBody = ReturnType<typeof toPatientBody>;

/**
 * The create/edit form, validated with the server's patient schema before it is sent; the server's
 * refusals land beside their fields by path.
 */
export function PatientForm(props: {
  initial: PatientFields;
  submitLabel: string;
  /** Saves the body; rejects with the server's error when refused. */
  save(body: PatientBody): Promise<unknown>;
  onCancel?(): void;
}) {
  const { form, onSubmit, pending, message } = useServerForm<PatientFields, PatientBody, unknown>({
    initialValues: props.initial,
    schema: patientCreateSchema,
    toRequest: toPatientBody,
    send: props.save,
  });
  const bind = (name: keyof PatientFields) => form.getInputProps(name);
  const marked = Object.keys(form.errors).length > 0;
  const formError = message ?? (marked ? 'Please correct the marked fields.' : null);

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        {formError && (
          <Alert color="red" role="alert">
            {formError}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Given name" required {...bind('givenName')} />
          <TextInput label="Family name" required {...bind('familyName')} />
          <TextInput
            label="MRN"
            description="Medical record number, unique in this clinic"
            required
            {...bind('mrn')}
          />
          <ClinicDateInput label="Date of birth" required {...bind('dateOfBirth')} />
          <Select
            label="Sex at birth"
            required
            data={[
              { value: 'female', label: 'Female' },
              { value: 'male', label: 'Male' },
              { value: 'intersex', label: 'Intersex' },
              { value: 'unknown', label: 'Unknown' },
            ]}
            value={form.getValues().sexAtBirth || null}
            onChange={(v) => form.setFieldValue('sexAtBirth', v ?? '')}
            error={form.errors.sexAtBirth}
          />
          <TextInput label="Gender identity" {...bind('genderIdentity')} />
          <TextInput label="Pronouns" placeholder="e.g. she/her" {...bind('pronouns')} />
          <TextInput label="Phone" type="tel" {...bind('phone')} />
          <TextInput label="Email" type="email" {...bind('email')} />
          <TextInput label="Emergency contact" {...bind('emergencyContactName')} />
          <TextInput label="Emergency contact phone" type="tel" {...bind('emergencyContactPhone')} />
          <TextInput label="Relationship" {...bind('emergencyContactRelationship')} />
        </SimpleGrid>
        <Group>
          <Button type="submit" loading={pending}>
            {props.submitLabel}
          </Button>
          {props.onCancel && (
            <Button variant="default" onClick={props.onCancel}>
              Cancel
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}

/** Converts form strings to the API body: blank optional fields become null. */
export function toPatientBody(f: PatientFields) {
  const opt = (v: string) => (v.trim() === '' ? null : v);
  return {
    mrn: f.mrn,
    givenName: f.givenName,
    familyName: f.familyName,
    dateOfBirth: f.dateOfBirth,
    sexAtBirth: f.sexAtBirth as 'female' | 'male' | 'intersex' | 'unknown',
    genderIdentity: opt(f.genderIdentity),
    pronouns: opt(f.pronouns),
    phone: opt(f.phone),
    email: opt(f.email),
    emergencyContactName: opt(f.emergencyContactName),
    emergencyContactPhone: opt(f.emergencyContactPhone),
    emergencyContactRelationship: opt(f.emergencyContactRelationship),
  };
}
