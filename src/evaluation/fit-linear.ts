export interface LinearFit {
  coefficients: number[];
  intercept: number;
}

export interface FitOptions {
  /** L2 penalty per row on the coefficients (not the intercept). */
  ridge?: number;
  /** Keep every coefficient ≥ 0: a feature may help a grade or do nothing, never hurt it. */
  nonNegative?: boolean;
}

/**
 * Least squares by the normal equations (small feature counts, thousands of rows). With
 * `nonNegative`, terms whose coefficient comes out negative are dropped and the rest refitted
 * until none is (an active-set approximation of NNLS, exact enough for a handful of terms).
 */
export function fitLinear(rows: readonly number[][], targets: readonly number[], options: FitOptions = {}): LinearFit {
  const { ridge = 1e-3, nonNegative = false } = options;
  const width = rows[0].length;
  let active = Array.from({ length: width }, (_, index) => index);
  for (;;) {
    const solution = solveActive(rows, targets, active, ridge);
    const negative = active.filter((_, position) => solution.coefficients[position] < 0);
    if (!nonNegative || negative.length === 0) {
      const coefficients = new Array<number>(width).fill(0);
      active.forEach((column, position) => {
        coefficients[column] = solution.coefficients[position];
      });
      return { coefficients, intercept: solution.intercept };
    }
    active = active.filter((column) => !negative.includes(column));
  }
}

function solveActive(
  rows: readonly number[][],
  targets: readonly number[],
  active: readonly number[],
  ridge: number,
): LinearFit {
  const width = active.length + 1;
  const gram = Array.from({ length: width }, () => new Array<number>(width).fill(0));
  const moment = new Array<number>(width).fill(0);
  rows.forEach((row, index) => {
    const x = [1, ...active.map((column) => row[column])];
    for (let i = 0; i < width; i += 1) {
      moment[i] += x[i] * targets[index];
      for (let j = 0; j < width; j += 1) gram[i][j] += x[i] * x[j];
    }
  });
  for (let i = 1; i < width; i += 1) gram[i][i] += ridge * rows.length;
  const solution = solve(gram, moment);
  return { intercept: solution[0], coefficients: solution.slice(1) };
}

/** Gaussian elimination with partial pivoting. */
function solve(matrix: number[][], vector: number[]): number[] {
  const size = vector.length;
  const a = matrix.map((row, index) => [...row, vector[index]]);
  for (let column = 0; column < size; column += 1) {
    let pivot = column;
    for (let row = column + 1; row < size; row += 1)
      if (Math.abs(a[row][column]) > Math.abs(a[pivot][column])) pivot = row;
    [a[column], a[pivot]] = [a[pivot], a[column]];
    if (Math.abs(a[column][column]) < 1e-12) continue;
    for (let row = 0; row < size; row += 1) {
      if (row === column) continue;
      const factor = a[row][column] / a[column][column];
      for (let k = column; k <= size; k += 1) a[row][k] -= factor * a[column][k];
    }
  }
  return a.map((row, index) => (Math.abs(row[index]) < 1e-12 ? 0 : row[size] / row[index]));
}
