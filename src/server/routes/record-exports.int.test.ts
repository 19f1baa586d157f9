/**
 * The clinical record's CSV exports on both stores: allergies, problem list and prior trials of
 * this clinic only, entries entered in error left out, a date range on the day recorded, clinical
 * roles only, each export audited with its row count, every column documented.
 */
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { ALLERGY_CSV_COLUMNS, DIAGNOSIS_CSV_COLUMNS, TRIAL_CSV_COLUMNS } from '../../interop/record-csv';
import { auditEvents } from '../../store/schema';
import { describeEachStore } from '../../store/test-harness';
import {
  createTestApp,
  login,
  samplePatient,
  seedClinic,
  type Session,
  type TestClinic,
} from '../test-support';

/** The test's cells hold no commas or quotes, so a split is a faithful parse. */
const records = (text: string): Record<string, string>[] => {
  const [header, ...rows] = text
    .split('\r\n')
    .filter((l) => l.length > 0)
    .map((l) => l.split(','));
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
};

describeEachStore('clinical record CSV exports', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let other: TestClinic;
  let prescriber: Session;
  let nurse: Session;
  let staff: Session;
  let now = new Date('2026-03-02T15:00:00Z');
  let patientId: string;

  async function post(session: Session, url: string, payload: object) {
    const r = await session.request({ method: 'POST', url, payload });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as { id: string };
  }

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => now });
    clinic = await seedClinic(store(), 'Record Export Clinic');
    other = await seedClinic(store(), 'Record Export Other Clinic');
    prescriber = await login(app, clinic.users.prescriber);
    nurse = await login(app, clinic.users.nurse);
    staff = await login(app, clinic.users.staff);
    patientId = (await post(prescriber, '/api/patients', samplePatient())).id;
    const base = `/api/patients/${patientId}`;
    await post(nurse, `${base}/allergies`, {
      substance: 'Zoloft',
      reaction: 'hives',
      severity: 'moderate',
      source: 'patient',
    });
    const wrong = await post(nurse, `${base}/allergies`, {
      substance: 'latex',
      severity: 'mild',
      source: 'patient',
    });
    await nurse.request({
      method: 'PATCH',
      url: `${base}/allergies/${wrong.id}`,
      payload: { status: 'entered-in-error', reason: 'other patient' },
    });
    await post(prescriber, `${base}/diagnoses`, { icd10cmCode: 'F33.2', onsetDate: '2019-05-01' });
    await post(prescriber, `${base}/treatment-trials`, {
      drug: 'sertraline',
      doseMgPerDay: 150,
      durationWeeks: 8,
      adherence: 'full',
      response: 'none',
      reasonStopped: '=HYPERLINK(x)',
      currentEpisode: true,
      adequateDose: true,
      adequateDuration: true,
    });
    // Recorded on a later day, and another clinic's record: in neither filtered nor this clinic's file.
    now = new Date('2026-03-10T15:00:00Z');
    // A week later: new logins (sessions expire when idle).
    prescriber = await login(app, clinic.users.prescriber);
    nurse = await login(app, clinic.users.nurse);
    staff = await login(app, clinic.users.staff);
    await post(prescriber, `${base}/diagnoses`, { description: 'insomnia' });
    const otherPrescriber = await login(app, other.users.prescriber);
    const otherPatient = (await post(otherPrescriber, '/api/patients', samplePatient())).id;
    await post(otherPrescriber, `/api/patients/${otherPatient}/allergies`, {
      substance: 'penicillin',
      severity: 'severe',
      source: 'patient',
    });
  });

  it('allergies: this clinic, entered in error left out, audited with the row count', async () => {
    const res = await nurse.request({ method: 'GET', url: '/api/exports/allergies.csv' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(
      /attachment; filename="rein-allergies-2026-03-10\.csv"/,
    );
    const rows = records(res.body);
    expect(
      rows.map((r) => [r.patient_id, r.substance, r.substance_generic, r.reaction, r.severity, r.status]),
    ).toEqual([[patientId, 'Zoloft', 'sertraline', 'hives', 'moderate', 'active']]);
    const audit = await store()
      .db.select({ details: auditEvents.details })
      .from(auditEvents)
      .where(and(eq(auditEvents.clinicId, clinic.id), eq(auditEvents.action, 'export.allergies')));
    expect(audit.map((a) => a.details)).toEqual([{ from: null, to: null, rows: 1 }]);
  });

  it('problem list with ICD-10-CM codes, filtered by the day recorded', async () => {
    const res = await prescriber.request({ method: 'GET', url: '/api/exports/problem-list.csv' });
    // The code's title holds commas: quoted (RFC 4180).
    expect(res.body).toContain(
      ',F33.2,"Major depressive disorder, recurrent severe without psychotic features",false,2019-05-01,active,',
    );
    expect(res.body).toContain(',,insomnia,true,,active,');
    const early = await prescriber.request({
      method: 'GET',
      url: '/api/exports/problem-list.csv?to=2026-03-05',
    });
    expect(early.body).toContain('F33.2');
    expect(early.body).not.toContain('insomnia');
    const bad = await prescriber.request({
      method: 'GET',
      url: '/api/exports/problem-list.csv?from=2026-03-05&to=2026-03-01',
    });
    expect(bad.statusCode).toBe(400);
  });

  it('prior trials, a formula-like cell neutralised', async () => {
    const rows = records(
      (await prescriber.request({ method: 'GET', url: '/api/exports/treatment-trials.csv' })).body,
    );
    expect(
      rows.map((r) => [r.drug, r.dose_mg_per_day, r.response, r.current_episode, r.reason_stopped]),
    ).toEqual([['sertraline', '150', 'none', 'true', "'=HYPERLINK(x)"]]);
  });

  it('front-desk staff cannot export the record', async () => {
    for (const kind of ['allergies', 'problem-list', 'treatment-trials']) {
      expect((await staff.request({ method: 'GET', url: `/api/exports/${kind}.csv` })).statusCode).toBe(403);
    }
  });

  it('every exported column is documented in docs/csv-exports.md', () => {
    const doc = readFileSync('docs/csv-exports.md', 'utf8');
    for (const c of [...ALLERGY_CSV_COLUMNS, ...DIAGNOSIS_CSV_COLUMNS, ...TRIAL_CSV_COLUMNS]) {
      expect(doc, c.header).toContain(`\`${c.header}\``);
    }
  });
});
