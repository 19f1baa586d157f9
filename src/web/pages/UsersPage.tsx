import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  Group,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError, call } from '../api/client';
import { useAuth } from '../auth';
import { CredentialsModal } from '../components/users/CredentialsModal';
import { RoleChangeModal } from '../components/users/RoleChangeModal';
import { NewUserForm } from '../components/users/NewUserForm';
import { TwoFactorPolicyCard } from '../components/users/TwoFactorPolicyCard';
import { ROLE_OPTIONS, type ClinicUser, type StaffRole } from '../components/users/types';

/** Who may hold the clinical-lead sign-off (the server refuses anyone else). */
const LEAD_ROLES = new Set(['admin', 'prescriber']);

function identifiers(u: ClinicUser): string {
  const parts = [
    u.npi && `NPI ${u.npi}`,
    u.deaNumber && `DEA ${u.deaNumber}`,
    (u.licenceState || u.licenceNumber) &&
      `Licence ${[u.licenceState, u.licenceNumber].filter(Boolean).join(' ')}`,
  ].filter(Boolean);
  return parts.join(' · ');
}

/** The name column stays put while a narrow screen scrolls the table sideways to a row's actions. */
const STICKY_NAME = {
  position: 'sticky',
  left: 0,
  // Above the role picker's chevron, which scrolls underneath it.
  zIndex: 3,
  background: 'var(--mantine-color-body)',
} as const;

export function UsersPage() {
  const { user: me } = useAuth();
  const users = useQuery({ queryKey: ['users'], queryFn: () => call(api.GET('/api/users')) });
  const [shown, setShown] = useState<{ email: string; password: string } | null>(null);
  const [roleChange, setRoleChange] = useState<{ user: ClinicUser; role: string } | null>(null);
  const [editing, setEditing] = useState<ClinicUser | null>(null);

  // Each row action is one mutation: on success the list reloads; a refusal is a notification.
  const action = useMutation({
    mutationFn: (run: () => Promise<unknown>) => run(),
    onSuccess: () => {
      setRoleChange(null);
      void users.refetch();
    },
    onError: (err) => {
      setRoleChange(null);
      notifications.show({
        color: 'red',
        message: err instanceof ApiError ? err.message : 'Could not reach the server.',
      });
    },
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
        {/* Email and identifiers sit under the name and the row actions wrap, so the table fits a
            laptop; on a tablet it scrolls inside its own frame, never the whole page, with the
            name kept in view. */}
        <Table.ScrollContainer minWidth={640}>
          <Table aria-label="Users" verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th style={STICKY_NAME}>Name</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Clinical lead</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Two-factor</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.data?.items.map((u) => (
                <Table.Tr key={u.id}>
                  <Table.Td style={STICKY_NAME}>
                    <Text size="sm">{u.name}</Text>
                    <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
                      {u.email}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {identifiers(u)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={`Role of ${u.name}`}
                      size="xs"
                      w={140}
                      data={ROLE_OPTIONS}
                      value={u.role}
                      allowDeselect={false}
                      onChange={(role) => role && role !== u.role && setRoleChange({ user: u, role })}
                    />
                  </Table.Td>
                  <Table.Td>
                    {LEAD_ROLES.has(u.role) && (
                      <Checkbox
                        aria-label={`Clinical lead: ${u.name}`}
                        checked={u.clinicalLead}
                        onChange={(e) => {
                          const clinicalLead = e.currentTarget.checked;
                          act(() =>
                            call(
                              api.PATCH('/api/users/{userId}', {
                                params: { path: { userId: u.id } },
                                body: { clinicalLead },
                              }),
                            ),
                          );
                        }}
                      />
                    )}
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
                    {u.twoFactorEnabled ? (
                      <Badge color="teal" variant="light">
                        on
                      </Badge>
                    ) : (
                      <Badge color="gray" variant="light">
                        off
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="wrap" maw={260}>
                      <Button size="xs" variant="subtle" onClick={() => setEditing(u)}>
                        Identifiers
                      </Button>
                      {u.id !== me?.id && (
                        <>
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
                          {u.twoFactorEnabled && (
                            <Button
                              size="xs"
                              variant="subtle"
                              color="red"
                              onClick={() =>
                                act(async () => {
                                  await call(
                                    api.POST('/api/users/{userId}/reset-two-factor', {
                                      params: { path: { userId: u.id } },
                                    }),
                                  );
                                  notifications.show({
                                    message: `Two-factor sign-in reset for ${u.email}; they set it up again at next sign-in.`,
                                  });
                                })
                              }
                            >
                              Reset two-factor
                            </Button>
                          )}
                        </>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      {roleChange && (
        <RoleChangeModal
          user={roleChange.user}
          newRole={roleChange.role}
          pending={action.isPending}
          onCancel={() => setRoleChange(null)}
          onConfirm={() =>
            act(() =>
              call(
                api.PATCH('/api/users/{userId}', {
                  params: { path: { userId: roleChange.user.id } },
                  body: { role: roleChange.role as StaffRole },
                }),
              ),
            )
          }
        />
      )}
      {editing && (
        <CredentialsModal
          user={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void users.refetch();
          }}
        />
      )}
      <NewUserForm
        onCreated={(email, password) => {
          if (password) setShown({ email, password });
          void users.refetch();
        }}
      />
      <TwoFactorPolicyCard />
    </Stack>
  );
}
