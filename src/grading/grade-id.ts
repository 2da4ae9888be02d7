import { sha256 } from '../text/sha256.js';
import type { ScoringInput } from './scorer.js';

/**
 * A grade's id, derived from what was graded: the bank question (or, for an inline question, its
 * text and reference), the scale and the answer. The same answer to the same question gets the same
 * id whenever it is graded, so a review can name the grade it is about, and the server can check
 * that a review's answer is the graded one, without keeping any grade.
 */
export function gradeIdOf(
  input: Pick<ScoringInput, 'questionId' | 'question' | 'referenceAnswer' | 'maxScore' | 'answer'>,
): string {
  const question =
    input.questionId !== null ? ['bank', input.questionId] : ['inline', input.question, input.referenceAnswer];
  return `g-${sha256(JSON.stringify([...question, input.maxScore, input.answer])).slice(0, 16)}`;
}
