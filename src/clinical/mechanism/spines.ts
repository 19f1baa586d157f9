/**
 * Phenomenological spine-formation and durability component (ALL PARAMETERS ILLUSTRATIVE).
 *
 * Published shape it reproduces (pharmacology.md §6): after a single antidepressant dose the
 * prefrontal spine-formation rate is not altered at 3–6 h and is markedly altered at 12–24 h
 * (Moda-Sava et al. 2019, Science 364:eaat8078, timing via a secondary summary [S]); the new
 * spines sustain the effect for days (spine density raised for up to 2 weeks, PMC4819286 [V]),
 * then the effect decays. The behavioural effect starts before and independently of spine
 * formation (Moda-Sava 2019 abstract [V]); spines serve the maintenance.
 *
 * Structure (our choice, not from a paper):
 *   trigger u(t) = NMDA-receptor block fraction (0–1)
 *   delay: a chain of n first-order stages with rate k = n / meanDelay (gamma-distributed delay)
 *     dz_1/dt = k (u − z_1),  dz_i/dt = k (z_{i−1} − z_i)
 *   formation drive F(t) = z_n(t)             (same units as the block; "formation index")
 *   spine component S (0–1): dS/dt = kForm · F · (1 − S) − S / τ_persist
 */
import { ClinicalInputError } from '../errors';
import { integrate } from './ode';
import { overrideParameter, requirePositive, type SourcedParameter } from './parameters';

export interface SpineParameters {
  meanDelayH: SourcedParameter;
  delayStages: SourcedParameter;
  formationGainPerH: SourcedParameter;
  persistenceTimeConstantH: SourcedParameter;
}

export type SpineParameterOverrides = Partial<Record<keyof SpineParameters, number>>;

const MODA_SAVA =
  'illustrative; shape from Moda-Sava et al. 2019 Science 364:eaat8078 (formation unchanged 3–6 h, raised 12–24 h) [S timing]';

export function spineParameters(overrides: SpineParameterOverrides = {}): SpineParameters {
  const defaults: SpineParameters = {
    // Gamma delay with mean 14 h and 12 stages: < 1% of the response has arrived by 6 h, most of
    // it between 10 and 20 h — matching "unchanged at 3–6 h, markedly altered at 12–24 h".
    meanDelayH: {
      id: 'meanDelayH',
      value: 14,
      unit: 'h',
      source: MODA_SAVA,
      status: 'illustrative',
    },
    delayStages: {
      id: 'delayStages',
      value: 12,
      unit: 'stages (integer)',
      source: MODA_SAVA,
      status: 'illustrative',
    },
    formationGainPerH: {
      id: 'formationGainPerH',
      value: 0.15,
      unit: 'per h per unit formation index',
      source: 'illustrative; sets the size of the spine component (no published scale)',
      status: 'illustrative',
    },
    // Spine density stayed raised up to 2 weeks after one dose (PMC4819286, eNeuro 2016 [V]);
    // a 5-day time constant leaves ~9% at 2 weeks.
    persistenceTimeConstantH: {
      id: 'persistenceTimeConstantH',
      value: 120,
      unit: 'h',
      source:
        'illustrative; chosen so the component lasts days and is mostly gone by 2 weeks (PMC4819286: density raised up to 2 weeks)',
      status: 'illustrative',
    },
  };
  const out = { ...defaults };
  for (const key of Object.keys(overrides) as (keyof SpineParameters)[]) {
    if (!(key in defaults)) throw new ClinicalInputError(key, `unknown spine parameter ${key}`);
    out[key] = overrideParameter(defaults[key], overrides[key]);
  }
  for (const q of Object.values(out)) requirePositive(q);
  const n = out.delayStages.value;
  if (!Number.isInteger(n) || n > 50)
    throw new ClinicalInputError('delayStages', 'delayStages must be an integer from 1 to 50');
  return out;
}

export interface SpineTimeCourse {
  timesMin: number[];
  /** Delayed formation drive (0–1, illustrative). */
  formationIndex: number[];
  /** Spine component (0–1, illustrative). */
  spineComponent: number[];
}

/**
 * Spine component on the given time axis, driven by a block fraction time series (0–1) that is
 * linearly interpolated between samples. Starts from zero (no prior dose) unless `initialState`
 * (as returned in a previous run's last values) is given.
 */
export function simulateSpines(
  timesMin: readonly number[],
  blockFraction: readonly number[],
  p: SpineParameters,
): SpineTimeCourse {
  if (timesMin.length < 2) throw new ClinicalInputError('timesMin', 'at least two time points');
  if (blockFraction.length !== timesMin.length)
    throw new ClinicalInputError('blockFraction', 'one value per time point needed');
  for (let i = 0; i < timesMin.length; i++) {
    if (!Number.isFinite(timesMin[i]) || (i > 0 && !(timesMin[i]! > timesMin[i - 1]!)))
      throw new ClinicalInputError(`timesMin[${i}]`, 'times must be finite and strictly increase');
    const b = blockFraction[i]!;
    if (!(b >= -1e-9 && b <= 1 + 1e-9))
      throw new ClinicalInputError(`blockFraction[${i}]`, 'block fraction must be in [0, 1]');
  }
  const n = p.delayStages.value;
  const k = n / (p.meanDelayH.value * 60); // per min
  const gain = p.formationGainPerH.value / 60;
  const decay = 1 / (p.persistenceTimeConstantH.value * 60);
  let ta = 0,
    tb = 1,
    ua = 0,
    ub = 0;
  const rhs = (t: number, y: Float64Array, dy: Float64Array): void => {
    const u = ua + ((t - ta) / (tb - ta)) * (ub - ua);
    dy[0] = k * (u - y[0]!);
    for (let i = 1; i < n; i++) dy[i] = k * (y[i - 1]! - y[i]!);
    const s = y[n]!;
    dy[n] = gain * y[n - 1]! * (1 - s) - decay * s;
  };
  const formation = new Array<number>(timesMin.length);
  const spine = new Array<number>(timesMin.length);
  formation[0] = 0;
  spine[0] = 0;
  let y: ArrayLike<number> = new Float64Array(n + 1);
  let hNext = 0;
  for (let i = 1; i < timesMin.length; i++) {
    ta = timesMin[i - 1]!;
    tb = timesMin[i]!;
    ua = blockFraction[i - 1]!;
    ub = blockFraction[i]!;
    const r = integrate(rhs, ta, y, tb, {
      rtol: 1e-6,
      atol: 1e-10,
      ...(hNext > 0 ? { hInitial: Math.min(hNext, tb - ta) } : {}),
    });
    hNext = r.hNext;
    formation[i] = r.y[n - 1]!;
    spine[i] = r.y[n]!;
    y = r.y;
  }
  return { timesMin: [...timesMin], formationIndex: formation, spineComponent: spine };
}
