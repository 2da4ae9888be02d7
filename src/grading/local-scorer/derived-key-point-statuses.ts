import type { KeyPointResult } from '../grade-schema.js';
import type { KeyPointCoverage } from './key-point-coverage.js';

const STATUS_CREDIT = { covered: 1, partial: 0.5, missing: 0 } as const;
const STEP_UP = { missing: 'partial', partial: 'covered', covered: 'covered' } as const;

/** The key points may show up to this much less credit than the score before one is read more generously. */
const BELOW_SCORE = 0.15;
/** …and this much more before a covered one is shown as partial. */
const ABOVE_SCORE = 0.35;

/** Credit the statuses show, covered 1 and partial ½, each key point weighing the same. */
export function derivedTally(keyPoints: readonly Pick<KeyPointResult, 'status'>[]): number {
  return keyPoints.length === 0
    ? 0
    : keyPoints.reduce((sum, keyPoint) => sum + STATUS_CREDIT[keyPoint.status], 0) / keyPoints.length;
}

/**
 * Key points cut mechanically from an inline reference take no part in the score, which rests on
 * the whole answer's match in meaning, paraphrases included. Their statuses are brought in line
 * with that score, so that the list never contradicts the number: where the strict reading shows
 * less than the score, points are stepped up one at a time, most loosely made first, but only as
 * far as the loose reading (near synonyms counted, denials not) finds a quote for them; where it
 * shows far more, the least covered point is shown as partial.
 */
export function alignDerivedStatuses(
  strict: readonly KeyPointCoverage[],
  loose: readonly KeyPointCoverage[],
  score: number,
  mayStepUp: boolean,
): KeyPointResult[] {
  const results = strict.map(({ result }) => ({ ...result }));
  // Each step must bring the shown credit closer to the score.
  const closer = (from: number, to: number) => Math.abs(to - score) < Math.abs(from - score);
  while (mayStepUp && derivedTally(results) < score - BELOW_SCORE) {
    let chosen = -1;
    results.forEach((result, index) => {
      const reachable = loose[index].result.status;
      if (STATUS_CREDIT[STEP_UP[result.status]] > STATUS_CREDIT[reachable] || result.status === 'covered') return;
      if (chosen < 0 || loose[index].coverage > loose[chosen].coverage) chosen = index;
    });
    if (chosen < 0) break;
    const result = results[chosen];
    const before = derivedTally(results);
    if (
      !closer(before, before + (STATUS_CREDIT[STEP_UP[result.status]] - STATUS_CREDIT[result.status]) / results.length)
    )
      break;
    results[chosen] = {
      ...result,
      status: STEP_UP[result.status],
      evidence: result.evidence ?? loose[chosen].result.evidence,
    };
  }
  while (derivedTally(results) > score + ABOVE_SCORE) {
    let chosen = -1;
    results.forEach((result, index) => {
      if (result.status === 'covered' && (chosen < 0 || strict[index].coverage < strict[chosen].coverage))
        chosen = index;
    });
    const before = derivedTally(results);
    if (chosen < 0 || !closer(before, before - 0.5 / results.length)) break;
    results[chosen] = { ...results[chosen], status: 'partial' };
  }
  return results;
}
