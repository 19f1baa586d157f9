import { Alert, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { paths } from '../../api/schema';
import { api, call } from '../../api/client';
import { formatDate } from '../../format';
import { serverErrors } from '../../forms';

type Closure =
  paths['/api/clinic/closures']['get']['responses'][200]['content']['application/json']['closures'][number];
type ClosureValues = { from: string; to: string; name: string };

/** The most days one entry closes: a long closure is entered in parts, so a slip of the year is caught. */
const MAX_RANGE_DAYS = 62;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Every date from `from` to `to` inclusive (local calendar dates, so plain UTC day steps). */
function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (
    let d = new Date(`${from}T00:00:00Z`);
    out.length <= MAX_RANGE_DAYS;
    d.setUTCDate(d.getUTCDate() + 1)
  ) {
    const iso = d.toISOString().slice(0, 10);
    if (iso > to) break;
    out.push(iso);
  }
  return out;
}

function validate(existing: readonly Closure[]) {
  return (v: ClosureValues): Record<string, string> => {
    const errors: Record<string, string> = {};
    if (!ISO_DATE.test(v.from)) errors.from = 'Choose the first day the clinic is closed.';
    if (v.to !== '' && !ISO_DATE.test(v.to)) errors.to = 'The last day must be a date, or left empty.';
    if (!v.name.trim()) errors.name = 'Name the closure, for example the holiday.';
    else if (v.name.trim().length > 100) errors.name = 'Keep the name under 100 characters.';
    if (errors.from || errors.to) return errors;
    const to = v.to || v.from;
    if (to < v.from) errors.to = 'The last day must be on or after the first day.';
    else if (datesBetween(v.from, to).length > MAX_RANGE_DAYS)
      errors.to = `Close at most ${MAX_RANGE_DAYS} days in one entry.`;
    else {
      const taken = existing.find((c) => datesBetween(v.from, to).includes(c.date));
      if (taken) errors.from = `The clinic is already closed on ${formatDate(taken.date)} (${taken.name}).`;
    }
    return errors;
  };
}

/**
 * The clinic's closures and holidays: the course scheduler skips them and a session cannot be
 * rescheduled onto one. Saved as one list (the server keeps every earlier version, and audits it).
 */
export function ClosuresCard() {
  const queryClient = useQueryClient();
  const closures = useQuery({
    queryKey: ['calendar', 'closures'],
    queryFn: () => call(api.GET('/api/clinic/closures')),
  });
  const list = closures.data?.closures ?? [];
  const [message, setMessage] = useState<string | null>(null);
  const form = useForm<ClosureValues>({
    initialValues: { from: '', to: '', name: '' },
    validate: validate(list),
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
    const what = added.length === 1 ? formatDate(v.from) : `${added.length} days from ${formatDate(v.from)}`;
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
                  <Table.Td>{formatDate(c.date)}</Table.Td>
                  <Table.Td>{c.name}</Table.Td>
                  <Table.Td>
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      color="red"
                      aria-label={`Remove closure on ${formatDate(c.date)}`}
                      loading={save.isPending}
                      onClick={() =>
                        send(
                          list.filter((x) => x.date !== c.date),
                          `Open again on ${formatDate(c.date)}.`,
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
              <TextInput label="First day closed" type="date" required {...form.getInputProps('from')} />
              <TextInput
                label="Last day closed"
                type="date"
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
