import { isUtf8 } from 'node:buffer';
import { AnswerkeyError } from '../errors/answerkey-error.js';

const decoder = new TextDecoder('utf-8', { fatal: true });
const NEWLINE = 0x0a;

/**
 * Text from bytes that must be UTF-8: invalid bytes are refused, not replaced with U+FFFD and
 * graded. `what` names the input in the message ("answer file a.md"); the first bad line is given.
 * For every reader of candidates' text: the CLI's answer file and standard input, batch inputs.
 */
export function decodeUtf8Strict(bytes: Uint8Array, what: string): string {
  if (isUtf8(bytes)) return decoder.decode(bytes);
  throw new AnswerkeyError('invalid_encoding', `${what} is not valid UTF-8 (line ${firstInvalidLine(bytes)})`, {
    hint: 'save it as UTF-8 (e.g. `iconv -f latin1 -t utf-8`), or fix the bytes on that line',
  });
}

/** The 1-based line of the first invalid byte: a newline byte is never part of a multi-byte character. */
export function firstInvalidLine(bytes: Uint8Array): number {
  let line = 1;
  let start = 0;
  for (;;) {
    const end = bytes.indexOf(NEWLINE, start);
    if (!isUtf8(bytes.subarray(start, end < 0 ? bytes.length : end))) return line;
    if (end < 0) return line;
    start = end + 1;
    line += 1;
  }
}
