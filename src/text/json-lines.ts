/** One line of a JSONL text: its number (from 1) and its value, or why it has none. */
export type JsonLine = { lineNumber: number; line: string } & ({ valid: true; data: unknown } | { valid: false });

/** The non-blank lines of a JSONL text (a leading byte-order mark ignored), each parsed or marked invalid. */
export function* jsonLines(text: string): Generator<JsonLine> {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index];
    if (line.trim() === '') continue;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch {
      yield { lineNumber: index + 1, line, valid: false };
      continue;
    }
    yield { lineNumber: index + 1, line, valid: true, data };
  }
}
