import { Group, Paper, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** One card of the session page: a titled, labelled region. */
export function SessionCard({
  title,
  label,
  children,
  right,
}: {
  title: string;
  label: string;
  children: ReactNode;
  right?: ReactNode;
}) {
  return (
    <Paper withBorder p="md" component="section" aria-label={label}>
      <Group justify="space-between" mb="xs">
        <Title order={3}>{title}</Title>
        {right}
      </Group>
      {children}
    </Paper>
  );
}
