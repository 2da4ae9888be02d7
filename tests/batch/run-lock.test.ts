import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireRunLock } from '../../src/batch/run-lock.js';
import { isAlive } from '../../src/concurrency/lock-file.js';
import { AnswerkeyError } from '../../src/errors/answerkey-error.js';

const scratch = mkdtempSync(join(tmpdir(), 'answerkey-batch-lock-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let count = 0;
function folder(): string {
  count += 1;
  return mkdtempSync(join(scratch, `${count}-`));
}

/** The pid of a process that has exited: nothing answers to it any more. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const pid = Number(child.stdout);
  expect(isAlive(pid)).toBe(false);
  return pid;
}

describe('acquireRunLock', () => {
  it('creates batch.lock holding the pid, and removes it on release', () => {
    const directory = folder();
    const lock = acquireRunLock(directory, () => undefined);
    expect(readFileSync(join(directory, 'batch.lock'), 'utf8').trim()).toBe(String(process.pid));
    lock.release();
    expect(existsSync(join(directory, 'batch.lock'))).toBe(false);
  });

  it('refuses a folder locked by a live process, naming its pid and how to recover', () => {
    const directory = folder();
    // The parent of this test process is alive for as long as the test runs.
    writeFileSync(join(directory, 'batch.lock'), `${process.ppid}\n`);
    let error: unknown;
    try {
      acquireRunLock(directory, () => undefined);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AnswerkeyError);
    expect((error as AnswerkeyError).code).toBe('invalid_input');
    expect((error as AnswerkeyError).message).toBe(`another batch run (pid ${process.ppid}) is writing to ${directory}`);
    expect((error as AnswerkeyError).hint).toContain(join(directory, 'batch.lock'));
    expect(readFileSync(join(directory, 'batch.lock'), 'utf8').trim()).toBe(String(process.ppid));
  });

  it('takes over a stale lock whose process is gone, with a notice', () => {
    const directory = folder();
    const pid = deadPid();
    writeFileSync(join(directory, 'batch.lock'), `${pid}\n`);
    const notices: string[] = [];
    const lock = acquireRunLock(directory, (message) => notices.push(message));
    expect(notices).toEqual([`taking over the lock of an earlier run that stopped without releasing it (pid ${pid})`]);
    expect(readFileSync(join(directory, 'batch.lock'), 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });

  it('treats an empty lock as being written unless it is old', () => {
    const directory = folder();
    const path = join(directory, 'batch.lock');
    writeFileSync(path, '');
    expect(() => acquireRunLock(directory, () => undefined)).toThrow(/another batch run is writing/);
    const old = new Date(Date.now() - 60_000);
    utimesSync(path, old, old);
    const lock = acquireRunLock(directory, () => undefined);
    lock.release();
  });

  it('does not remove a lock that another run has taken since', () => {
    const directory = folder();
    const lock = acquireRunLock(directory, () => undefined);
    writeFileSync(join(directory, 'batch.lock'), `${process.ppid}\n`);
    lock.release();
    expect(existsSync(join(directory, 'batch.lock'))).toBe(true);
  });
});
