import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planInfusion, simulate, simulateDoses } from './api';
import { planInfusionDose } from './planning';
import { type Dose, doseSchema, formatDose, parseDose } from './regimen';

describe('structured doses', () => {
  it('the parser gives the structured amount with the unit in its name', () => {
    expect(parseDose('0.5 mg/kg over 40 min')).toMatchObject({
      doseMgPerKg: 0.5,
      durationMin: 40,
      startMin: 0,
    });
    expect(parseDose('56 mg intranasal at 5 min')).toMatchObject({
      doseMg: 56,
      route: 'intranasal',
      startMin: 5,
    });
  });

  it('formatDose writes what parseDose reads back to the same dose', () => {
    const dose = fc.oneof(
      fc.record({
        doseMgPerKg: fc.integer({ min: 1, max: 2000 }).map((n) => n / 1000),
        durationMin: fc.integer({ min: 1, max: 240 }),
        startMin: fc.integer({ min: 0, max: 10_000 }),
      }),
      fc.record({ doseMg: fc.integer({ min: 1, max: 200 }), startMin: fc.integer({ min: 0, max: 10_000 }) }),
    );
    fc.assert(
      fc.property(dose, (d) => {
        const structured = doseSchema.parse(d);
        const back = parseDose(formatDose(structured));
        expect(back.doseMg).toBe(structured.doseMg);
        expect(back.doseMgPerKg).toBe(structured.doseMgPerKg);
        expect(back.durationMin).toBe(structured.durationMin);
        expect(back.startMin).toBe(structured.startMin);
      }),
    );
  });

  it('the schema refuses what the language refuses', () => {
    expect(doseSchema.safeParse({ doseMg: 10, doseMgPerKg: 0.5 }).success).toBe(false);
    expect(doseSchema.safeParse({ durationMin: 40 }).success).toBe(false);
    expect(doseSchema.safeParse({ doseMg: 56, route: 'intranasal', durationMin: 10 }).success).toBe(false);
    expect(doseSchema.safeParse({ doseMgPerKg: 1, route: 'oral' }).success).toBe(false);
    expect(doseSchema.parse({ doseMgPerKg: 0.5, durationMin: 40 })).toEqual({
      doseMgPerKg: 0.5,
      route: 'iv',
      durationMin: 40,
      startMin: 0,
      text: undefined,
    });
  });

  it('a pump plan from a structured dose equals the plan from the same dose typed', () => {
    const dose: Dose = { doseMgPerKg: 0.5, route: 'iv', durationMin: 40, startMin: 0 };
    const fromStructured = planInfusionDose({ weightKg: 70, dose, vialMgPerMl: 50, bagMl: 100 });
    const fromText = planInfusion({
      weightKg: 70,
      dose: '0.5 mg/kg over 40 min',
      vialMgPerMl: 50,
      bagMl: 100,
    });
    expect({ ...fromStructured, dose: '' }).toEqual({ ...fromText, dose: '' });
    expect(fromStructured.dose).toBe('0.5 mg/kg over 40 min at 0 min');
  });

  it('a simulation of structured doses equals the simulation of the same doses typed', () => {
    const common = { model: 'domino-1984', weightKg: 70, timesMin: [0, 20, 40, 60] };
    const fromStructured = simulateDoses({
      ...common,
      doses: [{ doseMgPerKg: 0.5, route: 'iv', durationMin: 40, startMin: 0 }],
    });
    const fromText = simulate({ ...common, doses: ['0.5 mg/kg over 40 min'] });
    expect(fromStructured.analytes).toEqual(fromText.analytes);
  });
});
