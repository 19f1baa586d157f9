import { Anchor, Badge, Collapse, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { Citations, type CitationLike } from './Citations';

export interface FlagLike {
  id: string;
  severity: 'info' | 'caution' | 'warning';
  message: string;
  citations: readonly CitationLike[];
}

/**
 * Interaction flags from the medication list. Their citations are folded away until asked for:
 * on the session screen they would otherwise push the day's work below the fold.
 */
export function InteractionFlags({ flags, notes }: { flags: readonly FlagLike[]; notes: readonly string[] }) {
  const [sourcesShown, setSourcesShown] = useState(false);
  const sourceCount = flags.reduce((n, f) => n + f.citations.length, 0);
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
          <Collapse in={sourcesShown}>
            <Citations citations={f.citations} />
          </Collapse>
        </Stack>
      ))}
      {sourceCount > 0 && (
        <Anchor
          component="button"
          type="button"
          size="xs"
          aria-expanded={sourcesShown}
          onClick={() => setSourcesShown((v) => !v)}
          style={{ alignSelf: 'flex-start' }}
        >
          {sourcesShown ? 'Hide sources' : `Show sources (${sourceCount})`}
        </Anchor>
      )}
      {notes.map((x) => (
        <Text key={x} size="xs" c="orange">
          {x}
        </Text>
      ))}
    </Stack>
  );
}
