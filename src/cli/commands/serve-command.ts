import { Command, Option } from 'commander';
import { openGrader } from '../../app/create-grader.js';
import type { CliIo } from '../cli-io.js';
import { refuseUnavailableLlmMode, withLlmOptions } from '../llm-options.js';
import { configFrom, withExampleCountOption, withSharedOptions, type SharedOptionValues } from '../shared-options.js';
import { availableParallelism } from 'node:os';

interface ServeOptions extends SharedOptionValues {
  port?: string;
  host?: string;
}

export function serveCommand(io: CliIo, version: string): Command {
  const command = new Command('serve')
    .summary('run the HTTP API and the second-opinion page')
    .description(
      'Serves POST /v1/grade, POST /v1/grade/batch, GET /v1/questions, GET /v1/lookup, POST|GET /v1/examples, ' +
        'GET|DELETE /v1/examples/{id}, /healthz, /readyz, /metrics, ' +
        '/openapi.json, /docs, and the second-opinion page at /. Logs are JSON lines on standard output; answers are ' +
        'not logged unless ANSWERKEY_LOG_ANSWERS=1. With ANSWERKEY_API_KEYS set, /v1 needs a bearer key. With a ' +
        'database (--database-url / ANSWERKEY_DATABASE_URL, migrated by `answerkey db migrate`), the graded examples, ' +
        'the review log and the rate limits are kept in it and shared by every replica (docs/deploy.md).',
    )
    .addOption(new Option('-p, --port <port>', 'port to listen on').env('PORT'))
    .addOption(new Option('--host <host>', 'address to listen on (0.0.0.0 for every interface)').env('HOST'))
    .addHelpText(
      'after',
      '\nExamples:\n  $ answerkey serve\n  $ ANSWERKEY_API_KEYS=$(openssl rand -hex 24) answerkey serve --port 9000',
    );
  return withExampleCountOption(withLlmOptions(withSharedOptions(command))).action(async (options: ServeOptions) => {
    // Imported here, not at the top: the server's modules cost ~0.2 s that other commands need not pay.
    const [{ pino }, { resolveServerConfig }, { startServer }] = await Promise.all([
      import('pino'),
      import('../../server/server-config.js'),
      import('../../server/start-server.js'),
    ]);
    const graderConfig = configFrom(options);
    refuseUnavailableLlmMode(graderConfig);
    const config = resolveServerConfig({ port: options.port, host: options.host });
    // Buffered, asynchronous writes: a synchronous write per log line cost ~1.5 ms of each request.
    const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
    const logger = pino({ level: config.logLevel, base: { service: 'answerkey' } }, destination);
    // A signal aborts the model calls in flight (their requests get 503), so closing never waits on a slow model.
    const stopCalls = new AbortController();
    // Local grades are scored on worker threads (one per spare core, at least one, at most four), so a
    // long answer never holds up other requests, /healthz included (bench/hostile-answers.mjs).
    const scoringThreads = Math.min(4, Math.max(1, availableParallelism() - 1));
    // With a database configured, the graded examples, the review log and the rate limits are the
    // ones every replica shares.
    const { grader, database, close } = await openGrader(graderConfig, {
      notice: (message) => logger.info(message),
      stop: stopCalls.signal,
      scoringThreads,
    });
    const running = await startServer({ grader, config, logger, version, database }).catch(async (error: unknown) => {
      await close();
      throw error;
    });
    io.stderr(`answerkey: listening on ${running.url}  (page ${running.url}/ · docs ${running.url}/docs)\n`);
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        io.stderr(`answerkey: ${signal}: finishing requests in flight (model calls are cancelled)…\n`);
        stopCalls.abort();
        void running.close().then(async () => {
          // The scoring threads (and the database's connections) would keep the process alive.
          await close().catch(() => undefined);
          destination.flushSync();
          // Work started before the signal (a warm-up's index build) must not keep a stopped server alive.
          setTimeout(() => process.exit(), 2_000).unref();
          resolve();
        });
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
  });
}
