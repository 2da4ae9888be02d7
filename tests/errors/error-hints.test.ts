import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliHint } from '../../src/cli/error-hints.js';
import {
  ANSWERKEY_ERROR_CODES,
  AnswerkeyError,
  describeFailure,
  ERROR_REASONS,
  type ErrorDetails,
} from '../../src/errors/answerkey-error.js';
import { withExampleFileLock } from '../../src/examples/example-file-lock.js';
import { createReferenceResolver } from '../../src/grading/grading-pipeline.js';
import type { BankRetriever } from '../../src/retrieval/bank-retriever.js';
import { loadQuestionBank } from '../../src/rubrics/question-bank.js';
import { apiHintFor, problemFor } from '../../src/server/middleware/error-handler.js';
import { runCliForTest } from '../helpers/run-cli.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Words only the command line can act on: a flag, an `answerkey` command. */
const COMMAND_LINE_WORDS = /(^|[\s(])--[a-z]|`answerkey\b|\banswerkey (questions|index|examples|eval|calibrate)\b/;
/** Words only an HTTP client can act on: a route of the API. */
const API_WORDS = /\b(GET|POST|PUT|DELETE) \/v1\//;

/** Details of the kinds the entry points read, so that every map entry has what it may use. */
const DETAILS: ErrorDetails = {
  lockPath: '/srv/answerkey/index/store.lock',
  knownIds: ['q1', 'q2', 'q3'],
  foldBy: 'assignment',
};

describe('each entry point words the hint of every error code', () => {
  it.each(ANSWERKEY_ERROR_CODES)('%s: the API hint names no flag or command, the CLI one names no route', (code) => {
    for (const details of [undefined, DETAILS]) {
      const error = new AnswerkeyError(code, 'something failed', details && { details });
      const api = apiHintFor(error);
      const cli = cliHint(error);
      if (api !== undefined) expect(api).not.toMatch(COMMAND_LINE_WORDS);
      if (cli !== undefined) expect(cli).not.toMatch(API_WORDS);
      for (const hint of [api, cli]) if (hint !== undefined) expect(hint.trim()).not.toBe('');
    }
  });

  it.each(ERROR_REASONS)('%s: the CLI has a hint for it, and the API hint names no flag or command', (reason) => {
    const error = new AnswerkeyError('invalid_input', 'something failed', {
      hint: 'advice for anyone',
      details: { ...DETAILS, reason },
    });
    expect(cliHint(error)).toMatch(/\S/);
    expect(cliHint(error)).not.toMatch(API_WORDS);
    const api = apiHintFor(error);
    if (api !== undefined) expect(api).not.toMatch(COMMAND_LINE_WORDS);
  });

  it('words the same situations differently: a command for the command line, the operator or a route for the API', () => {
    const missing = new AnswerkeyError('index_missing', 'no index at /srv/index');
    expect(cliHint(missing)).toBe('run `answerkey index build` to rebuild it');
    expect(apiHintFor(missing)).toBe("try again later; the server's operator has to rebuild the index");

    const ids = Array.from({ length: 13 }, (_, index) => `q${index + 1}`);
    const unknown = new AnswerkeyError('question_not_found', 'no question "q99" in the bank', {
      hint: `known ids: ${ids.join(', ')}`,
      details: { reason: 'unknown_question_id', knownIds: ids },
    });
    expect(cliHint(unknown)).toBe(
      'known ids: q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11, q12, … (see `answerkey questions`)',
    );
    expect(apiHintFor(unknown)).toBe('GET /v1/questions lists the ids');

    // An error without a reason keeps its own hint at both: it is the thrower's advice for anyone.
    const own = new AnswerkeyError('invalid_rubric', 'q1.yaml: id: is missing', { hint: 'fix the rubric files named' });
    expect(cliHint(own)).toBe('fix the rubric files named');
    expect(apiHintFor(own)).toBe('fix the rubric files named');
  });
});

/** Every .ts file under `directory`. */
function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

describe('core hints', () => {
  it('name no command-line flag or command, nor an HTTP route, outside src/cli and src/server', () => {
    const core = sourceFiles(join(root, 'src')).filter((path) => !/[/\\]src[/\\](cli|server)[/\\]/.test(path));
    // `hint: '…'`, `hint: \`…\``, and constants such as `const RUBRIC_HINT = '…'`.
    const hintLiteral = /hint\s*[:=]\s*(['"`])((?:\\.|(?!\1)[\s\S])*)\1/gi;
    const offending = core.flatMap((path) =>
      [...readFileSync(path, 'utf8').matchAll(hintLiteral)]
        .map((match) => match[2])
        .filter((hint) => COMMAND_LINE_WORDS.test(hint) || API_WORDS.test(hint))
        .map((hint) => `${relative(root, path)}: ${hint}`),
    );
    expect(offending).toEqual([]);
  });
});

/** The AnswerkeyError `work` fails with. */
async function thrownBy(work: Promise<unknown>): Promise<AnswerkeyError> {
  const outcome = await work.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(AnswerkeyError);
  return outcome as AnswerkeyError;
}

describe('a core error with details, as each entry point shows it', () => {
  const bank = loadQuestionBank(join(root, 'rubrics'));

  it('a question given by id and by text that differ: flags on the command line, fields in the problem', async () => {
    const resolve = createReferenceResolver({
      bank,
      matchThreshold: 0.38,
      // Matches nothing, so the text cannot be q4's.
      questionRetriever: async () => ({ invoke: async () => [] }) as unknown as BankRetriever,
    });
    const error = await thrownBy(
      resolve({ questionId: 'q4', question: 'What is your favourite colour?', answer: 'Blue.' }),
    );
    expect(error.details?.reason).toBe('question_given_twice');
    expect(error.hint).not.toMatch(COMMAND_LINE_WORDS);
    expect(cliHint(error)).toBe('give the question once: by id (--question-id) or by text (--question)');

    const problem = problemFor(error);
    expect(problem.status).toBe(400);
    expect(problem.detail).toBe(
      'questionId and question name different questions: questionId is q4, question matches no bank question, so not q4 (send questionId or question, not both (or a question that matches the questionId))',
    );
    expect(problem.detail).not.toMatch(COMMAND_LINE_WORDS);
    expect(problem.errors?.map((entry) => entry.path)).toEqual(['questionId', 'question']);
  });

  it('a busy examples file: its lock path in the command-line hint, never in the API answer', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'answerkey-hints-')), 'q4.jsonl');
    // The parent of this test process is alive for as long as the test runs.
    writeFileSync(`${path}.lock`, `${process.ppid} ${hostname()}\n`);
    const error = await thrownBy(withExampleFileLock(path, () => undefined, { waitAtMostMs: 50 }));
    expect(error.code).toBe('examples_busy');
    expect(error.hint).toBeUndefined();
    expect(cliHint(error)).toBe(`try again; if nothing else is changing them, delete ${path}.lock`);
    const problem = problemFor(error);
    expect(problem.status).toBe(503);
    expect(problem.detail).toBe('another process is changing q4.jsonl of the graded examples (try again in a moment)');
  });

  it('the command line prints its own hint under a core error: a data set of one row', async () => {
    const dataset = join(mkdtempSync(join(tmpdir(), 'answerkey-hints-')), 'one.jsonl');
    writeFileSync(dataset, `${JSON.stringify({ question_id: 'q4', answer: 'x', score: 1, max_score: 5 })}\n`);
    const { code, out, err } = await runCliForTest(['eval', '--dataset', dataset]);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toBe(
      `answerkey: ${dataset} has 1 graded row(s); agreement needs at least 2\n` +
        '  hint: point --dataset at a JSONL file of human-graded answers\n',
    );
  });
});

describe('describeFailure', () => {
  it("joins the message and the hint each entry point gives, or the error's own by default", () => {
    const error = new AnswerkeyError('index_missing', 'no index at /srv/index', { hint: 'advice for anyone' });
    expect(describeFailure(error)).toBe('no index at /srv/index; advice for anyone');
    expect(describeFailure(error, cliHint)).toBe('no index at /srv/index; advice for anyone');
    expect(describeFailure(error, () => undefined)).toBe('no index at /srv/index');
    expect(describeFailure(new AnswerkeyError('index_missing', 'no index'), cliHint)).toBe(
      'no index; run `answerkey index build` to rebuild it',
    );
  });

  it('gives the message of any other error, and the text of anything thrown that is not an error', () => {
    expect(describeFailure(new Error('disk on fire'))).toBe('disk on fire');
    expect(describeFailure('a string was thrown')).toBe('a string was thrown');
  });
});
