import { closeSync, existsSync, fdatasyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { answerKey } from '../batch-answer.js';
import { questionColumnKey, resultRowSchema, type ResultRow, type StoredGrade } from '../result-row.js';
import { writeFileAtomic } from '../../concurrency/write-file-atomic.js';
import { onPath } from '../../errors/file-system-error.js';

export const RESULTS_FILE = 'results.jsonl';
/** A killed process loses nothing already written; fsync only bounds what a power cut can take. */
const SYNC_INTERVAL_MS = 1000;

export type ResultsFile = {
  rows: ResultRow[];
  /** Lines that are not a whole result: a torn last line from a killed run, or a damaged one. */
  dropped: { line: number; reason: string; torn: boolean }[];
  /** Bytes up to the end of the last whole line, when the file ends in a torn line. */
  tornAt: number | undefined;
};

/** Reads results.jsonl, keeping every whole, valid row (a missing file has none). */
export function readResultsFile(path: string): ResultsFile {
  if (!existsSync(path)) return { rows: [], dropped: [], tornAt: undefined };
  // Line by line from the bytes: a 10,000-answer file never becomes one big string.
  const bytes = readFileSync(path);
  const rows: ResultRow[] = [];
  const dropped: ResultsFile['dropped'] = [];
  let lineNumber = 0;
  for (let start = 0; start < bytes.length;) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline < 0 ? bytes.length : newline;
    lineNumber += 1;
    const line = bytes.toString('utf8', start, end);
    start = end + 1;
    if (line.trim() === '') continue;
    const row = parseRow(line);
    if (typeof row !== 'string') rows.push(row);
    else if (newline < 0)
      dropped.push({ line: lineNumber, reason: 'a torn last line (the run was stopped while writing it)', torn: true });
    else dropped.push({ line: lineNumber, reason: row, torn: false });
  }
  const endsWhole = bytes.length === 0 || bytes[bytes.length - 1] === 0x0a;
  return { rows, dropped, tornAt: endsWhole ? undefined : bytes.lastIndexOf(0x0a) + 1 };
}

function parseRow(line: string): ResultRow | string {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch {
    return 'not valid JSON';
  }
  const result = resultRowSchema.safeParse(data);
  return result.success
    ? result.data
    : `not a result (${result.error.issues[0].path.join('.') || 'row'}: ${result.error.issues[0].message})`;
}

/** The last grade of each answer (by candidate, question and answer hash): a regrade is appended after the grade it replaces. */
export function latestGrades(rows: readonly ResultRow[]): Map<string, StoredGrade> {
  const latest = new Map<string, StoredGrade>();
  for (const row of rows)
    latest.set(answerKey(row), { mode: row.mode, questionId: row.questionId, gradedWith: row.gradedWith });
  return latest;
}

/**
 * results.jsonl as the record of what is done: opening it repairs what a killed run left behind,
 * and each graded answer is appended as one line the moment it is ready. A regrade, or the grade of
 * an edited answer, is appended too, and the grade it replaced is dropped from the file on close.
 */
export class ResultsStore {
  readonly path: string;
  private readonly latest: Map<string, StoredGrade>;
  private descriptor: number | undefined;
  private lastSync = Date.now();
  private unsynced = false;
  private replaced = false;
  /** The candidate and question of every stored grade: a second grade for one replaces the first. */
  private readonly slots: Set<string>;

  private constructor(path: string, latest: Map<string, StoredGrade>, slots: Set<string>, descriptor: number) {
    this.path = path;
    this.latest = latest;
    this.slots = slots;
    this.descriptor = descriptor;
  }

  static open(directory: string, notice: (message: string) => void): ResultsStore {
    const path = join(directory, RESULTS_FILE);
    const file = readResultsFile(path);
    for (const { line, reason } of file.dropped)
      notice(`${RESULTS_FILE}:${line}: ${reason}; its answer will be graded again`);
    const latest = latestGrades(file.rows);
    // More rows than answers: a regrade or an edited answer's grade was killed before close dropped the grades it replaced.
    const replacedGradesLeft = file.rows.length > new Set(file.rows.map(slotKey)).size;
    if (!replacedGradesLeft && file.tornAt !== undefined && file.dropped.length === 1 && file.dropped[0].torn) {
      const descriptor = openSync(path, 'r+');
      ftruncateSync(descriptor, file.tornAt);
      closeSync(descriptor);
    } else if (replacedGradesLeft || file.dropped.length > 0 || file.tornAt !== undefined) {
      writeFileAtomic(path, lastGradeLines(file.rows));
    }
    return new ResultsStore(path, latest, new Set(file.rows.map(slotKey)), openSync(path, 'a'));
  }

  /** The last stored grade of each answer, by answerKey. */
  get grades(): ReadonlyMap<string, StoredGrade> {
    return this.latest;
  }

  append(row: ResultRow): void {
    if (this.descriptor === undefined) throw new Error('results store is closed');
    if (this.slots.has(slotKey(row))) this.replaced = true;
    this.slots.add(slotKey(row));
    const bytes = Buffer.from(`${JSON.stringify(row)}\n`);
    const descriptor = this.descriptor;
    for (let written = 0; written < bytes.length;)
      written += onPath(this.path, () => writeSync(descriptor, bytes, written));
    this.latest.set(answerKey(row), { mode: row.mode, questionId: row.questionId, gradedWith: row.gradedWith });
    this.unsynced = true;
    if (Date.now() - this.lastSync >= SYNC_INTERVAL_MS) this.sync();
  }

  close(): void {
    if (this.descriptor === undefined) return;
    this.sync();
    closeSync(this.descriptor);
    this.descriptor = undefined;
    if (this.replaced) dropReplacedGrades(this.path);
  }

  private sync(): void {
    const descriptor = this.descriptor;
    if (descriptor !== undefined && this.unsynced) onPath(this.path, () => fdatasyncSync(descriptor));
    this.unsynced = false;
    this.lastSync = Date.now();
  }
}

/** A candidate's answer to a question, whatever its text: an edited answer's grade replaces the old one. */
function slotKey(row: ResultRow): string {
  return `${row.candidateId}\t${questionColumnKey(row)}`;
}

/** One line per candidate and question, its last grade: results.jsonl stays one grade per answer after regrades and edits. */
function lastGradeLines(rows: readonly ResultRow[]): string {
  const lastIndex = new Map(rows.map((row, index) => [slotKey(row), index]));
  return rows
    .filter((row, index) => lastIndex.get(slotKey(row)) === index)
    .map((row) => `${JSON.stringify(row)}\n`)
    .join('');
}

function dropReplacedGrades(path: string): void {
  writeFileAtomic(path, lastGradeLines(readResultsFile(path).rows));
}
