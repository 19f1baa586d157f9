import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { roleLabel, type ClinicUser } from './types';

/**
 * A role decides what a person may read and change in every patient's record, so a change is
 * confirmed, naming the person and both roles, before it is sent.
 */
export function RoleChangeModal({
  user,
  newRole,
  pending,
  onConfirm,
  onCancel,
}: {
  user: ClinicUser;
  newRole: string;
  pending: boolean;
  onConfirm(): void;
  onCancel(): void;
}) {
  return (
    <Modal opened onClose={onCancel} title="Change role?">
      <Stack>
        <Text>
          Change <strong>{user.name}</strong> from <strong>{roleLabel(user.role)}</strong> to{' '}
          <strong>{roleLabel(newRole)}</strong>?
        </Text>
        <Text size="sm" c="dimmed">
          It applies to their very next action; what they may open and change follows the new role.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Keep {roleLabel(user.role)}
          </Button>
          <Button color="orange" loading={pending} onClick={onConfirm}>
            Change to {roleLabel(newRole)}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
