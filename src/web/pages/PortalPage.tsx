/**
 * The patient's self-report portal: opened from a magic link on a phone, no account.
 * One question per screen, large touch targets, labelled radio groups, then a thank-you. The page
 * never shows a score, a severity or a risk label — the server does not even send them.
 */
import {
  Alert,
  Anchor,
  Button,
  Center,
  Container,
  Group,
  Loader,
  Paper,
  Progress,
  Radio,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router';
import { api, ApiError, call } from '../api/client';
import { newIdempotencyKey } from '../api/idempotency';
import type { PortalCrisis, PortalView } from '../components/measurement/types';

type Instrument = PortalView['instruments'][number];

const SAFETY =
  'If you feel unsafe or are thinking about harming yourself, call your local emergency number or go to the nearest emergency department now. This form is not watched around the clock.';

function Shell({ children, clinicName }: { children: React.ReactNode; clinicName?: string | undefined }) {
  return (
    <Container size={480} px="md" py="lg" component="main">
      <Stack gap="lg">
        <Text fw={600} c="teal.8" size="lg">
          {clinicName ?? 'Rein'}
        </Text>
        {children}
      </Stack>
    </Container>
  );
}

export function PortalPage() {
  const { token = '' } = useParams();
  const view = useQuery({
    queryKey: ['portal', token],
    queryFn: () => call(api.GET('/api/portal/{token}', { params: { path: { token } } })),
    retry: false,
    staleTime: Infinity,
  });

  if (view.isLoading) {
    return (
      <Center h="100vh">
        <Loader aria-label="Loading your questionnaires" />
      </Center>
    );
  }
  if (view.error || !view.data) {
    const err = view.error;
    const code = err instanceof ApiError ? err.code : undefined;
    const title =
      code === 'link_expired'
        ? 'This link has expired'
        : code === 'link_revoked'
          ? 'This link is no longer active'
          : code === 'link_not_found'
            ? 'This link is not valid'
            : 'Something went wrong';
    return (
      <Shell>
        <Paper withBorder p="lg" data-testid="portal-link-problem">
          <Title order={1} size="h2" mb="sm">
            {title}
          </Title>
          <Text>
            {code
              ? 'Please ask your clinic for a new link.'
              : 'Please try again in a moment, or contact your clinic.'}
          </Text>
        </Paper>
        <Text size="sm" c="dimmed">
          {SAFETY}
        </Text>
      </Shell>
    );
  }
  return <Questionnaires token={token} view={view.data} />;
}

function Questionnaires({ token, view }: { token: string; view: PortalView }) {
  const instruments = view.instruments;
  const [started, setStarted] = useState(false);
  const [index, setIndex] = useState(0); // instrument
  const [item, setItem] = useState(0); // item within it
  const [answers, setAnswers] = useState<Record<string, number | null>>({});
  const [done, setDone] = useState(false);
  // Answers that report suicidal thoughts bring the clinic's crisis resources, shown at once.
  const [crisis, setCrisis] = useState<PortalCrisis | null>(null);
  const [crisisSeen, setCrisisSeen] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  // One key per questionnaire shown, reused if its submission is retried: it is stored once.
  const submissionKeys = useRef(new Map<string, string>());
  const keyFor = (instrument: string) => {
    const known = submissionKeys.current.get(instrument);
    if (known) return known;
    const key = newIdempotencyKey();
    submissionKeys.current.set(instrument, key);
    return key;
  };

  useEffect(() => {
    heading.current?.focus();
  }, [index, item, started, done, crisis, crisisSeen]);

  const submit = useMutation({
    mutationFn: (inst: Instrument) =>
      call(
        api.POST('/api/portal/{token}/responses', {
          params: { path: { token }, header: { 'idempotency-key': keyFor(inst.definition.id) } },
          body: { instrument: inst.definition.id, version: inst.definition.version, answers },
        }),
      ),
    onSuccess: (data) => {
      if (data.crisis) {
        setCrisis(data.crisis);
        setCrisisSeen(false);
      }
      next();
    },
    // Already answered or no longer due (e.g. on another device), or already sent from this page
    // with other answers: nothing to send, move on.
    onError: (err) => {
      if (err instanceof ApiError && (err.code === 'not_due' || err.code === 'conflict')) next();
    },
  });
  function next() {
    setAnswers({});
    setItem(0);
    if (index + 1 < instruments.length) setIndex(index + 1);
    else setDone(true);
  }

  if (crisis && !crisisSeen && !done) {
    return (
      <Shell clinicName={view.clinicName}>
        <CrisisHelp crisis={crisis} headingRef={heading} />
        <Button size="lg" variant="default" fullWidth onClick={() => setCrisisSeen(true)}>
          Continue with the questionnaires
        </Button>
      </Shell>
    );
  }

  if (done || instruments.length === 0) {
    return (
      <Shell clinicName={view.clinicName}>
        {crisis && <CrisisHelp crisis={crisis} headingRef={heading} />}
        <Paper withBorder p="lg" data-testid="portal-thank-you">
          <Title
            order={crisis ? 2 : 1}
            size="h2"
            mb="sm"
            ref={crisis ? undefined : heading}
            tabIndex={-1}
            style={{ outline: 'none' }}
          >
            Thank you
          </Title>
          <Text>
            {instruments.length === 0
              ? 'There is nothing for you to fill in right now.'
              : 'Your answers have been sent to your care team. You can close this page.'}
          </Text>
        </Paper>
        <Text size="sm" c="dimmed">
          {SAFETY}
        </Text>
      </Shell>
    );
  }

  if (!started) {
    return (
      <Shell clinicName={view.clinicName}>
        <Title order={1} size="h2" ref={heading} tabIndex={-1} style={{ outline: 'none' }}>
          Your questionnaires
        </Title>
        <Text>
          Your care team asks you to answer{' '}
          {instruments.length === 1
            ? 'one short questionnaire'
            : `${instruments.length} short questionnaires`}
          . You will see one question at a time; it takes about {instruments.length * 3} minutes.
        </Text>
        <Button size="lg" fullWidth onClick={() => setStarted(true)}>
          Start
        </Button>
        <Text size="sm" c="dimmed">
          {SAFETY}
        </Text>
      </Shell>
    );
  }

  const inst = instruments[index]!;
  const def = inst.definition;
  const q = def.items[item]!;
  const total = def.items.length;
  const value = answers[q.id];
  const last = item === total - 1;
  const answered = value !== undefined && value !== null;
  const canGoOn = answered || !q.required;

  return (
    <Shell clinicName={view.clinicName}>
      <div>
        <Text size="sm" c="dimmed">
          Questionnaire {index + 1} of {instruments.length} · question {item + 1} of {total}
        </Text>
        <Progress
          value={((item + (answered ? 1 : 0)) / total) * 100}
          mt={6}
          aria-label={`Question ${item + 1} of ${total}`}
        />
      </div>
      <Paper withBorder p="lg">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!canGoOn) return;
            if (last) submit.mutate(inst);
            else setItem(item + 1);
          }}
        >
          <Stack gap="md">
            {def.stem && (
              <Text size="sm" c="dimmed">
                {def.stem}
              </Text>
            )}
            <Radio.Group
              value={answered ? String(value) : ''}
              onChange={(v) => setAnswers({ ...answers, [q.id]: Number(v) })}
              label={
                <Title order={1} size="h3" ref={heading} tabIndex={-1} style={{ outline: 'none' }} fw={600}>
                  {q.text ?? q.label}
                </Title>
              }
              description={q.required ? undefined : 'Optional'}
              name={`q-${def.id}-${q.id}`}
            >
              <Stack gap="sm" mt="md">
                {q.options.map((o) => (
                  <Radio.Card
                    key={o.value}
                    value={String(o.value)}
                    p="md"
                    radius="md"
                    data-testid={`option-${o.value}`}
                  >
                    <Group wrap="nowrap" gap="md">
                      <Radio.Indicator />
                      <Text size="lg">{o.text ?? o.label}</Text>
                    </Group>
                  </Radio.Card>
                ))}
              </Stack>
            </Radio.Group>
            {submit.error && !(submit.error instanceof ApiError && submit.error.code === 'not_due') && (
              <Alert color="red" role="alert">
                {submit.error instanceof ApiError
                  ? submit.error.message
                  : 'Your answers could not be sent. Please try again.'}
              </Alert>
            )}
            <Group grow>
              <Button
                variant="default"
                size="lg"
                disabled={item === 0}
                onClick={() => setItem(item - 1)}
                type="button"
              >
                Back
              </Button>
              <Button size="lg" type="submit" disabled={!canGoOn} loading={submit.isPending}>
                {last ? 'Send' : answered || q.required ? 'Next' : 'Skip'}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Shell>
  );
}

/** The clinic's crisis resources, first on the screen, with tap-to-call links. */
function CrisisHelp({
  crisis,
  headingRef,
}: {
  crisis: PortalCrisis;
  headingRef: React.RefObject<HTMLHeadingElement | null>;
}) {
  const tel = (n: string) => `tel:${n.replace(/[^0-9+]/g, '')}`;
  return (
    <Paper
      p="lg"
      radius="md"
      role="alert"
      data-testid="portal-crisis"
      style={{ border: '3px solid var(--mantine-color-red-7)', background: 'var(--mantine-color-red-0)' }}
    >
      <Stack gap="md">
        <Title order={1} size="h2" ref={headingRef} tabIndex={-1} style={{ outline: 'none' }} c="red.9">
          Please talk to someone now
        </Title>
        <Text size="lg">
          Thank you for telling us how you feel. Your care team will read your answers, but not always
          straight away. If you are thinking about ending your life or harming yourself, help is there right
          now, day and night.
        </Text>
        <Button component="a" href={tel(crisis.crisisLinePhone)} size="xl" color="red" fullWidth>
          Call {crisis.crisisLinePhone} — {crisis.crisisLineName}
        </Button>
        {crisis.crisisLineText && (
          <Text size="lg">
            Or send a text message to <b>{crisis.crisisLineText}</b>
            {crisis.crisisLineUrl && (
              <>
                , or chat at{' '}
                <Anchor href={crisis.crisisLineUrl} target="_blank" rel="noreferrer">
                  {crisis.crisisLineUrl.replace(/^https?:\/\//, '')}
                </Anchor>
              </>
            )}
            .
          </Text>
        )}
        {crisis.clinicPhone && (
          <Button
            component="a"
            href={tel(crisis.clinicPhone)}
            size="lg"
            variant="outline"
            color="red"
            fullWidth
          >
            Call {crisis.clinicName}: {crisis.clinicPhone}
          </Button>
        )}
        <Text size="lg" fw={700}>
          If you are in danger now, call {crisis.emergencyNumber}.
        </Text>
      </Stack>
    </Paper>
  );
}
