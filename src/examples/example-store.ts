import { randomBytes } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AnswerkeyError } from '../errors/answerkey-error.js';
import { describeIssue } from '../errors/describe-issue.js';
import type { QuestionBank } from '../rubrics/question-bank.js';
import { exampleDraftSchema, type ExampleDraft } from './example-draft.js';
import {
  addExampleLines,
  describeBadLine,
  parseExampleFile,
  readExampleText,
  removeExampleLine,
  type BadExampleLine,
} from './example-file.js';
import { withExampleFileLock, withExampleFileLocks } from './example-file-lock.js';
import type { GradedExample } from './graded-example.js';
import { sha256 } from '../text/sha256.js';

/**
 * A draft with where it came from ("graded.jsonl:3"), so a problem with it can say so; `id`, when
 * given, is the id to store it under (an idempotent request's), instead of a new random one.
 */
export type SourcedDraft = ExampleDraft & { source?: string; id?: string };

/**
 * Graded examples, kept in files (createExampleStore, below) or in PostgreSQL
 * (postgres-example-store.ts); both pass one contract suite (tests/helpers/example-store-contract.ts).
 */
export interface ExampleStore {
  /** Where the examples are kept, for messages: the folder, or "PostgreSQL at host:port/database". */
  readonly location: string;
  /** Every stored example, or one question's, in bank order and then in the order they were added; bad lines are skipped. */
  list(questionId?: string): GradedExample[];
  /** The lines of the files (all, or one question's) that hold no usable example, in the same order. */
  badLines(questionId?: string): BadExampleLine[];
  get(id: string): GradedExample | undefined;
  count(questionId: string): number;
  /** Why each draft cannot be stored, one message per problem; empty when all can. */
  problems(drafts: readonly SourcedDraft[]): string[];
  /**
   * Checks every draft first and stores all of them, or none: an AnswerkeyError lists the problems, or
   * says (examples_busy) that another process kept one of the files locked; a file that cannot be
   * written leaves every file as it was (in PostgreSQL: one transaction).
   */
  add(drafts: readonly SourcedDraft[]): Promise<GradedExample[]>;
  remove(id: string): Promise<GradedExample>;
  /** What the index embeds of the examples, hashed: null when there are none. Recomputed only when a file changed. */
  hash(): string | null;
}

/** The file store: one JSONL file per question in `directory`. */
export interface FileExampleStore extends ExampleStore {
  readonly directory: string;
}

export interface ExampleStoreConfig {
  directory: string;
  bank: QuestionBank;
  /** Told once about a file's bad lines (which are skipped), in one message naming each by file and line. */
  onBadLines?: (message: string) => void;
}

/** The id, question and answer of each example (what the vector index embeds), hashed; null for none. */
export function hashExamples(examples: readonly GradedExample[]): string | null {
  if (examples.length === 0) return null;
  const embedded = examples.map(({ id, questionId, answer }) => [id, questionId, answer]);
  return sha256(JSON.stringify(embedded));
}

export const EXAMPLE_DRAFT_HINT = 'each example needs a bank questionId, a non-empty answer, and a score from 0 to its maxScore';

/** One line for the problems of a set of drafts: each named, the first five shown. */
export function describeProblems(problems: readonly string[], total: number): string {
  const shown = problems.slice(0, 5).join('; ');
  const more = problems.length > 5 ? `; and ${problems.length - 5} more` : '';
  const prefix = total > 1 ? `${problems.length} of ${total} examples cannot be stored, so none was: ` : '';
  return `${prefix}${shown}${more}`;
}

/** The notice that a file has bad lines: the first three named, the rest counted. */
function badLinesNotice(badLines: readonly BadExampleLine[]): string {
  const shown = badLines.slice(0, 3).map(describeBadLine).join('; ');
  const more = badLines.length > 3 ? `; and ${badLines.length - 3} more` : '';
  const what = badLines.length === 1 ? 'a bad line' : `${badLines.length} bad lines`;
  return `skipping ${what} of graded examples: ${shown}${more} (fix or delete them; \`answerkey examples list\` shows them all)`;
}

/** A new random example id, not among `taken`. */
export function newExampleId(taken: ReadonlySet<string>): string {
  for (;;) {
    const id = `ex-${randomBytes(4).toString('hex')}`;
    if (!taken.has(id)) return id;
  }
}

/** The examples of each question, in the order they came. */
function groupByQuestion(examples: readonly GradedExample[]): Map<string, GradedExample[]> {
  const groups = new Map<string, GradedExample[]>();
  for (const example of examples) groups.set(example.questionId, [...(groups.get(example.questionId) ?? []), example]);
  return groups;
}

/** A draft checked against the bank: the example to store (without id and time), or why it cannot be. */
export function checkExampleDraft(
  bank: QuestionBank,
  draft: SourcedDraft,
): { example: Omit<GradedExample, 'id' | 'addedAt'> } | { problem: string } {
  const where = draft.source ? `${draft.source}: ` : '';
  const parsed = exampleDraftSchema.safeParse(draft);
  if (!parsed.success) return { problem: `${where}${describeIssue(parsed.error.issues[0], draft, 'example')}` };
  const { questionId, answer, score, maxScore, note, keyPoints } = parsed.data;
  const rubric = bank.get(questionId);
  if (!rubric) return { problem: `${where}questionId: no question "${questionId}" in the bank` };
  const scale = maxScore ?? rubric.maxScore;
  if (score > scale) return { problem: `${where}score: ${score} is above the maximum ${scale}` };
  const known = new Set(rubric.keyPoints.map((keyPoint) => keyPoint.id));
  const unknown = keyPoints?.find((keyPoint) => !known.has(keyPoint.id));
  if (unknown) return { problem: `${where}keyPoints: "${unknown.id}" is not a key point of ${rubric.id}` };
  return {
    example: { questionId: rubric.id, answer, score, maxScore: scale, ...(note === undefined ? {} : { note }), ...(keyPoints === undefined ? {} : { keyPoints }) },
  };
}

/** Size, modification time and inode: a file with the same signature has not changed. Empty when there is no file. */
function signatureOf(path: string): string {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats ? `${stats.mtimeMs}:${stats.size}:${stats.ino}` : '';
}

interface QuestionFile {
  signature: string;
  examples: GradedExample[];
  badLines: BadExampleLine[];
}

const NO_FILE: QuestionFile = { signature: '', examples: [], badLines: [] };

/**
 * Graded examples kept as JSON Lines, one file per bank question (`q4.jsonl`) in one folder.
 * Files are written whole (beside them, then renamed), and every change is made under the file's
 * lock, so several processes never lose each other's lines. A line that is not a usable example
 * (edited by hand, cut short by a crash) is never deleted: it is skipped, and reported once through
 * `onBadLines`. A file is read again only when it changed on disk, so other processes' changes are seen.
 */
export function createExampleStore({ directory, bank, onBadLines = () => undefined }: ExampleStoreConfig): FileExampleStore {
  const files = new Map<string, QuestionFile>();
  const reported = new Map<string, string>();
  let hashed: { signatures: string; hash: string | null } | undefined;
  const fileOf = (questionId: string) => join(directory, `${questionId}.jsonl`);

  function report(path: string, badLines: readonly BadExampleLine[]): void {
    const described = badLines.map(describeBadLine).join('\n');
    if (reported.get(path) === described) return;
    reported.set(path, described);
    if (badLines.length > 0) onBadLines(badLinesNotice(badLines));
  }

  function read(questionId: string): QuestionFile {
    const path = fileOf(questionId);
    const signature = signatureOf(path);
    const cached = files.get(path);
    if (cached?.signature === signature) return cached;
    const text = signature ? readExampleText(path) : undefined;
    if (text === undefined) return NO_FILE;
    const parsed = parseExampleFile(text, path, questionId);
    const file = { signature, examples: parsed.examples.map((entry) => entry.example), badLines: parsed.badLines };
    files.set(path, file);
    report(path, file.badLines);
    return file;
  }

  function rubricOf(questionId: string) {
    const rubric = bank.get(questionId);
    if (!rubric) {
      throw new AnswerkeyError('question_not_found', `no question "${questionId}" in the bank`);
    }
    return rubric;
  }

  function list(questionId?: string): GradedExample[] {
    if (questionId !== undefined) return [...read(rubricOf(questionId).id).examples];
    return bank.rubrics.flatMap((rubric) => read(rubric.id).examples);
  }

  const check = (draft: SourcedDraft) => checkExampleDraft(bank, draft);

  const notFound = (id: string) =>
    new AnswerkeyError('not_found', `no graded example "${id}"`);

  return {
    directory,
    location: directory,
    list,
    badLines: (questionId) =>
      questionId !== undefined ? [...read(rubricOf(questionId).id).badLines] : bank.rubrics.flatMap((rubric) => read(rubric.id).badLines),
    get: (id) => list().find((example) => example.id === id),
    count: (questionId) => read(rubricOf(questionId).id).examples.length,
    problems: (drafts) => drafts.map(check).flatMap((outcome) => ('problem' in outcome ? [outcome.problem] : [])),
    async add(drafts) {
      const checked = drafts.map(check);
      const problems = checked.flatMap((outcome) => ('problem' in outcome ? [outcome.problem] : []));
      if (problems.length > 0) throw new AnswerkeyError('invalid_input', describeProblems(problems, drafts.length), { hint: EXAMPLE_DRAFT_HINT });
      const taken = new Set(list().map((example) => example.id));
      const addedAt = new Date().toISOString();
      const chosen = drafts.flatMap((draft) => (draft.id === undefined ? [] : [draft.id]));
      const existing = chosen.find((id) => taken.has(id) || chosen.indexOf(id) !== chosen.lastIndexOf(id));
      if (existing !== undefined) throw new AnswerkeyError('invalid_input', `an example "${existing}" is stored already`, { hint: 'store it under another id' });
      const added: GradedExample[] = checked.flatMap((outcome, index) => {
        if (!('example' in outcome)) return [];
        const id = drafts[index].id ?? newExampleId(taken);
        taken.add(id);
        return [{ id, ...outcome.example, addedAt }];
      });
      mkdirSync(directory, { recursive: true });
      const byQuestion = groupByQuestion(added);
      // Every file's lock first: when one stays busy, no file has been written.
      await withExampleFileLocks([...byQuestion.keys()].map(fileOf), () =>
        addExampleLines(new Map([...byQuestion].map(([questionId, examples]) => [fileOf(questionId), examples]))),
      );
      return added;
    },
    async remove(id) {
      const found = list().find((example) => example.id === id);
      if (!found) throw notFound(id);
      const path = fileOf(found.questionId);
      // Read again under the lock: the line to take out is where it is now, after other processes' changes.
      await withExampleFileLock(path, () => {
        const text = readExampleText(path);
        const entry = text === undefined ? undefined : parseExampleFile(text, path, found.questionId).examples.find(({ example }) => example.id === id);
        if (text === undefined || !entry) throw notFound(id);
        removeExampleLine(path, text, entry.lineNumber);
      });
      return found;
    },
    hash() {
      const signatures = bank.rubrics.map((rubric) => signatureOf(fileOf(rubric.id))).join('|');
      if (hashed?.signatures !== signatures) hashed = { signatures, hash: hashExamples(list()) };
      return hashed.hash;
    },
  };
}
