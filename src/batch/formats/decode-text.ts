/** Text of a file, or why it is not text. */
export type TextExtraction = { text: string } | { problem: string };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 only, refused rather than guessed: a wrong guess would be graded as the candidate's words. A BOM is dropped. */
export function decodeUtf8Text(bytes: Uint8Array): TextExtraction {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return { problem: 'not valid UTF-8 text; save it as UTF-8' };
  }
  if (text.includes('\u0000')) return { problem: 'not a text file' };
  return { text };
}
