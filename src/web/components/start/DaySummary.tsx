/** One line of counts across the top of the start page: what the day holds at a glance. */
import { Paper, SimpleGrid, Text } from '@mantine/core';
import type { DayBoard } from './types';

function Tile({ label, value, alarm }: { label: string; value: number; alarm?: boolean }) {
  return (
    <Paper withBorder p="sm" data-testid={`tile-${label}`}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="xl" fw={700} c={alarm && value > 0 ? 'red' : undefined}>
        {value}
      </Text>
    </Paper>
  );
}

export function DaySummary({ board }: { board: DayBoard }) {
  const sessions = board.rooms.reduce((n, r) => n + r.sessions.length, 0);
  const tiles = [
    { label: 'Sessions today', value: sessions },
    board.recovery && { label: 'In recovery', value: board.recovery.length },
    board.vitalsOverdue && { label: 'Vitals overdue', value: board.vitalsOverdue.length, alarm: true },
    board.remsDue && { label: 'REMS forms due', value: board.remsDue.total },
    board.alerts && { label: 'New alerts', value: board.alerts.totalAlerts, alarm: true },
  ].filter((t): t is { label: string; value: number; alarm?: boolean } => Boolean(t));
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: tiles.length }} spacing="sm">
      {tiles.map((t) => (
        <Tile key={t.label} {...t} />
      ))}
    </SimpleGrid>
  );
}
