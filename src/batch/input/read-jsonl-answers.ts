import { basename } from 'node:path';
import type { QuestionBank } from '../../rubrics/question-bank.js';
import { answerFromRow, normalizeColumnName } from './answer-row-schema.js';
import { excerptOf } from '../batch-answer.js';
import { readInputText, type InputRead } from './read-input-text.js';
import { jsonLines } from '../../text/json-lines.js';

/** One JSON object per line, with the CSV's field names; a broken line is reported and skipped. */
export function readJsonlAnswers(path: string, bank: QuestionBank): InputRead {
  const name = basename(path);
  const read: InputRead = { answers: [], problems: [] };
  for (const entry of jsonLines(readInputText(path))) {
    const source = `${name}:${entry.lineNumber}`;
    if (!entry.valid) {
      read.problems.push({ kind: 'malformed_row', source, reason: 'not valid JSON', excerpt: excerptOf(entry.line) });
      continue;
    }
    const { data } = entry;
    const fields =
      typeof data === 'object' && data !== null && !Array.isArray(data)
        ? Object.fromEntries(Object.entries(data).map(([key, value]) => [normalizeColumnName(key), value]))
        : data;
    const outcome = answerFromRow(fields, source, bank);
    if ('answer' in outcome) read.answers.push(outcome.answer);
    else read.problems.push(outcome.problem);
  }
  return read;
}
