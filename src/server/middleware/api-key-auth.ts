import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from '../http-error.js';
import { ipKeyGenerator } from 'express-rate-limit';
import type { ApiKey, ApiScope } from '../server-config.js';
import type { FailedAuthentications } from './failed-authentications.js';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Bearer-token authentication when keys are configured (none: the API is open, for localhost use).
 * Tokens are compared as SHA-256 digests with timingSafeEqual, so neither length nor content
 * leaks through timing; every key is compared, whichever matches.
 */
export function apiKeyAuth(keys: readonly ApiKey[], scope: ApiScope, failures?: FailedAuthentications): RequestHandler {
  const digests = keys.map((key) => ({ key, digest: digest(key.token) }));
  return (request, response, next) => {
    if (keys.length === 0) return next();
    // Guessing keys is limited per address, by failures only: a valid key is never turned away for them.
    const fail = (error: HttpError) => {
      const address = ipKeyGenerator(request.ip ?? '');
      if (failures?.blocked(address)) {
        response.setHeader('Retry-After', String(failures.retryAfterSeconds()));
        throw new HttpError(429, 'rate_limited', 'too many failed authentications from this address');
      }
      failures?.record(address);
      throw error;
    };
    const match = /^Bearer\s+(\S+)$/i.exec(request.get('authorization') ?? '');
    // RFC 6750: a 401 names the scheme to authenticate with, and says when a token was refused.
    if (!match) {
      response.set('WWW-Authenticate', 'Bearer realm="answerkey"');
      return fail(
        new HttpError(401, 'unauthorized', 'an API key is required', { hint: 'send Authorization: Bearer <key>' }),
      );
    }
    const presented = digest(match[1]);
    let found: ApiKey | undefined;
    for (const candidate of digests) if (timingSafeEqual(candidate.digest, presented)) found = candidate.key;
    if (!found) {
      response.set('WWW-Authenticate', 'Bearer realm="answerkey", error="invalid_token"');
      return fail(new HttpError(401, 'unauthorized', 'the API key is not valid'));
    }
    if (!found.scopes.has(scope)) throw new HttpError(403, 'forbidden', `this API key lacks the "${scope}" scope`);
    request.apiKeyName = found.name;
    request.apiKeyScopes = found.scopes;
    next();
  };
}

/**
 * A further scope a route needs beyond the one its method needed at authentication (storing graded
 * examples needs "examples", not only "grade"). Declared on the route itself, so it holds however
 * the path is spelled; without configured keys the API is open.
 */
export function requireScope(keys: readonly ApiKey[], scope: ApiScope): RequestHandler {
  return (request, _response, next) => {
    if (keys.length > 0 && !request.apiKeyScopes?.has(scope)) {
      throw new HttpError(403, 'forbidden', `this API key lacks the "${scope}" scope`);
    }
    next();
  };
}
