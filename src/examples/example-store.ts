import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../batch/write-file-atomic.js';
import { AnswerkeyError } from '../errors/answerkey-error.js';
import type { QuestionBank } from '../rubrics/question-bank.js';
import { formatIssuePath } from '../rubrics/rubric-schema.js';
import { jsonLines } from '../text/json-lines.js';
import { exampleDraftSchema, type ExampleDraft } from './example-draft.js';
import { gradedExampleSchema, type GradedExample } from './graded-example.js';

/** A draft with where it came from ("graded.jsonl:3"), so a problem with it can say so. */
export type SourcedDraft = ExampleDraft & { source?: string };

export interface ExampleStore {
  readonly directory: string;
  /** Every stored example, or one question's, in bank order and then in the order they were added. */
  list(questionId?: string): GradedExample[];
  get(id: string): GradedExample | undefined;
  count(questionId: string): number;
  /** Why each draft cannot be stored, one message per problem; empty when all can. */
  problems(drafts: readonly SourcedDraft[]): string[];
  /** Checks every draft first and stores all of them, or none (an AnswerkeyError lists the problems). */
  add(drafts: readonly SourcedDraft[]): GradedExample[];
  remove(id: string): GradedExample;
  /** What the index embeds of the examples, hashed: null when there are none. */
  hash(): string | null;
}

const storedExampleSchema = gradedExampleSchema.refine((example) => example.score <= example.maxScore, {
  message: 'score is above maxScore',
  path: ['score'],
});

/** The id, question and answer of each example (what the vector index embeds), hashed; null for none. */
export function hashExamples(examples: readonly GradedExample[]): string | null {
  if (examples.length === 0) return null;
  const embedded = examples.map(({ id, questionId, answer }) => [id, questionId, answer]);
  return createHash('sha256').update(JSON.stringify(embedded)).digest('hex');
}

const DRAFT_HINT = 'each example needs a bank questionId, a non-empty answer, and a score from 0 to its maxScore';

/** One line for the problems of a set of drafts: each named, the first five shown. */
export function describeProblems(problems: readonly string[], total: number): string {
  const shown = problems.slice(0, 5).join('; ');
  const more = problems.length > 5 ? `; and ${problems.length - 5} more` : '';
  const prefix = total > 1 ? `${problems.length} of ${total} examples cannot be stored, so none was: ` : '';
  return `${prefix}${shown}${more}`;
}

function newExampleId(taken: ReadonlySet<string>): string {
  for (;;) {
    const id = `ex-${randomBytes(4).toString('hex')}`;
    if (!taken.has(id)) return id;
  }
}

function invalidFile(problems: readonly string[]): AnswerkeyError {
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more bad line(s))` : '';
  return new AnswerkeyError('examples_invalid', `${problems[0]}${more}`, {
    hint: 'fix or delete the line: each line is one graded example as JSON (id, questionId, answer, score, maxScore)',
  });
}

/** Where a torn last line starts (bytes): one a crash cut short, never a whole example; undefined when there is none. */
function tornLineStart(bytes: Buffer): number | undefined {
  if (bytes.length === 0 || bytes[bytes.length - 1] === 0x0a) return undefined;
  const start = bytes.lastIndexOf(0x0a) + 1;
  try {
    JSON.parse(bytes.toString('utf8', start));
    return undefined;
  } catch {
    return start;
  }
}

function parseExamplesFile(path: string, questionId: string): GradedExample[] {
  const bytes = readFileSync(path);
  const torn = tornLineStart(bytes);
  const examples: GradedExample[] = [];
  const problems: string[] = [];
  for (const entry of jsonLines(bytes.toString('utf8', 0, torn))) {
    const where = `${path}:${entry.lineNumber}`;
    if (!entry.valid) {
      problems.push(`${where}: not valid JSON`);
      continue;
    }
    const result = storedExampleSchema.safeParse(entry.data);
    if (!result.success) {
      const issue = result.error.issues[0];
      problems.push(`${where}: ${formatIssuePath(issue.path) || 'line'}: ${issue.message}`);
    } else if (result.data.questionId !== questionId) {
      problems.push(`${where}: questionId: "${result.data.questionId}" in the file of ${questionId}`);
    } else {
      examples.push(result.data);
    }
  }
  if (problems.length > 0) throw invalidFile(problems);
  return examples;
}

/**
 * Graded examples kept as JSON Lines, one file per bank question (`q4.jsonl`) in one folder. An
 * example is appended with a single write, so a crash leaves every earlier line whole; a file is
 * read again only when it changed on disk, so other processes' additions are seen.
 */
export function createExampleStore({ directory, bank }: { directory: string; bank: QuestionBank }): ExampleStore {
  const cache = new Map<string, { signature: string; examples: GradedExample[] }>();
  const fileOf = (questionId: string) => join(directory, `${questionId}.jsonl`);

  function read(questionId: string): GradedExample[] {
    const path = fileOf(questionId);
    if (!existsSync(path)) return [];
    const { mtimeMs, size, ino } = statSync(path);
    const signature = `${mtimeMs}:${size}:${ino}`;
    const cached = cache.get(path);
    if (cached?.signature === signature) return cached.examples;
    const examples = parseExamplesFile(path, questionId);
    cache.set(path, { signature, examples });
    return examples;
  }

  function rubricOf(questionId: string) {
    const rubric = bank.get(questionId);
    if (!rubric) {
      throw new AnswerkeyError('question_not_found', `no question "${questionId}" in the bank`, { hint: 'see `answerkey questions` for the ids' });
    }
    return rubric;
  }

  function list(questionId?: string): GradedExample[] {
    if (questionId !== undefined) return [...read(rubricOf(questionId).id)];
    return bank.rubrics.flatMap((rubric) => read(rubric.id));
  }

  function check(draft: SourcedDraft): { example: Omit<GradedExample, 'id' | 'addedAt'> } | { problem: string } {
    const where = draft.source ? `${draft.source}: ` : '';
    const parsed = exampleDraftSchema.safeParse(draft);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { problem: `${where}${formatIssuePath(issue.path) || 'example'}: ${issue.message}` };
    }
    const { questionId, answer, score, maxScore, note } = parsed.data;
    const rubric = bank.get(questionId);
    if (!rubric) return { problem: `${where}questionId: no question "${questionId}" in the bank` };
    const scale = maxScore ?? rubric.maxScore;
    if (score > scale) return { problem: `${where}score: ${score} is above the maximum ${scale}` };
    return { example: { questionId: rubric.id, answer, score, maxScore: scale, ...(note === undefined ? {} : { note }) } };
  }

  function append(questionId: string, examples: readonly GradedExample[]): void {
    mkdirSync(directory, { recursive: true });
    const path = fileOf(questionId);
    const existing = existsSync(path) ? readFileSync(path) : Buffer.alloc(0);
    // A torn last line is cut off; a whole one a person wrote without its newline gets one.
    const torn = tornLineStart(existing);
    if (torn !== undefined) truncateSync(path, torn);
    const separator = torn === undefined && existing.length > 0 && existing[existing.length - 1] !== 0x0a ? '\n' : '';
    const descriptor = openSync(path, 'a');
    try {
      writeSync(descriptor, separator + examples.map((example) => `${JSON.stringify(example)}\n`).join(''));
    } finally {
      closeSync(descriptor);
    }
  }

  return {
    directory,
    list,
    get: (id) => list().find((example) => example.id === id),
    count: (questionId) => read(rubricOf(questionId).id).length,
    problems: (drafts) => drafts.map(check).flatMap((outcome) => ('problem' in outcome ? [outcome.problem] : [])),
    add(drafts) {
      const checked = drafts.map(check);
      const problems = checked.flatMap((outcome) => ('problem' in outcome ? [outcome.problem] : []));
      if (problems.length > 0) throw new AnswerkeyError('invalid_input', describeProblems(problems, drafts.length), { hint: DRAFT_HINT });
      const taken = new Set(list().map((example) => example.id));
      const addedAt = new Date().toISOString();
      const added: GradedExample[] = checked.flatMap((outcome) => {
        if (!('example' in outcome)) return [];
        const id = newExampleId(taken);
        taken.add(id);
        return [{ id, ...outcome.example, addedAt }];
      });
      for (const rubric of bank.rubrics) {
        const examples = added.filter((example) => example.questionId === rubric.id);
        if (examples.length > 0) append(rubric.id, examples);
      }
      return added;
    },
    remove(id) {
      const found = list().find((example) => example.id === id);
      if (!found) throw new AnswerkeyError('not_found', `no graded example "${id}"`, { hint: 'see `answerkey examples list` for the ids' });
      const path = fileOf(found.questionId);
      const kept = read(found.questionId).filter((example) => example.id !== id);
      if (kept.length === 0) rmSync(path, { force: true });
      else writeFileAtomic(path, kept.map((example) => `${JSON.stringify(example)}\n`).join(''));
      return found;
    },
    hash: () => hashExamples(list()),
  };
}
