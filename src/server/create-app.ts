import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { PACKAGE_ROOT } from '../config/paths.js';
import { HttpError } from '../errors/answerkey-error.js';
import type { ExampleAdmin, Grader } from '../app/grader.js';
import { renderDocsPage } from './docs-page.js';
import { apiKeyAuth, requireScope } from './middleware/api-key-auth.js';
import { errorHandler, sendProblem } from './middleware/error-handler.js';
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
}

export interface App {
  app: Express;
  metrics: Metrics;
}

const PUBLIC_DIRECTORY = join(PACKAGE_ROOT, 'src', 'server', 'public');

/** The express app, without listening: tests mount it on port 0, `answerkey serve` on its port. */
export function createApp({ grader, config, logger, version, ready }: AppContext): App {
  const app = express();
  const metrics = createMetrics();
  let isReady = false;
  ready.then(() => (isReady = true)).catch((error: unknown) => logger.error({ err: error }, 'index failed to load'));

  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(requestId());
  app.use(
    pinoHttp({
      logger,
      genReqId: (request) => (request as express.Request).id,
      customProps: (request) => ({ apiKey: (request as express.Request).apiKeyName }),
      // Answers are candidates' data: they stay out of the logs unless asked for.
      serializers: {
        // The query can hold an answer too (GET /v1/lookup?by=answer&q=…): logged only when asked.
        req: (request) => ({
          id: request.id,
          method: request.method,
          url: config.logAnswers ? request.url : request.url.split('?')[0],
          ...(config.logAnswers ? { body: request.raw.body } : {}),
        }),
        res: (response) => ({ statusCode: response.statusCode }),
      },
    }),
  );
  app.use((request, response, next) => {
    const stop = metrics.latency.startTimer();
    response.on('finish', () => {
      const route = request.route?.path ? `${request.baseUrl}${request.route.path}` : 'unmatched';
      metrics.requests.inc({ method: request.method, route, status: String(response.statusCode) });
      stop({ route });
    });
    next();
  });
  // No HSTS or upgrade-insecure-requests: the server speaks plain HTTP (TLS belongs to a proxy in front).
  app.use(
    helmet({
      strictTransportSecurity: false,
      contentSecurityPolicy: {
        directives: { 'script-src': ["'self'"], 'connect-src': ["'self'"], 'upgrade-insecure-requests': null },
      },
    }),
  );
  if (config.corsOrigins.length > 0) {
    app.use((request, response, next) => {
      const origin = request.get('origin');
      if (origin && config.corsOrigins.includes(origin)) {
        response.setHeader('Access-Control-Allow-Origin', origin);
        response.setHeader('Vary', 'Origin');
        response.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Request-Id');
        response.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE');
      }
      if (request.method === 'OPTIONS') return void response.sendStatus(204);
      next();
    });
  }

  app.get('/healthz', (_request, response) => void response.json({ status: 'ok' }));
  app.get(
    '/readyz',
    (_request, response) => void response.status(isReady ? 200 : 503).json({ status: isReady ? 'ready' : 'starting' }),
  );
  app.get('/metrics', async (_request, response) => {
    response.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  const document = openApiDocument(version);
  app.get('/openapi.json', (_request, response) => void response.json(document));
  const docsPage = renderDocsPage(document);
  app.get('/docs', (_request, response) => void response.type('html').send(docsPage));

  /** Requests per minute by key (or by address without one), answered with a problem document past the limit. */
  const perMinute = (limit: number, keyOf: (request: express.Request) => string, tooMany: string) =>
    rateLimit({
      windowMs: 60_000,
      limit,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      keyGenerator: keyOf,
      handler: (request, response) => sendProblem(response, 429, tooMany, request.id),
    });
  const byKey = (request: express.Request) => request.apiKeyName ?? `ip:${ipKeyGenerator(request.ip ?? '')}`;
  const limiter = perMinute(
    config.rateLimitPerMinute,
    byKey,
    `more than ${config.rateLimitPerMinute} requests a minute`,
  );
  const json = [
    express.json({
      limit: config.bodyLimit,
      type: ['application/json', 'application/*+json'],
      verify: noteInvalidUtf8,
    }),
    refuseInvalidUtf8(),
  ];
  const requireJson: express.RequestHandler = (request, _response, next) => {
    const length = request.get('content-length');
    if (request.get('transfer-encoding') === undefined && (length === undefined || Number(length) === 0)) {
      throw new HttpError(400, 'invalid_input', 'the request body is empty', {
        hint: 'send the request as JSON, with Content-Type: application/json; /docs shows each body',
        details: { errors: [{ path: '(body)', message: 'is empty' }] },
      });
    }
    if (!request.is('application/json') && !request.is('application/*+json')) {
      throw new HttpError(415, 'invalid_input', 'send the body as application/json');
    }
    next();
  };
  // Guessing keys or flooding with bad ones: failed authentications per client address, ten keys'
  // worth of the limit. Only failures count, so valid keys behind the same address (or proxy) go on.
  const failures = new FailedAuthentications(config.rateLimitPerMinute * 10);
  // Storing or deleting a graded example changes how later answers are graded, and rebuilds the
  // index: a tighter limit per key than grading has, counted apart from it.
  const exampleWriteLimiter = perMinute(
    config.exampleWritesPerMinute,
    byKey,
    `more than ${config.exampleWritesPerMinute} graded-example changes a minute`,
  );
  app.post('/v1/*path', apiKeyAuth(config.apiKeys, 'grade', failures), limiter, requireJson, json);
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
