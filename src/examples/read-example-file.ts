import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AnswerkeyError } from '../errors/answerkey-error.js';
import { datasetRowSchema } from './dataset-row.js';
import { checkedJsonLines } from '../text/json-lines.js';
import type { SourcedDraft } from './example-store.js';

/** A row of the data sets' format (question_id, answer, score, max_score) with the grader's optional note. */
const exampleRowSchema = z.intersection(datasetRowSchema, z.object({ note: z.string().optional() }));

/** The rows of a graded JSONL file as drafts named by file and line, and the rows that are not usable, the same way. */
export function readExampleFile(path: string): { drafts: SourcedDraft[]; problems: string[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AnswerkeyError('invalid_input', `cannot read ${path}`, {
      hint: 'check the path',
      details: { reason: 'example_file_unreadable' },
      cause: error,
    });
  }
  const drafts: SourcedDraft[] = [];
  const problems: string[] = [];
  for (const entry of checkedJsonLines(text, exampleRowSchema, 'row')) {
    const source = `${path}:${entry.lineNumber}`;
    if ('problem' in entry) {
      problems.push(`${source}: ${entry.problem}`);
      continue;
    }
    const row = entry.value;
    drafts.push({ questionId: row.question_id, answer: row.answer, score: row.score, maxScore: row.max_score, note: row.note, source });
  }
  return { drafts, problems };
}
