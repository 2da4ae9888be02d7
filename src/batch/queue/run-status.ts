import { z } from 'zod';
import type { Queryable } from '../../database/database.js';
import { AnswerkeyError } from '../../errors/answerkey-error.js';
import { GRADE_QUEUES } from './queue-jobs.js';
import { runRowSchema, type RunRow } from './run-records.js';

/** A run by its id, or not_found (reason run_not_found). */
export async function readRun(database: Queryable, runId: string): Promise<RunRow> {
  const { rows } = await database.query(
    'SELECT id, created_at, input_description, options, fingerprint, total, status FROM batch_runs WHERE id = $1',
    [runId],
  );
  if (rows.length === 0)
    throw new AnswerkeyError('not_found', `no run "${runId}" in the database`, {
      details: { reason: 'run_not_found', runId },
    });
  return runRowSchema.parse(rows[0]);
}

export const runStatusSchema = z.object({
  runId: z.string(),
  input: z.string(),
  mode: z.enum(['local', 'llm']),
  createdAt: z.string(),
  /** queued (no worker has started it), running, done (every answer graded or refused), or failed (jobs in the dead-letter queue). */
  state: z.enum(['queued', 'running', 'done', 'failed']),
  total: z.number().int(),
  graded: z.number().int(),
  /** Answers the grader refused (errors.jsonl), and answers of jobs that failed every retry. */
  failed: z.number().int(),
  /** Rows and sections of the input that were never answers to grade. */
  inputProblems: z.number().int(),
  jobs: z.object({
    waiting: z.number().int(),
    retrying: z.number().int(),
    active: z.number().int(),
    /** Jobs that failed every retry, in the dead-letter queue. */
    deadLettered: z.number().int(),
  }),
  /** Workers that stored a grade of this run. */
  workersSeen: z.number().int(),
  /** Workers that said they were alive in the last 30 seconds, for any run. */
  workersAlive: z.number().int(),
  firstGradedAt: z.string().nullable(),
  lastGradedAt: z.string().nullable(),
});

export type RunStatus = z.infer<typeof runStatusSchema>;

const countsSchema = z.object({
  graded: z.coerce.number().int(),
  refused: z.coerce.number().int(),
  input_problems: z.coerce.number().int(),
  workers_seen: z.coerce.number().int(),
  workers_alive: z.coerce.number().int(),
  first_graded_at: z.date().nullable(),
  last_graded_at: z.date().nullable(),
});

/** How far a run got: counted from its grades, its problems and its jobs in the queue. */
export async function readRunStatus(database: Queryable, runId: string): Promise<RunStatus> {
  const run = await readRun(database, runId);
  const { rows } = await database.query(
    `SELECT
       (SELECT count(DISTINCT (candidate, question_key, answer_hash)) FROM run_grades WHERE run_id = $1) AS graded,
       (SELECT count(*) FROM run_problems WHERE run_id = $1 AND answer_ordinal IS NOT NULL) AS refused,
       (SELECT count(*) FROM run_problems WHERE run_id = $1 AND answer_ordinal IS NULL) AS input_problems,
       (SELECT count(DISTINCT provenance ->> 'worker') FROM run_grades WHERE run_id = $1) AS workers_seen,
       (SELECT count(*) FROM queue_workers WHERE stopped_at IS NULL AND last_seen_at > now() - interval '30 seconds') AS workers_alive,
       (SELECT min(graded_at) FROM run_grades WHERE run_id = $1) AS first_graded_at,
       (SELECT max(graded_at) FROM run_grades WHERE run_id = $1) AS last_graded_at`,
    [runId],
  );
  const counts = countsSchema.parse(rows[0]);
  const queue = GRADE_QUEUES[run.options.mode];
  const jobs = await database.query(
    `SELECT name, state::text AS state, count(*)::int AS jobs,
            coalesce(sum((data ->> 'last')::int - (data ->> 'first')::int + 1), 0)::int AS answers
       FROM pgboss.job WHERE name = ANY($1) AND data ->> 'runId' = $2 AND state IN ('created', 'retry', 'active', 'failed', 'cancelled')
      GROUP BY name, state`,
    [[queue.name, queue.deadLetter], runId],
  );
  const jobCount = (name: string, state: string) =>
    jobs.rows.filter((row) => row.name === name && row.state === state).reduce((sum, row) => sum + Number(row.jobs), 0);
  const deadLettered = jobs.rows.filter((row) => row.name === queue.deadLetter);
  const deadJobs = deadLettered.reduce((sum, row) => sum + Number(row.jobs), 0);
  const waiting = jobCount(queue.name, 'created');
  const retrying = jobCount(queue.name, 'retry');
  const active = jobCount(queue.name, 'active');
  const pendingJobs = waiting + retrying + active;
  // Answers no job will grade any more: those of dead-lettered jobs not graded, once nothing else is pending.
  const stranded = pendingJobs === 0 ? Math.max(0, run.total - counts.graded - counts.refused) : 0;
  const failed = counts.refused + (deadJobs > 0 ? stranded : 0);
  const finished = counts.graded + counts.refused >= run.total;
  const state = finished
    ? 'done'
    : pendingJobs === 0 && deadJobs > 0
      ? 'failed'
      : counts.graded + counts.refused > 0 || active > 0
        ? 'running'
        : 'queued';
  return runStatusSchema.parse({
    runId,
    input: run.input_description,
    mode: run.options.mode,
    createdAt: run.created_at.toISOString(),
    state,
    total: run.total,
    graded: counts.graded,
    failed,
    inputProblems: counts.input_problems,
    jobs: { waiting, retrying, active, deadLettered: deadJobs },
    workersSeen: counts.workers_seen,
    workersAlive: counts.workers_alive,
    firstGradedAt: counts.first_graded_at?.toISOString() ?? null,
    lastGradedAt: counts.last_graded_at?.toISOString() ?? null,
  });
}
