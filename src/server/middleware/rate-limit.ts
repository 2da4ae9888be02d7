import type express from 'express';
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import { sendProblem } from './error-handler.js';

/** Whom a limit counts: the API key's name, or the client address without one. */
export function byApiKey(request: express.Request): string {
  return request.apiKeyName ?? `ip:${ipKeyGenerator(request.ip ?? '')}`;
}

/**
 * At most `limit` requests a minute per `keyOf`; past it, a 429 problem document saying `tooMany`.
 * Counted in this process's memory, or in `store` (rate-limit-store.ts: the database's, shared by
 * every replica).
 */
export function perMinute(
  limit: number,
  keyOf: (request: express.Request) => string,
  tooMany: string,
  store?: Store,
): express.RequestHandler {
  return rateLimit({
    ...(store === undefined ? {} : { store }),
    windowMs: 60_000,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: keyOf,
    handler: (request, response) => sendProblem(response, 429, tooMany, request.id),
  });
}
