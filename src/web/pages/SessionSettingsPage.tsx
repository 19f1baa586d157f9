import {
  Alert,
  Button,
  Group,
  Loader,
  Select,
  Paper,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { paths } from '../api/schema';
import { api, ApiError, call } from '../api/client';
import { CrisisSettings } from '../components/measurement/CrisisSettings';
import { AlarmThresholdSettings } from '../components/sessions/AlarmThresholdSettings';
import { clock } from '../components/sessions/types';
import { RangeNumberInput } from '../components/RangeNumberInput';

type Settings = paths['/api/session-settings']['get']['responses'][200]['content']['application/json'];
type Thresholds =
  paths['/api/session-settings/vitals-thresholds']['get']['responses'][200]['content']['application/json'];

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const toMin = (hhmm: string): number | null => {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
};

function SettingsForm({ initial, thresholds }: { initial: Settings; thresholds: Thresholds }) {
  const [s, setS] = useState<Settings>(initial);
  const [hours, setHours] = useState(
    initial.clinicHours.map((d) =>
      d[0] ? { open: clock(d[0].openMin), close: clock(d[0].closeMin) } : { open: '', close: '' },
    ),
  );
  const save = useMutation({
    mutationFn: (body: Settings) => call(api.PUT('/api/session-settings', { body })),
    onSuccess: (saved) => {
      setS(saved);
      notifications.show({ color: 'teal', message: 'Settings saved (the previous version is kept).' });
    },
  });
  const error = save.error
    ? save.error instanceof ApiError
      ? save.error.message
      : 'Could not reach the server.'
    : null;
  function submit(e: FormEvent) {
    e.preventDefault();
    const clinicHours = hours.map((h) => {
      const open = toMin(h.open);
      const close = toMin(h.close);
      return open === null || close === null ? [] : [{ openMin: open, closeMin: close }];
    });
    save.mutate({ ...s, clinicHours });
  }
  const num = (v: number | string, fallback: number) => (typeof v === 'number' ? v : fallback);
  return (
    <form onSubmit={submit} aria-label="Session settings">
      <Stack>
        <Paper withBorder p="md">
          <Title order={3} mb="xs">
            Calendar
          </Title>
          <Stack gap="xs">
            <TagsInput
              label="Rooms / chairs"
              value={s.rooms}
              onChange={(rooms) => setS({ ...s, rooms })}
              description="Press Enter after each name"
            />
            <Text size="sm" fw={500}>
              Opening hours (HH:MM; leave empty for closed)
            </Text>
            <SimpleGrid cols={{ base: 2, md: 4 }} spacing="xs">
              {DAYS.map((day, i) => (
                <Group key={day} gap={4} wrap="nowrap">
                  <TextInput
                    label={day}
                    aria-label={`${day} opens`}
                    placeholder="closed"
                    value={hours[i]!.open}
                    onChange={(e) => {
                      const open = e.currentTarget.value;
                      setHours((h) => h.map((x, j) => (j === i ? { ...x, open } : x)));
                    }}
                    w={90}
                  />
                  <TextInput
                    label="to"
                    aria-label={`${day} closes`}
                    value={hours[i]!.close}
                    onChange={(e) => {
                      const close = e.currentTarget.value;
                      setHours((h) => h.map((x, j) => (j === i ? { ...x, close } : x)));
                    }}
                    w={90}
                  />
                </Group>
              ))}
            </SimpleGrid>
            <Group>
              <RangeNumberInput
                label="IV session (min of chair time)"
                value={s.sessionDurationMin['iv-ketamine']}
                onChange={(v) =>
                  setS({ ...s, sessionDurationMin: { ...s.sessionDurationMin, 'iv-ketamine': num(v, 120) } })
                }
              />
              <RangeNumberInput
                label="Esketamine session (min, >= 120)"
                value={s.sessionDurationMin.esketamine}
                onChange={(v) =>
                  setS({ ...s, sessionDurationMin: { ...s.sessionDurationMin, esketamine: num(v, 150) } })
                }
              />
              <RangeNumberInput
                label="Slot step (min)"
                value={s.slotStepMin}
                onChange={(v) => setS({ ...s, slotStepMin: num(v, 30) })}
              />
            </Group>
          </Stack>
        </Paper>
        <Paper withBorder p="md" aria-label="Observation and rechecks" component="section">
          <Title order={3} mb="xs">
            Observation and rechecks
          </Title>
          <Group align="flex-start">
            <RangeNumberInput
              label="IV observation after dosing ends (min)"
              min={0}
              max={480}
              description="Before discharge; the default is unverified: no guideline gives minutes (clinical sources, protocols)"
              value={s.monitoring.ivMinObservationAfterDosingMin}
              w={340}
              onChange={(v) =>
                setS({
                  ...s,
                  monitoring: {
                    ...s.monitoring,
                    ivMinObservationAfterDosingMin: num(v, s.monitoring.ivMinObservationAfterDosingMin),
                  },
                })
              }
            />
            <RangeNumberInput
              label="Vitals recheck while paused (min)"
              min={1}
              max={60}
              description="Shorter than the in-infusion cadence; the default is a clinic choice (no source gives one)"
              value={s.monitoring.pausedRecheckEveryMin}
              w={300}
              onChange={(v) =>
                setS({
                  ...s,
                  monitoring: {
                    ...s.monitoring,
                    pausedRecheckEveryMin: num(v, s.monitoring.pausedRecheckEveryMin),
                  },
                })
              }
            />
          </Group>
        </Paper>
        <Paper withBorder p="md">
          <Title order={3} mb="xs">
            Dose and pump
          </Title>
          <Group>
            <RangeNumberInput
              label="Vial (mg/mL)"
              value={s.vialMgPerMl}
              onChange={(v) => setS({ ...s, vialMgPerMl: num(v, 50) })}
            />
            <RangeNumberInput
              label="Bag diluent (mL)"
              value={s.bagMl}
              onChange={(v) => setS({ ...s, bagMl: num(v, 100) })}
            />
            <RangeNumberInput
              label="Clinic maximum (mg/kg)"
              value={s.clinicMaxDoseMgPerKg}
              decimalScale={2}
              onChange={(v) => setS({ ...s, clinicMaxDoseMgPerKg: num(v, 1) })}
            />
            <Select
              label="Weight for mg/kg doses"
              description="Actual by default; ideal = Devine, adjusted = IBW + 0.4 × excess"
              data={[
                { value: 'actual', label: 'Actual body weight' },
                { value: 'ideal', label: 'Ideal body weight (Devine)' },
                { value: 'adjusted', label: 'Adjusted body weight' },
              ]}
              value={s.dosing.weightBasis}
              allowDeselect={false}
              onChange={(v) => v && setS({ ...s, dosing: { ...s.dosing, weightBasis: v as 'actual' } })}
            />
            <RangeNumberInput
              label="Pump resolution (mL/h)"
              value={s.dosing.pumpResolutionMlPerH}
              decimalScale={2}
              onChange={(v) => setS({ ...s, dosing: { ...s.dosing, pumpResolutionMlPerH: num(v, 0.1) } })}
            />
          </Group>
          <Title order={4} mt="md" mb={4}>
            Remission thresholds
          </Title>
          <Text size="xs" c="dimmed" mb="xs">
            Empty uses the cited default (PHQ-9 &lt; 5, QIDS-SR16 ≤ 5, MADRS ≤ 10;
            docs/clinical-sources/instruments.md). A value here applies as “≤ value” and is labelled as the
            clinic&apos;s own choice.
          </Text>
          <Group>
            {(['phq9', 'qids-sr16', 'madrs', 'gad7'] as const).map((instrument) => (
              <RangeNumberInput
                key={instrument}
                label={`${instrument.toUpperCase()} remission ≤`}
                w={170}
                min={0}
                max={60}
                value={s.outcomes.remissionThresholds[instrument]?.value ?? ''}
                onChange={(v) => {
                  const next = { ...s.outcomes.remissionThresholds };
                  if (v === '' || v === undefined) delete next[instrument];
                  else next[instrument] = { comparator: '<=', value: Number(v) };
                  setS({ ...s, outcomes: { remissionThresholds: next } });
                }}
              />
            ))}
          </Group>
        </Paper>
        <Paper withBorder p="md">
          <AlarmThresholdSettings
            listed={thresholds}
            onChange={(m, t) => setS((x) => ({ ...x, thresholds: { ...x.thresholds, [m]: t } }))}
          />
        </Paper>
        <Paper withBorder p="md">
          <Title order={3} mb="xs">
            SPRAVATO REMS form
          </Title>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xs">
            <TextInput
              label="Treatment setting name"
              value={s.remsSetting.name}
              onChange={(e) => setS({ ...s, remsSetting: { ...s.remsSetting, name: e.currentTarget.value } })}
            />
            <TextInput
              label="Treatment setting address"
              value={s.remsSetting.address}
              onChange={(e) =>
                setS({ ...s, remsSetting: { ...s.remsSetting, address: e.currentTarget.value } })
              }
            />
            <TextInput
              label="Monitoring HCP name"
              value={s.remsMonitoringHcp.name}
              onChange={(e) =>
                setS({ ...s, remsMonitoringHcp: { ...s.remsMonitoringHcp, name: e.currentTarget.value } })
              }
            />
            <TextInput
              label="Monitoring HCP phone"
              value={s.remsMonitoringHcp.phone}
              onChange={(e) =>
                setS({ ...s, remsMonitoringHcp: { ...s.remsMonitoringHcp, phone: e.currentTarget.value } })
              }
            />
            <TextInput
              label="Monitoring HCP email"
              value={s.remsMonitoringHcp.email}
              onChange={(e) =>
                setS({ ...s, remsMonitoringHcp: { ...s.remsMonitoringHcp, email: e.currentTarget.value } })
              }
            />
          </SimpleGrid>
        </Paper>
        <CrisisSettings
          value={s.crisisResources}
          onChange={(crisisResources) => setS({ ...s, crisisResources })}
        />
        {error && <Alert color="red">{error}</Alert>}
        <Group>
          <Button type="submit" loading={save.isPending}>
            Save settings
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Admin: the clinic's calendar, pump and REMS settings used by courses and sessions. */
export function SessionSettingsPage() {
  const q = useQuery({
    queryKey: ['session-settings'],
    queryFn: () => call(api.GET('/api/session-settings')),
  });
  const t = useQuery({
    queryKey: ['session-settings', 'vitals-thresholds'],
    queryFn: () => call(api.GET('/api/session-settings/vitals-thresholds')),
  });
  if (q.isLoading || t.isLoading) return <Loader aria-label="Loading" />;
  if (!q.data || !t.data) {
    const err = q.error ?? t.error;
    return <Alert color="red">{err instanceof ApiError ? err.message : 'Could not reach the server.'}</Alert>;
  }
  return (
    <Stack maw={1000}>
      <Title order={2}>Session settings</Title>
      <SettingsForm initial={q.data} thresholds={t.data} />
    </Stack>
  );
}
