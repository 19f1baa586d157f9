import { ClinicalInputError } from '../errors';
import type { DoseForm, LiquidForm, Market, Release, SolidForm, TaperDrug } from './drugs';
import { releaseOf } from './drugs';
import type { EvidenceStatus } from './sources';

/**
 * Turning a target daily dose into something a patient can take: combinations of whole or split
 * tablets/capsules, or a liquid measured with an oral syringe. Nothing is rounded silently: the
 * caller gets the realised dose and its deviation, or a reason why no form can deliver it.
 */
export interface RealisationOptions {
  /** Smallest measurable liquid volume step (mL). Default 0.1 mL (tapering.md §5 gives 0.05–0.1 mL with a 1 mL syringe). */
  liquidResolutionMl?: number;
  /** Finest split of a scored IR tablet. Default quarter (tapering.md §5 planner rule [D]). */
  maxTabletSplit?: 'quarter' | 'half' | 'none';
  /** Most tablet/capsule pieces in one daily dose. Default 4 (design choice [D], not from a source). */
  maxPiecesPerDose?: number;
  /** Restrict to forms the reference lists for this market (forms without a market stay). */
  market?: Market;
  /** Use only these form ids. */
  formIds?: readonly string[];
  /** Leave out forms whose strengths are unverified [U] in the reference. */
  excludeUnverifiedForms?: boolean;
}

export interface SolidPart {
  readonly formId: string;
  readonly label: string;
  /** Number of tablets/capsules per day, in quarters (e.g. 1.75). */
  readonly units: number;
  readonly pieces: number;
}

/** What the patient takes each time and how many times a day. */
export interface DailyTake {
  readonly timesPerDay: number;
  readonly perDoseMg: number;
  /** What to take each time, e.g. "1 × venlafaxine 37.5 mg tablet". */
  readonly eachTime: string;
  /** e.g. "1 × venlafaxine 37.5 mg tablet twice a day". */
  readonly text: string;
}

/** A dose no listed product delivers, made up by a compounding pharmacy. */
export interface Preparation {
  readonly method: 'compounded';
  readonly text: string;
  readonly citation: string;
  readonly status: EvidenceStatus;
}

export interface Realisation {
  readonly doseMg: number;
  readonly kind: 'solid' | 'liquid' | 'compounded';
  /** Release form of every product used (liquids and compounded immediate-release doses are IR). */
  readonly release?: Release;
  readonly take?: DailyTake;
  readonly preparation?: Preparation;
  readonly solid?: readonly SolidPart[];
  readonly liquid?: { readonly formId: string; readonly label: string; readonly volumeMl: number };
  /** Daily instruction in words, e.g. "sertraline 20 mg/mL oral concentrate, 0.6 mL a day (12 mg)". */
  readonly how: string;
  readonly administration?: string;
  readonly pieces: number;
  /** Reference status of every form used ([U] = strength not verified). */
  readonly formStatuses: readonly EvidenceStatus[];
}

const EPS = 1e-9;

export function roundMg(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

export function validateRealisationOptions(
  opts: RealisationOptions,
): Required<Omit<RealisationOptions, 'market' | 'formIds'>> & Pick<RealisationOptions, 'market' | 'formIds'> {
  const liquidResolutionMl = opts.liquidResolutionMl ?? 0.1;
  if (!Number.isFinite(liquidResolutionMl) || liquidResolutionMl < 0.01 || liquidResolutionMl > 5) {
    throw new ClinicalInputError(
      'liquidResolutionMl',
      `must be between 0.01 and 5 mL, got ${liquidResolutionMl}`,
    );
  }
  const maxPiecesPerDose = opts.maxPiecesPerDose ?? 4;
  if (!Number.isInteger(maxPiecesPerDose) || maxPiecesPerDose < 1 || maxPiecesPerDose > 8) {
    throw new ClinicalInputError(
      'maxPiecesPerDose',
      `must be an integer from 1 to 8, got ${maxPiecesPerDose}`,
    );
  }
  const maxTabletSplit = opts.maxTabletSplit ?? 'quarter';
  if (!['quarter', 'half', 'none'].includes(maxTabletSplit)) {
    throw new ClinicalInputError(
      'maxTabletSplit',
      `must be quarter, half or none, got ${String(maxTabletSplit)}`,
    );
  }
  return {
    liquidResolutionMl,
    maxPiecesPerDose,
    maxTabletSplit,
    excludeUnverifiedForms: opts.excludeUnverifiedForms ?? false,
    market: opts.market,
    formIds: opts.formIds,
  };
}

/** The forms of `drug` allowed by the options. */
export function availableForms(drug: TaperDrug, opts: RealisationOptions = {}): DoseForm[] {
  if (opts.formIds) {
    for (const id of opts.formIds) {
      if (!drug.forms.some((f) => f.id === id)) {
        throw new ClinicalInputError('formIds', `unknown dose form "${id}" for ${drug.name}`);
      }
    }
  }
  return drug.forms.filter(
    (f) =>
      (opts.market === undefined || f.markets.length === 0 || f.markets.includes(opts.market)) &&
      (opts.formIds === undefined || opts.formIds.includes(f.id)) &&
      !(opts.excludeUnverifiedForms && f.status === 'U'),
  );
}

interface PieceType {
  form: SolidForm;
  fraction: number;
}

function fractionsFor(form: SolidForm, split: 'quarter' | 'half' | 'none'): number[] {
  if (!form.scored || split === 'none') return [1];
  return split === 'half' ? [1, 0.5] : [1, 0.5, 0.25];
}

function quarters(units: number): string {
  const whole = Math.floor(units + EPS);
  const rest = Math.round((units - whole) * 4);
  const frac = ['', '¼', '½', '¾'][rest] ?? '';
  return whole === 0 ? frac : `${whole}${frac}`;
}

function solidText(parts: readonly SolidPart[], kindOf: (id: string) => string): string {
  return parts
    .map((p) => {
      const kind = kindOf(p.formId);
      const plural = p.units > 1 + EPS ? `${kind}s` : kind;
      return `${p.label}: ${quarters(p.units)} ${plural}`;
    })
    .join(' + ');
}

/** Every distinct daily dose reachable with ≤ maxPieces pieces of one release type, simplest combination first. */
export function solidCombinations(forms: readonly SolidForm[], opts: RealisationOptions = {}): Realisation[] {
  const o = validateRealisationOptions(opts);
  const byDose = new Map<number, { r: Realisation; splitPieces: number }>();
  const kindById = new Map(forms.map((f) => [f.id, f.kind] as const));
  const releases = [...new Set(forms.map((f) => f.release))];
  for (const release of releases) {
    const types: PieceType[] = forms
      .filter((f) => f.release === release)
      .flatMap((form) => fractionsFor(form, o.maxTabletSplit).map((fraction) => ({ form, fraction })));
    const chosen: PieceType[] = [];
    const visit = (start: number): void => {
      if (chosen.length > 0) {
        const doseMg = roundMg(chosen.reduce((s, p) => s + p.form.strengthMg * p.fraction, 0));
        const partsMap = new Map<string, { form: SolidForm; units: number; pieces: number }>();
        for (const p of chosen) {
          const cur = partsMap.get(p.form.id) ?? { form: p.form, units: 0, pieces: 0 };
          cur.units += p.fraction;
          cur.pieces += 1;
          partsMap.set(p.form.id, cur);
        }
        const solid: SolidPart[] = [...partsMap.values()]
          .sort((a, b) => b.form.strengthMg - a.form.strengthMg)
          .map((x) => ({ formId: x.form.id, label: x.form.label, units: x.units, pieces: x.pieces }));
        const splitPieces = chosen.filter((p) => p.fraction < 1).length;
        const prev = byDose.get(doseMg);
        const better =
          !prev ||
          chosen.length < prev.r.pieces ||
          (chosen.length === prev.r.pieces && splitPieces < prev.splitPieces);
        if (better) {
          byDose.set(doseMg, {
            splitPieces,
            r: {
              doseMg,
              kind: 'solid',
              release,
              solid,
              pieces: chosen.length,
              formStatuses: [...new Set(chosen.map((p) => p.form.status))],
              how: `${solidText(solid, (id) => kindById.get(id) ?? 'tablet')} a day (${doseMg} mg)`,
            },
          });
        }
      }
      if (chosen.length >= o.maxPiecesPerDose) return;
      for (let i = start; i < types.length; i++) {
        chosen.push(types[i]!);
        visit(i);
        chosen.pop();
      }
    };
    visit(0);
  }
  return [...byDose.values()].map((x) => x.r).sort((a, b) => a.doseMg - b.doseMg);
}

function formatMl(volumeMl: number): string {
  return String(Math.round(volumeMl * 1000) / 1000);
}

export function liquidRealisation(form: LiquidForm, units: number, resolutionMl: number): Realisation {
  const volumeMl = Math.round(units * resolutionMl * 1e6) / 1e6;
  const doseMg = roundMg(volumeMl * form.concentrationMgPerMl);
  return {
    doseMg,
    kind: 'liquid',
    release: 'IR',
    liquid: { formId: form.id, label: form.label, volumeMl },
    pieces: 0,
    formStatuses: [form.status],
    how: `${form.label}, ${formatMl(volumeMl)} mL a day (${doseMg} mg)`,
    ...(form.administration === undefined ? {} : { administration: form.administration }),
  };
}

/** Liquid doses in [minMg, maxMg] nearest to the target for each liquid form (at most two per form). */
function liquidCandidates(
  forms: readonly LiquidForm[],
  targetMg: number,
  resolutionMl: number,
): Realisation[] {
  const out: Realisation[] = [];
  for (const form of forms) {
    const mgPerUnit = form.concentrationMgPerMl * resolutionMl;
    const exact = targetMg / mgPerUnit;
    const lo = Math.max(1, Math.floor(exact + EPS));
    const hi = Math.max(1, Math.ceil(exact - EPS));
    for (const u of new Set([lo, hi])) out.push(liquidRealisation(form, u, resolutionMl));
  }
  return out;
}

export type RealiseResult =
  | { readonly ok: true; readonly realisation: Realisation }
  | { readonly ok: false; readonly reason: string; readonly nearest: Realisation | null };

export interface RealiseConstraints {
  /** Lowest acceptable dose (guideline limit on the cut). */
  readonly minMg: number;
  /** The realised dose must be strictly below this (each step must reduce). */
  readonly belowMg: number;
  /** Largest acceptable |realised − target| in mg. */
  readonly maxDeviationMg: number;
  /**
   * Once a plan has moved to a liquid, keep that liquid when it fits (NICE NG222: use liquids once
   * very small doses are reached) instead of switching back and forth between forms.
   */
  readonly keepLiquidFormId?: string;
}

/**
 * Picks a realisation of `targetMg` within the constraints. Tablets/capsules are preferred when one
 * fits (nearest, then fewest pieces), else the nearest liquid. Returns a reason when none fits.
 */
export function realiseDose(
  drug: TaperDrug,
  targetMg: number,
  constraints: RealiseConstraints,
  opts: RealisationOptions = {},
  solidCache?: Realisation[],
): RealiseResult {
  const o = validateRealisationOptions(opts);
  const forms = availableForms(drug, o);
  if (forms.length === 0) {
    return {
      ok: false,
      reason: `no dose form of ${drug.name} is available in the reference for these settings`,
      nearest: null,
    };
  }
  const solids =
    solidCache ??
    solidCombinations(
      forms.filter((f): f is SolidForm => f.kind !== 'liquid'),
      o,
    );
  const liquids = liquidCandidates(
    forms.filter((f): f is LiquidForm => f.kind === 'liquid'),
    targetMg,
    o.liquidResolutionMl,
  );
  const all = [...solids, ...liquids];
  const fits = (r: Realisation): boolean =>
    r.doseMg >= constraints.minMg - EPS &&
    r.doseMg < constraints.belowMg - EPS &&
    Math.abs(r.doseMg - targetMg) <= constraints.maxDeviationMg + EPS;
  const byNearness = (a: Realisation, b: Realisation): number =>
    Math.abs(a.doseMg - targetMg) - Math.abs(b.doseMg - targetMg) || a.pieces - b.pieces;
  if (constraints.keepLiquidFormId !== undefined) {
    const kept = liquids
      .filter((r) => r.liquid?.formId === constraints.keepLiquidFormId && fits(r))
      .sort(byNearness)[0];
    if (kept) return { ok: true, realisation: kept };
  }
  const solidFit = solids.filter(fits).sort(byNearness)[0];
  if (solidFit) return { ok: true, realisation: solidFit };
  const liquidFit = liquids.filter(fits).sort(byNearness)[0];
  if (liquidFit) return { ok: true, realisation: liquidFit };
  const nearest = [...all].sort(byNearness)[0] ?? null;
  return {
    ok: false,
    reason:
      `no available form of ${drug.name} delivers ${roundMg(targetMg)} mg within ±${roundMg(constraints.maxDeviationMg)} mg ` +
      `while staying between ${roundMg(constraints.minMg)} mg and below ${roundMg(constraints.belowMg)} mg` +
      (nearest ? ` (nearest: ${nearest.how})` : ''),
    nearest,
  };
}

/** Exact realisation of a dose (e.g. the current dose), or null. */
export function realiseExactly(
  drug: TaperDrug,
  doseMg: number,
  opts: RealisationOptions = {},
): Realisation | null {
  const r = realiseDose(drug, doseMg, { minMg: doseMg, belowMg: doseMg + 1e-6, maxDeviationMg: 0 }, opts);
  return r.ok ? r.realisation : null;
}

const FREQUENCY = ['', 'once a day', 'twice a day', 'three times a day', 'four times a day'];

export function frequencyText(timesPerDay: number): string {
  return FREQUENCY[timesPerDay] ?? `${timesPerDay} times a day`;
}

function countText(units: number): string {
  return quarters(units) || '0';
}

/**
 * The daily realisation of `perDose` taken `timesPerDay` times, in the patient's words: what to
 * take each time and how often, and the daily total.
 */
export function dailyRealisation(perDose: Realisation, timesPerDay: number, drugName: string): Realisation {
  const doseMg = roundMg(perDose.doseMg * timesPerDay);
  const freq = frequencyText(timesPerDay);
  let eachTime: string;
  let how: string;
  if (perDose.kind === 'liquid' && perDose.liquid) {
    const ml = String(Math.round(perDose.liquid.volumeMl * 1000) / 1000);
    eachTime = `${ml} mL of ${perDose.liquid.label} (${roundMg(perDose.doseMg)} mg)`;
    how = `${perDose.liquid.label}, ${ml} mL ${freq} (${doseMg} mg a day)`;
  } else if (perDose.kind === 'solid' && perDose.solid) {
    eachTime = perDose.solid.map((p) => `${countText(p.units)} × ${p.label}`).join(' + ');
    const parts = perDose.how.replace(/ a day \([^)]*\)$/, '');
    how = `${parts} ${freq} (${doseMg} mg a day)`;
  } else {
    eachTime = `1 × compounded ${drugName} ${roundMg(perDose.doseMg)} mg dose`;
    how = `${eachTime} ${freq} (${doseMg} mg a day)`;
  }
  return {
    ...perDose,
    doseMg,
    how,
    take: { timesPerDay, perDoseMg: roundMg(perDose.doseMg), eachTime, text: `${eachTime} ${freq}` },
  };
}

/** Rounds a compounded dose up to three significant figures (never a larger cut than asked). */
export function compoundedDoseMg(targetMg: number): number {
  if (!(targetMg > 0)) return targetMg;
  const grid = 10 ** (Math.floor(Math.log10(targetMg)) - 2);
  return roundMg(Math.ceil(targetMg / grid - 1e-9) * grid);
}

/** One compounded dose of `perDoseMg` (custom-dose capsule or liquid from a compounding pharmacy). */
export function compoundedRealisation(
  drug: TaperDrug,
  perDoseMg: number,
  release: Release,
  citation: string,
): Realisation {
  const note = drug.compoundingNote ? ` ${drug.compoundingNote}` : '';
  return {
    doseMg: roundMg(perDoseMg),
    kind: 'compounded',
    release,
    pieces: 1,
    formStatuses: [],
    how: `compounded ${drug.name} ${roundMg(perDoseMg)} mg a day (${roundMg(perDoseMg)} mg)`,
    preparation: {
      method: 'compounded',
      text: `No listed product gives this dose: the prescriber orders ${drug.name} ${roundMg(perDoseMg)} mg doses (custom-dose capsules, or a liquid) from a compounding pharmacy.${note}`,
      citation,
      status: 'V',
    },
  };
}

/** The forms of `drug` of one release family (liquids count as immediate release). */
export function formsOfRelease(forms: readonly DoseForm[], release: Release): DoseForm[] {
  return forms.filter((f) => releaseOf(f) === release);
}

/**
 * Realises a daily dose taken `timesPerDay` times a day in equal doses of one release form: each
 * dose is a product combination or a measured liquid volume; constraints are on the daily total.
 */
export function realiseDailyDose(
  drug: TaperDrug,
  dailyTargetMg: number,
  constraints: RealiseConstraints,
  opts: RealisationOptions,
  how: { timesPerDay: number; release: Release; solidCache: readonly Realisation[] },
): RealiseResult {
  const n = how.timesPerDay;
  const o = validateRealisationOptions(opts);
  const forms = formsOfRelease(availableForms(drug, o), how.release);
  const sameRelease: TaperDrug = { ...drug, forms };
  const perOpts: RealisationOptions = { ...o, formIds: undefined };
  delete (perOpts as { formIds?: unknown }).formIds;
  const per = realiseDose(
    sameRelease,
    dailyTargetMg / n,
    {
      minMg: constraints.minMg / n,
      belowMg: constraints.belowMg / n,
      maxDeviationMg: constraints.maxDeviationMg / n,
      ...(constraints.keepLiquidFormId === undefined
        ? {}
        : { keepLiquidFormId: constraints.keepLiquidFormId }),
    },
    perOpts,
    how.solidCache.filter((r) => r.release === how.release),
  );
  if (!per.ok) {
    return {
      ok: false,
      reason: per.reason,
      nearest: per.nearest && dailyRealisation(per.nearest, n, drug.name),
    };
  }
  return { ok: true, realisation: dailyRealisation(per.realisation, n, drug.name) };
}
