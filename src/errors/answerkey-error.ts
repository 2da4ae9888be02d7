/**
 * The one error type the program raises on purpose. `code` is stable for machines, `message`
 * is one line for people, `hint` says what to do next. Anything else that escapes is a bug.
 */
export type AnswerkeyErrorCode =
  | 'invalid_input'
  | 'invalid_rubric'
  | 'invalid_config'
  | 'question_not_found'
  | 'index_missing'
  | 'index_stale'
  | 'index_corrupt'
  | 'vectors_missing'
  | 'dataset_invalid'
  | 'examples_invalid'
  | 'examples_busy'
  | 'llm_unavailable'
  | 'not_implemented'
  | 'unauthorized'
  | 'forbidden'
  | 'rate_limited'
  | 'payload_too_large'
  | 'not_found';

export interface AnswerkeyErrorOptions {
  hint?: string;
  /** What a caller of the HTTP API should do next, when that differs from `hint` (which names commands). */
  apiHint?: string;
  cause?: unknown;
  details?: Record<string, unknown>;
}

export class AnswerkeyError extends Error {
  readonly code: AnswerkeyErrorCode;
  readonly hint: string | undefined;
  readonly apiHint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: AnswerkeyErrorCode, message: string, options: AnswerkeyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AnswerkeyError';
    this.code = code;
    this.hint = options.hint;
    this.apiHint = options.apiHint;
    this.details = options.details;
  }
}

export function isAnswerkeyError(error: unknown): error is AnswerkeyError {
  return error instanceof AnswerkeyError;
}

/** An error that is an HTTP answer: the error middleware turns it into a problem+json response. */
export class HttpError extends AnswerkeyError {
  readonly status: number;

  constructor(status: number, code: AnswerkeyErrorCode, message: string, options: AnswerkeyErrorOptions = {}) {
    super(code, message, options);
    this.name = 'HttpError';
    this.status = status;
  }
}
