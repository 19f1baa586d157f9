/**
 * The start page's "tapers with a decision due": an active plan whose planned reduction is today or
 * past, with no decision since the dose change before it, is listed for clinicians (longest
 * waiting first); a decision takes it off; a paused plan and a future reduction are not listed;
 * the front desk gets no taper section at all.
 */
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../store/test-harness';
import { createTestApp, login, samplePatient, seedClinic, type TestClinic } from './test-support';

interface TaperDue {
  taperId: string;
  patientId: string;
  drug: string;
  stepDate: string;
  daysOverdue: number;
}

describeEachStore('day board: tapers with a decision due', ({ store }) => {
  let app: FastifyInstance;
  let clinic: TestClinic;
  let now = new Date('2026-01-05T09:00:00Z'); // clinic time zone UTC
  const plans: Record<'late' | 'today' | 'paused' | 'future', { patientId: string; taperId: string }> = {
    late: { patientId: '', taperId: '' },
    today: { patientId: '', taperId: '' },
    paused: { patientId: '', taperId: '' },
    future: { patientId: '', taperId: '' },
  };

  async function board(role: 'nurse' | 'prescriber' | 'staff') {
    const s = await login(app, clinic.users[role]);
    const res = await s.request({ method: 'GET', url: '/api/day-board' });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { today: string; tapersDue: TaperDue[] | null };
  }

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => now });
    clinic = await seedClinic(store(), 'Taper Board Clinic');
    const prescriber = await login(app, clinic.users.prescriber);
    // 28-day steps: reductions 28 days after each start date.
    const starts = { late: '2026-01-05', today: '2026-01-08', paused: '2026-01-05', future: '2026-01-20' };
    for (const key of Object.keys(starts) as (keyof typeof starts)[]) {
      const p = await prescriber.request({ method: 'POST', url: '/api/patients', payload: samplePatient() });
      const created = await prescriber.request({
        method: 'POST',
        url: `/api/patients/${p.json().id}/tapers`,
        payload: {
          drug: 'sertraline',
          startDoseMg: 100,
          mode: 'proportional',
          stepPct: 25,
          intervalDays: 28,
          startDate: starts[key],
          infusionDates: [],
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      plans[key] = { patientId: p.json().id, taperId: created.json().id };
    }
    const paused = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${plans.paused.patientId}/tapers/${plans.paused.taperId}/status`,
      payload: { status: 'paused', reason: 'patient travelling' },
    });
    expect(paused.statusCode, paused.body).toBe(200);
    now = new Date('2026-02-05T09:00:00Z');
  });

  it('lists active plans whose reduction is today or past, longest waiting first', async () => {
    const b = await board('nurse');
    expect(b.today).toBe('2026-02-05');
    expect(b.tapersDue!.map((t) => t.taperId)).toEqual([plans.late.taperId, plans.today.taperId]);
    expect(b.tapersDue![0]).toMatchObject({
      patientId: plans.late.patientId,
      drug: 'sertraline',
      stepDate: '2026-02-02',
      daysOverdue: 3,
    });
    expect(b.tapersDue![1]).toMatchObject({ stepDate: '2026-02-05', daysOverdue: 0 });
  });

  it("a prescriber's decision takes the plan off the list", async () => {
    const prescriber = await login(app, clinic.users.prescriber);
    const decided = await prescriber.request({
      method: 'POST',
      url: `/api/patients/${plans.late.patientId}/tapers/${plans.late.taperId}/decisions`,
      payload: { date: '2026-02-05', decision: 'continue', reason: 'tolerating well at review' },
    });
    expect(decided.statusCode, decided.body).toBe(201);
    const b = await board('prescriber');
    expect(b.tapersDue!.map((t) => t.taperId)).toEqual([plans.today.taperId]);
  });

  it('the front desk gets no taper section', async () => {
    expect((await board('staff')).tapersDue).toBeNull();
  });
});
