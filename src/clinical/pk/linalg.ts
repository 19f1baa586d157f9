/**
 * Small dense linear algebra for the PK solver (matrices of at most a few dozen rows).
 * Plain arrays, no dependencies, deterministic.
 */

export type Matrix = number[][];

export function zeros(rows: number, cols: number = rows): Matrix {
  const m: Matrix = [];
  for (let i = 0; i < rows; i++) m.push(new Array<number>(cols).fill(0));
  return m;
}

export function identity(n: number): Matrix {
  const m = zeros(n);
  for (let i = 0; i < n; i++) m[i]![i] = 1;
  return m;
}

export function matMul(a: Matrix, b: Matrix): Matrix {
  const n = a.length;
  const k = b.length;
  const m = b[0]?.length ?? 0;
  const out = zeros(n, m);
  for (let i = 0; i < n; i++) {
    const ai = a[i]!;
    const oi = out[i]!;
    for (let p = 0; p < k; p++) {
      const aip = ai[p]!;
      if (aip === 0) continue;
      const bp = b[p]!;
      for (let j = 0; j < m; j++) oi[j]! += aip * bp[j]!;
    }
  }
  return out;
}

export function matVec(a: Matrix, x: ArrayLike<number>): number[] {
  return a.map((row) => {
    let s = 0;
    for (let j = 0; j < row.length; j++) s += row[j]! * x[j]!;
    return s;
  });
}

export function addScaled(a: Matrix, b: Matrix, scale: number): Matrix {
  return a.map((row, i) => row.map((v, j) => v + scale * b[i]![j]!));
}

export function scale(a: Matrix, s: number): Matrix {
  return a.map((row) => row.map((v) => v * s));
}

/** Maximum absolute column sum (the 1-norm). */
export function norm1(a: Matrix): number {
  const n = a[0]?.length ?? 0;
  let best = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (const row of a) s += Math.abs(row[j]!);
    best = Math.max(best, s);
  }
  return best;
}

/** Solves A X = B by Gaussian elimination with partial pivoting. Throws on a singular matrix. */
export function solve(a: Matrix, b: Matrix): Matrix {
  const n = a.length;
  const m = b[0]?.length ?? 0;
  const A = a.map((r) => r.slice());
  const B = b.map((r) => r.slice());
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(A[r]![col]!) > Math.abs(A[piv]![col]!)) piv = r;
    if (A[piv]![col] === 0) throw new Error('singular matrix');
    if (piv !== col) {
      [A[piv], A[col]] = [A[col]!, A[piv]!];
      [B[piv], B[col]] = [B[col]!, B[piv]!];
    }
    const Ac = A[col]!;
    const Bc = B[col]!;
    const d = Ac[col]!;
    for (let r = col + 1; r < n; r++) {
      const Ar = A[r]!;
      const f = Ar[col]! / d;
      if (f === 0) continue;
      for (let j = col; j < n; j++) Ar[j]! -= f * Ac[j]!;
      const Br = B[r]!;
      for (let j = 0; j < m; j++) Br[j]! -= f * Bc[j]!;
    }
  }
  const X = zeros(n, m);
  for (let r = n - 1; r >= 0; r--) {
    const Ar = A[r]!;
    for (let j = 0; j < m; j++) {
      let s = B[r]![j]!;
      for (let c = r + 1; c < n; c++) s -= Ar[c]! * X[c]![j]!;
      X[r]![j] = s / Ar[r]!;
    }
  }
  return X;
}

/** The elimination of `solve`, kept for many right-hand sides: multipliers below the diagonal. */
export interface LuFactors {
  lu: Matrix;
  /** Row swapped with row k at step k. */
  pivots: number[];
}

/** Factors A with partial pivoting (the same operations as `solve`). Throws on a singular matrix. */
export function luFactor(a: Matrix): LuFactors {
  const n = a.length;
  const A = a.map((r) => r.slice());
  const pivots: number[] = [];
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(A[r]![col]!) > Math.abs(A[piv]![col]!)) piv = r;
    if (A[piv]![col] === 0) throw new Error('singular matrix');
    pivots.push(piv);
    if (piv !== col) [A[piv], A[col]] = [A[col]!, A[piv]!];
    const Ac = A[col]!;
    const d = Ac[col]!;
    for (let r = col + 1; r < n; r++) {
      const Ar = A[r]!;
      const f = Ar[col]! / d;
      Ar[col] = f;
      if (f === 0) continue;
      for (let j = col + 1; j < n; j++) Ar[j]! -= f * Ac[j]!;
    }
  }
  return { lu: A, pivots };
}

/**
 * Solves A x = b from `luFactor(A)`; bit for bit what `solveVec` gives: every row receives the same
 * multiples of the same pivot values in the same order (row swaps only ever reach rows not yet pivoted).
 */
export function luSolveVec(f: LuFactors, b: ArrayLike<number>): number[] {
  const { lu, pivots } = f;
  const n = lu.length;
  const x = Array.from(b);
  for (let col = 0; col < n; col++) {
    const p = pivots[col]!;
    if (p !== col) [x[p], x[col]] = [x[col]!, x[p]!];
  }
  for (let col = 0; col < n; col++) {
    const xc = x[col]!;
    for (let r = col + 1; r < n; r++) {
      const m = lu[r]![col]!;
      if (m !== 0) x[r]! -= m * xc;
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    const Ar = lu[r]!;
    let s = x[r]!;
    for (let c = r + 1; c < n; c++) s -= Ar[c]! * x[c]!;
    x[r] = s / Ar[r]!;
  }
  return x;
}

export function solveVec(a: Matrix, b: ArrayLike<number>): number[] {
  return solve(
    a,
    Array.from(b, (v) => [v]),
  ).map((r) => r[0]!);
}

export function inverse(a: Matrix): Matrix {
  return solve(a, identity(a.length));
}

/** Eigenvalues of a real symmetric matrix by the cyclic Jacobi method (accurate to rounding). */
export function symmetricEigenvalues(s: Matrix): number[] {
  return symmetricEigen(s).values;
}

/**
 * Eigenvalues and orthonormal eigenvectors (the columns of `vectors`, in the order of `values`) of a
 * real symmetric matrix: cyclic Jacobi, the rotations accumulated.
 */
export function symmetricEigen(s: Matrix): { values: number[]; vectors: Matrix } {
  const n = s.length;
  const A = s.map((r) => r.slice());
  const Q = identity(n);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += A[i]![i]! * A[i]![i]!;
      for (let j = i + 1; j < n; j++) off += A[i]![j]! * A[i]![j]!;
    }
    if (off <= 1e-32 * diag || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p]![q]!;
        if (apq === 0) continue;
        const theta = (A[q]![q]! - A[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k]![p]!;
          const akq = A[k]![q]!;
          A[k]![p] = c * akp - sn * akq;
          A[k]![q] = sn * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p]![k]!;
          const aqk = A[q]![k]!;
          A[p]![k] = c * apk - sn * aqk;
          A[q]![k] = sn * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const qkp = Q[k]![p]!;
          const qkq = Q[k]![q]!;
          Q[k]![p] = c * qkp - sn * qkq;
          Q[k]![q] = sn * qkp + c * qkq;
        }
      }
    }
  }
  return { values: A.map((r, i) => r[i]!), vectors: Q };
}

/** Padé(13) coefficients for the matrix exponential (Higham 2005, SIAM J Matrix Anal Appl 26:1179). */
const PADE13 = [
  64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000, 10559470521600,
  670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
];
const THETA13 = 5.371920351148152;

/** Matrix exponential by scaling and squaring with a degree-13 Padé approximant (Higham 2005). */
export function expm(a: Matrix): Matrix {
  const n = a.length;
  const nrm = norm1(a);
  const s = nrm > THETA13 ? Math.max(0, Math.ceil(Math.log2(nrm / THETA13))) : 0;
  const A = s > 0 ? scale(a, 2 ** -s) : a;
  const b = PADE13;
  const I = identity(n);
  const A2 = matMul(A, A);
  const A4 = matMul(A2, A2);
  const A6 = matMul(A4, A2);
  const lin = (c6: number, c4: number, c2: number, c0: number): Matrix =>
    A6.map((row, i) => row.map((v, j) => c6 * v + c4 * A4[i]![j]! + c2 * A2[i]![j]! + c0 * I[i]![j]!));
  const U = matMul(
    A,
    addScaled(matMul(A6, lin(b[13]!, b[11]!, b[9]!, 0)), lin(b[7]!, b[5]!, b[3]!, b[1]!), 1),
  );
  const V = addScaled(matMul(A6, lin(b[12]!, b[10]!, b[8]!, 0)), lin(b[6]!, b[4]!, b[2]!, b[0]!), 1);
  let R = solve(addScaled(V, U, -1), addScaled(V, U, 1));
  for (let k = 0; k < s; k++) R = matMul(R, R);
  return R;
}
