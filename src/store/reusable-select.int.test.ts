import { eq, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { beforeAll, expect, it } from 'vitest';
import { createPatient } from './patients';
import { reusableSelect } from './reusable-select';
import { patients } from './schema';
import { describeEachStore } from './test-harness';
import { inClinic } from './tx';
import { createClinic } from './users';

describeEachStore('a select built once and run on any transaction', ({ store }) => {
  const clinicA = uuidv7();
  const clinicB = uuidv7();
  const ids: Record<string, string> = {};
  const byMrn = reusableSelect<typeof patients.$inferSelect, { mrn: string }>('test_patient_by_mrn', (db) =>
    db
      .select()
      .from(patients)
      .where(eq(patients.mrn, sql.placeholder('mrn'))),
  );

  beforeAll(async () => {
    for (const [clinicId, mrn] of [
      [clinicA, 'RS-A'],
      [clinicB, 'RS-B'],
    ] as const) {
      ids[mrn] = await inClinic(store().db, clinicId, async (tx) => {
        await createClinic(tx, { id: clinicId, name: `Reusable ${mrn}`, timeZone: 'UTC' });
        const p = await createPatient(tx, clinicId, {
          mrn,
          givenName: 'Ida',
          familyName: mrn,
          dateOfBirth: '1975-02-03',
          sexAtBirth: 'female',
        });
        return p.id;
      });
    }
  });

  it('answers each call with its own values, mapped to the row type', async () => {
    const [a] = await inClinic(store().db, clinicA, (tx) => byMrn(tx, { mrn: 'RS-A' }));
    expect(a?.id).toBe(ids['RS-A']);
    expect(a?.familyName).toBe('RS-A');
    expect(a?.dateOfBirth).toBe('1975-02-03');
    const [b] = await inClinic(store().db, clinicB, (tx) => byMrn(tx, { mrn: 'RS-B' }));
    expect(b?.id).toBe(ids['RS-B']);
  });

  it("runs under each transaction's clinic scope: another clinic's row is not seen", async () => {
    expect(await inClinic(store().db, clinicA, (tx) => byMrn(tx, { mrn: 'RS-B' }))).toEqual([]);
    expect(await inClinic(store().db, clinicB, (tx) => byMrn(tx, { mrn: 'RS-A' }))).toEqual([]);
  });

  it('refuses a select of anything but table columns', async () => {
    const computed = reusableSelect<{ n: number }, Record<string, never>>('test_computed', (db) =>
      db.select({ n: sql<number>`1` }).from(patients),
    );
    await expect(inClinic(store().db, clinicA, (tx) => computed(tx, {}))).rejects.toThrow(
      /n is not a table column/,
    );
  });
});
