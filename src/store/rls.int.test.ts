import { getTableConfig } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { allTables } from './all-tables';
import { createPatient } from './patients';
import { patients } from './schema';
import { describeEachStore } from './test-harness';
import { inClinic } from './tx';
import { createClinic } from './users';

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

describeEachStore('row-level security', ({ store }) => {
  const db = () => store().db;
  const clinicA = uuidv7();
  const clinicB = uuidv7();
  beforeAll(async () => {
    for (const [id, mrn] of [
      [clinicA, 'A-1'],
      [clinicB, 'B-1'],
    ] as const) {
      await inClinic(db(), id, async (tx) => {
        await createClinic(tx, { id, name: `Clinic ${mrn}`, timeZone: 'UTC' });
        await createPatient(tx, id, {
          mrn,
          givenName: 'R',
          familyName: 'L',
          dateOfBirth: '1990-01-01',
          sexAtBirth: 'male',
        });
      });
    }
  });

  it('forces a clinic policy on every table that holds clinic data', async () => {
    const tables = allTables()
      .map((t) => getTableConfig(t))
      .filter((c) => c.name === 'clinics' || c.columns.some((col) => col.name === 'clinic_id'))
      .map((c) => c.name);
    const result = await db().execute(sql`
      select c.relname as name, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
             exists (select 1 from pg_policy p where p.polrelid = c.oid and p.polname = 'clinic_isolation') as policy
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r'`);
    const state = new Map(
      rowsOf<{ name: string; enabled: boolean; forced: boolean; policy: boolean }>(result).map((r) => [
        r.name,
        r,
      ]),
    );
    const missing = tables.filter(
      (t) => !(state.get(t)?.enabled && state.get(t)?.forced && state.get(t)?.policy),
    );
    expect(missing, 'tables without a forced clinic_isolation policy (add them in a migration)').toEqual([]);
    expect(tables.length).toBeGreaterThanOrEqual(10);
  });

  it("hides another clinic's rows even from a query without a clinic filter", async () => {
    const seen = await inClinic(db(), clinicA, (tx) => tx.select({ mrn: patients.mrn }).from(patients));
    expect(seen.map((p) => p.mrn)).toEqual(['A-1']);
    const clinicsSeen = await inClinic(db(), clinicA, (tx) => tx.execute(sql`select id from clinics`));
    expect(rowsOf<{ id: string }>(clinicsSeen).map((r) => r.id)).toEqual([clinicA]);
  });

  it('refuses to write a row into another clinic, and to move a row there', async () => {
    await expect(
      inClinic(db(), clinicA, (tx) =>
        tx.insert(patients).values({
          clinicId: clinicB,
          mrn: 'SNEAK',
          givenName: 'x',
          familyName: 'y',
          dateOfBirth: '1990-01-01',
          sexAtBirth: 'male',
        }),
      ),
    ).rejects.toThrow();
    await expect(
      inClinic(db(), clinicA, (tx) =>
        tx.execute(sql`update patients set clinic_id = ${clinicB} where mrn = 'A-1'`),
      ),
    ).rejects.toThrow();
    const changedB = await inClinic(db(), clinicA, (tx) =>
      tx.execute(sql`update patients set family_name = 'hacked' where mrn = 'B-1'`),
    );
    expect(
      (changedB as unknown as { rowCount?: number; affectedRows?: number }).rowCount ??
        (changedB as { affectedRows?: number }).affectedRows,
    ).toBe(0);
    const b = await inClinic(db(), clinicB, (tx) =>
      tx.select({ familyName: patients.familyName }).from(patients),
    );
    expect(b).toEqual([{ familyName: 'L' }]);
  });

  it('sees nothing when no clinic is set for the role', async () => {
    const none = await db().transaction(async (tx) => {
      await tx.execute(sql`select set_config('role', 'rein_app', true)`);
      return tx.select().from(patients);
    });
    expect(none).toEqual([]);
  });

  it('runs the clinic transaction as rein_app with the clinic set, a quote in the id staying data', async () => {
    const scope = (clinicId: string) =>
      inClinic(db(), clinicId, async (tx) =>
        rowsOf<{ role: string; clinic: string }>(
          await tx.execute(sql`select current_user as role, current_setting('rein.clinic_id') as clinic`),
        ),
      );
    expect(await scope(clinicA)).toEqual([{ role: 'rein_app', clinic: clinicA }]);
    const hostile = "x', true); select set_config('role', 'postgres', true); --\\";
    expect(await scope(hostile)).toEqual([{ role: 'rein_app', clinic: hostile }]);
    // The scope ends with the transaction: the connection is back to its own role afterwards.
    const after = rowsOf<{ role: string }>(await db().execute(sql`select current_user as role`));
    expect(after[0]!.role).not.toBe('rein_app');
  });

  it('rolls the whole clinic transaction back when its work fails', async () => {
    await expect(
      inClinic(db(), clinicA, async (tx) => {
        await tx.execute(sql`update patients set family_name = 'half' where mrn = 'A-1'`);
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    const a = await inClinic(db(), clinicA, (tx) =>
      tx.select({ familyName: patients.familyName }).from(patients),
    );
    expect(a).toEqual([{ familyName: 'L' }]);
  });
});
