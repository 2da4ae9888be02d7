import { describe, expect, it } from 'vitest';
import { agreement, pearson, quadraticWeightedKappa, ranks, spearman } from '../../src/evaluation/metrics.js';

describe('pearson', () => {
  it('is 1 for a perfect positive linear relation and -1 for a perfect negative one', () => {
    expect(pearson([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3, 4], [3, 5, 7, 9])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3, 4], [8, 6, 4, 2])).toBeCloseTo(-1, 12);
  });

  it('matches a hand-computed value', () => {
    // x = [1,2,3,4] (mean 2.5), y = [2,4,5,4] (mean 3.75)
    // dx = [-1.5,-0.5,0.5,1.5], dy = [-1.75,0.25,1.25,0.25]
    // Σdx·dy = 2.625 - 0.125 + 0.625 + 0.375 = 3.5; Σdx² = 5; Σdy² = 4.75
    // r = 3.5 / √(5 · 4.75) = 3.5 / √23.75 ≈ 0.718185
    expect(pearson([1, 2, 3, 4], [2, 4, 5, 4])).toBeCloseTo(3.5 / Math.sqrt(23.75), 12);
    expect(pearson([1, 2, 3, 4], [2, 4, 5, 4])).toBeCloseTo(0.718185, 6);
  });

  it('is symmetric in its arguments', () => {
    const a = [0.1, 0.7, 0.3, 0.9, 0.5];
    const b = [1, 4, 2, 5, 2];
    expect(pearson(a, b)).toBeCloseTo(pearson(b, a), 12);
  });

  it('is 0 (not NaN) when one side has no variance', () => {
    expect(pearson([3, 3, 3], [1, 2, 3])).toBe(0);
    expect(pearson([1, 2, 3], [5, 5, 5])).toBe(0);
  });
});

describe('ranks', () => {
  it('gives tied values their average rank', () => {
    // sorted: 10 → 1; the three 20s take ranks 2,3,4 → 3 each; 30 → 5
    expect(ranks([10, 20, 20, 30, 20])).toEqual([1, 3, 3, 5, 3]);
    expect(ranks([2, 1])).toEqual([2, 1]);
    expect(ranks([7, 7, 7, 7])).toEqual([2.5, 2.5, 2.5, 2.5]);
  });
});

describe('spearman', () => {
  it('is 1 for any strictly increasing relation, even a non-linear one', () => {
    const x = [1, 2, 3, 4, 5];
    const y = x.map((value) => value ** 3);
    expect(spearman(x, y)).toBeCloseTo(1, 12);
    expect(pearson(x, y)).toBeLessThan(0.99);
  });

  it('is -1 for a strictly decreasing relation', () => {
    expect(spearman([1, 2, 3, 4], [100, 10, 1, 0.1])).toBeCloseTo(-1, 12);
  });

  it('uses average ranks for ties (hand-computed)', () => {
    // x = [1,2,2,3] → ranks [1,2.5,2.5,4]; y = [1,3,2,4] → ranks [1,3,2,4]; both rank means 2.5
    // dx = [-1.5,0,0,1.5], dy = [-1.5,0.5,-0.5,1.5]
    // Σdx·dy = 4.5, Σdx² = 4.5, Σdy² = 5 → ρ = 4.5/√22.5 = √0.9 ≈ 0.948683
    expect(spearman([1, 2, 2, 3], [1, 3, 2, 4])).toBeCloseTo(Math.sqrt(0.9), 12);
  });
});

describe('quadraticWeightedKappa', () => {
  it('is 1 for identical ratings', () => {
    expect(quadraticWeightedKappa([0, 1, 2, 3, 4], [0, 1, 2, 3, 4])).toBeCloseTo(1, 12);
    expect(quadraticWeightedKappa([2, 2, 5, 1], [2, 2, 5, 1])).toBeCloseTo(1, 12);
  });

  it('is 1 when every rating is the same single category', () => {
    expect(quadraticWeightedKappa([3, 3, 3], [3, 3, 3])).toBe(1);
  });

  it('matches a hand-computed 3-category example', () => {
    // left = [0,1,2,0], right = [0,2,2,1]; weights w(i,j) = (i-j)²/(3-1)²
    // observed pairs (0,0),(1,2),(2,2),(0,1) → disagreement 0 + 1/4 + 0 + 1/4 = 0.5
    // marginals: left [2,1,1], right [1,1,2], n = 4
    // expected = Σ w(i,j)·L_i·R_j / n = (0.5 + 4 + 0.25 + 0.5 + 1 + 0.25) / 4 = 6.5 / 4 = 1.625
    // κ = 1 - 0.5/1.625 = 9/13 ≈ 0.6923
    expect(quadraticWeightedKappa([0, 1, 2, 0], [0, 2, 2, 1])).toBeCloseTo(9 / 13, 12);
  });

  it('is -1 for a fully reversed 3-category rating', () => {
    // observed disagreement 1 + 0 + 1 = 2; uniform marginals → expected = Σw/3 = 3/3 = 1 → κ = 1 - 2 = -1
    expect(quadraticWeightedKappa([0, 1, 2], [2, 1, 0])).toBeCloseTo(-1, 12);
  });

  it('penalises a two-category miss more than a one-category miss', () => {
    const near = quadraticWeightedKappa([0, 1, 2, 3, 4], [0, 1, 2, 3, 3]);
    const far = quadraticWeightedKappa([0, 1, 2, 3, 4], [0, 1, 2, 3, 2]);
    expect(near).toBeGreaterThan(far);
    expect(near).toBeLessThan(1);
  });

  it('does not depend on where the category scale starts', () => {
    expect(quadraticWeightedKappa([1, 2, 3, 1], [1, 3, 3, 2])).toBeCloseTo(9 / 13, 12);
  });
});

describe('agreement', () => {
  it('reports n, correlations, rmse and mae on the given scale', () => {
    // errors = [-1, 0, -2] → mae = 1, rmse = √(5/3)
    const metrics = agreement([1, 2, 3], [2, 2, 5]);
    expect(metrics.n).toBe(3);
    expect(metrics.mae).toBeCloseTo(1, 12);
    expect(metrics.rmse).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(metrics.pearson).toBeCloseTo(pearson([1, 2, 3], [2, 2, 5]), 12);
    expect(metrics.spearman).toBeCloseTo(spearman([1, 2, 3], [2, 2, 5]), 12);
  });

  it('gives rmse and mae 0 and all agreement 1 for identical scores', () => {
    const metrics = agreement([0, 2, 3, 5], [0, 2, 3, 5]);
    expect(metrics.rmse).toBe(0);
    expect(metrics.mae).toBe(0);
    expect(metrics.pearson).toBeCloseTo(1, 12);
    expect(metrics.spearman).toBeCloseTo(1, 12);
    expect(metrics.qwk).toBeCloseTo(1, 12);
  });

  it('has rmse ≥ mae, equal only when every error is the same size', () => {
    const uneven = agreement([0, 0, 0, 4], [0, 0, 0, 0]);
    expect(uneven.mae).toBeCloseTo(1, 12);
    expect(uneven.rmse).toBeCloseTo(2, 12);
    const even = agreement([1, 2, 3], [2, 1, 4]);
    expect(even.rmse).toBeCloseTo(even.mae, 12);
  });

  it('throws RangeError on lists of different lengths', () => {
    expect(() => agreement([1, 2, 3], [1, 2])).toThrow(RangeError);
    expect(() => agreement([1, 2], [1, 2, 3])).toThrow(RangeError);
  });

  it('throws RangeError on fewer than two scores', () => {
    expect(() => agreement([1], [1])).toThrow(RangeError);
    expect(() => agreement([], [])).toThrow(RangeError);
  });

  it('rounds to `step` before kappa (0–1 scale, step 0.25)', () => {
    // predicted / 0.25 = [1.2, 1.8, 3.6, 0.4] → [1, 2, 4, 0]
    // human     / 0.25 = [1, 2.2, 4, 0]      → [1, 2, 4, 0]  → identical categories
    const predicted = [0.3, 0.45, 0.9, 0.1];
    const human = [0.25, 0.55, 1, 0];
    expect(agreement(predicted, human, 0.25).qwk).toBeCloseTo(1, 12);
    // With step 1 the same scores become predicted [0,0,1,0] vs human [0,1,1,0]:
    // observed disagreement 1; marginals [3,1] and [2,2] → expected (6 + 2)/4 = 2 → κ = 0.5
    expect(agreement(predicted, human, 1).qwk).toBeCloseTo(0.5, 12);
  });

  it('defaults to step 1 (whole points)', () => {
    const predicted = [0.3, 0.45, 0.9, 0.1];
    const human = [0.25, 0.55, 1, 0];
    expect(agreement(predicted, human).qwk).toBeCloseTo(agreement(predicted, human, 1).qwk, 12);
  });

  it('leaves rmse and mae on the unrounded scale', () => {
    const metrics = agreement([0.3, 0.45, 0.9, 0.1], [0.25, 0.55, 1, 0], 0.25);
    // |errors| = [0.05, 0.1, 0.1, 0.1]
    expect(metrics.mae).toBeCloseTo(0.0875, 12);
    expect(metrics.rmse).toBeCloseTo(Math.sqrt((0.0025 + 0.01 * 3) / 4), 12);
  });
});
