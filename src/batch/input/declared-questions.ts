import { existsSync, statSync } from 'node:fs';
import { AnswerkeyError } from '../../errors/answerkey-error.js';
import type { QuestionBank } from '../../rubrics/question-bank.js';
import { knownIds } from './answer-row-schema.js';
import { readInputText } from './read-input-text.js';

const HINT = 'give bank ids separated by commas (--questions q1,q5,q9), or a file of them, one per line';

/**
 * The questions every candidate was set, from `--questions`: bank ids separated by commas or
 * spaces, or the path of a file holding them (one per line, or a CSV with a question_id column).
 */
export function parseDeclaredQuestions(value: string, bank: QuestionBank): string[] {
  const isFile = existsSync(value) && statSync(value).isFile();
  const text = isFile ? readInputText(value, 1024 * 1024) : value;
  const ids = text
    .split(/[\s,;]+/)
    .map((id) => id.trim().toLowerCase())
    .filter((id) => id !== '' && id !== 'question_id' && id !== 'questions');
  if (ids.length === 0)
    throw new AnswerkeyError('invalid_input', `--questions names no question${isFile ? ` (${value} is empty)` : ''}`, {
      hint: HINT,
    });
  const unknown = ids.filter((id) => !bank.get(id));
  if (unknown.length > 0) {
    throw new AnswerkeyError(
      'invalid_input',
      `--questions: no question ${unknown.map((id) => `"${id}"`).join(', ')} in the bank (${knownIds(bank)})`,
      { hint: HINT },
    );
  }
  return [...new Set(ids)];
}
