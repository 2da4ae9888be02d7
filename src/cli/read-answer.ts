import { readFileSync } from 'node:fs';
import { AnswerkeyError } from '../errors/answerkey-error.js';
import type { CliIo } from './cli-io.js';
import { assertExists } from './input-path.js';
import { decodeUtf8Strict } from '../text/utf8.js';

export interface AnswerSource {
  answer?: string;
  answerFile?: string;
}

/** The answer from --answer, --answer-file ("-" for standard input), or piped standard input. */
export async function readAnswer(source: AnswerSource, io: CliIo, required: boolean): Promise<string | undefined> {
  if (source.answer !== undefined && source.answerFile !== undefined) {
    throw new AnswerkeyError('invalid_input', 'give the answer once: --answer or --answer-file, not both');
  }
  if (source.answer !== undefined) return source.answer;
  if (source.answerFile !== undefined && source.answerFile !== '-') {
    assertExists(source.answerFile, '--answer-file');
    let bytes: Buffer;
    try {
      bytes = readFileSync(source.answerFile);
    } catch (error) {
      throw new AnswerkeyError('file_system', `cannot read answer file ${source.answerFile}`, {
        hint: 'check the path given with --answer-file',
        cause: error,
      });
    }
    return decodeUtf8Strict(bytes, `answer file ${source.answerFile}`);
  }
  // An optional answer is read from standard input only when asked for with "-".
  if (!required && source.answerFile !== '-') return undefined;
  const piped = await io.readStdin();
  // Empty standard input is a missing answer (`</dev/null`, a pipe from a command that failed), not an empty one.
  if (piped !== undefined && piped.trim() === '') {
    throw new AnswerkeyError('invalid_input', 'the answer on standard input is empty', {
      hint: 'pass --answer "text" or --answer-file FILE, or pipe a non-empty answer (--answer "" grades an empty one)',
    });
  }
  if (piped !== undefined) return piped;
  if (!required) return undefined;
  throw new AnswerkeyError('invalid_input', 'no answer given', {
    hint: 'pass --answer "text", --answer-file FILE, or pipe the answer on standard input',
  });
}
