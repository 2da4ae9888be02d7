import type { GradingMode } from '../../config/grading-mode.js';
import { mkdirSync } from 'node:fs';
import { assertOrdinaryFolder } from '../../config/directory-setting.js';
import { basename, join } from 'node:path';
import { AnswerkeyError, isAnswerkeyError } from '../../errors/answerkey-error.js';
import type { Grade } from '../../grading/grade-schema.js';
import { isInterruption } from '../../llm/call-deadline.js';
import type { GradeRequest } from '../../grading/grade-request.js';
import type { QuestionBank } from '../../rubrics/question-bank.js';
import { answersToGrade, type AnswersToGrade } from './answers-to-grade.js';
import { excerptOf, type BatchAnswer, type InputProblem } from '../batch-answer.js';
import type { BatchProgress } from './batch-progress.js';
import { summarizeResults, type BatchSummary } from '../report/candidate-summary.js';
import { readErrorsLog, startErrorsLog } from './errors-log.js';
import { createGradingFingerprint, type FingerprintSources } from '../grading-fingerprint.js';
import { readInput, type BatchInput } from '../input/read-input.js';
import { reportChunks, REPORT_FILE } from '../report/render-report.js';
import { resultRow } from '../result-row.js';
import { readResultsFile, RESULTS_FILE, ResultsStore } from './results-store.js';
import { acquireRunLock } from './run-lock.js';
import { readStoredOverrides, storeOverrides, type OverrideInput } from '../input/reviewer-overrides.js';
import { findSimilarAnswers } from '../report/similar-answers.js';
import type { SourcedDraft } from '../../examples/example-store.js';
import { SIMILAR_FILE, similarCsv } from '../report/write-similar-csv.js';
import { runPool } from '../../concurrency/worker-pool.js';
import { CANDIDATES_FILE, candidatesCsv } from '../report/write-candidates-csv.js';
import { writeChunksAtomic, writeFileAtomic } from '../../concurrency/write-file-atomic.js';
import { QUESTIONS_FILE, questionsCsv } from '../report/write-questions-csv.js';

/** That the index could not be rebuilt after storing reviewers' scores as examples: the error, and when it is tried again (the command line words it). */
export type IndexRebuildWarning = { error: unknown; retryAfterMs?: number };

/** What a batch needs of the grader: grading one answer, and the bank, settings and examples that say what a grade was graded with. */
export type BatchGrader = FingerprintSources & {
  grade: (request: GradeRequest) => Promise<Grade>;
  /** Stores reviewers' scores as graded examples (`--learn`). */
  addExamples?: (
    drafts: readonly SourcedDraft[],
  ) => Promise<{ added: readonly unknown[]; warning?: IndexRebuildWarning }>;
};

export type BatchRunOptions = {
  inputPath: string;
  outDirectory: string;
  concurrency: number;
  /** Asked for on every answer, so ANSWERKEY_MODE or an API key in the environment cannot switch scorers mid-batch. */
  mode: GradingMode;
  grader: BatchGrader;
  notice: (message: string) => void;
  progress: BatchProgress;
  /** Checked before each answer is started: true after Ctrl-C, so the answers in flight finish and the rest wait. */
  shouldStop?: () => boolean;
  /** The bank questions every candidate was set (--questions): unanswered ones count 0. */
  declaredQuestions?: readonly string[];
  /** Reviewers' scores to apply (--overrides), read beforehand so that a bad file stops the run before it grades. */
  overrides?: { source: string; inputs: readonly OverrideInput[] };
  /** Store the overrides as graded examples too (--learn). */
  learn?: boolean;
  now?: () => Date;
};

export type BatchRunResult = {
  input: BatchInput;
  alreadyDone: number;
  /** Stored grades found stale (graded with other settings) and graded again, with why. */
  regrade: Pick<AnswersToGrade, 'regraded' | 'reasons' | 'keptUnrecorded'>;
  graded: number;
  failed: InputProblem[];
  /** Answers of this input still to grade: non-zero after an interruption. */
  remaining: number;
  interrupted: boolean;
  seconds: number;
  summary: BatchSummary;
  /** Reviewers' overrides applied in this run, and how many were stored as graded examples. */
  overrides: { applied: number; learned: number; warning?: IndexRebuildWarning };
};

/**
 * Grades every answer of the input not already in DIR/results.jsonl, appending each grade the
 * moment it is ready, then rewrites candidates.csv and report.html from all of results.jsonl.
 */
export async function runBatch(options: BatchRunOptions): Promise<BatchRunResult> {
  const { outDirectory: out, grader, notice, progress, shouldStop = () => false, now = () => new Date() } = options;
  const input = await readInput(options.inputPath, grader.bank);
  createOutputDirectory(out);
  const lock = acquireRunLock(out, notice);
  try {
    const started = performance.now();
    const store = ResultsStore.open(out, notice);
    const failed: InputProblem[] = [];
    let graded = 0;
    let plan: AnswersToGrade;
    try {
      const logProblem = startErrorsLog(out, input.problems);
      const gradedWith = createGradingFingerprint(grader, options.mode);
      plan = answersToGrade(input.answers, store.grades, options.mode, gradedWith);
      const { pending } = plan;
      progress.start(pending.length);
      await runPool(
        pending,
        options.concurrency,
        async (answer) => {
          let grade: Grade;
          try {
            grade = await grader.grade({ answer: answer.answer, ...answer.questionRef, mode: options.mode });
          } catch (error) {
            // Stopped by Ctrl-C or SIGTERM mid-call: not a problem of the answer; the next run grades it.
            if (isInterruption(error)) return;
            // One answer the grader rejects (a question text that matches nothing) must not stop the night's run.
            const problem = gradingProblem(answer, error);
            failed.push(problem);
            logProblem(problem);
            progress.update(graded + failed.length);
            return;
          }
          store.append(resultRow(answer, grade, now(), gradedWith({ ...answer, questionId: grade.questionId })));
          graded += 1;
          progress.update(graded + failed.length);
        },
        shouldStop,
      );
    } finally {
      progress.stop();
      store.close();
    }
    const overrides = await applyOverrides(out, options, now());
    const summary = writeReports(out, grader.bank, {
      inputName: basename(options.inputPath),
      generatedAt: now(),
      takeHomeCandidates: input.takeHomeCandidates,
      declaredQuestions: options.declaredQuestions,
    });
    const { pending, regraded, reasons, keptUnrecorded } = plan;
    return {
      input,
      alreadyDone: plan.alreadyDone,
      regrade: { regraded, reasons, keptUnrecorded },
      graded,
      failed,
      remaining: pending.length - graded - failed.length,
      interrupted: shouldStop() && pending.length > graded + failed.length,
      seconds: (performance.now() - started) / 1000,
      summary,
      overrides,
    };
  } finally {
    lock.release();
  }
}

export type ReportOptions = {
  /** What was graded, for the title: the input file or folder name. */
  inputName: string;
  generatedAt: Date;
  /** Take-homes: every candidate with a file (each was set every question of the folder). */
  takeHomeCandidates?: readonly string[];
  declaredQuestions?: readonly string[];
};

/**
 * candidates.csv, questions.csv, similar.csv and report.html from every row of results.jsonl, not
 * only this run's. Answers that share most of their text are found first, and results.jsonl records
 * it (`similarTo`, the `copies_reference` flag).
 */
export function writeReports(
  out: string,
  bank: QuestionBank,
  { inputName, generatedAt, takeHomeCandidates, declaredQuestions }: ReportOptions,
): BatchSummary {
  const problems = readErrorsLog(out);
  const resultsPath = join(out, RESULTS_FILE);
  const similarity = findSimilarAnswers(readResultsFile(resultsPath).rows, bank);
  if (similarity.changed)
    writeFileAtomic(resultsPath, similarity.rows.map((row) => `${JSON.stringify(row)}\n`).join(''));
  const summary = summarizeResults(similarity.rows, bank, {
    problems,
    takeHomeCandidates,
    declaredQuestions,
    similarGroups: similarity.groups,
    overrides: readStoredOverrides(out),
  });
  writeFileAtomic(join(out, CANDIDATES_FILE), candidatesCsv(summary));
  writeFileAtomic(join(out, QUESTIONS_FILE), questionsCsv(summary));
  writeFileAtomic(join(out, SIMILAR_FILE), similarCsv(summary));
  writeChunksAtomic(join(out, REPORT_FILE), reportChunks({ summary, problems, inputName, generatedAt }));
  return summary;
}

/** Stores the reviewers' scores beside results.jsonl and, with --learn, as graded examples of their questions. */
async function applyOverrides(out: string, options: BatchRunOptions, now: Date): Promise<BatchRunResult['overrides']> {
  if (!options.overrides) return { applied: 0, learned: 0 };
  const applied = storeOverrides(
    out,
    options.overrides.inputs,
    readResultsFile(join(out, RESULTS_FILE)).rows,
    options.overrides.source,
    now,
  );
  if (!options.learn || !options.grader.addExamples) return { applied: applied.length, learned: 0 };
  const drafts = applied.flatMap(({ row, override }) =>
    row.questionId === null || row.answer.trim() === ''
      ? []
      : [
          {
            questionId: row.questionId,
            answer: row.answer,
            score: override.score,
            maxScore: row.maxScore,
            note: override.note ?? `a reviewer's score in ${basename(out)}`,
            source: `${basename(out)}/${row.candidateId}`,
          },
        ],
  );
  if (drafts.length === 0) return { applied: applied.length, learned: 0 };
  const { added, warning } = await options.grader.addExamples(drafts);
  return { applied: applied.length, learned: added.length, ...(warning ? { warning } : {}) };
}

function createOutputDirectory(out: string): void {
  // On procfs Node's recursive mkdir retries forever: refuse kernel file systems first.
  assertOrdinaryFolder(out, '--out');
  try {
    mkdirSync(out, { recursive: true });
  } catch (error) {
    throw new AnswerkeyError(
      'file_system',
      `cannot use ${out} as the output folder (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      {
        hint: 'choose an output folder that can be created or written to',
        details: { reason: 'output_folder_unusable' },
        cause: error,
      },
    );
  }
}

/** An answer the grader refused (a question text that matches nothing), as a line of errors.jsonl. */
export function gradingProblem(answer: BatchAnswer, error: unknown): InputProblem {
  const reason = isAnswerkeyError(error)
    ? error.message
    : `unexpected error: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  return {
    kind: 'grading_failed',
    source: answer.source,
    reason,
    candidateId: answer.candidateId,
    questionKey: answer.questionKey,
    excerpt: excerptOf(answer.answer),
  };
}
