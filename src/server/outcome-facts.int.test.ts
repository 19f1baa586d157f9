/**
 * The dashboard's pre-aggregated course facts stay equal to a fresh computation from the raw rows
 * whatever order the writes come in, and the SQL sums equal the core's `countFacts` of those rows.
 */
import type { FastifyInstance } from 'fastify';
import { eq, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import {
  countFacts,
  courseFact,
  courseInputFromSessions,
  courseOutcome,
  type CourseFact,
} from '../clinical/outcomes';
import { backfillOutcomeFacts, computeOutcomeFacts } from '../app/outcome-facts';
import { activityCounts, exportSessions } from '../app/outcome-rows';
import {
  listOutcomeFacts,
  outcomeFactCounts,
  outcomeFactsCurrent,
  OUTCOME_FACTS_VERSION,
  type OutcomeFactFilters,
} from '../store/outcome-facts';
import { exportScores } from '../store/outcomes';
import { courseOutcomeFacts, outcomeFactBuilds } from '../store/schema-outcomes';
import { prng } from '../demo/random';
import { appendSessionEvent } from '../app/sessions/append';
import { treatmentSessions } from '../store/schema-sessions';
import { describeEachStore } from '../store/test-harness';
import { inClinic } from '../store/tx';
import {
  createTestApp,
  login,
  samplePatient,
  screenEligible,
  seedClinic,
  type Session,
  type TestClinic,
} from './test-support';

const MS_DAY = 86_400_000;
const at = (date: string, minutes: number) => new Date(Date.parse(`${date}T08:00:00Z`) + minutes * 60_000);

const FACT_KEYS: (keyof CourseFact)[] = [
  'hasInduction',
  'evaluable',
  'response',
  'remission',
  'rapidResponse4h',
  'rapidResponse24h',
  'suicidalityBaseline',
  'suicidalityChange',
  'suicidalityDecreased',
  'suicidalityIncreased',
  'durabilityDays',
  'relapsed',
  'dosedSessions',
  'sessionsWithAdverseEvent',
  'adverseEvents',
  'sessionsWithSeriousAdverseEvent',
  'seriousAdverseEvents',
  'sessionsWithHypertensionAlert',
  'hypertensionAlerts',
];
const comparable = (rows: Record<string, unknown>[]) =>
  rows
    .map((r) => ({
      courseId: r.courseId,
      patientId: r.patientId,
      modality: r.modality,
      startDate: r.startDate,
      prescriberId: r.prescriberId,
      ...Object.fromEntries(FACT_KEYS.map((k) => [k, r[k]])),
    }))
    .sort((a, b) => String(a.courseId).localeCompare(String(b.courseId)));

describeEachStore('outcome facts', ({ store, kind }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let nurse: Session;
  const patientIds: string[] = [];
  const now = new Date('2026-09-01T12:00:00Z');

  const expectFactsCurrent = async () => {
    await inClinic(store().db, clinic.id, async (tx) => {
      const stored = await listOutcomeFacts(tx, clinic.id);
      const fresh = await computeOutcomeFacts(tx, clinic.id, patientIds, now);
      expect(comparable(stored)).toEqual(comparable(fresh as Record<string, unknown>[]));
    });
  };

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => now });
    clinic = await seedClinic(store(), 'Facts Clinic');
    nurse = await login(app, clinic.users.nurse);
    const staff = await login(app, clinic.users.staff);
    const prescriber = await login(app, clinic.users.prescriber);
    const admin = await login(app, clinic.users.admin);
    const rand = prng(7);
    type Write = () => Promise<void>;
    const writes: Write[][] = [];
    const templates = ['iv-induction-2x-weekly-3wk', 'iv-induction-3x-weekly-12d', 'esketamine-trd-label'];
    for (let p = 0; p < 5; p++) {
      const patientId = (
        await staff.request({
          method: 'POST',
          url: '/api/patients',
          payload: samplePatient({ mrn: `FACT-${p}` }),
        })
      ).json().id as string;
      patientIds.push(patientId);
      const startDate = new Date(Date.parse('2026-03-02T00:00:00Z') + p * 9 * MS_DAY)
        .toISOString()
        .slice(0, 10);
      const by = p === 4 ? admin : prescriber;
      await screenEligible(prescriber, patientId, 'iv-ketamine', 'esketamine');
      const course = await by.request({
        method: 'POST',
        url: `/api/patients/${patientId}/courses`,
        payload: { templateId: templates[p % templates.length], startDate },
      });
      expect(course.statusCode).toBe(201);
      const sessions = (course.json().sessions as { id: string; date: string; phaseId: string }[]).slice(
        0,
        10,
      );
      const mine: Write[] = [];
      const phq9 =
        (date: Date, severity: number): Write =>
        async () => {
          const answers = Array.from({ length: 9 }, (_, i) =>
            i === 8
              ? Math.min(3, Math.floor(rand() * 2 * severity))
              : Math.min(3, Math.round(rand() * 3 * severity)),
          );
          const r = await nurse.request({
            method: 'POST',
            url: `/api/patients/${patientId}/assessments`,
            payload: {
              instrument: 'phq9',
              version: '1.0.0',
              context: 'weekly',
              administeredAt: date.toISOString(),
              answers: [...answers, 1],
            },
          });
          expect(r.statusCode).toBe(201);
        };
      const first = sessions[0]!;
      mine.push(phq9(new Date(Date.parse(`${first.date}T07:00:00Z`) - MS_DAY), 1));
      for (const [i, s] of sessions.entries()) {
        if (rand() < 0.15) continue; // missed session: never dosed
        const event =
          (kind: 'dosing-start' | 'vitals' | 'adverse-event', min: number, payload: object): Write =>
          async () => {
            await inClinic(store().db, clinic.id, (tx) =>
              appendSessionEvent(
                tx,
                clinic.id,
                s.id,
                { kind, timeMin: min, payload },
                clinic.users.nurse.id,
                at(s.date, min),
              ),
            ).then(() => undefined);
          };
        mine.push(event('dosing-start', 0, {}));
        mine.push(event('vitals', 30, { sbpMmHg: rand() < 0.2 ? 185 : 128, dbpMmHg: 80 }));
        if (rand() < 0.25) {
          mine.push(
            event('adverse-event', 20, {
              category: 'nausea',
              severity: 'mild',
              actionTaken: 'observed',
              serious: rand() < 0.3,
            }),
          );
        }
        if (i === 0 && rand() < 0.7) mine.push(phq9(at(s.date, 240), 0.5));
        if (i === sessions.length - 1) {
          const end = new Date(Date.parse(`${s.date}T09:00:00Z`) + 2 * MS_DAY);
          mine.push(phq9(end, rand() < 0.6 ? 0.15 : 0.8));
          for (let w = 1; w <= 6; w++)
            mine.push(phq9(new Date(end.getTime() + w * 7 * MS_DAY), 0.1 + w * 0.1 * rand()));
        }
      }
      writes.push(mine);
    }
    // Interleave the patients' writes (each patient's own writes stay in order), checking the
    // facts against a fresh computation along the way.
    let n = 0;
    while (writes.some((w) => w.length > 0)) {
      const open = writes.filter((w) => w.length > 0);
      await open[Math.floor(rand() * open.length)]!.shift()!();
      if (++n % 25 === 0) await expectFactsCurrent();
    }
  }, 180_000);

  it('keeps every course’s facts equal to a fresh computation after each kind of write', async () => {
    await expectFactsCurrent();
    const facts = await inClinic(store().db, clinic.id, (tx) => listOutcomeFacts(tx, clinic.id));
    expect(facts.length).toBe(5);
    expect(facts.some((f) => f.evaluable)).toBe(true);
    expect(facts.some((f) => f.adverseEvents > 0)).toBe(true);
    expect(facts.some((f) => f.hypertensionAlerts > 0)).toBe(true);
  });

  it('equal the outcomes computed from the full export rows (every item, every event)', async () => {
    await inClinic(store().db, clinic.id, async (tx) => {
      const sessions = (await exportSessions(tx, clinic.id, { patientIds })).filter(
        (s) => s.dosingStartedAt !== null,
      );
      const scores = await exportScores(tx, clinic.id, { patientIds, instrument: 'phq9', withItems: true });
      const courseIds = [...new Set(sessions.map((s) => s.courseId))];
      const expected = courseIds.map((courseId) => {
        const patientId = sessions.find((s) => s.courseId === courseId)!.patientId;
        const input = courseInputFromSessions({
          courseId,
          instrument: 'phq9',
          patientSessions: sessions
            .filter((s) => s.patientId === patientId)
            .map((s) => ({ at: s.dosingStartedAt!, phaseId: s.phaseId, courseId: s.courseId })),
          assessments: scores
            .filter((r) => r.patientId === patientId && r.totalScore !== null)
            .map((r) => ({
              at: r.administeredAt,
              score: r.totalScore!,
              items: Object.fromEntries(
                Object.entries(r.items).filter((e): e is [string, number] => e[1] !== null),
              ),
            })),
          now,
        });
        return {
          courseId,
          ...courseFact(
            input ? courseOutcome(input) : null,
            sessions.filter((s) => s.courseId === courseId),
          ),
        };
      });
      const stored = await listOutcomeFacts(tx, clinic.id);
      const pick = (r: Record<string, unknown>) => ({
        courseId: r.courseId,
        ...Object.fromEntries(FACT_KEYS.map((k) => [k, r[k]])),
      });
      const byCourse = (a: { courseId: unknown }, b: { courseId: unknown }) =>
        String(a.courseId).localeCompare(String(b.courseId));
      expect(stored.map(pick).sort(byCourse)).toEqual(expected.map(pick).sort(byCourse));
    });
  });

  if (kind === 'postgres') {
    it('two writes for one patient at the same moment both land, and the facts see both', async () => {
      const patientId = patientIds[0]!;
      const [session] = await inClinic(store().db, clinic.id, (tx) =>
        tx
          .select({ id: treatmentSessions.id, date: treatmentSessions.date })
          .from(treatmentSessions)
          .where(eq(treatmentSessions.patientId, patientId))
          .limit(1),
      );
      // A nurse's high reading, held open a moment, while the patient's PHQ-9 arrives.
      const vitals = inClinic(store().db, clinic.id, async (tx) => {
        await appendSessionEvent(
          tx,
          clinic.id,
          session!.id,
          { kind: 'vitals', timeMin: 45, payload: { sbpMmHg: 192, dbpMmHg: 104 } },
          clinic.users.nurse.id,
          at(session!.date, 45),
        );
        await tx.execute(sql`select pg_sleep(0.4)`);
      });
      await new Promise((r) => setTimeout(r, 100));
      const phq9 = nurse.request({
        method: 'POST',
        url: `/api/patients/${patientId}/assessments`,
        payload: {
          instrument: 'phq9',
          version: '1.0.0',
          context: 'weekly',
          administeredAt: '2026-08-30T09:00:00Z',
          answers: [2, 2, 2, 1, 1, 1, 1, 1, 0, 1],
        },
      });
      const [, res] = await Promise.all([vitals, phq9]);
      expect(res.statusCode, res.body).toBe(201);
      await expectFactsCurrent();
    });
  }

  it('"patients in treatment" from the facts equals counting dosing starts of the last 28 days', async () => {
    await inClinic(store().db, clinic.id, async (tx) => {
      // "Now" is after every recorded dosing start, as it always is for the dashboard.
      const [last] = (
        (await tx.execute(
          sql`select max(recorded_at) as at from session_events where clinic_id = ${clinic.id} and kind = 'dosing-start'`,
        )) as unknown as { rows: { at: string | Date }[] }
      ).rows;
      const lastMs = new Date(last!.at).getTime();
      const seen: number[] = [];
      for (const daysAfter of [0.5, 10, 27, 40]) {
        const at = new Date(lastMs + daysAfter * MS_DAY);
        const since = new Date(at.getTime() - 28 * MS_DAY);
        const [direct] = (
          (await tx.execute(sql`select count(distinct s.patient_id)::int as n
              from session_events e join treatment_sessions s on s.clinic_id = e.clinic_id and s.id = e.session_id
              where e.clinic_id = ${clinic.id} and e.kind = 'dosing-start'
                and e.recorded_at >= ${since.toISOString()} and e.recorded_at <= ${at.toISOString()}`)) as unknown as {
            rows: { n: number }[];
          }
        ).rows;
        const counts = await activityCounts(tx, clinic.id, at, at.toISOString().slice(0, 10));
        expect(counts.patientsInTreatment, `${daysAfter} days after the last dose`).toBe(Number(direct!.n));
        seen.push(counts.patientsInTreatment);
      }
      expect(seen[0]).toBeGreaterThan(0);
      expect(seen[3]).toBe(0);
    });
  });

  it('sums facts in SQL exactly as the core counts them, under every filter', async () => {
    const filters: OutcomeFactFilters[] = [
      {},
      { modality: 'esketamine' },
      { modality: 'iv-ketamine', fromDate: '2026-03-10' },
      { toDate: '2026-03-20' },
      { prescriberId: clinic.users.admin.id },
      { fromDate: '2027-01-01' },
    ];
    await inClinic(store().db, clinic.id, async (tx) => {
      const all = await listOutcomeFacts(tx, clinic.id);
      for (const f of filters) {
        const kept = all.filter(
          (r) =>
            (!f.modality || r.modality === f.modality) &&
            (!f.fromDate || r.startDate >= f.fromDate) &&
            (!f.toDate || r.startDate <= f.toDate) &&
            (!f.prescriberId || r.prescriberId === f.prescriberId),
        );
        expect(await outcomeFactCounts(tx, clinic.id, f), JSON.stringify(f)).toEqual(countFacts(kept));
      }
    });
  });

  it('rebuilds at start the facts of a clinic from before them, or built by an older version', async () => {
    const before = await inClinic(store().db, clinic.id, (tx) => listOutcomeFacts(tx, clinic.id));
    // A new clinic is marked built when created, and the writes above kept its facts current.
    expect(await inClinic(store().db, clinic.id, (tx) => outcomeFactsCurrent(tx, clinic.id))).toBe(true);
    expect((await backfillOutcomeFacts(store().db, now)).map((r) => r.clinicId)).not.toContain(clinic.id);
    // A database from before the facts table: no facts, no marker.
    await inClinic(store().db, clinic.id, async (tx) => {
      await tx.delete(courseOutcomeFacts);
      await tx.delete(outcomeFactBuilds);
    });
    expect(await inClinic(store().db, clinic.id, (tx) => outcomeFactsCurrent(tx, clinic.id))).toBe(false);
    expect(await backfillOutcomeFacts(store().db, now)).toContainEqual({ clinicId: clinic.id, facts: 5 });
    const after = await inClinic(store().db, clinic.id, (tx) => listOutcomeFacts(tx, clinic.id));
    expect(comparable(after)).toEqual(comparable(before));
    // Facts built by an older computation are rebuilt too.
    await inClinic(store().db, clinic.id, (tx) =>
      tx.update(outcomeFactBuilds).set({ version: OUTCOME_FACTS_VERSION - 1 }),
    );
    expect((await backfillOutcomeFacts(store().db, now)).map((r) => r.clinicId)).toContain(clinic.id);
    expect(await inClinic(store().db, clinic.id, (tx) => outcomeFactsCurrent(tx, clinic.id))).toBe(true);
  });
});

describeEachStore('outcome facts do not depend on when they are computed', ({ store }) => {
  it('counts an end-of-induction PHQ-9 timed a few minutes ahead of the server clock', async () => {
    const now = new Date('2026-09-01T12:00:00Z');
    const app = await createTestApp(store(), { now: () => now });
    const clinic = await seedClinic(store(), 'Clock Clinic');
    const nurse = await login(app, clinic.users.nurse);
    const staff = await login(app, clinic.users.staff);
    const prescriber = await login(app, clinic.users.prescriber);
    const patientId = (
      await staff.request({ method: 'POST', url: '/api/patients', payload: samplePatient() })
    ).json().id as string;
    await screenEligible(prescriber, patientId, 'iv-ketamine');
    const course = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${patientId}/courses`,
      payload: { templateId: 'iv-induction-2x-weekly-3wk', startDate: '2026-08-12' },
    });
    expect(course.statusCode).toBe(201);
    const past = (course.json().sessions as { id: string; date: string }[]).filter(
      (s) => s.date < '2026-09-01',
    );
    expect(past.at(-1)!.date >= '2026-08-25', 'the last session is within the 7-day window').toBe(true);
    const phq9 = async (administeredAt: string, answers: number[]) => {
      const r = await nurse.request({
        method: 'POST',
        url: `/api/patients/${patientId}/assessments`,
        payload: { instrument: 'phq9', version: '1.0.0', context: 'weekly', administeredAt, answers },
      });
      expect(r.statusCode, r.body).toBe(201);
    };
    await phq9('2026-08-11T09:00:00Z', [3, 3, 2, 2, 2, 2, 2, 2, 1, 2]);
    await inClinic(store().db, clinic.id, async (tx) => {
      for (const s of past) {
        await appendSessionEvent(
          tx,
          clinic.id,
          s.id,
          { kind: 'dosing-start', timeMin: 0, payload: {} },
          clinic.users.nurse.id,
          at(s.date, 0),
        );
      }
    });
    // Four minutes ahead of the server's clock (the store accepts up to five).
    await phq9(new Date(now.getTime() + 4 * 60_000).toISOString(), [1, 1, 0, 0, 1, 0, 0, 0, 0, 0]);
    const [fact] = await inClinic(store().db, clinic.id, (tx) => listOutcomeFacts(tx, clinic.id));
    expect(fact).toMatchObject({ evaluable: true, response: true, remission: true });
    await app.close();
  });
});
