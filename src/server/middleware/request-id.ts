import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

const ACCEPTABLE = /^[\w.:-]{1,128}$/;

/** Takes X-Request-Id when it looks like an id, else makes one; echoes it on the response. */
export function requestId(): RequestHandler {
  return (request, response, next) => {
    const given = request.get('x-request-id');
    const id = given && ACCEPTABLE.test(given) ? given : randomUUID();
    request.id = id;
    response.setHeader('X-Request-Id', id);
    next();
  };
}
