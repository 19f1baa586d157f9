import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { api, ApiError, call } from '../api/client';
import { useAuth } from '../auth';

export function LoginPage() {
  const { user, signedIn } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  // Where the user was going before being sent to log in (path and query), e.g. a shared link.
  const from = (location.state as { from?: string } | null)?.from;
  const login = useMutation({
    mutationFn: () => call(api.POST('/api/auth/login', { body: { email, password } })),
    onSuccess: (me) => {
      signedIn(me);
      navigate(me.user.mustChangePassword ? '/change-password' : (from ?? '/'), { replace: true });
    },
  });
  if (user) return <Navigate to={user.mustChangePassword ? '/change-password' : (from ?? '/')} replace />;
  const error = login.error
    ? login.error instanceof ApiError
      ? login.error.message
      : 'Could not reach the server.'
    : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    login.mutate();
  }

  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={400}>
        <form onSubmit={submit} noValidate>
          <Stack>
            <div>
              <Title order={2} c="teal.8">
                Rein
              </Title>
              <Text c="dimmed" size="sm">
                Ketamine clinic platform — log in to continue
              </Text>
            </div>
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <TextInput
              label="Email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <Button type="submit" loading={login.isPending}>
              Log in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
