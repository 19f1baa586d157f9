/**
 * Staff send a one-patient self-report link: e-mailed to the patient's address on record (after
 * confirming it) when Rein can send e-mail, or created here and shown once as a URL and a QR code
 * to copy or scan; active links can be revoked.
 */
import {
  Alert,
  Button,
  CopyButton,
  Group,
  Image,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../../api/client';
import { useAuth } from '../../auth';
import { useClinicDates } from '../../dates';

const EXPIRY_OPTIONS = [
  { value: '4', label: '4 hours' },
  { value: '24', label: '24 hours' },
  { value: '72', label: '72 hours (default)' },
  { value: '168', label: '7 days' },
];

/** "robin@mail.example" → "r…@mail.example": enough to recognise the address on a shared screen. */
export function maskedEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return address;
  return `${address.charAt(0)}…${address.slice(at)}`;
}

export function PortalLinkPanel({
  patientId,
  label = 'Self-report link',
  size,
  patientName,
}: {
  patientId: string;
  label?: string;
  size?: 'xs' | 'sm';
  /** Named in the dialog's title when the panel sits in a list of patients. */
  patientName?: string;
}) {
  const dates = useClinicDates();
  const queryClient = useQueryClient();
  const path = { params: { path: { patientId } } };
  const { emailEnabled } = useAuth();
  const [opened, setOpened] = useState(false);
  const [hours, setHours] = useState('72');
  /** The e-mail step: the address is shown for confirmation before anything is sent. */
  const [confirming, setConfirming] = useState(false);
  const patient = useQuery({
    queryKey: ['patient', patientId],
    queryFn: () => call(api.GET('/api/patients/{patientId}', path)),
    enabled: opened && emailEnabled,
  });
  const address = patient.data?.email ?? null;
  const links = useQuery({
    queryKey: ['patient', patientId, 'portal-links'],
    queryFn: () => call(api.GET('/api/patients/{patientId}/portal-links', path)),
    // Read when the dialog opens: a list of patients must not ask for every patient's links.
    enabled: opened,
  });
  const create = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/patients/{patientId}/portal-links', {
          ...path,
          body: { expiresInHours: Number(hours) },
        }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['patient', patientId, 'portal-links'] }),
  });
  const send = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/patients/{patientId}/portal-links/email', {
          ...path,
          body: { expiresInHours: Number(hours) },
        }),
      ),
    onSettled: () => {
      setConfirming(false);
      void queryClient.invalidateQueries({ queryKey: ['patient', patientId, 'portal-links'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (linkId: string) =>
      call(
        api.POST('/api/patients/{patientId}/portal-links/{linkId}/revoke', {
          params: { path: { patientId, linkId } },
        }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['patient', patientId, 'portal-links'] }),
  });
  const active = (links.data?.items ?? []).filter((l) => l.state === 'active');

  return (
    <>
      <Button
        variant="light"
        size={size}
        onClick={() => {
          create.reset();
          send.reset();
          setConfirming(false);
          setOpened(true);
        }}
      >
        {label}
      </Button>
      <Modal
        opened={opened}
        onClose={() => setOpened(false)}
        title={`Self-report link for ${patientName ?? 'this patient'}`}
        size="lg"
      >
        <Stack>
          {send.data ? (
            <Alert color="teal" variant="light" data-testid="portal-email-sent">
              Sent to {maskedEmail(send.data.sentTo)}. The link expires{' '}
              {dates.dateTime(send.data.link.expiresAt)}.
            </Alert>
          ) : confirming && address ? (
            <>
              <Text size="sm">
                E-mail the self-report link to <strong>{address}</strong>? It expires after{' '}
                {EXPIRY_OPTIONS.find((o) => o.value === hours)?.label.replace(' (default)', '')}. The e-mail
                names the clinic and the link only.
              </Text>
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setConfirming(false)} disabled={send.isPending}>
                  Back
                </Button>
                <Button onClick={() => send.mutate()} loading={send.isPending}>
                  Send e-mail
                </Button>
              </Group>
            </>
          ) : !create.data ? (
            <>
              <Text size="sm">
                The patient opens the link on their phone — no account needed — and answers the questionnaires
                due now. They see a thank-you, never their scores.
              </Text>
              <Select
                label="Link expires after"
                data={EXPIRY_OPTIONS}
                value={hours}
                onChange={(v) => setHours(v ?? '72')}
                allowDeselect={false}
                comboboxProps={{ withinPortal: true }}
              />
              {send.error && (
                <Alert color="red" data-testid="portal-email-error">
                  {send.error.message}
                </Alert>
              )}
              {create.error && <Alert color="red">{create.error.message}</Alert>}
              {emailEnabled && patient.isSuccess && !address && (
                <Text size="sm" c="dimmed">
                  No e-mail address on record: add one in the patient&apos;s details to e-mail the link, or
                  create it here to copy.
                </Text>
              )}
              <Group justify="flex-end">
                <Button
                  variant={address ? 'default' : 'filled'}
                  onClick={() => create.mutate()}
                  loading={create.isPending}
                >
                  Create link
                </Button>
                {emailEnabled && address && (
                  <Button onClick={() => setConfirming(true)}>E-mail the link…</Button>
                )}
              </Group>
            </>
          ) : (
            <>
              <Alert color="teal" variant="light">
                Copy the link or let the patient scan the code now: it is shown only once. Expires{' '}
                {dates.dateTime(create.data.link.expiresAt)}.
              </Alert>
              <Group align="flex-start" wrap="nowrap">
                <Image
                  src={create.data.qrCodeDataUrl}
                  alt="QR code of the self-report link"
                  w={180}
                  h={180}
                  data-testid="portal-qr"
                />
                <Stack gap="xs" style={{ flex: 1 }}>
                  <TextInput
                    label="Link"
                    value={create.data.url}
                    readOnly
                    data-testid="portal-url"
                    onFocus={(e) => e.currentTarget.select()}
                  />
                  <CopyButton value={create.data.url}>
                    {({ copied, copy }) => (
                      <Button variant="default" onClick={copy}>
                        {copied ? 'Copied' : 'Copy link'}
                      </Button>
                    )}
                  </CopyButton>
                </Stack>
              </Group>
            </>
          )}
          {active.length > 0 && (
            <>
              <Text fw={600} size="sm" mt="sm">
                Active links
              </Text>
              <Table>
                <Table.Tbody>
                  {active.map((l) => (
                    <Table.Tr key={l.id}>
                      <Table.Td>Created {dates.dateTime(l.createdAt)}</Table.Td>
                      <Table.Td>Expires {dates.dateTime(l.expiresAt)}</Table.Td>
                      <Table.Td>
                        <Text size="sm" c="dimmed">
                          used {l.useCount}×
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Button size="xs" variant="subtle" color="red" onClick={() => revoke.mutate(l.id)}>
                          Revoke
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </>
          )}
        </Stack>
      </Modal>
    </>
  );
}
