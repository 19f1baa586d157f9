/** Column builders shared by every schema file (the same keys and ids everywhere). */
import { sql } from 'drizzle-orm';
import { timestamp, uuid } from 'drizzle-orm/pg-core';
import { uuidv7 } from 'uuidv7';

/** Row id: UUIDv7, generated in TypeScript (PostgreSQL 15 has no uuidv7()). */
export const id = () =>
  uuid('id')
    .notNull()
    .$defaultFn(() => uuidv7());
/** The tenant key, first column of every clinic table's primary key. */
export const clinicId = () => uuid('clinic_id').notNull();
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
/** A CHECK constraint body: `column in ('a', 'b', …)` for a fixed list of values. */
export const inList = (column: string, values: readonly string[]) =>
  sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);
