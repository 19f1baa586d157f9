import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClinicalInputError } from '../errors';
import {
  type Dose,
  formatDose,
  formatRegimen,
  parseDose,
  parseRegimen,
  planDose,
  planInfusion,
  simulate,
  simulateDoses,
} from '../pk';
import { infusionDoses, infusionRegimen, infusionStatus } from '../protocols';
import type { NewSessionEvent } from './events';
import { foldSession } from './fold';
import { sessionDoses, sessionRegimen } from './project';
import { esketamineDoses, esketamineRegimen, plannedDoses } from './rules';
import { sessionState } from './state';
import { eskPlan, ivPlan, recorded, SETTINGS, start, T0 } from './test-fixtures';

const at = (min: number) => new Date(T0.getTime() + min * 60_000);
const numbers = (d: Dose) => ({
  doseMg: d.doseMg,
  doseMgPerKg: d.doseMgPerKg,
  route: d.route,
  durationMin: d.durationMin,
  startMin: d.startMin,
});

/** Pause/resume entries `gaps` minutes apart, optionally ending in a stop. */
const history = fc
  .tuple(fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 6 }), fc.boolean())
  .map(([gaps, stop]) => {
    let t = 0;
    const events = gaps.map((g, i) => {
      t += g;
      return { action: (i % 2 === 0 ? 'pause' : 'resume') as 'pause' | 'resume' | 'stop', atMin: t };
    });
    if (stop && gaps.length % 2 === 0) events.push({ action: 'stop', atMin: t + 1 });
    return { events, lastMin: t + 1 };
  });
const ivPlanArb = fc.record({
  doseMg: fc.integer({ min: 5, max: 1200 }).map((n) => n / 10),
  durationMin: fc.integer({ min: 10, max: 90 }),
});

describe('session doses are structured; their text is one formatter over them', () => {
  it('property: the infusion clock’s doses read back from their text unchanged (old string path)', () => {
    fc.assert(
      fc.property(ivPlanArb, history, fc.integer({ min: 0, max: 240 }), (plan, h, extra) => {
        let status;
        try {
          status = infusionStatus(plan, h.events, h.lastMin + extra);
        } catch (e) {
          // Entries after the infusion completed are refused by the clock itself.
          expect(e).toBeInstanceOf(ClinicalInputError);
          return;
        }
        const doses = infusionDoses(status);
        expect(infusionRegimen(status)).toEqual(doses.map(formatDose));
        expect(parseRegimen(infusionRegimen(status)).map(numbers)).toEqual(doses.map(numbers));
      }),
    );
  });

  it('property: simulating the structured doses equals simulating their text', () => {
    fc.assert(
      fc.property(ivPlanArb, history, fc.integer({ min: 0, max: 120 }), (plan, h, extra) => {
        let status;
        try {
          status = infusionStatus(plan, h.events, h.lastMin + extra);
        } catch {
          return;
        }
        const doses = infusionDoses(status);
        if (doses.length === 0) return;
        const common = { model: 'domino-1984', weightKg: 70, stepMin: 5, untilMin: 180 };
        const structured = simulateDoses({ ...common, doses });
        const typed = simulate({ ...common, doses: infusionRegimen(status) });
        expect(structured.analytes).toEqual(typed.analytes);
        expect(structured.metrics).toEqual(typed.metrics);
      }),
      { numRuns: 30 },
    );
  });

  it('esketamine devices: one 28-mg intranasal dose every 5 minutes, the same read back from text', () => {
    expect(esketamineDoses(3)).toEqual([
      { doseMg: 28, route: 'intranasal', durationMin: null, startMin: 0 },
      { doseMg: 28, route: 'intranasal', durationMin: null, startMin: 5 },
      { doseMg: 28, route: 'intranasal', durationMin: null, startMin: 10 },
    ]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), (n) => {
        expect(parseRegimen(esketamineRegimen(n)).map(numbers)).toEqual(esketamineDoses(n).map(numbers));
      }),
    );
  });

  it('the planned infusion is one IV dose from minute 0 over the planned time', () => {
    expect(plannedDoses({ modality: 'iv-ketamine', doseMg: 35, devices: null, dosingEndMin: 40 })).toEqual([
      { doseMg: 35, route: 'iv', durationMin: 40, startMin: 0 },
    ]);
    expect(plannedDoses({ modality: 'esketamine', doseMg: 56, devices: 2, dosingEndMin: 5 })).toEqual(
      esketamineDoses(2),
    );
  });

  it('sessionDoses: the plan, then what the clock gave; the display text is formatRegimen of them', () => {
    const pause: NewSessionEvent = {
      kind: 'dosing-action',
      timeMin: 10,
      payload: { action: 'pause', note: null, amountGivenMg: 10, runningMin: 10 },
    };
    const states = [
      sessionState(foldSession([recorded(ivPlan(40, 40))]), 'iv-ketamine', SETTINGS, at(0)),
      sessionState(
        foldSession([recorded(ivPlan(40, 40)), recorded(start), recorded(pause, 10)]),
        'iv-ketamine',
        SETTINGS,
        at(25),
      ),
      sessionState(foldSession([recorded(eskPlan(3)), recorded(start)]), 'esketamine', SETTINGS, at(6)),
    ];
    expect(sessionDoses(states[1]!)).toEqual([{ doseMg: 10, route: 'iv', durationMin: 10, startMin: 0 }]);
    for (const s of states) {
      const doses = sessionDoses(s)!;
      expect(sessionRegimen(s)).toEqual(formatRegimen(doses));
      expect(parseRegimen(sessionRegimen(s)!).map(numbers)).toEqual(doses.map(numbers));
    }
    expect(sessionDoses(sessionState(foldSession([]), 'iv-ketamine', SETTINGS, at(0)))).toBeNull();
  });
});

describe('planDose: the pump plan from a structured dose', () => {
  it('property: the same plan as the dose typed, apart from the dose’s label', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 100 }).map((n) => n / 100),
        fc.integer({ min: 20, max: 90 }),
        fc.integer({ min: 40, max: 150 }),
        (mgPerKg, durationMin, weightKg) => {
          const common = { weightKg, vialMgPerMl: 50, bagMl: 100 };
          const dose: Dose = { doseMgPerKg: mgPerKg, route: 'iv', durationMin, startMin: 0 };
          const structured = planDose({ ...common, dose });
          const typed = planInfusion({ ...common, dose: `${mgPerKg} mg/kg over ${durationMin} min` });
          expect({ ...structured, dose: '' }).toEqual({ ...typed, dose: '' });
          expect(numbers(parseDose(structured.dose))).toEqual(numbers(dose));
        },
      ),
    );
  });

  it('validates as the typed request does: an implausible weight is refused naming weightKg', () => {
    const dose: Dose = { doseMgPerKg: 0.5, route: 'iv', durationMin: 40, startMin: 0 };
    const field = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof ClinicalInputError ? e.field : String(e);
      }
      return null;
    };
    const common = { weightKg: 5000, vialMgPerMl: 50, bagMl: 100 };
    expect(field(() => planDose({ ...common, dose }))).toBe('weightKg');
    expect(field(() => planInfusion({ ...common, dose: '0.5 mg/kg over 40 min' }))).toBe('weightKg');
  });
});
