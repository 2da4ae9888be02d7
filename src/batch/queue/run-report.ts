import { closeSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { assertOrdinaryFolder } from '../../config/directory-setting.js';
import type { Queryable } from '../../database/database.js';
import { AnswerkeyError } from '../../errors/answerkey-error.js';
import { onPath } from '../../errors/file-system-error.js';
import type { QuestionBank } from '../../rubrics/question-bank.js';
import type { BatchSummary } from '../report/candidate-summary.js';
import { resultRow } from '../result-row.js';
import { ERRORS_FILE } from '../run/errors-log.js';
import { RESULTS_FILE } from '../run/results-store.js';
import { writeReports } from '../run/run-batch.js';
import { answerRowSchema, gradedRowSchema, problemSchema } from './run-records.js';
import { readRun } from './run-status.js';

/** Rows read per statement: a run of 100,000 answers is read a page at a time, never whole. */
const PAGE_ROWS = 1000;

export type RunReport = { summary: BatchSummary; grades: number; problems: number };

/** Writes a file line by line from pages of rows, to a temporary name renamed at the end. */
async function writeLines(path: string, pages: AsyncIterable<string[]>): Promise<number> {
  const partial = `${path}.partial`;
  const descriptor = onPath(partial, () => openSync(partial, 'w'));
  let lines = 0;
  try {
    for await (const page of pages) {
      if (page.length === 0) continue;
      onPath(partial, () => writeSync(descriptor, page.join('')));
      lines += page.length;
    }
  } finally {
    closeSync(descriptor);
  }
  onPath(path, () => renameSync(partial, path));
  return lines;
}

/** The run's answers with their latest grade, in input order, a page at a time (keyset on the ordinal). */
async function* gradedPages(database: Queryable, runId: string): AsyncGenerator<string[]> {
  let after = -1;
  for (;;) {
    const { rows } = await database.query(
      `SELECT a.ordinal, a.candidate, a.question_key, a.question_ref, a.answer, a.answer_hash, a.source,
              g.grade, g.provenance, g.graded_at
         FROM run_answers a
         JOIN LATERAL (SELECT grade, provenance, graded_at FROM run_grades g
                        WHERE g.run_id = a.run_id AND g.candidate = a.candidate
                          AND g.question_key = a.question_key AND g.answer_hash = a.answer_hash
                        ORDER BY graded_at DESC LIMIT 1) g ON true
        WHERE a.run_id = $1 AND a.ordinal > $2
        ORDER BY a.ordinal LIMIT $3`,
      [runId, after, PAGE_ROWS],
    );
    if (rows.length === 0) return;
    yield rows.map((row) => {
      const answer = answerRowSchema.parse(row);
      const { grade, provenance, graded_at } = gradedRowSchema.parse(row);
      const result = resultRow(answer, grade, graded_at, provenance.gradedWith);
      return `${JSON.stringify(result)}\n`;
    });
    after = Number(rows[rows.length - 1].ordinal);
  }
}

async function* problemPages(database: Queryable, runId: string): AsyncGenerator<string[]> {
  let after = 0;
  for (;;) {
    const { rows } = await database.query(
      'SELECT id, problem FROM run_problems WHERE run_id = $1 AND id > $2 ORDER BY id LIMIT $3',
      [runId, after, PAGE_ROWS],
    );
    if (rows.length === 0) return;
    yield rows.map((row) => `${JSON.stringify(problemSchema.parse(row.problem))}\n`);
    after = Number(rows[rows.length - 1].id);
  }
}

/**
 * Writes a queued run's results.jsonl (its grades, streamed from the database a page at a time),
 * errors.jsonl (what the input and the grader could not grade), then candidates.csv,
 * questions.csv, similar.csv and report.html exactly as a local batch does from those files.
 * The report of a run still under way covers what is graded so far.
 */
export async function writeRunReport(
  database: Queryable,
  runId: string,
  out: string,
  bank: QuestionBank,
  now: () => Date = () => new Date(),
): Promise<RunReport> {
  const run = await readRun(database, runId);
  assertOrdinaryFolder(out, '--out');
  try {
    mkdirSync(out, { recursive: true });
  } catch (error) {
    throw new AnswerkeyError('file_system', `cannot use ${out} as the output folder`, {
      cause: error,
      details: { reason: 'output_folder_unusable' },
    });
  }
  const grades = await writeLines(join(out, RESULTS_FILE), gradedPages(database, runId));
  const problems = await writeLines(join(out, ERRORS_FILE), problemPages(database, runId));
  const summary = writeReports(out, bank, {
    inputName: run.options.inputName,
    generatedAt: now(),
    takeHomeCandidates: run.options.takeHomeCandidates,
    declaredQuestions: run.options.declaredQuestions,
  });
  return { summary, grades, problems };
}
