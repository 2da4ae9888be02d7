import type { Grade } from '../grading/grade-schema.js';
import type { RubricTest } from '../rubrics/rubric-schema.js';

/**
 * The score range, as shares of the scale, that a test answer of each kind must land in when its
 * rubric gives none: what a careful interviewer would give such an answer.
 */
export const DEFAULT_RANGES: Record<RubricTest['kind'], readonly [number, number]> = {
  strong: [0.8, 1],
  paraphrase: [0.6, 1],
  partial: [0.2, 0.75],
  weak: [0, 0.45],
  wrong: [0, 0.4],
};

/** A key-point expectation: a status, or `made` (covered or partial) / `not-covered` (partial or missing). */
function statusMatches(expected: string, actual: Grade['keyPoints'][number]['status']): boolean {
  if (expected === 'made') return actual !== 'missing';
  if (expected === 'not-covered') return actual !== 'covered';
  return expected === actual;
}

/** Each way the grade misses what the test expects, in words; empty when it passes. */
export function unmetExpectations(test: RubricTest, grade: Grade): string[] {
  const problems: string[] = [];
  const [low, high] = test.expect.score ?? DEFAULT_RANGES[test.kind].map((share) => share * grade.maxScore);
  // Scores are shown to one decimal: a grade that rounds into the range is in it.
  const shown = Math.round(grade.score * 10) / 10;
  if (shown < low || shown > high) problems.push(`score ${shown} is outside ${low}–${high}`);
  for (const [id, expected] of Object.entries(test.expect.keyPoints ?? {})) {
    const keyPoint = grade.keyPoints.find((candidate) => candidate.id === id);
    if (keyPoint && !statusMatches(expected, keyPoint.status))
      problems.push(`key point ${id} is ${keyPoint.status}, expected ${expected}`);
  }
  const found = new Set(grade.misconceptions.map((claim) => claim.id));
  for (const id of test.expect.misconceptions ?? [])
    if (!found.has(id)) problems.push(`misconception ${id} was not found`);
  for (const flag of test.expect.flags ?? [])
    if (!grade.flags.includes(flag as Grade['flags'][number])) problems.push(`flag ${flag} is missing`);
  return problems;
}
