import { Alert, Badge, Group, List, Paper, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { LineChart } from '@mantine/charts';
import { useClinicDates } from '../../dates';
import { EVIDENCE_LABEL, fmtMg, type TaperSchedule, type TaperStepView } from './types';
import { EvidenceBadge } from '../EvidenceBadge';

function infusionsDuring(schedule: TaperSchedule, i: number): string[] {
  const from = schedule.steps[i]!.date;
  const next = schedule.steps[i + 1]?.date;
  return schedule.infusionDates.filter((d) => d >= from && (next === undefined || d < next));
}

function StepFlags({ schedule, step, i }: { schedule: TaperSchedule; step: TaperStepView; i: number }) {
  const dates = useClinicDates();
  const flags: React.ReactNode[] = [];
  if (!step.deliverable) {
    flags.push(
      <Tooltip
        key="nd"
        label={step.problems.join('; ') || 'no listed form delivers this dose'}
        multiline
        w={320}
      >
        <Badge color="red" variant="filled" size="sm">
          Not deliverable
        </Badge>
      </Tooltip>,
    );
  }
  if (step.preparation) {
    flags.push(
      <Tooltip key="cmp" label={`${step.preparation.text} (${step.preparation.citation})`} multiline w={380}>
        <Badge color="grape" variant="light" size="sm">
          Compounded
        </Badge>
      </Tooltip>,
    );
  }
  if (step.formSwitch) {
    flags.push(
      <Tooltip
        key="sw"
        label={`${step.formSwitch.equivalence} (${step.formSwitch.citation}; ${EVIDENCE_LABEL[step.formSwitch.status] ?? step.formSwitch.status})`}
        multiline
        w={380}
      >
        <Badge color="violet" variant="filled" size="sm">
          Form switch {step.formSwitch.from} → {step.formSwitch.to}
        </Badge>
      </Tooltip>,
    );
  }
  if (step.formStatuses.includes('U')) {
    flags.push(
      <Tooltip key="u" label="A product used here has a strength not yet verified in the reference">
        <Badge color="yellow" variant="light" size="sm">
          Unverified form
        </Badge>
      </Tooltip>,
    );
  }
  if (step.shiftedFromDate) {
    flags.push(
      <Tooltip key="sh" label={step.shiftReason ?? ''} multiline w={320}>
        <Badge color="blue" variant="light" size="sm">
          Moved from {dates.date(step.shiftedFromDate)}
        </Badge>
      </Tooltip>,
    );
  }
  if (step.limitedBy) {
    const cap = step.limitedBy.includes('cut');
    flags.push(
      <Tooltip key="lim" label={`This step was limited by rule ${step.limitedBy}`}>
        <Badge color="gray" variant="outline" size="sm">
          {cap ? `capped at ${schedule.maxCutPct} % cut` : `limited: ${step.limitedBy}`}
        </Badge>
      </Tooltip>,
    );
  }
  for (const d of infusionsDuring(schedule, i)) {
    const flag = schedule.infusionFlags.find((f) => f.date === d);
    flags.push(
      flag ? (
        <Tooltip key={`inf-${d}`} label={flag.citation} multiline w={360}>
          <Badge color="orange" variant="filled" size="sm">
            Infusion {dates.date(d)}: benzodiazepine {fmtMg(flag.lowMgPerDayDe)}
            {flag.highMgPerDayDe !== flag.lowMgPerDayDe ? `–${fmtMg(flag.highMgPerDayDe)}` : ''} mg/day DE{' '}
            {flag.level === 'above' ? '>' : 'possibly >'} {flag.thresholdMgPerDay}
          </Badge>
        </Tooltip>
      ) : (
        <Badge key={`inf-${d}`} color="teal" variant="light" size="sm">
          Infusion {dates.date(d)}
        </Badge>
      ),
    );
  }
  return flags.length > 0 ? (
    <Group gap={4} mt={4}>
      {flags}
    </Group>
  ) : null;
}

/** The schedule of one plan version: a dose chart and the step table with its flags. */
export function TaperTimeline({ schedule }: { schedule: TaperSchedule }) {
  const dates = useClinicDates();
  const model = schedule.model;
  const chart = schedule.steps.map((s) => ({
    date: dates.date(s.date),
    dose: s.doseMg ?? s.targetDoseMg,
  }));
  const admin = [...new Set(schedule.steps.flatMap((s) => (s.administration ? [s.administration] : [])))];
  const ended = schedule.status === 'ends-before-zero';
  return (
    <Stack>
      <Alert
        color={ended ? 'red' : 'teal'}
        variant="light"
        data-testid="taper-duration"
        title={`Total duration: ${schedule.durationText}`}
      >
        <Text size="sm">
          {ended
            ? `The plan ends before zero on ${dates.date(schedule.endDate)}: ${schedule.endReason ?? ''}`
            : `${schedule.steps.length - 2} reduction(s), then stop on ${dates.date(schedule.endDate)}.`}{' '}
          Doses a day: {schedule.dosesPerDay} — {schedule.dosesPerDaySource.text}{' '}
          <EvidenceBadge
            status={schedule.dosesPerDaySource.status}
            source={schedule.dosesPerDaySource.text}
          />
          .{schedule.finalDoseSource ? ` Final dose before stopping: ${schedule.finalDoseSource.text}.` : ''}
          {schedule.compoundedSteps > 0
            ? ` ${schedule.compoundedSteps} step(s) need a compounded preparation.`
            : ''}
        </Text>
      </Alert>
      <Group gap="xs">
        <Text size="sm">
          {schedule.mode === 'occupancy'
            ? `Equal steps of ${schedule.stepPp} percentage points of SERT occupancy`
            : `Cuts of ${schedule.stepPct} % of the most recent dose`}
          , every {schedule.intervalDays} days, at most {schedule.maxCutPct} % per step.
        </Text>
        {model && (
          <Tooltip label={model.note} multiline w={380}>
            <Badge color={model.status === 'V' ? 'teal' : 'yellow'} variant="light">
              Model {model.id}: Emax {model.emaxPct} %, ED50 {model.ed50Mg} mg [{model.status}
              {model.status !== 'V' ? ' — unverified' : ''}]
            </Badge>
          </Tooltip>
        )}
        {schedule.undeliverableSteps > 0 && (
          <Badge color="red" variant="light">
            {schedule.undeliverableSteps} undeliverable step(s)
          </Badge>
        )}
      </Group>
      {schedule.warnings.length > 0 && (
        <Alert color="yellow" variant="light" title="Notes from the planner">
          <List size="sm">
            {schedule.warnings.map((w) => (
              <List.Item key={w}>{w}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {admin.map((a) => (
        <Text key={a} size="sm">
          <b>How to take it:</b> {a}
        </Text>
      ))}
      <LineChart
        h={200}
        data={chart}
        dataKey="date"
        series={[{ name: 'dose', label: 'Dose (mg a day)', color: 'teal.6' }]}
        curveType="stepAfter"
        withDots={false}
        aria-label="Dose over time"
      />
      <Table.ScrollContainer minWidth={760}>
        <Table aria-label="Taper steps" striped verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>From</Table.Th>
              <Table.Th ta="right">Dose (mg/day)</Table.Th>
              <Table.Th ta="right">Occupancy</Table.Th>
              <Table.Th>What to take · flags</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {schedule.steps.map((s, i) => (
              <Table.Tr key={s.index} data-testid="taper-step">
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {dates.date(s.date)}
                  <Text size="xs" c="dimmed">
                    day {s.day}
                  </Text>
                </Table.Td>
                <Table.Td ta="right" fw={500}>
                  {s.deliverable ? fmtMg(s.doseMg) : `(${fmtMg(s.targetDoseMg)})`}
                </Table.Td>
                <Table.Td ta="right">
                  {s.occupancyPct === null ? '—' : `${s.occupancyPct.toFixed(1)} %`}
                </Table.Td>
                <Table.Td>
                  {s.take && s.kind !== 'stop' ? (
                    <Text size="sm" fw={500} data-testid="taper-take">
                      Take {s.take.text}
                    </Text>
                  ) : null}
                  <Text
                    size={s.take ? 'xs' : 'sm'}
                    c={s.deliverable ? (s.take ? 'dimmed' : undefined) : 'red.8'}
                  >
                    {s.how}
                  </Text>
                  <StepFlags schedule={schedule} step={s} i={i} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Paper withBorder p="sm" bg="gray.0">
        <Title order={6} mb={4}>
          Rules applied
        </Title>
        <List size="xs" spacing={2}>
          {schedule.rules.map((r) => (
            <List.Item key={r.id}>
              {r.text}{' '}
              <Text span size="xs" c="dimmed">
                ({r.citation}; {EVIDENCE_LABEL[r.status] ?? r.status})
              </Text>
            </List.Item>
          ))}
        </List>
      </Paper>
    </Stack>
  );
}
