import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER } from './open';

interface Journal {
  entries: Array<{ idx: number; when: number; tag: string }>;
}

/**
 * Drizzle applies a migration only if its journal timestamp is newer than the last applied one, so a
 * migration with an older timestamp (a merge, a hand edit) would be skipped silently
 * (engineering-notes §2.3). The journal must therefore increase strictly.
 */
describe('migrations', () => {
  const journal = JSON.parse(
    readFileSync(resolve(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8'),
  ) as Journal;

  it('has at least one migration', () => {
    expect(journal.entries.length).toBeGreaterThan(0);
  });

  it('journal timestamps increase strictly, in index order', () => {
    journal.entries.forEach((entry, i) => {
      expect(entry.idx).toBe(i);
      if (i > 0) expect(entry.when).toBeGreaterThan(journal.entries[i - 1]!.when);
    });
  });

  it('every journal entry has its SQL file and every SQL file is in the journal', () => {
    const files = readdirSync(MIGRATIONS_FOLDER)
      .filter((f) => f.endsWith('.sql'))
      .sort();
    expect(files).toEqual(journal.entries.map((e) => `${e.tag}.sql`).sort());
  });

  it('uses no PostgreSQL feature newer than 15 (uuidv7() is PostgreSQL 18 only)', () => {
    for (const entry of journal.entries) {
      const sql = readFileSync(resolve(MIGRATIONS_FOLDER, `${entry.tag}.sql`), 'utf8');
      expect(sql).not.toMatch(/uuidv7\(/i);
    }
  });
});
