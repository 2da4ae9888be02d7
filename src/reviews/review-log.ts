import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { withExampleFileLock } from '../examples/example-file-lock.js';
import { checkedJsonLines } from '../text/json-lines.js';
import { reviewRecordSchema, type ReviewRecord } from './review-schema.js';

/** The log's file name, beside the graded examples' files (which are named by bank question id). */
export const REVIEW_LOG_FILE = 'review-log.jsonl';

/**
 * The append-only log of reviews: a file (createReviewLog, below) or PostgreSQL's review_log
 * (postgres-review-log.ts); both pass one contract suite (tests/helpers/review-log-contract.ts).
 */
export interface ReviewLog {
  /** Where the log is kept, for messages: the file, or "PostgreSQL at host:port/database". */
  readonly location: string;
  /** Adds one record, never rewriting what is there. */
  append(record: ReviewRecord): Promise<void>;
  /** Every readable record, oldest first (a line cut short or edited into nonsense is skipped). */
  list(): Promise<ReviewRecord[]>;
}

/** The log in a file: JSON Lines at `path`. */
export interface FileReviewLog extends ReviewLog {
  readonly path: string;
}

function endsWithoutNewline(path: string): boolean {
  const size = statSync(path, { throwIfNoEntry: false })?.size ?? 0;
  if (size === 0) return false;
  const descriptor = openSync(path, 'r');
  try {
    const last = Buffer.alloc(1);
    readSync(descriptor, last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    closeSync(descriptor);
  }
}

/**
 * The append-only review log: JSON Lines beside the graded examples, changed only under its lock
 * file (`review-log.jsonl.lock`, the examples' kind of lock), so the server and the command line
 * never interleave or lose each other's lines.
 */
export function createReviewLog(examplesDirectory: string): FileReviewLog {
  const path = join(examplesDirectory, REVIEW_LOG_FILE);
  const read = (): ReviewRecord[] => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return [...checkedJsonLines(text, reviewRecordSchema, 'line')].flatMap((entry) =>
      'value' in entry ? [entry.value] : [],
    );
  };
  return {
    path,
    location: path,
    async append(record) {
      mkdirSync(dirname(path), { recursive: true });
      await withExampleFileLock(path, () => {
        // A last line without its newline (cut short by a crash) stays as it is: this one starts a line of its own.
        const separator = endsWithoutNewline(path) ? '\n' : '';
        appendFileSync(path, `${separator}${JSON.stringify(reviewRecordSchema.parse(record))}\n`);
      });
    },
    list: async () => read(),
  };
}
