import { Alert, Badge, Button, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { NOTE_KIND_LABELS } from '../../../clinical/vocabulary';
import { api, call } from '../../api/client';
import { useAuth } from '../../auth';
import { noteAddendumSchema, noteDraftSchema } from '../../contracts';
import { useClinicDates } from '../../dates';
import { serverErrors } from '../../forms';
import { useServerForm } from '../../useServerForm';
import { SessionSummary } from './SessionSummary';
import { notePdfHref, noteStatusWords, STATUS_COLOR, type NoteData } from './types';

interface DraftValues extends Record<string, unknown> {
  assessment: string;
  plan: string;
  text: string;
}

const Words = ({ label, value }: { label: string; value: string }) => (
  <div>
    <Text size="sm" fw={500}>
      {label}
    </Text>
    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} c={value.trim() ? undefined : 'dimmed'}>
      {value.trim() ? value : 'nothing written'}
    </Text>
  </div>
);

/** The author's draft: assessment, plan and free text; saved as a draft, or signed and locked. */
function DraftForm({ note, onChanged }: { note: NoteData; onChanged(n: NoteData): void }) {
  const path = { params: { path: { patientId: note.patientId, noteId: note.id } } };
  const toRequest = (v: DraftValues) => ({ version: note.version, ...v });
  const { form, onSubmit, pending, message } = useServerForm({
    initialValues: { assessment: note.fields.assessment, plan: note.fields.plan, text: note.text },
    schema: noteDraftSchema,
    toRequest,
    send: (body) => call(api.PUT('/api/patients/{patientId}/notes/{noteId}', { ...path, body })),
    onSaved: onChanged,
  });
  const [signError, setSignError] = useState<string | null>(null);
  // Signing signs what is on screen: unsaved changes are saved first, then that version is signed.
  const sign = useMutation({
    mutationFn: async () => {
      const saved = form.isDirty()
        ? await call(
            api.PUT('/api/patients/{patientId}/notes/{noteId}', { ...path, body: toRequest(form.values) }),
          )
        : note;
      return call(
        api.POST('/api/patients/{patientId}/notes/{noteId}/sign', {
          ...path,
          body: { version: saved.version },
        }),
      );
    },
    onMutate: () => setSignError(null),
    onSuccess: onChanged,
    onError: (err) => setSignError(serverErrors(err, []).message),
  });
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Edit note">
      <Stack gap="xs">
        <Textarea label="Assessment" autosize minRows={2} {...form.getInputProps('assessment')} />
        <Textarea
          label="Plan"
          autosize
          minRows={2}
          description={
            note.fields.carriedFromNoteId ? 'Carried forward from the previous signed note' : undefined
          }
          {...form.getInputProps('plan')}
        />
        <Textarea label="Note" autosize minRows={6} {...form.getInputProps('text')} />
        {(message ?? signError) && <Alert color="red">{message ?? signError}</Alert>}
        <Group>
          <Button type="submit" variant="default" loading={pending}>
            Save draft
          </Button>
          <Button
            loading={sign.isPending}
            onClick={() => {
              if (!form.validate().hasErrors) sign.mutate();
            }}
          >
            Sign note
          </Button>
          <Text size="xs" c="dimmed">
            Once signed the note is locked; later changes are addenda.
          </Text>
        </Group>
      </Stack>
    </form>
  );
}

function AddendumForm({ note, onChanged }: { note: NoteData; onChanged(n: NoteData): void }) {
  const { form, onSubmit, pending, message } = useServerForm({
    initialValues: { text: '' },
    schema: noteAddendumSchema,
    toRequest: (v: { text: string }) => ({ text: v.text }),
    messages: { text: 'Write the addendum' },
    send: (body) =>
      call(
        api.POST('/api/patients/{patientId}/notes/{noteId}/addenda', {
          params: { path: { patientId: note.patientId, noteId: note.id } },
          body,
        }),
      ),
    onSaved: onChanged,
    resetOnSave: true,
  });
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Add addendum">
      <Stack gap="xs">
        <Textarea label="Addendum" autosize minRows={2} {...form.getInputProps('text')} />
        {message && <Alert color="red">{message}</Alert>}
        <Group>
          <Button type="submit" variant="light" loading={pending}>
            Add addendum
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * One clinical note: the session summary from the record, the author's draft (edited by the author
 * only) or the signed, locked text with its signatures, the co-signature where it is awaited,
 * addenda with who and when, and the printout.
 */
export function NoteView({ note, onChanged }: { note: NoteData; onChanged(n: NoteData): void }) {
  const dates = useClinicDates();
  const { can, user } = useAuth();
  const words = noteStatusWords(note);
  const mine = user?.id === note.authorId;
  const cosign = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/patients/{patientId}/notes/{noteId}/cosign', {
          params: { path: { patientId: note.patientId, noteId: note.id } },
        }),
      ),
    onSuccess: onChanged,
  });
  return (
    <Paper withBorder p="sm" component="article" aria-label={NOTE_KIND_LABELS[note.kind]}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={4}>{NOTE_KIND_LABELS[note.kind]}</Title>
          <Group gap="xs">
            <Badge color={STATUS_COLOR[words]} variant="light" data-testid="note-status">
              {words}
            </Badge>
            <Button component="a" href={notePdfHref(note)} target="_blank" size="xs" variant="default">
              Print (PDF)
            </Button>
          </Group>
        </Group>
        <Text size="xs" c="dimmed" data-testid="note-signatures">
          Written by {note.authorName} · started {dates.dateTime(note.createdAt)}
          {note.signedAt && ` · signed by ${note.authorName} ${dates.dateTime(note.signedAt)}`}
          {note.cosignedAt &&
            ` · co-signed by ${note.cosignerName ?? 'a prescriber'} ${dates.dateTime(note.cosignedAt)}`}
        </Text>
        {note.fields.session && <SessionSummary summary={note.fields.session} />}
        {note.status === 'draft' && mine && can('notes.write') ? (
          <DraftForm key={`${note.id}-${note.version}`} note={note} onChanged={onChanged} />
        ) : (
          <>
            {note.status === 'draft' && (
              <Text size="sm" c="dimmed">
                A draft: only {note.authorName} edits and signs it.
              </Text>
            )}
            <Words label="Assessment" value={note.fields.assessment} />
            <Words label="Plan" value={note.fields.plan} />
            <Words label="Note" value={note.text} />
          </>
        )}
        {words === 'awaiting co-sign' && can('notes.cosign') && !mine && (
          <Group>
            <Button color="teal" loading={cosign.isPending} onClick={() => cosign.mutate()}>
              Co-sign note
            </Button>
            {cosign.error && (
              <Text size="sm" c="red">
                {serverErrors(cosign.error, []).message}
              </Text>
            )}
          </Group>
        )}
        {note.addenda.length > 0 && (
          <Stack gap={4} aria-label="Addenda" data-testid="note-addenda">
            {note.addenda.map((a) => (
              <Paper key={a.id} bg="gray.0" p="xs">
                <Text size="xs" c="dimmed">
                  Addendum by {a.authorName} · {dates.dateTime(a.createdAt)}
                </Text>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {a.text}
                </Text>
              </Paper>
            ))}
          </Stack>
        )}
        {note.status === 'signed' && can('notes.write') && <AddendumForm note={note} onChanged={onChanged} />}
      </Stack>
    </Paper>
  );
}
