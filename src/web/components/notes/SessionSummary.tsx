import { Table, Text } from '@mantine/core';
import type { NoteData } from './types';

type Summary = NonNullable<NoteData['fields']['session']>;

const n = (v: number | null, unit: string) => (v === null ? '—' : `${v} ${unit}`);
const range = (lo: number | null, hi: number | null, unit: string) =>
  lo === null && hi === null ? '—' : `${lo ?? '—'}–${hi ?? '—'} ${unit}`;

/** The session as the note documents it, taken from the session's record (never typed here). */
export function SessionSummary({ summary }: { summary: Summary }) {
  const v = summary.vitals;
  const rows: [string, string][] = [
    [
      'Dose',
      summary.modality === 'esketamine'
        ? `${n(summary.doseMg, 'mg')}${summary.devicesGiven !== null ? ` · ${summary.devicesGiven} devices given` : ''}`
        : `${n(summary.doseMg, 'mg')}${summary.doseMgPerKg !== null ? ` (${summary.doseMgPerKg} mg/kg at ${n(summary.weightKg, 'kg')})` : ''}`,
    ],
    ['Amount given', n(summary.amountGivenMg, 'mg')],
    ['Lot', summary.lotNumber ?? '—'],
    [
      'Pauses',
      summary.pauses.count === 0 ? 'none' : `${summary.pauses.count} (${summary.pauses.totalMin} min in all)`,
    ],
    ['Stopped early', summary.stoppedAtMin === null ? 'no' : `at ${summary.stoppedAtMin} min`],
    [
      'Vitals',
      v.readings === 0
        ? 'none recorded'
        : `${v.readings} readings · highest BP ${v.maxSbpMmHg ?? '—'}/${v.maxDbpMmHg ?? '—'} mmHg · heart rate ${range(v.minHeartRateBpm, v.maxHeartRateBpm, 'bpm')} · lowest SpO₂ ${n(v.minSpo2Pct, '%')}`,
    ],
    ['Lowest MOAA/S', summary.lowestMoaas === null ? '—' : String(summary.lowestMoaas)],
    ['Highest CADSS-6', summary.highestCadss6 === null ? '—' : String(summary.highestCadss6)],
    [
      'Adverse events',
      summary.adverseEvents.length === 0
        ? 'none'
        : summary.adverseEvents
            .map((a) => `${a.category} (${a.severity}${a.serious ? ', serious' : ''}) at ${a.timeMin} min`)
            .join('; '),
    ],
    [
      'Discharge',
      summary.discharge === null
        ? 'not yet'
        : `at ${summary.discharge.atMin} min, ${summary.discharge.criteriaMet ? 'criteria met' : 'criteria not met'}`,
    ],
  ];
  return (
    <>
      <Text size="sm" fw={500}>
        From the session record
      </Text>
      <Table variant="vertical" withRowBorders={false} aria-label="Session summary" fz="sm">
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w={160}>{label}</Table.Th>
              <Table.Td>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}
