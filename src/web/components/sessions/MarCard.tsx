import {
  Alert,
  Badge,
  Button,
  Group,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { api, call } from '../../api/client';
import { useAuth } from '../../auth';
import { MEDICATION_ROUTE_LABELS } from '../../../clinical/vocabulary';
import { SessionCard } from './SessionCard';
import { useSessionAction, type SessionParams } from './session-mutation';
import { sessionClosed, type SessionState } from './types';

type RescueBody = {
  drug: 'ondansetron' | 'labetalol' | 'midazolam' | 'clonidine';
  doseMg: number;
  route: 'iv' | 'intranasal' | 'oral' | 'im' | 'sublingual';
  reason: string;
  deviationReason?: string;
};

/** A rescue medication given against one of the order's lines. */
function RescueForm({ params, state }: { params: SessionParams; state: SessionState }) {
  const lines = state.orders.order?.rescues ?? [];
  const [index, setIndex] = useState<string | null>(lines.length > 0 ? '0' : null);
  const line = index !== null ? lines[Number(index)] : undefined;
  const [doseMg, setDoseMg] = useState<number | undefined>(line?.doseMg);
  const [reason, setReason] = useState('');
  const [deviation, setDeviation] = useState('');
  const give = useSessionAction(params, (body: RescueBody) =>
    call(
      api.POST('/api/patients/{patientId}/sessions/{sessionId}/rescues', { params: { path: params }, body }),
    ),
  );
  if (lines.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        The signed order lists no rescue medications.
      </Text>
    );
  }
  const differs = line !== undefined && doseMg !== undefined && doseMg !== line.doseMg;
  return (
    <Stack gap="xs" aria-label="Give rescue medication">
      <Group align="flex-end">
        <Select
          label="Rescue medication"
          data={lines.map((l, i) => ({
            value: String(i),
            label: `${l.drug} ${l.doseMg} mg ${MEDICATION_ROUTE_LABELS[l.route]}`,
          }))}
          value={index}
          onChange={(v) => {
            setIndex(v);
            setDoseMg(v !== null ? lines[Number(v)]?.doseMg : undefined);
          }}
          w={260}
        />
        <NumberInput
          label="Dose given (mg)"
          value={doseMg ?? ''}
          onChange={(v) => setDoseMg(typeof v === 'number' ? v : undefined)}
          w={140}
        />
        <TextInput label="Why" value={reason} onChange={(e) => setReason(e.currentTarget.value)} w={240} />
        {differs && (
          <TextInput
            label="Reason for a dose other than ordered"
            value={deviation}
            onChange={(e) => setDeviation(e.currentTarget.value)}
            w={280}
          />
        )}
        <Button
          loading={give.pending}
          disabled={!line || doseMg === undefined}
          onClick={() =>
            line &&
            doseMg !== undefined &&
            give.run({
              drug: line.drug,
              doseMg,
              route: line.route,
              reason,
              ...(differs ? { deviationReason: deviation } : {}),
            })
          }
        >
          Give rescue
        </Button>
      </Group>
      {give.message && <Alert color="red">{give.message}</Alert>}
    </Stack>
  );
}

/** The medication administration record: the dose and its steps, and every rescue given. */
export function MarCard({ params, state }: { params: SessionParams; state: SessionState }) {
  const { can } = useAuth();
  const { mar, order } = state.orders;
  const t = mar.treatment;
  return (
    <SessionCard title="Medication administration record" label="MAR">
      <Stack gap="xs">
        {t ? (
          <>
            <Group gap="xs">
              <Text>
                <b>{t.drug}</b> {t.amountGivenMg} of {t.plannedMg} mg given
                {t.volumeInfusedMl !== null && ` · ${t.volumeInfusedMl} mL infused`}
                {t.devicesGiven !== null && ` · ${t.devicesGiven} device(s)`}
              </Text>
              <Badge variant="light">{t.state}</Badge>
              {t.orderEventId === null && <Badge color="gray">dosed without an order</Badge>}
              {t.verifiedBy && <Badge color="teal">verified by {t.verifiedBy}</Badge>}
            </Group>
            {t.deviation && (
              <Text size="sm" c="orange">
                Differs from the order ({t.deviation.differences.join('; ')}): {t.deviation.reason}
              </Text>
            )}
            <Table data-testid="mar-steps">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Minute</Table.Th>
                  <Table.Th>Step</Table.Th>
                  <Table.Th>By</Table.Th>
                  <Table.Th>Note</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {t.steps.map((s) => (
                  <Table.Tr key={`${s.action}-${s.atMin}`}>
                    <Table.Td>{s.atMin}</Table.Td>
                    <Table.Td>{s.action}</Table.Td>
                    <Table.Td>{s.by}</Table.Td>
                    <Table.Td>{s.note ?? ''}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        ) : (
          <Text size="sm" c="dimmed">
            Dosing has not started.
          </Text>
        )}
        <Text fw={500} size="sm">
          Rescue medications given
        </Text>
        {mar.rescues.length === 0 ? (
          <Text size="sm" c="dimmed">
            None.
          </Text>
        ) : (
          <Table data-testid="mar-rescues">
            <Table.Tbody>
              {mar.rescues.map((r) => (
                <Table.Tr key={r.eventId}>
                  <Table.Td>{r.atMin} min</Table.Td>
                  <Table.Td>
                    {r.drug} {r.doseMg} mg {MEDICATION_ROUTE_LABELS[r.route]}
                  </Table.Td>
                  <Table.Td>{r.reason}</Table.Td>
                  <Table.Td>{r.by}</Table.Td>
                  <Table.Td>{r.deviationReason ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {can('orders.administer') && order && state.checkedIn && !sessionClosed(state) && (
          <RescueForm key={order.eventId} params={params} state={state} />
        )}
      </Stack>
    </SessionCard>
  );
}
