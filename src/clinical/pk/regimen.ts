/**
 * The regimen language shared by CLI, API and web. One dose per string:
 *
 *   <amount> (mg | mg/kg) [iv | intranasal | oral] [over <number> (min | h)] [at <number> (min | h)]
 *
 * Examples: "0.5 mg/kg over 40 min", "35 mg over 40 min at 0 min", "20 mg at 60 min" (IV bolus),
 * "0.75 mg/kg over 45 min at 2880 min", "56 mg intranasal at 0 min".
 * Anything else raises ClinicalInputError whose field names the offending token.
 *
 * The language is for people (the CLI, the planner's text fields). Code that already knows a dose
 * builds a structured `Dose` and passes it on; it never writes a string for the engine to re-parse.
 */
import { z } from 'zod';
import { ClinicalInputError } from '../errors';
import type { Route } from './models';

export type DoseUnit = 'mg' | 'mg/kg';

/** Exactly one of a fixed amount or an amount per kg of dosing weight. */
export type DoseAmount =
  { doseMg: number; doseMgPerKg?: undefined } | { doseMgPerKg: number; doseMg?: undefined };

/** One dose of a regimen, structured. */
export type Dose = DoseAmount & {
  route: Route;
  /** Infusion duration; null for a bolus (IV) or a non-infused route. */
  durationMin: number | null;
  /** Minutes after the regimen's time zero. */
  startMin: number;
  /** How a person wrote it, kept for display; absent when code built the dose. */
  text?: string | undefined;
};

export type ParsedDose = Dose & {
  /** The original text, trimmed. */
  text: string;
  amount: number;
  unit: DoseUnit;
};

const positiveNumber = z.number().finite().positive();

/** The structured dose at a boundary (JSON): the same rules the regimen language enforces. */
export const doseSchema = z
  .object({
    doseMg: positiveNumber.optional(),
    doseMgPerKg: positiveNumber.optional(),
    route: z.enum(['iv', 'intranasal', 'oral']).default('iv'),
    durationMin: positiveNumber.nullable().default(null),
    startMin: z.number().finite().min(0).default(0),
    text: z.string().optional(),
  })
  .superRefine((d, ctx) => {
    if ((d.doseMg === undefined) === (d.doseMgPerKg === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['doseMg'],
        message: 'give exactly one of doseMg and doseMgPerKg',
      });
    }
    if (d.route !== 'iv' && d.durationMin !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['durationMin'],
        message: `${d.route} doses cannot be infused over a duration`,
      });
    }
    if (d.route !== 'iv' && d.doseMgPerKg !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['doseMgPerKg'],
        message: `${d.route} doses are given in mg, not mg/kg`,
      });
    }
  })
  .transform((d): Dose => {
    const timing = { route: d.route, durationMin: d.durationMin, startMin: d.startMin, text: d.text };
    return d.doseMg !== undefined
      ? { doseMg: d.doseMg, ...timing }
      : { doseMgPerKg: d.doseMgPerKg!, ...timing };
  });

/** The dose in the regimen language (for display and logs): "0.5 mg/kg over 40 min at 0 min". */
export function formatDose(d: Dose): string {
  const amount = d.doseMg !== undefined ? `${d.doseMg} mg` : `${d.doseMgPerKg} mg/kg`;
  const route = d.route === 'iv' ? '' : ` ${d.route}`;
  const over = d.durationMin === null ? '' : ` over ${d.durationMin} min`;
  return `${amount}${route}${over} at ${d.startMin} min`;
}

/** A regimen in the regimen language, one string per dose (the one formatter for code-built doses). */
export function formatRegimen(doses: readonly Dose[]): string[] {
  return doses.map(formatDose);
}

/** What a person sees for a dose: their own words when they typed it. */
export function doseLabel(d: Dose): string {
  return d.text ?? formatDose(d);
}

const NUMBER = /^(?:\d+(?:\.\d+)?|\.\d+)$/;
const ROUTES: Record<string, Route> = { iv: 'iv', intranasal: 'intranasal', oral: 'oral' };
const TIME_UNITS: Record<string, number> = { min: 1, h: 60 };

function fieldFor(token: string): string {
  return `dose token "${token}"`;
}

/** Parses one dose; `field` is used when the whole string is empty. */
export function parseDose(input: string, field = 'dose'): ParsedDose {
  if (typeof input !== 'string' || input.trim() === '') {
    throw new ClinicalInputError(field, 'empty dose; expected e.g. "0.5 mg/kg over 40 min"');
  }
  const text = input.trim();
  const tokens = text.split(/\s+/);
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const fail = (token: string | undefined, msg: string): never => {
    throw new ClinicalInputError(token === undefined ? field : fieldFor(token), `${msg} in "${text}"`);
  };
  const number = (what: string): number => {
    const tok = peek();
    if (tok === undefined) return fail(undefined, `missing ${what}`);
    if (!NUMBER.test(tok)) return fail(tok, `expected a number for ${what}, got "${tok}"`);
    i++;
    return Number(tok);
  };
  const timeUnit = (what: string): number => {
    const tok = peek();
    if (tok === undefined) return fail(undefined, `missing unit for ${what} (min or h)`);
    const f = TIME_UNITS[tok.toLowerCase()];
    if (f === undefined) return fail(tok, `unknown time unit "${tok}" for ${what}; use min or h`);
    i++;
    return f;
  };

  const amountToken = peek();
  const amount = number('the dose amount');
  if (amount <= 0) fail(amountToken, 'the dose amount must be positive');
  const unitTok = peek();
  if (unitTok === undefined) return fail(undefined, 'missing dose unit (mg or mg/kg)');
  const unitLower = unitTok.toLowerCase();
  if (unitLower !== 'mg' && unitLower !== 'mg/kg')
    fail(unitTok, `unknown dose unit "${unitTok}"; use mg or mg/kg`);
  const unit = unitLower as DoseUnit;
  i++;

  let route: Route = 'iv';
  let durationMin: number | null = null;
  let startMin: number | null = null;
  let routeGiven = false;
  while (i < tokens.length) {
    const tok = tokens[i]!;
    const kw = tok.toLowerCase();
    if (ROUTES[kw] !== undefined) {
      if (routeGiven || durationMin !== null || startMin !== null)
        fail(tok, `route "${tok}" must come right after the unit, once`);
      route = ROUTES[kw]!;
      routeGiven = true;
      i++;
    } else if (kw === 'over') {
      if (durationMin !== null || startMin !== null) fail(tok, '"over" must come once, before "at"');
      i++;
      const durTok = peek();
      const d = number('the infusion duration');
      const f = timeUnit('the infusion duration');
      if (d <= 0) fail(durTok, 'the infusion duration must be positive');
      durationMin = d * f;
    } else if (kw === 'at') {
      if (startMin !== null) fail(tok, '"at" given twice');
      i++;
      const s = number('the start time');
      startMin = s * timeUnit('the start time');
    } else {
      fail(tok, `unexpected token "${tok}"; expected "over …", "at …" or a route (iv, intranasal, oral)`);
    }
  }
  if (route !== 'iv' && durationMin !== null) {
    fail(
      tokens.find((t) => t.toLowerCase() === 'over'),
      `${route} doses cannot be infused "over" a duration`,
    );
  }
  if (route !== 'iv' && unit === 'mg/kg') fail(unitTok, `${route} doses are given in mg, not mg/kg`);
  const timing = { text, amount, unit, route, durationMin, startMin: startMin ?? 0 };
  return unit === 'mg' ? { doseMg: amount, ...timing } : { doseMgPerKg: amount, ...timing };
}

export function parseRegimen(doses: readonly string[], field = 'doses'): ParsedDose[] {
  if (doses.length === 0) throw new ClinicalInputError(field, 'at least one dose is required');
  return doses.map((d) => parseDose(d, field));
}

/** Dose in mg given the dosing weight. */
export function doseMg(d: Dose, dosingWeightKg: number): number {
  return d.doseMg !== undefined ? d.doseMg : d.doseMgPerKg * dosingWeightKg;
}
