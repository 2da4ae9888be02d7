import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { HttpError } from '../http-error.js';
import { formatIssuePath } from '../../errors/format-issue-path.js';

const invalidBodies = new WeakSet<IncomingMessage>();

/** For express.json's `verify`: notes a body whose bytes are not UTF-8 (the parser would replace them with U+FFFD and go on). */
export function noteInvalidUtf8(request: IncomingMessage, _response: unknown, body: Buffer, encoding: string): void {
  // A body declared UTF-16 or UTF-32 is decoded as such; only UTF-8 bytes are checked here.
  if (/^utf-?8$/i.test(encoding) && !isUtf8(body)) invalidBodies.add(request);
}

/** Where the parser put U+FFFD for the invalid bytes: the fields to name. */
function replacedFields(value: unknown, path: PropertyKey[] = []): string[] {
  if (typeof value === 'string') return value.includes('\uFFFD') ? [formatIssuePath(path) || '(body)'] : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => replacedFields(item, [...path, index]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) =>
      key.includes('\uFFFD') ? [formatIssuePath([...path, key])] : replacedFields(item, [...path, key]),
    );
  }
  return [];
}

/** Refuses a JSON body that was not valid UTF-8 with a 400 naming its fields, instead of grading mangled text. */
export function refuseInvalidUtf8(): RequestHandler {
  return (request, _response, next) => {
    if (!invalidBodies.has(request)) return next();
    const fields = replacedFields(request.body);
    const errors = (fields.length > 0 ? fields : ['(body)']).map((path) => ({ path, message: 'is not valid UTF-8' }));
    throw new HttpError(400, 'invalid_encoding', `${errors.map((error) => error.path).join(', ')}: not valid UTF-8`, {
      hint: 'send the body encoded as UTF-8',
      details: { errors },
    });
  };
}
