/**
 * The medication administration (MAR) CSV export on both stores, over a synthetic demo clinic:
 * one row per dosed session that says what the session's own MAR says (order, dose, pauses,
 * rescues, who gave and who verified), a date range on the session's day, clinical roles only,
 * audited with its row count, every column documented.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { loadDemoData } from '../../demo';
import { ADMINISTRATION_CSV_COLUMNS } from '../../interop/mar-csv';
import { auditEvents } from '../../store/schema';
import { describeEachStore } from '../../store/test-harness';
import { inClinic } from '../../store/tx';
import { createTestApp, login, seedClinic, type Session, type TestClinic } from '../test-support';

/** RFC 4180: quoted cells may hold commas and doubled quotes. */
function parseCsv(text: string): Record<string, string>[] {
  const lines: string[][] = [];
  let cell = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      lines.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  const [header, ...rows] = lines;
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

describeEachStore('administrations CSV export (the MAR)', ({ store }) => {
  const now = new Date('2026-11-26T15:00:00Z');
  let app: FastifyInstance;
  let clinic: TestClinic;
  let nurse: Session;

  beforeAll(async () => {
    app = await createTestApp(store(), { now: () => now });
    clinic = await seedClinic(store(), 'MAR Export Clinic');
    await inClinic(store().db, clinic.id, (tx) =>
      loadDemoData(tx, clinic.id, clinic.users.admin.id, now, 42, { patients: 12 }),
    );
    nurse = await login(app, clinic.users.nurse);
  }, 180_000);

  const exportCsv = (session: Session, query = '') =>
    session.request({ method: 'GET', url: `/api/exports/administrations.csv${query}` });

  it('one row per dosed session, saying what its MAR says; audited with the row count', async () => {
    const res = await exportCsv(nurse);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/filename="rein-administrations-2026-11-26\.csv"/);
    const rows = parseCsv(res.body);
    const started = (await store().db.execute(sql`
      select count(*)::int as n from session_events
      where clinic_id = ${clinic.id} and kind = 'dosing-start'`)) as unknown as { rows: { n: number }[] };
    expect(rows.length).toBe(Number(started.rows[0]!.n));
    expect(rows.length).toBeGreaterThan(20);
    const check = [
      ...rows.slice(0, 5),
      ...rows.filter((r) => r.rescues !== ''),
      ...rows.filter((r) => r.pauses !== '0'),
    ];
    expect(check.some((r) => r.rescues !== '') || check.some((r) => r.pauses !== '0')).toBe(true);
    for (const r of check) {
      const s = await nurse.request({
        method: 'GET',
        url: `/api/patients/${r.patient_id}/sessions/${r.session_id}`,
      });
      expect(s.statusCode, s.body).toBe(200);
      const { orders } = s.json();
      const t = orders.mar.treatment;
      expect(r.patient_mrn).toMatch(/^DEMO-\d+$/);
      expect(r.order_event_id).toBe(orders.order.eventId);
      expect(r.order_signed_by).toBe(orders.order.signedBy);
      expect(r.drug).toBe(t.drug);
      expect(r.route).toBe(t.route);
      expect(Number(r.planned_dose_mg)).toBe(t.plannedMg);
      // The file rounds to 0.1 mg.
      expect(Number(r.amount_given_mg)).toBe(Math.round(t.amountGivenMg * 10) / 10);
      expect(r.state).toBe(t.state);
      expect(r.started_at_utc).toBe(t.steps[0].at);
      expect(Number(r.pauses)).toBe(t.steps.filter((x: { action: string }) => x.action === 'pause').length);
      expect(r.volume_infused_ml).toBe(t.volumeInfusedMl === null ? '' : String(t.volumeInfusedMl));
      expect(r.administered_by).toBe(t.steps[0].by);
      expect(r.verified_by).toBe(t.verifiedBy ?? '');
      expect(r.rescues === '' ? 0 : r.rescues!.split('; ').length).toBe(orders.mar.rescues.length);
      for (const rescue of orders.mar.rescues) {
        expect(r.rescues).toContain(
          `${rescue.drug} ${rescue.doseMg} mg ${rescue.route} at ${rescue.atMin} min`,
        );
      }
    }
    const audit = await store()
      .db.select({ details: auditEvents.details })
      .from(auditEvents)
      .where(and(eq(auditEvents.clinicId, clinic.id), eq(auditEvents.action, 'export.administrations')));
    expect(audit.map((a) => a.details)).toEqual([{ from: null, to: null, rows: rows.length }]);
  });

  it("filters on the session's day; a reversed range is refused naming the field", async () => {
    const all = parseCsv((await exportCsv(nurse)).body);
    const days = [...new Set(all.map((r) => r.session_date_local))].sort();
    const mid = days[Math.floor(days.length / 2)]!;
    const early = parseCsv((await exportCsv(nurse, `?to=${mid}`)).body);
    expect(early.length).toBe(all.filter((r) => r.session_date_local! <= mid).length);
    expect(early.length).toBeLessThan(all.length);
    const bad = await exportCsv(nurse, `?from=${mid}&to=2020-01-01`);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('to');
  });

  it('front-desk staff cannot export administrations; prescribers can', async () => {
    expect((await exportCsv(await login(app, clinic.users.staff))).statusCode).toBe(403);
    expect((await exportCsv(await login(app, clinic.users.prescriber))).statusCode).toBe(200);
  });

  it('every exported column is documented in docs/csv-exports.md', () => {
    const doc = readFileSync('docs/csv-exports.md', 'utf8');
    for (const c of ADMINISTRATION_CSV_COLUMNS) expect(doc, c.header).toContain(`\`${c.header}\``);
  });
});
