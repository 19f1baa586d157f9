/** Settings card: the crisis resources a patient sees after reporting suicidal thoughts on the portal. */
import { Paper, SimpleGrid, Text, TextInput, Title } from '@mantine/core';
import type { PortalCrisis } from './types';

export type CrisisSettingsValue = Omit<PortalCrisis, 'clinicName'>;

const FIELDS: { key: keyof CrisisSettingsValue; label: string; description?: string }[] = [
  {
    key: 'clinicPhone',
    label: 'Clinic phone for patients',
    description: 'Shown with the crisis line; leave empty to show the crisis line only',
  },
  { key: 'crisisLineName', label: 'Crisis line name' },
  { key: 'crisisLinePhone', label: 'Crisis line phone' },
  { key: 'crisisLineText', label: 'Crisis line text number', description: 'Empty = no text option' },
  { key: 'crisisLineUrl', label: 'Crisis line web address', description: 'https://…; empty = none' },
  { key: 'emergencyNumber', label: 'Emergency number' },
];

export function CrisisSettings({
  value,
  onChange,
}: {
  value: CrisisSettingsValue;
  onChange: (v: CrisisSettingsValue) => void;
}) {
  return (
    <Paper withBorder p="md" data-testid="crisis-settings">
      <Title order={3} mb="xs">
        Crisis resources on the patient portal
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        Shown at once to a patient whose answers report suicidal thoughts (PHQ-9 item 9 above 0, or any C-SSRS
        item yes). Defaults are for the United States: the 988 Suicide &amp; Crisis Lifeline and 911 (sources
        in docs/clinical-sources/instruments.md). A clinic elsewhere must replace them.
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
        {FIELDS.map((f) => (
          <TextInput
            key={f.key}
            label={f.label}
            description={f.description}
            value={value[f.key]}
            onChange={(e) => onChange({ ...value, [f.key]: e.currentTarget.value })}
          />
        ))}
      </SimpleGrid>
    </Paper>
  );
}
