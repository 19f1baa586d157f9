import { Alert, Button, Grid, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { useClinicDates } from '../../dates';
import { mechanismHref } from '../mechanism/url';
import { ConcentrationChart, type ModelCurve } from './ConcentrationChart';
import { MetricsTable, ModelNotes, ObservationComparison } from './MetricsTable';
import { findObservation, type Snapshot } from './planner';
import { PumpProgram } from './PumpProgram';
import type { PlanResult } from './types';

export const messageOf = (err: unknown) =>
  err instanceof ApiError ? err.message : 'Could not reach the server.';

export function ModelErrors({ errors }: { errors: string[] }) {
  if (errors.length === 0) return null;
  return (
    <Alert color="red" title="Some models could not be computed" className="pk-no-print">
      <Stack gap={2}>
        {errors.map((m) => (
          <Text key={m} size="sm">
            {m}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}

/** The predicted curves with their metrics, the matching published observation and the model notes. */
export function PlannerCurves({ curves, snapshot }: { curves: ModelCurve[]; snapshot: Snapshot }) {
  const { observation, observationSource, drug } = findObservation(curves, snapshot.doses);
  // A published ketamine mean is compared with ketamine models only (not esketamine).
  const comparable = curves.filter((c) => c.model.drug === drug);
  return (
    <>
      <Paper withBorder p="md" className="pk-no-print">
        <Title order={4} mb="sm">
          Predicted plasma concentration
        </Title>
        <ConcentrationChart curves={curves} observations={observation ? [observation] : []} />
        <MetricsTable curves={curves} thresholdNgPerMl={snapshot.thresholdNgPerMl} />
        <Group justify="space-between" mt={4} align="flex-start">
          <Text size="xs" c="dimmed">
            Metrics for the parent drug; Cmax, Tmax and threshold crossings on a{' '}
            {curves[0]!.result.metricsResolutionMin} min grid. Dosing weight{' '}
            {curves[0]!.result.dosingWeightKg.toFixed(1)} kg.
          </Text>
          <Button
            component={Link}
            variant="light"
            size="xs"
            to={mechanismHref({
              model: snapshot.models[0]!,
              doses: snapshot.doses,
              weightBasis: snapshot.weightBasis,
              ...('patientId' in snapshot.size ? { patientId: snapshot.size.patientId } : snapshot.size),
            })}
          >
            How this dose acts: mechanism view
          </Button>
        </Group>
      </Paper>
      <Grid className="pk-no-print">
        {observation && observationSource && (
          <Grid.Col span={{ base: 12, md: 5 }}>
            <ObservationComparison observation={observation} source={observationSource} curves={comparable} />
          </Grid.Col>
        )}
        <Grid.Col span={{ base: 12, md: observation ? 7 : 12 }}>
          <Paper withBorder p="md">
            <Title order={5} mb="xs">
              About these models
            </Title>
            <ModelNotes curves={curves} />
          </Paper>
        </Grid.Col>
      </Grid>
    </>
  );
}

/** The pump program, the only part printed (with patient, date and signature lines). */
export function PumpProgramCard(props: {
  snapshot: Snapshot;
  pumpDose: string | undefined;
  plan: { data: PlanResult | undefined; error: unknown; isFetching: boolean };
}) {
  const dates = useClinicDates();
  const { snapshot, pumpDose, plan } = props;
  return (
    <Paper withBorder p="md" className="pk-print-area">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Pump program</Title>
        {plan.data && (
          <Button variant="default" size="xs" onClick={() => window.print()} className="pk-no-print">
            Print
          </Button>
        )}
      </Group>
      <div className="pk-print-only">
        <Text size="sm">
          {snapshot.patientLabel
            ? `Patient: ${snapshot.patientLabel}`
            : 'Patient: not selected (weight entered manually)'}
        </Text>
        <Text size="sm">Printed {dates.dateTime(new Date().toISOString())}</Text>
      </div>
      {!pumpDose && <Text c="dimmed">The pump program needs an infusion dose (“… over … min”).</Text>}
      {plan.isFetching && <Loader size="sm" />}
      {plan.error != null && (
        <Alert color="red" title="Not planned" data-testid="plan-error">
          {messageOf(plan.error)}
        </Alert>
      )}
      {plan.data && <PumpProgram plan={plan.data} />}
      <div className="pk-print-only" style={{ marginTop: 24 }}>
        <Text size="sm">Prepared by ____________________ Checked by ____________________</Text>
      </div>
    </Paper>
  );
}
