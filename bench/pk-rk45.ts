/**
 * Baseline for bench/pk.bench.ts: a general-purpose adaptive Runge–Kutta 4(5) integrator
 * (Dormand & Prince 1980, J Comput Appl Math 6:19–26) with standard step-size control and the
 * method's 4th-order continuous extension for output between steps (Hairer, Nørsett & Wanner,
 * Solving ODEs I, §II.6). It knows nothing about linearity: it only sees f(t, x) = A·x + u(t).
 * The integration restarts at every discontinuity of u (infusion start/stop, bolus), as any careful
 * user of a generic integrator would do.
 */
import type { InputEvent, LinearSystem } from '../src/clinical/pk';

// Nodes c2…c6 are not needed: within a segment the right-hand side does not depend on t.
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
// Error coefficients: 5th-order minus embedded 4th-order weights.
const E1 = 71 / 57600,
  E3 = -71 / 16695,
  E4 = 71 / 1920,
  E5 = -17253 / 339200,
  E6 = 22 / 525,
  E7 = -1 / 40;
// Dense output coefficients (dopri5, Hairer).
const D1 = -12715105075 / 11282082432,
  D3 = 87487479700 / 32700410799,
  D4 = -10690763975 / 1880347072,
  D5 = 701980252875 / 199316789632,
  D6 = -1453857185 / 822651844,
  D7 = 69997945 / 29380423;

export interface Rk45Options {
  rtol: number;
  atol: number;
}

export interface Rk45Stats {
  steps: number;
  rejected: number;
  fevals: number;
}

/** Integrates dx/dt = A·x + u(t) with events, returning c·x at the (sorted) times. */
export function rk45Linear(
  system: LinearSystem,
  events: readonly InputEvent[],
  times: readonly number[],
  row: readonly number[],
  opts: Rk45Options,
): { values: Float64Array; stats: Rk45Stats } {
  const A = system.matrix;
  const n = A.length;
  const stats: Rk45Stats = { steps: 0, rejected: 0, fevals: 0 };
  const out = new Float64Array(times.length);
  const bpSet = new Set<number>();
  for (const e of events) {
    if (e.kind === 'bolus') bpSet.add(e.timeMin);
    else {
      bpSet.add(e.startMin);
      bpSet.add(e.startMin + e.durationMin);
    }
  }
  const tEnd = times[times.length - 1]!;
  bpSet.add(tEnd);
  const bps = [...bpSet].filter((t) => t <= tEnd).sort((a, b) => a - b);
  const u = new Float64Array(n);
  const rateAt = (t: number): void => {
    u.fill(0);
    for (const e of events)
      if (e.kind === 'zero-order' && e.startMin <= t && t < e.startMin + e.durationMin)
        u[e.compartment]! += e.rateMgPerMin;
  };
  const f = (x: Float64Array, dx: Float64Array): void => {
    stats.fevals++;
    for (let i = 0; i < n; i++) {
      const r = A[i]!;
      let s = u[i]!;
      for (let j = 0; j < n; j++) s += r[j]! * x[j]!;
      dx[i] = s;
    }
  };
  const x = new Float64Array(n);
  const k1 = new Float64Array(n),
    k2 = new Float64Array(n),
    k3 = new Float64Array(n),
    k4 = new Float64Array(n),
    k5 = new Float64Array(n),
    k6 = new Float64Array(n),
    k7 = new Float64Array(n);
  const y = new Float64Array(n),
    xn = new Float64Array(n);
  const r1 = new Float64Array(n),
    r2 = new Float64Array(n),
    r3 = new Float64Array(n),
    r4 = new Float64Array(n),
    r5 = new Float64Array(n);
  let oi = 0;
  const emit = (t: number): void => {
    let s = 0;
    for (let i = 0; i < n; i++) s += row[i]! * x[i]!;
    while (oi < times.length && times[oi] === t) out[oi++] = s;
  };
  let t = Math.min(times[0]!, bps[0]!);
  while (oi < times.length && times[oi]! < t) out[oi++] = 0;
  let h = 0.01;
  for (let b = 0; b < bps.length; b++) {
    const tb = bps[b]!;
    // integrate from t to tb with the rate in force on [t, tb)
    rateAt(t);
    f(x, k1);
    while (t < tb) {
      if (t + h > tb) h = tb - t;
      for (;;) {
        for (let i = 0; i < n; i++) y[i] = x[i]! + h * A21 * k1[i]!;
        f(y, k2);
        for (let i = 0; i < n; i++) y[i] = x[i]! + h * (A31 * k1[i]! + A32 * k2[i]!);
        f(y, k3);
        for (let i = 0; i < n; i++) y[i] = x[i]! + h * (A41 * k1[i]! + A42 * k2[i]! + A43 * k3[i]!);
        f(y, k4);
        for (let i = 0; i < n; i++)
          y[i] = x[i]! + h * (A51 * k1[i]! + A52 * k2[i]! + A53 * k3[i]! + A54 * k4[i]!);
        f(y, k5);
        for (let i = 0; i < n; i++)
          y[i] = x[i]! + h * (A61 * k1[i]! + A62 * k2[i]! + A63 * k3[i]! + A64 * k4[i]! + A65 * k5[i]!);
        f(y, k6);
        for (let i = 0; i < n; i++)
          xn[i] = x[i]! + h * (A71 * k1[i]! + A73 * k3[i]! + A74 * k4[i]! + A75 * k5[i]! + A76 * k6[i]!);
        f(xn, k7);
        let err = 0;
        for (let i = 0; i < n; i++) {
          const e = h * (E1 * k1[i]! + E3 * k3[i]! + E4 * k4[i]! + E5 * k5[i]! + E6 * k6[i]! + E7 * k7[i]!);
          const sc = opts.atol + opts.rtol * Math.max(Math.abs(x[i]!), Math.abs(xn[i]!));
          err += (e / sc) ** 2;
        }
        err = Math.sqrt(err / n);
        const fac = Math.min(5, Math.max(0.2, 0.9 * err ** -0.2));
        if (err <= 1 || h < 1e-12) {
          stats.steps++;
          const tn = t + h;
          // Dense output between t and tn for requested times.
          if (oi < times.length && times[oi]! < tn) {
            for (let i = 0; i < n; i++) {
              const ydiff = xn[i]! - x[i]!;
              const bspl = h * k1[i]! - ydiff;
              r1[i] = x[i]!;
              r2[i] = ydiff;
              r3[i] = bspl;
              r4[i] = ydiff - h * k7[i]! - bspl;
              r5[i] = h * (D1 * k1[i]! + D3 * k3[i]! + D4 * k4[i]! + D5 * k5[i]! + D6 * k6[i]! + D7 * k7[i]!);
            }
            while (oi < times.length && times[oi]! < tn) {
              const th = (times[oi]! - t) / h;
              const th1 = 1 - th;
              let s = 0;
              for (let i = 0; i < n; i++)
                s += row[i]! * (r1[i]! + th * (r2[i]! + th1 * (r3[i]! + th * (r4[i]! + th1 * r5[i]!))));
              out[oi++] = s;
            }
          }
          t = tn;
          x.set(xn);
          k1.set(k7);
          h *= fac;
          break;
        }
        stats.rejected++;
        h *= fac;
      }
    }
    t = tb;
    // Apply boluses at tb, then emit any output exactly at tb.
    for (const e of events) if (e.kind === 'bolus' && e.timeMin === tb) x[e.compartment]! += e.amountMg;
    emit(tb);
  }
  return { values: out, stats };
}
