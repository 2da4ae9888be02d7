import type { GradeFlag } from '../../grading/grade-schema.js';
import type { ResultRow } from '../result-row.js';

/** Below this the grader itself is unsure of the score. */
export const LOW_CONFIDENCE = 0.5;
/** A question given as text that matched its bank entry this loosely may be the wrong entry. */
export const LOOSE_MATCH = 0.6;

/**
 * Flags that mean a person should read the answer: the score was capped or the grader was
 * unsure. `empty` and `too_short` are not among them: the score is right, the answer is short.
 */
const FLAG_REASONS: Partial<Record<GradeFlag, string>> = {
  injection_suspected: 'text addressed to the grader (suspected prompt injection)',
  off_topic: 'reads as an answer to another question',
  parroting: 'mostly restates the question',
  keyword_list: 'keywords without sentences',
  llm_unavailable: 'graded offline because the LLM was unavailable',
  copies_reference: "mostly the reference answer's own text (a leaked answer key?)",
  contradicts_reference: 'states wrong claims (listed with their quotes)',
};

/** Why an answer needs a human, in words; empty when it does not. */
export function reviewReasons(row: ResultRow): string[] {
  const reasons = row.flags.flatMap((flag) => FLAG_REASONS[flag] ?? []);
  if (row.confidence < LOW_CONFIDENCE) reasons.push(`low confidence (${row.confidence.toFixed(2)})`);
  if (row.reference.similarity < LOOSE_MATCH)
    reasons.push(`question matched its bank entry loosely (${row.reference.similarity.toFixed(2)})`);
  if (row.similarTo && row.similarTo.length > 0) {
    reasons.push(
      `shares most of its text with ${row.similarTo.map((other) => `${other.candidateId}'s answer (${Math.round(other.share * 100)}%)`).join(', ')}`,
    );
    // Similar answers should get similar grades: a gap over a third of the scale is listed for review.
    const differing = row.similarTo.filter((other) => Math.abs(other.score - row.score) > row.maxScore / 3);
    if (differing.length > 0)
      reasons.push(
        `graded ${differing.map((other) => `${formatGap(row.score - other.score)} against ${other.candidateId}'s similar answer`).join(', ')}`,
      );
  }
  if (reasons.length === 0 && row.flags.includes('needs_review')) reasons.push('the grader asks for a second look');
  return reasons;
}

function formatGap(gap: number): string {
  return `${gap > 0 ? '+' : '−'}${Math.abs(gap).toFixed(1)}`;
}
