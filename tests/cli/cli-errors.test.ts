import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CliIo } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/run-cli.js';
import { gradeSchema, type Grade } from '../../src/grading/grade-schema.js';
import { rubricSchema } from '../../src/rubrics/rubric-schema.js';

const VERSION = '0.0.0-test';

interface FakeIo extends CliIo {
  out: string;
  err: string;
  stdinReads: number;
}

function fakeIo(stdin?: string): FakeIo {
  const io: FakeIo = {
    out: '',
    err: '',
    stdinReads: 0,
    stdout: (text) => {
      io.out += text;
    },
    stderr: (text) => {
      io.err += text;
    },
    readStdin: async () => {
      io.stdinReads += 1;
      return stdin;
    },
    color: false,
  };
  return io;
}

async function run(
  argv: readonly string[],
  stdin?: string,
): Promise<{ code: number; out: string; err: string; io: FakeIo }> {
  const io = fakeIo(stdin);
  const code = await runCli(argv, io, VERSION);
  return { code, out: io.out, err: io.err, io };
}

/** The CLI's error contract: one "answerkey: …" line, at most one "  hint: …" line, never a stack trace. */
function expectOneLineError(err: string, options: { hint: boolean }): { message: string; hint: string | undefined } {
  const lines = err.split('\n');
  expect(lines.at(-1)).toBe('');
  const body = lines.slice(0, -1);
  expect(body).toHaveLength(options.hint ? 2 : 1);
  expect(body[0]).toMatch(/^answerkey: \S/);
  if (options.hint) expect(body[1]).toMatch(/^ {2}hint: \S/);
  expect(err).not.toContain('    at ');
  expect(err).not.toMatch(/unexpected error/);
  return { message: body[0], hint: options.hint ? body[1] : undefined };
}

// A real answer to q4 (eager vs graph execution), well over 60 words.
const Q4_ANSWER =
  'Eager execution runs each operation immediately as Python reaches it, so I can print tensors and step through ' +
  'the code with a debugger, which makes development and debugging easy. Graph execution first traces the function ' +
  'into a computational graph that TensorFlow optimizes, for example with Grappler or XLA, before running it. I develop ' +
  'and prototype in eager mode, then decorate the training step with tf.function so it is converted into a graph, which ' +
  'gives better performance and can be exported as a SavedModel for production deployment with TensorFlow Serving.';

const Q4_PARAPHRASED_QUESTION =
  'In TensorFlow, how does eager mode differ from graph mode, and which would you use while building a model versus when shipping it?';

/** Settings the CLI would otherwise pick up from the developer's shell (commander reads them too). */
const SETTING_VARIABLES = [
  'ANSWERKEY_BANK_DIR',
  'ANSWERKEY_INDEX_DIR',
  'ANSWERKEY_VECTORS_PATH',
  'ANSWERKEY_WEIGHTS_PATH',
  'ANSWERKEY_EMBEDDER',
  'ANSWERKEY_MATCH_THRESHOLD',
  'ANSWERKEY_INDEX_REBUILD',
  'ANSWERKEY_EMBEDDING_MODEL',
  'ANSWERKEY_DEBUG',
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
];
const savedEnvironment: Record<string, string | undefined> = {};
const scratch = mkdtempSync(join(tmpdir(), 'answerkey-cli-'));
/** Shared by the tests that need an index: built once here, never under embeddings/. */
const sharedIndexDir = join(scratch, 'index');

beforeAll(() => {
  for (const name of SETTING_VARIABLES) {
    savedEnvironment[name] = process.env[name];
    delete process.env[name];
  }
  mkdirSync(sharedIndexDir);
});

afterAll(() => {
  for (const name of SETTING_VARIABLES) {
    if (savedEnvironment[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnvironment[name];
  }
  rmSync(scratch, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
});

let scratchCount = 0;
function scratchPath(name: string): string {
  scratchCount += 1;
  return join(scratch, `${scratchCount}-${name}`);
}

function freshDirectory(name: string): string {
  const directory = scratchPath(name);
  mkdirSync(directory);
  return directory;
}

function parseGrade(out: string): Grade {
  return gradeSchema.parse(JSON.parse(out));
}

describe('answerkey grade: errors', () => {
  it('exits 2 with one message and one hint when no question is given', async () => {
    const { code, err, out } = await run(['grade', '-a', 'some answer']);
    expect(code).toBe(2);
    expect(out).toBe('');
    const { message, hint } = expectOneLineError(err, { hint: true });
    expect(message).toMatch(/question/);
    expect(hint).toMatch(/--question-id/);
  });

  it('exits 2 the same way with no arguments at all', async () => {
    const { code, err } = await run(['grade']);
    expect(code).toBe(2);
    expectOneLineError(err, { hint: true });
  });

  it('exits 1 for an unknown question id, naming it and listing known ids', async () => {
    const { code, err, out } = await run(['grade', '-i', 'q99', '-a', 'x', '--index-dir', sharedIndexDir]);
    expect(code).toBe(1);
    expect(out).toBe('');
    const { message, hint } = expectOneLineError(err, { hint: true });
    expect(message).toContain('q99');
    expect(hint).toMatch(/\bq1\b/);
    expect(hint).toMatch(/\bq4\b/);
  });

  it('exits 2 with a hint about --answer when there is no answer and no piped input', async () => {
    const { code, err, io } = await run(['grade', '-i', 'q4', '--index-dir', sharedIndexDir], undefined);
    expect(code).toBe(2);
    expect(io.stdinReads).toBe(1);
    const { message, hint } = expectOneLineError(err, { hint: true });
    expect(message).toMatch(/answer/);
    expect(hint).toContain('--answer');
  });

  it('exits 2 when --answer-file does not exist, naming the file', async () => {
    const { code, err } = await run([
      'grade',
      '-i',
      'q4',
      '--answer-file',
      '/nonexistent/answer.txt',
      '--index-dir',
      sharedIndexDir,
    ]);
    expect(code).toBe(2);
    const { message, hint } = expectOneLineError(err, { hint: true });
    expect(message).toContain('/nonexistent/answer.txt');
    expect(hint).toContain('--answer-file');
  });

  it('exits 2 when both --answer and --answer-file are given', async () => {
    const file = scratchPath('answer.txt');
    writeFileSync(file, Q4_ANSWER);
    const { code, err, out } = await run(['grade', '-i', 'q4', '-a', 'x', '-f', file, '--index-dir', sharedIndexDir]);
    expect(code).toBe(2);
    expect(out).toBe('');
    const { message } = expectOneLineError(err, { hint: false });
    expect(message).toMatch(/--answer/);
    expect(message).toMatch(/--answer-file/);
  });

  it('exits 2 for a non-positive --max-score', async () => {
    const { code, err } = await run([
      'grade',
      '-i',
      'q4',
      '-a',
      Q4_ANSWER,
      '--max-score',
      '0',
      '--index-dir',
      sharedIndexDir,
    ]);
    expect(code).toBe(2);
    expect(expectOneLineError(err, { hint: false }).message).toContain('--max-score');
  });

  it('exits 2 (a usage mistake) for an out-of-range --match-threshold, naming the setting', async () => {
    const { code, err } = await run([
      'grade',
      '-i',
      'q4',
      '-a',
      Q4_ANSWER,
      '--match-threshold',
      '2',
      '--index-dir',
      sharedIndexDir,
    ]);
    expect(code).toBe(2);
    expect(expectOneLineError(err, { hint: true }).message).toMatch(/match.?threshold/i);
  });
});

describe('answerkey: usage errors from commander', () => {
  it("exits 2 on an unknown top-level option, with commander's message on stderr", async () => {
    const { code, err, out } = await run(['--bogus']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain("unknown option '--bogus'");
    expect(err).not.toContain('    at ');
  });

  it("exits 2 on an unknown subcommand option, with commander's message on the CLI's stderr", async () => {
    const { code, err } = await run(['grade', '-i', 'q4', '--bogus']);
    expect(code).toBe(2);
    expect(err).toContain("unknown option '--bogus'");
  });

  it('exits 2 on an unknown option of a nested subcommand (index build) without exiting the process', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`process.exit(${String(code)}) was called`);
    });
    const { code, err } = await run(['index', 'build', '--bogus']);
    expect(exit).not.toHaveBeenCalled();
    expect(code).toBe(2);
    expect(err).toContain("unknown option '--bogus'");
  });

  it('exits 2 on an unknown command', async () => {
    const { code, err } = await run(['regrade']);
    expect(code).toBe(2);
    expect(err).toContain('regrade');
  });
});

describe('answerkey eval: errors', () => {
  let dataset: string;
  beforeAll(() => {
    dataset = join(scratch, 'eval-dataset.jsonl');
    const row = (answer: string, score: number) => JSON.stringify({ question_id: 'q4', answer, score, max_score: 5 });
    writeFileSync(
      dataset,
      [
        row(Q4_ANSWER, 5),
        row('Eager runs ops right away which is easier to debug; graph mode is the old TF1 style with sessions.', 2),
        row('I am not sure, I have only used PyTorch.', 0),
        row(
          'Graph execution builds a graph that TensorFlow can optimize; tf.function converts a Python function into one.',
          3,
        ),
      ].join('\n'),
    );
  });

  it("exits 2 without --dataset, with commander's message", async () => {
    const { code } = await run(['eval']);
    expect(code).toBe(2);
  });

  it("reports the missing --dataset option on the CLI's stderr", async () => {
    const { err } = await run(['eval']);
    expect(err).toContain('--dataset');
  });

  it('exits 2 for a missing data set, a usage mistake, naming it', async () => {
    const { code, err } = await run(['eval', '-d', 'missing.jsonl']);
    expect(code).toBe(2);
    const { message, hint } = expectOneLineError(err, { hint: true });
    expect(message).toContain('no such file or folder');
    expect(message).toContain('missing.jsonl');
    expect(hint).toContain('--dataset');
  });

  it('exits 1 naming path:LINE for an invalid data set row', async () => {
    const broken = scratchPath('broken.jsonl');
    writeFileSync(broken, `${JSON.stringify({ question_id: 'q4', answer: 'x', score: 1, max_score: 5 })}\n{oops\n`);
    const { code, err } = await run(['eval', '-d', broken]);
    expect(code).toBe(1);
    expect(expectOneLineError(err, { hint: true }).message).toContain(`${broken}:2`);
  });

  it.each(['1', '0', 'abc'])('exits 2 for --folds %s', async (folds) => {
    const { code, err } = await run(['eval', '-d', dataset, '--folds', folds]);
    expect(code).toBe(2);
    const { message } = expectOneLineError(err, { hint: true });
    expect(message).toContain('--folds');
    expect(message).toContain(folds);
  });

  it('prints one JSON object of agreement metrics with --json', async () => {
    const { code, out, err } = await run(['eval', '-d', dataset, '--json']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(out) as {
      protocol: { shots: number; folds: number | null };
      overall: Record<string, { mean: number; sd: number } | number>;
      review: { overall: { answers: number } };
    };
    expect(report.protocol).toMatchObject({ shots: 0, folds: null });
    expect(Object.keys(report.overall).sort()).toEqual(['mae', 'n', 'pearson', 'qwk', 'rmse', 'spearman']);
    expect(report.overall.n).toBe(4);
    const mean = (name: string) => (report.overall[name] as { mean: number }).mean;
    for (const name of ['pearson', 'spearman', 'qwk']) {
      expect(mean(name)).toBeGreaterThanOrEqual(-1);
      expect(mean(name)).toBeLessThanOrEqual(1);
    }
    expect(mean('rmse')).toBeGreaterThanOrEqual(mean('mae'));
    expect(mean('mae')).toBeLessThanOrEqual(5);
    expect(report.review.overall.answers).toBe(4);
  });

  it('refuses folds over a file with one question, in one line rather than a crash', async () => {
    for (const folds of ['2', 'all']) {
      const { code, err } = await run(['eval', '-d', dataset, '--folds', folds]);
      expect(code).toBe(1);
      expect(expectOneLineError(err, { hint: true }).message).toContain(
        'folds need at least 2 questions; this file has 1',
      );
    }
  });

  it('refuses a --report path it cannot write before grading anything, exiting 1 as for any output that cannot be written', async () => {
    const { code, out, err } = await run([
      'eval',
      '-d',
      dataset,
      '--report',
      join(scratch, 'no-such-folder', 'report.html'),
    ]);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(expectOneLineError(err, { hint: true }).message).toContain('does not exist');
  });

  it('writes the HTML report where asked, after printing the figures', async () => {
    const report = scratchPath('report.html');
    const { code, out } = await run(['eval', '-d', dataset, '--report', report]);
    expect(code).toBe(0);
    expect(out).toContain(`report: ${report}`);
    expect(readFileSync(report, 'utf8')).toContain('<svg');
  });

  it('refuses --seeds without --shots', async () => {
    const { code, err } = await run(['eval', '-d', dataset, '--seeds', '3']);
    expect(code).toBe(2);
    expect(expectOneLineError(err, { hint: true }).message).toContain('--seeds applies only with --shots');
  });

  it('refuses --shots that leave no answer to score, in one line', async () => {
    const { code, err } = await run(['eval', '-d', dataset, '--shots', '4']);
    expect(code).toBe(1);
    expect(expectOneLineError(err, { hint: true }).message).toContain('--shots 4');
  });
});

describe('answerkey questions: errors', () => {
  it('exits 1 for an unknown id, naming it', async () => {
    const { code, err, out } = await run(['questions', 'q99']);
    expect(code).toBe(1);
    expect(out).toBe('');
    const { message, hint } = expectOneLineError(err, { hint: true });
    expect(message).toContain('q99');
    expect(hint).toContain('answerkey questions');
  });

  it('exits 2 for a missing --bank folder, a usage mistake, with a hint about ANSWERKEY_BANK_DIR', async () => {
    const { code, err } = await run(['questions', '--bank', '/nonexistent/bank']);
    expect(code).toBe(2);
    const { message, hint } = expectOneLineError(err, { hint: true });
    expect(message).toContain('/nonexistent/bank');
    expect(hint).toContain('ANSWERKEY_BANK_DIR');
  });

  it('exits 1 for a --bank folder with no rubric files', async () => {
    const empty = freshDirectory('empty-bank');
    writeFileSync(join(empty, 'notes.txt'), 'not a rubric');
    const { code, err } = await run(['questions', '--bank', empty]);
    expect(code).toBe(1);
    expect(expectOneLineError(err, { hint: true }).hint).toContain('ANSWERKEY_BANK_DIR');
  });

  it('exits 1 naming the file when a rubric is not valid YAML', async () => {
    const bank = freshDirectory('broken-bank');
    writeFileSync(
      join(bank, 'q1.yaml'),
      [
        'id: q1',
        'question: What is a stack?',
        'referenceAnswer: A last-in, first-out list with push and pop.',
        'keyPoints:',
        '  - id: lifo',
        '    text: last in, first out',
        '  - id: push',
        '    text: push adds an item on top',
        '  - id: pop',
        '    text: pop removes the top item',
        '',
      ].join('\n'),
    );
    writeFileSync(join(bank, 'q2-broken.yaml'), 'id: q2\nquestion: [unclosed\nreferenceAnswer: x\n');
    for (const argv of [
      ['questions', '--bank', bank],
      ['grade', '-i', 'q1', '-a', 'x', '--bank', bank, '--index-dir', freshDirectory('unused-index')],
    ]) {
      const { code, err } = await run(argv);
      expect(code).toBe(1);
      const { message } = expectOneLineError(err, { hint: true });
      expect(message).toContain(join(bank, 'q2-broken.yaml'));
      expect(message).toMatch(/YAML/);
    }
  });
});

describe('answerkey --help and --version', () => {
  it('--help exits 0 and lists the commands with example invocations', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    for (const command of ['grade', 'lookup', 'questions', 'index', 'eval']) expect(out).toContain(command);
    expect(out).toMatch(/\$ answerkey grade /);
  });

  it("grade --help exits 0 and prints help with Examples on the CLI's stdout", async () => {
    const { code, out } = await run(['grade', '--help']);
    expect(code).toBe(0);
    expect(out).toContain('Examples');
    expect(out).toContain('--question-id');
  });

  const commands = [
    [],
    ['grade'],
    ['lookup'],
    ['questions'],
    ['examples', 'add'],
    ['examples', 'list'],
    ['examples', 'remove'],
    ['index', 'build'],
    ['eval'],
    ['calibrate'],
    ['batch'],
    ['serve'],
  ];
  it.each(commands.map((command) => [command.join(' ') || '(main)', command]))(
    '%s --help has examples and no sentence broken mid-line',
    async (_name, command) => {
      const { code, out } = await run([...command, '--help']);
      expect(code).toBe(0);
      if (command.length > 0) expect(out).toMatch(/Examples:\n {2}\$ answerkey /);
      // The description, between the usage line and the options: commander wraps it; a hard line
      // break in its source shows as a short line the next one continues in lower case.
      const description = out.split('\nOptions:')[0].split('\n').slice(1);
      description.forEach((line, index) => {
        const next = description[index + 1] ?? '';
        if (line.trim() !== '' && !line.startsWith(' ') && /^[a-z(]/.test(next))
          expect(line.length, `${line}⏎${next}`).toBeGreaterThan(55);
      });
    },
  );

  it('--version exits 0 and prints the version it was given', async () => {
    const { code, out } = await run(['--version']);
    expect(code).toBe(0);
    expect(out.trim()).toBe(VERSION);
  });
});

describe('answerkey questions', () => {
  it('lists q1 … q21, each once', async () => {
    const { code, out, err } = await run(['questions']);
    expect(code).toBe(0);
    expect(err).toBe('');
    for (let number = 1; number <= 21; number += 1) {
      const lines = out.split('\n').filter((line) => new RegExp(`^q${number}\\s`).test(line));
      expect(lines, `q${number}`).toHaveLength(1);
    }
    expect(out).toContain('21 questions');
    expect(out).not.toMatch(/\u001b\[/);
  });

  it('--json lists the 21 questions with id, section, question and maxScore', async () => {
    const { code, out } = await run(['questions', '--json']);
    expect(code).toBe(0);
    const list = JSON.parse(out) as Array<{ id: string; section: string; question: string; maxScore: number }>;
    expect(list.map((entry) => entry.id)).toEqual(Array.from({ length: 21 }, (_, index) => `q${index + 1}`));
    for (const entry of list) {
      expect(entry.question.length).toBeGreaterThan(5);
      expect(entry.maxScore).toBeGreaterThan(0);
    }
  });

  it('q4 --json prints the rubric, with 3–8 key points', async () => {
    const { code, out } = await run(['questions', 'q4', '--json']);
    expect(code).toBe(0);
    const rubric = rubricSchema.parse(JSON.parse(out));
    expect(rubric.id).toBe('q4');
    expect(rubric.question).toMatch(/eager/i);
    expect(rubric.keyPoints.length).toBeGreaterThanOrEqual(3);
    expect(rubric.keyPoints.length).toBeLessThanOrEqual(8);
    expect(rubric.referenceAnswer.length).toBeGreaterThan(0);
  });

  it('finds an id case-insensitively', async () => {
    const { code, out } = await run(['questions', 'Q4', '--json']);
    expect(code).toBe(0);
    expect((JSON.parse(out) as { id: string }).id).toBe('q4');
  });
});

describe('answerkey grade', () => {
  let byFlag: Grade;
  let byFlagRun: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    byFlagRun = await run(['grade', '-i', 'q4', '-a', Q4_ANSWER, '--json', '--index-dir', sharedIndexDir]);
    byFlag = byFlagRun.code === 0 ? parseGrade(byFlagRun.out) : (undefined as never);
  });

  it('grades an answer by id and prints a grade that matches the schema', async () => {
    const { code, out, io } = byFlagRun;
    expect(code).toBe(0);
    expect(io.stdinReads).toBe(0);
    expect(parseGrade(out)).toEqual(byFlag);
    expect(byFlag.questionId).toBe('q4');
    expect(byFlag.mode).toBe('local');
    expect(byFlag.maxScore).toBe(5);
    expect(byFlag.score).toBeLessThanOrEqual(byFlag.maxScore);
    expect(byFlag.reference).toEqual({ questionId: 'q4', similarity: 1 });
    expect(byFlag.keyPoints.length).toBeGreaterThanOrEqual(3);
    for (const keyPoint of byFlag.keyPoints) {
      if (keyPoint.evidence !== null) expect(Q4_ANSWER).toContain(keyPoint.evidence);
    }
    // the answer makes every point of the rubric
    expect(byFlag.normalizedScore).toBeGreaterThanOrEqual(0.65);
    expect(byFlag.keyPoints.filter((keyPoint) => keyPoint.status === 'covered').length).toBeGreaterThanOrEqual(3);
    expect(byFlag.flags).not.toContain('off_topic');
  });

  it('reads the answer from standard input when none is given, and grades it the same', async () => {
    const { code, out, io } = await run(['grade', '-i', 'q4', '--json', '--index-dir', sharedIndexDir], Q4_ANSWER);
    expect(code).toBe(0);
    expect(io.stdinReads).toBe(1);
    const grade = parseGrade(out);
    expect(grade.questionId).toBe('q4');
    expect(grade.score).toBe(byFlag.score);
    expect(grade.keyPoints.map((keyPoint) => keyPoint.status)).toEqual(
      byFlag.keyPoints.map((keyPoint) => keyPoint.status),
    );
  });

  it('reads standard input for --answer-file -', async () => {
    const { code, out, io } = await run(
      ['grade', '-i', 'q4', '-f', '-', '--json', '--index-dir', sharedIndexDir],
      Q4_ANSWER,
    );
    expect(code).toBe(0);
    expect(io.stdinReads).toBe(1);
    expect(parseGrade(out).score).toBe(byFlag.score);
  });

  it('reads the answer from --answer-file', async () => {
    const file = scratchPath('q4-answer.txt');
    writeFileSync(file, Q4_ANSWER);
    const { code, out } = await run(['grade', '-i', 'q4', '-f', file, '--json', '--index-dir', sharedIndexDir]);
    expect(code).toBe(0);
    expect(parseGrade(out).score).toBe(byFlag.score);
  });

  it('scores a weak answer lower than a strong one', async () => {
    const weak = 'TensorFlow is a library from Google. I have used it a little for some models at work.';
    const { code, out } = await run(['grade', '-i', 'q4', '-a', weak, '--json', '--index-dir', sharedIndexDir]);
    expect(code).toBe(0);
    const grade = parseGrade(out);
    expect(grade.normalizedScore).toBeLessThan(byFlag.normalizedScore);
    for (const keyPoint of grade.keyPoints) if (keyPoint.evidence !== null) expect(weak).toContain(keyPoint.evidence);
  });

  it('prints a plain-text grade without colour codes when color is false', async () => {
    const { code, out } = await run(['grade', '-i', 'q4', '-a', Q4_ANSWER, '--index-dir', sharedIndexDir]);
    expect(code).toBe(0);
    expect(out).toMatch(/^q4/);
    expect(out).toMatch(/Score \d+(\.\d)? \/ 5/);
    expect(out).toContain('Key points');
    expect(out).not.toMatch(/\u001b\[/);
  });

  it('grades against an inline reference as an ad-hoc question', async () => {
    const { code, out } = await run([
      'grade',
      '--question',
      'What is a stack?',
      '--reference',
      'A stack is a last-in, first-out list: push adds an item on top and pop removes the top item.',
      '--answer',
      'It is a LIFO structure where push puts an item on top and pop takes the top item off.',
      '--json',
      '--index-dir',
      sharedIndexDir,
    ]);
    expect(code).toBe(0);
    const grade = parseGrade(out);
    expect(grade.questionId).toBeNull();
    expect(grade.reference).toEqual({ questionId: null, similarity: 1 });
    expect(grade.maxScore).toBe(5);
  });

  it('matches a paraphrased question against the bank, using an index under --index-dir', async () => {
    const indexDir = freshDirectory('paraphrase-index');
    const { code, out, err } = await run([
      'grade',
      '--question',
      Q4_PARAPHRASED_QUESTION,
      '-a',
      Q4_ANSWER,
      '--json',
      '--index-dir',
      indexDir,
    ]);
    expect(code).toBe(0);
    const grade = parseGrade(out);
    expect(grade.questionId).toBe('q4');
    expect(grade.reference.questionId).toBe('q4');
    expect(grade.reference.similarity).toBeLessThan(1);
    expect(grade.reference.similarity).toBeGreaterThan(0);
    // the fresh folder had no index: it was built there, with a one-line notice
    expect(err).toMatch(/^answerkey: rebuilding the reference index/);
    expect(readdirSync(indexDir).length).toBeGreaterThan(0);
  });

  it('exits 1 when a question given as text matches nothing in the bank', async () => {
    const { code, err } = await run([
      'grade',
      '--question',
      'What is your favourite recipe for sourdough bread and how long do you proof it?',
      '-a',
      'Overnight in the fridge.',
      '--match-threshold',
      '0.99',
      '--index-dir',
      sharedIndexDir,
    ]);
    expect(code).toBe(1);
    const body = err.split('\n').filter((line) => !line.startsWith('answerkey: rebuilding'));
    const { message, hint } = expectOneLineError(body.join('\n'), { hint: true });
    expect(message).toMatch(/no matching question/);
    expect(hint).toContain('--reference');
  });

  it('does not open or build the vector index to grade a strong answer by id', async () => {
    const indexDir = freshDirectory('by-id-index');
    const { code, err } = await run(['grade', '-i', 'q4', '-a', Q4_ANSWER, '--json', '--index-dir', indexDir]);
    expect(code).toBe(0);
    expect(err).not.toContain('rebuilding the reference index');
    expect(readdirSync(indexDir)).toEqual([]);
  });

  it('grades by id with ANSWERKEY_INDEX_REBUILD=never and no index on disk', async () => {
    const indexDir = join(scratch, 'never-built-index');
    process.env.ANSWERKEY_INDEX_REBUILD = 'never';
    try {
      const { code, out, err } = await run(['grade', '-i', 'q4', '-a', Q4_ANSWER, '--json', '--index-dir', indexDir]);
      expect(err).toBe('');
      expect(code).toBe(0);
      expect(parseGrade(out).questionId).toBe('q4');
    } finally {
      delete process.env.ANSWERKEY_INDEX_REBUILD;
    }
    expect(existsSync(indexDir)).toBe(false);
  });
});
