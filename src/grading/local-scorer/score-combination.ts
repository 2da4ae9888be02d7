import { predict, type LinearModel } from './features.js';
import type { KeyPointCoverage } from './key-point-coverage.js';
import { CONTRADICTION_CAP, contradicts } from './contradiction.js';
import type { WrongClaim } from './wrong-claims.js';
import type { LocalAssessment } from './local-assessment.js';

/**
 * The final 0–1 score from the holistic model's output and the key-point tally. The holistic
 * model reads words without their negation, so an answer denying most of what it shares with the
 * reference keeps at most CONTRADICTION_CAP of it.
 */
export function combineScore(
  holistic: number,
  assessment: Pick<
    LocalAssessment,
    'cap' | 'tally' | 'keyPointSource' | 'contradiction' | 'wrongClaims' | 'contradictedShare'
  >,
): number {
  let read = contradicts(assessment.contradiction) ? Math.min(holistic, CONTRADICTION_CAP) : holistic;
  // The holistic match reads words whatever they claim: an answer keeps of it only the share of
  // the key points it does not contradict (a claim tied to no point counts as one point).
  read *= 1 - assessment.contradictedShare;
  const blended =
    assessment.keyPointSource === 'rubric' ? RUBRIC_SHARE * assessment.tally + (1 - RUBRIC_SHARE) * read : read;
  const penalty = assessment.wrongClaims.reduce((sum, claim) => sum + claim.penalty, 0);
  return Math.max(0, Math.min(blended, assessment.cap) - penalty);
}

/**
 * An assessment's 0–1 score under other weights of the holistic model: what evaluation and
 * calibration refit, so that they measure the step production runs (no per-question mapping).
 */
export function scoreUnderWeights(assessment: LocalAssessment, weights: LinearModel): number {
  return combineScore(predict(assessment.features, weights), assessment);
}

/**
 * With a rubric a person wrote, most of the grade is the weighted tally of key points as shown
 * (covered 1, partial ½), so the score reads off the list an interviewer sees; the rest is the
 * holistic model fitted to human grades. The holistic match rewards the reference's own words,
 * which a correct answer in other words lacks, while key points accept every listed wording: at
 * half each, correct paraphrases of the bank's rubric tests averaged 3.1 / 5. Derived key points
 * only describe the answer (the data sets' questions have no rubric: this share never applies).
 */
export const RUBRIC_SHARE = 0.7;
const STATUS_CREDIT = { covered: 1, partial: 0.5, missing: 0 } as const;

export function keyPointTally(keyPoints: readonly KeyPointCoverage[]): number {
  const total = keyPoints.reduce((sum, keyPoint) => sum + keyPoint.weight, 0);
  return total === 0
    ? 0
    : keyPoints.reduce((sum, keyPoint) => sum + keyPoint.weight * STATUS_CREDIT[keyPoint.result.status], 0) / total;
}

export function shareContradicted(keyPoints: readonly KeyPointCoverage[], claims: readonly WrongClaim[]): number {
  const total = keyPoints.reduce((sum, keyPoint) => sum + keyPoint.weight, 0);
  if (total === 0 || claims.length === 0) return 0;
  const average = total / keyPoints.length;
  const pointIds = new Set(claims.map((claim) => claim.keyPointId).filter((id) => id !== null));
  const unattached = claims.filter((claim) => claim.keyPointId === null).length;
  const contradicted =
    keyPoints
      .filter((keyPoint) => pointIds.has(keyPoint.result.id))
      .reduce((sum, keyPoint) => sum + keyPoint.weight, 0) +
    unattached * average;
  return Math.min(1, contradicted / total);
}
