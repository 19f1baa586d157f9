import { Anchor, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { type ClinicDates, useClinicDates } from '../../dates';
import { clock, type Course } from '../sessions/types';
import { BookingActions } from './BookingActions';
import { SessionStatusBadge } from './SessionStatusBadge';

type Session = Course['sessions'][number];

function doseText(d: Session): string {
  if (d.dose.kind === 'weight-based')
    return `${d.dose.doseMgPerKg} mg/kg over ${d.dose.infusionDurationMin} min`;
  if (d.fixedDoseMg !== null) return `${d.fixedDoseMg} mg (fixed)`;
  return `${d.dose.doseMgOptions.join(' or ')} mg`;
}

/** The latest booking change in words: what was done and why. */
function lastChange(s: Session, dates: ClinicDates): string | null {
  const c = s.bookingChanges.at(-1);
  if (!c) return null;
  if (c.kind === 'reschedule')
    return `Moved from ${dates.date(c.from.date)} ${clock(c.from.startMin)}: ${c.reason}`;
  if (c.kind === 'no-show') return `Missed: ${c.reason}`;
  return c.scope === 'course' ? `Course cancelled: ${c.reason}` : `Cancelled: ${c.reason}`;
}

function ActualTimes({ s, timeZone }: { s: Session; timeZone: string | undefined }) {
  const dates = useClinicDates();
  if (!s.startedAt)
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  return (
    <Stack gap={0}>
      {/* On the clinic's 24-hour clock, like the booked times beside them. */}
      <Text size="sm">Started {dates.time(s.startedAt, timeZone)}</Text>
      {s.endedAt && <Text size="sm">Ended {dates.time(s.endedAt, timeZone)}</Text>}
      {s.startDriftWarn && s.startDriftMin !== null && (
        <Text size="xs" c="orange">
          {Math.abs(s.startDriftMin)} min {s.startDriftMin > 0 ? 'after' : 'before'} the booked time
        </Text>
      )}
    </Stack>
  );
}

/**
 * The course's sessions as booked and as they went: status, booked and actual times, and for a
 * session still booked (or missed) the changes the front desk may make.
 */
export function CourseSchedule({
  course,
  patientId,
  clinical,
  canChange,
  timeZone,
}: {
  course: Course;
  patientId: string;
  clinical: boolean;
  canChange: boolean;
  timeZone: string | undefined;
}) {
  const dates = useClinicDates();
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table aria-label="Sessions" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>Booked</Table.Th>
            <Table.Th>Phase and dose</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Actual times</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {course.sessions.map((s) => {
            const note = lastChange(s, dates);
            const id = s.id;
            return (
              <Table.Tr key={s.sequence} data-testid={`session-row-${s.sequence}`}>
                <Table.Td>{s.sequence}</Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                    {dates.weekdayDate(s.date)}
                    {s.shiftedDays > 0 && (
                      <Text span size="xs" c="orange">
                        {' '}
                        (+{s.shiftedDays} d)
                      </Text>
                    )}
                  </Text>
                  <Text size="sm">
                    {clock(s.startMin)}–{clock(s.endMin)} · {s.roomId}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{s.phaseLabel}</Text>
                  <Text size="sm" c="dimmed">
                    {doseText(s)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Stack gap={2} align="flex-start">
                    <SessionStatusBadge status={s.status} />
                    {note && (
                      <Text size="xs" c="dimmed" maw={220}>
                        {note}
                      </Text>
                    )}
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <ActualTimes s={s} timeZone={timeZone} />
                </Table.Td>
                <Table.Td>
                  <Stack gap={4} align="flex-start">
                    {clinical && id && s.status !== 'cancelled' && (
                      <Anchor component={Link} to={`/patients/${patientId}/sessions/${id}`} size="sm">
                        Open session
                      </Anchor>
                    )}
                    {canChange && id && (
                      <BookingActions patientId={patientId} session={{ ...s, id }} status={s.status} />
                    )}
                  </Stack>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
