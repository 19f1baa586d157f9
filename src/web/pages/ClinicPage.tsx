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
import { useClinicDates } from '../dates';
import { CLINIC_LOCALES, clinicDateFormat } from '../../clinical/vocabulary/date-format';

type Identity = paths['/api/clinic/identity']['get']['responses'][200]['content']['application/json'];
type IdentityBody = paths['/api/clinic/identity']['put']['requestBody']['content']['application/json'];
type IdentityValues = {
  name: string;
  address: string;
  phone: string;
  timeZone: string | null;
  locale: string | null;
};

/** Each supported locale with its date pattern, so the admin sees what a date will look like. */
const LOCALE_OPTIONS = CLINIC_LOCALES.map((locale) => ({
  value: locale,
  label: `${locale} · ${clinicDateFormat(locale).pattern}`,
}));

/** Every IANA zone the browser knows, so the admin picks one rather than typing it. */
function timeZones(current: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  // A zone saved earlier (or UTC, which some browsers leave out) stays selectable.
  return [...new Set([current, 'UTC', ...known])].sort();
}

const toRequest = (v: IdentityValues): IdentityBody =>
  compact({
    name: v.name,
    address: optionalText(v.address) ?? null,
    phone: optionalText(v.phone) ?? null,
    timeZone: v.timeZone ?? '',
    locale: v.locale ?? '',
  });

function IdentityForm({ initial }: { initial: Identity }) {
  const queryClient = useQueryClient();
  const { form, onSubmit, pending, message } = useServerForm<IdentityValues, IdentityBody, Identity>({
    initialValues: {
      name: initial.name,
      address: initial.address ?? '',
      phone: initial.phone ?? '',
      timeZone: initial.timeZone,
      locale: initial.locale,
    },
    schema: clinicIdentitySchema,
    toRequest,
    messages: {
      timeZone: 'Choose the time zone the clinic is in, such as America/Chicago.',
      locale: 'Choose how the clinic writes dates, such as en-GB for DD/MM/YYYY.',
    },
    send: (body) => call(api.PUT('/api/clinic/identity', { body })),
    onSaved: (saved) => {
      queryClient.setQueryData(['clinic', 'identity'], saved);
      void queryClient.invalidateQueries({ queryKey: ['clinic'] });
      // Every screen writes dates from the session's clinic locale: reload it.
      void queryClient.invalidateQueries({ queryKey: ['me'] });
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
        <Select
          label="Date format"
          description="The clinic's locale: how every list, date picker and message writes a date."
          data={LOCALE_OPTIONS}
          allowDeselect={false}
          {...form.getInputProps('locale')}
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
  const dates = useClinicDates();
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
              Today in the clinic ({identity.data.timeZone}):{' '}
              <b>{dates.weekdayDate(identity.data.today, 'long')}</b>
            </Text>
          </Paper>
          <Paper withBorder p="md">
            {/* Keyed by the saved details, so the form starts over from what the server kept. */}
            <IdentityForm
              key={`${identity.data.name}|${identity.data.timeZone}|${identity.data.locale}|${identity.data.phone ?? ''}`}
              initial={identity.data}
            />
          </Paper>
        </>
      )}
      {can('clinic.closures') && <ClosuresCard />}
    </Stack>
  );
}
