import { Alert, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { paths } from '../../api/schema';
import { api, call } from '../../api/client';
import { ClinicDateInput, useClinicDates } from '../../dates';
import { closureEntryErrors, datesBetween, type ClosureValues } from './closure-entry';
import { serverErrors } from '../../forms';

type Closure =
  paths['/api/clinic/closures']['get']['responses'][200]['content']['application/json']['closures'][number];

/**
 * The clinic's closures and holidays: the course scheduler skips them and a session cannot be
 * rescheduled onto one. Saved as one list (the server keeps every earlier version, and audits it).
 */
export function ClosuresCard() {
  const dates = useClinicDates();
  const queryClient = useQueryClient();
  const closures = useQuery({
    queryKey: ['calendar', 'closures'],
    queryFn: () => call(api.GET('/api/clinic/closures')),
  });
  const list = closures.data?.closures ?? [];
  const [message, setMessage] = useState<string | null>(null);
  const form = useForm<ClosureValues>({
    initialValues: { from: '', to: '', name: '' },
    validate: (v) => closureEntryErrors(v, list, dates.date),
  });
  const save = useMutation({
    mutationFn: (next: Closure[]) => call(api.PUT('/api/clinic/closures', { body: { closures: next } })),
    onSuccess: (saved) => {
      queryClient.setQueryData(['calendar', 'closures'], saved);
      void queryClient.invalidateQueries({ queryKey: ['calendar'] });
      void queryClient.invalidateQueries({ queryKey: ['session-settings'] });
    },
  });
  const send = (next: Closure[], done: string, after?: () => void) => {
    setMessage(null);
    save.mutate(next, {
      onSuccess: () => {
        after?.();
        notifications.show({ color: 'teal', message: done });
      },
      onError: (err) => setMessage(serverErrors(err, []).message),
    });
  };
  const onAdd = form.onSubmit((v) => {
    const name = v.name.trim();
    const added = datesBetween(v.from, v.to || v.from).map((date) => ({ date, name }));
    const what = added.length === 1 ? dates.date(v.from) : `${added.length} days from ${dates.date(v.from)}`;
    send([...list, ...added], `Closed ${what}: ${name}.`, () => form.reset());
  });
  return (
    <Paper withBorder p="md" component="section" aria-label="Closures and holidays">
      <Stack gap="sm">
        <Title order={3}>Closures &amp; holidays</Title>
        <Text size="sm" c="dimmed">
          Days the clinic is closed. New courses skip them, and no session can be rescheduled onto them.
        </Text>
        {closures.isError && <Alert color="red">Could not load the clinic&apos;s closures.</Alert>}
        {list.length === 0 ? (
          <Text size="sm">No closures planned.</Text>
        ) : (
          <Table aria-label="Closures" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Date</Table.Th>
                <Table.Th>Name</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((c) => (
                <Table.Tr key={c.date}>
                  <Table.Td>{dates.date(c.date)}</Table.Td>
                  <Table.Td>{c.name}</Table.Td>
                  <Table.Td>
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      color="red"
                      aria-label={`Remove closure on ${dates.date(c.date)}`}
                      loading={save.isPending}
                      onClick={() =>
                        send(
                          list.filter((x) => x.date !== c.date),
                          `Open again on ${dates.date(c.date)}.`,
                        )
                      }
                    >
                      Remove
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <form onSubmit={onAdd} noValidate aria-label="Add a closure">
          <Stack gap="xs">
            <Group grow align="flex-start">
              <ClinicDateInput label="First day closed" required {...form.getInputProps('from')} />
              <ClinicDateInput
                label="Last day closed"
                description="Leave empty for a single day"
                {...form.getInputProps('to')}
              />
            </Group>
            <TextInput
              label="Closure name"
              required
              placeholder="e.g. Memorial Day"
              {...form.getInputProps('name')}
            />
            {message && (
              <Alert color="red" role="alert">
                {message}
              </Alert>
            )}
            <Button type="submit" loading={save.isPending} style={{ alignSelf: 'flex-start' }}>
              Add closure
            </Button>
          </Stack>
        </form>
      </Stack>
    </Paper>
  );
}
