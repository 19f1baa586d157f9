import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRein } from './test-run';
import { BackupFormatError, exportDatabase, importDatabase, readBackupFile } from '../store/backup';
import type { Db } from '../store/open';
import {
  emptyTestDatabase,
  migratedDataDir,
  migratedTestDatabase,
  openTestStore,
  storeKinds,
  type StoreKind,
} from '../store/test-harness';
import { createTestApp, login, samplePatient, seedClinic } from '../server/test-support';

/** `rein ARGS…` in process (the same main() the binary runs), configured by `env` only. */
const rein = runRein;

/**
 * A place for a new, empty database of the kind: env for the CLI and a clean-up. `migrated`: already
 * migrated (a copy of the run's template), so the command skips creating the database; otherwise
 * nothing exists yet and the command creates and migrates it.
 */
async function emptyTarget(
  kind: StoreKind,
  { migrated }: { migrated: boolean },
): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  if (kind === 'pglite') {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'rein-restore-')), 'data');
    if (migrated) await migratedDataDir(dataDir);
    return { env: { REIN_DATA_DIR: dataDir }, drop: async () => {} };
  }
  const database = migrated ? await migratedTestDatabase() : await emptyTestDatabase();
  return { env: { DATABASE_URL: database.url }, drop: () => database.drop() };
}

/** A backup of one clinic with one patient, its audit events included, as text. */
async function smallBackup(kind: StoreKind): Promise<string> {
  const store = await openTestStore(kind);
  try {
    const clinic = await seedClinic(store, 'Small Backup Clinic');
    const app = await createTestApp(store);
    try {
      const prescriber = await login(app, clinic.users.prescriber);
      const created = await prescriber.request({
        method: 'POST',
        url: '/api/patients',
        payload: samplePatient(),
      });
      expect(created.statusCode, created.body).toBe(201);
    } finally {
      await app.close();
    }
    const lines: string[] = [];
    for await (const line of exportDatabase(store.db, new Date('2026-12-01T12:00:00Z'))) lines.push(line);
    return lines.map((l) => `${l}\n`).join('');
  } finally {
    await store.close();
  }
}

async function rowCount(db: Db, table: string): Promise<number> {
  const result = await db.execute(sql.raw(`select count(*)::int as n from ${table}`));
  return Number((result as unknown as { rows: Array<{ n: number }> }).rows[0]!.n);
}

for (const kind of storeKinds()) {
  // Each store round-trips one large backup, plain on PGlite and gzip on PostgreSQL: gzip is a stream
  // stage between the file and the same line writer and reader on both stores, and both formats are
  // restored on both stores by the small-backup tests below (the writer's gzip at size only here).
  const gzip = kind === 'postgres';
  describe(`rein restore [${kind}]`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'rein-restore-src-'));
    const file = join(dir, gzip ? 'clinic.jsonl.gz' : 'clinic.jsonl');
    let source: { env: Record<string, string>; drop(): Promise<void> };
    let written: { rows: number; tables: Record<string, number> };
    let size: number;

    beforeAll(async () => {
      source = await emptyTarget(kind, { migrated: true });
      const demo = await rein(
        ['demo', '--patients', '70', '--seed', '7', '--no-progress', '--json'],
        source.env,
      );
      expect(demo.code, demo.stderr).toBe(0);
      const backup = await rein(['backup', file, '--json'], source.env);
      expect(backup.code, backup.stderr).toBe(0);
      written = JSON.parse(backup.stdout);
      size = statSync(file).size;
    }, 300_000);
    afterAll(async () => {
      await source?.drop();
    });

    it(
      `round-trips a ${gzip ? 'gzip' : 'plain'} backup of over 10 MB (uncompressed), every row accounted for`,
      { timeout: 300_000 },
      async () => {
        const text = gzip ? gunzipSync(readFileSync(file)) : readFileSync(file);
        expect(text.length).toBeGreaterThan(10 * 1024 * 1024);
        if (gzip) expect(size).toBeLessThan(text.length / 4);
        // A backup never overwrites a file.
        const again = await rein(['backup', file], source.env);
        expect(again.code).toBe(2);
        expect(again.stderr).toMatch(/FILE: .* already exists/);
        expect(statSync(file).size).toBe(size);
        expect(written.tables.assessment_item_answers).toBeGreaterThan(1000);
        // On PostgreSQL the backup goes where nothing exists yet (the restore creates the database).
        // On PGlite it goes into a copy of the migrated template: creating a new embedded database
        // costs ~9 s of CPU, and the path that does it (openStore on a new directory, which
        // `rein restore` opens through withStore) is store/data-dir.test.ts's.
        const target = await emptyTarget(kind, { migrated: kind === 'pglite' });
        try {
          const restore = await rein(['restore', file, '--json'], target.env);
          expect(restore.code, restore.stderr).toBe(0);
          expect(JSON.parse(restore.stdout)).toMatchObject({ rows: written.rows, tables: written.tables });
          // Now holding a clinic, the target refuses another restore.
          const twice = await rein(['restore', file], target.env);
          expect(twice.code).toBe(2);
          expect(twice.stderr).toMatch(/not empty/);
        } finally {
          await target.drop();
        }
      },
    );

    it(
      'refuses a backup cut at any of many byte offsets, plain or gzip, and writes nothing',
      { timeout: 300_000 },
      async () => {
        // A small backup keeps 60 restores quick; the reader is the same for any size.
        const small = await openTestStore(kind);
        const target = await openTestStore(kind);
        try {
          await seedClinic(small, 'Cut Clinic');
          await seedClinic(small, 'Second Cut Clinic');
          const lines: string[] = [];
          for await (const line of exportDatabase(small.db, new Date('2026-12-01T12:00:00Z')))
            lines.push(line);
          const whole = Buffer.from(lines.map((l) => `${l}\n`).join(''));
          const cutDir = mkdtempSync(join(tmpdir(), 'rein-cut-'));
          // Offsets spread over the file, plus cuts exactly at line ends (where every line still parses).
          // (Cutting only the final newline leaves a complete file, so the last cut is inside the trailer.)
          const offsets = new Set<number>([1, 10, whole.length - 2, whole.length - 20]);
          for (let i = 1; i <= 24; i++) offsets.add(Math.floor((whole.length * i) / 26));
          let at = 0;
          for (const line of lines.slice(0, -1)) {
            at += Buffer.byteLength(line) + 1;
            if (offsets.size < 40) offsets.add(at);
          }
          const gzWhole = gzipSync(whole);
          const gzOffsets = [
            ...new Set([
              10,
              20,
              ...Array.from({ length: 18 }, (_, i) => Math.floor((gzWhole.length * (i + 1)) / 20)),
            ]),
          ];
          expect(offsets.size).toBeGreaterThanOrEqual(30);
          for (const offset of offsets) {
            const file = join(cutDir, `cut-${offset}.jsonl`);
            writeFileSync(file, whole.subarray(0, offset));
            await expect(
              importDatabase(target.db, readBackupFile(file)),
              `cut at byte ${offset}`,
            ).rejects.toThrow(BackupFormatError);
          }
          for (const offset of gzOffsets.filter((o) => o < gzWhole.length)) {
            const file = join(cutDir, `cut-${offset}.jsonl.gz`);
            writeFileSync(file, gzWhole.subarray(0, offset));
            await expect(
              importDatabase(target.db, readBackupFile(file)),
              `gzip cut at byte ${offset}`,
            ).rejects.toThrow(BackupFormatError);
          }
          for (const table of ['clinics', 'users', 'audit_events'])
            expect(await rowCount(target.db, table)).toBe(0);
          // The whole file, and the whole gzip, restore.
          writeFileSync(join(cutDir, 'whole.jsonl.gz'), gzWhole);
          const summary = await importDatabase(target.db, readBackupFile(join(cutDir, 'whole.jsonl.gz')));
          expect(summary.tables.clinics).toBe(2);
        } finally {
          await small.close();
          await target.close();
        }
      },
    );

    it(
      'names what is missing, and says so without a stack trace from the command',
      { timeout: 120_000 },
      async () => {
        // A small backup: the messages are the same for any size, and each refusal reads the file.
        const text = await smallBackup(kind);
        const cut = join(dir, 'cut-after-audit.jsonl');
        // Cut right after the last audit row: the failure the format must catch (later tables silently empty).
        const lastAudit = text.lastIndexOf('{"t":"audit_events"');
        writeFileSync(cut, text.slice(0, text.indexOf('\n', lastAudit) + 1));
        const target = await emptyTarget(kind, { migrated: true });
        try {
          const refused = await rein(['restore', cut], target.env);
          expect(refused.code).toBe(2);
          expect(refused.stderr).toMatch(/incomplete/);
          expect(refused.stderr).toMatch(/tables never reached: .*\w/);
          expect(refused.stderr).not.toMatch(/\n\s+at /);
          const gzCut = join(dir, 'cut.jsonl.gz');
          const gzBytes = gzipSync(text);
          writeFileSync(gzCut, gzBytes.subarray(0, Math.floor(gzBytes.length / 2)));
          const gzRefused = await rein(['restore', gzCut], target.env);
          expect(gzRefused.code).toBe(2);
          expect(gzRefused.stderr).toMatch(/cut off or damaged|incomplete/);
          expect(gzRefused.stderr).not.toMatch(/\n\s+at /);
          const tampered = join(dir, 'tampered.jsonl');
          const at = text.indexOf('"givenName":"') + '"givenName":"'.length;
          writeFileSync(tampered, text.slice(0, at) + (text[at] === 'Q' ? 'Z' : 'Q') + text.slice(at + 1));
          const changed = await rein(['restore', tampered], target.env);
          expect(changed.code).toBe(2);
          expect(changed.stderr).toMatch(/checksum/);
          // After three refusals the target is still empty: a complete restore works.
          const whole = join(dir, 'small.jsonl.gz');
          writeFileSync(whole, gzBytes);
          const ok = await rein(['restore', whole, '--json'], target.env);
          expect(ok.code, ok.stderr).toBe(0);
          expect(JSON.parse(ok.stdout).tables.patients).toBe(1);
        } finally {
          await target.drop();
        }
      },
    );
  });
}
