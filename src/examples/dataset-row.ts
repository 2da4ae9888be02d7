import { z } from 'zod';

/** One human-graded answer, in the format of the shared data sets (one JSON object per line). */
export const datasetRowSchema = z
  .object({
    dataset: z.string().default('dataset'),
    question_id: z.union([z.string(), z.number()]).transform(String),
    question: z.string().optional(),
    reference_answer: z.string().optional(),
    answer_id: z.union([z.string(), z.number()]).transform(String).optional(),
    answer: z.string(),
    score: z.number(),
    max_score: z.number().positive(),
  })
  .loose()
  .refine((row) => row.reference_answer === undefined || row.question !== undefined, {
    message: 'a row with a reference_answer needs its question',
    path: ['question'],
  })
  .superRefine((row, context) => {
    // Worded as the graded examples' own check, since `examples add --file` reads this format too.
    if (row.score < 0) context.addIssue({ code: 'custom', path: ['score'], message: 'must be 0 or more' });
    if (row.score > row.max_score) context.addIssue({ code: 'custom', path: ['score'], message: `${row.score} is above the maximum ${row.max_score}` });
  });

/** A row as read from a file, with its line number there (absent for rows made in code). */
export type DatasetRow = z.infer<typeof datasetRowSchema> & { lineNumber?: number };
