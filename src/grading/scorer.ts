import type { KeyPoint } from '../rubrics/rubric-schema.js';
import type { Grade } from './grade-schema.js';

/** Everything a scorer needs: the question, what a good answer says, and the answer. */
export interface ScoringInput {
  questionId: string | null;
  question: string;
  referenceAnswer: string;
  keyPoints: readonly KeyPoint[];
  /** `rubric`: written and weighted by a person; `derived`: cut mechanically from the reference. */
  keyPointSource: 'rubric' | 'derived';
  maxScore: number;
  answer: string;
  /** How the reference was found; passed through to the grade. */
  reference: { questionId: string | null; similarity: number };
}

export type Scorer = {
  readonly mode: Grade['mode'];
  score(input: ScoringInput): Promise<Grade>;
};
