import { Alert, Button, Group, Loader, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ADMINISTRATION_NOTE_KIND, NOTE_KIND_LABELS, type NoteKind } from '../../../clinical/vocabulary';
import { api, call } from '../../api/client';
import { useAuth } from '../../auth';
import { serverErrors } from '../../forms';
import { SessionCard } from '../sessions/SessionCard';
import type { SessionParams } from '../sessions/session-mutation';
import type { SessionState } from '../sessions/types';
import { NoteView } from './NoteView';
import { notesQueryKey, readNotes } from './types';

/**
 * The session's notes: the administration note of the session's modality, started from its
 * template and prefilled from the session record and the previous note; a prescriber may also write
 * a progress note here.
 */
export function SessionNotesCard({ params, state }: { params: SessionParams; state: SessionState }) {
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const notes = useQuery({
    queryKey: notesQueryKey(params.patientId, params.sessionId),
    queryFn: () => readNotes(params.patientId, params.sessionId),
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: notesQueryKey(params.patientId) });
  const start = useMutation({
    mutationFn: (kind: NoteKind) =>
      call(
        api.POST('/api/patients/{patientId}/notes', {
          params: { path: { patientId: params.patientId } },
          body: { kind, sessionId: params.sessionId },
        }),
      ),
    onSuccess: refresh,
  });
  const administration = ADMINISTRATION_NOTE_KIND[state.course.modality];
  const items = notes.data?.items ?? [];
  const has = (kind: NoteKind) => items.some((n) => n.kind === kind);
  // Progress notes are the prescriber's: the same people who co-sign.
  const kinds: NoteKind[] = [
    ...(has(administration) ? [] : [administration]),
    ...(can('notes.cosign') && !has('prescriber-progress') ? (['prescriber-progress'] as const) : []),
  ];
  return (
    <SessionCard title="Notes" label="Notes">
      <Stack gap="sm">
        {notes.isLoading && <Loader size="sm" aria-label="Loading notes" />}
        {notes.error && <Alert color="red">{serverErrors(notes.error, []).message}</Alert>}
        {notes.data && items.length === 0 && (
          <Text size="sm" c="dimmed">
            No note for this session yet.
          </Text>
        )}
        {items.map((n) => (
          <NoteView key={n.id} note={n} onChanged={refresh} />
        ))}
        {can('notes.write') && kinds.length > 0 && (
          <Group>
            {kinds.map((kind) => (
              <Button
                key={kind}
                variant="light"
                loading={start.isPending && start.variables === kind}
                onClick={() => start.mutate(kind)}
              >
                Write {NOTE_KIND_LABELS[kind].toLowerCase().replace(/^iv /, 'IV ')}
              </Button>
            ))}
          </Group>
        )}
        {start.error && <Alert color="red">{serverErrors(start.error, []).message}</Alert>}
      </Stack>
    </SessionCard>
  );
}
