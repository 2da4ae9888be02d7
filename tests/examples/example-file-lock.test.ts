import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnswerkeyError } from '../../src/errors/answerkey-error.js';
import { withExampleFileLock } from '../../src/examples/example-file-lock.js';

function examplesFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'answerkey-example-lock-')), 'q4.jsonl');
}

function thrownBy(action: () => unknown): AnswerkeyError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(AnswerkeyError);
    return error as AnswerkeyError;
  }
  throw new Error('expected an AnswerkeyError');
}

describe('the lock of an examples file', () => {
  it('holds <file>.lock with its pid and machine during the change, and removes it after, even when the change throws', () => {
    const path = examplesFile();
    const seen = withExampleFileLock(path, () => readFileSync(`${path}.lock`, 'utf8'));
    expect(seen).toBe(`${process.pid} ${hostname()}\n`);
    expect(existsSync(`${path}.lock`)).toBe(false);
    expect(() =>
      withExampleFileLock(path, () => {
        throw new Error('the change failed');
      }),
    ).toThrow('the change failed');
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('waits for a live owner and gives up with examples_busy, leaving its lock and making no change', () => {
    const path = examplesFile();
    // The parent of this test process is alive for as long as the test runs.
    writeFileSync(`${path}.lock`, `${process.ppid} ${hostname()}\n`);
    let changed = false;
    const started = Date.now();
    const error = thrownBy(() => withExampleFileLock(path, () => (changed = true), { waitAtMostMs: 150 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(error.code).toBe('examples_busy');
    expect(error.message).toBe('another process is changing q4.jsonl of the graded examples');
    expect(error.hint).toContain(`delete ${path}.lock`);
    expect(error.apiHint).toBe('try again in a moment');
    expect(changed).toBe(false);
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(`${process.ppid} ${hostname()}\n`);
  });

  it('trusts a pid only on its own machine: another machine\'s lock is taken over only once it is old', () => {
    const path = examplesFile();
    writeFileSync(`${path}.lock`, '999999999 another-machine\n');
    expect(thrownBy(() => withExampleFileLock(path, () => 'changed', { waitAtMostMs: 50 })).code).toBe('examples_busy');
    const minuteAgo = Date.now() / 1000 - 60;
    utimesSync(`${path}.lock`, minuteAgo, minuteAgo);
    expect(withExampleFileLock(path, () => 'changed', { waitAtMostMs: 50 })).toBe('changed');
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('makes its change once another process has finished its own', async () => {
    const path = examplesFile();
    const holder = spawn(
      process.execPath,
      ['-e', `const fs = require('node:fs'); fs.writeFileSync(process.argv[1], process.pid + ' ' + require('node:os').hostname() + '\\n'); console.log('locked'); setTimeout(() => fs.unlinkSync(process.argv[1]), 300);`, `${path}.lock`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    const started = Date.now();
    expect(withExampleFileLock(path, () => existsSync(`${path}.lock`))).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    await new Promise((resolve) => holder.once('exit', resolve));
  });
});
