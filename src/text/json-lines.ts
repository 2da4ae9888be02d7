import type { z } from 'zod';
import { describeIssue } from '../errors/describe-issue.js';

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

/** One line of a JSONL text checked against a schema: its value, or what is wrong with it in words. */
export type CheckedLine<Value> = { lineNumber: number; line: string } & ({ value: Value } | { problem: string });

/** The non-blank lines of a JSONL text, each parsed and checked against `schema` (`whole` names an issue of the line itself). */
export function* checkedJsonLines<Schema extends z.ZodType>(
  text: string,
  schema: Schema,
  whole: string,
): Generator<CheckedLine<z.output<Schema>>> {
  for (const entry of jsonLines(text)) {
    const { lineNumber, line } = entry;
    if (!entry.valid) {
      yield { lineNumber, line, problem: 'not valid JSON' };
      continue;
    }
    const result = schema.safeParse(entry.data);
    yield result.success
      ? { lineNumber, line, value: result.data }
      : { lineNumber, line, problem: describeIssue(result.error.issues[0], entry.data, whole) };
  }
}
