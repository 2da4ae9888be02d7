import { alignWords, coverage } from '../../similarity/alignment.js';
import type { SimilarityTable } from '../../similarity/similarity-table.js';
import type { AnalyzedText } from '../../similarity/analyzed-text.js';
import type { KeyPointCoverage } from './key-point-coverage.js';
import { letterTrigrams, trigramCoverage } from '../../text/trigrams.js';

export const FEATURE_NAMES = [
  'recall',
  'precision',
  'keyPointCoverage',
  'lengthRatio',
  'questionShare',
  'trigramRecall',
  'looseRecall',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
export type Features = Record<FeatureName, number>;

/**
 * The terms of the linear model, each 1 for the reference answer itself. Square roots because
 * graders give much of the credit for the first part of a point made (a half-covered reference
 * earns more than half the marks). Length is deliberately not a term: padding must not pay, and
 * penalising short answers also penalised strong answers written in other words. Precision and
 * key-point coverage were terms too; with question-level folds they lowered r on both data sets
 * (mohler-dev 0.577 → 0.569), so they stay features for the checks and the confidence only.
 * Recall enters in its loose reading (see TableSettings.loose): paraphrases sit at GloVe cosines
 * of 0.2–0.5, which the strict reading, made for quoting evidence, mostly ignores.
 */
export const MODEL_TERMS = {
  'sqrt(looseRecall)': (features: Features) => Math.sqrt(features.looseRecall),
  'sqrt(trigramRecall)': (features: Features) => Math.sqrt(features.trigramRecall),
  // Strict recall: the term of weights files written before the loose reading; still read, no longer fitted.
  'sqrt(recall)': (features: Features) => Math.sqrt(features.recall),
} as const satisfies Record<string, (features: Features) => number>;
export type ModelTerm = keyof typeof MODEL_TERMS;
/** Every term a weights file may name. */
export const MODEL_TERM_NAMES = Object.keys(MODEL_TERMS) as ModelTerm[];
/** The terms new fits use. */
export const FITTED_TERMS: readonly ModelTerm[] = ['sqrt(looseRecall)', 'sqrt(trigramRecall)'];

/** Key-point credit ramps from nothing at `partialAt`/2 to full at `coveredAt`. */
export function keyPointCredit(coverageValue: number, coveredAt: number, partialAt: number): number {
  const start = partialAt / 2;
  return Math.min(1, Math.max(0, (coverageValue - start) / (coveredAt - start)));
}

export interface FeatureInputs {
  answer: AnalyzedText;
  reference: AnalyzedText;
  /** Reference, key points and their alternatives together: what an answer may legitimately say. */
  expandedReference: AnalyzedText;
  keyPoints: readonly KeyPointCoverage[];
  /** Rows: the answer's words; columns: the reference side's. */
  table: SimilarityTable;
  settings: { coveredAt: number; partialAt: number };
  /** Letter trigrams of the reference's words that are not the question's. */
  referenceTrigrams: ReadonlySet<string>;
}

/** A word whose letter trigrams are at least this much the reference's is a form or typo of one of its words. */
const RESEMBLANCE = 0.5;

/**
 * Letter trigrams of the answer's words that resemble a reference word. Unrelated words are left
 * out: padding ("weekends", "keyboard") must not pick up stray trigrams ("end", "key") by chance.
 */
function resemblingTrigrams(answer: AnalyzedText, referenceTrigrams: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  for (const word of answer.words) {
    const trigrams = letterTrigrams([word.token]);
    if (trigramCoverage(trigrams, referenceTrigrams) >= RESEMBLANCE) for (const trigram of trigrams) found.add(trigram);
  }
  return found;
}

export function computeFeatures({
  answer,
  reference,
  expandedReference,
  keyPoints,
  table,
  settings,
  referenceTrigrams,
}: FeatureInputs): Features {
  const recall = coverage(reference.words, alignWords(reference.words, answer.words, table.columnToRow));
  const looseRecall = coverage(reference.words, alignWords(reference.words, answer.words, table.looseColumnToRow));
  const answerMatches = alignWords(answer.words, expandedReference.words, table.rowToColumn);
  const precision = coverage(answer.words, answerMatches);
  const totalKeyPointWeight = keyPoints.reduce((sum, keyPoint) => sum + keyPoint.weight, 0);
  const keyPointCoverage =
    totalKeyPointWeight === 0
      ? 0
      : keyPoints.reduce(
          (sum, keyPoint) =>
            sum + keyPoint.weight * keyPointCredit(keyPoint.coverage, settings.coveredAt, settings.partialAt),
          0,
        ) / totalKeyPointWeight;
  // Only words that say something the reference says count towards length: padding adds nothing.
  const answerWeight = answer.words.reduce(
    (sum, word, index) => sum + (word.fromQuestion ? 0 : word.weight * answerMatches[index].similarity),
    0,
  );
  const referenceWeight = reference.words.reduce((sum, word) => sum + (word.fromQuestion ? 0 : word.weight), 0);
  const questionWords = answer.words.filter((word) => word.fromQuestion).length;
  return {
    recall,
    precision,
    keyPointCoverage,
    // Log of how much relevant content the answer has relative to the reference, clipped.
    lengthRatio: Math.max(-2, Math.min(2, Math.log((answerWeight + 0.5) / (referenceWeight + 0.5)))),
    questionShare: answer.words.length === 0 ? 0 : questionWords / answer.words.length,
    trigramRecall: trigramCoverage(referenceTrigrams, resemblingTrigrams(answer, referenceTrigrams)),
    looseRecall,
  };
}

export function modelInputs(features: Features, terms: readonly ModelTerm[]): number[] {
  return terms.map((term) => MODEL_TERMS[term](features));
}

export interface LinearModel {
  terms: readonly ModelTerm[];
  coefficients: readonly number[];
  intercept: number;
}

export function predict(features: Features, model: LinearModel): number {
  const inputs = modelInputs(features, model.terms);
  const value = inputs.reduce((sum, input, index) => sum + input * model.coefficients[index], model.intercept);
  return Math.min(1, Math.max(0, value));
}
