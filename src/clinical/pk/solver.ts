/**
 * Exact solution of linear compartment models dx/dt = A·x + u(t), with u piecewise constant
 * (zero-order infusions) and instantaneous boluses. Between two events the solution is
 *   x(t+h) = e^{A h}·x(t) + (∫₀ʰ e^{A s} ds)·u,
 * evaluated in closed form — never by a numerical ODE integrator.
 *
 * Two exact propagators:
 * - `eigen`: A = V·Λ·V⁻¹ (all real eigenvalues: every block of a mammillary model is symmetrisable
 *   because exchange flows are equal in both directions). State is kept in modal coordinates, so a
 *   step costs O(n) whatever its length: z ← e^{λh}·z + (e^{λh}−1)/λ · w.
 * - `expm`: when eigenvalues are (nearly) repeated — e.g. an absorption rate equal to an
 *   elimination rate — the eigenvector basis is ill-conditioned, so the step uses the matrix
 *   exponential of the augmented matrix [[A·h, I·h],[0,0]] (Padé 13 with scaling and squaring),
 *   whose upper blocks are exactly e^{Ah} and ∫₀ʰ e^{As} ds. Cached per step length.
 */
import {
  expm,
  identity,
  inverse,
  luFactor,
  luSolveVec,
  matMul,
  type Matrix,
  norm1,
  solve,
  symmetricEigen,
  symmetricEigenvalues,
  zeros,
} from './linalg';

export interface LinearSystem {
  /** Compartment names, for messages and tests. */
  names: string[];
  /** A[i][j]: rate (per min) at which state j feeds state i; diagonal = minus total outflow. */
  matrix: Matrix;
}

export type InputEvent =
  | { kind: 'bolus'; compartment: number; timeMin: number; amountMg: number }
  | { kind: 'zero-order'; compartment: number; startMin: number; durationMin: number; rateMgPerMin: number };

export type PropagatorMethod = 'eigen' | 'expm';

export interface Propagator {
  readonly method: PropagatorMethod;
  readonly n: number;
  /** Converts a state-space vector (bolus amounts, input rates) into propagator coordinates. */
  toInternal(x: ArrayLike<number>): Float64Array;
  /** Converts an internal vector back to compartment amounts. */
  toState(z: ArrayLike<number>): number[];
  /** Converts a row c (output = c·x) into internal coordinates. */
  outputRow(c: ArrayLike<number>): Float64Array;
  /** Advances z in place by h minutes under constant internal input w. */
  advance(z: Float64Array, h: number, w: Float64Array): void;
  /**
   * Uniform grid: advances z by h, `count` times, under constant w, writing rows[k]·z after each
   * step to outs[k][start + j]. One step matrix for the whole run, so no exponential per point.
   * Returns the largest |times[i] − (t0 + i·h)| over the points written (NaN if a time is NaN): the
   * grid is checked in the pass that fills it, so each time is read once.
   */
  fillUniform(
    z: Float64Array,
    h: number,
    w: Float64Array,
    count: number,
    rows: readonly Float64Array[],
    outs: readonly Float64Array[],
    start: number,
    times: readonly number[],
    t0: number,
  ): number;
}

/** Relative eigenvalue separation under which the eigen basis is not trusted. */
const MIN_RELATIVE_GAP = 1e-3;
const MAX_CONDITION = 1e8;

function checkSystem(system: LinearSystem): void {
  const n = system.names.length;
  if (
    system.matrix.length !== n ||
    system.matrix.some((r) => r.length !== n || r.some((v) => !Number.isFinite(v)))
  ) {
    throw new Error('linear system matrix must be square, finite and match the compartment names');
  }
}

/** Strongly connected components of the directed graph with an edge j→i where A[i][j] ≠ 0. */
function components(a: Matrix): number[][] {
  const n = a.length;
  const reach = a.map((row, i) => row.map((v, j) => i === j || v !== 0)); // reach[i][j]: j reaches i
  for (let k = 0; k < n; k++)
    for (let i = 0; i < n; i++)
      if (reach[i]![k]) for (let j = 0; j < n; j++) if (reach[k]![j]) reach[i]![j] = true;
  const seen = new Array<boolean>(n).fill(false);
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    if (seen[i]) continue;
    const comp: number[] = [];
    for (let j = 0; j < n; j++)
      if (reach[i]![j] && reach[j]![i]) {
        comp.push(j);
        seen[j] = true;
      }
    out.push(comp);
  }
  return out;
}

interface Spectrum {
  values: number[];
  /**
   * When A is one block (every compartment reaches every other, as in a mammillary model): the
   * eigenvectors come with the eigenvalues. S = D·A·D⁻¹ = Q·Λ·Qᵀ with Q orthogonal, so V = D⁻¹·Q and
   * V⁻¹ = Qᵀ·D, with no inverse iteration and no matrix inverse. Columns scaled to unit length.
   */
  basis: { v: Matrix; vInv: Matrix } | null;
}

/** Eigenvalues of A from its diagonal blocks, each symmetrised (detailed balance); null if not possible. */
function realSpectrum(a: Matrix): Spectrum | null {
  const values: number[] = [];
  const comps = components(a);
  let basis: Spectrum['basis'] = null;
  for (const comp of comps) {
    if (comp.length === 1) {
      values.push(a[comp[0]!]![comp[0]!]!);
      if (comps.length === 1) basis = { v: [[1]], vInv: [[1]] };
      continue;
    }
    // d_j² = d_i² · A[i][j] / A[j][i] along a spanning tree; then S = D·A·D⁻¹ must be symmetric.
    const d = new Map<number, number>([[comp[0]!, 1]]);
    const queue = [comp[0]!];
    while (queue.length > 0) {
      const i = queue.shift()!;
      for (const j of comp) {
        if (d.has(j) || a[i]![j] === 0) continue;
        if (a[j]![i] === 0 || a[i]![j]! / a[j]![i]! <= 0) return null;
        d.set(j, d.get(i)! * Math.sqrt(a[i]![j]! / a[j]![i]!));
        queue.push(j);
      }
    }
    const s = comp.map((i) => comp.map((j) => (d.get(i)! * a[i]![j]!) / d.get(j)!));
    for (let p = 0; p < comp.length; p++)
      for (let q = p + 1; q < comp.length; q++) {
        const x = s[p]![q]!;
        const y = s[q]![p]!;
        if (Math.abs(x - y) > 1e-12 * Math.max(Math.abs(x), Math.abs(y))) return null;
      }
    if (comps.length > 1) {
      values.push(...symmetricEigenvalues(s));
      continue;
    }
    // One block: comp lists every compartment in order, so block indices are compartment indices.
    const eig = symmetricEigen(s);
    values.push(...eig.values);
    const n = comp.length;
    const v = zeros(n);
    const vInv = zeros(n);
    for (let j = 0; j < n; j++) {
      let norm = 0;
      for (let i = 0; i < n; i++) norm += (eig.vectors[i]![j]! / d.get(i)!) ** 2;
      norm = Math.sqrt(norm);
      for (let i = 0; i < n; i++) {
        v[i]![j] = eig.vectors[i]![j]! / d.get(i)! / norm;
        vInv[j]![i] = eig.vectors[i]![j]! * d.get(i)! * norm;
      }
    }
    basis = { v, vInv };
  }
  return { values, basis };
}

class EigenPropagator implements Propagator {
  readonly method = 'eigen' as const;
  readonly n: number;
  private lastH = Number.NaN;
  private anchorH = Number.NaN;
  private readonly eA: Float64Array;
  private readonly gA: Float64Array;
  private readonly e: Float64Array;
  private readonly g: Float64Array;
  private readonly maxAbsLambda: number;
  private readonly lambda: Float64Array;
  private readonly runE: Float64Array;
  private readonly runC: Float64Array;
  constructor(
    lambda: number[],
    private readonly v: Matrix,
    private readonly vInv: Matrix,
  ) {
    this.lambda = Float64Array.from(lambda);
    this.n = lambda.length;
    this.maxAbsLambda = Math.max(...lambda.map(Math.abs));
    this.eA = new Float64Array(this.n);
    this.gA = new Float64Array(this.n);
    this.e = new Float64Array(this.n);
    this.g = new Float64Array(this.n);
    this.runE = new Float64Array(this.n);
    this.runC = new Float64Array(this.n);
  }
  toInternal(x: ArrayLike<number>): Float64Array {
    const out = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) {
      let s = 0;
      const r = this.vInv[i]!;
      for (let j = 0; j < this.n; j++) s += r[j]! * x[j]!;
      out[i] = s;
    }
    return out;
  }
  toState(z: ArrayLike<number>): number[] {
    return this.v.map((row) => row.reduce((s, vij, j) => s + vij * z[j]!, 0));
  }
  outputRow(c: ArrayLike<number>): Float64Array {
    const out = new Float64Array(this.n);
    for (let j = 0; j < this.n; j++) {
      let s = 0;
      for (let i = 0; i < this.n; i++) s += c[i]! * this.v[i]![j]!;
      out[j] = s;
    }
    return out;
  }
  advance(z: Float64Array, h: number, w: Float64Array): void {
    if (h === 0) return;
    const e = this.e;
    const g = this.g;
    const n = this.n;
    if (h !== this.lastH) {
      this.lastH = h;
      const lambda = this.lambda;
      const d = h - this.anchorH;
      if (Math.abs(d) * this.maxAbsLambda <= 1e-9) {
        // Grids such as k·T/N give steps that differ from one another in the last bits. Expand
        // around the last exactly computed step h₀ (the anchor, so nothing accumulates):
        // e^{λ(h₀+δ)} = e^{λh₀}(1 + λδ + (λδ)²/2 + …) with |λδ| ≤ 1e-9 — the neglected terms are
        // below 1e-27 relative; g(h₀+δ) = g(h₀) + e^{λh₀}·δ·(1 + λδ/2 + …).
        const eA = this.eA;
        const gA = this.gA;
        for (let i = 0; i < n; i++) {
          const ld = lambda[i]! * d;
          const ei = eA[i]! * (1 + ld + 0.5 * ld * ld);
          const gi = gA[i]! + eA[i]! * d * (1 + 0.5 * ld);
          e[i] = ei;
          g[i] = gi;
          z[i] = ei * z[i]! + gi * w[i]!;
        }
        return;
      }
      for (let i = 0; i < n; i++) {
        const l = lambda[i]!;
        e[i] = Math.exp(l * h);
        // (e^{λh} − 1)/λ without cancellation; tends to h as λ → 0.
        g[i] = l === 0 ? h : Math.expm1(l * h) / l;
      }
      this.eA.set(e);
      this.gA.set(g);
      this.anchorH = h;
    }
    for (let i = 0; i < n; i++) z[i] = e[i]! * z[i]! + g[i]! * w[i]!;
  }
  fillUniform(
    z: Float64Array,
    h: number,
    w: Float64Array,
    count: number,
    rows: readonly Float64Array[],
    outs: readonly Float64Array[],
    start: number,
    times: readonly number[],
    t0: number,
  ): number {
    const n = this.n;
    const lambda = this.lambda;
    // In modal coordinates the step matrix is diagonal: z ← e∘z + c with c = g∘w fixed for the run.
    const e = this.runE;
    const c = this.runC;
    let free = true;
    for (let i = 0; i < n; i++) {
      const l = lambda[i]!;
      e[i] = Math.exp(l * h);
      c[i] = (l === 0 ? h : Math.expm1(l * h) / l) * w[i]!;
      if (w[i] !== 0) free = false;
    }
    if (rows.length === 1 && n === 3) {
      if (free) return fillFree3(z, lambda, h, count, rows[0]!, outs[0]!, start, times, t0);
      // The common mammillary case, unrolled: locals stay in registers.
      const r = rows[0]!;
      const out = outs[0]!;
      const e0 = e[0]!;
      const e1 = e[1]!;
      const e2 = e[2]!;
      const c0 = c[0]!;
      const c1 = c[1]!;
      const c2 = c[2]!;
      const r0 = r[0]!;
      const r1 = r[1]!;
      const r2 = r[2]!;
      let z0 = z[0]!;
      let z1 = z[1]!;
      let z2 = z[2]!;
      const end = start + count;
      for (let j = start; j < end; j++) {
        z0 = e0 * z0 + c0;
        z1 = e1 * z1 + c1;
        z2 = e2 * z2 + c2;
        out[j] = r0 * z0 + r1 * z1 + r2 * z2;
      }
      z[0] = z0;
      z[1] = z1;
      z[2] = z2;
      return gridDeviation(times, t0, h, start, count);
    }
    fillAffine(z, e, true, c, count, rows, outs, start);
    return gridDeviation(times, t0, h, start, count);
  }
}

/**
 * A uniform run of a three-mode system with no input (between infusions, nearly every point of a
 * course): each mode only decays, so the output is q₀+q₁+q₂ with q_i = r_i·z_i·e_i^k. Four interleaved
 * sequences (steps k ≡ 1, 2, 3, 0 mod 4), each advanced by e^{4λh} (computed exactly, not a power),
 * shorten the chain of dependent multiplications per point. No subtraction anywhere, so no
 * cancellation; the state at the end is the closed form z_i·e^{λ_i·h·count}.
 */
function fillFree3(
  z: Float64Array,
  lambda: Float64Array,
  h: number,
  count: number,
  r: Float64Array,
  out: Float64Array,
  start: number,
  times: readonly number[],
  t0: number,
): number {
  const l0 = lambda[0]! * h;
  const l1 = lambda[1]! * h;
  const l2 = lambda[2]! * h;
  const y0 = r[0]! * z[0]!;
  const y1 = r[1]! * z[1]!;
  const y2 = r[2]! * z[2]!;
  let a0 = y0 * Math.exp(l0);
  let a1 = y1 * Math.exp(l1);
  let a2 = y2 * Math.exp(l2);
  let b0 = y0 * Math.exp(2 * l0);
  let b1 = y1 * Math.exp(2 * l1);
  let b2 = y2 * Math.exp(2 * l2);
  let c0 = y0 * Math.exp(3 * l0);
  let c1 = y1 * Math.exp(3 * l1);
  let c2 = y2 * Math.exp(3 * l2);
  const f0 = Math.exp(4 * l0);
  const f1 = Math.exp(4 * l1);
  const f2 = Math.exp(4 * l2);
  let d0 = y0 * f0;
  let d1 = y1 * f1;
  let d2 = y2 * f2;
  const end = start + count;
  let j = start;
  // The grid check rides along (two running maxima: one would chain every point to the last).
  let devA = 0;
  let devB = 0;
  for (; j + 3 < end; j += 4) {
    out[j] = a0 + a1 + a2;
    out[j + 1] = b0 + b1 + b2;
    out[j + 2] = c0 + c1 + c2;
    out[j + 3] = d0 + d1 + d2;
    a0 *= f0;
    a1 *= f1;
    a2 *= f2;
    b0 *= f0;
    b1 *= f1;
    b2 *= f2;
    c0 *= f0;
    c1 *= f1;
    c2 *= f2;
    d0 *= f0;
    d1 *= f1;
    d2 *= f2;
    devA = Math.max(devA, Math.abs(times[j]! - (t0 + j * h)), Math.abs(times[j + 2]! - (t0 + (j + 2) * h)));
    devB = Math.max(
      devB,
      Math.abs(times[j + 1]! - (t0 + (j + 1) * h)),
      Math.abs(times[j + 3]! - (t0 + (j + 3) * h)),
    );
  }
  // At most three points left, at steps held by a, b and c.
  if (j < end) out[j] = a0 + a1 + a2;
  if (j + 1 < end) out[j + 1] = b0 + b1 + b2;
  if (j + 2 < end) out[j + 2] = c0 + c1 + c2;
  for (; j < end; j++) devA = Math.max(devA, Math.abs(times[j]! - (t0 + j * h)));
  z[0] = z[0]! * Math.exp(l0 * count);
  z[1] = z[1]! * Math.exp(l1 * count);
  z[2] = z[2]! * Math.exp(l2 * count);
  return Math.max(devA, devB);
}

/** Largest |times[i] − (t0 + i·h)| for i in [start, start + count); NaN if a time is NaN. */
function gridDeviation(
  times: readonly number[],
  t0: number,
  h: number,
  start: number,
  count: number,
): number {
  let dev = 0;
  const end = start + count;
  for (let i = start; i < end; i++) dev = Math.max(dev, Math.abs(times[i]! - (t0 + i * h)));
  return dev;
}

/**
 * Generic uniform-grid loop: z ← M·z + c (M row-major n×n; `diagonal` holds only its diagonal),
 * then every output row is written.
 */
function fillAffine(
  z: Float64Array,
  m: Float64Array,
  diagonal: boolean,
  c: Float64Array,
  count: number,
  rows: readonly Float64Array[],
  outs: readonly Float64Array[],
  start: number,
): void {
  const n = z.length;
  const nOut = rows.length;
  const full = diagonal ? null : m;
  const tmp = new Float64Array(n);
  const end = start + count;
  for (let j = start; j < end; j++) {
    if (full === null) {
      for (let i = 0; i < n; i++) z[i] = m[i]! * z[i]! + c[i]!;
    } else {
      for (let i = 0; i < n; i++) {
        let s = c[i]!;
        const base = i * n;
        for (let k = 0; k < n; k++) s += full[base + k]! * z[k]!;
        tmp[i] = s;
      }
      for (let i = 0; i < n; i++) z[i] = tmp[i]!;
    }
    for (let k = 0; k < nOut; k++) {
      const r = rows[k]!;
      let s = 0;
      for (let i = 0; i < n; i++) s += r[i]! * z[i]!;
      outs[k]![j] = s;
    }
  }
}

class ExpmPropagator implements Propagator {
  readonly method = 'expm' as const;
  readonly n: number;
  private readonly cache = new Map<number, { phi: Matrix; gamma: Matrix }>();
  private readonly tmp: Float64Array;
  constructor(private readonly a: Matrix) {
    this.n = a.length;
    this.tmp = new Float64Array(this.n);
  }
  toInternal(x: ArrayLike<number>): Float64Array {
    return Float64Array.from(x);
  }
  toState(z: ArrayLike<number>): number[] {
    return Array.from(z);
  }
  outputRow(c: ArrayLike<number>): Float64Array {
    return Float64Array.from(c);
  }
  /** e^{Ah} and ∫₀ʰ e^{As} ds from one exponential of the augmented 2n×2n matrix. */
  step(h: number): { phi: Matrix; gamma: Matrix } {
    // Grids like k·0.1 produce step lengths that differ in the last bits; steps equal to 13
    // significant digits share one exponential (time error < 1e-12 relative, far below model error).
    const key = Number(h.toPrecision(13));
    let hit = this.cache.get(key);
    if (hit === undefined) {
      hit = this.exactStep(key);
      if (this.cache.size > 4096) this.cache.clear();
      this.cache.set(key, hit);
    }
    return hit;
  }
  private exactStep(h: number): { phi: Matrix; gamma: Matrix } {
    const n = this.n;
    const m = zeros(2 * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) m[i]![j] = this.a[i]![j]! * h;
      m[i]![n + i] = h;
    }
    const e = expm(m);
    return {
      phi: e.slice(0, n).map((r) => r.slice(0, n)),
      gamma: e.slice(0, n).map((r) => r.slice(n, 2 * n)),
    };
  }
  advance(z: Float64Array, h: number, w: Float64Array): void {
    if (h === 0) return;
    const { phi, gamma } = this.step(h);
    const n = this.n;
    for (let i = 0; i < n; i++) {
      let s = 0;
      const p = phi[i]!;
      const g = gamma[i]!;
      for (let j = 0; j < n; j++) s += p[j]! * z[j]! + g[j]! * w[j]!;
      this.tmp[i] = s;
    }
    z.set(this.tmp);
  }
  fillUniform(
    z: Float64Array,
    h: number,
    w: Float64Array,
    count: number,
    rows: readonly Float64Array[],
    outs: readonly Float64Array[],
    start: number,
    times: readonly number[],
    t0: number,
  ): number {
    // The exact step length (not the cache key): its error would otherwise add up over the run.
    const { phi, gamma } = this.exactStep(h);
    const n = this.n;
    // z ← Φ·z + c, with c = Γ·w fixed for the run: one small matrix–vector product per point.
    const m = new Float64Array(n * n);
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) {
        m[i * n + j] = phi[i]![j]!;
        s += gamma[i]![j]! * w[j]!;
      }
      c[i] = s;
    }
    fillAffine(z, m, false, c, count, rows, outs, start);
    return gridDeviation(times, t0, h, start, count);
  }
}

/** Eigenvector for a known eigenvalue by inverse iteration. */
function eigenvector(a: Matrix, lambda: number, scaleA: number): number[] {
  const n = a.length;
  const shift = lambda + 1e-9 * Math.max(Math.abs(lambda), scaleA * 1e-6, 1e-300);
  const m = a.map((row, i) => row.map((v, j) => (i === j ? v - shift : v)));
  // One factorization for the three iterations: only the right-hand side changes.
  const lu = luFactor(m);
  let x = Array.from({ length: n }, (_, i) => 1 + i / (n + 1));
  for (let it = 0; it < 3; it++) {
    const y = luSolveVec(lu, x);
    const nrm = Math.hypot(...y);
    x = y.map((v) => v / nrm);
  }
  // Sign convention: largest component positive (purely cosmetic).
  const big = x.reduce((best, v) => (Math.abs(v) > Math.abs(best) ? v : best), 0);
  return big < 0 ? x.map((v) => -v) : x;
}

/** Builds the exact propagator for a system; `force` selects a method (tests and benchmarks). */
export function makePropagator(system: LinearSystem, force?: PropagatorMethod): Propagator {
  checkSystem(system);
  const a = system.matrix;
  if (force === 'expm') return new ExpmPropagator(a);
  const spectrum = realSpectrum(a);
  const fail = (why: string): Propagator => {
    if (force === 'eigen') throw new Error(`eigen decomposition not usable: ${why}`);
    return new ExpmPropagator(a);
  };
  if (spectrum === null) return fail('a block is not symmetrisable');
  const lambda = spectrum.values;
  const sorted = [...lambda].sort((x, y) => x - y);
  for (let i = 1; i < sorted.length; i++) {
    const x = sorted[i - 1]!;
    const y = sorted[i]!;
    if (Math.abs(y - x) <= MIN_RELATIVE_GAP * Math.max(Math.abs(x), Math.abs(y)))
      return fail('repeated eigenvalues');
  }
  const scaleA = norm1(a);
  let v: Matrix;
  let vInv: Matrix;
  if (spectrum.basis !== null) {
    ({ v, vInv } = spectrum.basis);
  } else {
    try {
      const cols = lambda.map((l) => eigenvector(a, l, scaleA));
      v = a.map((_, i) => cols.map((c) => c[i]!));
      vInv = inverse(v);
    } catch {
      return fail('singular eigenvector basis');
    }
  }
  const cond = norm1(v) * norm1(vInv);
  const av = matMul(a, v);
  let resid = 0;
  for (let i = 0; i < a.length; i++)
    for (let j = 0; j < a.length; j++) resid = Math.max(resid, Math.abs(av[i]![j]! - v[i]![j]! * lambda[j]!));
  if (!(cond < MAX_CONDITION) || !(resid <= 1e-11 * Math.max(scaleA, 1e-300)))
    return fail('ill-conditioned basis');
  return new EigenPropagator(lambda, v, vInv);
}

export interface SolveOptions {
  method?: PropagatorMethod;
}

export interface SolveResult {
  method: PropagatorMethod;
  /** values[k][t]: output k at timesMin[t] (same order as given). */
  values: Float64Array[];
}

interface Breakpoint {
  timeMin: number;
  boluses: { compartment: number; amountMg: number }[];
}

export function validateEvents(system: LinearSystem, events: readonly InputEvent[]): void {
  const n = system.names.length;
  for (const e of events) {
    if (!Number.isInteger(e.compartment) || e.compartment < 0 || e.compartment >= n) {
      throw new Error(`input targets unknown compartment ${e.compartment}`);
    }
    const nums = e.kind === 'bolus' ? [e.timeMin, e.amountMg] : [e.startMin, e.durationMin, e.rateMgPerMin];
    if (nums.some((x) => !Number.isFinite(x))) throw new Error('input event has a non-finite number');
    if (e.kind === 'zero-order' && e.durationMin <= 0)
      throw new Error('zero-order input needs a positive duration');
  }
}

function breakpoints(events: readonly InputEvent[]): Breakpoint[] {
  const map = new Map<number, Breakpoint>();
  const at = (t: number): Breakpoint => {
    let b = map.get(t);
    if (b === undefined) {
      b = { timeMin: t, boluses: [] };
      map.set(t, b);
    }
    return b;
  };
  for (const e of events) {
    if (e.kind === 'bolus') at(e.timeMin).boluses.push({ compartment: e.compartment, amountMg: e.amountMg });
    else {
      at(e.startMin);
      at(e.startMin + e.durationMin);
    }
  }
  return [...map.values()].sort((x, y) => x.timeMin - y.timeMin);
}

function rateVectorAt(n: number, events: readonly InputEvent[], t: number): number[] {
  const u = new Array<number>(n).fill(0);
  for (const e of events)
    if (e.kind === 'zero-order' && e.startMin <= t && t < e.startMin + e.durationMin)
      u[e.compartment]! += e.rateMgPerMin;
  return u;
}

/**
 * Evaluates outputs c_k·x(t) at the requested times (any order, any spacing). The state is zero
 * before the first event. A bolus at a requested time is included in that time's value.
 */
export function solveLinear(
  system: LinearSystem,
  events: readonly InputEvent[],
  timesMin: readonly number[],
  outputRows: readonly (readonly number[])[],
  options: SolveOptions = {},
): SolveResult {
  validateEvents(system, events);
  const prop = makePropagator(system, options.method);
  return solveWith(prop, system, events, timesMin, outputRows);
}

/** As solveLinear, reusing a propagator (e.g. one model simulated many times). */
export function solveWith(
  prop: Propagator,
  system: LinearSystem,
  events: readonly InputEvent[],
  timesMin: readonly number[],
  outputRows: readonly (readonly number[])[],
): SolveResult {
  const rows = outputRows.map((c) => prop.outputRow(c));
  const step = uniformStep(timesMin);
  if (step > 0) {
    // Taken for a uniform grid on its end points alone; every time is checked as the pass reaches it,
    // and the first one off its slot sends the whole grid to the point-by-point evaluation below.
    const values = evaluate(prop, events, timesMin, rows, null, step);
    if (values !== null) return { method: prop.method, values };
  }
  const order = isSorted(timesMin)
    ? null
    : Array.from(timesMin.keys()).sort((x, y) => timesMin[x]! - timesMin[y]!);
  return { method: prop.method, values: evaluate(prop, events, timesMin, rows, order, 0)! };
}

/**
 * The outputs at every requested time, visited in `order` (null: as given, which must then be sorted).
 * With gridStep > 0 the times are taken to be t₀ + k·gridStep: stretches between events are filled by
 * the step loop, and null is returned as soon as a time turns out to be off its slot.
 */
function evaluate(
  prop: Propagator,
  events: readonly InputEvent[],
  timesMin: readonly number[],
  rows: readonly Float64Array[],
  order: readonly number[] | null,
  gridStep: number,
): Float64Array[] | null {
  const n = prop.n;
  const values = rows.map(() => new Float64Array(timesMin.length));
  const bps = breakpoints(events);
  const z = new Float64Array(n);
  let w: Float64Array = new Float64Array(n);
  const nTimes = timesMin.length;
  const first = nTimes === 0 ? Infinity : timesMin[order === null ? 0 : order[0]!]!;
  const t0 = nTimes === 0 ? 0 : timesMin[0]!;
  const tol = gridTolerance(timesMin);
  let t = Math.min(bps[0]?.timeMin ?? Infinity, first);
  let next = 0;
  const bolusVec = new Array<number>(n);
  const nOut = rows.length;
  const row0 = rows[0];
  const out0 = values[0];
  let nextBp = bps.length > 0 ? bps[0]!.timeMin : Infinity;
  for (let q = 0; q < nTimes; q++) {
    if (gridStep > 0 && q > 0) {
      // Uniform grid: every point before the next event follows from the previous one by the
      // same step, so the run costs one step matrix, not an exponential per point.
      const end = firstAtOrAfter(timesMin, nextBp, q);
      if (end - q >= 2) {
        if (!fillRun(prop, z, gridStep, w, end - q, rows, values, q, timesMin, t0, tol)) return null;
        t = timesMin[end - 1]!;
        q = end - 1;
        continue;
      }
    }
    const idx = order === null ? q : order[q]!;
    const tOut = timesMin[idx]!;
    if (gridStep > 0 && !(Math.abs(tOut - (t0 + q * gridStep)) <= tol)) return null;
    while (nextBp <= tOut) {
      const bp = bps[next]!;
      prop.advance(z, bp.timeMin - t, w);
      t = bp.timeMin;
      if (bp.boluses.length > 0) {
        bolusVec.fill(0);
        for (const b of bp.boluses) bolusVec[b.compartment]! += b.amountMg;
        const zb = prop.toInternal(bolusVec);
        for (let i = 0; i < n; i++) z[i]! += zb[i]!;
      }
      w = prop.toInternal(rateVectorAt(n, events, bp.timeMin));
      next++;
      nextBp = next < bps.length ? bps[next]!.timeMin : Infinity;
    }
    prop.advance(z, tOut - t, w);
    t = tOut;
    if (nOut === 1) {
      let s = 0;
      for (let i = 0; i < n; i++) s += row0![i]! * z[i]!;
      out0![idx] = s;
    } else {
      for (let k = 0; k < nOut; k++) {
        const r = rows[k]!;
        let s = 0;
        for (let i = 0; i < n; i++) s += r[i]! * z[i]!;
        values[k]![idx] = s;
      }
    }
  }
  return values;
}

/** Points per stretch of a uniform run before the state is recomputed exactly from the run's start. */
const RESYNC_POINTS = 8192;
/** Shortest grid worth treating as uniform. */
const MIN_UNIFORM_POINTS = 16;

/** How far a time may sit from its slot t₀ + k·h: a few ulps of the largest time (rounding in k·T/N). */
function gridTolerance(times: readonly number[]): number {
  const n = times.length;
  return n === 0 ? 0 : 16 * Number.EPSILON * Math.max(Math.abs(times[0]!), Math.abs(times[n - 1]!));
}

/**
 * The step h of a grid that may be uniform, judged from its end points alone (constant time), or 0.
 * Slots more than 2·tol apart: a grid whose every time is within tol of its slot is then in order.
 */
function uniformStep(times: readonly number[]): number {
  const n = times.length;
  if (n < MIN_UNIFORM_POINTS) return 0;
  const h = (times[n - 1]! - times[0]!) / (n - 1);
  return h > 2 * gridTolerance(times) && Number.isFinite(h) ? h : 0;
}

function isSorted(times: readonly number[]): boolean {
  for (let k = 1; k < times.length; k++) if (times[k]! < times[k - 1]!) return false;
  return true;
}

/** First index ≥ from whose time is ≥ limit (times sorted). */
function firstAtOrAfter(times: readonly number[], limit: number, from: number): number {
  let lo = from;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Writes `count` uniform steps from the current state. Rounding in a repeated product grows by about
 * one ulp a step, so every RESYNC_POINTS points the state is recomputed exactly from the run's start
 * (error stays near 1e-13, far inside the 1e-9 of the exact solver). False as soon as a stretch holds
 * a time off its slot t₀ + i·h.
 */
function fillRun(
  prop: Propagator,
  z: Float64Array,
  h: number,
  w: Float64Array,
  count: number,
  rows: readonly Float64Array[],
  outs: readonly Float64Array[],
  start: number,
  times: readonly number[],
  t0: number,
  tol: number,
): boolean {
  const zStart = Float64Array.from(z);
  let done = 0;
  while (done < count) {
    const m = Math.min(RESYNC_POINTS, count - done);
    const dev = prop.fillUniform(z, h, w, m, rows, outs, start + done, times, t0);
    if (!(dev <= tol)) return false;
    done += m;
    if (done < count) {
      z.set(zStart);
      prop.advance(z, done * h, w);
    }
  }
  return true;
}

/** Full compartment amounts at the given times (tests: mass balance). */
export function statesAt(
  system: LinearSystem,
  events: readonly InputEvent[],
  timesMin: readonly number[],
  options: SolveOptions = {},
): number[][] {
  const n = system.names.length;
  const unit = identity(n);
  const res = solveLinear(system, events, timesMin, unit, options);
  return timesMin.map((_, t) => res.values.map((v) => v[t]!));
}

/** Total amount that has entered each compartment by time t (boluses plus infused amounts). */
export function inputDeliveredBy(n: number, events: readonly InputEvent[], t: number): number[] {
  const d = new Array<number>(n).fill(0);
  for (const e of events) {
    if (e.kind === 'bolus') {
      if (e.timeMin <= t) d[e.compartment]! += e.amountMg;
    } else {
      const dur = Math.min(Math.max(t - e.startMin, 0), e.durationMin);
      d[e.compartment]! += e.rateMgPerMin * dur;
    }
  }
  return d;
}

/**
 * Exact integral of c·x from the start to t: since dx/dt = A·x + u, ∫x = A⁻¹·(x(t) − delivered(t)).
 * With t = ∞ (x → 0): ∫x = −A⁻¹·(total delivered). A must be non-singular (every model eliminates).
 */
export function exactIntegral(
  system: LinearSystem,
  c: readonly number[],
  stateAtT: readonly number[],
  delivered: readonly number[],
): number {
  const rhs = stateAtT.map((x, i) => x - delivered[i]!);
  const y = solve(
    system.matrix,
    rhs.map((v) => [v]),
  ).map((r) => r[0]!);
  return c.reduce((s, ci, i) => s + ci * y[i]!, 0);
}
