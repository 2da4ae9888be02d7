import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import {
  AnswerkeyError,
  describeFailure,
  type AnswerkeyErrorCode,
  type ErrorReason,
} from '../../errors/answerkey-error.js';
import type { RebuildWarning } from '../../app/grader.js';
import { describeRebuildWarning } from '../../app/rebuild-warning.js';
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
  database_unreachable: 503,
  database_not_migrated: 503,
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

/** What an API client is told to do about an error, or undefined for nothing. */
type ApiHintOf = (error: AnswerkeyError) => string | undefined;

/** The error's own hint: core code words it for any reader. */
const own: ApiHintOf = (error) => error.hint;
/** No hint: the situation is the server operator's to fix, or never reaches the API. */
const none: ApiHintOf = () => undefined;
const always =
  (hint: string): ApiHintOf =>
  () =>
    hint;

/**
 * By the situation an error names (`details.reason`): every one is decided here, for API clients,
 * who send fields (questionId, referenceAnswer) rather than flags.
 */
const API_HINTS_BY_REASON: Record<ErrorReason, ApiHintOf> = {
  // Evaluation, calibration, batch and imports from a file run on the command line only.
  dataset_unreadable: own,
  dataset_row_invalid: own,
  dataset_too_small: own,
  dataset_question_unknown: own,
  too_few_fold_groups: none,
  too_many_shots: own,
  example_file_unreadable: own,
  declared_questions_invalid: own,
  output_folder_unusable: own,
  batch_starting: none,
  batch_running: none,
  // The server's settings: its operator's to fix (PUBLIC_MESSAGES says only that it is not configured correctly).
  setting_invalid: none,
  openai_key_missing: none,
  bank_not_found: none,
  weights_unreadable: none,
  vectors_outdated: own,
  question_given_twice: always('send questionId or question, not both (or a question that matches the questionId)'),
  reference_without_question: always('send the question text in question, with referenceAnswer'),
  question_missing: always('send questionId, question, or question with referenceAnswer'),
  unknown_question_id: always('GET /v1/questions lists the ids'),
  no_matching_question: always('GET /v1/questions lists the ids'),
  review_question_unknown: always('only grades of bank questions can be reviewed; GET /v1/questions lists the ids'),
  grade_id_mismatch: always('send the answer, questionId and maxScore exactly as they were graded'),
  interrupted: always('the server is stopping; send the request again once it is back'),
  llm_not_configured: always('set OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible server), or use mode "local"'),
  // Migrations run from the command line, by the server's operator.
  migration_failed: none,
  // Queued runs are followed on the command line only.
  run_not_found: none,
};

const REBUILD_LATER = "try again later; the server's operator has to rebuild the index";

/** By code, for an error that names no situation and gives no hint of its own. */
const API_HINTS: Partial<Record<AnswerkeyErrorCode, string>> = {
  question_not_found: 'GET /v1/questions lists the ids',
  not_found: 'GET /v1/examples lists the ids',
  index_missing: REBUILD_LATER,
  index_stale: REBUILD_LATER,
  index_corrupt: REBUILD_LATER,
  index_busy: 'try again in a moment',
  examples_busy: 'try again in a moment',
  database_unreachable: "try again later; the server's operator has to check its database",
  database_not_migrated: "the server's operator has to migrate its database",
};

/**
 * The hint for an API client: its situation's (`details.reason`), else the error's own (core code's
 * advice for anyone, or the server's own errors' words), else its code's.
 */
export function apiHintFor(error: AnswerkeyError): string | undefined {
  const reason = error.details?.reason;
  if (reason !== undefined) return API_HINTS_BY_REASON[reason](error);
  return error.hint ?? API_HINTS[error.code];
}

/** Why something failed, for an API client: without the server's paths, and nothing of an unexpected error. */
function publicReasonOf(error: unknown): string {
  if (!(error instanceof AnswerkeyError)) return 'an unexpected error; the server log has the detail';
  const hint = apiHintFor(error);
  return hint ? `${error.publicMessage}; ${hint}` : error.publicMessage;
}

/** The same for the server's log, which its operator reads: the full message. */
function loggedReasonOf(error: unknown): string {
  return describeFailure(error, apiHintFor);
}

/** A failed rebuild of the index after a change: `message` for the server's log, `publicMessage` for the client. */
export function rebuildWarningOf(warning: RebuildWarning): { message: string; publicMessage: string } {
  return {
    message: describeRebuildWarning(warning, {
      reason: loggedReasonOf(warning.error),
      rebuildByHand: 'run `answerkey index build`',
    }),
    publicMessage: describeRebuildWarning(warning, {
      reason: publicReasonOf(warning.error),
      rebuildByHand: "the server's operator has to rebuild it",
    }),
  };
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
    const hint = apiHintFor(error);
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
