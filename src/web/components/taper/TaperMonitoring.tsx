import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useClinicToday } from '../../auth';
import { TAPER_DECISIONS, TAPER_DECISION_LABELS } from '../../../clinical/vocabulary/tapers';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ApiError, call } from '../../api/client';
import { ClinicDateInput, useClinicDates } from '../../dates';
import type { TaperMonitoringView, TaperReference } from './types';
import { RangeNumberInput } from '../RangeNumberInput';

const SEVERITY = ['none', 'mild', 'moderate', 'severe'];
const DECISION_COLOR: Record<string, string> = { continue: 'teal', hold: 'yellow', 'step-back': 'orange' };

function errorText(err: unknown): string {
  return err instanceof ApiError ? err.message : 'Could not reach the server.';
}

type Suggestion = NonNullable<TaperMonitoringView['suggestion']>;

function SuggestionBox({ s, title }: { s: Suggestion; title: string }) {
  return (
    <Alert
      color={s.urgentReview ? 'red' : DECISION_COLOR[s.decision]}
      variant="light"
      title={`${title}: ${TAPER_DECISION_LABELS[s.decision]}${s.urgentReview ? ' — clinician review now' : ''}`}
      data-testid="taper-suggestion"
    >
      <Text size="sm">{s.reasons.join('; ')}</Text>
      <Text size="xs" c="dimmed" mt={4} title={`Rule ${s.ruleId}`}>
        {s.citation}
      </Text>
    </Alert>
  );
}

/** Weekly withdrawal check-ins, the rule-based suggestion, and the prescriber's decisions. */
export function TaperMonitoring({
  patientId,
  taperId,
  reference,
  canDecide,
  mode,
  currentStep,
  open,
  onReplanned,
}: {
  patientId: string;
  taperId: string;
  reference: TaperReference;
  canDecide: boolean;
  mode: 'occupancy' | 'proportional';
  currentStep: number | null;
  open: boolean;
  onReplanned(): void;
}) {
  const dates = useClinicDates();
  const queryClient = useQueryClient();
  const path = { params: { path: { patientId, taperId } } };
  const monitoring = useQuery({
    queryKey: ['taper', taperId, 'monitoring'],
    queryFn: () => call(api.GET('/api/patients/{patientId}/tapers/{taperId}/monitoring', path)),
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['taper', taperId, 'monitoring'] });

  const today = useClinicToday();
  // Check-in form
  const [date, setDate] = useState(today);
  const [answers, setAnswers] = useState<Record<string, number>>({});
  const [tolerable, setTolerable] = useState('yes');
  const [note, setNote] = useState('');
  const [lastSuggestion, setLastSuggestion] = useState<Suggestion | null>(null);
  const checkIn = useMutation({
    mutationFn: async () => {
      const res = await call(
        api.POST('/api/patients/{patientId}/tapers/{taperId}/check-ins', {
          ...path,
          body: {
            date,
            answers: Object.fromEntries(Object.entries(answers).filter(([, v]) => v > 0)),
            tolerable: tolerable === 'yes',
            ...(note.trim() ? { note } : {}),
          } as never,
        }),
      );
      setLastSuggestion(res.suggestion);
      setAnswers({});
      setNote('');
      refresh();
      notifications.show({ color: 'teal', message: 'Check-in recorded.' });
    },
    onError: (err) => notifications.show({ color: 'red', message: errorText(err) }),
  });
  function submitCheckIn(e: FormEvent) {
    e.preventDefault();
    checkIn.mutate();
  }

  // Decision form
  const suggestion = lastSuggestion ?? monitoring.data?.suggestion ?? null;
  const [decDate, setDecDate] = useState(today);
  const [decision, setDecision] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [newStep, setNewStep] = useState<number | string>('');
  const [decErrors, setDecErrors] = useState<Record<string, string>>({});
  const chosen = decision ?? suggestion?.decision ?? 'continue';
  const decide = useMutation({
    mutationFn: async () => {
      const stepField = mode === 'occupancy' ? 'stepPp' : 'stepPct';
      const res = await call(
        api.POST('/api/patients/{patientId}/tapers/{taperId}/decisions', {
          ...path,
          body: {
            date: decDate,
            decision: chosen,
            reason,
            ...(chosen !== 'continue' && newStep !== '' ? { [stepField]: Number(newStep) } : {}),
          } as never,
        }),
      );
      setReason('');
      setNewStep('');
      setDecision(null);
      refresh();
      if (res.newVersion) onReplanned();
      notifications.show({
        color: 'teal',
        message: res.newVersion
          ? `Decision recorded; the plan was replanned as version ${res.newVersion.number}.`
          : 'Decision recorded.',
      });
    },
    onMutate: () => setDecErrors({}),
    onError: (err) => {
      if (err instanceof ApiError) {
        const f = err.fieldErrors();
        setDecErrors({ ...f, step: f.stepPp ?? f.stepPct ?? '', form: err.message });
      } else setDecErrors({ form: errorText(err) });
    },
  });
  function submitDecision(e: FormEvent) {
    e.preventDefault();
    decide.mutate();
  }

  const data = monitoring.data;
  return (
    <Stack>
      {open && (
        <Paper withBorder p="md">
          <Title order={4} mb="xs">
            Weekly withdrawal check-in
          </Title>
          <Text size="xs" c="dimmed" mb="sm">
            A short free checklist built from ASAM 2025 Table 3 and the DAWSS examples — not the DESS, and not
            a validated scale: it has no cut-off score. Red-flag items need a clinician now.
          </Text>
          <form onSubmit={submitCheckIn} aria-label="Withdrawal check-in">
            <Table verticalSpacing={4} withRowBorders={false}>
              <Table.Tbody>
                {reference.checkInItems.map((item) => (
                  <Table.Tr key={item.id}>
                    <Table.Td>
                      <Text size="sm">
                        {item.text}{' '}
                        {item.redFlag && (
                          <Badge size="xs" color="red" variant="light">
                            red flag
                          </Badge>
                        )}
                      </Text>
                    </Table.Td>
                    <Table.Td w={330}>
                      <SegmentedControl
                        size="xs"
                        fullWidth
                        aria-label={item.text}
                        value={String(answers[item.id] ?? 0)}
                        onChange={(v) => setAnswers((a) => ({ ...a, [item.id]: Number(v) }))}
                        data={SEVERITY.map((label, i) => ({ label, value: String(i) }))}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <SimpleGrid cols={{ base: 1, sm: 3 }} mt="sm">
              <ClinicDateInput label="Date" value={date} onChange={setDate} />
              <div>
                <Text size="sm" fw={500} mb={4}>
                  Symptoms tolerable enough to carry on?
                </Text>
                <SegmentedControl
                  aria-label="Tolerable"
                  value={tolerable}
                  onChange={setTolerable}
                  data={[
                    { value: 'yes', label: 'Yes' },
                    { value: 'no', label: 'No' },
                  ]}
                />
              </div>
              <Textarea
                label="Note"
                autosize
                minRows={1}
                value={note}
                onChange={(e) => setNote(e.currentTarget.value)}
              />
            </SimpleGrid>
            <Button type="submit" mt="sm" loading={checkIn.isPending} variant="light">
              Record check-in
            </Button>
          </form>
        </Paper>
      )}

      {suggestion && <SuggestionBox s={suggestion} title="Suggestion" />}

      {open && canDecide && (
        <Paper withBorder p="md">
          <Title order={4} mb="xs">
            Decision
          </Title>
          <form onSubmit={submitDecision} aria-label="Taper decision">
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <ClinicDateInput
                label="Takes effect on"
                value={decDate}
                onChange={setDecDate}
                error={decErrors.date}
              />
              <Select
                label="Decision"
                data={TAPER_DECISIONS.map((value) => ({ value, label: TAPER_DECISION_LABELS[value] }))}
                value={chosen}
                onChange={setDecision}
                allowDeselect={false}
                error={decErrors.decision}
              />
              {chosen !== 'continue' && (
                <RangeNumberInput
                  label={
                    mode === 'occupancy'
                      ? `New step (pp; now ${currentStep ?? '?'})`
                      : `New step (%; now ${currentStep ?? '?'})`
                  }
                  description={chosen === 'step-back' ? 'Must be smaller (NICE NG222 1.4.22)' : 'Optional'}
                  min={0}
                  decimalScale={2}
                  value={newStep}
                  onChange={setNewStep}
                  error={decErrors.step || undefined}
                />
              )}
            </SimpleGrid>
            <Textarea
              mt="sm"
              label="Why"
              required
              autosize
              minRows={2}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              error={decErrors.reason}
            />
            {decErrors.form && (
              <Text c="red" size="sm" mt="xs">
                {decErrors.form}
              </Text>
            )}
            <Button type="submit" mt="sm" loading={decide.isPending}>
              Record decision
            </Button>
          </form>
        </Paper>
      )}

      {data && (data.checkIns.length > 0 || data.decisions.length > 0) && (
        <Paper withBorder p="md">
          <Title order={4} mb="xs">
            History
          </Title>
          <Table.ScrollContainer minWidth={700}>
            <Table aria-label="Check-ins and decisions" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Date</Table.Th>
                  <Table.Th>What</Table.Th>
                  <Table.Th>Details</Table.Th>
                  <Table.Th>Who</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {[
                  ...data.checkIns.map((c) => ({
                    key: c.id,
                    date: c.date,
                    at: c.createdAt,
                    what: (
                      <Group gap={4}>
                        <Text size="sm">Check-in</Text>
                        <Badge size="sm" variant="light" color={DECISION_COLOR[c.suggestion.decision]}>
                          suggests: {TAPER_DECISION_LABELS[c.suggestion.decision].toLowerCase()}
                        </Badge>
                      </Group>
                    ),
                    details:
                      (Object.entries(c.answers)
                        .filter(([, v]) => v > 0)
                        .map(([k, v]) => `${k} ${SEVERITY[v]}`)
                        .join(', ') || 'no symptoms') + (c.tolerable ? '; tolerable' : '; NOT tolerable'),
                    who: c.recordedByName,
                  })),
                  ...data.decisions.map((d) => ({
                    key: d.id,
                    date: d.date,
                    at: d.createdAt,
                    what: (
                      <Group gap={4}>
                        <Text size="sm">Decision</Text>
                        <Badge size="sm" color={DECISION_COLOR[d.decision]}>
                          {TAPER_DECISION_LABELS[d.decision]}
                        </Badge>
                        {d.overridesSuggestion && (
                          <Badge size="sm" variant="outline" color="gray">
                            overrides: {TAPER_DECISION_LABELS[d.suggested].toLowerCase()}
                          </Badge>
                        )}
                      </Group>
                    ),
                    details: d.reason,
                    who: d.decidedByName,
                  })),
                ]
                  .sort((a, b) => (a.date + a.at).localeCompare(b.date + b.at))
                  .map((r) => (
                    <Table.Tr key={r.key}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{dates.date(r.date)}</Table.Td>
                      <Table.Td>{r.what}</Table.Td>
                      <Table.Td>
                        <Text size="sm">{r.details}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{r.who ?? '—'}</Text>
                        <Text size="xs" c="dimmed">
                          {dates.dateTime(r.at)}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
    </Stack>
  );
}
