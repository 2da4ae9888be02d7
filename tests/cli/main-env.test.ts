import { execFile } from 'node:child_process';
import { accessSync, constants, copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/config/paths.js';

const run = promisify(execFile);
// The compiled CLI: `npm test` builds it first.
const MAIN = join(PACKAGE_ROOT, 'dist', 'cli', 'main.js');

describe('the compiled CLI and .env files', () => {
  it('is executable, so the `answerkey` bin runs it directly', () => {
    expect(() => accessSync(MAIN, constants.X_OK)).not.toThrow();
  });

  it('runs with .env.example copied to .env as it is (empty values count as unset)', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'answerkey-env-'));
    copyFileSync(join(PACKAGE_ROOT, '.env.example'), join(directory, '.env'));
    const { stdout } = await run(
      process.execPath,
      [
        MAIN,
        'grade',
        '-i',
        'q4',
        '-a',
        'Eager runs ops at once; graph mode compiles them.',
        '--json',
        '--index-dir',
        join(directory, 'index'),
      ],
      {
        cwd: directory,
        env: { PATH: process.env.PATH ?? '', ANSWERKEY_MODE: '' },
      },
    );
    expect(JSON.parse(stdout)).toMatchObject({ questionId: 'q4', mode: 'local' });
  });

  it('takes settings from .env, while the real environment wins', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'answerkey-env-'));
    writeFileSync(join(directory, '.env'), 'ANSWERKEY_BANK_DIR=/nonexistent/from-dotenv\n');
    const fromFile = await run(process.execPath, [MAIN, 'questions'], {
      cwd: directory,
      env: { PATH: process.env.PATH ?? '' },
    }).catch((error: { stderr: string }) => error);
    expect((fromFile as { stderr: string }).stderr).toContain('/nonexistent/from-dotenv');
    const { stdout } = await run(process.execPath, [MAIN, 'questions', '--json'], {
      cwd: directory,
      env: { PATH: process.env.PATH ?? '', ANSWERKEY_BANK_DIR: join(PACKAGE_ROOT, 'rubrics') },
    });
    expect(JSON.parse(stdout)).toHaveLength(21);
  });
});
