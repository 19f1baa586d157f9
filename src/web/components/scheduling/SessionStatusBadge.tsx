import { Badge } from '@mantine/core';
import { SESSION_STATUS_LABELS, type SessionStatus } from '../../../clinical/vocabulary/booking';

/** Cancelled and missed sessions stand out from the ones that are on or happened. */
const STATUS_COLOR: Record<SessionStatus, string> = {
  booked: 'blue',
  'in-progress': 'indigo',
  done: 'teal',
  'no-show': 'orange',
  cancelled: 'gray',
};

/** Where a booked session stands, as a labelled badge (never a bare code). */
export function SessionStatusBadge({
  status,
  size = 'sm',
}: {
  status: SessionStatus;
  size?: 'xs' | 'sm' | 'lg';
}) {
  const label = SESSION_STATUS_LABELS[status];
  return (
    <Badge
      size={size}
      color={STATUS_COLOR[status]}
      variant={status === 'cancelled' || status === 'no-show' ? 'outline' : 'light'}
      aria-label={`Status: ${label}`}
      data-status={status}
      data-testid="session-status"
    >
      {label}
    </Badge>
  );
}
