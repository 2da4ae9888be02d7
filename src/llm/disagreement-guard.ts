import { capGrade } from '../grading/cap-grade.js';
import type { Grade } from '../grading/grade-schema.js';

export type DisagreementGuardConfig = {
  /** 0–1 of the scale the LLM grade may exceed the local one by on a suspect answer. */
  margin: number;
  localNormalizedScore: number;
  /** Share of credited key points with no quote found in the answer. */
  unsupportedShare: number;
};

const LOW_EVIDENCE_SHARE = 0.5;
/** A gap (0–1 of the scale) between the two scorers this large asks for a person either way. */
const DISAGREEMENT_LIMIT = 0.4;

function withReviewFlag(grade: Grade, note: string): Grade {
  return {
    ...grade,
    flags: grade.flags.includes('needs_review') ? grade.flags : [...grade.flags, 'needs_review'],
    rationale: `${grade.rationale} ${note}`,
  };
}

/**
 * A model can be talked into generosity; the local scorer cannot. When the LLM grade is far
 * above the local one on an answer that speaks to the grader or whose credit is not backed by
 * quotes, it is capped to local + margin; any other large gap is left as is, for a person to check.
 */
export function guardAgainstLocal(grade: Grade, config: DisagreementGuardConfig): Grade {
  const { margin, localNormalizedScore } = config;
  const local = localNormalizedScore.toFixed(2);
  const suspect = grade.flags.includes('injection_suspected');
  const lowEvidence = config.unsupportedShare > LOW_EVIDENCE_SHARE;
  if (grade.normalizedScore > localNormalizedScore + margin && (suspect || lowEvidence)) {
    const why = suspect ? 'the answer contains text addressed to the grader' : 'most of its credit is not backed by quotes from the answer';
    const cap = Math.round((localNormalizedScore + margin) * 1000) / 1000;
    const reason = `Capped at the local scorer's ${local} + ${margin} of the scale because ${why}; the model's notes follow.`;
    // The reason comes first: the model's notes may repeat what the answer told it to say.
    return { ...capGrade(grade, cap, 'needs_review', ''), rationale: `${reason} ${grade.rationale}` };
  }
  if (Math.abs(grade.normalizedScore - localNormalizedScore) > DISAGREEMENT_LIMIT) {
    return withReviewFlag(grade, `The local scorer gave ${local}; a gap this large needs a person's look.`);
  }
  return grade;
}

/** Samples that disagree this much (0–1 of the scale) make the median uncertain. */
export const SAMPLE_SPREAD_LIMIT = 0.2;

export function flagSpread(grade: Grade, spread: number): Grade {
  return spread > SAMPLE_SPREAD_LIMIT
    ? withReviewFlag(grade, `The ${grade.samples?.count ?? ''} gradings spread over ${spread.toFixed(2)} of the scale.`.replace('  ', ' '))
    : grade;
}
