import { Button, Menu } from '@mantine/core';
import { useState } from 'react';
import type { SessionStatus } from '../../../clinical/vocabulary/booking';
import { BookingChangeModal, type BookedSession, type ChangeKind } from './BookingChangeModal';

/**
 * What the front desk may do to one session's booking: a booked session can be rescheduled,
 * cancelled or marked a no-show; a missed one rescheduled. Anything else keeps its booking.
 */
export function BookingActions({
  patientId,
  session,
  status,
  compact = false,
}: {
  patientId: string;
  session: BookedSession;
  status: SessionStatus;
  compact?: boolean;
}) {
  const [kind, setKind] = useState<ChangeKind | null>(null);
  if (status !== 'booked' && status !== 'no-show') return null;
  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button size={compact ? 'compact-xs' : 'compact-sm'} variant="default">
            Change booking
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={() => setKind('reschedule')}>Reschedule…</Menu.Item>
          {status === 'booked' && (
            <>
              <Menu.Item onClick={() => setKind('cancel')}>Cancel session…</Menu.Item>
              <Menu.Item onClick={() => setKind('no-show')}>Mark no-show…</Menu.Item>
            </>
          )}
        </Menu.Dropdown>
      </Menu>
      {kind && (
        <BookingChangeModal
          patientId={patientId}
          session={session}
          kind={kind}
          onClose={() => setKind(null)}
        />
      )}
    </>
  );
}
