import { Button, Group, Paper, Select, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, call } from '../../api/client';
import { serverErrors } from '../../forms';
import { ROLE_OPTIONS } from './types';

export function NewUserForm({ onCreated }: { onCreated(email: string, password?: string): void }) {
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
