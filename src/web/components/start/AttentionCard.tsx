/** The parts of the day that need someone now: late vitals, recovery, REMS forms and taper decisions due. */
import { Anchor, Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useClinicDates } from '../../dates';
import { sessionPath, type BoardSession, type DayBoard } from './types';

function Section({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <div role="region" aria-label={title} data-testid={testId}>
      <Text fw={600} size="sm" mb={4}>
        {title}
      </Text>
      <Stack gap={4}>{children}</Stack>
    </div>
  );
}

const None = ({ text }: { text: string }) => (
  <Text size="sm" c="dimmed">
    {text}
  </Text>
);

function SessionLine({ s, detail }: { s: BoardSession; detail: ReactNode }) {
  return (
    <Group justify="space-between" wrap="nowrap" gap="xs">
      <Anchor component={Link} to={sessionPath(s)} size="sm" fw={500}>
        {s.patientName} · {s.roomId}
      </Anchor>
      {detail}
    </Group>
  );
}

const minutes = (m: number) => `${Math.round(m)} min`;
const dose = (mg: number | null) => (mg === null ? 'no listed form' : `${mg} mg`);

export function AttentionCard({ board }: { board: DayBoard }) {
  const dates = useClinicDates();
  return (
    <Paper withBorder p="md" role="region" aria-label="Needs attention">
      <Title order={4} mb="xs">
        Needs attention
      </Title>
      <Stack gap="md">
        {board.vitalsOverdue && (
          <Section title="Vitals overdue" testId="board-vitals-overdue">
            {board.vitalsOverdue.length === 0 ? (
              <None text="No vitals overdue." />
            ) : (
              board.vitalsOverdue.map((s) => (
                <SessionLine
                  key={s.sessionId}
                  s={s}
                  detail={
                    <Badge color="red" variant="filled">
                      {minutes(s.status!.vitalsOverdueByMin!)} late
                    </Badge>
                  }
                />
              ))
            )}
          </Section>
        )}
        {board.recovery && (
          <Section title="In recovery" testId="board-recovery">
            {board.recovery.length === 0 ? (
              <None text="Nobody in recovery." />
            ) : (
              board.recovery.map((s) => (
                <SessionLine
                  key={s.sessionId}
                  s={s}
                  detail={
                    <Text size="xs" c="dimmed">
                      {s.status!.minutesSinceDosingStart !== null &&
                        `${minutes(s.status!.minutesSinceDosingStart)} since dosing`}
                      {s.status!.earliestDischargeMin !== null &&
                        ` · discharge from ${minutes(s.status!.earliestDischargeMin)}`}
                    </Text>
                  }
                />
              ))
            )}
          </Section>
        )}
        {board.remsDue && (
          <Section title="REMS forms due" testId="board-rems">
            {board.remsDue.total === 0 ? (
              <None text="No REMS forms due." />
            ) : (
              <>
                {board.remsDue.items.map((f) => (
                  <Group key={f.sessionId} justify="space-between" wrap="nowrap" gap="xs">
                    <Anchor component={Link} to={sessionPath(f)} size="sm" fw={500}>
                      {f.patientName}
                    </Anchor>
                    <Badge
                      color={f.daysLeft < 0 ? 'red' : f.daysLeft <= 1 ? 'yellow' : 'gray'}
                      variant="light"
                    >
                      {f.daysLeft < 0 ? `${-f.daysLeft} d late` : `due ${dates.date(f.dueDate)}`}
                    </Badge>
                  </Group>
                ))}
                {board.remsDue.total > board.remsDue.items.length && (
                  <Anchor component={Link} to="/rems" size="sm">
                    All {board.remsDue.total} forms due
                  </Anchor>
                )}
              </>
            )}
          </Section>
        )}
        {board.tapersDue && (
          <Section title="Tapers with a decision due" testId="board-tapers">
            {board.tapersDue.length === 0 ? (
              <None text="No taper decisions due." />
            ) : (
              board.tapersDue.map((t) => (
                <Group key={t.taperId} justify="space-between" wrap="nowrap" gap="xs">
                  <Anchor
                    component={Link}
                    to={`/patients/${t.patientId}/tapers/${t.taperId}`}
                    size="sm"
                    fw={500}
                  >
                    {t.patientName} · {t.drug} {dose(t.fromDoseMg)} → {dose(t.toDoseMg)}
                  </Anchor>
                  <Badge color={t.daysOverdue > 0 ? 'red' : 'yellow'} variant="light">
                    {t.daysOverdue > 0 ? `${t.daysOverdue} d waiting` : 'due today'}
                  </Badge>
                </Group>
              ))
            )}
          </Section>
        )}
      </Stack>
    </Paper>
  );
}
