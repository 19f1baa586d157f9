/** Start-page panel: every clinician sees the clinic's unacknowledged alerts first. */
import { Badge, Button, Group, Paper, Title } from '@mantine/core';
import { Link } from 'react-router';
import { AlertInbox, useOpenAlerts } from './AlertInbox';

export function OpenAlertsCard() {
  const alerts = useOpenAlerts();
  const n = alerts.data?.pages[0]?.total.alerts ?? 0;
  return (
    <Paper withBorder p="md" data-testid="start-alerts">
      <Group justify="space-between" mb="sm">
        <Group gap="xs">
          <Title order={4}>Unacknowledged alerts</Title>
          {n > 0 && (
            <Badge color="red" data-testid="open-alert-count">
              {n}
            </Badge>
          )}
        </Group>
        <Button component={Link} to="/alerts" variant="subtle" size="xs">
          Alert inbox
        </Button>
      </Group>
      <AlertInbox emptyText="No unacknowledged alerts." />
    </Paper>
  );
}
