/**
 * Clinician entry of an instrument (clinician-rated MADRS, SSI, CADSS, C-SSRS screener, or a
 * self-report the patient filled on paper). Scored on the server by the clinical core; the score,
 * severity/risk and any alert raised are shown to the clinician after saving.
 */
import {
  Alert,
  Button,
  Group,
  Modal,
  Radio,
  ScrollArea,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError, call } from '../../api/client';
import { newIdempotencyKey } from '../../api/idempotency';
import { CONTEXT_LABELS, INSTRUMENT_SHORT, type Assessment, type InstrumentDef } from './types';

const NOT_ASKED = 'na';

function localNow(): string {
  const d = new Date();
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

function toLocalInput(iso: string): string {
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** Records a new response, or (with `correcting`) a correction stored as a new version. */
export function InstrumentForm({
  patientId,
  opened,
  onClose,
  correcting,
}: {
  patientId: string;
  opened: boolean;
  onClose: () => void;
  correcting?: Assessment | undefined;
}) {
  const queryClient = useQueryClient();
  const defs = useQuery({
    queryKey: ['instruments'],
    queryFn: () => call(api.GET('/api/instruments')),
    staleTime: Infinity,
  });
  const [instrument, setInstrument] = useState<string | null>(correcting?.instrument ?? 'phq9');
  const [context, setContext] = useState<string>(correcting?.context ?? 'ad-hoc');
  const [at, setAt] = useState(correcting ? toLocalInput(correcting.administeredAt) : localNow());
  const [answers, setAnswers] = useState<Record<string, string>>(
    correcting
      ? Object.fromEntries(
          correcting.items.map((i) => [i.itemId, i.value === null ? NOT_ASKED : String(i.value)]),
        )
      : {},
  );
  const [reason, setReason] = useState('');
  // One key per entry: a retry of this entry (a lost answer, a second click) is stored once.
  const [submissionKey, setSubmissionKey] = useState(newIdempotencyKey);
  const def: InstrumentDef | undefined = defs.data?.items.find((d) => d.id === instrument);
  const skipLogic = def?.id === 'cssrs-screener';
  const [suicideOnly, setSuicideOnly] = useState(correcting?.partialItemIds != null);
  // PHQ-9 item 9, QIDS item 12 or MADRS item 10 may be asked alone (the +4 h / +24 h check).
  const canAskAlone =
    !!def && def.items.some((i) => i.suicideItem) && def.items.some((i) => !i.suicideItem && i.scored);
  const alone = canAskAlone && suicideOnly;
  const answerBody = () =>
    Object.fromEntries(
      shown.map((i) => {
        const v = answers[i.id];
        return [i.id, v === undefined || v === NOT_ASKED ? null : Number(v)];
      }),
    );
  const shown = def ? def.items.filter((i) => !alone || i.suicideItem) : [];

  const save = useMutation({
    mutationFn: () =>
      correcting
        ? call(
            api.POST('/api/patients/{patientId}/assessments/{responseId}/corrections', {
              params: { path: { patientId, responseId: correcting.id } },
              body: {
                answers: answerBody(),
                reason,
                context: context as 'ad-hoc',
                administeredAt: new Date(at).toISOString(),
              },
            }),
          )
        : call(
            api.POST('/api/patients/{patientId}/assessments', {
              params: { path: { patientId }, header: { 'idempotency-key': submissionKey } },
              body: {
                instrument: def!.id,
                version: def!.version,
                context: context as 'ad-hoc',
                administeredAt: new Date(at).toISOString(),
                ...(alone ? { itemIds: shown.map((i) => i.id) } : {}),
                answers: answerBody(),
              },
            }),
          ),
    onSuccess: (res) => {
      const s = res.score;
      notifications.show({
        color: res.alert ? 'red' : 'teal',
        title: `${INSTRUMENT_SHORT[s.instrument]} saved`,
        message: [
          s.total !== null ? `Total ${s.total}` : null,
          s.severity ? s.severity : null,
          s.risk ? `risk ${s.risk}` : null,
          res.alert ? 'Alert raised for the clinician inbox' : null,
        ]
          .filter(Boolean)
          .join(' · '),
        autoClose: res.alert ? false : 6000,
      });
      void queryClient.invalidateQueries({ queryKey: ['patient', patientId] });
      void queryClient.invalidateQueries({ queryKey: ['alerts'] });
      void queryClient.invalidateQueries({ queryKey: ['due'] });
      setAnswers({});
      setSubmissionKey(newIdempotencyKey());
      onClose();
    },
  });
  const err = save.error instanceof ApiError ? save.error : null;

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={
        correcting
          ? `Correct ${INSTRUMENT_SHORT[correcting.instrument]} (new version)`
          : 'Record an instrument'
      }
      size="xl"
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack>
          <Group grow align="flex-start">
            <Select
              label="Instrument"
              data={(defs.data?.items ?? []).map((d) => ({
                value: d.id,
                label: `${d.title}${d.rater === 'clinician' ? ' (clinician)' : ''}`,
              }))}
              value={instrument}
              onChange={(v) => {
                setInstrument(v);
                setAnswers({});
              }}
              allowDeselect={false}
              disabled={!!correcting}
              comboboxProps={{ withinPortal: true }}
            />
            <Select
              label="Context"
              data={Object.entries(CONTEXT_LABELS).map(([value, label]) => ({ value, label }))}
              value={context}
              onChange={(v) => setContext(v ?? 'ad-hoc')}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
            />
            <TextInput
              label="Administered at"
              type="datetime-local"
              value={at}
              onChange={(e) => setAt(e.currentTarget.value)}
            />
          </Group>
          {def && (
            <>
              {canAskAlone && !correcting && (
                <Switch
                  label="Suicide item only (the +4 h / +24 h check)"
                  checked={suicideOnly}
                  onChange={(e) => setSuicideOnly(e.currentTarget.checked)}
                />
              )}
              <Text size="sm" c="dimmed">
                {def.recallPeriod.description}
                {def.licence.itemTextShipped ? '' : ' · item labels only (licensed text not loaded)'}
              </Text>
              <ScrollArea.Autosize mah="55vh">
                <Table verticalSpacing={6}>
                  <Table.Tbody>
                    {shown.map((item, n) => (
                      <Table.Tr key={item.id} bg={item.suicideItem ? 'red.0' : undefined}>
                        <Table.Td w={40}>
                          <Text size="sm" c="dimmed">
                            {n + 1}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Radio.Group
                            label={item.text ?? item.label}
                            value={answers[item.id] ?? ''}
                            onChange={(v) => setAnswers({ ...answers, [item.id]: v })}
                            required={item.required && !skipLogic}
                            error={err?.fieldErrors()[`item ${item.id}`]}
                          >
                            <Group gap="md" mt={4}>
                              {item.options.map((o) => (
                                <Radio key={o.value} value={String(o.value)} label={o.label} />
                              ))}
                              {(skipLogic || !item.required) && <Radio value={NOT_ASKED} label="not asked" />}
                            </Group>
                          </Radio.Group>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollArea.Autosize>
            </>
          )}
          {correcting && (
            <Textarea
              label="Reason for the correction"
              description="The original answers are kept; this version replaces them on the chart."
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              required
              error={err?.fieldErrors().reason}
            />
          )}
          {err && <Alert color="red">{err.message}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!def}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
