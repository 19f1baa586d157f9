/** Today's sessions by room: time, patient, session, and (for clinicians) how far each has come. */
import { Anchor, Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { clock } from '../sessions/types';
import { phaseText, sessionPath, type DayBoard } from './types';
import { modalityLabel } from '../../../clinical/vocabulary/modalities';

export function DayScheduleCard({ board }: { board: DayBoard }) {
  const count = board.rooms.reduce((n, r) => n + r.sessions.length, 0);
  return (
    <Paper withBorder p="md" role="region" aria-label="Today's sessions">
      <Group justify="space-between" mb="xs">
        <Title order={4}>Today&apos;s sessions</Title>
        <Anchor component={Link} to="/calendar" size="sm">
          Week calendar
        </Anchor>
      </Group>
      {count === 0 ? (
        <Text c="dimmed" size="sm">
          No sessions scheduled today.
        </Text>
      ) : (
        <Stack gap="md">
          {board.rooms.map((room) => (
            <div key={room.roomId}>
              <Text fw={600} size="sm" mb={4}>
                {room.roomId} · {room.sessions.length} {room.sessions.length === 1 ? 'session' : 'sessions'}
              </Text>
              <Table striped verticalSpacing={4} aria-label={`Room ${room.roomId}`}>
                <Table.Tbody>
                  {room.sessions.map((s) => {
                    const phase = phaseText(s);
                    return (
                      <Table.Tr key={s.sessionId} data-testid="board-session">
                        <Table.Td w={120}>
                          <Text size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                            {clock(s.startMin)}–{clock(s.endMin)}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Anchor component={Link} to={`/patients/${s.patientId}`} size="sm" fw={500}>
                            {s.patientName}
                          </Anchor>
                          <Text size="xs" c="dimmed">
                            MRN {s.mrn}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Group gap={6}>
                            <Badge
                              size="xs"
                              variant="light"
                              color={s.modality === 'esketamine' ? 'grape' : 'teal'}
                            >
                              {modalityLabel(s.modality)}
                            </Badge>
                            <Anchor component={Link} to={sessionPath(s)} size="sm">
                              Session {s.sequence}
                            </Anchor>
                          </Group>
                        </Table.Td>
                        {phase && (
                          <Table.Td ta="right">
                            <Group gap={4} justify="flex-end">
                              <Badge color={phase.color} variant="light" data-testid="board-phase">
                                {phase.label}
                              </Badge>
                              {s.status!.vitalsOverdueByMin !== null && (
                                <Badge color="red" variant="filled">
                                  Vitals late
                                </Badge>
                              )}
                              {s.status!.openAlerts > 0 && (
                                <Badge color="red" variant="outline">
                                  {s.status!.openAlerts} alarm{s.status!.openAlerts === 1 ? '' : 's'}
                                </Badge>
                              )}
                            </Group>
                          </Table.Td>
                        )}
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </div>
          ))}
        </Stack>
      )}
    </Paper>
  );
}
