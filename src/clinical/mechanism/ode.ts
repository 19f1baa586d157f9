/**
 * Adaptive ODE integrators for the mechanism model (pure, deterministic, allocation-light).
 *
 * - `dopri5`: explicit embedded Runge–Kutta 5(4) of Dormand & Prince (1980, J Comput Appl Math
 *   6:19–26), local extrapolation (the 5th-order solution is propagated), FSAL, standard
 *   error-per-step control with a safety factor. Use for non-stiff problems (the neuron model).
 * - `rosenbrock23`: linearly implicit, L-stable Rosenbrock method of order 2 with a 3rd-order
 *   error estimate (Shampine & Reichelt 1997, SIAM J Sci Comput 18:1–22, the method of MATLAB's
 *   ode23s). The Jacobian is formed by finite differences each step; the linear systems are
 *   solved by LU with partial pivoting. Use for stiff problems.
 *
 * These are numerical methods, not clinical facts; their coefficients come from the cited papers.
 */
import { ClinicalInputError } from '../errors';

/** Right-hand side: write dy/dt at (t, y) into `dydt`. Must not keep references to y or dydt. */
export type OdeRhs = (t: number, y: Float64Array, dydt: Float64Array) => void;

export type OdeMethod = 'dopri5' | 'rosenbrock23';

export interface OdeOptions {
  method?: OdeMethod;
  /** Relative tolerance per component (default 1e-6). */
  rtol?: number;
  /** Absolute tolerance per component (default 1e-9). */
  atol?: number;
  /** First trial step; chosen automatically when omitted. */
  hInitial?: number;
  /** Largest step allowed (default: the whole interval). */
  hMax?: number;
  /** Give up after this many attempted steps (default 1e6). */
  maxSteps?: number;
  /**
   * Called after every accepted step with the new time and state (and the previous time and
   * state, so a caller can locate threshold crossings). The arrays are reused: copy what you keep.
   */
  onStep?: (t: number, y: Float64Array, tPrev: number, yPrev: Float64Array) => void;
}

export interface OdeStats {
  acceptedSteps: number;
  rejectedSteps: number;
  rhsEvaluations: number;
  jacobianEvaluations: number;
}

export interface OdeResult extends OdeStats {
  t: number;
  y: Float64Array;
  /** Step size the controller proposes next (pass as hInitial when continuing). */
  hNext: number;
}

function checkOptions(t0: number, y0: ArrayLike<number>, tEnd: number, o: OdeOptions): void {
  if (!Number.isFinite(t0)) throw new ClinicalInputError('t0', 't0 must be a finite number');
  if (!Number.isFinite(tEnd) || tEnd < t0)
    throw new ClinicalInputError('tEnd', 'tEnd must be a finite number not before t0');
  if (y0.length === 0) throw new ClinicalInputError('y0', 'y0 must have at least one component');
  for (let i = 0; i < y0.length; i++) {
    if (!Number.isFinite(y0[i])) throw new ClinicalInputError('y0', `y0[${i}] is not finite`);
  }
  for (const key of ['rtol', 'atol', 'hInitial', 'hMax', 'maxSteps'] as const) {
    const v = o[key];
    if (v !== undefined && !(Number.isFinite(v) && v > 0))
      throw new ClinicalInputError(key, `${key} must be a positive finite number`);
  }
}

/** Weighted RMS norm of err relative to atol + rtol·max(|a|,|b|) (Hairer, Nørsett & Wanner). */
function errorNorm(err: Float64Array, a: Float64Array, b: Float64Array, rtol: number, atol: number): number {
  let s = 0;
  for (let i = 0; i < err.length; i++) {
    const sc = atol + rtol * Math.max(Math.abs(a[i]!), Math.abs(b[i]!));
    const r = err[i]! / sc;
    s += r * r;
  }
  return Math.sqrt(s / err.length);
}

/** Initial step heuristic (Hairer, Nørsett & Wanner, Solving ODEs I, §II.4). */
function initialStep(
  f: OdeRhs,
  t0: number,
  y0: Float64Array,
  f0: Float64Array,
  order: number,
  rtol: number,
  atol: number,
  hMax: number,
): number {
  const n = y0.length;
  let d0 = 0;
  let d1 = 0;
  for (let i = 0; i < n; i++) {
    const sc = atol + rtol * Math.abs(y0[i]!);
    d0 += (y0[i]! / sc) ** 2;
    d1 += (f0[i]! / sc) ** 2;
  }
  d0 = Math.sqrt(d0 / n);
  d1 = Math.sqrt(d1 / n);
  let h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : (0.01 * d0) / d1;
  h0 = Math.min(h0, hMax);
  const y1 = new Float64Array(n);
  for (let i = 0; i < n; i++) y1[i] = y0[i]! + h0 * f0[i]!;
  const f1 = new Float64Array(n);
  f(t0 + h0, y1, f1);
  let d2 = 0;
  for (let i = 0; i < n; i++) {
    const sc = atol + rtol * Math.abs(y0[i]!);
    d2 += ((f1[i]! - f0[i]!) / sc) ** 2;
  }
  d2 = Math.sqrt(d2 / n) / h0;
  const dm = Math.max(d1, d2);
  const h1 = dm <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : (0.01 / dm) ** (1 / (order + 1));
  return Math.min(100 * h0, h1, hMax);
}

// Dormand–Prince 5(4) tableau.
const C2 = 1 / 5,
  C3 = 3 / 10,
  C4 = 4 / 5,
  C5 = 8 / 9;
const A21 = 1 / 5;
const A31 = 3 / 40,
  A32 = 9 / 40;
const A41 = 44 / 45,
  A42 = -56 / 15,
  A43 = 32 / 9;
const A51 = 19372 / 6561,
  A52 = -25360 / 2187,
  A53 = 64448 / 6561,
  A54 = -212 / 729;
const A61 = 9017 / 3168,
  A62 = -355 / 33,
  A63 = 46732 / 5247,
  A64 = 49 / 176,
  A65 = -5103 / 18656;
const A71 = 35 / 384,
  A73 = 500 / 1113,
  A74 = 125 / 192,
  A75 = -2187 / 6784,
  A76 = 11 / 84;
// Error coefficients: 5th-order weights minus 4th-order weights.
const E1 = 71 / 57600,
  E3 = -71 / 16695,
  E4 = 71 / 1920,
  E5 = -17253 / 339200,
  E6 = 22 / 525,
  E7 = -1 / 40;

/**
 * Integrate y' = f(t, y) from t0 to tEnd (tEnd ≥ t0). Returns the state at tEnd and step counts.
 * Throws an Error if the step size underflows or maxSteps is exceeded.
 */
export function integrate(
  f: OdeRhs,
  t0: number,
  y0: ArrayLike<number>,
  tEnd: number,
  options: OdeOptions = {},
): OdeResult {
  checkOptions(t0, y0, tEnd, options);
  const method = options.method ?? 'dopri5';
  if (method === 'dopri5') return dopri5(f, t0, Float64Array.from(y0), tEnd, options);
  if (method === 'rosenbrock23') return rosenbrock23(f, t0, Float64Array.from(y0), tEnd, options);
  throw new ClinicalInputError('method', `unknown ODE method ${String(method)}`);
}

function dopri5(f: OdeRhs, t0: number, y: Float64Array, tEnd: number, o: OdeOptions): OdeResult {
  const n = y.length;
  const rtol = o.rtol ?? 1e-6;
  const atol = o.atol ?? 1e-9;
  const span = tEnd - t0;
  const hMax = Math.min(o.hMax ?? span, span > 0 ? span : Infinity);
  const maxSteps = o.maxSteps ?? 1e6;
  const stats: OdeStats = {
    acceptedSteps: 0,
    rejectedSteps: 0,
    rhsEvaluations: 0,
    jacobianEvaluations: 0,
  };
  if (span === 0) return { t: t0, y, hNext: o.hInitial ?? 0, ...stats };

  const k1 = new Float64Array(n),
    k2 = new Float64Array(n),
    k3 = new Float64Array(n),
    k4 = new Float64Array(n),
    k5 = new Float64Array(n),
    k6 = new Float64Array(n),
    k7 = new Float64Array(n),
    yt = new Float64Array(n),
    yNew = new Float64Array(n),
    err = new Float64Array(n),
    yPrev = new Float64Array(n);

  f(t0, y, k1);
  stats.rhsEvaluations++;
  let h = o.hInitial ?? initialStep(f, t0, y, k1, 5, rtol, atol, hMax);
  if (o.hInitial === undefined) stats.rhsEvaluations++;
  let t = t0;
  let attempts = 0;
  let lastRejected = false;

  while (t < tEnd) {
    if (++attempts > maxSteps) throw new Error(`dopri5: more than ${maxSteps} steps`);
    const last = t + h >= tEnd - 1e-12 * Math.max(1, Math.abs(tEnd));
    const hUntruncated = h;
    if (last) h = tEnd - t;
    if (h < 1e-14 * Math.max(1, Math.abs(t))) throw new Error(`dopri5: step size underflow at t=${t}`);

    for (let i = 0; i < n; i++) yt[i] = y[i]! + h * A21 * k1[i]!;
    f(t + C2 * h, yt, k2);
    for (let i = 0; i < n; i++) yt[i] = y[i]! + h * (A31 * k1[i]! + A32 * k2[i]!);
    f(t + C3 * h, yt, k3);
    for (let i = 0; i < n; i++) yt[i] = y[i]! + h * (A41 * k1[i]! + A42 * k2[i]! + A43 * k3[i]!);
    f(t + C4 * h, yt, k4);
    for (let i = 0; i < n; i++)
      yt[i] = y[i]! + h * (A51 * k1[i]! + A52 * k2[i]! + A53 * k3[i]! + A54 * k4[i]!);
    f(t + C5 * h, yt, k5);
    for (let i = 0; i < n; i++)
      yt[i] = y[i]! + h * (A61 * k1[i]! + A62 * k2[i]! + A63 * k3[i]! + A64 * k4[i]! + A65 * k5[i]!);
    const tNew = last ? tEnd : t + h;
    f(tNew, yt, k6);
    for (let i = 0; i < n; i++)
      yNew[i] = y[i]! + h * (A71 * k1[i]! + A73 * k3[i]! + A74 * k4[i]! + A75 * k5[i]! + A76 * k6[i]!);
    f(tNew, yNew, k7);
    stats.rhsEvaluations += 6;
    for (let i = 0; i < n; i++)
      err[i] = h * (E1 * k1[i]! + E3 * k3[i]! + E4 * k4[i]! + E5 * k5[i]! + E6 * k6[i]! + E7 * k7[i]!);
    const en = errorNorm(err, y, yNew, rtol, atol);

    if (en <= 1 && Number.isFinite(en)) {
      stats.acceptedSteps++;
      yPrev.set(y);
      const tPrev = t;
      y.set(yNew);
      k1.set(k7); // FSAL
      t = tNew;
      o.onStep?.(t, y, tPrev, yPrev);
      let fac = en === 0 ? 5 : Math.min(5, Math.max(0.2, 0.9 * en ** -0.2));
      if (lastRejected) fac = Math.min(fac, 1);
      lastRejected = false;
      h = Math.min(h * fac, hMax);
      if (last) h = Math.max(h, hUntruncated);
    } else {
      stats.rejectedSteps++;
      lastRejected = true;
      const fac = Number.isFinite(en) ? Math.max(0.2, 0.9 * en ** -0.2) : 0.2;
      h *= fac;
    }
  }
  return { t, y, hNext: h, ...stats };
}

/** In-place LU decomposition with partial pivoting of an n×n row-major matrix. */
function luDecompose(a: Float64Array, n: number, piv: Int32Array): void {
  for (let k = 0; k < n; k++) {
    let p = k;
    let max = Math.abs(a[k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(a[i * n + k]!);
      if (v > max) {
        max = v;
        p = i;
      }
    }
    piv[k] = p;
    if (max === 0) throw new Error('rosenbrock23: singular iteration matrix');
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const tmp = a[k * n + j]!;
        a[k * n + j] = a[p * n + j]!;
        a[p * n + j] = tmp;
      }
    }
    const akk = a[k * n + k]!;
    for (let i = k + 1; i < n; i++) {
      const l = a[i * n + k]! / akk;
      a[i * n + k] = l;
      if (l !== 0) for (let j = k + 1; j < n; j++) a[i * n + j] = a[i * n + j]! - l * a[k * n + j]!;
    }
  }
}

/** Solve LU x = b in place (b becomes x). */
function luSolve(lu: Float64Array, n: number, piv: Int32Array, b: Float64Array): void {
  for (let k = 0; k < n; k++) {
    const p = piv[k]!;
    if (p !== k) {
      const tmp = b[k]!;
      b[k] = b[p]!;
      b[p] = tmp;
    }
  }
  for (let i = 1; i < n; i++) {
    let s = b[i]!;
    for (let j = 0; j < i; j++) s -= lu[i * n + j]! * b[j]!;
    b[i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let j = i + 1; j < n; j++) s -= lu[i * n + j]! * b[j]!;
    b[i] = s / lu[i * n + i]!;
  }
}

function rosenbrock23(f: OdeRhs, t0: number, y: Float64Array, tEnd: number, o: OdeOptions): OdeResult {
  const n = y.length;
  const rtol = o.rtol ?? 1e-6;
  const atol = o.atol ?? 1e-9;
  const span = tEnd - t0;
  const hMax = Math.min(o.hMax ?? span, span > 0 ? span : Infinity);
  const maxSteps = o.maxSteps ?? 1e6;
  const stats: OdeStats = {
    acceptedSteps: 0,
    rejectedSteps: 0,
    rhsEvaluations: 0,
    jacobianEvaluations: 0,
  };
  if (span === 0) return { t: t0, y, hNext: o.hInitial ?? 0, ...stats };

  // Shampine & Reichelt 1997: d = 1/(2+√2), e32 = 6+√2.
  const d = 1 / (2 + Math.SQRT2);
  const e32 = 6 + Math.SQRT2;
  const f0 = new Float64Array(n),
    f1 = new Float64Array(n),
    f2 = new Float64Array(n),
    k1 = new Float64Array(n),
    k2 = new Float64Array(n),
    k3 = new Float64Array(n),
    yt = new Float64Array(n),
    yNew = new Float64Array(n),
    err = new Float64Array(n),
    yPrev = new Float64Array(n),
    dfdt = new Float64Array(n),
    fPert = new Float64Array(n),
    jac = new Float64Array(n * n),
    w = new Float64Array(n * n);
  const piv = new Int32Array(n);

  f(t0, y, f0);
  stats.rhsEvaluations++;
  let h = o.hInitial ?? initialStep(f, t0, y, f0, 2, rtol, atol, hMax);
  if (o.hInitial === undefined) stats.rhsEvaluations++;
  let t = t0;
  let attempts = 0;
  let jacobianCurrent = false;

  const formJacobian = (): void => {
    // Forward differences, column by column; plus ∂f/∂t for non-autonomous systems.
    for (let j = 0; j < n; j++) {
      const yj = y[j]!;
      const delta = Math.sqrt(Number.EPSILON) * Math.max(Math.abs(yj), atol / rtol, 1e-8);
      y[j] = yj + delta;
      f(t, y, fPert);
      y[j] = yj;
      for (let i = 0; i < n; i++) jac[i * n + j] = (fPert[i]! - f0[i]!) / delta;
    }
    const dt = Math.sqrt(Number.EPSILON) * Math.max(Math.abs(t), 1);
    f(t + dt, y, fPert);
    for (let i = 0; i < n; i++) dfdt[i] = (fPert[i]! - f0[i]!) / dt;
    stats.rhsEvaluations += n + 1;
    stats.jacobianEvaluations++;
    jacobianCurrent = true;
  };

  while (t < tEnd) {
    if (++attempts > maxSteps) throw new Error(`rosenbrock23: more than ${maxSteps} steps`);
    const last = t + h >= tEnd - 1e-12 * Math.max(1, Math.abs(tEnd));
    const hUntruncated = h;
    if (last) h = tEnd - t;
    if (h < 1e-14 * Math.max(1, Math.abs(t))) throw new Error(`rosenbrock23: step size underflow at t=${t}`);
    if (!jacobianCurrent) formJacobian();

    // W = I − h·d·J
    for (let i = 0; i < n * n; i++) w[i] = -h * d * jac[i]!;
    for (let i = 0; i < n; i++) w[i * n + i] = w[i * n + i]! + 1;
    luDecompose(w, n, piv);

    for (let i = 0; i < n; i++) k1[i] = f0[i]! + h * d * dfdt[i]!;
    luSolve(w, n, piv, k1);
    for (let i = 0; i < n; i++) yt[i] = y[i]! + 0.5 * h * k1[i]!;
    f(t + 0.5 * h, yt, f1);
    for (let i = 0; i < n; i++) k2[i] = f1[i]! - k1[i]!;
    luSolve(w, n, piv, k2);
    for (let i = 0; i < n; i++) k2[i] = k2[i]! + k1[i]!;
    const tNew = last ? tEnd : t + h;
    for (let i = 0; i < n; i++) yNew[i] = y[i]! + h * k2[i]!;
    f(tNew, yNew, f2);
    for (let i = 0; i < n; i++)
      k3[i] = f2[i]! - e32 * (k2[i]! - f1[i]!) - 2 * (k1[i]! - f0[i]!) + h * d * dfdt[i]!;
    luSolve(w, n, piv, k3);
    stats.rhsEvaluations += 2;
    for (let i = 0; i < n; i++) err[i] = (h / 6) * (k1[i]! - 2 * k2[i]! + k3[i]!);
    const en = errorNorm(err, y, yNew, rtol, atol);

    if (en <= 1 && Number.isFinite(en)) {
      stats.acceptedSteps++;
      yPrev.set(y);
      const tPrev = t;
      y.set(yNew);
      f0.set(f2);
      t = tNew;
      jacobianCurrent = false;
      o.onStep?.(t, y, tPrev, yPrev);
      const fac = en === 0 ? 5 : Math.min(5, Math.max(0.2, 0.8 * en ** (-1 / 3)));
      h = Math.min(h * fac, hMax);
      if (last) h = Math.max(h, hUntruncated);
    } else {
      stats.rejectedSteps++;
      const fac = Number.isFinite(en) ? Math.max(0.2, 0.8 * en ** (-1 / 3)) : 0.2;
      h *= fac;
    }
  }
  return { t, y, hNext: h, ...stats };
}

/**
 * Integrate through a list of increasing output times and return the state at each of them
 * (`times[0]` is the initial time, where the state is y0). Steps never cross an output time, so
 * kinks in piecewise inputs that sit on output times are handled exactly.
 */
export function integrateAt(
  f: OdeRhs,
  y0: ArrayLike<number>,
  times: readonly number[],
  options: OdeOptions = {},
): { states: Float64Array[] } & OdeStats {
  if (times.length === 0) throw new ClinicalInputError('times', 'at least one output time needed');
  const states: Float64Array[] = [Float64Array.from(y0)];
  const total: OdeStats = {
    acceptedSteps: 0,
    rejectedSteps: 0,
    rhsEvaluations: 0,
    jacobianEvaluations: 0,
  };
  let y: ArrayLike<number> = y0;
  for (let i = 1; i < times.length; i++) {
    const a = times[i - 1]!;
    const b = times[i]!;
    if (!(b > a)) throw new ClinicalInputError('times', `times must increase (index ${i})`);
    const r = integrate(f, a, y, b, options);
    total.acceptedSteps += r.acceptedSteps;
    total.rejectedSteps += r.rejectedSteps;
    total.rhsEvaluations += r.rhsEvaluations;
    total.jacobianEvaluations += r.jacobianEvaluations;
    states.push(Float64Array.from(r.y));
    y = r.y;
  }
  return { states, ...total };
}
