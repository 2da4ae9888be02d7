import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { PACKAGE_ROOT } from '../../src/config/paths.js';
import { fileSystemError } from '../../src/errors/file-system-error.js';
import { gradeSchema } from '../../src/grading/grade-schema.js';
import { listenError } from '../../src/server/start-server.js';
import { isolateSettings } from '../helpers/isolate-settings.js';
import { runCliForTest as run } from '../helpers/run-cli.js';
import { prepareOtherUser } from '../helpers/as-other-user.js';

isolateSettings();

const scratch = mkdtempSync(join(tmpdir(), 'answerkey-contract-'));

/** The contract: one "answerkey: …" line and one "  hint: …" line, nothing calling it a bug, no stack trace. */
function expectUserError(err: string): { message: string; hint: string } {
  const lines = err.trimEnd().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^answerkey: \S/);
  expect(lines[1]).toMatch(/^ {2}hint: \S/);
  expect(err).not.toMatch(/unexpected error|this is a bug|\n\s+at /);
  return { message: lines[0], hint: lines[1] };
}

describe('file-system errors are user errors naming the path and the setting to change', () => {
  it('a folder the user cannot write: examples add and grade exit 1 naming the path and --examples-dir / --index-dir (run as a user other than root)', () => {
    const examples = join(scratch, 'read-only-examples');
    mkdirSync(examples);
    chmodSync(scratch, 0o755);
    chmodSync(examples, 0o555);
    // Root writes anywhere: the command runs as nobody then, as the QA pass did (from a copy it can read, when the checkout is not).
    const otherUser = prepareOtherUser();
    onTestFinished(() => otherUser.dispose());
    const result = otherUser.run([
      'examples',
      'add',
      '-i',
      'q4',
      '--score',
      '2',
      '-a',
      'eager mode',
      '--examples-dir',
      examples,
    ]);
    expect(result.status).toBe(1);
    const { message, hint } = expectUserError(result.stderr);
    expect(message).toBe(`answerkey: cannot open ${join(examples, 'q4.jsonl.lock')}: permission denied`);
    expect(hint).toBe(
      `  hint: make ${examples} writable by this user, or set --examples-dir / ANSWERKEY_EXAMPLES_DIR to a folder you can write`,
    );

    // The same for an --index-dir that grading has to build an index in.
    const graded = otherUser.run(['grade', '-i', 'q4', '-a', 'eager mode', '--index-dir', examples]);
    expect(graded.status).toBe(1);
    const [notice, ...rest] = graded.stderr.split('\n');
    expect(notice).toMatch(/^answerkey: rebuilding the reference index/);
    const indexError = expectUserError(rest.join('\n'));
    expect(indexError.message).toMatch(
      new RegExp(`^answerkey: cannot create ${examples}/index-local-glove-100d\\.staging-\\d+: permission denied$`),
    );
    expect(indexError.hint).toContain('--index-dir / ANSWERKEY_INDEX_DIR');
  }, 60_000);

  it('maps a real ENOENT of a missing parent folder, naming the folder and the setting whose folder holds it', () => {
    const index = join(scratch, 'index');
    let error: unknown;
    try {
      writeFileSync(join(index, 'index-local', 'manifest.json'), '{}');
    } catch (caught) {
      error = caught;
    }
    const mapped = fileSystemError(error, [
      { directory: scratch, setting: '--bank / ANSWERKEY_BANK_DIR' },
      { directory: index, setting: '--index-dir / ANSWERKEY_INDEX_DIR' },
    ]);
    expect(mapped?.code).toBe('file_system');
    expect(mapped?.message).toBe(
      `cannot open ${join(index, 'index-local', 'manifest.json')}: its folder ${join(index, 'index-local')} does not exist`,
    );
    expect(mapped?.hint).toBe(
      `create ${join(index, 'index-local')}, or set --index-dir / ANSWERKEY_INDEX_DIR to a folder you can write`,
    );
  });

  it.each([
    ['EROFS', 'the file system is read-only', 'make /srv/index writable by this user'],
    ['ENOSPC', 'no space left on the device', 'free some space'],
    ['EPERM', 'permission denied', 'make /srv/index writable by this user'],
  ])('maps %s', (code, reason, remedy) => {
    const error = Object.assign(new Error(`${code}: …, mkdir '/srv/index/staging'`), {
      code,
      syscall: 'mkdir',
      path: '/srv/index/staging',
    });
    const mapped = fileSystemError(error, [{ directory: '/srv/index', setting: '--index-dir / ANSWERKEY_INDEX_DIR' }]);
    expect(mapped?.message).toBe(`cannot create /srv/index/staging: ${reason}`);
    expect(mapped?.hint).toBe(`${remedy}, or set --index-dir / ANSWERKEY_INDEX_DIR to a folder you can write`);
  });

  it('leaves errors that are not about files to be reported as bugs', () => {
    expect(fileSystemError(new TypeError('x is undefined'))).toBeUndefined();
    expect(fileSystemError(Object.assign(new Error('boom'), { code: 'ECONNRESET' }))).toBeUndefined();
  });
});

describe('an --index-dir where no folder can be created', () => {
  it('fails at once with exit 2 instead of hanging in a recursive mkdir on /proc', async () => {
    const started = Date.now();
    const { code, out, err } = await run(['grade', '-i', 'q4', '-a', 'x', '--index-dir', '/proc/x']);
    expect(code).toBe(2);
    expect(out).toBe('');
    const { message, hint } = expectUserError(err);
    expect(message).toContain("--index-dir / ANSWERKEY_INDEX_DIR: /proc/x is on the kernel's proc file system");
    expect(hint).toContain('--index-dir');
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 20_000);
});

describe('serve: addresses it cannot listen on', () => {
  let occupied: Server;
  let port: number;
  beforeAll(async () => {
    occupied = createServer();
    await new Promise<void>((resolve) => occupied.listen(0, '127.0.0.1', resolve));
    port = (occupied.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => occupied.close(() => resolve())));

  it('exits 2 for a --host that is no address (getaddrinfo ENOTFOUND), with a hint', async () => {
    const { code, err } = await run(['serve', '--host', '999.1.1.1', '--port', '0']);
    expect(code).toBe(2);
    const { message, hint } = expectUserError(err);
    expect(message).toBe('answerkey: cannot listen on 999.1.1.1:0: "999.1.1.1" is not a known host name or address');
    expect(hint).toContain('--host');
  });

  it("exits 2 for a --host that is not this machine's (EADDRNOTAVAIL)", async () => {
    const { code, err } = await run(['serve', '--host', '192.0.2.1', '--port', '0']);
    expect(code).toBe(2);
    expect(expectUserError(err).message).toBe(
      'answerkey: cannot listen on 192.0.2.1:0: 192.0.2.1 is not an address of this machine',
    );
  });

  it('exits 1 for a port in use (EADDRINUSE), naming it', async () => {
    const { code, err } = await run(['serve', '--host', '127.0.0.1', '--port', String(port)]);
    expect(code).toBe(1);
    const { message, hint } = expectUserError(err);
    expect(message).toBe(`answerkey: cannot listen on 127.0.0.1:${port}: the port is already in use`);
    expect(hint).toContain('--port');
  });

  it('says a low port needs privileges (EACCES)', () => {
    const error = listenError(
      Object.assign(new Error('listen EACCES: permission denied 0.0.0.0:80'), { code: 'EACCES' }),
      '0.0.0.0',
      80,
    );
    expect(error?.message).toBe('cannot listen on 0.0.0.0:80: permission denied');
    expect(error?.hint).toContain('1024');
  });
});

describe('bad option values are usage mistakes: exit 2, naming the flag', () => {
  it.each([
    [['grade', '-i', 'q4', '-a', 'x', '--match-threshold', '2'], '--match-threshold'],
    [['grade', '-i', 'q4', '-a', 'x', '--examples', '-1'], '--examples'],
    [['grade', '-i', 'q4', '-a', 'x', '--samples', '0'], '--samples'],
    [['serve', '--port', 'abc'], '--port'],
    [['serve', '--port', '70000'], '--port'],
  ])('%j', async (argv, flag) => {
    const { code, err } = await run(argv);
    expect(code).toBe(2);
    expect(expectUserError(err).message).toMatch(
      new RegExp(`^answerkey: invalid setting ${flag} / [A-Z_]+: must be .*, not "`),
    );
  });
});

describe('grade: what was asked for but cannot be done is a usage mistake', () => {
  it('exits 2 for --mode llm without a model server, saying how to configure one, and grades nothing', async () => {
    const { code, out, err } = await run(['grade', '-i', 'q4', '-a', 'Eager runs ops at once.', '--mode', 'llm']);
    expect(code).toBe(2);
    expect(out).toBe('');
    const { message, hint } = expectUserError(err);
    expect(message).toContain('LLM mode');
    expect(hint).toContain('OPENAI_API_KEY');
    expect(hint).toContain('--mode local');
  });

  it('serve exits 2 the same way instead of serving local grades as the default', async () => {
    const { code, out, err } = await run(['serve', '--port', '0', '--mode', 'llm']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(expectUserError(err).message).toContain('LLM mode');
  });

  it('exits 2 the same way for ANSWERKEY_MODE=llm', async () => {
    process.env.ANSWERKEY_MODE = 'llm';
    try {
      expect((await run(['grade', '-i', 'q4', '-a', 'Eager runs ops at once.'])).code).toBe(2);
    } finally {
      delete process.env.ANSWERKEY_MODE;
    }
  });

  it.each(['', ' \n\n'])('exits 2 when the answer comes from standard input and it is empty (%j)', async (stdin) => {
    for (const argv of [
      ['grade', '-i', 'q4'],
      ['grade', '-i', 'q4', '--answer-file', '-'],
    ]) {
      const { code, out, err } = await run(argv, stdin);
      expect(code).toBe(2);
      expect(out).toBe('');
      const { message, hint } = expectUserError(err);
      expect(message).toBe('answerkey: the answer on standard input is empty');
      expect(hint).toContain('--answer');
      expect(hint).toContain('--answer-file');
    }
  });

  it('still grades an explicit --answer "" as an empty answer', async () => {
    const index = mkdtempSync(join(tmpdir(), 'answerkey-contract-index-'));
    const { code, out } = await run(['grade', '-i', 'q4', '--answer', '', '--json', '--index-dir', index]);
    expect(code).toBe(0);
    const grade = gradeSchema.parse(JSON.parse(out));
    expect(grade.flags).toContain('empty');
    expect(grade.score).toBe(0);
  });
});

describe('eval: rows and options it cannot use are named', () => {
  const row = (fields: Record<string, unknown>) =>
    JSON.stringify({
      question_id: 'q4',
      answer: 'Eager mode runs each op at once; graph mode is traced by tf.function.',
      score: 3,
      max_score: 5,
      ...fields,
    });
  const dataset = (rows: readonly string[]) => {
    const path = join(mkdtempSync(join(tmpdir(), 'answerkey-eval-')), 'graded.jsonl');
    writeFileSync(path, `${rows.join('\n')}\n`);
    return path;
  };

  it('names the line of a question_id the bank does not have', async () => {
    const path = dataset([row({}), row({ question_id: 'q99' }), row({ score: 1 })]);
    const { code, err } = await run(['eval', '-d', path]);
    expect(code).toBe(1);
    expect(expectUserError(err).message).toBe(
      `answerkey: ${path}:2: question_id "q99" is not in the bank, and the row has no reference_answer`,
    );
  });

  it('refuses --fold-by without --folds as a usage mistake rather than ignoring it', async () => {
    const path = dataset([row({}), row({ score: 1 })]);
    const { code, out, err } = await run(['eval', '-d', path, '--fold-by', 'assignment']);
    expect(code).toBe(2);
    expect(out).toBe('');
    const { message, hint } = expectUserError(err);
    expect(message).toBe('answerkey: --fold-by applies only with --folds');
    expect(hint).toContain('--folds');
  });

  it("shows progress on a terminal's standard error, never on standard output, and none when standard error is not a terminal", async () => {
    const path = dataset([
      row({}),
      row({ score: 1 }),
      row({ score: 5, answer: 'Graph execution builds a graph TensorFlow optimises.' }),
      row({ question_id: 'q5', answer: 'Dropout and early stopping.' }),
      row({ question_id: 'q5', score: 1, answer: 'More data.' }),
    ]);
    const { runCli } = await import('../../src/cli/run-cli.js');
    const runEval = async (interactiveStderr: boolean) => {
      const recorded = { out: '', err: '' };
      const code = await runCli(
        ['eval', '-d', path, '--json', '--shots', '1', '--seeds', '2'],
        {
          stdout: (text) => void (recorded.out += text),
          stderr: (text) => void (recorded.err += text),
          readStdin: async () => undefined,
          color: false,
          interactiveStderr,
        },
        '0.0.0-test',
      );
      return { code, ...recorded };
    };
    const onTerminal = await runEval(true);
    expect(onTerminal.code).toBe(0);
    // 5 answers assessed, then per seed 3 scored with the other 2 as examples.
    expect(onTerminal.err).toContain('grading 1/11 answers (9%)');
    expect(onTerminal.err.endsWith('\r\u001b[2K')).toBe(true);
    expect(() => JSON.parse(onTerminal.out)).not.toThrow();
    const piped = await runEval(false);
    expect(piped.err).toBe('');
    expect(JSON.parse(piped.out)).toEqual(JSON.parse(onTerminal.out));
  });
});
