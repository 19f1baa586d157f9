import { Badge, Group, Stack, Text } from '@mantine/core';
import { Citations, type CitationLike } from './Citations';

export interface FlagLike {
  id: string;
  severity: 'info' | 'caution' | 'warning';
  message: string;
  citations: readonly CitationLike[];
}

/** Interaction flags from the medication list, each with its citations. */
export function InteractionFlags({ flags, notes }: { flags: readonly FlagLike[]; notes: readonly string[] }) {
  if (flags.length === 0 && notes.length === 0) return null;
  return (
    <Stack gap={4} data-testid="interaction-flags">
      <Text fw={600} size="sm">
        Interaction flags from the medication list
      </Text>
      {flags.map((f) => (
        <Stack key={f.id} gap={2}>
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Badge
              size="sm"
              style={{ flexShrink: 0 }}
              color={f.severity === 'warning' ? 'red' : f.severity === 'caution' ? 'yellow' : 'gray'}
            >
              {f.severity}
            </Badge>
            <Text size="sm">{f.message}</Text>
          </Group>
          <Citations citations={f.citations} />
        </Stack>
      ))}
      {notes.map((x) => (
        <Text key={x} size="xs" c="orange">
          {x}
        </Text>
      ))}
    </Stack>
  );
}
