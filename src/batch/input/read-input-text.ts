import { AnswerkeyError } from '../../errors/answerkey-error.js';
import type { BatchAnswer, InputProblem } from '../batch-answer.js';
import { decodeUtf8Text } from './formats/decode-text.js';
import { readRegularFile } from './read-regular-file.js';

/** What an input reader found: the answers to grade, and what it could not use. */
export type InputRead = {
  answers: BatchAnswer[];
  problems: InputProblem[];
  /** Take-homes only: every candidate with a file, including one with nothing to grade in it. */
  takeHomeCandidates?: string[];
};

/** A CSV or JSONL of answers: 10,000 answers of 20,000 characters each, with room to spare. */
export const MAX_ANSWERS_FILE_BYTES = 512 * 1024 * 1024;

/** A CSV or JSONL file's text: a regular file (a FIFO or a device is refused, not read), of UTF-8 text. */
export function readInputText(path: string, maxBytes = MAX_ANSWERS_FILE_BYTES): string {
  const file = readRegularFile(path, maxBytes);
  if ('problem' in file) {
    throw new AnswerkeyError('file_system', `cannot read ${path}: ${file.problem}`, {
      hint: 'give a regular file this user can read',
    });
  }
  const decoded = decodeUtf8Text(file.bytes);
  if ('problem' in decoded)
    throw new AnswerkeyError('dataset_invalid', `${path}: ${decoded.problem}`, {
      hint: 'export the file as UTF-8 (CSV UTF-8 in Excel)',
    });
  return decoded.text;
}
