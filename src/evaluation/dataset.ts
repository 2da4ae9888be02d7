import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AnswerkeyError } from '../errors/answerkey-error.js';
import { checkedJsonLines } from '../text/json-lines.js';

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

export function readDataset(path: string): DatasetRow[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AnswerkeyError('dataset_invalid', `cannot read ${path}`, { hint: 'check the path given with --dataset', cause: error });
  }
  const rows: DatasetRow[] = [];
  for (const entry of checkedJsonLines(text, datasetRowSchema, 'row')) {
    if ('problem' in entry) {
      throw new AnswerkeyError('dataset_invalid', `${path}:${entry.lineNumber}: ${entry.problem}`, {
        hint: 'each line must be one JSON object with question_id, answer, score and max_score (see `answerkey eval --help`)',
      });
    }
    rows.push({ ...entry.value, lineNumber: entry.lineNumber });
  }
  if (rows.length < 2) {
    throw new AnswerkeyError('dataset_invalid', `${path} has ${rows.length} graded row(s); agreement needs at least 2`, {
      hint: 'point --dataset at a JSONL file of human-graded answers',
    });
  }
  return rows;
}
