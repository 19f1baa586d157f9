import { Badge, Table, Text } from '@mantine/core';
import type { MechanismResult } from './types';

/** Status tags: measured/verified values in green, secondary in blue, assumed/illustrative in orange. */
const STATUS_COLOR: Record<string, string> = {
  V: 'green',
  'V abstract': 'green',
  C: 'teal',
  S: 'blue',
  U: 'red',
  illustrative: 'orange',
  assumption: 'yellow',
  'user-set': 'gray',
};

export const STATUS_MEANING: Record<string, string> = {
  V: 'verified against the primary source',
  'V abstract': 'verified against the abstract',
  C: 'computed from verified values',
  S: 'secondary source',
  U: 'unverified',
  illustrative: 'chosen to reproduce a qualitative finding; not fitted to data',
  assumption: 'modelling choice without a source',
  'user-set': 'set by the user',
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge
      variant="light"
      color={STATUS_COLOR[status] ?? 'gray'}
      size="sm"
      tt="none"
      title={STATUS_MEANING[status]}
      style={{ overflow: 'visible' }}
      styles={{ label: { overflow: 'visible' } }}
    >
      {status}
    </Badge>
  );
}

const fmtValue = (v: number) =>
  Math.abs(v) >= 1000 || Math.abs(v) < 0.01 ? v.toPrecision(3) : String(Number(v.toPrecision(4)));

/** Every mechanism parameter with value, unit, status and source. */
export function MechanismParameterTable({ parameters }: { parameters: MechanismResult['parameters'] }) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped verticalSpacing={4} fz="xs" aria-label="Mechanism parameters">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Parameter</Table.Th>
            <Table.Th>Value</Table.Th>
            <Table.Th>Unit</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Source</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {parameters.map((p) => (
            <Table.Tr key={p.id}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{p.id}</Table.Td>
              <Table.Td>{fmtValue(p.value)}</Table.Td>
              <Table.Td>{p.unit}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <StatusBadge status={p.status} />
              </Table.Td>
              <Table.Td>
                <Text size="xs">{p.source}</Text>
                {p.note && (
                  <Text size="xs" c="dimmed">
                    {p.note}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The PK model's parameters (the first link of the chain). */
export function PkParameterTable({ pk }: { pk: MechanismResult['pk'] }) {
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table striped verticalSpacing={4} fz="xs" aria-label="PK model parameters">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Parameter</Table.Th>
            <Table.Th>Value</Table.Th>
            <Table.Th>Unit</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Source</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {pk.parameters.map((p) => (
            <Table.Tr key={p.name}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{p.name}</Table.Td>
              <Table.Td>{fmtValue(p.value)}</Table.Td>
              <Table.Td>{p.unit}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <StatusBadge status={p.status} />
              </Table.Td>
              <Table.Td>
                <Text size="xs">{p.source}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
