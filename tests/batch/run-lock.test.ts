import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireRunLock } from '../../src/batch/run/run-lock.js';
import { isAlive } from '../../src/concurrency/lock-file.js';
import { cliHint } from '../../src/cli/error-hints.js';
import { AnswerkeyError } from '../../src/errors/answerkey-error.js';
import { runScript } from '../helpers/processes.js';

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

/** What a lock this process took holds: its pid, machine and a token of the acquisition. */
const OWN_LOCK = new RegExp(`^${process.pid} ${hostname()} [0-9a-f]{16}\n$`);

describe('acquireRunLock', () => {
  it('creates batch.lock holding the pid, and removes it on release', () => {
    const directory = folder();
    const lock = acquireRunLock(directory, () => undefined);
    expect(readFileSync(join(directory, 'batch.lock'), 'utf8')).toMatch(OWN_LOCK);
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
    expect((error as AnswerkeyError).code).toBe('batch_busy');
    expect((error as AnswerkeyError).message).toBe(
      `another batch run (pid ${process.ppid}) is writing to ${directory}`,
    );
    expect((error as AnswerkeyError).hint).toContain(join(directory, 'batch.lock'));
    expect(cliHint(error as AnswerkeyError)).toBe(
      `wait for it to finish or use another --out folder; if no run is going, delete ${join(directory, 'batch.lock')}`,
    );
    expect(readFileSync(join(directory, 'batch.lock'), 'utf8').trim()).toBe(String(process.ppid));
  });

  it('takes over a stale lock whose process is gone, with a notice', () => {
    const directory = folder();
    const pid = deadPid();
    writeFileSync(join(directory, 'batch.lock'), `${pid}\n`);
    const notices: string[] = [];
    const lock = acquireRunLock(directory, (message) => notices.push(message));
    expect(notices).toEqual([`taking over the lock of an earlier run that stopped without releasing it (pid ${pid})`]);
    expect(readFileSync(join(directory, 'batch.lock'), 'utf8')).toMatch(OWN_LOCK);
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

  it("lets one run at a time hold the folder while several take a dead run's lock over at once", async () => {
    const directory = folder();
    const lockModule = new URL('../../src/batch/run/run-lock.ts', import.meta.url).href;
    // Each contender, again and again: leaves the lock a run killed with -9 would leave (when there is
    // none), then tries to take the folder; holding it, it holds a marker file, created exclusively,
    // for 2 ms. Finding the marker there means another run holds the folder at the same time.
    const script = `import { closeSync, openSync, unlinkSync, writeFileSync } from 'node:fs';
import { acquireRunLock } from ${JSON.stringify(lockModule)};
const directory = ${JSON.stringify(directory)};
const pause = new Int32Array(new SharedArrayBuffer(4));
let overlaps = 0;
for (let round = 0; round < 200; round += 1) {
  try {
    writeFileSync(directory + '/batch.lock', '${deadPid()}\\n', { flag: 'wx' });
  } catch {}
  let lock;
  try {
    lock = acquireRunLock(directory, () => undefined);
  } catch {
    continue;
  }
  try {
    closeSync(openSync(directory + '/marker', 'wx'));
  } catch {
    overlaps += 1;
    lock.release();
    continue;
  }
  Atomics.wait(pause, 0, 0, 2);
  unlinkSync(directory + '/marker');
  lock.release();
}
process.stdout.write(String(overlaps));`;
    const contenders = await Promise.all(Array.from({ length: 6 }, () => runScript(script)));
    expect(contenders).toEqual(Array.from({ length: 6 }, () => ({ code: 0, output: '0' })));
    expect(readdirSync(directory).filter((name) => name !== 'batch.lock')).toEqual([]);
  }, 60_000);
});
