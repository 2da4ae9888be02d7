import { Command, Option } from 'commander';
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { openGrader, type OpenedGrader } from '../../app/create-grader.js';
import { startQueueWorker } from '../../batch/queue/queue-worker.js';
import { formatDuration } from '../../batch/run/batch-progress.js';
import type { GradingMode } from '../../config/grading-mode.js';
import { openDatabase } from '../../database/open-database.js';
import { AnswerkeyError } from '../../errors/answerkey-error.js';
import { createSharedRequestLimit, requestLimitKey } from '../../llm/shared-request-limit.js';
import { plural } from '../../text/plural.js';
import type { CliIo } from '../cli-io.js';
import { parseWholeNumber } from '../whole-number.js';
import { configFrom, withExampleCountOption, withSharedOptions, type SharedOptionValues } from '../shared-options.js';

interface WorkerOptions extends SharedOptionValues {
  concurrency: string;
  exitWhenIdle?: boolean;
  requestsPerMinute?: string;
}

const MAX_CONCURRENCY = 256;

export function workerCommand(io: CliIo): Command {
  const command = new Command('worker')
    .summary('grade queued batch runs (batch --queue), on as many machines as you like')
    .description(
      'Takes jobs of answers from the queue in the database (--database-url / ANSWERKEY_DATABASE_URL) that ' +
        '`answerkey batch INPUT --queue` filled, grades them as a local batch does (local mode, or LLM mode for a ' +
        'run queued with --mode llm, when OPENAI_API_KEY or OPENAI_BASE_URL is set here) and stores each grade ' +
        'in the database the moment it is ready. Start any number, on any machines: each answer is graded once. ' +
        'A worker that dies (kill -9, a lost machine) loses nothing: its jobs go to another worker after their time ' +
        'limit (batch --job-timeout). Workers grade with their own settings (bank, weights, graded examples): give ' +
        'them all the same.\n\n' +
        'SIGTERM or Ctrl-C stops it gracefully: the answers in flight finish and are stored, and the rest of its ' +
        'jobs go back to the queue; a second one also cancels the model calls in flight (their answers go back too).',
    )
    .addOption(
      new Option('-c, --concurrency <n>', 'answers graded at once (in LLM mode, model calls in flight)').default('4'),
    )
    .option('--exit-when-idle', 'stop once no job is waiting or held by any worker (for cron jobs and scripts)')
    .addOption(
      new Option(
        '--requests-per-minute <n>',
        'LLM mode: at most N requests a minute to the model server, counted in the database for all workers together',
      ).env('ANSWERKEY_LLM_REQUESTS_PER_MINUTE'),
    )
    .addOption(
      new Option('--model <name>', 'chat model for LLM mode (default gpt-4o-mini)').env('ANSWERKEY_CHAT_MODEL'),
    )
    .addHelpText(
      'after',
      `
Examples:
  $ ANSWERKEY_DATABASE_URL=postgres://answerkey@127.0.0.1:5432/answerkey answerkey worker
  $ answerkey worker --concurrency 8 --database-url postgres://answerkey@127.0.0.1:5432/answerkey
  $ answerkey worker --exit-when-idle --database-url postgres://answerkey@127.0.0.1:5432/answerkey
  $ OPENAI_BASE_URL=http://127.0.0.1:8000/v1 answerkey worker --concurrency 32 --requests-per-minute 500 --database-url postgres://answerkey@127.0.0.1:5432/answerkey

Start several on one machine to use its cores (local mode grades on one core per worker); see
docs/deploy.md ("Queue and workers") for systemd and docker-compose.`,
    );
  return withExampleCountOption(withSharedOptions(command)).action(async (options: WorkerOptions) => {
    const concurrency = parseWholeNumber(options.concurrency, '--concurrency', {
      minimum: 1,
      maximum: MAX_CONCURRENCY,
    });
    // An empty ANSWERKEY_LLM_REQUESTS_PER_MINUTE (as .env.example has it) is no limit.
    const requestsPerMinute =
      options.requestsPerMinute === undefined || options.requestsPerMinute.trim() === ''
        ? undefined
        : parseWholeNumber(options.requestsPerMinute, '--requests-per-minute / ANSWERKEY_LLM_REQUESTS_PER_MINUTE', {
            minimum: 1,
            maximum: 1_000_000,
          });
    const log = (line: string) => io.stderr(`${new Date().toISOString()} answerkey worker: ${line}\n`);
    const config = configFrom({ ...options, concurrency: String(concurrency) });
    if (config.databaseUrl === undefined)
      throw new AnswerkeyError('invalid_setting', 'no database given: a worker takes its jobs from the database', {
        hint: 'set ANSWERKEY_DATABASE_URL or pass --database-url postgres://user:password@host:5432/database',
      });
    const database = openDatabase(config.databaseUrl, { maxConnections: Math.ceil(concurrency / 25) + 6 });
    // The first signal ends the waits for the shared request limit (those answers go back at once), the second the calls.
    const stopWaits = new AbortController();
    const stopCalls = new AbortController();
    // Every model call and wait in flight listens to them: as many as --concurrency, not a leak.
    setMaxListeners(0, stopWaits.signal, stopCalls.signal);
    let opened: OpenedGrader | undefined;
    let signals = 0;
    let stopWorker = () => undefined as void;
    const onSignal = (signal: NodeJS.Signals) => {
      signals += 1;
      if (signals === 1) {
        log(
          `${signal}: stopping; the answers in flight finish, the rest of its jobs go back to the queue (again to cancel model calls in flight)`,
        );
        stopWorker();
        stopWaits.abort();
      } else if (signals === 2) {
        log(`${signal}: cancelling the model calls in flight; their answers go back to the queue (again to quit now)`);
        stopCalls.abort();
      } else process.exit(130);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      // Checks the database is migrated, and grades with the graded examples every worker and replica shares.
      opened = await openGrader(config, {
        database,
        notice: log,
        stop: stopCalls.signal,
        ...(requestsPerMinute === undefined
          ? {}
          : {
              llmRequestGate: createSharedRequestLimit({
                database,
                key: requestLimitKey(config.openai.baseUrl),
                perMinute: requestsPerMinute,
                stop: stopWaits.signal,
              }),
            }),
      });
      const { grader } = opened;
      const modes: GradingMode[] = grader.llmConfigured ? ['llm', 'local'] : ['local'];
      if (!grader.llmConfigured)
        log('no model server configured (OPENAI_API_KEY or OPENAI_BASE_URL): taking local-mode jobs only');
      else if (requestsPerMinute !== undefined)
        log(
          `LLM mode: at most ${requestsPerMinute} requests a minute to ${requestLimitKey(config.openai.baseUrl).replace(/^llm-requests:/, '')}, shared by all workers`,
        );
      const host = hostname();
      const worker = await startQueueWorker({
        database,
        grader,
        modes,
        concurrency,
        workerId: `${host}:${process.pid}:${randomBytes(2).toString('hex')}`,
        host,
        pid: process.pid,
        log,
        exitWhenIdle: options.exitWhenIdle === true,
      });
      stopWorker = worker.stop;
      if (signals > 0) worker.stop();
      const summary = await worker.finished;
      log(
        `stopped after ${formatDuration(summary.seconds)}: ${plural(summary.jobs, 'job')}, ${plural(summary.graded, 'answer')} graded` +
          (summary.failed > 0 ? `, ${summary.failed} not graded (in their runs' errors)` : '') +
          (summary.released > 0 ? `, ${plural(summary.released, 'job')} handed back` : ''),
      );
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await opened?.close();
      await database.close();
    }
  });
}
