import type { GradingMode } from '../../config/grading-mode.js';
import type { Database } from '../../database/database.js';
import { jobQueueConnection, openJobQueue } from '../../database/job-queue.js';
import { createConcurrencyLimit } from '../../llm/concurrency-limit.js';
import { plural } from '../../text/plural.js';
import type { BatchGrader } from '../run/run-batch.js';
import { createGradeQueues } from './enqueue-run.js';
import { gradeJob, type JobOutcome } from './grade-job.js';
import { GRADE_QUEUES, gradeJobSchema, type GradeJob } from './queue-jobs.js';
import { readRun } from './run-status.js';
import type { RunRow } from './run-records.js';

export type QueueWorkerOptions = {
  database: Database;
  grader: BatchGrader;
  /** The queues to take jobs from: local, and llm when a model server is configured. */
  modes: readonly GradingMode[];
  /** Answers graded at once, over all the jobs this worker holds. */
  concurrency: number;
  /** host:pid:random. */
  workerId: string;
  host: string;
  pid: number;
  /** One line of what the worker does (started, each job, stopping). */
  log: (line: string) => void;
  /** Stop once no job of these queues is waiting, in retry or held by any worker (cron jobs, tests). */
  exitWhenIdle?: boolean;
  /** How long to wait between looks at an empty queue. Default 1 s. */
  pollIntervalMs?: number;
  /** How often to say it is alive (queue_workers.last_seen_at). Default 5 s. */
  heartbeatMs?: number;
};

export type WorkerSummary = { jobs: number; graded: number; failed: number; released: number; seconds: number };

export type QueueWorker = {
  /**
   * Stops taking jobs; the answers in flight finish and are stored, and each job held is handed back
   * for the answers it has left (a new job for them, in one transaction with completing this one).
   */
  stop(): void;
  /** Settles when the worker has stopped (by stop(), or when idle with exitWhenIdle). */
  finished: Promise<WorkerSummary>;
};

const sleep = (milliseconds: number, wake: { cancel?: () => void }) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, milliseconds);
    wake.cancel = () => {
      clearTimeout(timer);
      resolve();
    };
  });

/**
 * Takes grading jobs from the queues until stopped, `concurrency` answers at a time: enough job
 * slots that the answers in flight never wait for a job to be fetched. Every few seconds pg-boss's
 * upkeep (in whichever worker asks first) gives the jobs of a worker that died past their time
 * limit to another, or to the dead-letter queue once out of retries.
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const { database, grader, concurrency, log, modes } = options;
  const queue = openJobQueue(database, { supervise: true });
  queue.on('error', (error: unknown) => log(`job queue: ${error instanceof Error ? error.message : String(error)}`));
  await queue.start();
  await createGradeQueues(queue, modes);
  await database.query(`INSERT INTO queue_workers (id, host, pid, concurrency) VALUES ($1, $2, $3, $4)`, [
    options.workerId,
    options.host,
    options.pid,
    concurrency,
  ]);
  const queueNames = modes.map((mode) => GRADE_QUEUES[mode].name);
  const limit = createConcurrencyLimit(concurrency);
  const startedAt = performance.now();
  const summary: WorkerSummary = { jobs: 0, graded: 0, failed: 0, released: 0, seconds: 0 };
  const runs = new Map<string, RunRow>();
  let stopping = false;
  let busy = 0;
  const sleepers = new Set<{ cancel?: () => void }>();
  const heartbeat = setInterval(() => {
    database
      .query('UPDATE queue_workers SET last_seen_at = now(), graded = $2 WHERE id = $1', [
        options.workerId,
        summary.graded,
      ])
      .catch((error: unknown) => log(`could not record that this worker is alive: ${String(error)}`));
  }, options.heartbeatMs ?? 5000);

  const stop = () => {
    stopping = true;
    for (const sleeper of sleepers) sleeper.cancel?.();
  };

  const pendingJobs = async (): Promise<number> => {
    const { rows } = await database.query(
      `SELECT count(*)::int AS pending FROM pgboss.job WHERE name = ANY($1) AND state IN ('created', 'retry', 'active')`,
      [queueNames],
    );
    return Number(rows[0]?.pending ?? 0);
  };

  const runOf = async (runId: string): Promise<RunRow> => {
    let run = runs.get(runId);
    if (!run) {
      run = await readRun(database, runId);
      runs.set(runId, run);
      await database.query(`UPDATE batch_runs SET status = 'running' WHERE id = $1 AND status = 'queued'`, [runId]);
    }
    return run;
  };

  const work = async (name: string, id: string, data: unknown): Promise<void> => {
    const started = performance.now();
    let job: GradeJob;
    let outcome: JobOutcome;
    try {
      job = gradeJobSchema.parse(data);
      outcome = await gradeJob(job, await runOf(job.runId), {
        database,
        grader,
        workerId: options.workerId,
        limit,
        shouldStop: () => stopping,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`job ${id} failed (it is retried, then sent to ${name}-failed): ${message}`);
      await queue.fail(name, id, { message }).catch(() => undefined);
      return;
    }
    summary.jobs += 1;
    summary.graded += outcome.graded;
    summary.failed += outcome.failed;
    const range = `answers ${job.first + 1}–${job.last + 1} of ${job.runId}`;
    const seconds = (performance.now() - started) / 1000;
    if (outcome.left > 0) {
      // Handed back: a job for the same answers (those graded are skipped) and this one completed, together.
      summary.released += 1;
      await database.transaction(async (transaction) => {
        await queue.insert([{ name, data: job, expireInSeconds: (await runOf(job.runId)).options.jobTimeoutSeconds }], {
          db: jobQueueConnection(transaction),
        });
        await queue.complete(name, id, { ...outcome, released: true }, { db: jobQueueConnection(transaction) });
      });
      log(`${range}: graded ${outcome.graded}, handed back ${plural(outcome.left, 'answer')} for another worker`);
      return;
    }
    await queue.complete(name, id, outcome);
    const extra = [
      outcome.failed > 0 ? `${outcome.failed} not graded (in the run's errors)` : '',
      outcome.alreadyDone > 0 ? `${outcome.alreadyDone} already done` : '',
    ].filter(Boolean);
    log(
      `${range}: graded ${outcome.graded} in ${seconds.toFixed(1)} s${extra.length > 0 ? `, ${extra.join(', ')}` : ''} · ${summary.graded} graded by this worker`,
    );
  };

  const slot = async (): Promise<void> => {
    while (!stopping) {
      let fetched: { name: string; id: string; data: unknown } | undefined;
      for (const name of queueNames) {
        const [job] = await queue.fetch<unknown>(name, { batchSize: 1 });
        if (job) {
          fetched = { name, id: job.id, data: job.data };
          break;
        }
      }
      if (fetched) {
        busy += 1;
        try {
          await work(fetched.name, fetched.id, fetched.data);
        } finally {
          busy -= 1;
        }
        continue;
      }
      if (options.exitWhenIdle && busy === 0 && (await pendingJobs()) === 0) {
        stop();
        return;
      }
      const sleeper = {};
      sleepers.add(sleeper);
      await sleep(options.pollIntervalMs ?? 1000, sleeper);
      sleepers.delete(sleeper);
    }
  };

  const slots = Math.max(2, Math.ceil(concurrency / 25) + 1);
  log(
    `worker ${options.workerId} started on ${database.target}: ${plural(concurrency, 'answer')} at a time, ${slots} job slots, queues ${queueNames.join(', ')}`,
  );
  const finished = (async () => {
    try {
      await Promise.all(Array.from({ length: slots }, () => slot()));
    } finally {
      clearInterval(heartbeat);
      await database
        .query('UPDATE queue_workers SET last_seen_at = now(), graded = $2, stopped_at = now() WHERE id = $1', [
          options.workerId,
          summary.graded,
        ])
        .catch(() => undefined);
      await queue.stop({ graceful: false, close: false, wait: true }).catch(() => undefined);
    }
    summary.seconds = (performance.now() - startedAt) / 1000;
    return summary;
  })();
  return { stop, finished };
}
