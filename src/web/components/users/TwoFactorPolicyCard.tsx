import { Button, Checkbox, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError, call } from '../../api/client';
import { ROLE_OPTIONS, type StaffRole } from './types';

/** The clinic's choice of which roles must sign in with an authenticator app (admins only). */
export function TwoFactorPolicyCard() {
  const queryClient = useQueryClient();
  const policy = useQuery({
    queryKey: ['clinic-security'],
    queryFn: () => call(api.GET('/api/clinic/security')),
  });
  // The admin's unsaved choice, else the clinic's saved one.
  const [edited, setRoles] = useState<string[] | null>(null);
  const roles = edited ?? policy.data?.twoFactorRequiredRoles ?? [];
  const save = useMutation({
    mutationFn: () =>
      call(api.PUT('/api/clinic/security', { body: { twoFactorRequiredRoles: roles as StaffRole[] } })),
    onSuccess: (saved) => {
      queryClient.setQueryData(['clinic-security'], saved);
      notifications.show({ message: 'Saved. It applies from each person’s next sign-in.' });
      setRoles(null);
    },
    onError: (err) =>
      notifications.show({
        color: 'red',
        message: err instanceof ApiError ? err.message : 'Could not reach the server.',
      }),
  });
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={4}>Two-factor sign-in</Title>
        <Text size="sm" c="dimmed">
          People in these roles must sign in with a code from an authenticator app after their password.
          Anyone without one set up is asked to set it up at their next sign-in.
        </Text>
        <Checkbox.Group label="Required for" value={roles} onChange={setRoles}>
          <Group mt="xs">
            {ROLE_OPTIONS.map((o) => (
              <Checkbox key={o.value} value={o.value} label={o.label} />
            ))}
          </Group>
        </Checkbox.Group>
        <Group>
          <Button size="xs" onClick={() => save.mutate()} loading={save.isPending} disabled={!policy.data}>
            Save two-factor policy
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
