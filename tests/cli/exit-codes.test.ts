import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/config/paths.js';
import { runCliForTest as run } from '../helpers/run-cli.js';
import { prepareOtherUser, type OtherUser } from '../helpers/as-other-user.js';

/** Settings a developer's shell could set, which commander would read. */
const SETTING_VARIABLES = [
  'ANSWERKEY_BANK_DIR',
  'ANSWERKEY_EXAMPLES_DIR',
  'ANSWERKEY_INDEX_DIR',
  'ANSWERKEY_WEIGHTS_PATH',
  'ANSWERKEY_VECTORS_PATH',
  'ANSWERKEY_MODE',
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'ANSWERKEY_DATABASE_URL',
];
const saved: Record<string, string | undefined> = {};
const scratch = mkdtempSync(join(tmpdir(), 'answerkey-exit-codes-'));
const dataset = join(scratch, 'graded.jsonl');
const missing = join(scratch, 'missing');
const readOnly = join(scratch, 'read-only');

beforeAll(() => {
  for (const name of SETTING_VARIABLES) {
    saved[name] = process.env[name];
    delete process.env[name];
  }
  const row = (score: number) =>
    JSON.stringify({
      question_id: 'q4',
      answer: 'Eager mode runs each op at once; graph mode is traced by tf.function.',
      score,
      max_score: 5,
    });
  writeFileSync(dataset, `${row(3)}\n${row(1)}\n`);
  mkdirSync(readOnly);
  chmodSync(scratch, 0o755);
  chmodSync(dataset, 0o644);
  chmodSync(readOnly, 0o555);
});
afterAll(() => {
  for (const name of SETTING_VARIABLES) if (saved[name] !== undefined) process.env[name] = saved[name];
  rmSync(scratch, { recursive: true, force: true });
});

function firstLine(err: string): string {
  expect(err).not.toMatch(/unexpected error|this is a bug|\n\s+at /);
  return err.split('\n')[0];
}

describe('a file or folder to read that does not exist is a usage mistake: exit 2 in every command', () => {
  it.each([
    ['grade --answer-file', ['grade', '-i', 'q4', '--answer-file', `${missing}.txt`], '--answer-file'],
    ['eval --dataset', ['eval', '--dataset', `${missing}.jsonl`], '--dataset'],
    [
      'calibrate --dataset',
      ['calibrate', '--dataset', `${missing}.jsonl`, '--out', join(scratch, 'weights.json')],
      '--dataset',
    ],
    [
      'grade --weights',
      ['grade', '-i', 'q4', '-a', 'Eager runs ops at once.', '--weights', `${missing}.json`],
      '--weights',
    ],
    ['eval --weights', ['eval', '--dataset', dataset, '--weights', `${missing}.json`], '--weights'],
    [
      'batch --weights',
      [
        'batch',
        join(PACKAGE_ROOT, 'examples', 'answers.csv'),
        '--out',
        join(scratch, 'out-weights'),
        '--weights',
        `${missing}.json`,
      ],
      '--weights',
    ],
    ['batch INPUT', ['batch', `${missing}.csv`, '--out', join(scratch, 'out-input')], 'missing.csv'],
    [
      'grade --vectors',
      ['grade', '-i', 'q4', '-a', 'Eager runs ops at once.', '--vectors', `${missing}.bin`],
      '--vectors',
    ],
    ['questions --bank', ['questions', '--bank', missing], '--bank'],
  ])('%s', async (_name, argv, named) => {
    const { code, err } = await run(argv);
    expect(code).toBe(2);
    expect(firstLine(err)).toMatch(/^answerkey: no such file or folder: /);
    expect(firstLine(err)).toContain(named);
  });

  it('says the same of ANSWERKEY_WEIGHTS_PATH, the variable of --weights', async () => {
    process.env.ANSWERKEY_WEIGHTS_PATH = `${missing}.json`;
    try {
      const { code, err } = await run(['grade', '-i', 'q4', '-a', 'Eager runs ops at once.']);
      expect(code).toBe(2);
      expect(firstLine(err)).toContain('ANSWERKEY_WEIGHTS_PATH');
    } finally {
      delete process.env.ANSWERKEY_WEIGHTS_PATH;
    }
  });
});

describe('the database commands without a database are a usage mistake: exit 2', () => {
  it.each([
    ['db', 'migrate'],
    ['db', 'status'],
  ])('%s %s names the flag and the variable', async (...argv) => {
    const { code, out, err } = await run(argv);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(firstLine(err)).toBe('answerkey: no database given: answerkey db works on a PostgreSQL database');
    expect(err).toContain('hint: set ANSWERKEY_DATABASE_URL or pass --database-url postgres://');
  });

  it('a URL that is not a PostgreSQL one is an invalid setting, named without its password', async () => {
    const { code, err } = await run(['db', 'migrate', '--database-url', 'mysql://ana:hunter2@db/answerkey']);
    expect(code).toBe(2);
    expect(firstLine(err)).toBe(
      'answerkey: invalid setting --database-url / ANSWERKEY_DATABASE_URL: must be a postgres:// or postgresql:// URL, not "mysql://ana:***@db/answerkey"',
    );
    expect(err).not.toContain('hunter2');
  });
});

describe('an input file whose content is wrong exits 1, whether its header or every row is bad', () => {
  it.each([
    [
      'a header without the needed columns',
      'name,text\nann,Eager runs ops at once.\n',
      /no candidate_id, answer, question_id \(or question\) column/,
    ],
    [
      'every row bad',
      'candidate_id,question_id,answer\nann,q99,Something.\n,q4,No candidate.\n',
      /nothing was graded: none of the 2 rows/,
    ],
  ])('%s', async (name, content, message) => {
    const csv = join(scratch, `${name.replace(/\W+/g, '-')}.csv`);
    writeFileSync(csv, content);
    const { code, err } = await run(['batch', csv, '--out', join(scratch, `out-${name.replace(/\W+/g, '-')}`)]);
    expect(code).toBe(1);
    expect(firstLine(err)).toMatch(message);
  });
});

describe('an output that cannot be written exits 1 in every command (run as a user other than root)', () => {
  // Root writes anywhere: the command runs as nobody then (from a copy it can read, when the checkout is not).
  let otherUser: OtherUser;
  beforeAll(() => {
    otherUser = prepareOtherUser();
  });
  afterAll(() => otherUser.dispose());
  const runAsUser = (argv: readonly string[]) =>
    otherUser.run(
      argv,
      Object.fromEntries(Object.entries(process.env).filter(([name]) => !SETTING_VARIABLES.includes(name))),
    );

  it.each([
    [
      'batch --out, an existing folder',
      ['batch', join(PACKAGE_ROOT, 'examples', 'answers.csv'), '--out', readOnly],
      `cannot open ${join(readOnly, 'batch.lock')}: permission denied`,
    ],
    [
      'batch --out, a new folder in it',
      ['batch', join(PACKAGE_ROOT, 'examples', 'answers.csv'), '--out', join(readOnly, 'new')],
      `cannot use ${join(readOnly, 'new')} as the output folder`,
    ],
    [
      'calibrate --out',
      ['calibrate', '--dataset', dataset, '--out', join(readOnly, 'weights.json')],
      `cannot write --out ${join(readOnly, 'weights.json')}: its folder ${readOnly} is not writable`,
    ],
    [
      'eval --report',
      ['eval', '--dataset', dataset, '--report', join(readOnly, 'report.html')],
      `cannot write --report ${join(readOnly, 'report.html')}: its folder ${readOnly} is not writable`,
    ],
  ])(
    '%s',
    (_name, argv, message) => {
      const result = runAsUser(argv);
      expect(firstLine(result.stderr)).toContain(message);
      expect(result.status).toBe(1);
    },
    60_000,
  );
});
