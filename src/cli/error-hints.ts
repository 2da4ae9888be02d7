import { describeRebuildWarning } from '../app/rebuild-warning.js';
import type { RebuildWarning } from '../app/grader.js';
import {
  AnswerkeyError,
  describeFailure,
  type AnswerkeyErrorCode,
  type ErrorReason,
} from '../errors/answerkey-error.js';

/*
 * What the command line tells its user to do about an error: core errors carry a code and details
 * (and at most advice that holds anywhere); the flags and commands to use are named here.
 */

type HintOf = (error: AnswerkeyError) => string | undefined;

/** The error's own hint, which core code words for any reader. */
const own: HintOf = (error) => error.hint;
const always =
  (hint: string): HintOf =>
  () =>
    hint;

/** Ids shown in a hint before "…". */
const IDS_SHOWN = 12;

function knownIdsHint(error: AnswerkeyError): string {
  return knownIdsText(error.details?.knownIds ?? []);
}

/** "known ids: q1, q2, … (see `answerkey questions`)", the first IDS_SHOWN of them. */
export function knownIdsText(ids: readonly string[]): string {
  const shown = ids.length > IDS_SHOWN ? `${ids.slice(0, IDS_SHOWN).join(', ')}, …` : ids.join(', ');
  return ids.length > 0 ? `known ids: ${shown} (see \`answerkey questions\`)` : 'see `answerkey questions` for the ids';
}

function lockPathOf(error: AnswerkeyError): string | undefined {
  return error.details?.lockPath;
}

/** By the situation an error names (`details.reason`): every one is worded here, for the command line. */
const REASON_HINTS: Record<ErrorReason, HintOf> = {
  dataset_unreadable: always('check the path given with --dataset'),
  dataset_row_invalid: always(
    'each line must be one JSON object with question_id, answer, score and max_score (see `answerkey eval --help`)',
  ),
  dataset_too_small: always('point --dataset at a JSONL file of human-graded answers'),
  dataset_question_unknown: always(
    'give the row its question and reference_answer, or point --bank at the bank it names',
  ),
  too_few_fold_groups: (error) =>
    error.details?.foldBy === 'assignment'
      ? 'use --fold-by question, or drop --folds'
      : 'drop --folds to grade with the weights as loaded',
  too_many_shots: always('lower --shots: each question needs more answers than examples'),
  setting_invalid: always('check the flag or environment variable (see --help and .env.example)'),
  openai_key_missing: always(
    'set OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible server), or use --embedder local',
  ),
  bank_not_found: always('pass --bank DIR or set ANSWERKEY_BANK_DIR to a folder of rubric YAML files'),
  weights_unreadable: always(
    'point --weights / ANSWERKEY_WEIGHTS_PATH at a file written by `answerkey calibrate` (or scripts/fit-local-scorer.ts), or unset it',
  ),
  example_file_unreadable: always('check the path given with --file'),
  question_given_twice: always('give the question once: by id (--question-id) or by text (--question)'),
  reference_without_question: always('pass the question text with --question'),
  question_missing: always('pass --question-id ID, --question "text", or --question with --reference'),
  unknown_question_id: knownIdsHint,
  no_matching_question: always(
    'name the question by bank id (--question-id), or give its reference answer inline (--reference)',
  ),
  review_question_unknown: always(
    'only grades of bank questions can be reviewed: see `answerkey questions` for the ids',
  ),
  grade_id_mismatch: always(
    'give the answer, --question-id and --max-score exactly as they were graded (or leave out --grade-id)',
  ),
  declared_questions_invalid: always(
    'give bank ids separated by commas (--questions q1,q5,q9), or a file of them, one per line',
  ),
  output_folder_unusable: always('pass --out a folder that can be created or written to'),
  batch_starting: (error) =>
    `run one batch per --out folder at a time; if no run is going, delete ${lockPathOf(error) ?? 'its batch.lock'}`,
  batch_running: (error) =>
    `wait for it to finish or use another --out folder; if no run is going, delete ${lockPathOf(error) ?? 'its batch.lock'}`,
  // The error's own hint is the command that reconverts the vectors (`npm run prepare-vectors` forces it).
  vectors_outdated: own,
  interrupted: always('run the same command again to grade what is left'),
  llm_not_configured: always(
    'set OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible server), or grade offline with --mode local',
  ),
  run_not_found: always(
    'use the run id `answerkey batch --queue` printed, with the same --database-url / ANSWERKEY_DATABASE_URL',
  ),
  migration_failed: always(
    'nothing was changed; fix what the message names (the database user needs CREATE on the database) and run `answerkey db migrate` again',
  ),
};

const DATABASE_SETTING = '--database-url / ANSWERKEY_DATABASE_URL';

/** By what the driver said (`details.driverCode`): a missing database, a refused login, or no server there. */
function databaseUnreachableHint(error: AnswerkeyError): string {
  const target = typeof error.details?.target === 'string' ? error.details.target : 'the address given';
  const driverCode = String(error.details?.driverCode ?? '');
  if (driverCode === '3D000') return `create the database (createdb), or point ${DATABASE_SETTING} at one that exists`;
  if (driverCode.startsWith('28')) return `check the user and password in ${DATABASE_SETTING}`;
  return `check that PostgreSQL is running at ${target} and that ${DATABASE_SETTING} names it`;
}

const BUILD_INDEX = 'run `answerkey index build`';
const REBUILD_INDEX = `${BUILD_INDEX} to rebuild it`;

/** By code, for an error that names no situation and gives no hint of its own. */
const CODE_HINTS: Partial<Record<AnswerkeyErrorCode, HintOf>> = {
  question_not_found: knownIdsHint,
  not_found: always('see `answerkey examples list` for the ids'),
  index_missing: always(REBUILD_INDEX),
  index_stale: always(REBUILD_INDEX),
  index_corrupt: always(REBUILD_INDEX),
  index_busy: (error) => {
    const lockPath = lockPathOf(error);
    return lockPath ? `try again; if nothing else is writing it, delete ${lockPath}` : 'try again';
  },
  examples_busy: (error) => {
    const lockPath = lockPathOf(error);
    return lockPath ? `try again; if nothing else is changing them, delete ${lockPath}` : 'try again';
  },
  database_unreachable: databaseUnreachableHint,
  database_not_migrated: always('run `answerkey db migrate` (with the same --database-url / ANSWERKEY_DATABASE_URL)'),
};

/**
 * The hint the command line prints under an error: its situation's (`details.reason`), else the
 * error's own (core code's advice for anyone, or the command line's own errors' words), else its code's.
 */
export function cliHint(error: AnswerkeyError): string | undefined {
  const reason = error.details?.reason;
  if (reason !== undefined) return REASON_HINTS[reason](error);
  return own(error) ?? CODE_HINTS[error.code]?.(error);
}

/** Why something failed, for the command line: the message and, when there is one, the hint. */
export function cliReason(error: unknown): string {
  return describeFailure(error, cliHint);
}

/** A failed rebuild of the index after a change, as the command line warns of it. */
export function cliRebuildWarning(warning: RebuildWarning): string {
  return describeRebuildWarning(warning, {
    reason: cliReason(warning.error),
    rebuildByHand: BUILD_INDEX,
  });
}
