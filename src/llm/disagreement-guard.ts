import { capGrade } from '../grading/cap-grade.js';
import type { Grade } from '../grading/grade-schema.js';

export type DisagreementGuardConfig = {
  /** 0–1 of the scale the LLM grade may exceed the local one by when its credit is poorly backed by quotes. */
  margin: number;
  localNormalizedScore: number;
  /** Share of credited key points whose quote did not hold (missing, invented, reused, not stating the point). */
  unsupportedShare: number;
};

const LOW_EVIDENCE_SHARE = 0.5;
/** A gap (0–1 of the scale) between the two scorers this large is capped there and asks for a person. */
export const DISAGREEMENT_LIMIT = 0.4;
/**
 * On an answer that addressed the grader, the model may add at most this much to the local
 * grade: what it was shown had the injection removed, but the answer tried to cheat, and the
 * local scorer reads the same text with the injection blanked.
 */
export const SUSPECT_MARGIN = 0.1;

function withReviewFlag(grade: Grade, note: string): Grade {
  return {
    ...grade,
    flags: grade.flags.includes('needs_review') ? grade.flags : [...grade.flags, 'needs_review'],
    rationale: `${grade.rationale} ${note}`,
  };
}

/**
 * A model can be talked into generosity; the local scorer cannot. An LLM grade above the local
 * one by more than its allowance is capped there and flagged needs_review, suspect or not: by
 * SUSPECT_MARGIN on an answer that speaks to the grader, by `margin` when most of its credit
 * is not backed by quotes stating the points, by DISAGREEMENT_LIMIT otherwise (paraphrases the
 * local scorer misses stay within it). A grade far below the local one is flagged, not changed.
 */
export function guardAgainstLocal(grade: Grade, config: DisagreementGuardConfig): Grade {
  const { localNormalizedScore } = config;
  const local = localNormalizedScore.toFixed(2);
  const suspect = grade.flags.includes('injection_suspected');
  const lowEvidence = config.unsupportedShare > LOW_EVIDENCE_SHARE;
  const margin = suspect
    ? Math.min(config.margin, SUSPECT_MARGIN)
    : lowEvidence
      ? config.margin
      : Math.max(config.margin, DISAGREEMENT_LIMIT);
  if (grade.normalizedScore > localNormalizedScore + margin + 1e-9) {
    const why = suspect
      ? 'the answer contains text addressed to the grader'
      : lowEvidence
        ? 'most of its credit is not backed by quotes stating the points'
        : "a gap this large needs a person's look";
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
    ? withReviewFlag(
        grade,
        `The ${grade.samples?.count ?? ''} gradings spread over ${spread.toFixed(2)} of the scale.`.replace('  ', ' '),
      )
    : grade;
}
