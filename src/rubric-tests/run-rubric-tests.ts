import type { Grade } from '../grading/grade-schema.js';
import { RUBRIC_TEST_KINDS, type Rubric, type RubricTest } from '../rubrics/rubric-schema.js';
import { unmetExpectations } from './test-expectations.js';

export type ScoreAnswer = (rubric: Rubric, answer: string) => Promise<Grade>;

export interface RubricTestResult {
  questionId: string;
  testId: string;
  kind: RubricTest['kind'];
  score: number;
  maxScore: number;
  /** Empty when the test passed. */
  problems: string[];
}

export interface KindSummary {
  kind: RubricTest['kind'];
  count: number;
  /** Mean score on a 0–5 scale, so that questions of other scales compare. */
  meanOutOfFive: number;
  highestOutOfFive: number;
  lowestOutOfFive: number;
}

export interface RubricTestReport {
  results: RubricTestResult[];
  failed: number;
  byKind: KindSummary[];
  /** Spearman's rank correlation of the scores with the kinds' order (strong 4 … wrong 0). */
  rankCorrelation: number | null;
}

const KIND_RANK: Record<RubricTest['kind'], number> = { strong: 4, paraphrase: 3, partial: 2, weak: 1, wrong: 0 };

function ranks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((left, right) => left.value - right.value);
  const result = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && order[end + 1].value === order[start].value) end += 1;
    for (let position = start; position <= end; position += 1) result[order[position].index] = (start + end) / 2;
    start = end + 1;
  }
  return result;
}

/** Spearman's ρ: Pearson's r of the ranks, ties sharing their mean rank. */
export function spearman(left: readonly number[], right: readonly number[]): number | null {
  if (left.length < 3) return null;
  const [a, b] = [ranks(left), ranks(right)];
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const [meanA, meanB] = [mean(a), mean(b)];
  let covariance = 0;
  let varianceA = 0;
  let varianceB = 0;
  a.forEach((value, index) => {
    covariance += (value - meanA) * (b[index] - meanB);
    varianceA += (value - meanA) ** 2;
    varianceB += (b[index] - meanB) ** 2;
  });
  return varianceA === 0 || varianceB === 0 ? null : covariance / Math.sqrt(varianceA * varianceB);
}

/** Grades every test answer of the rubrics given, one at a time (the local scorer is synchronous anyway). */
export async function runRubricTests(rubrics: readonly Rubric[], scoreAnswer: ScoreAnswer): Promise<RubricTestReport> {
  const results: RubricTestResult[] = [];
  for (const rubric of rubrics) {
    for (const test of rubric.tests) {
      const grade = await scoreAnswer(rubric, test.answer);
      results.push({
        questionId: rubric.id,
        testId: test.id,
        kind: test.kind,
        score: grade.score,
        maxScore: grade.maxScore,
        problems: unmetExpectations(test, grade),
      });
    }
  }
  const outOfFive = (result: RubricTestResult) => (5 * result.score) / result.maxScore;
  const byKind = RUBRIC_TEST_KINDS.map((kind) => {
    const scores = results.filter((result) => result.kind === kind).map(outOfFive);
    return {
      kind,
      count: scores.length,
      meanOutOfFive: scores.length === 0 ? 0 : scores.reduce((sum, score) => sum + score, 0) / scores.length,
      highestOutOfFive: scores.length === 0 ? 0 : Math.max(...scores),
      lowestOutOfFive: scores.length === 0 ? 0 : Math.min(...scores),
    };
  }).filter((summary) => summary.count > 0);
  return {
    results,
    failed: results.filter((result) => result.problems.length > 0).length,
    byKind,
    rankCorrelation: spearman(
      results.map(outOfFive),
      results.map((result) => KIND_RANK[result.kind]),
    ),
  };
}
