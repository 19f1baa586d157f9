import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ApiError, call } from '../api/client';
import { useAuth } from '../auth';
import { serverErrors } from '../forms';

const ROLE_OPTIONS = [
  { value: 'prescriber', label: 'Prescriber' },
  { value: 'nurse', label: 'Nurse' },
  { value: 'staff', label: 'Front desk' },
  { value: 'admin', label: 'Clinic admin' },
];

export function UsersPage() {
  const { user: me } = useAuth();
  const users = useQuery({ queryKey: ['users'], queryFn: () => call(api.GET('/api/users')) });
  const [shown, setShown] = useState<{ email: string; password: string } | null>(null);

  // Each row action is one mutation: on success the list reloads; a refusal is a notification.
  const action = useMutation({
    mutationFn: (run: () => Promise<unknown>) => run(),
    onSuccess: () => void users.refetch(),
    onError: (err) =>
      notifications.show({
        color: 'red',
        message: err instanceof ApiError ? err.message : 'Could not reach the server.',
      }),
  });
  const act = (run: () => Promise<unknown>) => action.mutate(run);

  return (
    <Stack maw={1000}>
      <Title order={2}>Users</Title>
      {shown && (
        <Alert
          color="yellow"
          title="Temporary password — shown once"
          withCloseButton
          onClose={() => setShown(null)}
        >
          Give this to {shown.email} privately; they must choose their own at first login:{' '}
          <Code>{shown.password}</Code>
        </Alert>
      )}
      <Paper withBorder>
        <Table.ScrollContainer minWidth={700}>
          <Table aria-label="Users" verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Email</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.data?.items.map((u) => (
                <Table.Tr key={u.id}>
                  <Table.Td>{u.name}</Table.Td>
                  <Table.Td>{u.email}</Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={`Role of ${u.name}`}
                      size="xs"
                      w={150}
                      data={ROLE_OPTIONS}
                      value={u.role}
                      allowDeselect={false}
                      onChange={(role) =>
                        role &&
                        act(() =>
                          call(
                            api.PATCH('/api/users/{userId}', {
                              params: { path: { userId: u.id } },
                              body: { role: role as 'nurse' },
                            }),
                          ),
                        )
                      }
                    />
                  </Table.Td>
                  <Table.Td>
                    {u.disabled ? (
                      <Badge color="gray">disabled</Badge>
                    ) : u.mustChangePassword ? (
                      <Badge color="yellow">must set password</Badge>
                    ) : (
                      <Badge color="teal">active</Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {u.id !== me?.id && (
                      <Group gap="xs" wrap="nowrap">
                        <Button
                          size="xs"
                          variant="subtle"
                          onClick={() =>
                            act(() =>
                              call(
                                api.PATCH('/api/users/{userId}', {
                                  params: { path: { userId: u.id } },
                                  body: { disabled: !u.disabled },
                                }),
                              ),
                            )
                          }
                        >
                          {u.disabled ? 'Enable' : 'Disable'}
                        </Button>
                        <Button
                          size="xs"
                          variant="subtle"
                          onClick={() =>
                            act(async () => {
                              const r = await call(
                                api.POST('/api/users/{userId}/reset-password', {
                                  params: { path: { userId: u.id } },
                                }),
                              );
                              setShown({ email: u.email, password: r.temporaryPassword });
                            })
                          }
                        >
                          Reset password
                        </Button>
                        <Button
                          size="xs"
                          variant="subtle"
                          onClick={() =>
                            act(async () => {
                              const r = await call(
                                api.POST('/api/users/{userId}/unlock', {
                                  params: { path: { userId: u.id } },
                                }),
                              );
                              notifications.show({
                                message:
                                  r.locksLifted > 0
                                    ? `${u.email} can log in again.`
                                    : `${u.email} was not locked out.`,
                              });
                            })
                          }
                        >
                          Unlock login
                        </Button>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <NewUserForm
        onCreated={(email, password) => {
          if (password) setShown({ email, password });
          void users.refetch();
        }}
      />
    </Stack>
  );
}

function NewUserForm({ onCreated }: { onCreated(email: string, password?: string): void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<string | null>('nurse');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useMutation({
    mutationFn: () => call(api.POST('/api/users', { body: { email, name, role: (role ?? '') as 'nurse' } })),
    onMutate: () => setErrors({}),
    onSuccess: (r) => {
      onCreated(r.user.email, r.temporaryPassword);
      setEmail('');
      setName('');
    },
    onError: (err) => {
      const { fieldErrors, message } = serverErrors(err, ['email', 'name', 'role']);
      setErrors(message ? { email: message, ...fieldErrors } : fieldErrors);
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate();
  }
  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} noValidate aria-label="New user">
        <Title order={4} mb="sm">
          Add a user
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          Rein generates a temporary password, shown once, which the user must change at first login.
        </Text>
        <Group align="flex-start">
          <TextInput
            label="Name"
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errors.name}
          />
          <TextInput
            label="Email"
            required
            type="email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={errors.email}
          />
          <Select
            label="Role"
            data={ROLE_OPTIONS}
            value={role}
            onChange={setRole}
            error={errors.role}
            allowDeselect={false}
          />
          <Button type="submit" loading={create.isPending} mt={24}>
            Create user
          </Button>
        </Group>
      </form>
    </Paper>
  );
}
