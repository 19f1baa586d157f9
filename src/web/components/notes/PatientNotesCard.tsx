import { Alert, Anchor, Badge, Button, Group, Modal, Paper, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { NOTE_KIND_LABELS } from '../../../clinical/vocabulary';
import { useClinicDates } from '../../dates';
import { serverErrors } from '../../forms';
import { NoteView } from './NoteView';
import { notePdfHref, notesQueryKey, noteStatusWords, readNotes, STATUS_COLOR } from './types';

/** The patient's notes, newest first: kind, when, who, status; each opens and prints. */
export function PatientNotesCard({ patientId }: { patientId: string }) {
  const dates = useClinicDates();
  const queryClient = useQueryClient();
  const notes = useQuery({ queryKey: notesQueryKey(patientId), queryFn: () => readNotes(patientId) });
  const [openId, setOpenId] = useState<string | null>(null);
  const items = notes.data?.items ?? [];
  const open = items.find((n) => n.id === openId) ?? null;
  return (
    <Paper withBorder p="md" component="section" aria-label="Clinical notes">
      <Title order={4} mb="sm">
        Clinical notes
      </Title>
      {notes.error && <Alert color="red">{serverErrors(notes.error, []).message}</Alert>}
      {notes.data && items.length === 0 && (
        <Text size="sm" c="dimmed">
          No notes yet. Administration notes are written on the session screen.
        </Text>
      )}
      {items.length > 0 && (
        <Table aria-label="Notes list" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Note</Table.Th>
              <Table.Th>Started</Table.Th>
              <Table.Th>Author</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((n) => {
              const words = noteStatusWords(n);
              return (
                <Table.Tr key={n.id}>
                  <Table.Td>
                    {n.sessionId ? (
                      <Anchor component={Link} to={`/patients/${patientId}/sessions/${n.sessionId}`}>
                        {NOTE_KIND_LABELS[n.kind]}
                      </Anchor>
                    ) : (
                      NOTE_KIND_LABELS[n.kind]
                    )}
                    {n.fields.session && (
                      <Text size="xs" c="dimmed">
                        Session {n.fields.session.sequence}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{dates.dateTime(n.createdAt)}</Table.Td>
                  <Table.Td>{n.authorName}</Table.Td>
                  <Table.Td>
                    <Badge color={STATUS_COLOR[words]} variant="light">
                      {words}
                    </Badge>
                    {n.addenda.length > 0 && (
                      <Text size="xs" c="dimmed">
                        {n.addenda.length === 1 ? '1 addendum' : `${n.addenda.length} addenda`}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" justify="flex-end">
                      <Button size="xs" variant="light" onClick={() => setOpenId(n.id)}>
                        Open
                      </Button>
                      <Button size="xs" variant="default" component="a" href={notePdfHref(n)} target="_blank">
                        Print
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      <Modal
        opened={open !== null}
        onClose={() => setOpenId(null)}
        title={open ? NOTE_KIND_LABELS[open.kind] : ''}
        size="xl"
      >
        {open && (
          <NoteView
            note={open}
            onChanged={() => void queryClient.invalidateQueries({ queryKey: notesQueryKey(patientId) })}
          />
        )}
      </Modal>
    </Paper>
  );
}
