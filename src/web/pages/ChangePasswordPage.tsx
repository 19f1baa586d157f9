import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { api, ApiError, call } from '../api/client';
import { useAuth } from '../auth';

export function ChangePasswordPage() {
  const { user, signedIn } = useAuth();
  const navigate = useNavigate();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const change = useMutation({
    mutationFn: () => call(api.POST('/api/auth/password', { body: { currentPassword, newPassword } })),
    onSuccess: (me) => {
      signedIn(me);
      navigate('/', { replace: true });
    },
    onError: (err) => setError(err instanceof ApiError ? err.message : 'Could not reach the server.'),
  });
  if (!user) return <Navigate to="/login" replace />;

  function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (newPassword !== confirm) {
      setError('The new passwords do not match.');
      return;
    }
    change.mutate();
  }

  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={440}>
        <form onSubmit={submit} noValidate>
          <Stack>
            <Title order={3}>Choose your password</Title>
            <Text size="sm" c="dimmed">
              {user.mustChangePassword
                ? 'Your account was created with a temporary password. Choose your own to continue.'
                : 'Change your password.'}{' '}
              Use at least 12 characters; a few unrelated words make a strong passphrase.
            </Text>
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <PasswordInput
              label="Current password"
              autoComplete="current-password"
              required
              value={currentPassword}
              onChange={(e) => setCurrent(e.currentTarget.value)}
            />
            <PasswordInput
              label="New password"
              autoComplete="new-password"
              required
              value={newPassword}
              onChange={(e) => setNew(e.currentTarget.value)}
            />
            <PasswordInput
              label="Repeat new password"
              autoComplete="new-password"
              required
              value={confirm}
              onChange={(e) => setConfirm(e.currentTarget.value)}
            />
            <Button type="submit" loading={change.isPending}>
              Save password
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
