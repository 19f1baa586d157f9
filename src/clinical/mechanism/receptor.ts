/**
 * NMDA-receptor block by ketamine (and optionally norketamine): plasma → free brain
 * concentration → equilibrium occupancy, and open-channel trapping block as a kinetic equation.
 *
 * Trapping model (our formulation of Orser 1997 and Ma 2023, see docs/clinical-sources/mechanism.md):
 * a drug molecule can enter or leave the channel only while the channel is open. With the
 * open probability proportional to neural activity a(t), the fraction B_i of receptors holding
 * drug i obeys
 *
 *     dB_i/dt = a(t) · r · ( x_i(t)^n · (1 − Σ_j B_j) − B_i ),   x_i = c_free,i / K_i
 *
 * where r = 1/τ_untrap is the unblocking rate at baseline activity (a = 1). At constant
 * concentration B_i relaxes to the equilibrium (Hill/competitive) occupancy
 * x_i^n / (1 + Σ_j x_j^n), so occupancy and block agree at steady state; when the drug is gone
 * the block decays as exp(−a·r·t), slowly and only as fast as the channels open (activity).
 */
import { ClinicalInputError } from '../errors';
import { integrate } from './ode';
import { overrideParameter, requireFraction, requirePositive, type SourcedParameter } from './parameters';

/** Plasma concentration time series (e.g. from the PK engine). Times in minutes. */
export interface ConcentrationSeries {
  timesMin: number[];
  /** Parent drug (racemic ketamine or esketamine) plasma concentration, ng/mL. */
  plasmaNgPerMl: number[];
  /** Optional metabolite (norketamine / noresketamine) plasma concentration, ng/mL. */
  norketamineNgPerMl?: number[];
}

export type MechanismDrug = 'racemic-ketamine' | 'esketamine';

export interface ReceptorParameters {
  molarMassParentGPerMol: SourcedParameter;
  molarMassNorketamineGPerMol: SourcedParameter;
  fractionUnboundParent: SourcedParameter;
  fractionUnboundNorketamine: SourcedParameter;
  brainToPlasmaParent: SourcedParameter;
  brainToPlasmaNorketamine: SourcedParameter;
  unboundBrainToUnboundPlasma: SourcedParameter;
  kiParentUm: SourcedParameter;
  kiNorketamineUm: SourcedParameter;
  hillCoefficient: SourcedParameter;
  untrapTimeConstantH: SourcedParameter;
  relativeActivity: SourcedParameter;
}

export type ReceptorParameterOverrides = Partial<Record<keyof ReceptorParameters, number>>;

const DAYTON_1983 =
  'Dayton et al. 1983, Eur J Clin Pharmacol 24:825 (up to 47% bound in human plasma); pharmacology.md §4.4';

/** Default parameters for the chosen drug; overrides replace values and mark them `user-set`. */
export function receptorParameters(
  drug: MechanismDrug = 'racemic-ketamine',
  overrides: ReceptorParameterOverrides = {},
): ReceptorParameters {
  const es = drug === 'esketamine';
  const defaults: ReceptorParameters = {
    // pharmacology.md §4.1 [V] Merck index / NCATS: ketamine base C13H16ClNO 237.73 g/mol
    // (esketamine is the same molecule, one enantiomer).
    molarMassParentGPerMol: {
      id: 'molarMassParentGPerMol',
      value: 237.73,
      unit: 'g/mol',
      source: 'Merck index / NCATS, ketamine base C13H16ClNO; pharmacology.md §4.1',
      status: 'V',
    },
    // pharmacology.md §4.1 [C] from the formula C12H14ClNO.
    molarMassNorketamineGPerMol: {
      id: 'molarMassNorketamineGPerMol',
      value: 223.7,
      unit: 'g/mol',
      source: 'computed from formula C12H14ClNO; pharmacology.md §4.1',
      status: 'C',
    },
    fractionUnboundParent: es
      ? {
          // Spravato label: protein binding 43–45% ⇒ fu 0.55–0.57; midpoint 0.56.
          id: 'fractionUnboundParent',
          value: 0.56,
          unit: 'fraction',
          source: 'Spravato label, protein binding 43–45% (midpoint); pharmacology.md §3, §4.4',
          status: 'V',
        }
      : {
          // Dayton 1983: up to 47% bound ⇒ fu ≥ 0.53.
          id: 'fractionUnboundParent',
          value: 0.53,
          unit: 'fraction',
          source: DAYTON_1983,
          status: 'V abstract',
          note: 'older text books quote 12% binding [S]; 0.53 is the lower end of fu 0.53–0.57',
        },
    // Kaka & Hayton 1980 (dogs): norketamine 60.3% bound ⇒ fu 0.397. Dog data, no human value.
    fractionUnboundNorketamine: {
      id: 'fractionUnboundNorketamine',
      value: 0.397,
      unit: 'fraction',
      source: 'Kaka & Hayton 1980 (dog), norketamine 60.3% bound; pharmacology.md §1.8',
      status: 'V',
      note: 'dog plasma; no human value in the reference',
    },
    // Cohen et al. 1973 Anesthesiology 39:370 (rat): brain:plasma constant 6.5:1.
    brainToPlasmaParent: {
      id: 'brainToPlasmaParent',
      value: 6.5,
      unit: 'ratio (total brain : total plasma)',
      source: 'Cohen et al. 1973, Anesthesiology 39:370 (rat); pharmacology.md §4.5',
      status: 'V abstract',
      note: 'rat; citation details [S]. Used for total brain concentration only',
    },
    // Label: noresketamine brain:plasma 4–6× lower than esketamine ⇒ 6.5/5 = 1.3 [C].
    brainToPlasmaNorketamine: {
      id: 'brainToPlasmaNorketamine',
      value: 1.3,
      unit: 'ratio (total brain : total plasma)',
      source:
        'computed: rat ketamine ratio 6.5 (Cohen 1973) ÷ 5 (Spravato label: noresketamine 4–6× lower); pharmacology.md §4.5',
      status: 'C',
    },
    // No source in the reference: passive diffusion of a lipophilic base assumed (Kp,uu = 1).
    unboundBrainToUnboundPlasma: {
      id: 'unboundBrainToUnboundPlasma',
      value: 1,
      unit: 'ratio (unbound brain : unbound plasma)',
      source: 'assumption: unbound brain equals unbound plasma at equilibrium (no transporter)',
      status: 'assumption',
    },
    kiParentUm: es
      ? {
          // (S)-ketamine Ki 0.30 µM vs [3H]MK-801 (Ebert 1997 via a summary page).
          id: 'kiParentUm',
          value: 0.3,
          unit: 'µM',
          source:
            'Ebert 1997, (S)-ketamine Ki vs [3H]MK-801, rat brain (via benchchem summary); pharmacology.md §4.2',
          status: 'S',
          note: 'sources disagree (1–2.5 µM in another table; IC50 ≈ 5 µM in 1 mM Mg²⁺ [U])',
        }
      : {
          // Racemic ketamine Ki 0.119 µM (Sałat 2015).
          id: 'kiParentUm',
          value: 0.119,
          unit: 'µM',
          source:
            'Sałat 2015, racemic ketamine Ki vs [3H]MK-801 (via benchchem summary); pharmacology.md §4.2',
          status: 'S',
          note: 'sources disagree (1–2.5 µM in another table; IC50 ≈ 5 µM in 1 mM Mg²⁺ [U])',
        },
    kiNorketamineUm: es
      ? {
          id: 'kiNorketamineUm',
          value: 1.7,
          unit: 'µM',
          source: 'Ebert 1997, (S)-norketamine Ki (via benchchem summary); pharmacology.md §4.2',
          status: 'S',
        }
      : {
          id: 'kiNorketamineUm',
          value: 0.97,
          unit: 'µM',
          source: 'Sałat 2015, racemic norketamine Ki (via benchchem summary); pharmacology.md §4.2',
          status: 'S',
        },
    // No sourced Hill coefficient in the reference: single-site mass action (n = 1).
    hillCoefficient: {
      id: 'hillCoefficient',
      value: 1,
      unit: 'dimensionless',
      source: 'assumption: one drug molecule per channel (mass action); no sourced value',
      status: 'assumption',
    },
    // Chosen so that a single dose leaves a trapped block for many hours that is largely gone
    // by 24 h (e^(−24/8) ≈ 5%), qualitatively as Ma et al. 2023 Nature 622:802 report for LHb.
    untrapTimeConstantH: {
      id: 'untrapTimeConstantH',
      value: 8,
      unit: 'h',
      source:
        'illustrative, chosen to reproduce block lasting up to ~24 h (Ma et al. 2023, Nature 622:802); pharmacology.md §4.3',
      status: 'illustrative',
      note: 'kon/koff not verified (Glasgow 2017 [U]); untrapping depends on activity',
    },
    relativeActivity: {
      id: 'relativeActivity',
      value: 1,
      unit: 'fold of baseline channel opening',
      source:
        'illustrative; trapping and untrapping need open channels (Orser 1997; Ma 2023 activity-dependent untrapping)',
      status: 'illustrative',
    },
  };
  const out = { ...defaults };
  for (const key of Object.keys(overrides) as (keyof ReceptorParameters)[]) {
    if (!(key in defaults)) throw new ClinicalInputError(key, `unknown receptor parameter ${key}`);
    out[key] = overrideParameter(defaults[key], overrides[key]);
  }
  validateReceptorParameters(out);
  return out;
}

function validateReceptorParameters(p: ReceptorParameters): void {
  requireFraction(p.fractionUnboundParent);
  requireFraction(p.fractionUnboundNorketamine);
  for (const q of [
    p.molarMassParentGPerMol,
    p.molarMassNorketamineGPerMol,
    p.brainToPlasmaParent,
    p.brainToPlasmaNorketamine,
    p.unboundBrainToUnboundPlasma,
    p.kiParentUm,
    p.kiNorketamineUm,
    p.hillCoefficient,
    p.untrapTimeConstantH,
    p.relativeActivity,
  ])
    requirePositive(q);
}

/** ng/mL → µM: (ng/mL) / (g/mol) = µmol/L. */
export function ngPerMlToUm(ngPerMl: number, molarMassGPerMol: number): number {
  return ngPerMl / molarMassGPerMol;
}

/** Unbound brain concentration (µM) from total plasma concentration (ng/mL). */
export function freeBrainParentUm(plasmaNgPerMl: number, p: ReceptorParameters): number {
  return (
    ngPerMlToUm(plasmaNgPerMl, p.molarMassParentGPerMol.value) *
    p.fractionUnboundParent.value *
    p.unboundBrainToUnboundPlasma.value
  );
}

export function freeBrainNorketamineUm(plasmaNgPerMl: number, p: ReceptorParameters): number {
  return (
    ngPerMlToUm(plasmaNgPerMl, p.molarMassNorketamineGPerMol.value) *
    p.fractionUnboundNorketamine.value *
    p.unboundBrainToUnboundPlasma.value
  );
}

/** Total brain tissue concentration (µM ≈ µmol/kg) from plasma via the brain:plasma ratio. */
export function totalBrainParentUm(plasmaNgPerMl: number, p: ReceptorParameters): number {
  return ngPerMlToUm(plasmaNgPerMl, p.molarMassParentGPerMol.value) * p.brainToPlasmaParent.value;
}

/**
 * Equilibrium fractional occupancy of NMDA receptors by one or more competing ligands:
 * occ_total = Σ x_i^n / (1 + Σ x_i^n), x_i = c_i / K_i. Always in [0, 1).
 */
export function equilibriumOccupancy(ligands: readonly { freeUm: number; kiUm: number }[], hill = 1): number {
  let s = 0;
  for (const { freeUm, kiUm } of ligands) {
    if (!(freeUm >= 0) || !Number.isFinite(freeUm))
      throw new ClinicalInputError('freeUm', 'free concentration must be a finite number ≥ 0');
    if (!(kiUm > 0)) throw new ClinicalInputError('kiUm', 'Ki must be > 0');
    s += (freeUm / kiUm) ** hill;
  }
  return s / (1 + s);
}

/** Throws ClinicalInputError naming the bad field; never rounds or clamps. */
export function validateConcentrationSeries(series: ConcentrationSeries): void {
  const { timesMin, plasmaNgPerMl, norketamineNgPerMl } = series;
  if (!Array.isArray(timesMin) || timesMin.length < 2)
    throw new ClinicalInputError('timesMin', 'at least two time points are needed');
  if (!Array.isArray(plasmaNgPerMl) || plasmaNgPerMl.length !== timesMin.length)
    throw new ClinicalInputError('plasmaNgPerMl', 'must have one value per time point');
  if (norketamineNgPerMl !== undefined && norketamineNgPerMl.length !== timesMin.length)
    throw new ClinicalInputError('norketamineNgPerMl', 'must have one value per time point');
  for (let i = 0; i < timesMin.length; i++) {
    const t = timesMin[i]!;
    if (!Number.isFinite(t))
      throw new ClinicalInputError(`timesMin[${i}]`, 'time must be a finite number of minutes');
    if (i > 0 && !(t > timesMin[i - 1]!))
      throw new ClinicalInputError(`timesMin[${i}]`, 'times must strictly increase');
    const c = plasmaNgPerMl[i]!;
    if (!Number.isFinite(c) || c < 0)
      throw new ClinicalInputError(`plasmaNgPerMl[${i}]`, 'concentration must be finite and ≥ 0');
    if (norketamineNgPerMl !== undefined) {
      const m = norketamineNgPerMl[i]!;
      if (!Number.isFinite(m) || m < 0)
        throw new ClinicalInputError(`norketamineNgPerMl[${i}]`, 'concentration must be finite and ≥ 0');
    }
  }
}

export interface ReceptorTimeCourse {
  timesMin: number[];
  freeBrainParentUm: number[];
  freeBrainNorketamineUm: number[] | null;
  totalBrainParentUm: number[];
  /** Equilibrium occupancy (instantaneous binding), fraction 0–1. */
  occupancy: number[];
  /** Trapped (kinetic, use-dependent) block, all ligands, fraction 0–1. */
  trappedBlock: number[];
  trappedBlockParent: number[];
  trappedBlockNorketamine: number[] | null;
  odeSteps: number;
}

/**
 * Receptor time course on the input time axis. Concentrations are linearly interpolated between
 * samples; the block starts at `initialBlock` (default 0: drug-naïve) at the first time point.
 */
export function simulateReceptorBlock(
  series: ConcentrationSeries,
  p: ReceptorParameters,
  initialBlock: { parent: number; norketamine: number } = { parent: 0, norketamine: 0 },
): ReceptorTimeCourse {
  validateConcentrationSeries(series);
  if (
    !(initialBlock.parent >= 0 && initialBlock.norketamine >= 0) ||
    initialBlock.parent + initialBlock.norketamine > 1
  )
    throw new ClinicalInputError('initialBlock', 'initial block fractions must be ≥ 0 and sum ≤ 1');
  const { timesMin, plasmaNgPerMl, norketamineNgPerMl } = series;
  const n = timesMin.length;
  const hasNk = norketamineNgPerMl !== undefined;
  const hill = p.hillCoefficient.value;
  const kiP = p.kiParentUm.value;
  const kiN = p.kiNorketamineUm.value;
  const ratePerMin = p.relativeActivity.value / (p.untrapTimeConstantH.value * 60);

  const freeP = plasmaNgPerMl.map((c) => freeBrainParentUm(c, p));
  const freeN = hasNk ? norketamineNgPerMl.map((c) => freeBrainNorketamineUm(c, p)) : null;
  const occupancy = freeP.map((c, i) =>
    equilibriumOccupancy(
      freeN
        ? [
            { freeUm: c, kiUm: kiP },
            { freeUm: freeN[i]!, kiUm: kiN },
          ]
        : [{ freeUm: c, kiUm: kiP }],
      hill,
    ),
  );

  // Interval-wise integration: within [t_a, t_b] the free concentrations are linear in time.
  let ta = 0,
    tb = 1,
    pa = 0,
    pb = 0,
    na = 0,
    nb = 0;
  const rhs = (t: number, y: Float64Array, dy: Float64Array): void => {
    const w = (t - ta) / (tb - ta);
    const xP = (pa + w * (pb - pa)) / kiP;
    const xN = (na + w * (nb - na)) / kiN;
    const free = 1 - y[0]! - y[1]!;
    dy[0] = ratePerMin * (xP ** hill * free - y[0]!);
    dy[1] = ratePerMin * (xN ** hill * free - y[1]!);
  };
  const bP = new Array<number>(n);
  const bN = new Array<number>(n);
  bP[0] = initialBlock.parent;
  bN[0] = hasNk ? initialBlock.norketamine : 0;
  let y: ArrayLike<number> = [bP[0], bN[0]];
  let steps = 0;
  let hNext = 0;
  for (let i = 1; i < n; i++) {
    ta = timesMin[i - 1]!;
    tb = timesMin[i]!;
    pa = freeP[i - 1]!;
    pb = freeP[i]!;
    na = freeN ? freeN[i - 1]! : 0;
    nb = freeN ? freeN[i]! : 0;
    const r = integrate(rhs, ta, y, tb, {
      rtol: 1e-7,
      atol: 1e-10,
      ...(hNext > 0 ? { hInitial: Math.min(hNext, tb - ta) } : {}),
    });
    hNext = r.hNext;
    steps += r.acceptedSteps;
    bP[i] = r.y[0]!;
    bN[i] = r.y[1]!;
    y = r.y;
  }
  return {
    timesMin: [...timesMin],
    freeBrainParentUm: freeP,
    freeBrainNorketamineUm: freeN,
    totalBrainParentUm: plasmaNgPerMl.map((c) => totalBrainParentUm(c, p)),
    occupancy,
    trappedBlock: bP.map((b, i) => b + bN[i]!),
    trappedBlockParent: bP,
    trappedBlockNorketamine: hasNk ? bN : null,
    odeSteps: steps,
  };
}
