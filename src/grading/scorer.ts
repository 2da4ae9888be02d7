import type { Contrast, KeyPoint, Misconception, Rubric } from '../rubrics/rubric-schema.js';
import type { GradedExample } from '../examples/graded-example.js';
import type { Grade } from './grade-schema.js';
import type { PanelPrior } from './local-scorer/index.js';

/** Everything a scorer needs: the question, what a good answer says, and the answer. */
export interface ScoringInput {
  questionId: string | null;
  question: string;
  referenceAnswer: string;
  keyPoints: readonly KeyPoint[];
  /** Wrong claims not tied to one key point (those of a key point are in its `misconceptions`). */
  misconceptions?: readonly Misconception[];
  /** Alternatives the question sets against each other, as the rubric declares them. */
  contrasts?: readonly Contrast[];
  /** `rubric`: written and weighted by a person; `derived`: cut mechanically from the reference. */
  keyPointSource: 'rubric' | 'derived';
  maxScore: number;
  answer: string;
  /** How the reference was found; passed through to the grade. */
  reference: { questionId: string | null; similarity: number };
  /** Independent gradings to take the median of (LLM mode; the local scorer is deterministic). */
  samples?: number;
  /** Graded answers to the same question, nearest to this answer first; scorers use them as guidance. */
  examples?: readonly GradedExample[];
  /** What all the panel's graded examples (every question's) agree on; given with `examples`. */
  panel?: PanelPrior;
}

export type Scorer = {
  readonly mode: Grade['mode'];
  score(input: ScoringInput): Promise<Grade>;
};

/** What a scorer needs to grade `answer` against a bank rubric. */
export function scoringInputForRubric(
  rubric: Rubric,
  answer: string,
  similarity: number,
  maxScore = rubric.maxScore,
): ScoringInput {
  return {
    questionId: rubric.id,
    question: rubric.question,
    referenceAnswer: rubric.referenceAnswer,
    keyPoints: rubric.keyPoints,
    misconceptions: rubric.misconceptions,
    contrasts: rubric.contrasts,
    keyPointSource: 'rubric',
    maxScore,
    answer,
    reference: { questionId: rubric.id, similarity: Math.round(similarity * 1000) / 1000 },
  };
}
