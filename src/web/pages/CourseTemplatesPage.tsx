import { Alert, Badge, Button, Code, Group, Paper, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError, call } from '../api/client';
import { useAuth } from '../auth';
import { MODALITY_LABELS } from '../../clinical/vocabulary/modalities';

/**
 * Course templates: the cited built-ins and the clinic's own. A prescriber edits a
 * template as JSON (the schema the server validates, with each error named by its field); saving with
 * the same id makes a new version that replaces a built-in for this clinic, never a silent overwrite.
 */
export function CourseTemplatesPage() {
  const { can } = useAuth();
  const canEdit = can('courseTemplates.edit');
  const templates = useQuery({
    queryKey: ['course-templates'],
    queryFn: () => call(api.GET('/api/course-templates')),
  });
  const [draft, setDraft] = useState<string | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const saveTemplate = useMutation({
    mutationFn: (template: unknown) =>
      call(api.POST('/api/course-templates', { body: { template } as never })),
    onSuccess: async () => {
      notifications.show({ color: 'teal', message: 'Template saved for this clinic.' });
      setDraft(null);
      await templates.refetch();
    },
    onError: (err) => {
      // A template is a nested document: each refusal is listed with the path it names.
      if (err instanceof ApiError) {
        const fields = err.body?.error.fields ?? [];
        setErrors(fields.length ? fields.map((f) => `${f.path}: ${f.message}`) : [err.message]);
      } else setErrors(['Could not reach the server.']);
    },
  });
  const saving = saveTemplate.isPending;

  function save() {
    setErrors([]);
    let template: unknown;
    try {
      template = JSON.parse(draft ?? '');
    } catch (e) {
      setErrors([`The template is not valid JSON: ${(e as Error).message}`]);
      return;
    }
    saveTemplate.mutate(template);
  }

  return (
    <Stack maw={1100}>
      <Title order={2}>Course templates</Title>
      <Text c="dimmed" size="sm">
        Built-in templates cite their source; a clinic template with the same id replaces the built-in for
        this clinic. Courses already scheduled keep the template they were made with.
      </Text>
      <Paper withBorder>
        <Table aria-label="Course templates" verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Template</Table.Th>
              <Table.Th>Modality</Table.Th>
              <Table.Th>Sessions</Table.Th>
              <Table.Th>Source</Table.Th>
              {canEdit && <Table.Th />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {templates.data?.map((t) => (
              <Table.Tr key={`${t.source}-${t.template.id}`}>
                <Table.Td>
                  <Text fw={500}>{t.template.name}</Text>
                  <Code>{t.template.id}</Code>
                </Table.Td>
                <Table.Td>{MODALITY_LABELS[t.template.modality]}</Table.Td>
                <Table.Td>{t.plannedSessions ?? 'open-ended'}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={t.source === 'clinic' ? 'teal' : 'gray'}>
                    {t.source === 'clinic' ? 'clinic' : 'built-in'}
                  </Badge>
                </Table.Td>
                {canEdit && (
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="subtle"
                      onClick={() => setDraft(JSON.stringify(t.template, null, 2))}
                    >
                      Edit
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      {canEdit && draft !== null && (
        <Paper withBorder p="md">
          <Title order={4} mb="xs">
            Edit template
          </Title>
          <Text size="xs" c="dimmed" mb="xs">
            Keep the id to replace that template for this clinic, or give a new id to add one. The server
            checks every field and names any it refuses.
          </Text>
          {errors.length > 0 && (
            <Alert color="red" role="alert" mb="sm">
              {errors.map((e) => (
                <div key={e}>{e}</div>
              ))}
            </Alert>
          )}
          <Textarea
            aria-label="Template JSON"
            autosize
            minRows={12}
            maxRows={30}
            styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
            value={draft}
            onChange={(e) => setDraft(e.currentTarget.value)}
          />
          <Group mt="sm">
            <Button onClick={save} loading={saving}>
              Save for this clinic
            </Button>
            <Button variant="default" onClick={() => setDraft(null)}>
              Cancel
            </Button>
          </Group>
        </Paper>
      )}
    </Stack>
  );
}
