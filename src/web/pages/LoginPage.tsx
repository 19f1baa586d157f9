import {
  Alert,
  Anchor,
  Button,
  Center,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { api, ApiError, call } from '../api/client';
import { signInDestination, useAuth } from '../auth';
import type { MeResponse } from '../capabilities';

/**
 * Signing in: the password, then — for an account with an authenticator app — its code (or one
 * recovery code). The server creates the session only after the code.
 */
export function LoginPage() {
  const { user, signedIn, twoFactorEnrolmentPending } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [step, setStep] = useState<'password' | 'code'>('password');
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [expired, setExpired] = useState<string | null>(null);
  // Where the user was going before being sent to log in (path and query), e.g. a shared link.
  const from = (location.state as { from?: string } | null)?.from;
  const finish = (me: MeResponse) => {
    signedIn(me);
    navigate(signInDestination(me, from), { replace: true });
  };
  const login = useMutation({
    mutationFn: () => call(api.POST('/api/auth/login', { body: { email, password } })),
    onSuccess: (result) => {
      setExpired(null);
      if ('secondFactor' in result) {
        setStep('code');
        setCode('');
        return;
      }
      finish(result);
    },
  });
  const second = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/auth/login/second-factor', {
          body: useRecovery ? { recoveryCode: code } : { code },
        }),
      ),
    onSuccess: finish,
    onError: (err) => {
      // The half-done sign-in ended (time, too many wrong codes): start again from the password.
      if (err instanceof ApiError && err.code === 'sign_in_expired') {
        setExpired(err.message);
        setStep('password');
        setPassword('');
      }
    },
  });
  if (user) return <Navigate to={signInDestination({ user, twoFactorEnrolmentPending }, from)} replace />;
  const failed = step === 'password' ? login.error : second.error;
  const error =
    expired ??
    (failed ? (failed instanceof ApiError ? failed.message : 'Could not reach the server.') : null);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (step === 'password') login.mutate();
    else second.mutate();
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
                {step === 'password'
                  ? 'Ketamine clinic platform — log in to continue'
                  : useRecovery
                    ? 'Enter one of the recovery codes you saved when you set up two-factor sign-in.'
                    : 'Open your authenticator app and enter the 6-digit code for Rein.'}
              </Text>
            </div>
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            {step === 'password' ? (
              <>
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
              </>
            ) : (
              <>
                <TextInput
                  key={useRecovery ? 'recovery' : 'code'}
                  label={useRecovery ? 'Recovery code' : 'Authentication code'}
                  autoComplete="one-time-code"
                  inputMode={useRecovery ? 'text' : 'numeric'}
                  required
                  autoFocus
                  value={code}
                  onChange={(e) => setCode(e.currentTarget.value)}
                />
                <Button type="submit" loading={second.isPending}>
                  Verify
                </Button>
                <Anchor
                  component="button"
                  type="button"
                  size="sm"
                  onClick={() => {
                    setUseRecovery((r) => !r);
                    setCode('');
                    second.reset();
                  }}
                >
                  {useRecovery ? 'Use the code from my authenticator app' : 'Use a recovery code instead'}
                </Anchor>
              </>
            )}
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
