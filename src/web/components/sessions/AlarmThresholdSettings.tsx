import { Button, Group, NumberInput, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { paths } from '../../api/schema';
import { StatusBadge } from './Citations';
import { withEvidence } from '../EvidenceBadge';
import { MODALITY_LABELS } from '../../../clinical/vocabulary/modalities';

type Listed =
  paths['/api/session-settings/vitals-thresholds']['get']['responses'][200]['content']['application/json'];
type Modality = keyof Listed;
type Thresholds = Listed[Modality]['inForce'];
type Key = keyof Thresholds;
type Sourced = NonNullable<Thresholds[Key]>;

/** Every threshold the clinic may set; "optional" ones may be left empty (that rule is then off). */
const FIELDS: { key: Key; label: string; unit: string; optional?: boolean }[] = [
  { key: 'spo2BelowPct', label: 'Alarm: SpO2 below', unit: '%' },
  {
    key: 'spo2FallFromBaselinePctPoints',
    label: 'Alarm: SpO2 fall from pre-dose of at least',
    unit: 'points',
  },
  { key: 'hypotensionSbpBelowMmHg', label: 'Alarm: systolic below', unit: 'mmHg' },
  {
    key: 'hypotensionSbpFallFromBaselinePct',
    label: 'Alarm: systolic fall from pre-dose of at least',
    unit: '%',
  },
  { key: 'bradycardiaHeartRateBelowBpm', label: 'Alarm: heart rate below', unit: 'bpm' },
  { key: 'respiratoryRateBelowPerMin', label: 'Alarm: respiratory rate below', unit: '/min' },
  { key: 'deepSedationMoaasAtOrBelow', label: 'Alarm: MOAA/S at or below', unit: '(0–5)' },
  { key: 'holdSbpAboveMmHg', label: 'Hold: systolic above', unit: 'mmHg' },
  { key: 'holdDbpAboveMmHg', label: 'Hold: diastolic above', unit: 'mmHg' },
  { key: 'holdHeartRateAboveBpm', label: 'Hold: heart rate above', unit: 'bpm' },
  { key: 'preDoseCautionSbpAboveMmHg', label: 'Pre-dose caution: systolic above', unit: 'mmHg' },
  { key: 'preDoseCautionDbpAboveMmHg', label: 'Pre-dose caution: diastolic above', unit: 'mmHg' },
  {
    key: 'riseSbpFromBaselineMmHg',
    label: 'Notify: systolic rise of at least',
    unit: 'mmHg',
    optional: true,
  },
  {
    key: 'riseDbpFromBaselineMmHg',
    label: 'Notify: diastolic rise of at least',
    unit: 'mmHg',
    optional: true,
  },
];

const MODALITIES: Modality[] = ['iv-ketamine', 'esketamine'];

/**
 * The clinic's vital-sign and sedation alarm thresholds, per modality. Each value shows its source
 * and evidence status; a value the clinic types becomes a clinic setting that keeps the default it
 * replaced in its note. "Use the defaults" clears the clinic's own values.
 */
export function AlarmThresholdSettings({
  listed,
  onChange,
}: {
  listed: Listed;
  onChange: (modality: Modality, thresholds: Thresholds | null) => void;
}) {
  const [draft, setDraft] = useState<Record<Modality, Thresholds | null>>({
    'iv-ketamine': listed['iv-ketamine'].source === 'clinic' ? listed['iv-ketamine'].inForce : null,
    esketamine: listed.esketamine.source === 'clinic' ? listed.esketamine.inForce : null,
  });
  const set = (m: Modality, next: Thresholds | null) => {
    setDraft((d) => ({ ...d, [m]: next }));
    onChange(m, next);
  };
  const edit = (m: Modality, key: Key, v: number | string) => {
    const d = listed[m].defaults[key];
    const current = draft[m] ?? listed[m].defaults;
    if (v === '' && !FIELDS.find((f) => f.key === key)?.optional) return;
    const value: Sourced | null =
      v === ''
        ? null
        : {
            value: Number(v),
            status: 'clinic',
            source: 'Clinic setting',
            ...(d ? { note: `Replaces the default ${withEvidence(d.value, d.status)}: ${d.source}` } : {}),
          };
    set(m, { ...current, [key]: value });
  };
  return (
    <Stack gap="xs" aria-label="Vital-sign and sedation alarms" role="group">
      <Title order={4}>Vital-sign and sedation alarms</Title>
      <Text size="xs" c="dimmed">
        Each alarm needs a pause / stop / continue decision at the bedside. No source gives values for the
        respiratory, hypotension, bradycardia and sedation alarms: the defaults are conservative and
        unverified (see the clinical sources, protocols); confirm or change them here.
      </Text>
      {MODALITIES.map((m) => {
        const shown = draft[m] ?? listed[m].defaults;
        return (
          <Stack key={m} gap={4}>
            <Group justify="space-between">
              <Text fw={500}>
                {MODALITY_LABELS[m]} — {draft[m] ? 'clinic values' : 'defaults'}
              </Text>
              <Button size="xs" variant="default" disabled={draft[m] === null} onClick={() => set(m, null)}>
                Use the defaults
              </Button>
            </Group>
            <Table withRowBorders={false} verticalSpacing={2}>
              <Table.Tbody>
                {FIELDS.map((f) => {
                  const v = shown[f.key];
                  const d = listed[m].defaults[f.key];
                  return (
                    <Table.Tr key={f.key}>
                      <Table.Td>
                        <Text size="sm">{f.label}</Text>
                      </Table.Td>
                      <Table.Td w={140}>
                        <NumberInput
                          size="xs"
                          aria-label={`${MODALITY_LABELS[m]}: ${f.label}`}
                          value={v?.value ?? ''}
                          onChange={(x) => edit(m, f.key, x)}
                          placeholder={f.optional ? 'off' : undefined}
                          rightSection={<Text size="xs">{f.unit}</Text>}
                          rightSectionWidth={50}
                        />
                      </Table.Td>
                      <Table.Td w={40}>
                        {v && (
                          <StatusBadge
                            status={v.status}
                            citations={[
                              { source: v.source, status: v.status, ...(v.note ? { note: v.note } : {}) },
                            ]}
                          />
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs" c="dimmed">
                          {d ? `default ${withEvidence(d.value, d.status)}` : 'default off'}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Stack>
        );
      })}
    </Stack>
  );
}
