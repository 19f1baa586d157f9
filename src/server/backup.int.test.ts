import { asc } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { beforeAll, expect, it } from 'vitest';
import { createTestApp, login, samplePatient, seedClinic } from './test-support';
import { allTables } from '../store/all-tables';
import { BackupFormatError, exportDatabase, importDatabase } from '../store/backup';
import type { Db } from '../store/open';
import { describeEachStore, openTestStore, storeKinds } from '../store/test-harness';
import { loadDemoData } from '../demo';
import { inClinic } from '../store/tx';

async function dumpTable(db: Db, table: PgTable) {
  const cfg = getTableConfig(table);
  const pk = cfg.primaryKeys[0]?.columns ?? cfg.columns.filter((c) => c.primary);
  return db
    .select()
    .from(table)
    .orderBy(...pk.map((c) => asc(c)));
}

async function collect(gen: AsyncGenerator<string>): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of gen) lines.push(line);
  return lines;
}

describeEachStore('backup and restore', ({ store, kind }) => {
  let lines: string[];
  beforeAll(async () => {
    // A clinic with data in as many tables as the API reaches: users, sessions, patients with
    // measurements, medications and revisions, assessments (with an alert), a taper plan, audit events.
    // Ten demo patients fill every table the default sixty do, at a sixth of the rows to copy back.
    const db = store().db;
    const clinic = await seedClinic(store(), 'Backup Clinic');
    await inClinic(db, clinic.id, (tx) =>
      loadDemoData(tx, clinic.id, clinic.users.admin.id, new Date('2026-11-01T00:00:00Z'), undefined, {
        patients: 10,
      }),
    );
    const app = await createTestApp(store());
    const s = await login(app, clinic.users.prescriber);
    const p = (
      await s.request({
        method: 'POST',
        url: '/api/patients',
        payload: samplePatient({ familyName: 'Ünïcødé "quoted"' }),
      })
    ).json();
    await s.request({
      method: 'PATCH',
      url: `/api/patients/${p.id}`,
      payload: { pronouns: 'they/them', reason: 'asked' },
    });
    await s.request({
      method: 'POST',
      url: `/api/patients/${p.id}/body-measurements`,
      payload: { weightKg: 70.3, heightCm: 171.5 },
    });
    await s.request({
      method: 'POST',
      url: `/api/patients/${p.id}/medications`,
      payload: { name: 'Lamotrigine', dose: 200, doseUnit: 'mg', classTags: ['lamotrigine'] },
    });
    const phq9 = await s.request({
      method: 'POST',
      url: `/api/patients/${p.id}/assessments`,
      payload: {
        instrument: 'phq9',
        version: '1.0.0',
        context: 'baseline',
        administeredAt: '2026-11-20T10:00:00Z',
        answers: [1, 2, 1, 2, 1, 1, 1, 1, 2],
      },
    });
    expect(phq9.statusCode, phq9.body).toBe(201);
    const taper = await s.request({
      method: 'POST',
      url: `/api/patients/${p.id}/tapers`,
      payload: {
        drug: 'sertraline',
        startDoseMg: 100,
        mode: 'occupancy',
        stepPp: 10,
        intervalDays: 28,
        startDate: '2026-01-05',
      },
    });
    expect(taper.statusCode, taper.body).toBe(201);
    await app.close();
    lines = await collect(exportDatabase(db, new Date('2026-11-26T12:00:00Z')));
  });

  it('writes a header naming the format and the migration, then one line per row', () => {
    const header = JSON.parse(lines[0]!);
    expect(header.format).toBe('rein-backup/1');
    expect(header.migration).toMatch(/^\d{4}_/);
    expect(header.tables).toContain('patients');
    expect(lines.length).toBeGreaterThan(200);
  });

  it.each(storeKinds())(
    `restores into an empty %s database with every table identical (from ${kind})`,
    async (targetKind) => {
      const target = await openTestStore(targetKind);
      try {
        const summary = await importDatabase(target.db, lines);
        // Every line but the header and the trailer is a row.
        expect(summary.rows).toBe(lines.length - 2);
        expect(JSON.parse(lines.at(-1)!).end).toMatchObject({ rows: summary.rows, tables: summary.tables });
        let nonEmpty = 0;
        for (const table of allTables()) {
          const before = await dumpTable(store().db, table);
          const after = await dumpTable(target.db, table);
          expect(after, getTableConfig(table).name).toEqual(before);
          if (before.length > 0) nonEmpty++;
        }
        // The comparison is not vacuous: most tables hold rows.
        expect(nonEmpty).toBeGreaterThanOrEqual(12);
        // A second restore into the same (now full) database is refused and changes nothing.
        await expect(importDatabase(target.db, lines)).rejects.toThrow(BackupFormatError);
      } finally {
        await target.close();
      }
    },
  );

  if (kind === 'postgres') {
    it('reads one snapshot: a row written while the backup is being read is not in it', async () => {
      const gen = exportDatabase(store().db, new Date('2026-11-26T12:00:00Z'));
      const first = await gen.next(); // header; the snapshot is taken by the first read
      await gen.next();
      const clinic = await seedClinic(store(), 'Written During Backup');
      const rest: string[] = [String(first.value)];
      for await (const line of gen) rest.push(line);
      expect(rest.some((l) => l.includes('Written During Backup'))).toBe(false);
      expect(rest.some((l) => l.includes(clinic.id))).toBe(false);
      // A backup started afterwards has it.
      const after = await collect(exportDatabase(store().db, new Date('2026-11-26T12:00:00Z')));
      expect(after.some((l) => l.includes('Written During Backup'))).toBe(true);
    });
  }

  it('restores all or nothing: a broken line rolls back every row written before it', async () => {
    const target = await openTestStore('pglite');
    try {
      const broken = [...lines.slice(0, 150), '{"t":"patients","r":{"nonsense":1}}', ...lines.slice(150)];
      await expect(importDatabase(target.db, broken)).rejects.toThrow(/column "nonsense"/);
      for (const table of allTables()) expect(await dumpTable(target.db, table)).toEqual([]);
      await expect(importDatabase(target.db, ['{"format":"other"}'])).rejects.toThrow(
        /not a rein-backup\/1 file/,
      );
      await expect(
        importDatabase(target.db, [
          JSON.stringify({ format: 'rein-backup/1', migration: '9999_future', tables: [] }),
        ]),
      ).rejects.toThrow(/does not have/);
    } finally {
      await target.close();
    }
  });
});
