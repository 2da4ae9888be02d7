/** Agreement between predicted and human scores, on the data set's own scale. */
export interface AgreementMetrics {
  n: number;
  pearson: number;
  spearman: number;
  rmse: number;
  mae: number;
  /** Quadratic weighted kappa on scores rounded to `step`. */
  qwk: number;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

export function pearson(left: readonly number[], right: readonly number[]): number {
  const leftMean = mean(left);
  const rightMean = mean(right);
  let covariance = 0;
  let leftVariance = 0;
  let rightVariance = 0;
  for (let index = 0; index < left.length; index += 1) {
    const a = left[index] - leftMean;
    const b = right[index] - rightMean;
    covariance += a * b;
    leftVariance += a * a;
    rightVariance += b * b;
  }
  return leftVariance === 0 || rightVariance === 0 ? 0 : covariance / Math.sqrt(leftVariance * rightVariance);
}

/** Ranks with ties sharing their average rank. */
export function ranks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const result = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && order[end + 1].value === order[start].value) end += 1;
    const rank = (start + end) / 2 + 1;
    for (let position = start; position <= end; position += 1) result[order[position].index] = rank;
    start = end + 1;
  }
  return result;
}

export function spearman(left: readonly number[], right: readonly number[]): number {
  return pearson(ranks(left), ranks(right));
}

export function quadraticWeightedKappa(left: readonly number[], right: readonly number[]): number {
  const categories = Math.max(...left, ...right) - Math.min(...left, ...right) + 1;
  const low = Math.min(...left, ...right);
  const observed = Array.from({ length: categories }, () => new Array<number>(categories).fill(0));
  const leftCounts = new Array<number>(categories).fill(0);
  const rightCounts = new Array<number>(categories).fill(0);
  for (let index = 0; index < left.length; index += 1) {
    observed[left[index] - low][right[index] - low] += 1;
    leftCounts[left[index] - low] += 1;
    rightCounts[right[index] - low] += 1;
  }
  if (categories === 1) return 1;
  let observedDisagreement = 0;
  let expectedDisagreement = 0;
  for (let i = 0; i < categories; i += 1) {
    for (let j = 0; j < categories; j += 1) {
      const weight = ((i - j) * (i - j)) / ((categories - 1) * (categories - 1));
      observedDisagreement += weight * observed[i][j];
      expectedDisagreement += (weight * leftCounts[i] * rightCounts[j]) / left.length;
    }
  }
  return expectedDisagreement === 0 ? 1 : 1 - observedDisagreement / expectedDisagreement;
}

export function agreement(predicted: readonly number[], human: readonly number[], step = 1): AgreementMetrics {
  if (predicted.length !== human.length || predicted.length < 2) {
    throw new RangeError('agreement needs two equally long lists of at least two scores');
  }
  const errors = predicted.map((value, index) => value - human[index]);
  const toCategory = (value: number) => Math.round(value / step);
  return {
    n: predicted.length,
    pearson: pearson(predicted, human),
    spearman: spearman(predicted, human),
    rmse: Math.sqrt(mean(errors.map((error) => error * error))),
    mae: mean(errors.map(Math.abs)),
    qwk: quadraticWeightedKappa(predicted.map(toCategory), human.map(toCategory)),
  };
}
