/**
 * How graded examples of a question move the reference-based score of a new answer to it.
 *
 * Two things are learnt from the examples, both only from the examples (never from the answer
 * being graded):
 * - a per-question mapping of our score onto the grader's scale (score ≈ intercept + slope × ours),
 *   fitted by least squares and pulled towards the panel's mapping, so that a handful of examples
 *   cannot swing it far. The panel's mapping is the one all the panel's examples agree on, across
 *   questions, itself pulled towards "no change" (a two-level, empirical-Bayes shrinkage): a panel
 *   stricter or more generous than our scale on every question shows after a few examples of each;
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

/** Our 0–1 score onto a grader's: intercept + slope × ours. */
export interface ScoreMapping {
  intercept: number;
  slope: number;
}

/** What a mapping becomes with no evidence at all. */
export const NO_CHANGE: ScoreMapping = { intercept: 0, slope: 1 };

export interface ExampleGuidance {
  score: number;
  /** The per-question mapping fitted on the examples. */
  mapping: ScoreMapping;
  /** Each example's share of the final score, in the order given. */
  shares: number[];
}

const SIMILARITY_POWER = 4;
/** How many examples' worth of evidence "no change" counts as in a question's mapping, without a panel. */
const MAPPING_PRIOR_STRENGTH = 3;
/** How many examples' worth of evidence "no change" counts as in the panel's mapping. */
const PANEL_PRIOR_STRENGTH = 3;
/** Neighbour weight at which the neighbours' grades and the mapped score count equally. */
const NEIGHBOUR_HALF_WEIGHT = 0.5;

type ScorePair = { referenceScore: number; humanScore: number };

/** How hard a prior pulls: on the mapping's level at `centre`, and on its slope, in examples' worth. */
export interface PriorStrength {
  level: number;
  slope: number;
  /** The reference score at which the level is taken; 0 makes the level the intercept. */
  centre: number;
}

const strengthOf = (strength: number | PriorStrength): PriorStrength =>
  typeof strength === 'number' ? { level: strength, slope: strength, centre: 0 } : strength;

/**
 * Ridge least squares of human on reference score, shrunk towards the prior mapping (by default
 * "no change"): the mapping is read as a level at `centre` and a slope, each pulled by its strength.
 */
export function fitScoreMapping(
  pairs: readonly ScorePair[],
  strength: number | PriorStrength = MAPPING_PRIOR_STRENGTH,
  prior: ScoreMapping = NO_CHANGE,
): ScoreMapping {
  const { level, slope, centre } = strengthOf(strength);
  let sumD = 0,
    sumY = 0,
    sumDD = 0,
    sumDY = 0;
  for (const { referenceScore, humanScore: y } of pairs) {
    const d = referenceScore - centre;
    sumD += d;
    sumY += y;
    sumDD += d * d;
    sumDY += d * y;
  }
  const n = pairs.length;
  // Normal equations of [1, x − centre] with the strengths added to the diagonal and the prior's
  // level and slope, so weighted, on the right: the prior pulls to its line.
  const a11 = n + level,
    a12 = sumD,
    a22 = sumDD + slope;
  const b1 = sumY + level * (prior.intercept + prior.slope * centre),
    b2 = sumDY + slope * prior.slope;
  const determinant = a11 * a22 - a12 * a12;
  const fittedLevel = (b1 * a22 - a12 * b2) / determinant;
  const fittedSlope = (a11 * b2 - a12 * b1) / determinant;
  return { intercept: fittedLevel - fittedSlope * centre, slope: fittedSlope };
}

/** What the panel's examples say about every question's mapping: where it is pulled, and how hard. */
export interface PanelPrior {
  /** The mapping all the panel's examples agree on, every question's pooled. */
  mapping: ScoreMapping;
  strength: PriorStrength;
}

/** With no panel (or too little of one), a question's mapping is pulled towards "no change". */
export const NO_PANEL: PanelPrior = { mapping: NO_CHANGE, strength: strengthOf(MAPPING_PRIOR_STRENGTH) };

/** The strengths tried when the panel's examples choose how far questions follow it. */
const STRENGTH_CHOICES = [0.5, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233];
/** A panel is questions that each have at least this many examples (one held out, two to fit)… */
const MIN_EXAMPLES_PER_QUESTION = 3;
/** …and at least this many of them: fewer cannot tell the panel's leaning from one question's. */
const MIN_PANEL_QUESTIONS = 3;

/** The squared error of predicting each example from the other examples of its question. */
function leaveOneOutError(
  questions: readonly (readonly ScorePair[])[],
  strength: PriorStrength,
  prior: ScoreMapping,
): number {
  let error = 0;
  for (const pairs of questions) {
    pairs.forEach((heldOut, position) => {
      const fitted = fitScoreMapping(
        pairs.filter((_, other) => other !== position),
        strength,
        prior,
      );
      const predicted = Math.min(1, Math.max(0, fitted.intercept + fitted.slope * heldOut.referenceScore));
      error += (predicted - heldOut.humanScore) ** 2;
    });
  }
  return error;
}

/**
 * The panel prior from each question's examples (each pair: what the scorer gives the example from
 * its own question's reference, and the grade the panel gave it): the second level of a two-level
 * (empirical-Bayes) shrinkage. Its mapping is fitted on all of them pooled, pulled towards "no
 * change"; how hard it pulls a question's level and slope is what best predicts each example from
 * the other examples of its question (leave one out), so a panel whose questions all lean the same
 * way is followed closely, and one whose questions differ lets each question's examples speak.
 */
export function fitPanelPrior(questions: readonly (readonly ScorePair[])[]): PanelPrior {
  const usable = questions.filter((pairs) => pairs.length >= MIN_EXAMPLES_PER_QUESTION);
  if (usable.length < MIN_PANEL_QUESTIONS) return NO_PANEL;
  const pooled = usable.flat();
  const centre = pooled.reduce((sum, pair) => sum + pair.referenceScore, 0) / pooled.length;
  const mapping = fitScoreMapping(
    pooled,
    { level: PANEL_PRIOR_STRENGTH, slope: PANEL_PRIOR_STRENGTH, centre },
    NO_CHANGE,
  );
  let best = { strength: NO_PANEL.strength, error: Infinity };
  for (const level of STRENGTH_CHOICES) {
    for (const slope of STRENGTH_CHOICES) {
      const strength = { level, slope, centre };
      const error = leaveOneOutError(usable, strength, mapping);
      if (error < best.error) best = { strength, error };
    }
  }
  return { mapping, strength: best.strength };
}

export function guideByExamples(
  referenceScore: number,
  examples: readonly ExampleEvidence[],
  panel: PanelPrior = NO_PANEL,
): ExampleGuidance {
  const mapping = fitScoreMapping(examples, panel.strength, panel.mapping);
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
