import { Alert, Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { api, call } from '../../api/client';
import { vitalsEntrySchema } from '../../contracts';
import { useServerForm } from '../../useServerForm';
import { RangeNumberInput } from '../RangeNumberInput';
import { OpenAlerts } from './OpenAlerts';
import { VITALS_EMPTY, vitalsRequest, type VitalsBody, type VitalsValues } from './requests';
import { VitalsChart } from './SessionCharts';
import { SessionCard } from './SessionCard';
import { useSessionReadingSaved, type SessionParams } from './session-mutation';
import type { SessionReading, SessionState } from './types';

function VitalsTable({ state }: { state: SessionState }) {
  return (
    <Table aria-label="Vitals readings" striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Min</Table.Th>
          <Table.Th>BP</Table.Th>
          <Table.Th>HR</Table.Th>
          <Table.Th>SpO2</Table.Th>
          <Table.Th>RR</Table.Th>
          <Table.Th>Alerts</Table.Th>
          <Table.Th>By</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {state.vitals.map((v) => (
          <Table.Tr key={v.id}>
            <Table.Td>{v.timeMin}</Table.Td>
            <Table.Td>{v.sbpMmHg !== null ? `${v.sbpMmHg}/${v.dbpMmHg}` : '—'}</Table.Td>
            <Table.Td>{v.heartRateBpm ?? '—'}</Table.Td>
            <Table.Td>{v.spo2Pct ?? '—'}</Table.Td>
            <Table.Td>{v.respiratoryRatePerMin ?? '—'}</Table.Td>
            <Table.Td>
              {v.alerts.map((a) => (
                <Text
                  key={a.id}
                  size="xs"
                  c={a.severity === 'hold' ? 'red' : 'orange'}
                  title={`${a.threshold.source}${a.threshold.note ? ` — ${a.threshold.note}` : ''}`}
                >
                  {a.message}
                </Text>
              ))}
              {/* One decision covers the whole reading: shown once. */}
              {v.alerts
                .filter((a) => a.decision)
                .slice(0, 1)
                .map((a) => (
                  <Text key="decision" size="xs">
                    → {a.decision!.decision} ({a.decision!.decidedBy})
                  </Text>
                ))}
            </Table.Td>
            <Table.Td>
              <Text size="xs">{v.recordedBy}</Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function VitalsCard({ params, state }: { params: SessionParams; state: SessionState }) {
  const saved = useSessionReadingSaved(params);
  const { form, onSubmit, pending, message } = useServerForm<VitalsValues, VitalsBody, SessionReading>({
    initialValues: VITALS_EMPTY,
    schema: vitalsEntrySchema,
    toRequest: vitalsRequest,
    send: (body) =>
      call(
        api.POST('/api/patients/{patientId}/sessions/{sessionId}/vitals', { params: { path: params }, body }),
      ),
    onSaved: saved,
    resetOnSave: true,
  });
  const input = (key: keyof VitalsValues) => form.getInputProps(key);
  const next = state.nextVitals;
  return (
    <SessionCard
      title="Vitals"
      label="Vitals"
      right={
        next && next.nextDueMin !== null ? (
          <Badge color={next.overdueByMin > 0 ? 'red' : 'gray'} variant="light" size="lg">
            next due at {next.nextDueMin} min
            {next.overdueByMin > 0 ? ` — ${Math.round(next.overdueByMin)} min overdue` : ''}
          </Badge>
        ) : null
      }
    >
      <Stack gap="sm">
        {state.openAlerts.length > 0 && <OpenAlerts params={params} state={state} />}
        {!state.discharge && (
          <form onSubmit={onSubmit} aria-label="Vitals entry" noValidate>
            <Group align="flex-end">
              <RangeNumberInput label="Systolic" {...input('sbpMmHg')} min={40} max={300} w={110} />
              <RangeNumberInput label="Diastolic" {...input('dbpMmHg')} min={20} max={200} w={110} />
              <RangeNumberInput label="Heart rate" {...input('heartRateBpm')} min={20} max={250} w={110} />
              <RangeNumberInput label="SpO2 %" {...input('spo2Pct')} min={50} max={100} w={100} />
              <RangeNumberInput
                label="Resp. rate (/min)"
                {...input('respiratoryRatePerMin')}
                min={0}
                max={80}
                w={130}
              />
              <RangeNumberInput
                label="Taken at (min)"
                description="Empty = now"
                {...input('timeMin')}
                min={-240}
                w={130}
              />
              <Button type="submit" loading={pending}>
                Record vitals
              </Button>
            </Group>
            {message && (
              <Alert color="red" mt="xs">
                {message}
              </Alert>
            )}
          </form>
        )}
        {state.vitals.length > 0 && <VitalsChart state={state} />}
        {state.vitals.length > 0 && <VitalsTable state={state} />}
      </Stack>
    </SessionCard>
  );
}
