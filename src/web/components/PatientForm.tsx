import { Alert, Button, Group, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';

export interface PatientFields {
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
}

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

/** The create/edit form. Errors come from the server, keyed by field, and are shown beside the field. */
export function PatientForm(props: {
  initial: PatientFields;
  submitLabel: string;
  onSubmit(fields: PatientFields): Promise<void>;
  onCancel?(): void;
}) {
  const [fields, setFields] = useState(props.initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const bind = (name: keyof PatientFields) => ({
    value: fields[name],
    error: errors[name],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) =>
      setFields({ ...fields, [name]: e.currentTarget.value }),
  });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setFormError(null);
    try {
      await props.onSubmit(fields);
    } catch (err) {
      if (err instanceof ApiError) {
        const fieldErrors = err.fieldErrors();
        setErrors(fieldErrors);
        setFormError(Object.keys(fieldErrors).length ? 'Please correct the marked fields.' : err.message);
      } else {
        setFormError('Could not reach the server.');
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate>
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
          <TextInput label="Date of birth" type="date" required {...bind('dateOfBirth')} />
          <Select
            label="Sex at birth"
            required
            data={[
              { value: 'female', label: 'Female' },
              { value: 'male', label: 'Male' },
              { value: 'intersex', label: 'Intersex' },
              { value: 'unknown', label: 'Unknown' },
            ]}
            value={fields.sexAtBirth || null}
            onChange={(v) => setFields({ ...fields, sexAtBirth: v ?? '' })}
            error={errors.sexAtBirth}
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
          <Button type="submit" loading={busy}>
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
