import { z } from 'zod';
import { gradingModeSchema } from '../config/grading-mode.js';

/**
 * What a grade is asked with: an answer, and the question by bank id or by text (with a reference
 * answer for a question the bank does not have). The API's schema extends this one with its limits
 * and words (server/api-schemas.ts); batch rows and the CLI check their own surface and produce
 * this type.
 */
export const gradeRequestSchema = z.object({
  answer: z.string(),
  questionId: z.string().min(1).optional(),
  question: z.string().optional(),
  referenceAnswer: z.string().optional(),
  maxScore: z.number().positive().optional(),
  /** The scorer to use; the configured one when absent. */
  mode: gradingModeSchema.optional(),
  /** Gradings to take the median of (LLM mode). */
  samples: z.number().int().min(1).optional(),
});

export type GradeRequest = z.infer<typeof gradeRequestSchema>;

/** What is wrong with how a request names its question, as paths and words; empty when nothing is. */
export function questionProblems(
  request: Pick<GradeRequest, 'questionId' | 'question' | 'referenceAnswer'>,
): { path: 'questionId' | 'question'; message: string }[] {
  const problems: { path: 'questionId' | 'question'; message: string }[] = [];
  if (request.questionId === undefined && request.question === undefined) {
    problems.push({
      path: 'questionId',
      message: 'give questionId, or question (with referenceAnswer for an ad-hoc question)',
    });
  }
  if (request.referenceAnswer !== undefined && request.question === undefined) {
    problems.push({ path: 'question', message: 'referenceAnswer needs its question' });
  }
  return problems;
}
