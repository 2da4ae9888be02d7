/**
 * Ridge regression by the normal equations: small feature counts, thousands of rows.
 * The intercept is not penalised.
 */
export function fitLinear(rows: readonly number[][], targets: readonly number[], ridge = 1e-3): { coefficients: number[]; intercept: number } {
  const width = rows[0].length + 1;
  const gram = Array.from({ length: width }, () => new Array<number>(width).fill(0));
  const moment = new Array<number>(width).fill(0);
  rows.forEach((row, index) => {
    const x = [1, ...row];
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
    for (let row = column + 1; row < size; row += 1) if (Math.abs(a[row][column]) > Math.abs(a[pivot][column])) pivot = row;
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
