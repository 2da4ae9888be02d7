/**
 * How graded examples of a question move the reference-based score of a new answer to it.
 *
 * Two things are learnt from the examples, both only from the examples (never from the answer
 * being graded):
 * - a per-question mapping of our score onto the grader's scale (score ≈ intercept + slope × ours),
 *   fitted by least squares and pulled towards "no change" so that a handful of examples cannot
 *   swing it far;
 * - the grades of the examples most like this answer (nearest neighbours, weighted by the 4th
 *   power of their similarity, so one close paraphrase outweighs several loose ones).
 * The nearer the neighbours, the more their grades count against the mapped score.
 *
 * The constants were chosen on the development data sets with 10 examples per question
 * (bench/… and `answerkey eval --shots 10`); see the README's "Measured" section.
 */
export interface ExampleEvidence {
  id: string;
  /** The grade a person gave the example, 0–1. */
  humanScore: number;
  /** What the scorer gives the example from the reference alone, 0–1. */
  referenceScore: number;
  /** How alike the example and the answer being graded are, 0–1. */
  similarity: number;
}

export interface ExampleGuidance {
  score: number;
  /** The per-question mapping fitted on the examples. */
  mapping: { intercept: number; slope: number };
  /** Each example's share of the final score, in the order given. */
  shares: number[];
}

const SIMILARITY_POWER = 4;
/** How many examples' worth of evidence the "no change" mapping counts as. */
const MAPPING_PRIOR_STRENGTH = 3;
/** Neighbour weight at which the neighbours' grades and the mapped score count equally. */
const NEIGHBOUR_HALF_WEIGHT = 0.5;

/** Ridge least squares of human on reference score, shrunk towards intercept 0, slope 1. */
export function fitScoreMapping(pairs: readonly { referenceScore: number; humanScore: number }[], priorStrength = MAPPING_PRIOR_STRENGTH) {
  let sumX = 0, sumY = 0, sumXX = 0, sumXY = 0;
  for (const { referenceScore: x, humanScore: y } of pairs) {
    sumX += x;
    sumY += y;
    sumXX += x * x;
    sumXY += x * y;
  }
  const n = pairs.length;
  // Normal equations of [1, x] with λ·I added and λ·(0, 1) on the right: the prior pulls to y = x.
  const a11 = n + priorStrength, a12 = sumX, a22 = sumXX + priorStrength;
  const b1 = sumY, b2 = sumXY + priorStrength;
  const determinant = a11 * a22 - a12 * a12;
  return { intercept: (b1 * a22 - a12 * b2) / determinant, slope: (a11 * b2 - a12 * b1) / determinant };
}

export function guideByExamples(referenceScore: number, examples: readonly ExampleEvidence[]): ExampleGuidance {
  const mapping = fitScoreMapping(examples);
  const mapped = Math.min(1, Math.max(0, mapping.intercept + mapping.slope * referenceScore));
  const weights = examples.map((example) => Math.max(0, example.similarity) ** SIMILARITY_POWER);
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
  if (totalWeight === 0) return { score: mapped, mapping, shares: examples.map(() => 0) };
  const neighbours = weights.reduce((sum, weight, index) => sum + weight * examples[index].humanScore, 0) / totalWeight;
  const neighbourShare = totalWeight / (totalWeight + NEIGHBOUR_HALF_WEIGHT);
  return {
    score: (1 - neighbourShare) * mapped + neighbourShare * neighbours,
    mapping,
    shares: weights.map((weight) => (neighbourShare * weight) / totalWeight),
  };
}
