/**
 * The one error type the program raises on purpose. `code` is stable for machines, `message`
 * is one line for people, `hint` says what to do next. Anything else that escapes is a bug.
 */
export type AnswerkeyErrorCode =
  | 'invalid_input'
  | 'invalid_encoding'
  | 'invalid_rubric'
  | 'invalid_config'
  | 'invalid_setting'
  | 'file_system'
  | 'storage_full'
  | 'question_not_found'
  | 'index_missing'
  | 'index_stale'
  | 'index_corrupt'
  | 'index_busy'
  | 'vectors_missing'
  | 'dataset_invalid'
  | 'examples_invalid'
  | 'examples_busy'
  | 'batch_busy'
  | 'llm_unavailable'
  | 'not_implemented'
  | 'unauthorized'
  | 'forbidden'
  | 'rate_limited'
  | 'payload_too_large'
  | 'not_found'
  | 'rubric_tests_failed'
  | 'method_not_allowed';

export interface AnswerkeyErrorOptions {
  hint?: string;
  /** What a caller of the HTTP API should do next, when that differs from `hint` (which names commands). */
  apiHint?: string;
  cause?: unknown;
  details?: Record<string, unknown>;
  /** The message without the server's paths, for API clients, when `message` has some (it then goes to the server's log only). */
  publicMessage?: string;
}

/**
 * What API clients are told of errors about the server's own files (whose messages name them)
 * when the error gives no publicMessage of its own.
 */
const PUBLIC_MESSAGES: Partial<Record<AnswerkeyErrorCode, string>> = {
  index_missing: 'the reference index is missing',
  index_stale: 'the reference index is out of date',
  index_corrupt: 'the reference index is damaged',
  vectors_missing: 'the word vectors are missing or unreadable',
  invalid_config: 'the server is not configured correctly',
  invalid_setting: 'the server is not configured correctly',
  file_system: 'the server cannot read or write its files',
  storage_full: 'the server has no space left to write its files',
  invalid_rubric: 'a rubric of the question bank is not valid',
};

export class AnswerkeyError extends Error {
  readonly code: AnswerkeyErrorCode;
  readonly hint: string | undefined;
  readonly apiHint: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly publicMessage: string;

  constructor(code: AnswerkeyErrorCode, message: string, options: AnswerkeyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AnswerkeyError';
    this.code = code;
    this.hint = options.hint;
    this.apiHint = options.apiHint;
    this.details = options.details;
    this.publicMessage = options.publicMessage ?? PUBLIC_MESSAGES[code] ?? message;
  }
}

export function isAnswerkeyError(error: unknown): error is AnswerkeyError {
  return error instanceof AnswerkeyError;
}

/**
 * Exit code 2 on the command line: a mistake in how the program was called (an invalid argument,
 * flag or variable, a file or folder to read that does not exist, a missing answer). Every other
 * code exits 1: files whose content is wrong, outputs that cannot be written, another run busy.
 */
const USAGE_CODES: ReadonlySet<AnswerkeyErrorCode> = new Set(['invalid_input', 'invalid_setting']);

export function isUsageError(error: AnswerkeyError): boolean {
  return USAGE_CODES.has(error.code);
}
