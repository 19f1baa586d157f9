/** Patient page section: trajectory, due items, recent assessments, open alerts, entry and portal link. */
import { Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../../api/client';
import { useAuth } from '../../auth';
import { useClinicDates } from '../../dates';
import { AlertInbox } from './AlertInbox';
import { InstrumentForm } from './InstrumentForm';
import { PortalLinkPanel } from './PortalLinkPanel';
import { TrajectoryChart } from './TrajectoryChart';
import { CONTEXT_LABELS, INSTRUMENT_SHORT, type Assessment } from './types';

export function PatientMeasurement({ patientId }: { patientId: string }) {
  const dates = useClinicDates();
  const { can } = useAuth();
  const clinician = can('clinical.record');
  // The front desk sees what is due and sends portal links; scores and answers are clinicians' only.
  const readsScores = can('clinical.read');
  const [entering, setEntering] = useState(false);
  const [correcting, setCorrecting] = useState<Assessment | null>(null);
  const path = { params: { path: { patientId } } };
  const assessments = useQuery({
    queryKey: ['patient', patientId, 'assessments'],
    queryFn: () => call(api.GET('/api/patients/{patientId}/assessments', path)),
    enabled: readsScores,
  });
  const due = useQuery({
    queryKey: ['patient', patientId, 'due'],
    queryFn: () => call(api.GET('/api/patients/{patientId}/due', path)),
  });
  const open = (due.data?.items ?? []).filter((d) => d.actionable);
  const recent = [...(assessments.data?.items ?? [])].reverse().slice(0, 8);

  return (
    <Paper withBorder p="md" data-testid="measurement">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Measurement</Title>
        <Group gap="xs">
          <PortalLinkPanel patientId={patientId} />
          {clinician && <Button onClick={() => setEntering(true)}>Record instrument</Button>}
        </Group>
      </Group>
      <Stack>
        {clinician && <AlertInbox patientId={patientId} emptyText="" />}
        {open.length > 0 && (
          <Group gap="xs">
            <Text size="sm" fw={600}>
              Due:
            </Text>
            {open.map((d) => (
              <Badge
                key={`${d.ruleId}-${d.dueAt}`}
                color={d.status === 'overdue' ? 'red' : 'teal'}
                variant={d.status === 'overdue' ? 'filled' : 'light'}
              >
                {d.instruments.map((i) => INSTRUMENT_SHORT[i.instrument]).join(' or ')} ·{' '}
                {CONTEXT_LABELS[d.context]}
                {d.status === 'overdue' ? ' · overdue' : ''}
              </Badge>
            ))}
          </Group>
        )}
        {readsScores && <TrajectoryChart patientId={patientId} />}
        {recent.length > 0 && (
          <Table.ScrollContainer minWidth={600}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Instrument</Table.Th>
                  <Table.Th>Context</Table.Th>
                  <Table.Th>Score</Table.Th>
                  <Table.Th>By</Table.Th>
                  {clinician && <Table.Th />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {recent.map((a) => (
                  <Table.Tr key={a.id}>
                    <Table.Td>{dates.dateTime(a.administeredAt)}</Table.Td>
                    <Table.Td>
                      {INSTRUMENT_SHORT[a.instrument]}
                      {a.version > 1 && (
                        <Badge size="xs" ml={6} variant="outline" title={a.correctionReason ?? ''}>
                          corrected v{a.version}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{CONTEXT_LABELS[a.context]}</Table.Td>
                    <Table.Td>
                      {a.partialItemIds
                        ? `item ${a.partialItemIds.join(', ')} = ${a.items.map((i) => i.value).join(', ')}`
                        : (a.totalScore ?? '—')}{' '}
                      {a.severity ? `(${a.severity})` : ''}
                      {a.cssrsRisk ? `risk ${a.cssrsRisk}` : ''}
                      {a.suicidality && (
                        <Badge size="xs" color="red" ml={6}>
                          suicidality
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {a.portalLinkId
                        ? 'Entered by the patient (portal)'
                        : a.respondent === 'patient'
                          ? `Entered by ${a.enteredByName ?? 'staff'} for the patient`
                          : `Clinician rating by ${a.enteredByName ?? 'staff'}`}
                    </Table.Td>
                    {clinician && (
                      <Table.Td>
                        <Button size="compact-xs" variant="subtle" onClick={() => setCorrecting(a)}>
                          Correct this entry
                        </Button>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
      {clinician && (
        <InstrumentForm patientId={patientId} opened={entering} onClose={() => setEntering(false)} />
      )}
      {clinician && correcting && (
        <InstrumentForm
          key={correcting.id}
          patientId={patientId}
          opened
          correcting={correcting}
          onClose={() => setCorrecting(null)}
        />
      )}
    </Paper>
  );
}
