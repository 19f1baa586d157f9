import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { NewSessionEvent } from './events';
import { foldSession } from './fold';
import { sessionMar } from './mar';
import { sessionState } from './state';
import { checkIn, eskPlan, ivPlan, recorded, SETTINGS, start, T0 } from './test-fixtures';
import type { Modality } from '../protocols';

const at = (min: number) => new Date(T0.getTime() + min * 60_000);
const order: NewSessionEvent = {
  kind: 'order-signed',
  timeMin: null,
  payload: {
    drug: 'ketamine',
    route: 'iv',
    doseMgPerKg: 0.5,
    doseMg: 40,
    weightKg: 80,
    durationMin: 40,
    rateMgPerMin: 1,
    maxDoseMg: 40,
    holdConditions: ['Hold if SBP > 180 mmHg'],
    rescues: [{ drug: 'ondansetron', doseMg: 4, route: 'iv', indication: 'nausea' }],
    standing: true,
  },
};
const action = (a: 'pause' | 'resume' | 'stop', atMin: number, amountGivenMg: number): NewSessionEvent => ({
  kind: 'dosing-action',
  timeMin: atMin,
  payload: { action: a, note: null, amountGivenMg, runningMin: null },
});
const withPump = (vtbiMl: number): NewSessionEvent => {
  const p = ivPlan(40, 40);
  return { ...p, payload: { ...p.payload, pump: { vtbiMl } } } as unknown as NewSessionEvent;
};
const marOf = (
  events: { e: NewSessionEvent; min: number }[],
  nowMin: number,
  modality: Modality = 'iv-ketamine',
) =>
  sessionMar(
    sessionState(foldSession(events.map(({ e, min }) => recorded(e, min))), modality, SETTINGS, at(nowMin)),
  );

describe('sessionMar', () => {
  it('before dosing: the order, no administration', () => {
    const m = marOf(
      [
        { e: checkIn, min: -30 },
        { e: order, min: -20 },
      ],
      -5,
    );
    expect(m.order).toMatchObject({ doseMg: 40, maxDoseMg: 40, signedBy: 'Nurse One' });
    expect(m.treatment).toBeNull();
    expect(m.rescues).toEqual([]);
  });

  it('IV: start, pause, resume with the mg and volume infused so far, tied to the order', () => {
    const o = recorded(order, -20);
    const s = recorded({ ...start, payload: { note: null, orderEventId: o.id } } as NewSessionEvent, 0);
    const events = [
      recorded(checkIn, -30),
      o,
      recorded(withPump(100), -10),
      s,
      recorded(action('pause', 10, 10), 10),
      recorded(action('resume', 15, 10), 15),
    ];
    const m = sessionMar(sessionState(foldSession(events), 'iv-ketamine', SETTINGS, at(25)));
    expect(m.treatment).toMatchObject({
      drug: 'ketamine',
      orderEventId: o.id,
      state: 'running',
      amountGivenMg: 20,
      volumeInfusedMl: 50,
    });
    expect(m.treatment!.steps.map((x) => [x.action, x.atMin])).toEqual([
      ['start', 0],
      ['pause', 10],
      ['resume', 15],
    ]);
    expect(m.treatment!.steps[1]!.at).toEqual(at(10));
  });

  it('esketamine: devices given, no volume', () => {
    const m = marOf(
      [
        { e: checkIn, min: -30 },
        { e: eskPlan(2), min: -10 },
        { e: start, min: 0 },
      ],
      6,
      'esketamine',
    );
    expect(m.treatment).toMatchObject({
      drug: 'esketamine',
      route: 'intranasal',
      devicesGiven: 2,
      volumeInfusedMl: null,
    });
  });

  it('rescues in the order given, with their reason and any deviation', () => {
    const rescue = (timeMin: number, doseMg: number): NewSessionEvent => ({
      kind: 'rescue-given',
      timeMin,
      payload: {
        drug: 'ondansetron',
        doseMg,
        route: 'iv',
        reason: 'nausea',
        orderEventId: 'o',
        deviationReason: doseMg === 4 ? null : 'half dose',
      },
    });
    const m = marOf(
      [
        { e: checkIn, min: -30 },
        { e: ivPlan(), min: -10 },
        { e: start, min: 0 },
        { e: rescue(20, 2), min: 21 },
        { e: rescue(5, 4), min: 22 },
      ],
      30,
    );
    expect(m.rescues.map((r) => [r.atMin, r.doseMg, r.deviationReason])).toEqual([
      [5, 4, null],
      [20, 2, 'half dose'],
    ]);
    expect(m.rescues[0]!.at).toEqual(at(5));
  });

  it('property: the infused volume is the pump volume in proportion to the mg given, never more', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), (nowMin) => {
        const m = marOf(
          [
            { e: checkIn, min: -30 },
            { e: withPump(100), min: -10 },
            { e: start, min: 0 },
          ],
          nowMin,
        );
        const t = m.treatment!;
        expect(t.volumeInfusedMl).toBeCloseTo((100 * t.amountGivenMg) / 40, 1);
        expect(t.volumeInfusedMl!).toBeLessThanOrEqual(100);
      }),
    );
  });
});
