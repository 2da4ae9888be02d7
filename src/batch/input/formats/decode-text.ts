import { isAnswerkeyError } from '../../../errors/answerkey-error.js';
import { decodeUtf8Strict } from '../../../text/utf8.js';

/** Text of a file, or why it is not text. */
export type TextExtraction = { text: string } | { problem: string };

/** UTF-8 only, refused rather than guessed: a wrong guess would be graded as the candidate's words. A BOM is dropped. */
export function decodeUtf8Text(bytes: Uint8Array): TextExtraction {
  let text: string;
  try {
    text = decodeUtf8Strict(bytes, 'the file');
  } catch (error) {
    if (!isAnswerkeyError(error)) throw error;
    return { problem: `${error.message.replace(/^the file is /, '')}; save it as UTF-8` };
  }
  if (text.includes('\u0000')) return { problem: 'not a text file' };
  return { text };
}
