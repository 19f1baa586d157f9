import { Alert, Button, Loader, Paper, Select, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { paths } from '../api/schema';
import { api, call } from '../api/client';
import { useAuth } from '../auth';
import { ClosuresCard } from '../components/scheduling/ClosuresCard';
import { clinicIdentitySchema } from '../contracts';
import { compact, optionalText } from '../forms';
import { useServerForm } from '../useServerForm';

type Identity = paths['/api/clinic/identity']['get']['responses'][200]['content']['application/json'];
type IdentityBody = paths['/api/clinic/identity']['put']['requestBody']['content']['application/json'];
type IdentityValues = { name: string; address: string; phone: string; timeZone: string | null };

/** Every IANA zone the browser knows, so the admin picks one rather than typing it. */
function timeZones(current: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  // A zone saved earlier (or UTC, which some browsers leave out) stays selectable.
  return [...new Set([current, 'UTC', ...known])].sort();
}

/** The clinic's date as people read it: "Wednesday 2 December 2026" (a date, no time zone shift). */
function longDate(isoDate: string): string {
  return new Date(`${isoDate}T12:00:00Z`).toLocaleDateString(undefined, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

const toRequest = (v: IdentityValues): IdentityBody =>
  compact({
    name: v.name,
    address: optionalText(v.address) ?? null,
    phone: optionalText(v.phone) ?? null,
    timeZone: v.timeZone ?? '',
  });

function IdentityForm({ initial }: { initial: Identity }) {
  const queryClient = useQueryClient();
  const { form, onSubmit, pending, message } = useServerForm<IdentityValues, IdentityBody, Identity>({
    initialValues: {
      name: initial.name,
      address: initial.address ?? '',
      phone: initial.phone ?? '',
      timeZone: initial.timeZone,
    },
    schema: clinicIdentitySchema,
    toRequest,
    messages: { timeZone: 'Choose the time zone the clinic is in, such as America/Chicago.' },
    send: (body) => call(api.PUT('/api/clinic/identity', { body })),
    onSaved: (saved) => {
      queryClient.setQueryData(['clinic', 'identity'], saved);
      void queryClient.invalidateQueries({ queryKey: ['clinic'] });
      notifications.show({ color: 'teal', message: 'Clinic details saved.' });
    },
  });
  return (
    <form onSubmit={onSubmit} aria-label="Clinic details" noValidate>
      <Stack gap="sm">
        <TextInput label="Clinic name" required {...form.getInputProps('name')} />
        <Textarea label="Address" autosize minRows={2} {...form.getInputProps('address')} />
        <TextInput
          label="Phone"
          description="Printed on the pump program and on the patient's taper calendar"
          {...form.getInputProps('phone')}
        />
        <Select
          label="Time zone"
          description="Decides the clinic's today, due dates and calendars. Recorded times keep their moment."
          searchable
          nothingFoundMessage="No time zone by that name"
          data={timeZones(initial.timeZone)}
          {...form.getInputProps('timeZone')}
        />
        {message && <Alert color="red">{message}</Alert>}
        <Button type="submit" loading={pending} style={{ alignSelf: 'flex-start' }}>
          Save clinic details
        </Button>
      </Stack>
    </form>
  );
}

export function ClinicPage() {
  const { can } = useAuth();
  const identity = useQuery({
    queryKey: ['clinic', 'identity'],
    queryFn: () => call(api.GET('/api/clinic/identity')),
  });
  return (
    <Stack maw={640}>
      <Title order={2}>Clinic</Title>
      {identity.isPending && <Loader aria-label="Loading" />}
      {identity.isError && <Alert color="red">Could not load the clinic's details.</Alert>}
      {identity.data && (
        <>
          <Paper withBorder p="md">
            <Text data-testid="clinic-today" data-date={identity.data.today}>
              Today in the clinic ({identity.data.timeZone}): <b>{longDate(identity.data.today)}</b>
            </Text>
          </Paper>
          <Paper withBorder p="md">
            {/* Keyed by the saved details, so the form starts over from what the server kept. */}
            <IdentityForm
              key={`${identity.data.name}|${identity.data.timeZone}|${identity.data.phone ?? ''}`}
              initial={identity.data}
            />
          </Paper>
        </>
      )}
      {can('clinic.closures') && <ClosuresCard />}
    </Stack>
  );
}
