/** Eligibility screening (every safety question answered) and the prescriber's sign-off. */
import { Alert, Button, Group, Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ApiError, call } from '../../api/client';
import type { paths } from '../../api/schema';
import type { Screening } from './types';
import { MODALITY_LABELS } from '../../../clinical/vocabulary/modalities';

type ScreeningBody = NonNullable<
  paths['/api/patients/{patientId}/eligibility']['post']['requestBody']
>['content']['application/json'];

function errorText(err: unknown): string {
  return err instanceof ApiError ? err.message : 'Could not reach the server.';
}

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

export function ScreeningForm({
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
  const save = useMutation({
    mutationFn: (body: ScreeningBody) =>
      call(api.POST('/api/patients/{patientId}/eligibility', { params: { path: { patientId } }, body })),
    onSuccess: onSaved,
    onError: (err) => notifications.show({ color: 'red', message: errorText(err) }),
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    const unanswered = [
      ...QUESTIONS.filter((q) => answers[q.key] === null).map((q) => q.key),
      ...NUMBERS.filter((q) => numbers[q.key]!.trim() === '').map((q) => q.key),
    ];
    setMissing(unanswered);
    if (unanswered.length > 0) return;
    save.mutate({
      answers: {
        modality,
        ageYears,
        ...answers,
        ...Object.fromEntries(NUMBERS.map((q) => [q.key, Number(numbers[q.key])])),
        ...(answers.knownAllergies === 'yes' ? { allergyDetails } : {}),
      } as never,
    });
  }
  const labelOf = (key: string) =>
    QUESTIONS.find((q) => q.key === key)?.label ?? NUMBERS.find((q) => q.key === key)?.label ?? key;
  return (
    <form onSubmit={submit} aria-label="Eligibility screening" noValidate>
      <Stack gap="xs">
        <Select
          label="Treatment"
          data={[
            { value: 'iv-ketamine', label: MODALITY_LABELS['iv-ketamine'] },
            { value: 'esketamine', label: MODALITY_LABELS.esketamine },
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
          <Button type="submit" loading={save.isPending} size="sm">
            Screen eligibility
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function SignOff({
  patientId,
  screening,
  onSaved,
}: {
  patientId: string;
  screening: Screening;
  onSaved(): void;
}) {
  const [note, setNote] = useState('');
  const sign = useMutation({
    mutationFn: (decision: 'approve' | 'decline') =>
      call(
        api.POST('/api/patients/{patientId}/eligibility/{screeningId}/sign-off', {
          params: { path: { patientId, screeningId: screening.id } },
          body: { decision, ...(note.trim() ? { note } : {}) },
        }),
      ),
    onSuccess: onSaved,
    onError: (err) => notifications.show({ color: 'red', message: errorText(err) }),
  });
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
        loading={sign.isPending}
        disabled={screening.status === 'not-eligible'}
        onClick={() => sign.mutate('approve')}
      >
        Approve
      </Button>
      <Button size="sm" variant="default" loading={sign.isPending} onClick={() => sign.mutate('decline')}>
        Decline
      </Button>
    </Group>
  );
}
