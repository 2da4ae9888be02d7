import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultRowSchema } from '../../src/batch/result-row.js';
import { PACKAGE_ROOT } from '../../src/config/paths.js';
import { isolateSettings } from '../helpers/isolate-settings.js';
import { runCliForTest } from '../helpers/run-cli.js';

const TAKE_HOMES = join(PACKAGE_ROOT, 'examples', 'take-homes');
const ANSWERS_CSV = join(PACKAGE_ROOT, 'examples', 'answers.csv');
const scratch = mkdtempSync(join(tmpdir(), 'answerkey-batch-cli-'));
const indexDir = join(scratch, 'index');
isolateSettings();
beforeAll(() => mkdirSync(indexDir));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const run = (argv: readonly string[]) => runCliForTest([...argv, '--index-dir', indexDir]);

function expectOneLineError(err: string): string[] {
  const lines = err.trimEnd().split('\n');
  expect(lines.length).toBeLessThanOrEqual(2);
  expect(lines[0]).toMatch(/^answerkey: \S/);
  if (lines[1]) expect(lines[1]).toMatch(/^ {2}hint: \S/);
  expect(err).not.toContain('    at ');
  return lines;
}

describe('answerkey batch: usage errors', () => {
  it('rejects an unknown --mode', async () => {
    const { code, err } = await run(['batch', ANSWERS_CSV, '--out', join(scratch, 'bad'), '--mode', 'gpt']);
    expect(code).toBe(2);
    expect(err).toMatch(/'--mode <mode>' argument 'gpt' is invalid/);
    expect(err).not.toContain('    at ');
  });

  it.each([
    [['--concurrency', '0'], /--concurrency must be a whole number from 1 to 64, not "0"/],
    [['--concurrency', 'many'], /--concurrency/],
  ])('rejects %j', async (extra, pattern) => {
    const { code, err } = await run(['batch', ANSWERS_CSV, '--out', join(scratch, 'bad'), ...extra]);
    expect(code).toBe(2);
    expect(expectOneLineError(err)[0]).toMatch(pattern);
  });

  it('needs --out', async () => {
    const { code, err } = await run(['batch', ANSWERS_CSV]);
    expect(code).toBe(2);
    expect(err).toContain('--out');
  });

  it('says when --out cannot be a folder, as a file-system error (exit 1)', async () => {
    const { code, err } = await run(['batch', ANSWERS_CSV, '--out', join(ANSWERS_CSV, 'out')]);
    expect(code).toBe(1);
    expect(expectOneLineError(err)[0]).toMatch(/cannot use .*answers\.csv\/out as the output folder/);
  });

  it('refuses --learn without --overrides, and an --overrides file that does not exist', async () => {
    const learn = await run(['batch', ANSWERS_CSV, '--out', join(scratch, 'learn'), '--learn']);
    expect(learn.code).toBe(2);
    expect(expectOneLineError(learn.err)[0]).toBe(
      "answerkey: --learn needs --overrides: it stores the reviewers' scores as graded examples",
    );
    const missing = await run([
      'batch',
      ANSWERS_CSV,
      '--out',
      join(scratch, 'learn'),
      '--overrides',
      join(scratch, 'nope.csv'),
    ]);
    expect(missing.code).toBe(2);
    expect(expectOneLineError(missing.err)[0]).toMatch(/no such file or folder: .*nope\.csv \(--overrides\)/);
  });

  it('refuses --questions naming a question the bank lacks', async () => {
    const { code, err } = await run([
      'batch',
      ANSWERS_CSV,
      '--out',
      join(scratch, 'questions'),
      '--questions',
      'q3,q77',
    ]);
    expect(code).toBe(2);
    expect(expectOneLineError(err)[0]).toMatch(/^answerkey: --questions: no question "q77" in the bank/);
  });

  it('names a missing input', async () => {
    const { code, err } = await run(['batch', join(scratch, 'missing.csv'), '--out', join(scratch, 'missing')]);
    expect(code).toBe(2);
    expect(expectOneLineError(err)[0]).toContain('missing.csv');
  });
});

describe('answerkey batch: the scorer', () => {
  it('grades locally even when an API key would make LLM mode the default', async () => {
    const csv = join(scratch, 'two.csv');
    writeFileSync(
      csv,
      'candidate_id,question_id,answer\nalice,q4,Eager runs each op at once; tf.function builds a graph for deployment.\n',
    );
    process.env.OPENAI_API_KEY = 'sk-test-not-used';
    process.env.OPENAI_BASE_URL = 'http://127.0.0.1:9/v1';
    try {
      const { code } = await run(['batch', csv, '--out', join(scratch, 'keyed')]);
      expect(code).toBe(0);
    } finally {
      delete process.env.OPENAI_API_KEY;
      delete process.env.OPENAI_BASE_URL;
    }
    const [row] = readFileSync(join(scratch, 'keyed', 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => resultRowSchema.parse(JSON.parse(line)));
    expect(row.mode).toBe('local');
    expect(row.flags).not.toContain('llm_unavailable');
  });
});

describe('answerkey batch --dry-run', () => {
  it('counts answers per question and candidate, and writes nothing', async () => {
    const out = join(scratch, 'dry');
    const { code, out: stdout, err } = await run(['batch', ANSWERS_CSV, '--out', out, '--dry-run']);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('Dry run: nothing graded, nothing written.');
    expect(stdout).toContain('30 answers from 10 candidates to 3 questions');
    expect(stdout).toContain('already done in');
    expect(stdout).toContain('token estimate: n/a in local mode');
    expect(stdout).toMatch(/^ {2}q4 +10$/m);
    expect(stdout).toMatch(/^ {2}q13 +10$/m);
    // A-1008's empty answer to q13 is graded (0, flagged empty), as `answerkey grade` grades it.
    expect(stdout).toMatch(/^ {2}A-1008 +3$/m);
    expect(stdout).not.toContain('Cannot be graded');
    expect(existsSync(out)).toBe(false);
  });
});

describe('answerkey batch: take-homes', () => {
  const out = join(scratch, 'take-homes');
  let first: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    first = await run(['batch', TAKE_HOMES, '--out', out]);
  });

  it('grades every attributed answer and says so, with plain progress lines off a terminal', () => {
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^Graded 22 answers in /);
    expect(first.out).toContain('Top candidates (of 6)');
    expect(first.err).toMatch(/22\/22 answers \(100%\)/);
    expect(first.err).not.toMatch(/\u001b\[/);
  });

  it("writes results.jsonl rows in the shared grade schema with the candidate and the answer's key", () => {
    const rows = readFileSync(join(out, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => resultRowSchema.parse(JSON.parse(line)));
    expect(rows).toHaveLength(22);
    expect(new Set(rows.map((row) => row.mode))).toEqual(new Set(['local']));
    expect(new Set(rows.map((row) => row.candidateId))).toEqual(
      new Set(['amara-okafor', 'ben-hartley', 'chen-wei', 'dana-kowalski', 'emre-yilmaz', 'farah-haddad']),
    );
    for (const row of rows) expect(row.questionKey).toBe(row.questionId);
  });

  it('writes candidates.csv, the report, and the unattributed section in errors.jsonl', () => {
    const csv = readFileSync(join(out, 'candidates.csv'), 'utf8').trimEnd().split('\r\n');
    expect(csv[0]).toBe(
      'rank,candidate_id,q3,q10,q11,q16,total,max_total,normalized_total,answered_non_empty,needs_review,flags',
    );
    expect(csv).toHaveLength(7);
    const report = readFileSync(join(out, 'report.html'), 'utf8');
    for (const candidate of ['amara-okafor', 'ben-hartley', 'chen-wei', 'dana-kowalski', 'emre-yilmaz', 'farah-haddad'])
      expect(report).toContain(candidate);
    const errors = readFileSync(join(out, 'errors.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; source: string });
    expect(errors).toEqual([expect.objectContaining({ kind: 'unattributed_section', source: 'dana-kowalski.md:15' })]);
  });

  it('grades nothing again on a rerun, and still rewrites the report', async () => {
    const { code, out: stdout } = await run(['batch', TAKE_HOMES, '--out', out]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Graded 0 answers in .*; 22 were already done/);
    expect(readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n')).toHaveLength(22);
  });

  it('refuses to run while another run holds the folder, in one line, exiting 1: the call was not a mistake', async () => {
    writeFileSync(join(out, 'batch.lock'), `${process.ppid}\n`);
    try {
      const { code, err } = await run(['batch', TAKE_HOMES, '--out', out]);
      expect(code).toBe(1);
      const [message, hint] = expectOneLineError(err);
      expect(message).toBe(`answerkey: another batch run (pid ${process.ppid}) is writing to ${out}`);
      expect(hint).toContain('batch.lock');
    } finally {
      rmSync(join(out, 'batch.lock'));
    }
  });
});

describe('answerkey batch: nothing to grade', () => {
  it('fails with exit code 1 for an empty take-home folder, saying nothing was graded', async () => {
    const folder = join(scratch, 'empty-folder');
    mkdirSync(folder);
    const { code, out: stdout, err } = await run(['batch', folder, '--out', join(scratch, 'empty-out')]);
    expect(code).toBe(1);
    expect(stdout).not.toMatch(/Graded 0 answers/);
    expect(expectOneLineError(err)[0]).toBe(
      `answerkey: nothing was graded: ${folder} holds no take-homes (.md, .txt, .html, .docx, .pdf or .ipynb files, one per candidate)`,
    );
  });

  it('fails with exit code 1 when every row is bad, pointing to errors.jsonl', async () => {
    const csv = join(scratch, 'all-bad.csv');
    writeFileSync(csv, 'candidate_id,question_id,answer\nann,q99,Something.\n,q4,No candidate.\n');
    const out = join(scratch, 'all-bad');
    const { code, err } = await run(['batch', csv, '--out', out]);
    expect(code).toBe(1);
    const [message, hint] = expectOneLineError(err);
    expect(message).toBe(`answerkey: nothing was graded: none of the 2 rows of ${csv} could be graded`);
    expect(hint).toContain(join(out, 'errors.jsonl'));
    expect(readFileSync(join(out, 'errors.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  });
});

describe('answerkey batch: empty answers and ad-hoc questions', () => {
  it('grades an empty answer 0, flagged empty, as `answerkey grade` does, and labels an ad-hoc question by its first words', async () => {
    const csv = join(scratch, 'empty-answer.csv');
    writeFileSync(
      csv,
      [
        'candidate_id,question_id,question,reference_answer,answer',
        'ann,q4,,,Eager runs each op at once; tf.function builds a graph for deployment.',
        'ann,,What is a stack in computer science?,A last-in first-out collection.,',
        'bob,,What is a stack in computer science?,A last-in first-out collection.,LIFO: you pop what you pushed last.',
      ].join('\n'),
    );
    const out = join(scratch, 'empty-answer');
    const { code } = await run(['batch', csv, '--out', out]);
    expect(code).toBe(0);
    const rows = readFileSync(join(out, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => resultRowSchema.parse(JSON.parse(line)));
    const empty = rows.find((row) => row.candidateId === 'ann' && row.questionId === null);
    expect([empty?.score, empty?.flags]).toEqual([0, ['empty']]);
    expect(readFileSync(join(out, 'errors.jsonl'), 'utf8')).toBe('');
    const csvOut = readFileSync(join(out, 'candidates.csv'), 'utf8').split('\r\n');
    expect(csvOut[0]).toBe(
      'rank,candidate_id,q4,What is a stack in computer…,total,max_total,normalized_total,answered_non_empty,needs_review,flags',
    );
    expect(csvOut.find((line) => line.includes(',ann,'))).toMatch(/What is a stack in computer…: empty/);
    const report = readFileSync(join(out, 'report.html'), 'utf8');
    expect(report).toContain('>What is a stack in computer…</');
    expect(report).not.toMatch(/>adhoc-[0-9a-f]{10}</);
  });
});

describe('answerkey batch: counts of one', () => {
  it('says "1 answer", "1 candidate", "1 question" and "1 was already done", never "1 answers"', async () => {
    const csv = join(scratch, 'one-answer.csv');
    // An answer about overfitting to the eager-mode question: off topic, so one answer to review.
    writeFileSync(
      csv,
      'candidate_id,question_id,answer\nann,q4,"To stop overfitting I add dropout, L2 regularization, early stopping on validation loss and data augmentation."\n',
    );
    const out = join(scratch, 'one-answer');
    const first = await run(['batch', csv, '--out', out]);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^Graded 1 answer in /);
    expect(first.out).toContain('Needs review: 1 answer (listed in the report)');
    expect(first.err).toContain('1/1 answer (100%)');
    const dry = await run(['batch', csv, '--out', out, '--dry-run']);
    expect(dry.out).toContain('1 answer from 1 candidate to 1 question');
    const rerun = await run(['batch', csv, '--out', out]);
    expect(rerun.out).toMatch(/^Graded 0 answers in .*; 1 was already done/);
    const report = readFileSync(join(out, 'report.html'), 'utf8');
    expect(report).toContain('1 candidate · 1 question ·');
    expect(report).toContain('<div class="label">answer graded</div>');
    expect(report).toContain('<div class="label">answer to review</div>');
    expect(report).toContain('<b>1</b> answer</span>');
    expect(report).not.toMatch(/\b1 answers|<b>1<\/b> answers|>1<\/div><div class="label">answers/);
  });
});
