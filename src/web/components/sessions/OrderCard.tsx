import {
  Alert,
  Badge,
  Button,
  Group,
  NumberInput,
  PasswordInput,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { api, call } from '../../api/client';
import { useAuth } from '../../auth';
import { useClinicDates } from '../../dates';
import { MEDICATION_ROUTE_LABELS, type MedicationRoute } from '../../../clinical/vocabulary';
import { SessionCard } from './SessionCard';
import { useSessionAction, type SessionParams } from './session-mutation';
import { sessionClosed, type SessionState } from './types';
import { EvidenceBadge } from '../EvidenceBadge';

type Orders = SessionState['orders'];
type Line = Orders['standingOrder'] extends infer O
  ? O extends { rescues: (infer L)[] }
    ? L
    : never
  : never;

const num = (v: string | number): number | undefined => (typeof v === 'number' ? v : undefined);

/** The signed order as the nurse reads it at the chair. */
function OrderSummary({ order }: { order: NonNullable<Orders['order']> }) {
  const dates = useClinicDates();
  const dose =
    order.doseMgPerKg !== null
      ? `${order.doseMgPerKg} mg/kg${order.doseMg !== null ? ` = ${order.doseMg} mg (on ${order.weightKg} kg)` : ''}`
      : `${order.doseMg} mg`;
  return (
    <Stack gap={4} data-testid="signed-order">
      <Text>
        <b>{order.drug}</b> {dose} {MEDICATION_ROUTE_LABELS[order.route]}
        {order.durationMin !== null && ` over ${order.durationMin} min`}
        {order.rateMgPerMin !== null && ` (${order.rateMgPerMin} mg/min)`} · maximum {order.maxDoseMg} mg
      </Text>
      {order.holdConditions.map((h) => (
        <Text key={h} size="sm">
          {h}
        </Text>
      ))}
      {order.rescues.length > 0 && (
        <Text size="sm">
          Rescue:{' '}
          {order.rescues
            .map((r) => `${r.drug} ${r.doseMg} mg ${MEDICATION_ROUTE_LABELS[r.route]} for ${r.indication}`)
            .join('; ')}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        Signed by {order.signedBy} {dates.dateTime(order.signedAt)}
        {order.standing ? ' · standing order' : ''}
      </Text>
    </Stack>
  );
}

/** The prescriber's order form, pre-filled from the signed order or the course's standing order. */
function SignOrderForm({ params, state }: { params: SessionParams; state: SessionState }) {
  const o = state.orders;
  const start = o.order ?? o.standingOrder;
  const iv = state.course.modality === 'iv-ketamine';
  const [mgPerKg, setMgPerKg] = useState<number | undefined>(start?.doseMgPerKg ?? undefined);
  const [doseMg, setDoseMg] = useState<number | undefined>(start?.doseMg ?? undefined);
  const [durationMin, setDurationMin] = useState<number | undefined>(start?.durationMin ?? undefined);
  const [maxDoseMg, setMaxDoseMg] = useState<number | undefined>(start?.maxDoseMg ?? undefined);
  const [holds, setHolds] = useState((start?.holdConditions ?? []).join('\n'));
  const [rescues, setRescues] = useState<Line[]>(start?.rescues ?? []);
  const [adding, setAdding] = useState<string | null>(null);
  const sign = useSessionAction(params, (body: Record<string, unknown>) =>
    call(
      api.POST('/api/patients/{patientId}/sessions/{sessionId}/orders', {
        params: { path: params },
        body: body as never,
      }),
    ),
  );
  const add = (drug: string) => {
    const f = o.rescueFormulary.find((e) => e.drug === drug);
    if (!f) return;
    // Without a cited default the prescriber enters the dose: the line starts empty.
    setRescues([
      ...rescues,
      f.defaultLine ?? { drug: f.drug, doseMg: 0, route: 'iv', indication: f.indication },
    ]);
    setAdding(null);
  };
  const setLine = (i: number, patch: Partial<Line>) =>
    setRescues(rescues.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const submit = () =>
    sign.run({
      ...(iv ? { doseMgPerKg: mgPerKg, durationMin } : { doseMg }),
      maxDoseMg,
      holdConditions: holds.split('\n'),
      rescues,
    });
  return (
    <Stack gap="xs" mt="sm" aria-label="Sign order">
      <Group align="flex-end">
        {iv ? (
          <>
            <NumberInput
              label="Dose (mg/kg)"
              value={mgPerKg ?? ''}
              onChange={(v) => setMgPerKg(num(v))}
              w={130}
            />
            <NumberInput
              label="Infusion (min)"
              value={durationMin ?? ''}
              onChange={(v) => setDurationMin(num(v))}
              w={130}
            />
          </>
        ) : (
          <NumberInput label="Dose (mg)" value={doseMg ?? ''} onChange={(v) => setDoseMg(num(v))} w={130} />
        )}
        <NumberInput
          label="Maximum (mg)"
          value={maxDoseMg ?? ''}
          onChange={(v) => setMaxDoseMg(num(v))}
          w={130}
        />
      </Group>
      <Textarea
        label="Hold conditions (one per line)"
        value={holds}
        onChange={(e) => setHolds(e.currentTarget.value)}
        autosize
        minRows={2}
      />
      <Text size="sm" fw={500}>
        Rescue medications
      </Text>
      {rescues.map((l, i) => {
        const f = o.rescueFormulary.find((e) => e.drug === l.drug);
        return (
          <Group key={`${l.drug}-${i}`} align="flex-end" aria-label={`Rescue line ${l.drug}`}>
            <Text w={110}>{l.drug}</Text>
            <NumberInput
              label="mg"
              value={l.doseMg || ''}
              onChange={(v) => setLine(i, { doseMg: num(v) ?? 0 })}
              w={90}
            />
            <Select
              label="Route"
              data={Object.entries(MEDICATION_ROUTE_LABELS).map(([value, label]) => ({ value, label }))}
              value={l.route}
              onChange={(v) => v && setLine(i, { route: v as MedicationRoute })}
              w={140}
            />
            <TextInput
              label="For"
              value={l.indication}
              onChange={(e) => setLine(i, { indication: e.currentTarget.value })}
              w={220}
            />
            <Button
              variant="subtle"
              color="red"
              onClick={() => setRescues(rescues.filter((_, j) => j !== i))}
            >
              Remove
            </Button>
            {f && (
              <Group gap={6} w="100%">
                <EvidenceBadge status={f.citation.status} source={f.citation.source} />
                <Text size="xs" c="dimmed">
                  {f.citation.source}
                </Text>
              </Group>
            )}
          </Group>
        );
      })}
      <Group align="flex-end">
        <Select
          label="Add a rescue medication"
          placeholder="from the formulary"
          data={o.rescueFormulary.map((e) => e.drug)}
          value={adding}
          onChange={(v) => v && add(v)}
          w={220}
        />
        <Button onClick={submit} loading={sign.pending}>
          Sign order
        </Button>
      </Group>
      {sign.message && <Alert color="red">{sign.message}</Alert>}
    </Stack>
  );
}

/** The second person enters their own email and password to verify the drawn-up dose. */
function VerifyDose({ params, state }: { params: SessionParams; state: SessionState }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const verify = useSessionAction(params, (body: { verifierEmail: string; verifierPassword: string }) =>
    call(
      api.POST('/api/patients/{patientId}/sessions/{sessionId}/dose-verification', {
        params: { path: params },
        body,
      }),
    ),
  );
  if (state.orders.doseVerifiedBy) {
    return <Badge color="teal">dose verified by {state.orders.doseVerifiedBy}</Badge>;
  }
  return (
    <Stack gap="xs" aria-label="Second-person verification">
      <Text size="sm">
        The clinic requires a second person to verify the drawn-up dose of {state.dosePlan?.doseMg} mg.
      </Text>
      <Group align="flex-end">
        <TextInput
          label="Second person's email"
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          w={260}
        />
        <PasswordInput
          label="Their password"
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          w={200}
        />
        <Button
          loading={verify.pending}
          onClick={() => verify.run({ verifierEmail: email, verifierPassword: password })}
        >
          Verify dose
        </Button>
      </Group>
      {verify.message && <Alert color="red">{verify.message}</Alert>}
    </Stack>
  );
}

/** The session order: what is signed, the prescriber's form, and the dose check before dosing. */
export function OrderCard({ params, state }: { params: SessionParams; state: SessionState }) {
  const { can } = useAuth();
  const o = state.orders;
  const closed = sessionClosed(state);
  // Editing the order in force: a new signature has a new id, which closes the form.
  const [editingId, setEditingId] = useState<string | null>(null);
  const editing = o.order !== null && editingId === o.order.eventId;
  const mayVerify =
    can('orders.verify') && o.secondPersonVerification && state.dosePlan !== null && !state.dosingStartedAt;
  return (
    <SessionCard
      title="Order"
      label="Order"
      right={o.order ? <Badge color="teal">signed</Badge> : <Badge color="orange">not signed</Badge>}
    >
      {o.order ? (
        <OrderSummary order={o.order} />
      ) : (
        <Text size="sm" c="dimmed">
          No signed order yet: a prescriber signs the session order before dosing starts.
        </Text>
      )}
      {can('orders.sign') && !closed && (o.order === null || editing) && (
        <SignOrderForm key={o.order?.eventId ?? 'new'} params={params} state={state} />
      )}
      {can('orders.sign') && !closed && o.order !== null && !editing && (
        <Button variant="default" size="xs" mt="xs" onClick={() => setEditingId(o.order!.eventId)}>
          Change order
        </Button>
      )}
      {mayVerify && o.order && <VerifyDose params={params} state={state} />}
      {o.order === null && o.standingOrder && !can('orders.sign') && (
        <Table mt="xs">
          <Table.Tbody>
            <Table.Tr>
              <Table.Td>Standing order from the course</Table.Td>
              <Table.Td>
                {o.standingOrder.doseMgPerKg !== null
                  ? `${o.standingOrder.doseMgPerKg} mg/kg`
                  : `${o.standingOrder.doseMg} mg`}
              </Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      )}
    </SessionCard>
  );
}
