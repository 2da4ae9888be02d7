import { readFileSync } from 'node:fs';
import { AnswerkeyError } from '../errors/answerkey-error.js';
import type { BatchAnswer, InputProblem } from './batch-answer.js';

/** What an input reader found: the answers to grade, and what it could not use. */
export type InputRead = {
  answers: BatchAnswer[];
  problems: InputProblem[];
  /** Take-homes only: every candidate with a file, including one with nothing to grade in it. */
  takeHomeCandidates?: string[];
};

export function readInputText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new AnswerkeyError('file_system', `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { hint: 'check that this user can read INPUT', cause: error });
  }
}
