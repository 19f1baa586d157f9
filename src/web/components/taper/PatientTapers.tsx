import { Anchor, Badge, Button, Group, Paper, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, call } from '../../api/client';
import { useAuth } from '../../auth';
import { useClinicDates } from '../../dates';
import { STATUS_COLOR } from './types';

/** The "Tapers" section of the patient page: the patient's taper plans and a link to plan one. */
export function PatientTapers({ patientId, showLink = true }: { patientId: string; showLink?: boolean }) {
  const dates = useClinicDates();
  const { can } = useAuth();
  const canPrescribe = can('tapers.prescribe');
  const tapers = useQuery({
    queryKey: ['patient', patientId, 'tapers'],
    queryFn: () => call(api.GET('/api/patients/{patientId}/tapers', { params: { path: { patientId } } })),
  });
  const items = tapers.data?.items ?? [];
  return (
    <Paper withBorder p="md" aria-label="Tapers" component="section">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Tapers</Title>
        {showLink && (
          <Button component={Link} to={`/patients/${patientId}/tapers`} size="xs" variant="light">
            {canPrescribe ? 'Plan a taper' : 'Open tapers'}
          </Button>
        )}
      </Group>
      {items.length === 0 ? (
        <Text c="dimmed">No medication tapers.</Text>
      ) : (
        <Table aria-label="Taper plans" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Medication</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>From</Table.Th>
              <Table.Th>Until</Table.Th>
              <Table.Th>Duration</Table.Th>
              <Table.Th>Version</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/patients/${patientId}/tapers/${t.id}`}>
                    {t.drug} {t.startDoseMg} mg
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={STATUS_COLOR[t.status]}>
                    {t.status}
                  </Badge>
                </Table.Td>
                <Table.Td>{dates.date(t.startDate)}</Table.Td>
                <Table.Td>
                  {dates.date(t.endDate)}
                  {t.planStatus === 'ends-before-zero' ? (
                    <Badge ml={4} color="red" variant="light" size="sm">
                      ends before zero
                    </Badge>
                  ) : null}
                </Table.Td>
                <Table.Td>{t.durationText}</Table.Td>
                <Table.Td>{t.currentVersion}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
