import { Anchor, Badge, Group, Paper, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, call } from '../../api/client';
import type { paths } from '../../api/schema';
import { useAuth, useClinicToday } from '../../auth';
import { useClinicDates } from '../../dates';
import { MODALITY_LABELS } from '../../../clinical/vocabulary/modalities';
import { TIER_LABELS } from '../measurement/types';

type Banner =
  paths['/api/patients/{patientId}/banner']['get']['responses'][200]['content']['application/json'];

const TIER_COLOR: Record<string, string> = { high: 'red', moderate: 'orange', 'positive-item': 'yellow' };
const ARROW = { up: '↑', down: '↓', same: '→' } as const;

/** Who is in front of the clinician, on every clinical page: the server's banner, as it is. */
export function PatientBanner({ patientId }: { patientId: string }) {
  const dates = useClinicDates();
  const today = useClinicToday();
  const { can } = useAuth();
  const banner = useQuery({
    queryKey: ['patient', patientId, 'banner'],
    queryFn: () => call(api.GET('/api/patients/{patientId}/banner', { params: { path: { patientId } } })),
    enabled: can('clinical.read'),
  });
  const b = banner.data;
  if (!b) return null;
  return (
    <Paper withBorder p="xs" aria-label="Patient banner" data-testid="patient-banner" bg="gray.0">
      <Group gap="md" wrap="wrap" align="center">
        <Anchor component={Link} to={`/patients/${patientId}`} fw={700}>
          {b.givenName} {b.familyName}
        </Anchor>
        <Text size="sm">
          DOB {dates.date(b.dateOfBirth)} · {b.ageYears} y · MRN {b.mrn}
        </Text>
        <Allergies b={b} />
        <Text size="sm" data-testid="banner-weight">
          {b.weight ? `${b.weight.weightKg} kg (${dates.date(b.weight.measuredOn)})` : 'No weight on record'}
        </Text>
        <Text size="sm" data-testid="banner-course">
          {b.course
            ? `${MODALITY_LABELS[b.course.modality]} · ${
                // A session today or under way is "the" session; a later one is only the next, so a
                // past session's page never reads as if it were session 2.
                b.course.current && b.course.current.date <= today
                  ? `session ${b.course.current.sequence} of ${b.course.total}`
                  : `${b.course.dosed} of ${b.course.total} dosed${
                      b.course.current ? ` · next ${dates.date(b.course.current.date)}` : ''
                    }`
              }`
            : 'No active course'}
        </Text>
        <Text size="sm" data-testid="banner-phq9">
          {b.phq9
            ? `PHQ-9 ${b.phq9.latest.total}${
                b.phq9.direction && b.phq9.change !== null
                  ? ` ${ARROW[b.phq9.direction]} ${b.phq9.change > 0 ? '+' : ''}${b.phq9.change} since last`
                  : ''
              }${b.phq9.baseline !== null ? ` · baseline ${b.phq9.baseline}` : ''}${
                b.phq9.remission ? ' · remission' : b.phq9.response ? ' · response' : ''
              }`
            : 'No PHQ-9'}
        </Text>
        {b.suicideRisk && (
          <Badge color={TIER_COLOR[b.suicideRisk.tier] ?? 'red'} data-testid="banner-risk">
            {TIER_LABELS[b.suicideRisk.tier] ?? b.suicideRisk.tier} · {b.suicideRisk.openCount} open
          </Badge>
        )}
        {b.rems && (
          <Badge color={b.rems.enrolled ? 'teal' : 'red'} variant="light" data-testid="banner-rems">
            {b.rems.enrolled ? 'REMS enrolled' : 'REMS enrolment not confirmed'}
          </Badge>
        )}
      </Group>
    </Paper>
  );
}

function Allergies({ b }: { b: Banner }) {
  const { state, active } = b.allergies;
  if (state === 'unknown') {
    return (
      <Badge color="orange" variant="light" data-testid="banner-allergies">
        Allergies not recorded
      </Badge>
    );
  }
  if (state === 'no-known-allergies' || active.length === 0) {
    return (
      <Badge color="gray" variant="light" data-testid="banner-allergies">
        {state === 'no-known-allergies' ? 'No known allergies' : 'No active allergies'}
      </Badge>
    );
  }
  return (
    <Badge color="red" variant="filled" data-testid="banner-allergies" style={{ textTransform: 'none' }}>
      Allergies: {active.map((a) => a.substance + (a.reaction ? ` (${a.reaction})` : '')).join(', ')}
    </Badge>
  );
}
