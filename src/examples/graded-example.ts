import { z } from 'zod';

export const KEY_POINT_STATUSES = ['covered', 'partial', 'missing'] as const;

/** A key point's status as the interviewer judged it (a review keeps them with the example). */
export const keyPointVerdictSchema = z.object({ id: z.string().min(1).max(200), status: z.enum(KEY_POINT_STATUSES) });

/** One answer an interviewer (or a data set) has graded, kept to guide later grading of the same question. */
export const gradedExampleSchema = z.object({
  id: z.string().min(1),
  questionId: z.string().min(1),
  answer: z.string().min(1),
  /** On the 0 … maxScore scale of the grade it came with. */
  score: z.number().min(0),
  maxScore: z.number().positive(),
  /** The grader's comment, shown to the LLM as the reason for the grade. */
  note: z.string().optional(),
  /** Key-point statuses as the interviewer judged them, when the example came from a review. */
  keyPoints: z.array(keyPointVerdictSchema).optional(),
  addedAt: z.string().optional(),
});

export type GradedExample = z.infer<typeof gradedExampleSchema>;
