import { Badge, Tooltip } from '@mantine/core';
import {
  EVIDENCE_STATUS_LABELS,
  EVIDENCE_STATUS_SHORT,
  type EvidenceStatus,
} from '../../clinical/vocabulary/evidence-statuses';
import { evidenceWords, plainWords } from '../../server/schemas/messages';

const COLOR: Record<EvidenceStatus, string> = {
  V: 'teal',
  S: 'blue',
  U: 'orange',
  C: 'gray',
  D: 'gray',
  clinic: 'gray',
};

export interface EvidenceSource {
  source: string;
  status?: string;
  note?: string | null | undefined;
}

/** The status in words, for text where a badge does not fit ("92 (unverified)"). */
export { evidenceWords };

/** "92 (unverified)": a cited value with its status in words, never a bare [U]. */
export function withEvidence(value: string | number, status: string): string {
  return `${value} (${evidenceWords(status)})`;
}

/**
 * A cited value's evidence status as a labelled badge ("Unverified"), with what it means and its
 * source on hover, keyboard focus or touch. Replaces the bare [V]/[S]/[U] codes on clinician pages.
 */
export function EvidenceBadge({
  status,
  source,
  sources,
  size = 'xs',
}: {
  status: string;
  source?: string | null | undefined;
  sources?: readonly EvidenceSource[];
  size?: 'xs' | 'sm';
}) {
  const known = status in EVIDENCE_STATUS_SHORT ? (status as EvidenceStatus) : null;
  const label = known ? EVIDENCE_STATUS_SHORT[known] : status;
  const lines = [
    known ? `${label}: ${EVIDENCE_STATUS_LABELS[known]}` : label,
    ...(source ? [plainWords(source)] : []),
    ...(sources ?? []).map(
      (c) =>
        `${c.status ? `${EVIDENCE_STATUS_SHORT[c.status as EvidenceStatus] ?? c.status}: ` : ''}${plainWords(c.source)}${c.note ? ` — ${plainWords(c.note)}` : ''}`,
    ),
  ];
  return (
    <Tooltip
      label={lines.join('\n')}
      multiline
      maw={420}
      style={{ whiteSpace: 'pre-line' }}
      events={{ hover: true, focus: true, touch: true }}
    >
      <Badge
        size={size}
        variant="light"
        color={known ? COLOR[known] : 'gray'}
        tabIndex={0}
        aria-label={`Evidence: ${label}. ${lines.slice(1).join(' ')}`.trim()}
        data-evidence={status}
      >
        {label}
      </Badge>
    </Tooltip>
  );
}
