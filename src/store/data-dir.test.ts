import { mkdirSync, mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from './open';
import { clinics } from './schema';

// The embedded database's directory: PGlite only (DATABASE_URL has no directory).
describe('embedded database directory', () => {
  it('creates a new database in an existing empty directory (a fresh Docker volume)', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'rein-volume-')), 'data');
    mkdirSync(dataDir);
    const store = await openStore({ dataDir });
    try {
      // Migrated and empty: the first start creates the clinic next.
      expect(await store.db.select().from(clinics)).toEqual([]);
    } finally {
      await store.close();
    }
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    // And it opens again as the database it now is.
    const again = await openStore({ dataDir });
    await again.close();
  }, 120_000);

  it('refuses a directory that holds files but no database, and leaves them alone', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rein-not-a-db-'));
    writeFileSync(join(dataDir, 'notes.txt'), 'not a database');
    await expect(openStore({ dataDir })).rejects.toThrow(/exists but is not a database directory/);
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(false);
  });
});
