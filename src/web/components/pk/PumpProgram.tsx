import { Group, Stack, Table, Text } from '@mantine/core';
import type { PlanResult } from './types';

const mg = (v: number) => `${v.toFixed(2)} mg`;
const ml = (v: number) => `${v.toFixed(2)} mL`;

/** The pump program as a table a nurse can check line by line (and print). */
export function PumpProgram({ plan }: { plan: PlanResult }) {
  const rows: Array<[string, string]> = [
    ['Dose', plan.dose],
    [
      'Dose (mg)',
      `${mg(plan.doseMg)} = ${plan.doseMgPerKgActual.toFixed(3)} mg/kg actual weight (${plan.actualWeightKg} kg)` +
        (plan.weightBasis === 'actual'
          ? ''
          : `; ${plan.doseMgPerKgDosingWeight.toFixed(3)} mg/kg ${plan.weightBasis} weight (${plan.dosingWeightKg.toFixed(1)} kg)`),
    ],
    ['Vial concentration', `${plan.vialMgPerMl} mg/mL`],
    ['Drug volume to draw up', ml(plan.drugVolumeMl)],
    ['Bag / syringe diluent', `${plan.bagMl} mL`],
    ['Total volume', ml(plan.totalVolumeMl)],
    ['Final concentration', `${plan.finalConcentrationMgPerMl.toFixed(4)} mg/mL`],
    ['Duration', `${plan.durationMin} min${plan.startMin > 0 ? ` (starting at ${plan.startMin} min)` : ''}`],
    ['Exact rate', `${plan.exactRateMlPerH.toFixed(3)} mL/h`],
    ['Volume to be infused (VTBI)', ml(plan.vtbiMl)],
    ['Run time at the pump rate', `${plan.durationAtRoundedRateMin.toFixed(1)} min`],
    [
      'Dose error at the pump rate',
      `${plan.doseErrorMg >= 0 ? '+' : ''}${plan.doseErrorMg.toFixed(3)} mg (${plan.doseErrorPercent >= 0 ? '+' : ''}${plan.doseErrorPercent.toFixed(2)}%) if stopped at ${plan.durationMin} min`,
    ],
    ['Session maximum', `${plan.maxMgPerKgPerSession} mg/kg`],
  ];
  return (
    <Stack gap="sm" data-testid="pump-program">
      <Group gap="xs" align="baseline">
        <Text size="sm" c="dimmed">
          Pump rate
        </Text>
        <Text fz={32} fw={700} data-testid="pump-rate">
          {plan.rateMlPerH.toFixed(1)} mL/h
        </Text>
        <Text size="sm" c="dimmed">
          (resolution {plan.pumpResolutionMlPerH} mL/h)
        </Text>
      </Group>
      <Table withRowBorders verticalSpacing={4} variant="vertical" aria-label="Pump program">
        <Table.Tbody>
          {rows.map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Th w={230}>{k}</Table.Th>
              <Table.Td>{v}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed">
        Assumptions: {plan.assumptions.join('; ')}.
      </Text>
    </Stack>
  );
}
