import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { AnswerkeyError, type AnswerkeyErrorCode } from '../../errors/answerkey-error.js';
import { HttpError } from '../http-error.js';
import { fileSystemError } from '../../errors/file-system-error.js';
import { formatIssuePath } from '../../errors/format-issue-path.js';
import type { Problem } from '../api-schemas.js';

const STATUS_OF_CODE: Partial<Record<AnswerkeyErrorCode, number>> = {
  invalid_input: 400,
  invalid_encoding: 400,
  question_not_found: 404,
  not_found: 404,
  not_implemented: 501,
  index_missing: 503,
  index_stale: 503,
  index_corrupt: 503,
  index_busy: 503,
  examples_busy: 503,
  vectors_missing: 503,
  llm_unavailable: 503,
  storage_full: 507,
};

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  408: 'Request timeout',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  431: 'Request header fields too large',
  500: 'Internal server error',
  501: 'Not implemented',
  503: 'Service unavailable',
  507: 'Insufficient storage',
};

/**
 * What API clients are told to do for errors whose hint speaks to the command line (a flag, an
 * `answerkey` command) and that give no apiHint of their own.
 */
const API_HINTS: Partial<Record<AnswerkeyErrorCode, string>> = {
  question_not_found: 'GET /v1/questions lists the ids',
  not_found: 'GET /v1/examples lists the ids',
  index_missing: "try again later; the server's operator rebuilds the index with `answerkey index build`",
  index_stale: "try again later; the server's operator rebuilds the index with `answerkey index build`",
  index_corrupt: "try again later; the server's operator rebuilds the index with `answerkey index build`",
  index_busy: 'try again in a moment',
  examples_busy: 'try again in a moment',
};

/** A hint that names a command-line flag or command, which an API client cannot use. */
const COMMAND_LINE_HINT = /`answerkey\b|(^|[\s(])--[a-z]/;

/** The hint for an API client: the error's own apiHint, else its hint unless that speaks to the command line. */
function apiHintOf(error: AnswerkeyError): string | undefined {
  if (error.apiHint) return error.apiHint;
  if (error.hint && !COMMAND_LINE_HINT.test(error.hint)) return error.hint;
  return API_HINTS[error.code];
}

/** The problem document for a status; also written by the HTTP server itself for requests express never sees. */
export function problemDocument(
  status: number,
  detail: string,
  requestId: string,
  extra: Partial<Problem> = {},
): Problem {
  return {
    type: `https://answerkey.dev/problems/${status}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    requestId,
    ...extra,
  };
}

export function sendProblem(
  response: Response,
  status: number,
  detail: string,
  requestId: string,
  extra: Partial<Problem> = {},
): void {
  response
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify(problemDocument(status, detail, requestId, extra)));
}

/** What express, its router and body-parser attach to the errors they raise for a bad request. */
interface ClientErrorFields {
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  type?: unknown;
  limit?: unknown;
  message?: unknown;
}

/**
 * The 4xx status express's router (a URIError) or body-parser (an http-errors error, with `expose`)
 * gave an error, if any. Other errors with a status, such as a model server's 401, stay 500s.
 */
function clientStatusOf(error: unknown): number | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const { status, statusCode, expose } = error as ClientErrorFields;
  if (!(error instanceof URIError) && typeof expose !== 'boolean') return undefined;
  const code = typeof status === 'number' ? status : statusCode;
  return typeof code === 'number' && Number.isInteger(code) && code >= 400 && code < 500 ? code : undefined;
}

/** A request express or body-parser refused (a malformed percent-escape in the path, a body over the limit or not JSON). */
function clientProblem(
  error: unknown,
  status: number,
): { status: number; detail: string; errors?: Problem['errors']; known: true } {
  const fields = error as ClientErrorFields;
  const withErrors = (detail: string, message = detail) => ({
    status,
    detail,
    ...(status === 400 ? { errors: [{ path: '(request)', message }] } : {}),
    known: true as const,
  });
  if (fields.type === 'entity.too.large') {
    const limit = typeof fields.limit === 'number' ? ` (${fields.limit.toLocaleString('en-US')} bytes)` : '';
    return {
      status,
      detail: `the request body is larger than the server accepts${limit} (shorten the text, or split a batch into several requests of fewer items)`,
      known: true,
    };
  }
  if (fields.type === 'entity.parse.failed') {
    return {
      status,
      detail: 'the request body is not valid JSON',
      errors: [{ path: '(body)', message: 'not valid JSON' }],
      known: true,
    };
  }
  if (error instanceof URIError) {
    return withErrors(
      'the URL path holds a malformed percent-escape (encode ids as UTF-8, e.g. with encodeURIComponent)',
      'malformed percent-escape in the path',
    );
  }
  const message =
    fields.expose === true && typeof fields.message === 'string'
      ? fields.message
      : (TITLES[status] ?? 'bad request').toLowerCase();
  return withErrors(message);
}

/**
 * What a thrown error means as HTTP: status, detail, field errors. Unknown errors are a 500.
 * `withheld` is the error's message when the detail gives its public form instead: it names the
 * server's files, so it belongs in the server's log only.
 */
export function problemFor(error: unknown): {
  status: number;
  detail: string;
  errors?: Problem['errors'];
  nearest?: Problem['nearest'];
  withheld?: string;
  known: boolean;
} {
  if (error instanceof ZodError) {
    const errors = error.issues.map((issue) => ({
      path: formatIssuePath(issue.path) || '(body)',
      message: issue.message,
    }));
    return {
      status: 400,
      detail: errors.map((entry) => `${entry.path}: ${entry.message}`).join('; '),
      errors,
      known: true,
    };
  }
  if (error instanceof HttpError) {
    const errors = (error.details?.errors as Problem['errors']) ?? [{ path: '(request)', message: error.message }];
    return {
      status: error.status,
      detail: error.hint ? `${error.message} (${error.hint})` : error.message,
      ...(error.status === 400 ? { errors } : {}),
      known: true,
    };
  }
  if (error instanceof AnswerkeyError) {
    const nearest = error.details?.nearest as Problem['nearest'];
    const hint = apiHintOf(error);
    const status = STATUS_OF_CODE[error.code] ?? 500;
    return {
      status,
      detail: hint ? `${error.publicMessage} (${hint})` : error.publicMessage,
      // Every 400 lists what is wrong in `errors`, even when no one field is to blame.
      ...(status === 400
        ? {
            errors: (error.details?.errors as Problem['errors']) ?? [
              { path: '(request)', message: error.publicMessage },
            ],
          }
        : {}),
      ...(nearest ? { nearest } : {}),
      ...(error.publicMessage === error.message ? {} : { withheld: error.message }),
      known: true,
    };
  }
  const clientStatus = clientStatusOf(error);
  if (clientStatus !== undefined) return clientProblem(error, clientStatus);
  // The server's own folders (permission, full disk): its operator's to fix, and their paths stay in the log.
  const fileProblem = fileSystemError(error);
  if (fileProblem) {
    const status = STATUS_OF_CODE[fileProblem.code] ?? 500;
    return {
      status,
      detail: `${fileProblem.publicMessage} (the server's operator can tell why from its log)`,
      withheld: fileProblem.message,
      known: true,
    };
  }
  return {
    status: 500,
    detail: 'an unexpected error occurred; the request id identifies it in the logs',
    known: false,
  };
}

/**
 * A request Node's HTTP parser refused before express saw it (headers over `maxHeaderBytes`, not
 * HTTP at all, headers too slow): the HTTP server writes this problem to the socket itself.
 */
export function parserProblem(
  error: NodeJS.ErrnoException,
  maxHeaderBytes: number,
  maxQueryCharacters: number,
): { status: number; detail: string; errors?: Problem['errors'] } {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return {
      status: 431,
      detail: `the request line and headers exceed ${maxHeaderBytes.toLocaleString('en-US')} bytes (shorten the URL or the headers; lookup's q holds at most ${maxQueryCharacters.toLocaleString('en-US')} characters)`,
    };
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return { status: 408, detail: 'the request took too long to arrive (send it again)' };
  return {
    status: 400,
    detail: 'the request is not valid HTTP',
    errors: [{ path: '(request)', message: 'not valid HTTP' }],
  };
}

/** The one place errors become responses: application/problem+json, never a stack trace. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, request, response, _next) => {
    const problem = problemFor(error);
    if (!problem.known) logger.error({ err: error, requestId: request.id }, 'unhandled error');
    if (problem.withheld) logger.error({ err: error, requestId: request.id }, problem.withheld);
    if (response.headersSent) return;
    sendProblem(response, problem.status, problem.detail, request.id, {
      ...(problem.errors ? { errors: problem.errors } : {}),
      ...(problem.nearest ? { nearest: problem.nearest } : {}),
    });
  };
}
