/**
 * The one error type the program raises on purpose. `code` is stable for machines, `message`
 * is one line for people, `details` says what a program (or an entry point) needs to know, and
 * `hint` is advice that holds wherever the error is shown. Anything else that escapes is a bug.
 *
 * Core code (everything but cli/ and server/) never names a command-line flag or command, nor an
 * HTTP route, in its hints: each entry point words its own hint from `code` and `details`
 * (cli/error-hints.ts, server/middleware/error-handler.ts).
 */
export const ANSWERKEY_ERROR_CODES = [
  'invalid_input',
  'invalid_encoding',
  'invalid_rubric',
  'invalid_config',
  'invalid_setting',
  'file_system',
  'storage_full',
  'question_not_found',
  'index_missing',
  'index_stale',
  'index_corrupt',
  'index_busy',
  'vectors_missing',
  'dataset_invalid',
  'examples_invalid',
  'examples_busy',
  'batch_busy',
  'llm_unavailable',
  'not_implemented',
  'unauthorized',
  'forbidden',
  'rate_limited',
  'payload_too_large',
  'not_found',
  'rubric_tests_failed',
  'method_not_allowed',
  'database_unreachable',
  'database_not_migrated',
] as const;

export type AnswerkeyErrorCode = (typeof ANSWERKEY_ERROR_CODES)[number];

/**
 * Which situation an error is, when one code covers several that call for different advice: the
 * entry points look their hints up by it (`details.reason`).
 */
export const ERROR_REASONS = [
  /** dataset_invalid: the data set file cannot be read. */
  'dataset_unreadable',
  /** dataset_invalid: a line of the data set is not a graded row. */
  'dataset_row_invalid',
  /** dataset_invalid: fewer than two graded rows. */
  'dataset_too_small',
  /** dataset_invalid: a row names a question the bank lacks and gives no reference answer. */
  'dataset_question_unknown',
  /** dataset_invalid: folds asked for, but too few questions or assignments (`details.foldBy`). */
  'too_few_fold_groups',
  /** dataset_invalid: more graded examples per question than a question has answers. */
  'too_many_shots',
  /** invalid_setting: a setting's value is not valid. */
  'setting_invalid',
  /** invalid_setting: the openai embedder without an API key. */
  'openai_key_missing',
  /** invalid_config: the question bank folder is missing or holds no rubric files. */
  'bank_not_found',
  /** invalid_config: the local scorer's weights file cannot be read. */
  'weights_unreadable',
  /** invalid_input: the graded examples file to import cannot be read. */
  'example_file_unreadable',
  /** invalid_input: the question given both by id and by text, and they differ. */
  'question_given_twice',
  /** invalid_input: an inline reference answer without its question. */
  'reference_without_question',
  /** invalid_input: no question given at all. */
  'question_missing',
  /** question_not_found: a bank id the bank lacks (`details.knownIds`). */
  'unknown_question_id',
  /** question_not_found: a question text that matches no bank question well enough (`details.nearest`). */
  'no_matching_question',
  /** question_not_found: a review of a grade of a question not in the bank. */
  'review_question_unknown',
  /** invalid_input: a review names a grade that is not the grade of its answer. */
  'grade_id_mismatch',
  /** invalid_input: the questions every candidate was set are not bank ids. */
  'declared_questions_invalid',
  /** file_system: the batch output folder cannot be created or written. */
  'output_folder_unusable',
  /** batch_busy: another run is starting in the output folder (`details.lockPath`). */
  'batch_starting',
  /** batch_busy: another run is writing to the output folder (`details.lockPath`). */
  'batch_running',
  /** vectors_missing: the word vectors file is there but in an older format. */
  'vectors_outdated',
  /** llm_unavailable: grading was stopped (Ctrl-C, SIGTERM) before the model answered. */
  'interrupted',
  /** not_implemented: LLM mode asked for where no model server is configured. */
  'llm_not_configured',
  /** database_not_migrated: a migration failed and was rolled back (`details.target`). */
  'migration_failed',
  /** not_found: no queued batch run with this id (`details.runId`). */
  'run_not_found',
] as const;

export type ErrorReason = (typeof ERROR_REASONS)[number];

/** What an error says for programs: free-form, with the fields the entry points read named here. */
export interface ErrorDetails {
  /** Which situation, when the code covers several (see ERROR_REASONS). */
  reason?: ErrorReason;
  /** The lock file another process holds (index_busy, examples_busy, batch_busy). */
  lockPath?: string;
  /** The bank's question ids (question_not_found). */
  knownIds?: readonly string[];
  /** The database as host:port/database, never with its password (database_unreachable, database_not_migrated). */
  target?: string;
  [key: string]: unknown;
}

export interface AnswerkeyErrorOptions {
  /** Advice that holds for every entry point; never a command-line flag or command, nor an HTTP route. */
  hint?: string;
  cause?: unknown;
  details?: ErrorDetails;
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
  database_unreachable: 'the server cannot reach its database',
  database_not_migrated: "the server's database is not set up for this version",
};

export class AnswerkeyError extends Error {
  readonly code: AnswerkeyErrorCode;
  readonly hint: string | undefined;
  readonly details: ErrorDetails | undefined;
  readonly publicMessage: string;

  constructor(code: AnswerkeyErrorCode, message: string, options: AnswerkeyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AnswerkeyError';
    this.code = code;
    this.hint = options.hint;
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

/**
 * Why something failed, in words: the message and, when `hintOf` gives one, what to do about it.
 * Each entry point passes its own hints (the command line's, the API's); by default the error's own.
 */
export function describeFailure(
  error: unknown,
  hintOf: (error: AnswerkeyError) => string | undefined = (known) => known.hint,
): string {
  if (!(error instanceof AnswerkeyError)) return error instanceof Error ? error.message : String(error);
  const hint = hintOf(error);
  return hint ? `${error.message}; ${hint}` : error.message;
}
