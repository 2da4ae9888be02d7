import { cosine } from '../../embeddings/word-vectors.js';
import { alignWords, coverage, type AlignmentSettings } from './alignment.js';
import type { AnalyzedText } from './analyzed-text.js';
import type { KeyPointCoverage } from './key-point-coverage.js';

export const FEATURE_NAMES = [
  'recall',
  'precision',
  'embeddingSimilarity',
  'keyPointCoverage',
  'lengthRatio',
  'questionShare',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
export type Features = Record<FeatureName, number>;

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
  settings: AlignmentSettings & { coveredAt: number; partialAt: number };
}

export function computeFeatures({ answer, reference, expandedReference, keyPoints, settings }: FeatureInputs): Features {
  const recall = coverage(reference.words, alignWords(reference.words, answer.words, settings));
  const precision = coverage(answer.words, alignWords(answer.words, expandedReference.words, settings));
  const totalKeyPointWeight = keyPoints.reduce((sum, keyPoint) => sum + keyPoint.weight, 0);
  const keyPointCoverage =
    totalKeyPointWeight === 0
      ? 0
      : keyPoints.reduce((sum, keyPoint) => sum + keyPoint.weight * keyPointCredit(keyPoint.coverage, settings.coveredAt, settings.partialAt), 0) /
        totalKeyPointWeight;
  const answerWeight = answer.words.reduce((sum, word) => sum + (word.fromQuestion ? 0 : word.weight), 0);
  const referenceWeight = reference.words.reduce((sum, word) => sum + (word.fromQuestion ? 0 : word.weight), 0);
  const questionWords = answer.words.filter((word) => word.fromQuestion).length;
  return {
    recall,
    precision,
    embeddingSimilarity: answer.words.length === 0 ? 0 : Math.max(0, cosine(answer.embedding, reference.embedding)),
    keyPointCoverage,
    // Log of how much the answer says relative to the reference, clipped: short answers rarely cover enough.
    lengthRatio: Math.max(-2, Math.min(2, Math.log((answerWeight + 0.5) / (referenceWeight + 0.5)))),
    questionShare: answer.words.length === 0 ? 0 : questionWords / answer.words.length,
  };
}

export function predict(features: Features, weights: { features: readonly FeatureName[]; coefficients: readonly number[]; intercept: number }): number {
  let value = weights.intercept;
  weights.features.forEach((name, index) => {
    value += weights.coefficients[index] * features[name];
  });
  return Math.min(1, Math.max(0, value));
}
