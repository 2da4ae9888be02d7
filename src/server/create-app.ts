import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { PACKAGE_ROOT } from '../config/paths.js';
import { HttpError } from './http-error.js';
import { cors } from './middleware/cors.js';
import { byApiKey, perMinute } from './middleware/rate-limit.js';
import { createDatabaseRateLimitStore } from './middleware/rate-limit-store.js';
import type { Database } from '../database/database.js';
import { readinessSchema } from './api-schemas.js';
import { databaseReadiness } from './database-readiness.js';
import { validOutput } from './valid-output.js';
import { requestLog } from './middleware/request-log.js';
import { requestMetrics } from './middleware/request-metrics.js';
import { requireJson } from './middleware/require-json.js';
import type { ExampleAdmin, Grader } from '../app/grader.js';
import { renderDocsPage } from './docs-page.js';
import { apiKeyAuth, requireScope } from './middleware/api-key-auth.js';
import { errorHandler } from './middleware/error-handler.js';
import { FailedAuthentications } from './middleware/failed-authentications.js';
import { noteInvalidUtf8, refuseInvalidUtf8 } from './middleware/utf8-body.js';
import { requestId } from './middleware/request-id.js';
import { createMetrics, type Metrics } from './metrics.js';
import { openApiDocument } from './openapi.js';
import { exampleRoutes } from './routes/example-routes.js';
import { gradeRoutes } from './routes/grade-routes.js';
import { questionRoutes } from './routes/question-routes.js';
import { reviewRoutes } from './routes/review-routes.js';
import type { ServerConfig } from './server-config.js';

export interface AppContext {
  grader: Grader & ExampleAdmin;
  config: ServerConfig;
  logger: Logger;
  version: string;
  /** Resolves when the index is loaded; until then /readyz answers 503. */
  ready: Promise<void>;
  /**
   * The database the grader keeps its stores in, when one is configured: the rate limits are
   * counted in it (shared by every replica), and /readyz answers 503 while it cannot be used.
   */
  database?: Database;
}

export interface App {
  app: Express;
  metrics: Metrics;
}

const PUBLIC_DIRECTORY = join(PACKAGE_ROOT, 'src', 'server', 'public');

/** The express app, without listening: tests mount it on port 0, `answerkey serve` on its port. */
export function createApp({ grader, config, logger, version, ready, database }: AppContext): App {
  const app = express();
  const metrics = createMetrics();
  let isReady = false;
  ready.then(() => (isReady = true)).catch((error: unknown) => logger.error({ err: error }, 'index failed to load'));

  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(requestId());
  app.use(requestLog(logger, config.logAnswers));
  app.use(requestMetrics(metrics));
  // No HSTS or upgrade-insecure-requests: the server speaks plain HTTP (TLS belongs to a proxy in front).
  app.use(
    helmet({
      strictTransportSecurity: false,
      contentSecurityPolicy: {
        directives: { 'script-src': ["'self'"], 'connect-src': ["'self'"], 'upgrade-insecure-requests': null },
      },
    }),
  );
  if (config.corsOrigins.length > 0) app.use(cors(config.corsOrigins));

  app.get('/healthz', (_request, response) => void response.json({ status: 'ok' }));
  app.get('/readyz', async (_request, response) => {
    const databaseState = database === undefined ? undefined : await databaseReadiness(database);
    const usable = databaseState === undefined || (databaseState.reachable && databaseState.migrated);
    const status = !isReady ? 'starting' : usable ? 'ready' : 'unavailable';
    response
      .status(status === 'ready' ? 200 : 503)
      .json(
        validOutput(readinessSchema, { status, ...(databaseState === undefined ? {} : { database: databaseState }) }),
      );
  });
  app.get('/metrics', async (_request, response) => {
    response.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  const document = openApiDocument(version);
  app.get('/openapi.json', (_request, response) => void response.json(document));
  const docsPage = renderDocsPage(document);
  app.get('/docs', (_request, response) => void response.type('html').send(docsPage));

  // Counted in the database when there is one, so that every replica holds the same limit.
  const sharedCounters = (name: string) =>
    database === undefined ? undefined : createDatabaseRateLimitStore(database, name);
  const limiter = perMinute(
    config.rateLimitPerMinute,
    byApiKey,
    `more than ${config.rateLimitPerMinute} requests a minute`,
    sharedCounters('requests'),
  );
  const json = [
    express.json({
      limit: config.bodyLimit,
      type: ['application/json', 'application/*+json'],
      verify: noteInvalidUtf8,
    }),
    refuseInvalidUtf8(),
  ];
  // Guessing keys or flooding with bad ones: failed authentications per client address, ten keys'
  // worth of the limit. Only failures count, so valid keys behind the same address (or proxy) go on.
  const failures = new FailedAuthentications(config.rateLimitPerMinute * 10);
  // Storing or deleting a graded example changes how later answers are graded, and rebuilds the
  // index: a tighter limit per key than grading has, counted apart from it.
  const exampleWriteLimiter = perMinute(
    config.exampleWritesPerMinute,
    byApiKey,
    `more than ${config.exampleWritesPerMinute} graded-example changes a minute`,
    sharedCounters('example-writes'),
  );
  app.post('/v1/*path', apiKeyAuth(config.apiKeys, 'grade', failures), limiter, requireJson(), json);
  app.get('/v1/*path', apiKeyAuth(config.apiKeys, 'read', failures), limiter);
  // Deleting is a write, like POST: a read-only key may not.
  app.delete('/v1/*path', apiKeyAuth(config.apiKeys, 'grade', failures), limiter);
  app.use(
    gradeRoutes({ grader, metrics, batchMaxItems: config.batchMaxItems, batchConcurrency: config.batchConcurrency }),
  );
  app.use(questionRoutes(grader));
  app.use(exampleRoutes(grader, [requireScope(config.apiKeys, 'examples'), exampleWriteLimiter]));
  app.use(reviewRoutes(grader, [requireScope(config.apiKeys, 'examples'), exampleWriteLimiter]));

  // Revalidated on every load (ETag): with no build step there is no file name to bust a cache with.
  if (existsSync(PUBLIC_DIRECTORY)) app.use(express.static(PUBLIC_DIRECTORY, { index: 'index.html', maxAge: 0 }));
  app.use((request, _response) => {
    throw new HttpError(404, 'not_found', `no route ${request.method} ${request.path}`, { hint: 'see /docs' });
  });
  app.use(errorHandler(logger));
  return { app, metrics };
}
