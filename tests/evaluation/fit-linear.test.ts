import { describe, expect, it } from 'vitest';
import { fitLinear } from '../../src/evaluation/fit-linear.js';

/** Noiseless data on a grid: y = 0.2 + 0.5·a − 0.3·b. */
function synthetic(): { rows: number[][]; targets: number[] } {
  const rows: number[][] = [];
  for (let a = 0; a <= 1.0001; a += 0.1) {
    for (let b = 0; b <= 1.0001; b += 0.125) rows.push([a, b]);
  }
  return { rows, targets: rows.map(([a, b]) => 0.2 + 0.5 * a - 0.3 * b) };
}

const norm = (values: readonly number[]) => Math.sqrt(values.reduce((sum, value) => sum + value * value, 0));
const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

describe('fitLinear', () => {
  it('recovers the coefficients and intercept exactly without ridge', () => {
    const { rows, targets } = synthetic();
    const { coefficients, intercept } = fitLinear(rows, targets, { ridge: 0 });
    expect(coefficients).toHaveLength(2);
    expect(intercept).toBeCloseTo(0.2, 9);
    expect(coefficients[0]).toBeCloseTo(0.5, 9);
    expect(coefficients[1]).toBeCloseTo(-0.3, 9);
  });

  it('recovers them closely with the default (small) ridge', () => {
    const { rows, targets } = synthetic();
    const { coefficients, intercept } = fitLinear(rows, targets);
    expect(intercept).toBeCloseTo(0.2, 2);
    expect(coefficients[0]).toBeCloseTo(0.5, 2);
    expect(coefficients[1]).toBeCloseTo(-0.3, 2);
  });

  it('recovers three features, whatever their scale', () => {
    const rows: number[][] = [];
    for (let index = 0; index < 40; index += 1)
      rows.push([index % 7, ((index * 13) % 11) / 10, 100 + ((index * 5) % 9)]);
    const targets = rows.map(([a, b, c]) => -1.5 + 2 * a + 0.25 * b - 0.01 * c);
    const { coefficients, intercept } = fitLinear(rows, targets, { ridge: 0 });
    expect(intercept).toBeCloseTo(-1.5, 6);
    expect(coefficients[0]).toBeCloseTo(2, 8);
    expect(coefficients[1]).toBeCloseTo(0.25, 8);
    expect(coefficients[2]).toBeCloseTo(-0.01, 8);
  });

  it('shrinks the coefficients more as ridge grows', () => {
    const { rows, targets } = synthetic();
    const norms = [0, 0.01, 0.1, 1, 10].map((ridge) => norm(fitLinear(rows, targets, { ridge }).coefficients));
    for (let index = 1; index < norms.length; index += 1) expect(norms[index]).toBeLessThan(norms[index - 1]);
    expect(norms.at(-1)).toBeLessThan(0.1 * norms[0]);
  });

  it('shrinks each coefficient towards 0 without flipping its sign', () => {
    const { rows, targets } = synthetic();
    const { coefficients } = fitLinear(rows, targets, { ridge: 1 });
    expect(coefficients[0]).toBeGreaterThan(0);
    expect(coefficients[0]).toBeLessThan(0.5);
    expect(coefficients[1]).toBeLessThan(0);
    expect(coefficients[1]).toBeGreaterThan(-0.3);
  });

  it('does not penalise the intercept: a huge ridge leaves it at the mean target', () => {
    const { rows, targets } = synthetic();
    const { coefficients, intercept } = fitLinear(rows, targets, { ridge: 1e9 });
    expect(Math.abs(coefficients[0])).toBeLessThan(1e-6);
    expect(Math.abs(coefficients[1])).toBeLessThan(1e-6);
    expect(intercept).toBeCloseTo(mean(targets), 6);
  });

  it('leaves coefficients alone under nonNegative when none is negative', () => {
    const rows = synthetic().rows;
    const targets = rows.map(([a, b]) => 0.1 + 0.4 * a + 0.2 * b);
    const { coefficients, intercept } = fitLinear(rows, targets, { ridge: 0, nonNegative: true });
    expect(intercept).toBeCloseTo(0.1, 9);
    expect(coefficients[0]).toBeCloseTo(0.4, 9);
    expect(coefficients[1]).toBeCloseTo(0.2, 9);
  });

  it('with nonNegative, drops a negative term and refits the rest', () => {
    const { rows, targets } = synthetic();
    const { coefficients, intercept } = fitLinear(rows, targets, { ridge: 0, nonNegative: true });
    expect(coefficients).toHaveLength(2);
    expect(coefficients.every((value) => value >= 0)).toBe(true);
    expect(coefficients[1]).toBe(0);
    // a and b are uncorrelated on the full grid, so a keeps its slope and the intercept absorbs
    // b's average effect: 0.2 − 0.3 · mean(b) = 0.2 − 0.3 · 0.5 = 0.05
    expect(coefficients[0]).toBeCloseTo(0.5, 9);
    expect(intercept).toBeCloseTo(0.05, 9);
  });
});
