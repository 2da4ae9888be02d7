import { z } from 'zod';

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
  addedAt: z.string().optional(),
});

export type GradedExample = z.infer<typeof gradedExampleSchema>;
