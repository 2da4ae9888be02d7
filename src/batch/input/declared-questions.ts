import { existsSync, statSync } from 'node:fs';
import { AnswerkeyError, type AnswerkeyErrorOptions } from '../../errors/answerkey-error.js';
import type { QuestionBank } from '../../rubrics/question-bank.js';
import { knownIds } from './answer-row-schema.js';
import { readInputText } from './read-input-text.js';

/** What to give instead; the command line's hint (cli/error-hints.ts) names its flag. */
const WHAT_TO_GIVE = {
  hint: 'give bank ids separated by commas (q1,q5,q9), or a file of them, one per line',
  details: { reason: 'declared_questions_invalid' },
} satisfies AnswerkeyErrorOptions;

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
    throw new AnswerkeyError(
      'invalid_input',
      `--questions names no question${isFile ? ` (${value} is empty)` : ''}`,
      WHAT_TO_GIVE,
    );
  const unknown = ids.filter((id) => !bank.get(id));
  if (unknown.length > 0) {
    throw new AnswerkeyError(
      'invalid_input',
      `--questions: no question ${unknown.map((id) => `"${id}"`).join(', ')} in the bank (${knownIds(bank)})`,
      WHAT_TO_GIVE,
    );
  }
  return [...new Set(ids)];
}
