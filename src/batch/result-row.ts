import { z } from 'zod';
import { gradeSchema } from '../grading/grade-schema.js';
import type { Grade } from '../grading/grade-schema.js';
import type { BatchAnswer } from './batch-answer.js';
import { gradedWithSchema, type GradedWith } from './grading-fingerprint.js';

/** One line of results.jsonl: the shared grade, plus whose answer it was and the key that marks it done. */
export const resultRowSchema = z.object({
  candidateId: z.string().min(1),
  questionKey: z.string().min(1),
  answerSha256: z.string().regex(/^[0-9a-f]{64}$/),
  ...gradeSchema.shape,
  source: z.string(),
  /** The question's text when it was given as text (ad-hoc, or matched against the bank). */
  question: z.string().optional(),
  answer: z.string(),
  gradedAt: z.string(),
  /** Absent in results written before it was recorded. */
  gradedWith: gradedWithSchema.optional(),
  /** Other candidates' answers to the question that share most of this one's text (see similar.csv). */
  similarTo: z.array(z.object({ candidateId: z.string(), share: z.number(), score: z.number() })).optional(),
  /** Set in the summary, never stored here: a reviewer's score (overrides.jsonl) replaced the grader's. */
  reviewed: z.object({ graderScore: z.number(), note: z.string().optional(), reviewedAt: z.string() }).optional(),
});

export type ResultRow = z.infer<typeof resultRowSchema>;

/** Results group by the bank question when there is one, so "q4" by id and by text share a column. */
export function questionColumnKey(row: Pick<ResultRow, 'questionId' | 'questionKey'>): string {
  return row.questionId ?? row.questionKey;
}

/** What a rerun needs to know of a stored grade. */
export type StoredGrade = Pick<ResultRow, 'mode' | 'questionId' | 'gradedWith'>;

/** An answer's grade as a line of results.jsonl: a local batch's as it is graded, a queued run's as its report reads it back. */
export function resultRow(answer: BatchAnswer, grade: Grade, gradedAt: Date, gradedWith: GradedWith): ResultRow {
  return {
    candidateId: answer.candidateId,
    questionKey: answer.questionKey,
    answerSha256: answer.answerSha256,
    ...grade,
    source: answer.source,
    ...(answer.questionRef.question === undefined ? {} : { question: answer.questionRef.question }),
    answer: answer.answer,
    gradedAt: gradedAt.toISOString(),
    gradedWith,
  };
}
