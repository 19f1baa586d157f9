import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, ApiError, call } from '../../api/client';
import { useAuth } from '../../auth';
import { formatDate, formatDateTime } from '../../format';
import { Citations } from './Citations';
import { InteractionFlags } from './InteractionFlags';
import { MODALITY_LABEL, type Course, type Screening } from './types';

function errorText(err: unknown): string {
  return err instanceof ApiError ? err.message : 'Could not reach the server.';
}

const STATUS_COLOR = { eligible: 'teal', 'needs-review': 'yellow', 'not-eligible': 'red' } as const;

const YES_NO = [
  { value: 'no', label: 'No' },
  { value: 'yes', label: 'Yes' },
  { value: 'unknown', label: 'Unknown' },
];
const opts = (values: string[]) => values.map((v) => ({ value: v, label: v }));

/**
 * The intake questions. None has a default: every safety question starts unanswered and must be
 * answered (the server refuses a missing answer, naming it).
 */
const QUESTIONS: { key: string; label: string; options: { value: string; label: string }[] }[] = [
  {
    key: 'diagnosis',
    label: 'Diagnosis',
    options: [
      { value: 'mdd-treatment-resistant', label: 'MDD, treatment-resistant' },
      { value: 'mdd-with-suicidal-ideation', label: 'MDD with acute suicidal ideation' },
      { value: 'mdd', label: 'MDD' },
      { value: 'bipolar-depression', label: 'Bipolar depression' },
      { value: 'other', label: 'Other' },
    ],
  },
  { key: 'concurrentOralAntidepressant', label: 'Taking an oral antidepressant', options: YES_NO },
  { key: 'aneurysmalVascularDiseaseOrAvm', label: 'Aneurysmal vascular disease or AVM', options: YES_NO },
  { key: 'intracerebralHemorrhageHistory', label: 'History of intracerebral haemorrhage', options: YES_NO },
  {
    key: 'ketamineOrEsketamineHypersensitivity',
    label: 'Hypersensitivity to ketamine / esketamine',
    options: YES_NO,
  },
  {
    key: 'hypertension',
    label: 'Hypertension',
    options: opts(['none', 'controlled', 'uncontrolled', 'unknown']),
  },
  {
    key: 'unstableCardiovascularOrCerebrovascularDisease',
    label: 'Unstable cardio- / cerebrovascular disease',
    options: YES_NO,
  },
  {
    key: 'hypertensiveEncephalopathyHistory',
    label: 'History of hypertensive encephalopathy',
    options: YES_NO,
  },
  { key: 'raisedIntracranialPressure', label: 'Raised intracranial pressure', options: YES_NO },
  { key: 'raisedIntraocularPressure', label: 'Raised intra-ocular pressure (glaucoma)', options: YES_NO },
  { key: 'seizureDisorder', label: 'Seizure disorder', options: YES_NO },
  { key: 'psychosisHistory', label: 'History of psychosis', options: YES_NO },
  { key: 'bipolarOrManiaHistory', label: 'History of bipolar disorder or mania', options: YES_NO },
  { key: 'currentSuicidalIntent', label: 'Current suicidal intent', options: YES_NO },
  {
    key: 'substanceUseDisorder',
    label: 'Substance use disorder',
    options: opts(['none', 'past', 'current', 'unknown']),
  },
  { key: 'ketamineOrPcpMisuseHistory', label: 'Ketamine or PCP misuse', options: YES_NO },
  {
    key: 'pregnant',
    label: 'Pregnant',
    options: [...YES_NO, { value: 'not-applicable', label: 'Not applicable' }],
  },
  {
    key: 'breastfeeding',
    label: 'Breastfeeding',
    options: [...YES_NO, { value: 'not-applicable', label: 'Not applicable' }],
  },
  {
    key: 'hepaticImpairment',
    label: 'Hepatic impairment',
    options: opts(['none', 'mild', 'moderate', 'severe', 'unknown']),
  },
  { key: 'priorAdverseReactionToKetamine', label: 'Prior adverse reaction to ketamine', options: YES_NO },
  { key: 'ulcerativeOrInterstitialCystitis', label: 'Ulcerative / interstitial cystitis', options: YES_NO },
  {
    key: 'knownAllergies',
    label: 'Known allergies',
    options: [
      { value: 'none', label: 'None known' },
      { value: 'yes', label: 'Yes' },
    ],
  },
];
const NUMBERS: { key: string; label: string; min: number; max: number }[] = [
  { key: 'failedAntidepressantTrials', label: 'Failed antidepressant trials', min: 0, max: 50 },
  { key: 'baselineSbpMmHg', label: 'Baseline systolic (mmHg)', min: 40, max: 300 },
  { key: 'baselineDbpMmHg', label: 'Baseline diastolic (mmHg)', min: 20, max: 200 },
];

function ScreeningForm({
  patientId,
  ageYears,
  onSaved,
}: {
  patientId: string;
  ageYears: number;
  onSaved(): void;
}) {
  const [modality, setModality] = useState<'iv-ketamine' | 'esketamine'>('iv-ketamine');
  const [answers, setAnswers] = useState<Record<string, string | null>>(
    Object.fromEntries(QUESTIONS.map((q) => [q.key, null])),
  );
  const [numbers, setNumbers] = useState<Record<string, string>>(
    Object.fromEntries(NUMBERS.map((q) => [q.key, ''])),
  );
  const [allergyDetails, setAllergyDetails] = useState('');
  const [missing, setMissing] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const unanswered = [
      ...QUESTIONS.filter((q) => answers[q.key] === null).map((q) => q.key),
      ...NUMBERS.filter((q) => numbers[q.key]!.trim() === '').map((q) => q.key),
    ];
    setMissing(unanswered);
    if (unanswered.length > 0) return;
    setBusy(true);
    try {
      await call(
        api.POST('/api/patients/{patientId}/eligibility', {
          params: { path: { patientId } },
          body: {
            answers: {
              modality,
              ageYears,
              ...answers,
              ...Object.fromEntries(NUMBERS.map((q) => [q.key, Number(numbers[q.key])])),
              ...(answers.knownAllergies === 'yes' ? { allergyDetails } : {}),
            } as never,
          },
        }),
      );
      onSaved();
    } catch (err) {
      notifications.show({ color: 'red', message: errorText(err) });
    } finally {
      setBusy(false);
    }
  }
  const labelOf = (key: string) =>
    QUESTIONS.find((q) => q.key === key)?.label ?? NUMBERS.find((q) => q.key === key)?.label ?? key;
  return (
    <form onSubmit={submit} aria-label="Eligibility screening" noValidate>
      <Stack gap="xs">
        <Select
          label="Treatment"
          data={[
            { value: 'iv-ketamine', label: MODALITY_LABEL['iv-ketamine'] },
            { value: 'esketamine', label: MODALITY_LABEL.esketamine },
          ]}
          value={modality}
          onChange={(v) => v && setModality(v as typeof modality)}
          allowDeselect={false}
          maw={280}
        />
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="xs">
          {NUMBERS.map((q) => (
            <TextInput
              key={q.key}
              label={q.label}
              type="number"
              min={q.min}
              max={q.max}
              value={numbers[q.key]}
              onChange={(e) => {
                const v = e.currentTarget.value;
                setNumbers((n) => ({ ...n, [q.key]: v }));
              }}
              error={missing.includes(q.key) ? 'Not answered' : undefined}
              size="xs"
            />
          ))}
          {QUESTIONS.map((q) => (
            <Select
              key={q.key}
              label={q.label}
              placeholder="Not answered"
              data={q.options}
              value={answers[q.key] ?? null}
              onChange={(v) => setAnswers((a) => ({ ...a, [q.key]: v }))}
              error={missing.includes(q.key) ? 'Not answered' : undefined}
              size="xs"
            />
          ))}
          {answers.knownAllergies === 'yes' && (
            <TextInput
              label="Allergies (substance and reaction)"
              value={allergyDetails}
              onChange={(e) => setAllergyDetails(e.currentTarget.value)}
              size="xs"
            />
          )}
        </SimpleGrid>
        {missing.length > 0 && (
          <Alert color="red" title="Answer every safety question">
            Not answered: {missing.map(labelOf).join(', ')}.
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={busy} size="sm">
            Screen eligibility
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function SignOff({
  patientId,
  screening,
  onSaved,
}: {
  patientId: string;
  screening: Screening;
  onSaved(): void;
}) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  async function sign(decision: 'approve' | 'decline') {
    setBusy(true);
    try {
      await call(
        api.POST('/api/patients/{patientId}/eligibility/{screeningId}/sign-off', {
          params: { path: { patientId, screeningId: screening.id } },
          body: { decision, ...(note.trim() ? { note } : {}) },
        }),
      );
      onSaved();
    } catch (err) {
      notifications.show({ color: 'red', message: errorText(err) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <Group align="flex-end">
      <Textarea
        label="Sign-off note"
        description={
          screening.status === 'needs-review' ? 'Required to approve: why treatment is acceptable' : undefined
        }
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
        autosize
        minRows={1}
        w={360}
      />
      <Button
        size="sm"
        loading={busy}
        disabled={screening.status === 'not-eligible'}
        onClick={() => void sign('approve')}
      >
        Approve
      </Button>
      <Button size="sm" variant="default" loading={busy} onClick={() => void sign('decline')}>
        Decline
      </Button>
    </Group>
  );
}

function NewCourse({ patientId }: { patientId: string }) {
  const navigate = useNavigate();
  const templates = useQuery({
    queryKey: ['course-templates'],
    queryFn: () => call(api.GET('/api/course-templates')),
  });
  const [templateId, setTemplateId] = useState<string | null>(null);
  const [startDate, setStartDate] = useState(new Date().toISOString().slice(0, 10));
  const [preview, setPreview] = useState<Course | null>(null);
  const [busy, setBusy] = useState(false);
  async function run(previewOnly: boolean) {
    if (!templateId) return;
    setBusy(true);
    try {
      const res = await call(
        api.POST('/api/patients/{patientId}/courses', {
          params: { path: { patientId } },
          body: { templateId, startDate, preview: previewOnly },
        }),
      );
      if (previewOnly) setPreview(res);
      else navigate(`/patients/${patientId}/courses/${res.id}`);
    } catch (err) {
      notifications.show({ color: 'red', message: errorText(err) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <Stack gap="xs">
      <Group align="flex-end">
        <Select
          label="Course template"
          data={(templates.data ?? []).map((t) => ({
            value: t.template.id,
            label: `${t.template.name}${t.source === 'clinic' ? ' (clinic)' : ''}`,
          }))}
          value={templateId}
          onChange={(v) => {
            setTemplateId(v);
            setPreview(null);
          }}
          w={460}
          searchable
        />
        <TextInput
          label="Start date"
          type="date"
          value={startDate}
          onChange={(e) => {
            setStartDate(e.currentTarget.value);
            setPreview(null);
          }}
        />
        <Button variant="default" disabled={!templateId} loading={busy} onClick={() => void run(true)}>
          Preview schedule
        </Button>
        <Button disabled={!templateId} loading={busy} onClick={() => void run(false)}>
          Schedule course
        </Button>
      </Group>
      {preview && (
        <Text size="sm" c={preview.conflicts.length > 0 ? 'orange' : 'dimmed'}>
          {preview.sessions.length} sessions fit from {formatDate(preview.sessions[0]?.date ?? startDate)} to{' '}
          {formatDate(preview.sessions.at(-1)?.date ?? startDate)}
          {preview.conflicts.length > 0
            ? `; ${preview.conflicts.length} could not be placed (see the course page after scheduling)`
            : '; no conflicts'}
          .
        </Text>
      )}
    </Stack>
  );
}

/** Eligibility screening with sign-off, and the patient's treatment courses (PatientPage section). */
export function PatientCourses({ patientId, ageYears }: { patientId: string; ageYears: number }) {
  const { can } = useAuth();
  const clinical = can('eligibility.screen');
  const prescriber = can('courses.prescribe');
  const [screening, setScreening] = useState(false);
  const screenings = useQuery({
    queryKey: ['eligibility', patientId],
    queryFn: () =>
      call(api.GET('/api/patients/{patientId}/eligibility', { params: { path: { patientId } } })),
    enabled: clinical,
  });
  const courses = useQuery({
    queryKey: ['courses', patientId],
    queryFn: () => call(api.GET('/api/patients/{patientId}/courses', { params: { path: { patientId } } })),
  });
  const latest = screenings.data?.[0];
  const interactions = useQuery({
    queryKey: ['interactions', patientId, latest?.modality ?? 'iv-ketamine'],
    queryFn: () =>
      call(
        api.GET('/api/patients/{patientId}/interactions', {
          params: { path: { patientId }, query: { modality: latest?.modality ?? 'iv-ketamine' } },
        }),
      ),
    enabled: clinical && !screenings.isLoading,
  });
  return (
    <Paper withBorder p="md" component="section" aria-label="Treatment">
      <Stack>
        <Title order={3}>Treatment</Title>
        {clinical && (
          <Stack gap="xs">
            <Group justify="space-between">
              <Title order={4}>Eligibility</Title>
              <Button size="xs" variant="light" onClick={() => setScreening((s) => !s)}>
                {screening ? 'Close' : 'New screening'}
              </Button>
            </Group>
            {screenings.error && <Alert color="red">{errorText(screenings.error)}</Alert>}
            {!latest && !screening && <Text c="dimmed">Not screened yet.</Text>}
            {latest && (
              <Stack gap={6} data-testid="eligibility">
                <Group gap="xs">
                  <Badge color={STATUS_COLOR[latest.status]}>{latest.status}</Badge>
                  <Text size="sm">
                    {MODALITY_LABEL[latest.modality]} · screened {formatDateTime(latest.createdAt)}
                  </Text>
                  {latest.signOff ? (
                    <Text size="sm">
                      · {latest.signOff.decision === 'approve' ? 'Approved' : 'Declined'} by{' '}
                      {latest.signOff.signedByName} {formatDateTime(latest.signOff.signedAt)}
                      {latest.signOff.note ? ` — “${latest.signOff.note}”` : ''}
                    </Text>
                  ) : (
                    <Text size="sm" c="orange">
                      · awaiting prescriber sign-off
                    </Text>
                  )}
                </Group>
                {[...latest.reasons, ...latest.notes].map((r) => (
                  <Stack key={r.ruleId} gap={2} pl="sm">
                    <Text size="sm">
                      <b>{r.kind}</b> {r.message}{' '}
                      <Text span c="dimmed" size="xs">
                        ({r.ruleId})
                      </Text>
                    </Text>
                    <Citations citations={r.citations} />
                  </Stack>
                ))}
                {prescriber && !latest.signOff && (
                  <SignOff
                    patientId={patientId}
                    screening={latest}
                    onSaved={() => void screenings.refetch()}
                  />
                )}
              </Stack>
            )}
            {interactions.data && (
              <InteractionFlags flags={interactions.data.flags} notes={interactions.data.notes} />
            )}
            {screening && (
              <ScreeningForm
                patientId={patientId}
                ageYears={ageYears}
                onSaved={() => {
                  setScreening(false);
                  void screenings.refetch();
                }}
              />
            )}
          </Stack>
        )}

        <Title order={4}>Courses</Title>
        {courses.error && <Alert color="red">{errorText(courses.error)}</Alert>}
        {courses.data && courses.data.length === 0 && <Text c="dimmed">No treatment course yet.</Text>}
        {courses.data && courses.data.length > 0 && (
          <Table aria-label="Courses">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Course</Table.Th>
                <Table.Th>Start</Table.Th>
                <Table.Th>Sessions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {courses.data.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/patients/${patientId}/courses/${c.id}`}>
                      {c.template.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{formatDate(c.startDate)}</Table.Td>
                  <Table.Td>
                    {c.sessions.length}
                    {c.conflicts.length > 0 ? ` (${c.conflicts.length} unplaced)` : ''}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {prescriber && <NewCourse patientId={patientId} />}
      </Stack>
    </Paper>
  );
}
