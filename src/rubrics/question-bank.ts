import { formatIssuePath } from '../errors/format-issue-path.js';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { AnswerkeyError, type AnswerkeyErrorOptions } from '../errors/answerkey-error.js';
import { gradingContent, rubricSchema, type Rubric } from './rubric-schema.js';
import { sha256 } from '../text/sha256.js';

export interface QuestionBank {
  readonly directory: string;
  readonly rubrics: readonly Rubric[];
  /** Hash of the validated content: the index manifest compares it to spot a stale index. */
  readonly hash: string;
  get(id: string): Rubric | undefined;
}

const RUBRIC_FILE = /\.ya?ml$/i;
/** Problems named in one error: enough to fix a file (or a few) in one go, short enough to read. */
const PROBLEMS_SHOWN = 10;
const RUBRIC_HINT = 'fix the rubric files named (see rubrics/q1.yaml for the expected shape)';
const BANK_NOT_FOUND = {
  hint: 'the question bank is a folder of rubric YAML files',
  details: { reason: 'bank_not_found' },
} satisfies AnswerkeyErrorOptions;

/** One error for every problem found, each as "file: field: problem", the first PROBLEMS_SHOWN of them named. */
function invalidRubrics(problems: readonly string[], cause?: unknown): AnswerkeyError {
  const shown = problems.slice(0, PROBLEMS_SHOWN).join('; ');
  const more = problems.length > PROBLEMS_SHOWN ? `; and ${problems.length - PROBLEMS_SHOWN} more` : '';
  const message = problems.length === 1 ? shown : `${problems.length} problems in the question bank: ${shown}${more}`;
  return new AnswerkeyError('invalid_rubric', message, { hint: RUBRIC_HINT, cause });
}

/** The id a rubric file gives, even when the rest of it is invalid, so a clash is reported with its other problems. */
function declaredId(data: unknown): string | undefined {
  if (data === null || typeof data !== 'object') return undefined;
  const { id } = data as { id?: unknown };
  return typeof id === 'string' && id.trim() !== '' ? id.trim().toLowerCase() : undefined;
}

/** A rubric file's content checked: the rubric, or every problem with it as "file: field: problem"; with the id it declares either way. */
function checkRubric(file: string, text: string): ({ rubric: Rubric } | { problems: string[]; cause: unknown }) & { id?: string } {
  let data: unknown;
  try {
    // js-yaml rather than yaml: a tenth of the start-up cost for the 21 shipped files.
    data = yaml.load(text, { filename: file });
  } catch (error) {
    const reason = error instanceof yaml.YAMLException ? `${error.reason} at line ${(error.mark?.line ?? 0) + 1}` : String(error);
    return { problems: [`${file}: not valid YAML: ${reason}`], cause: error };
  }
  const id = declaredId(data);
  const result = rubricSchema.safeParse(data);
  if (result.success) return { rubric: result.data, id };
  const problems = result.error.issues.map((issue) => `${file}: ${formatIssuePath(issue.path) || '(top level)'}: ${issue.message}`);
  return { problems, cause: result.error, id };
}

export function loadQuestionBank(directory: string): QuestionBank {
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    throw new AnswerkeyError('invalid_config', `question bank directory not found: ${directory}`, BANK_NOT_FOUND);
  }
  const files = readdirSync(directory)
    .filter((name) => RUBRIC_FILE.test(name))
    .sort((left, right) => left.localeCompare(right, 'en', { numeric: true }));
  if (files.length === 0) {
    throw new AnswerkeyError('invalid_config', `no rubric files (*.yaml) in ${directory}`, BANK_NOT_FOUND);
  }
  const byId = new Map<string, Rubric>();
  const fileOf = new Map<string, string>();
  const problems: string[] = [];
  let cause: unknown;
  // Every file is checked before failing, so one run names all that needs fixing.
  for (const name of files) {
    const path = join(directory, name);
    const checked = checkRubric(path, readFileSync(path, 'utf8'));
    const clash = checked.id === undefined ? undefined : fileOf.get(checked.id);
    if (clash) problems.push(`${path}: id: "${checked.id}" is already used by ${clash}`);
    else if (checked.id !== undefined) fileOf.set(checked.id, path);
    if ('problems' in checked) {
      problems.push(...checked.problems);
      cause ??= checked.cause;
      continue;
    }
    if (!clash) byId.set(checked.rubric.id, checked.rubric);
  }
  if (problems.length > 0) throw invalidRubrics(problems, cause);
  const rubrics = [...byId.values()];
  const hash = sha256(JSON.stringify(rubrics.map(gradingContent)));
  return { directory, rubrics, hash, get: (id) => byId.get(id.trim().toLowerCase()) };
}
