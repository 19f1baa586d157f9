import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { STATUS_TITLE } from './types';

export interface CitationLike {
  source: string;
  status: string;
  note?: string | undefined;
}

/** Evidence status badge: V verified, S secondary, U unverified, clinic policy. */
export function StatusBadge({ status, citations }: { status: string; citations?: readonly CitationLike[] }) {
  const color = status === 'V' ? 'teal' : status === 'S' ? 'blue' : status === 'clinic' ? 'gray' : 'orange';
  const label = [
    STATUS_TITLE[status] ?? status,
    ...(citations ?? []).map((c) => `[${c.status}] ${c.source}${c.note ? ` — ${c.note}` : ''}`),
  ].join('\n');
  return (
    <Tooltip label={label} multiline w={420} style={{ whiteSpace: 'pre-line' }}>
      <Badge size="xs" variant="light" color={color}>
        {status}
      </Badge>
    </Tooltip>
  );
}

/** Each citation on one line: status, source, note. */
export function Citations({ citations }: { citations: readonly CitationLike[] }) {
  return (
    <>
      {citations.map((c, i) => (
        <Group key={i} gap={6} wrap="nowrap" align="flex-start">
          <StatusBadge status={c.status} />
          <Text size="xs" c="dimmed">
            {c.source}
            {c.note ? ` — ${c.note}` : ''}
          </Text>
        </Group>
      ))}
    </>
  );
}
