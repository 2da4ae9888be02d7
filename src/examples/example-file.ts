import { closeSync, fstatSync, openSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs';
import { writeFileAtomic } from '../batch/write-file-atomic.js';
import { describeIssue } from '../errors/describe-issue.js';
import { jsonLines } from '../text/json-lines.js';
import { gradedExampleSchema, type GradedExample } from './graded-example.js';

/** A line of an examples file that holds no usable example: skipped when grading, reported where examples are listed. */
export interface BadExampleLine {
  path: string;
  lineNumber: number;
  problem: string;
}

export interface ExampleFileContent {
  /** The usable examples, each with the line it is on. */
  examples: Array<{ example: GradedExample; lineNumber: number }>;
  badLines: BadExampleLine[];
}

const storedExampleSchema = gradedExampleSchema.refine((example) => example.score <= example.maxScore, {
  message: 'is above maxScore',
  path: ['score'],
});

export function describeBadLine({ path, lineNumber, problem }: BadExampleLine): string {
  return `${path}:${lineNumber}: ${problem}`;
}

/** The examples of one question's file, and every line that is not one of them (never an error: a bad line is skipped). */
export function parseExampleFile(text: string, path: string, questionId: string): ExampleFileContent {
  const content: ExampleFileContent = { examples: [], badLines: [] };
  for (const entry of jsonLines(text)) {
    const bad = (problem: string) => content.badLines.push({ path, lineNumber: entry.lineNumber, problem });
    if (!entry.valid) {
      bad('not valid JSON');
      continue;
    }
    const result = storedExampleSchema.safeParse(entry.data);
    if (!result.success) bad(describeIssue(result.error.issues[0], entry.data, 'line'));
    else if (result.data.questionId !== questionId) bad(`questionId: "${result.data.questionId}" in the file of ${questionId}`);
    else content.examples.push({ example: result.data, lineNumber: entry.lineNumber });
  }
  return content;
}

/** The file's text, or undefined when there is no file. */
export function readExampleText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Appends examples, one line each, in one write. A last line without its newline (typed by hand,
 * or cut short by a crash) is kept as it is: the new lines start on a line of their own.
 */
export function appendExampleLines(path: string, examples: readonly GradedExample[]): void {
  const descriptor = openSync(path, 'a+');
  try {
    const { size } = fstatSync(descriptor);
    const last = Buffer.alloc(1);
    const separator = size > 0 && readSync(descriptor, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a ? '\n' : '';
    writeSync(descriptor, separator + examples.map((example) => `${JSON.stringify(example)}\n`).join(''));
  } finally {
    closeSync(descriptor);
  }
}

/** Takes one line out of the file, every other byte kept (bad lines too); the file goes when nothing is left in it. */
export function removeExampleLine(path: string, text: string, lineNumber: number): void {
  const lines = text.split('\n');
  lines.splice(lineNumber - 1, 1);
  const kept = lines.join('\n');
  if (kept.replace(/^\uFEFF/, '').trim() === '') rmSync(path, { force: true });
  else writeFileAtomic(path, kept);
}
