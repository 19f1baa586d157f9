import { describe, expect, it } from 'vitest';
import { planTaper } from '../clinical/taper';
import { taperIcs } from './taper-ics';

describe('taper ICS', () => {
  it('has one all-day event per dose change, on the change dates', () => {
    const plan = planTaper({
      drug: 'sertraline',
      startDoseMg: 100,
      mode: 'occupancy',
      stepPp: 10,
      intervalDays: 28,
      startDate: '2026-01-05',
      infusionDates: ['2026-02-02'],
    });
    const ics = taperIcs(plan, { uidPrefix: 'v1' });
    const events = ics.split('BEGIN:VEVENT').slice(1);
    const changes = plan.steps.filter((s, i) => i > 0);
    expect(events).toHaveLength(changes.length);
    const starts = [...ics.matchAll(/DTSTART;VALUE=DATE:(\d{8})/g)].map((m) => m[1]);
    expect(starts).toEqual(changes.map((s) => s.date.replaceAll('-', '')));
    const ends = [...ics.matchAll(/DTEND;VALUE=DATE:(\d{8})/g)].map((m) => m[1]);
    // All-day: each event ends the next day. First change: 28 days after 5 Jan is 2 Feb, an
    // infusion day, so the change moves to 3 Feb.
    expect(starts[0]).toBe('20260203');
    expect(ends[0]).toBe('20260204');
    expect(ics).toContain('SUMMARY:Taper: stop sertraline');
    const unfolded = ics.replace(/\r?\n[ \t]/g, '');
    expect(unfolded).toContain(`Take ${changes[0]!.realisation!.how}`);
    expect(new Set([...ics.matchAll(/UID:(\S+)/g)].map((m) => m[1])).size).toBe(changes.length);
  });

  it('a replanned version (after a step-back) also has an event for its restarted first dose', () => {
    const plan = planTaper({
      drug: 'sertraline',
      startDoseMg: 75,
      mode: 'proportional',
      stepPct: 10,
      intervalDays: 28,
      startDate: '2026-03-03',
    });
    const ics = taperIcs(plan, { uidPrefix: 'v2', replanned: true });
    expect(ics.split('BEGIN:VEVENT')).toHaveLength(plan.steps.length + 1);
    const first = ics.split('BEGIN:VEVENT')[1]!.replace(/\r?\n[ \t]/g, '');
    expect(first).toContain('DTSTART;VALUE=DATE:20260303');
    expect(first).toContain(`Take ${plan.steps[0]!.realisation!.how}.`);
  });
});
