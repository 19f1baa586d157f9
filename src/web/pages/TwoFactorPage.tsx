import {
  Alert,
  Button,
  Center,
  Code,
  Group,
  Image,
  List,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate } from 'react-router';
import { api, ApiError, call } from '../api/client';
import { useAuth } from '../auth';
import type { MeResponse } from '../capabilities';

/** The key as people type it into an app by hand: groups of four. */
const grouped = (secret: string) => secret.replace(/(.{4})(?=.)/g, '$1 ');

/**
 * Setting up two-factor sign-in: scan the QR code (or type the key), confirm with a code, then
 * save the recovery codes, which are shown this once. Reached right after the password when the
 * clinic requires it, or by choice from the header.
 */
export function TwoFactorPage() {
  const { user, signedIn, twoFactorEnrolmentPending, signOut } = useAuth();
  const navigate = useNavigate();
  const [code, setCode] = useState('');
  const [done, setDone] = useState<{ recoveryCodes: string[]; me: MeResponse } | null>(null);
  const start = useMutation({ mutationFn: () => call(api.POST('/api/auth/two-factor/enrolment')) });
  const confirm = useMutation({
    mutationFn: () => call(api.POST('/api/auth/two-factor/enrolment/confirm', { body: { code } })),
    onSuccess: setDone,
  });
  if (!user) return <Navigate to="/login" replace />;
  if (user.mustChangePassword) return <Navigate to="/change-password" replace />;
  const errorOf = (err: Error | null) =>
    err ? (err instanceof ApiError ? err.message : 'Could not reach the server.') : null;

  if (done) {
    return (
      <Shell>
        <Title order={3}>Save your recovery codes</Title>
        <Text size="sm">
          Two-factor sign-in is on. If you lose your phone, each of these codes signs you in once instead of a
          code from the app. Store them somewhere safe (a password manager or printed and locked away). They
          are shown only now.
        </Text>
        <Paper withBorder p="md" bg="gray.0">
          <SimpleGrid cols={2} aria-label="Recovery codes">
            {done.recoveryCodes.map((c) => (
              <Code key={c} fz="md">
                {c}
              </Code>
            ))}
          </SimpleGrid>
        </Paper>
        <Button
          onClick={() => {
            signedIn(done.me);
            navigate('/', { replace: true });
          }}
        >
          I have saved these codes — continue
        </Button>
      </Shell>
    );
  }

  if (user.twoFactorEnabled) {
    return (
      <Shell>
        <Title order={3}>Two-factor sign-in is on</Title>
        <Text size="sm">
          Each sign-in asks for the code from your authenticator app after your password. If you lose your
          phone and your recovery codes, ask a clinic admin to reset it.
        </Text>
        <Button component={Link} to="/" variant="light">
          Back to Rein
        </Button>
      </Shell>
    );
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    confirm.mutate();
  }

  return (
    <Shell>
      <Title order={3}>Set up two-factor sign-in</Title>
      <Text size="sm">
        {twoFactorEnrolmentPending
          ? 'Your clinic requires a code from an authenticator app at each sign-in for your role. Set it up to continue.'
          : 'Add a code from an authenticator app to each sign-in, so a stolen password alone is not enough.'}
      </Text>
      {!start.data ? (
        <>
          <List size="sm" type="ordered">
            <List.Item>Install an authenticator app on your phone (any TOTP app works).</List.Item>
            <List.Item>Scan the QR code Rein shows next, or type the key into the app.</List.Item>
            <List.Item>Enter the 6-digit code the app shows to confirm.</List.Item>
          </List>
          {start.error && (
            <Alert color="red" role="alert">
              {errorOf(start.error)}
            </Alert>
          )}
          <Button onClick={() => start.mutate()} loading={start.isPending}>
            Set up authenticator app
          </Button>
        </>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <Center>
              <Image
                src={start.data.qrDataUrl}
                alt="QR code to scan with your authenticator app"
                w={200}
                h={200}
              />
            </Center>
            <div>
              <Text size="sm">Can’t scan it? Type this key into the app (time-based):</Text>
              <Code block fz="md" aria-label="Key for typing in by hand">
                {grouped(start.data.secret)}
              </Code>
            </div>
            {confirm.error && (
              <Alert color="red" role="alert">
                {errorOf(confirm.error)}
              </Alert>
            )}
            <TextInput
              label="Code from the app"
              autoComplete="one-time-code"
              inputMode="numeric"
              required
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
            />
            <Button type="submit" loading={confirm.isPending}>
              Confirm
            </Button>
          </Stack>
        </form>
      )}
      {twoFactorEnrolmentPending && (
        <Group justify="flex-end">
          <Button
            variant="subtle"
            size="xs"
            onClick={async () => {
              await signOut();
              navigate('/login');
            }}
          >
            Log out
          </Button>
        </Group>
      )}
    </Shell>
  );
}

function Shell({ children }: { children: React.ReactNode }) {
  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={480}>
        <Stack>{children}</Stack>
      </Paper>
    </Center>
  );
}
