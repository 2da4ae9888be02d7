import type { EvaluatedAnswer } from './evaluation-summary.js';

/** An error of this share of the scale or more is large: 1.5 points on 0–5, 0.3 on 0–1. */
export const DEFAULT_LARGE_ERROR_FRACTION = 0.3;
/** The low-confidence group aims at this share of the answers. */
export const LOW_CONFIDENCE_SHARE = 0.25;

export interface ReviewAnalysisOptions {
  /** The large-error threshold as a fraction of each answer's scale (default 0.3). */
  largeErrorFraction?: number;
}

export interface ErrorGroup {
  answers: number;
  largeErrors: number;
  /** largeErrors / answers, or null for an empty group. */
  largeErrorRate: number | null;
}

/** How well picking out some answers (flagged, or least confident) picks out the large errors. */
export interface DetectorComparison {
  selected: ErrorGroup;
  rest: ErrorGroup;
  /** selected rate / rest rate; null when either group is empty or the rest has no large error. */
  lift: number | null;
  /** Share of selected answers with a large error; null when none is selected. */
  precision: number | null;
  /** Share of large errors among the selected answers; null when there is no large error. */
  recall: number | null;
}

export interface LowConfidenceComparison extends DetectorComparison {
  /** The selected answers are those with confidence at or below this; null when there are no answers. */
  confidenceCutoff: number | null;
}

export interface ReviewAnalysis {
  answers: number;
  largeErrorFraction: number;
  /** The threshold in points, or null when the answers are on different scales (each uses its own). */
  largeErrorThreshold: number | null;
  largeErrors: number;
  needsReview: DetectorComparison;
  lowConfidence: LowConfidenceComparison;
}

export interface ReviewAnalysisByDataset {
  overall: ReviewAnalysis;
  byDataset: Record<string, ReviewAnalysis>;
}

/** Does needs_review (or low confidence) point at the answers the grader got badly wrong? */
export function reviewAnalysis(
  answers: readonly EvaluatedAnswer[],
  options: ReviewAnalysisOptions = {},
): ReviewAnalysisByDataset {
  const fraction = options.largeErrorFraction ?? DEFAULT_LARGE_ERROR_FRACTION;
  const byDataset: Record<string, ReviewAnalysis> = {};
  for (const dataset of new Set(answers.map((answer) => answer.dataset))) {
    byDataset[dataset] = analyseGroup(
      answers.filter((answer) => answer.dataset === dataset),
      fraction,
    );
  }
  return { overall: analyseGroup(answers, fraction), byDataset };
}

export function isLargeError(answer: EvaluatedAnswer, largeErrorFraction: number): boolean {
  // The small tolerance keeps an error of exactly the threshold large despite floating point.
  return Math.abs(answer.predicted - answer.human) >= largeErrorFraction * answer.maxScore - 1e-9;
}

function analyseGroup(answers: readonly EvaluatedAnswer[], fraction: number): ReviewAnalysis {
  const large = answers.map((answer) => isLargeError(answer, fraction));
  const scales = new Set(answers.map((answer) => answer.maxScore));
  const flagged = answers.map((answer) => answer.grade.flags.includes('needs_review'));
  const confidenceCutoff = lowConfidenceCutoff(answers.map((answer) => answer.grade.confidence));
  const leastConfident = answers.map(
    (answer) => confidenceCutoff !== null && answer.grade.confidence <= confidenceCutoff,
  );
  return {
    answers: answers.length,
    largeErrorFraction: fraction,
    largeErrorThreshold: scales.size === 1 ? fraction * [...scales][0] : null,
    largeErrors: large.filter(Boolean).length,
    needsReview: compareDetector(flagged, large),
    lowConfidence: { ...compareDetector(leastConfident, large), confidenceCutoff },
  };
}

/**
 * The confidence at or below which lie as near a quarter of the answers as ties allow (the
 * smaller group on a tie). Confidences repeat a lot, and a cutoff cannot split equal ones.
 */
export function lowConfidenceCutoff(confidences: readonly number[]): number | null {
  const sorted = [...confidences].sort((left, right) => left - right);
  const target = sorted.length * LOW_CONFIDENCE_SHARE;
  let best: { cutoff: number; distance: number } | null = null;
  for (let index = 0; index < sorted.length; index += 1) {
    if (index + 1 < sorted.length && sorted[index + 1] === sorted[index]) continue;
    const distance = Math.abs(index + 1 - target);
    if (best === null || distance < best.distance) best = { cutoff: sorted[index], distance };
  }
  return best?.cutoff ?? null;
}

export function compareDetector(selected: readonly boolean[], large: readonly boolean[]): DetectorComparison {
  const selectedGroup = errorGroup(
    selected.map((isSelected, index) => isSelected && large[index]).filter(Boolean).length,
    selected.filter(Boolean).length,
  );
  const restGroup = errorGroup(
    selected.map((isSelected, index) => !isSelected && large[index]).filter(Boolean).length,
    selected.filter((isSelected) => !isSelected).length,
  );
  const totalLarge = selectedGroup.largeErrors + restGroup.largeErrors;
  return {
    selected: selectedGroup,
    rest: restGroup,
    lift:
      selectedGroup.largeErrorRate !== null && restGroup.largeErrorRate
        ? selectedGroup.largeErrorRate / restGroup.largeErrorRate
        : null,
    precision: selectedGroup.largeErrorRate,
    recall: totalLarge === 0 ? null : selectedGroup.largeErrors / totalLarge,
  };
}

function errorGroup(largeErrors: number, answers: number): ErrorGroup {
  return { answers, largeErrors, largeErrorRate: answers === 0 ? null : largeErrors / answers };
}
