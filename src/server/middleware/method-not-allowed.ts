import type { RequestHandler } from 'express';
import { HttpError } from '../http-error.js';

/**
 * For a route's path with any other method than it serves: 405 with the `Allow` header (RFC 9110),
 * rather than a 404 that says the path does not exist.
 */
export function methodNotAllowed(...allowed: string[]): RequestHandler {
  const allow = allowed.join(', ');
  return (request, response) => {
    response.set('Allow', allow);
    throw new HttpError(405, 'method_not_allowed', `${request.method} is not allowed on ${request.path}`, {
      hint: `use ${allow}`,
    });
  };
}
