import { Group, Text } from '@mantine/core';
import { plainWords } from '../../../server/schemas/messages';
import { EvidenceBadge } from '../EvidenceBadge';

export interface CitationLike {
  source: string;
  status: string;
  note?: string | undefined;
}

/** Evidence status badge: labelled in words, its sources on hover, focus or touch. */
export function StatusBadge({ status, citations }: { status: string; citations?: readonly CitationLike[] }) {
  return <EvidenceBadge status={status} {...(citations ? { sources: citations } : {})} />;
}

/** Each citation on one line: status, source, note. */
export function Citations({ citations }: { citations: readonly CitationLike[] }) {
  return (
    <>
      {citations.map((c, i) => (
        <Group key={i} gap={6} wrap="nowrap" align="flex-start">
          <EvidenceBadge status={c.status} source={c.source} />
          <Text size="xs" c="dimmed">
            {plainWords(c.source)}
            {c.note ? ` — ${plainWords(c.note)}` : ''}
          </Text>
        </Group>
      ))}
    </>
  );
}
