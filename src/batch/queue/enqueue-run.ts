import { randomBytes } from 'node:crypto';
import type { GradingMode } from '../../config/grading-mode.js';
import type { Database, Queryable } from '../../database/database.js';
import { jobQueueConnection, openJobQueue, type JobQueue } from '../../database/job-queue.js';
import { sha256 } from '../../text/sha256.js';
import { createGradingFingerprint, type FingerprintSources } from '../grading-fingerprint.js';
import type { BatchInput } from '../input/read-input.js';
import { chunkJobs, GRADE_QUEUES, JOB_RETRY_DELAY_SECONDS, JOB_RETRY_LIMIT, answersPerJob } from './queue-jobs.js';
import type { RunOptions } from './run-records.js';

export type EnqueueRunOptions = {
  database: Database;
  /** The input as readInput read it: checked exactly as a local batch checks it. */
  input: BatchInput;
  /** The input file or folder name, for the report's title. */
  inputName: string;
  mode: GradingMode;
  /** The grader's bank and settings, to record what the run was queued to be graded with. */
  grader: FingerprintSources;
  declaredQuestions?: readonly string[];
  jobTimeoutSeconds: number;
  now?: () => Date;
};

export type QueuedRun = {
  runId: string;
  total: number;
  jobs: number;
  answersPerJob: number;
  candidates: number;
  /** Rows and sections of the input that will not be graded (the run's errors.jsonl). */
  problems: number;
};

/** Rows per INSERT: 100,000 answers go in 100 statements, not one of 100,000 rows or 100,000 of one. */
const INSERT_ROWS = 1000;

/** run-20250612-1a2b3c4d: sorts by day, unique by its random part. */
function newRunId(now: Date): string {
  return `run-${now.toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(4).toString('hex')}`;
}

/** PostgreSQL's code for a transaction it chose to abort to break a deadlock. */
const DEADLOCK_DETECTED = '40P01';
const CREATE_ATTEMPTS = 5;

/**
 * Creates one queue, again if PostgreSQL broke a deadlock by aborting it: two workers starting at
 * once both creating the same queues deadlock on pg-boss's queue table, and creating is idempotent.
 */
async function createQueue(queue: JobQueue, ...queueArguments: Parameters<JobQueue['createQueue']>): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await queue.createQueue(...queueArguments);
      return;
    } catch (error) {
      if (attempt >= CREATE_ATTEMPTS || (error as { code?: unknown }).code !== DEADLOCK_DETECTED) throw error;
    }
  }
}

/** Creates the run's queue and its dead-letter queue if they are not there (creating twice is safe). */
export async function createGradeQueues(queue: JobQueue, modes: readonly GradingMode[]): Promise<void> {
  for (const mode of modes) {
    const { name, deadLetter } = GRADE_QUEUES[mode];
    await createQueue(queue, deadLetter);
    await createQueue(queue, name, {
      name,
      retryLimit: JOB_RETRY_LIMIT,
      retryDelay: JOB_RETRY_DELAY_SECONDS,
      retryBackoff: true,
      deadLetter,
    });
  }
}

async function insertAnswers(transaction: Queryable, runId: string, input: BatchInput): Promise<void> {
  for (let start = 0; start < input.answers.length; start += INSERT_ROWS) {
    const rows = input.answers.slice(start, start + INSERT_ROWS);
    await transaction.query(
      `INSERT INTO run_answers (run_id, ordinal, candidate, question_key, question_ref, answer, answer_hash, source)
       SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::text[], $8::text[])`,
      [
        runId,
        rows.map((_, index) => start + index),
        rows.map((answer) => answer.candidateId),
        rows.map((answer) => answer.questionKey),
        rows.map((answer) => JSON.stringify(answer.questionRef)),
        rows.map((answer) => answer.answer),
        rows.map((answer) => answer.answerSha256),
        rows.map((answer) => answer.source),
      ],
    );
  }
}

/**
 * Stores a run and its answers and queues its jobs, all in one transaction: a run is queued whole
 * or not at all. Each job is a range of answers (25 to 100 of them), retried with a growing wait
 * when it fails and sent to the dead-letter queue after JOB_RETRY_LIMIT retries.
 */
export async function enqueueRun(options: EnqueueRunOptions): Promise<QueuedRun> {
  const { database, input, mode } = options;
  const now = (options.now ?? (() => new Date()))();
  const runId = newRunId(now);
  const total = input.answers.length;
  const perJob = answersPerJob(total);
  const jobs = chunkJobs(runId, total);
  const runOptions: RunOptions = {
    mode,
    inputName: options.inputName,
    inputKind: input.kind,
    ...(input.takeHomeCandidates ? { takeHomeCandidates: [...input.takeHomeCandidates] } : {}),
    ...(options.declaredQuestions ? { declaredQuestions: [...options.declaredQuestions] } : {}),
    answersPerJob: perJob,
    jobTimeoutSeconds: options.jobTimeoutSeconds,
  };
  // What the run is queued to be graded with: scorer, weights, bank, match threshold and examples per answer.
  const settings = createGradingFingerprint(
    options.grader,
    mode,
  )({ questionKey: '', questionRef: {}, questionId: null });
  const fingerprint = sha256(JSON.stringify([settings, options.grader.config.exampleCount])).slice(0, 16);
  const candidates = new Set(input.answers.map((answer) => answer.candidateId));
  const description = `${options.inputName} (${total} ${total === 1 ? 'answer' : 'answers'} from ${candidates.size} ${candidates.size === 1 ? 'candidate' : 'candidates'})`;
  const queue = openJobQueue(database);
  await createGradeQueues(queue, [mode]);
  const { name } = GRADE_QUEUES[mode];
  await database.transaction(async (transaction) => {
    await transaction.query(
      `INSERT INTO batch_runs (id, created_at, input_description, options, fingerprint, total, status)
       VALUES ($1, $2, $3, $4, $5, $6, 'queued')`,
      [runId, now, description, JSON.stringify(runOptions), fingerprint, total],
    );
    await insertAnswers(transaction, runId, input);
    if (input.problems.length > 0)
      await transaction.query('INSERT INTO run_problems (run_id, problem) SELECT $1, * FROM unnest($2::jsonb[])', [
        runId,
        input.problems.map((problem) => JSON.stringify(problem)),
      ]);
    if (jobs.length > 0)
      await queue.insert(
        jobs.map((data) => ({ name, data, expireInSeconds: options.jobTimeoutSeconds })),
        { db: jobQueueConnection(transaction) },
      );
  });
  return {
    runId,
    total,
    jobs: jobs.length,
    answersPerJob: perJob,
    candidates: candidates.size,
    problems: input.problems.length,
  };
}
