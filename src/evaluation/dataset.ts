import { readFileSync } from 'node:fs';
import { AnswerkeyError } from '../errors/answerkey-error.js';
import { datasetRowSchema, type DatasetRow } from '../examples/dataset-row.js';
import { checkedJsonLines } from '../text/json-lines.js';

export type { DatasetRow };

export function readDataset(path: string): DatasetRow[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AnswerkeyError('dataset_invalid', `cannot read ${path}`, {
      hint: 'check the path',
      details: { reason: 'dataset_unreadable' },
      cause: error,
    });
  }
  const rows: DatasetRow[] = [];
  for (const entry of checkedJsonLines(text, datasetRowSchema, 'row')) {
    if ('problem' in entry) {
      throw new AnswerkeyError('dataset_invalid', `${path}:${entry.lineNumber}: ${entry.problem}`, {
        hint: 'each line must be one JSON object with question_id, answer, score and max_score',
        details: { reason: 'dataset_row_invalid' },
      });
    }
    rows.push({ ...entry.value, lineNumber: entry.lineNumber });
  }
  if (rows.length < 2) {
    throw new AnswerkeyError(
      'dataset_invalid',
      `${path} has ${rows.length} graded row(s); agreement needs at least 2`,
      {
        hint: 'give a JSONL file of human-graded answers',
        details: { reason: 'dataset_too_small' },
      },
    );
  }
  return rows;
}
