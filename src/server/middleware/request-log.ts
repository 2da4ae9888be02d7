import type express from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';

/** One log line per request, with its id and API key name; answers stay out unless `logAnswers`. */
export function requestLog(logger: Logger, logAnswers: boolean): express.RequestHandler {
  return pinoHttp({
    logger,
    genReqId: (request) => (request as express.Request).id,
    customProps: (request) => ({ apiKey: (request as express.Request).apiKeyName }),
    // Answers are candidates' data: they stay out of the logs unless asked for.
    serializers: {
      // The query can hold an answer too (GET /v1/lookup?by=answer&q=…): logged only when asked.
      req: (request) => ({
        id: request.id,
        method: request.method,
        url: logAnswers ? request.url : request.url.split('?')[0],
        ...(logAnswers ? { body: request.raw.body } : {}),
      }),
      res: (response) => ({ statusCode: response.statusCode }),
    },
  });
}
