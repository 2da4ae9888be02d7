import type express from 'express';
import { HttpError } from '../http-error.js';

/** Refuses a POST without a body (400) or with a body that is not JSON (415), before it is read. */
export function requireJson(): express.RequestHandler {
  return (request, _response, next) => {
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
}
