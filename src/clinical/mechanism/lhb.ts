/**
 * Lateral habenula (LHb) neuron: single-compartment conductance-based model showing the
 * mechanism of Yang et al. 2018 and Cui et al. 2018 (Nature 554:317 and 554:323):
 *
 * - astroglial Kir4.1 buffers perisomatic K⁺; more Kir4.1 ⇒ lower [K⁺]o ⇒ more negative E_K ⇒
 *   a more hyperpolarised neuron;
 * - hyperpolarisation removes inactivation of the low-threshold T-type Ca²⁺ current;
 * - a rhythmic GABA_A input (≈4.8 Hz) briefly hyperpolarises the cell further; in a hyperpolarised
 *   cell this de-inactivates the T current, which fires a rebound low-threshold spike, and the
 *   tonic NMDA-receptor current (Mg²⁺-blocked at rest, relieved by the depolarisation) sustains
 *   it into a high-frequency burst of Na⁺ spikes (the mechanism of Ma, Gu & Jia 2023);
 * - at depolarised potentials (control Kir4.1) the T current stays inactivated ⇒ tonic firing;
 * - blocking either the NMDA or the T-type current abolishes the bursts.
 *
 * The constants are illustrative: we tuned them so the model shows these qualitative findings.
 * They are not fitted to LHb recordings (e.g. tonic rates are higher than recorded LHb rates and
 * bursts are long, 6–20 spikes). Without the rhythmic GABA input the model cell does not burst.
 *
 * Units: mV, ms, µF/cm², mS/cm², µA/cm², mM. Every constant is listed in LHB_PARAMETER_SOURCES with its
 * source and status; most are illustrative (chosen to show the published qualitative behaviour).
 * Integrated with the adaptive Dormand–Prince solver in ./ode.
 */
import { ClinicalInputError } from '../errors';
import { integrate } from './ode';
import type { SourcedParameter } from './parameters';

export interface LhbParameters {
  capacitanceUfPerCm2: number;
  gNaMsPerCm2: number;
  gKMsPerCm2: number;
  eNaMv: number;
  /** Wang–Buzsáki temperature factor for h and n gating. */
  phiGating: number;
  gTMsPerCm2: number;
  /** Multiplies the T-type inactivation time constant. */
  tInactivationTauScale: number;
  eCaMv: number;
  gNmdaMsPerCm2: number;
  mgMm: number;
  gKLeakMsPerCm2: number;
  gLeakMsPerCm2: number;
  eLeakMv: number;
  /** Peak conductance of the rhythmic GABA_A input (alpha function). */
  gGabaMsPerCm2: number;
  eGabaMv: number;
  gabaPeriodMs: number;
  gabaTauMs: number;
  /** Intracellular K⁺ (mM). */
  kInMm: number;
  /** Perisomatic [K⁺]o with no astroglial buffering (mM). */
  kOutUnbufferedMm: number;
  /** Strength of Kir4.1 buffering per unit Kir4.1 level: [K⁺]o = unbuffered / (1 + k·level). */
  kirBufferingPerLevel: number;
  /** RT/F at body temperature (mV). */
  rtOverFMv: number;
}

const ILL = 'illustrative';
const ILL_TUNED =
  'illustrative; tuned by us so the model shows tonic firing at control Kir4.1 and NMDA- and T-dependent bursting when Kir4.1 is raised (Yang 2018; Cui 2018, Nature 554)';
const WB = 'Wang & Buzsáki 1996, J Neurosci 16:6402 (hippocampal interneuron; not LHb-fitted)';

/** Default neuron constants (all illustrative, see LHB_PARAMETER_SOURCES). */
export const DEFAULT_LHB_PARAMETERS: LhbParameters = {
  capacitanceUfPerCm2: 1,
  gNaMsPerCm2: 35,
  gKMsPerCm2: 6.5,
  eNaMv: 55,
  phiGating: 5,
  gTMsPerCm2: 1.25,
  tInactivationTauScale: 2.8,
  eCaMv: 120,
  gNmdaMsPerCm2: 0.7,
  mgMm: 1,
  gKLeakMsPerCm2: 0.09,
  gLeakMsPerCm2: 0.007,
  eLeakMv: -24,
  gGabaMsPerCm2: 0.07,
  eGabaMv: -85,
  gabaPeriodMs: 210,
  gabaTauMs: 10,
  kInMm: 140,
  kOutUnbufferedMm: 7.1,
  kirBufferingPerLevel: 0.54,
  rtOverFMv: 26.7,
};

/** Source and status of each neuron-model constant (also in docs/clinical-sources/mechanism.md). */
export const LHB_PARAMETER_SOURCES: readonly SourcedParameter[] = (
  [
    ['capacitanceUfPerCm2', 'µF/cm²', 'conventional membrane capacitance, as in ' + WB, ILL],
    ['gNaMsPerCm2', 'mS/cm²', WB + ' [S, code]', 'S'],
    ['gKMsPerCm2', 'mS/cm²', ILL_TUNED + '; kinetics from ' + WB, ILL],
    ['eNaMv', 'mV', WB + ' [S, code]', 'S'],
    ['phiGating', 'dimensionless', WB + ' [S, code]', 'S'],
    [
      'gTMsPerCm2',
      'mS/cm²',
      ILL_TUNED +
        '; steady states from Destexhe/Huguenard it2.mod (pharmacology.md §5; thalamic, not LHb) [S, code]',
      ILL,
    ],
    [
      'tInactivationTauScale',
      'dimensionless',
      ILL_TUNED + '; τ_h(V) = 30 + 150/(1 + e^((V+75)/5)) ms is our illustrative form',
      ILL,
    ],
    ['eCaMv', 'mV', 'illustrative fixed Ca²⁺ reversal potential', ILL],
    ['gNmdaMsPerCm2', 'mS/cm²', ILL_TUNED + '; tonic (ambient glutamate) NMDA conductance', ILL],
    [
      'mgMm',
      'mM',
      'Mg²⁺ block form of Jahr & Stevens 1990 (J Neurosci 10:3178), 1 mM physiological Mg²⁺ [S]',
      'S',
    ],
    ['gKLeakMsPerCm2', 'mS/cm²', ILL_TUNED, ILL],
    ['gLeakMsPerCm2', 'mS/cm²', ILL_TUNED, ILL],
    ['eLeakMv', 'mV', ILL_TUNED + ' (mixed cation leak)', ILL],
    [
      'gGabaMsPerCm2',
      'mS/cm²',
      ILL_TUNED +
        '; rhythmic GABA input de-inactivates I_T (mechanism of Ma, Gu & Jia 2023, Cogn Neurodyn 17:1397 [V abstract])',
      ILL,
    ],
    ['eGabaMv', 'mV', 'illustrative', ILL],
    ['gabaPeriodMs', 'ms', ILL_TUNED + ' (≈4.8 Hz; Yang 2018 report theta-band synchronisation)', ILL],
    ['gabaTauMs', 'ms', 'illustrative alpha-function time constant', ILL],
    ['kInMm', 'mM', 'illustrative typical intracellular K⁺', ILL],
    [
      'kOutUnbufferedMm',
      'mM',
      ILL_TUNED +
        '; perisomatic [K⁺]o = unbuffered / (1 + k·Kir4.1 level) is our form of Cui 2018 (Kir4.1 level sets the hyperpolarisation)',
      ILL,
    ],
    ['kirBufferingPerLevel', 'per Kir4.1 level', ILL_TUNED, ILL],
    ['rtOverFMv', 'mV', 'RT/F at 37 °C (Nernst equation; physical constants)', 'V'],
  ] as const
).map(([id, unit, source, status]) => ({
  id,
  value: DEFAULT_LHB_PARAMETERS[id],
  unit,
  source,
  status,
}));

export interface LhbConditions {
  /** Astroglial Kir4.1 level relative to control (1 = control; depression models: higher). */
  kir41Level: number;
  /** Fraction of NMDA-receptor current blocked (0–1), e.g. the trapped ketamine block. */
  nmdaBlockFraction: number;
  /** Fraction of T-type Ca²⁺ current blocked (0–1). */
  tTypeBlockFraction: number;
}

export function extracellularKMm(kir41Level: number, p: LhbParameters = DEFAULT_LHB_PARAMETERS): number {
  return p.kOutUnbufferedMm / (1 + p.kirBufferingPerLevel * kir41Level);
}

/** Nernst potential for K⁺ (mV). */
export function potassiumReversalMv(kir41Level: number, p: LhbParameters = DEFAULT_LHB_PARAMETERS): number {
  return p.rtOverFMv * Math.log(extracellularKMm(kir41Level, p) / p.kInMm);
}

const sig = (x: number): number => 1 / (1 + Math.exp(-x));

function expRatio(x: number, scale: number): number {
  // x / (1 − exp(−x/scale)) with the removable singularity at x = 0 handled.
  const u = x / scale;
  if (Math.abs(u) < 1e-6) return scale * (1 + u / 2);
  return x / (1 - Math.exp(-u));
}

/** Wang & Buzsáki 1996 gating rates (1/ms). */
function alphaM(v: number): number {
  return 0.1 * expRatio(v + 35, 10);
}
function betaM(v: number): number {
  return 4 * Math.exp(-(v + 60) / 18);
}
function alphaH(v: number): number {
  return 0.07 * Math.exp(-(v + 58) / 20);
}
function betaH(v: number): number {
  return 1 / (Math.exp(-(v + 28) / 10) + 1);
}
function alphaN(v: number): number {
  return 0.01 * expRatio(v + 34, 10);
}
function betaN(v: number): number {
  return 0.125 * Math.exp(-(v + 44) / 80);
}

/** T-type steady states (Destexhe/Huguenard it2.mod form, pharmacology.md §5). */
export function tTypeActivationInf(v: number): number {
  return sig((v + 59.36) / 7.53);
}
export function tTypeInactivationInf(v: number): number {
  return sig(-(v + 85.5) / 7.18);
}
/** T-type inactivation time constant (ms): illustrative, slow recovery when hyperpolarised. */
export function tTypeInactivationTauMs(v: number): number {
  return 30 + 150 * sig(-(v + 75) / 5);
}

/** Jahr & Stevens 1990 Mg²⁺ unblock of the NMDA receptor. */
export function nmdaMgUnblock(v: number, mgMm: number): number {
  return 1 / (1 + (mgMm / 3.57) * Math.exp(-0.062 * v));
}

export interface LhbSimulationOptions {
  durationMs?: number;
  /** Discard spikes before this time (initial transient). */
  transientMs?: number;
  rtol?: number;
  parameters?: LhbParameters;
  /** Largest interspike interval inside a burst (ms). */
  burstMaxIsiMs?: number;
  /** A burst must follow at least this much silence (ms); separates bursts from fast tonic firing. */
  minSilenceBeforeBurstMs?: number;
}

export interface LhbActivity {
  spikeTimesMs: number[];
  bursts: { startMs: number; spikes: number }[];
  /** Fraction of spikes that belong to bursts (0–1; 0 if no spikes). */
  burstFraction: number;
  burstsPerS: number;
  spikesPerS: number;
  meanMembraneMv: number;
  minMembraneMv: number;
  odeSteps: number;
}

function checkFraction(name: string, v: number): void {
  if (!(v >= 0 && v <= 1)) throw new ClinicalInputError(name, `${name} must be in [0, 1]`);
}

/** Simulate the neuron for `durationMs` and report spikes, bursts and the burst fraction. */
export function simulateLhbNeuron(c: LhbConditions, o: LhbSimulationOptions = {}): LhbActivity {
  if (!(Number.isFinite(c.kir41Level) && c.kir41Level >= 0))
    throw new ClinicalInputError('kir41Level', 'kir41Level must be a finite number ≥ 0');
  checkFraction('nmdaBlockFraction', c.nmdaBlockFraction);
  checkFraction('tTypeBlockFraction', c.tTypeBlockFraction);
  const p = o.parameters ?? DEFAULT_LHB_PARAMETERS;
  const durationMs = o.durationMs ?? 3000;
  const transientMs = o.transientMs ?? 500;
  // Burst criterion (illustrative; Yang 2018 burst statistics not yet verified [U]):
  // ≥ 2 spikes with ISI ≤ 20 ms following ≥ 50 ms of silence.
  const maxIsi = o.burstMaxIsiMs ?? 20;
  if (!(durationMs > transientMs && transientMs >= 0))
    throw new ClinicalInputError('durationMs', 'durationMs must exceed transientMs ≥ 0');

  const eK = potassiumReversalMv(c.kir41Level, p);
  const gT = p.gTMsPerCm2 * (1 - c.tTypeBlockFraction);
  const gNmda = p.gNmdaMsPerCm2 * (1 - c.nmdaBlockFraction);

  const rhs = (t: number, y: Float64Array, dy: Float64Array): void => {
    const v = y[0]!;
    const h = y[1]!;
    const n = y[2]!;
    const hT = y[3]!;
    const am = alphaM(v);
    const mInf = am / (am + betaM(v));
    const iNa = p.gNaMsPerCm2 * mInf * mInf * mInf * h * (v - p.eNaMv);
    const n2 = n * n;
    const iK = p.gKMsPerCm2 * n2 * n2 * (v - eK);
    const mT = tTypeActivationInf(v);
    const iT = gT * mT * mT * hT * (v - p.eCaMv);
    const iNmda = gNmda * nmdaMgUnblock(v, p.mgMm) * v; // reversal 0 mV
    const iKLeak = p.gKLeakMsPerCm2 * (v - eK);
    const iLeak = p.gLeakMsPerCm2 * (v - p.eLeakMv);
    const since = (t % p.gabaPeriodMs) / p.gabaTauMs;
    const iGaba = p.gGabaMsPerCm2 * since * Math.exp(1 - since) * (v - p.eGabaMv);
    dy[0] = -(iNa + iK + iT + iNmda + iKLeak + iLeak + iGaba) / p.capacitanceUfPerCm2;
    dy[1] = p.phiGating * (alphaH(v) * (1 - h) - betaH(v) * h);
    dy[2] = p.phiGating * (alphaN(v) * (1 - n) - betaN(v) * n);
    dy[3] = (tTypeInactivationInf(v) - hT) / (p.tInactivationTauScale * tTypeInactivationTauMs(v));
  };

  const v0 = -70;
  const y0 = [
    v0,
    alphaH(v0) / (alphaH(v0) + betaH(v0)),
    alphaN(v0) / (alphaN(v0) + betaN(v0)),
    tTypeInactivationInf(v0),
  ];
  const spikes: number[] = [];
  let vSum = 0;
  let vMin = Infinity;
  let tAcc = 0;
  const threshold = -20; // spike = upward crossing of −20 mV
  const r = integrate(rhs, 0, y0, durationMs, {
    rtol: o.rtol ?? 1e-5,
    atol: 1e-7,
    hMax: 1, // ms; keeps steps shorter than the GABA pulses so none is stepped over
    onStep: (t, y, tPrev, yPrev) => {
      const v = y[0]!;
      const vp = yPrev[0]!;
      if (t > transientMs) {
        const dt = t - Math.max(tPrev, transientMs);
        vSum += 0.5 * (v + vp) * dt;
        tAcc += dt;
        if (v < vMin) vMin = v;
      }
      if (vp < threshold && v >= threshold) {
        const tc = tPrev + ((threshold - vp) / (v - vp)) * (t - tPrev);
        spikes.push(tc);
      }
    },
  });
  // Bursts are detected on all spikes (so the silence before the first counted burst is known)
  // and counted only after the transient.
  const bursts = detectBursts(spikes, maxIsi, o.minSilenceBeforeBurstMs ?? 50).filter(
    (b) => b.startMs > transientMs,
  );
  const counted = spikes.filter((t) => t > transientMs);
  const inBursts = bursts.reduce((s, b) => s + b.spikes, 0);
  const windowS = (durationMs - transientMs) / 1000;
  return {
    spikeTimesMs: counted,
    bursts,
    burstFraction: counted.length === 0 ? 0 : Math.min(1, inBursts / counted.length),
    burstsPerS: bursts.length / windowS,
    spikesPerS: counted.length / windowS,
    meanMembraneMv: tAcc > 0 ? vSum / tAcc : Number.NaN,
    minMembraneMv: vMin,
    odeSteps: r.acceptedSteps,
  };
}

/**
 * Burst detection: consecutive spikes with interspike interval ≤ maxIsiMs are grouped; a group of
 * ≥ 2 spikes that follows at least `minSilenceMs` without spikes (measured from time 0 for the
 * first spike) is a burst. Fast tonic firing (no silent gaps) therefore never counts as bursting.
 */
export function detectBursts(
  spikeTimesMs: readonly number[],
  maxIsiMs: number,
  minSilenceMs = 0,
): { startMs: number; spikes: number }[] {
  if (!(maxIsiMs > 0)) throw new ClinicalInputError('burstMaxIsiMs', 'must be > 0');
  if (!(minSilenceMs >= 0)) throw new ClinicalInputError('minSilenceBeforeBurstMs', 'must be ≥ 0');
  const bursts: { startMs: number; spikes: number }[] = [];
  let i = 0;
  while (i < spikeTimesMs.length) {
    let j = i;
    while (j + 1 < spikeTimesMs.length && spikeTimesMs[j + 1]! - spikeTimesMs[j]! <= maxIsiMs) j++;
    const silence = i === 0 ? spikeTimesMs[0]! : spikeTimesMs[i]! - spikeTimesMs[i - 1]!;
    if (j > i && silence >= minSilenceMs) bursts.push({ startMs: spikeTimesMs[i]!, spikes: j - i + 1 });
    i = j + 1;
  }
  return bursts;
}

/** Kir4.1 level of the control condition (relative units; by definition 1). */
export const CONTROL_KIR41_LEVEL = 1;
/**
 * Kir4.1 level standing for the depressive-like state: Kir4.1 is upregulated in LHb astrocytes in
 * depression models (Cui 2018 [V abstract]); the size of the rise (2×) is illustrative.
 */
export const DEPRESSED_KIR41_LEVEL = 2;

export interface LhbPopulationOptions extends LhbSimulationOptions {
  /** Number of cells (default 5). */
  cells?: number;
  /** Cells' Kir4.1 levels are spread evenly over level ± spread (default 0.4). */
  kir41Spread?: number;
}

export interface LhbPopulationActivity {
  kir41Levels: number[];
  cells: LhbActivity[];
  /** Mean bursts per second per cell. */
  burstsPerS: number;
  /** Spikes in bursts / all spikes, pooled over cells (0 if no spikes). */
  burstFraction: number;
  spikesPerS: number;
}

/**
 * A small heterogeneous population: identical cells whose astroglial Kir4.1 coverage differs
 * (an illustrative choice that turns the single cell's sharp on/off response into a graded one).
 */
export function simulateLhbPopulation(c: LhbConditions, o: LhbPopulationOptions = {}): LhbPopulationActivity {
  const n = o.cells ?? 5;
  const spread = o.kir41Spread ?? 0.4;
  if (!Number.isInteger(n) || n < 1 || n > 100)
    throw new ClinicalInputError('cells', 'cells must be an integer from 1 to 100');
  if (!(spread >= 0 && spread <= c.kir41Level))
    throw new ClinicalInputError('kir41Spread', 'kir41Spread must be in [0, kir41Level]');
  const levels = Array.from({ length: n }, (_, i) =>
    n === 1 ? c.kir41Level : c.kir41Level - spread + (2 * spread * i) / (n - 1),
  );
  const cells = levels.map((kir41Level) => simulateLhbNeuron({ ...c, kir41Level }, o));
  const spikes = cells.reduce((s, r) => s + r.spikeTimesMs.length, 0);
  const inBursts = cells.reduce((s, r) => s + r.bursts.reduce((t, b) => t + b.spikes, 0), 0);
  return {
    kir41Levels: levels,
    cells,
    burstsPerS: cells.reduce((s, r) => s + r.burstsPerS, 0) / n,
    burstFraction: spikes === 0 ? 0 : Math.min(1, inBursts / spikes),
    spikesPerS: cells.reduce((s, r) => s + r.spikesPerS, 0) / n,
  };
}

export interface BurstSuppressionCurve {
  kir41Level: number;
  nmdaBlockLevels: number[];
  burstsPerS: number[];
  burstFraction: number[];
  /** 1 − burst rate / burst rate without block. Can be negative if a level raises bursting. */
  burstSuppression: number[];
}

/**
 * Burst suppression as a function of NMDA-receptor block, computed with the population model.
 * Expensive (one population simulation per block level): use the cached table in ./burstTable
 * for patient time courses and call this only for non-default parameters.
 */
export function computeBurstSuppressionCurve(
  nmdaBlockLevels: readonly number[],
  o: LhbPopulationOptions & { kir41Level?: number } = {},
  onProgress?: (fraction: number) => void,
): BurstSuppressionCurve {
  const kir41Level = o.kir41Level ?? DEPRESSED_KIR41_LEVEL;
  if (nmdaBlockLevels.length < 2 || nmdaBlockLevels[0] !== 0)
    throw new ClinicalInputError('nmdaBlockLevels', 'need ≥ 2 levels starting at 0');
  for (let i = 1; i < nmdaBlockLevels.length; i++)
    if (!(nmdaBlockLevels[i]! > nmdaBlockLevels[i - 1]! && nmdaBlockLevels[i]! <= 1))
      throw new ClinicalInputError('nmdaBlockLevels', 'levels must increase within [0, 1]');
  const burstsPerS: number[] = [];
  const burstFraction: number[] = [];
  nmdaBlockLevels.forEach((b, i) => {
    const r = simulateLhbPopulation({ kir41Level, nmdaBlockFraction: b, tTypeBlockFraction: 0 }, o);
    burstsPerS.push(r.burstsPerS);
    burstFraction.push(r.burstFraction);
    onProgress?.((i + 1) / nmdaBlockLevels.length);
  });
  const base = burstsPerS[0]!;
  if (!(base > 0)) throw new ClinicalInputError('kir41Level', 'the unblocked population does not burst');
  return {
    kir41Level,
    nmdaBlockLevels: [...nmdaBlockLevels],
    burstsPerS,
    burstFraction,
    burstSuppression: burstsPerS.map((r) => 1 - r / base),
  };
}
