import { Badge, Button, Group, Paper, Popover, Stack, Text, Timeline, Title } from '@mantine/core';
import type { MechanismResult } from './types';

type Step = MechanismResult['education'][number];

/** The evidence tags of the explanation, in words a patient or nurse can read. */
const STATUS_WORDS: Record<Step['status'], string> = {
  V: 'verified',
  'V abstract': 'verified (abstract)',
  S: 'secondary source',
  illustrative: 'illustration',
};

function SourceBadge({ step }: { step: Step }) {
  return (
    <Group gap={6} mt={4}>
      <Badge size="sm" variant="light" color={step.status === 'S' ? 'yellow' : 'teal'}>
        Evidence: {STATUS_WORDS[step.status]}
      </Badge>
      <Popover width={320} position="bottom-start" withArrow shadow="md">
        <Popover.Target>
          <Button variant="subtle" size="compact-xs">
            Source
          </Button>
        </Popover.Target>
        <Popover.Dropdown>
          <Text size="xs">{step.source}</Text>
        </Popover.Dropdown>
      </Popover>
    </Group>
  );
}

/** What ketamine does over minutes, hours, days and weeks, in plain words, for the regimen shown. */
export function PatientExplanation({ steps }: { steps: MechanismResult['education'] }) {
  return (
    <Paper withBorder p="md" aria-label="For patients" component="section">
      <Title order={4}>For patients: what ketamine does over hours and days</Title>
      <Text size="xs" c="dimmed" mb="sm">
        An educational model, not a prediction for you. Figures “in this model” come from the regimen above.
      </Text>
      <Timeline active={steps.length - 1} bulletSize={14} lineWidth={2}>
        {steps.map((s) => (
          <Timeline.Item key={s.id} title={s.when}>
            <Stack gap={2}>
              <Text size="sm">{s.text}</Text>
              {s.inThisModel && (
                <Text size="sm" fs="italic" c="dimmed">
                  {s.inThisModel}
                </Text>
              )}
              <SourceBadge step={s} />
            </Stack>
          </Timeline.Item>
        ))}
      </Timeline>
    </Paper>
  );
}
