import type { CsvColumn } from './csv';

/** The audit export's columns (documented in docs/csv-exports.md). */
export interface AuditCsvRow {
  seq: number | null;
  at: Date;
  userId: string | null;
  userEmail: string | null;
  actorRole: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  requestId: string | null;
  outcome: string;
  details: unknown;
  hash: string | null;
}

export const AUDIT_CSV_COLUMNS: ReadonlyArray<CsvColumn<AuditCsvRow>> = [
  { header: 'seq', value: (r) => r.seq },
  { header: 'at_utc', value: (r) => r.at.toISOString() },
  { header: 'user_id', value: (r) => r.userId },
  { header: 'user_email', value: (r) => r.userEmail },
  { header: 'actor_role', value: (r) => r.actorRole },
  { header: 'action', value: (r) => r.action },
  { header: 'resource_type', value: (r) => r.resourceType },
  { header: 'resource_id', value: (r) => r.resourceId },
  { header: 'request_id', value: (r) => r.requestId },
  { header: 'outcome', value: (r) => r.outcome },
  {
    header: 'details_json',
    value: (r) => (r.details === null || r.details === undefined ? null : JSON.stringify(r.details)),
  },
  { header: 'hash', value: (r) => r.hash },
];
