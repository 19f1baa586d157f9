import { Button, Group, Table, Text } from '@mantine/core';
import { downloadText, toCsvText } from './download';
import type { OutcomeSummary, Proportion } from './types';

const pct = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined ? '—' : `${(x * 100).toFixed(digits)} %`;

interface Row {
  measure: string;
  p:
    | Proportion
    | {
        proportion: number | null;
        lower: number | null;
        upper: number | null;
        successes?: number;
        total?: number;
      };
  denominator: string;
  benchmark?: { label: string; value: number; source: string };
}

export function rateRows(s: OutcomeSummary): Row[] {
  const b = s.benchmarks;
  return [
    {
      measure: 'Response at end of induction (PHQ-9 ≥50 % fall)',
      p: s.response,
      denominator: 'evaluable courses',
      benchmark: b.response,
    },
    {
      measure: 'Remission at end of induction (PHQ-9 < 5)',
      p: s.remission,
      denominator: 'evaluable courses',
      benchmark: b.remission,
    },
    {
      measure: 'Rapid response +4 h after the first session',
      p: s.rapidResponse4h,
      denominator: 'courses with a +4 h score',
    },
    {
      measure: 'Rapid response +24 h after the first session',
      p: s.rapidResponse24h,
      denominator: 'courses with a +24 h score',
    },
    {
      measure: 'Suicidal ideation decreased (item 9, baseline ≥ 1)',
      p: s.suicidalityDecreased,
      denominator: 'courses with baseline SI',
      benchmark: b.suicidalityDecreased,
    },
    {
      measure: 'Suicidal ideation increased (item 9)',
      p: s.suicidalityIncreased,
      denominator: 'courses with item 9 at both ends',
      benchmark: b.suicidalityIncreased,
    },
    {
      measure: 'Still responding at 4 weeks (Kaplan–Meier)',
      p: {
        proportion: s.durability.n ? s.durability.at28Days.survival : null,
        lower: s.durability.at28Days.lower,
        upper: s.durability.at28Days.upper,
      },
      denominator: `responders (n = ${s.durability.n})`,
      benchmark: b.durability4w,
    },
    {
      measure: 'Still responding at 8 weeks (Kaplan–Meier)',
      p: {
        proportion: s.durability.n ? s.durability.at56Days.survival : null,
        lower: s.durability.at56Days.lower,
        upper: s.durability.at56Days.upper,
      },
      denominator: `responders (n = ${s.durability.n})`,
      benchmark: b.durability8w,
    },
    { measure: 'Sessions with an adverse event', p: s.sessions.adverseEvents, denominator: 'dosed sessions' },
    {
      measure: 'Sessions with a serious adverse event',
      p: s.sessions.seriousAdverseEvents,
      denominator: 'dosed sessions',
    },
    {
      measure: 'Sessions with a hypertension alert (BP above hold threshold)',
      p: s.sessions.hypertensionAlerts,
      denominator: 'dosed sessions',
      benchmark: b.severeHypertensionPerInfusion,
    },
  ];
}

function count(p: Row['p']): string {
  return 'total' in p && p.total !== undefined ? `${p.successes} / ${p.total}` : '';
}

export function RatesTable({ summary }: { summary: OutcomeSummary }) {
  const rows = rateRows(summary);
  const csv = () =>
    toCsvText(
      [
        'measure',
        'clinic_proportion',
        'ci95_lower',
        'ci95_upper',
        'successes',
        'total',
        'denominator',
        'published_percent',
        'published_source',
      ],
      rows.map((r) => [
        r.measure,
        r.p.proportion,
        r.p.lower,
        r.p.upper,
        'successes' in r.p ? r.p.successes : null,
        'total' in r.p ? r.p.total : null,
        r.denominator,
        r.benchmark?.value ?? null,
        r.benchmark?.source ?? null,
      ]),
    );
  return (
    <>
      <Table.ScrollContainer minWidth={760}>
        <Table aria-label="Outcome and safety rates" striped verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Measure</Table.Th>
              <Table.Th ta="right">Clinic</Table.Th>
              <Table.Th ta="right">95 % CI</Table.Th>
              <Table.Th ta="right" style={{ whiteSpace: 'nowrap' }}>
                n / N
              </Table.Th>
              <Table.Th>Published figure</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.measure}>
                <Table.Td>
                  {r.measure}
                  <Text size="xs" c="dimmed">
                    of {r.denominator}
                  </Text>
                </Table.Td>
                <Table.Td ta="right" fw={600} style={{ whiteSpace: 'nowrap' }}>
                  {pct(r.p.proportion)}
                </Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                  {r.p.lower === null ? '—' : `${pct(r.p.lower)} – ${pct(r.p.upper)}`}
                </Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                  {count(r.p)}
                </Table.Td>
                <Table.Td>
                  {r.benchmark ? (
                    <>
                      {r.benchmark.value} %
                      <Text size="xs" c="dimmed">
                        {r.benchmark.label}
                      </Text>
                    </>
                  ) : (
                    <Text size="xs" c="dimmed">
                      —
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Group justify="flex-end" className="no-print">
        <Button variant="light" size="xs" onClick={() => downloadText('rein-outcome-rates.csv', csv())}>
          Download rates (CSV)
        </Button>
      </Group>
    </>
  );
}
