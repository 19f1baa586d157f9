import { Alert, Anchor, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { Link } from 'react-router';
import { api, call } from '../../api/client';
import { useAuth } from '../../auth';
import { dosePlanSubmitSchema } from '../../contracts';
import { useServerForm } from '../../useServerForm';
import { ESKETAMINE_DEVICE_INTERVAL_MIN, ESKETAMINE_DEVICE_MG } from '../../../clinical/vocabulary';
import { mechanismHref } from '../mechanism/url';
import { PumpProgram } from '../pk/PumpProgram';
import { RangeNumberInput } from '../RangeNumberInput';
import { dosePlanRequest, type DosePlanBody, type DosePlanValues } from './requests';
import { SessionCard } from './SessionCard';
import { useSessionSaved, type SessionParams } from './session-mutation';
import type { SessionState } from './types';

/** The mechanism view of the planned dose, as the server's session core states it. */
function mechanismLink(params: SessionParams, state: SessionState): string | null {
  const plan = state.dosePlan;
  if (!plan) return null;
  return mechanismHref({
    model: state.course.modality === 'esketamine' ? 'perez-ruixo-2021' : 'domino-1984',
    patientId: params.patientId,
    ...(plan.weightKg !== null ? { weightKg: plan.weightKg } : {}),
    doses: plan.regimen,
  });
}

export function DoseCard({ params, state }: { params: SessionParams; state: SessionState }) {
  const esk = state.course.modality === 'esketamine';
  const dose = state.session.dose;
  const { can } = useAuth();
  // Changing the course dose is prescribing: the server refuses it from anyone else.
  const canChangeDose = can('courses.prescribe');
  const saved = useSessionSaved(params);
  // Esketamine: the session's ordered dose (label day 1, or the course's last dose); another one
  // is prescribing, so only those who may prescribe are offered the phase's other doses.
  const ordered = state.session.fixedDoseMg ?? state.orderedDoseMg;
  const offered =
    dose.kind !== 'fixed-intranasal'
      ? []
      : state.session.fixedDoseMg !== null || (ordered !== null && !canChangeDose)
        ? [ordered!]
        : dose.doseMgOptions;
  const { form, onSubmit, pending, message } = useServerForm<DosePlanValues, DosePlanBody, SessionState>({
    initialValues: {
      doseMg: ordered !== null ? String(ordered) : null,
      doseMgPerKg: dose.kind === 'weight-based' ? dose.doseMgPerKg : '',
      lotNumber: '',
      diluent: '',
    },
    schema: dosePlanSubmitSchema,
    toRequest: (v) => dosePlanRequest(v, esk),
    send: (body) =>
      call(
        api.POST('/api/patients/{patientId}/sessions/{sessionId}/dose-plan', {
          params: { path: params },
          body,
        }),
      ),
    onSaved: saved,
  });
  const plan = state.dosePlan;
  const locked = state.dosingStartedAt !== null;
  const mech = mechanismLink(params, state);
  return (
    <SessionCard
      // Esketamine is given from nasal devices: there is no pump to program.
      title={esk ? 'Dose and devices' : 'Dose and pump program'}
      label="Dose"
      right={
        mech && (
          <Anchor component={Link} to={mech} size="sm">
            Open in mechanism view
          </Anchor>
        )
      }
    >
      <Stack gap="sm">
        {!locked && (
          <form onSubmit={onSubmit} aria-label="Dose plan" noValidate>
            <Group align="flex-end">
              {esk && dose.kind === 'fixed-intranasal' && (
                <Select
                  label="Dose"
                  data={offered.map((d) => ({
                    value: String(d),
                    label: `${d} mg (${d / ESKETAMINE_DEVICE_MG} devices)`,
                  }))}
                  {...form.getInputProps('doseMg')}
                  w={200}
                />
              )}
              {!esk && canChangeDose && (
                <RangeNumberInput
                  label="Dose (mg/kg)"
                  description="Course dose; a prescriber may change it"
                  {...form.getInputProps('doseMgPerKg')}
                  min={0.05}
                  max={2}
                  step={0.05}
                  decimalScale={2}
                  w={200}
                />
              )}
              <TextInput label="Lot number" {...form.getInputProps('lotNumber')} w={180} />
              {!esk && (
                <TextInput
                  label="Diluent"
                  placeholder="e.g. 0.9% sodium chloride"
                  {...form.getInputProps('diluent')}
                  w={220}
                />
              )}
              <Button type="submit" loading={pending} disabled={!state.checklist}>
                {esk ? 'Record dose' : "Compute dose from today's weight"}
              </Button>
            </Group>
          </form>
        )}
        {message && <Alert color="red">{message}</Alert>}
        {plan && plan.pump && <PumpProgram plan={plan.pump} />}
        {plan && plan.pump && (
          <Group gap="sm">
            <Button
              component="a"
              variant="default"
              href={`/api/patients/${params.patientId}/sessions/${params.sessionId}/pump-program/pdf`}
              data-testid="print-pump-program"
            >
              Print pump program
            </Button>
            <Text size="sm" c="dimmed">
              Diluent: {plan.diluent ?? 'not recorded'} · lot: {plan.lotNumber ?? 'not recorded'}
            </Text>
          </Group>
        )}
        {plan && !plan.pump && (
          <Text data-testid="esk-dose">
            {plan.doseMg} mg intranasal: {plan.devices} devices of {ESKETAMINE_DEVICE_MG} mg,{' '}
            {ESKETAMINE_DEVICE_INTERVAL_MIN} min apart (label); lot {plan.lotNumber ?? '—'}.
          </Text>
        )}
      </Stack>
    </SessionCard>
  );
}
