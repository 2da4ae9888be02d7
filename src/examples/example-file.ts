import { readFileSync, rmSync } from 'node:fs';
import { writeFileAtomic } from '../concurrency/write-file-atomic.js';
import { checkedJsonLines } from '../text/json-lines.js';
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
  for (const entry of checkedJsonLines(text, storedExampleSchema, 'line')) {
    const bad = (problem: string) => content.badLines.push({ path, lineNumber: entry.lineNumber, problem });
    if ('problem' in entry) bad(entry.problem);
    else if (entry.value.questionId !== questionId) bad(`questionId: "${entry.value.questionId}" in the file of ${questionId}`);
    else content.examples.push({ example: entry.value, lineNumber: entry.lineNumber });
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

/** The file's bytes, or undefined when there is no file. */
function readExampleBytes(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Adds examples to the files of several questions, one line each, all or none. Every file's new
 * content is made first, then each is written whole (beside it, then renamed over it); should one
 * write fail, the files already written get every byte they had back (one that did not exist is
 * removed). A last line without its newline (typed by hand, or cut short by a crash) is kept as it
 * is: the new lines start on a line of their own.
 */
export function addExampleLines(additions: ReadonlyMap<string, readonly GradedExample[]>): void {
  const changes = [...additions].map(([path, examples]) => {
    const before = readExampleBytes(path);
    const separator = before !== undefined && before.length > 0 && before[before.length - 1] !== 0x0a ? '\n' : '';
    const lines = Buffer.from(separator + examples.map((example) => `${JSON.stringify(example)}\n`).join(''));
    return { path, before, after: before === undefined ? lines : Buffer.concat([before, lines]) };
  });
  const written: typeof changes = [];
  try {
    for (const change of changes) {
      writeFileAtomic(change.path, change.after);
      written.push(change);
    }
  } catch (error) {
    for (const { path, before } of written) {
      if (before === undefined) rmSync(path, { force: true });
      else writeFileAtomic(path, before);
    }
    throw error;
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
