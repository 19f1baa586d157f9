import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { api, call } from '../../api/client';
import { userCredentialsSchema } from '../../contracts';
import { useServerForm } from '../../useServerForm';
import type { ClinicUser } from './types';

interface CredentialValues extends Record<string, unknown> {
  npi: string;
  deaNumber: string;
  licenceState: string;
  licenceNumber: string;
}

/** A blank field clears the identifier; the server checks and normalizes the rest. */
const toRequest = (v: CredentialValues) => ({
  npi: v.npi,
  deaNumber: v.deaNumber,
  licenceState: v.licenceState,
  licenceNumber: v.licenceNumber,
});

/** NPI, DEA registration and state licence of one user, checked by the core's rules as typed. */
export function CredentialsModal({
  user,
  onClose,
  onSaved,
}: {
  user: ClinicUser;
  onClose(): void;
  onSaved(): void;
}) {
  const { form, onSubmit, pending, message } = useServerForm({
    initialValues: {
      npi: user.npi ?? '',
      deaNumber: user.deaNumber ?? '',
      licenceState: user.licenceState ?? '',
      licenceNumber: user.licenceNumber ?? '',
    } satisfies CredentialValues,
    schema: userCredentialsSchema,
    toRequest,
    send: (body) => call(api.PATCH('/api/users/{userId}', { params: { path: { userId: user.id } }, body })),
    onSaved,
  });
  return (
    <Modal opened onClose={onClose} title={`Prescriber identifiers — ${user.name}`}>
      <form onSubmit={onSubmit} noValidate aria-label="Prescriber identifiers">
        <Stack>
          <Text size="sm" c="dimmed">
            Rein checks the check digit to catch typing errors; it does not look the numbers up. Leave a field
            blank to clear it.
          </Text>
          <TextInput label="NPI" inputMode="numeric" {...form.getInputProps('npi')} />
          <TextInput label="DEA registration number" {...form.getInputProps('deaNumber')} />
          <Group grow align="flex-start">
            <TextInput label="Licence state" maxLength={2} {...form.getInputProps('licenceState')} />
            <TextInput label="State licence number" {...form.getInputProps('licenceNumber')} />
          </Group>
          {message && <Alert color="red">{message}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={pending}>
              Save identifiers
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
