/**
 * The due list staff work from: one line per patient and instrument (the earliest due), with its
 * due time; sorted by due time, patient or instrument; filtered by instrument or to overdue only.
 * Adams has answered nothing (baseline PHQ-9 and C-SSRS due now); Baker answered a PHQ-9 a week
 * ago but no C-SSRS screener at baseline (overdue).
 */
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { describeEachStore } from '../store/test-harness';
import { createTestApp, login, samplePatient, seedClinic, type Session } from './test-support';

interface Line {
  patientId: string;
  familyName: string;
  overdue: boolean;
  instrumentKey: string;
  merged: number;
  item: { ruleId: string; dueAt: string; status: string };
}

describeEachStore('the due list: lines, sort and filters', ({ store }) => {
  let app: FastifyInstance;
  let desk: Session;
  let nurse: Session;
  const ids = { adams: '', baker: '' };

  async function list(query = ''): Promise<Line[]> {
    const res = await desk.request({ method: 'GET', url: `/api/due${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().items as Line[]).filter((l) => l.patientId === ids.adams || l.patientId === ids.baker);
  }
  const show = (lines: Line[]) =>
    lines.map((l) => `${l.familyName} ${l.instrumentKey}${l.overdue ? ' overdue' : ''}`);

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => new Date('2026-03-10T12:00:00Z') });
    const clinic = await seedClinic(store(), 'Due List Clinic');
    nurse = await login(app, clinic.users.nurse);
    desk = await login(app, clinic.users.staff);
    for (const [key, familyName] of [
      ['adams', 'Adams'],
      ['baker', 'Baker'],
    ] as const) {
      const p = await nurse.request({
        method: 'POST',
        url: '/api/patients',
        payload: samplePatient({ familyName }),
      });
      expect(p.statusCode, p.body).toBe(201);
      ids[key] = p.json().id;
    }
    const rec = await nurse.request({
      method: 'POST',
      url: `/api/patients/${ids.baker}/assessments`,
      payload: {
        instrument: 'phq9',
        version: '1.0.0',
        context: 'baseline',
        administeredAt: '2026-03-03T10:00:00Z',
        answers: [1, 1, 1, 1, 1, 1, 1, 1, 0],
      },
    });
    expect(rec.statusCode, rec.body).toBe(201);
  });

  it('one line per patient and instrument, earliest due first, each with its due time', async () => {
    const lines = await list();
    expect(show(lines)).toEqual(['Baker cssrs-screener overdue', 'Adams cssrs-screener', 'Adams phq9']);
    for (let k = 1; k < lines.length; k++)
      expect(Date.parse(lines[k]!.item.dueAt)).toBeGreaterThanOrEqual(Date.parse(lines[k - 1]!.item.dueAt));
    const keys = lines.map((l) => `${l.patientId} ${l.instrumentKey}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('sorts by patient and by instrument', async () => {
    expect(show(await list('?sort=patient'))).toEqual([
      'Adams cssrs-screener',
      'Adams phq9',
      'Baker cssrs-screener overdue',
    ]);
    expect(show(await list('?sort=instrument'))).toEqual([
      'Baker cssrs-screener overdue',
      'Adams cssrs-screener',
      'Adams phq9',
    ]);
  });

  it('filters by instrument and to overdue only, the total counting the filtered lines', async () => {
    expect(show(await list('?instrument=phq9'))).toEqual(['Adams phq9']);
    expect(show(await list('?overdueOnly=true'))).toEqual(['Baker cssrs-screener overdue']);
    const res = await desk.request({ method: 'GET', url: '/api/due?overdueOnly=true' });
    expect(res.json().total).toBe(1);
  });

  it("an answer entered by staff names who entered it (the staff member's name)", async () => {
    const res = await nurse.request({ method: 'GET', url: `/api/patients/${ids.baker}/assessments` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items[0]).toMatchObject({
      respondent: 'patient',
      enteredByName: 'nurse Due List Clinic',
    });
  });

  it('names the field of a bad sort', async () => {
    const res = await desk.request({ method: 'GET', url: '/api/due?sort=colour' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].path).toBe('querystring.sort');
  });
});
