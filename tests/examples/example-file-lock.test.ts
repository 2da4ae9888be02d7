import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnswerkeyError } from '../../src/errors/answerkey-error.js';
import { withExampleFileLock } from '../../src/examples/example-file-lock.js';
import { cliHint } from '../../src/cli/error-hints.js';
import { apiHintFor } from '../../src/server/middleware/error-handler.js';
import { deadPid, runScript } from '../helpers/processes.js';

function examplesFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'answerkey-example-lock-')), 'q4.jsonl');
}

async function thrownBy(action: () => Promise<unknown>): Promise<AnswerkeyError> {
  try {
    await action();
  } catch (error) {
    expect(error).toBeInstanceOf(AnswerkeyError);
    return error as AnswerkeyError;
  }
  throw new Error('expected an AnswerkeyError');
}

describe('the lock of an examples file', () => {
  it('holds <file>.lock with its pid, machine and a token of its own during the change, and removes it after, even when the change throws', async () => {
    const path = examplesFile();
    const ownerLine = new RegExp(`^${process.pid} ${hostname()} [0-9a-f]{16}\n$`);
    const seen = await withExampleFileLock(path, () => readFileSync(`${path}.lock`, 'utf8'));
    expect(seen).toMatch(ownerLine);
    const seenAgain = await withExampleFileLock(path, () => readFileSync(`${path}.lock`, 'utf8'));
    expect(seenAgain).toMatch(ownerLine);
    expect(seenAgain).not.toBe(seen);
    expect(existsSync(`${path}.lock`)).toBe(false);
    await expect(
      withExampleFileLock(path, () => {
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('waits for a live owner and gives up with examples_busy, leaving its lock and making no change', async () => {
    const path = examplesFile();
    // The parent of this test process is alive for as long as the test runs.
    writeFileSync(`${path}.lock`, `${process.ppid} ${hostname()}\n`);
    let changed = false;
    const started = Date.now();
    const error = await thrownBy(() => withExampleFileLock(path, () => (changed = true), { waitAtMostMs: 150 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(error.code).toBe('examples_busy');
    expect(error.message).toBe('another process is changing q4.jsonl of the graded examples');
    // The lock's path is for the command line's hint; API clients are told to wait.
    expect(error.details?.lockPath).toBe(`${path}.lock`);
    expect(cliHint(error)).toContain(`delete ${path}.lock`);
    expect(apiHintFor(error)).toBe('try again in a moment');
    expect(changed).toBe(false);
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(`${process.ppid} ${hostname()}\n`);
  });

  it('trusts a pid only on its own machine: another machine\'s lock is taken over only once it is old', async () => {
    const path = examplesFile();
    writeFileSync(`${path}.lock`, '999999999 another-machine\n');
    expect((await thrownBy(() => withExampleFileLock(path, () => 'changed', { waitAtMostMs: 50 }))).code).toBe('examples_busy');
    const minuteAgo = Date.now() / 1000 - 60;
    utimesSync(`${path}.lock`, minuteAgo, minuteAgo);
    expect(await withExampleFileLock(path, () => 'changed', { waitAtMostMs: 50 })).toBe('changed');
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('takes over a lock whose owner died, even when a process died taking it over, and leaves no file behind', async () => {
    const path = examplesFile();
    writeFileSync(`${path}.lock`, `${deadPid()} ${hostname()} 0123456789abcdef\n`);
    writeFileSync(`${path}.lock.takeover`, `${deadPid()} ${hostname()} fedcba9876543210\n`);
    expect(await withExampleFileLock(path, () => 'changed', { waitAtMostMs: 1_000 })).toBe('changed');
    expect(readdirSync(dirname(path))).toEqual([]);
  });

  it('waits while another live process is taking a stale lock over', async () => {
    const path = examplesFile();
    writeFileSync(`${path}.lock`, `${deadPid()} ${hostname()} 0123456789abcdef\n`);
    writeFileSync(`${path}.lock.takeover`, `${process.ppid} ${hostname()} fedcba9876543210\n`);
    expect((await thrownBy(() => withExampleFileLock(path, () => 'changed', { waitAtMostMs: 100 }))).code).toBe('examples_busy');
    rmSync(`${path}.lock.takeover`);
    expect(await withExampleFileLock(path, () => 'changed', { waitAtMostMs: 100 })).toBe('changed');
  });

  it('makes its change once another process has finished its own', async () => {
    const path = examplesFile();
    const holder = spawn(
      process.execPath,
      ['-e', `const fs = require('node:fs'); fs.writeFileSync(process.argv[1], process.pid + ' ' + require('node:os').hostname() + '\\n'); console.log('locked'); setTimeout(() => fs.unlinkSync(process.argv[1]), 300);`, `${path}.lock`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    // Listened for from the start: the holder may exit while the lock is still being waited for.
    const exited = new Promise((resolve) => holder.once('exit', resolve));
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    const started = Date.now();
    expect(await withExampleFileLock(path, () => existsSync(`${path}.lock`))).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    await exited;
  });

  it('waits without blocking the thread: timers run meanwhile, and the change is made once the owner is done', async () => {
    const path = examplesFile();
    writeFileSync(`${path}.lock`, `${process.ppid} ${hostname()} 0123456789abcdef\n`);
    const started = Date.now();
    const waiting = withExampleFileLock(path, () => 'changed', { waitAtMostMs: 3_000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(Date.now() - started).toBeLessThan(1_000);
    rmSync(`${path}.lock`);
    expect(await waiting).toBe('changed');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('lets one process at a time make its change while several take a dead process\'s locks over at once', async () => {
    const path = examplesFile();
    const lockModule = new URL('../../src/examples/example-file-lock.ts', import.meta.url).href;
    // Each contender, again and again: leaves the lock a process that died mid-change would leave (when
    // there is none), then makes a change that holds a marker file, created exclusively, for 2 ms.
    // Finding the marker there means another process is making its change at the same time.
    const script = `import { closeSync, openSync, unlinkSync, writeFileSync } from 'node:fs';
import { withExampleFileLock } from ${JSON.stringify(lockModule)};
const path = ${JSON.stringify(path)};
const pause = new Int32Array(new SharedArrayBuffer(4));
let overlaps = 0;
function change() {
  let marker;
  try {
    marker = openSync(path + '.marker', 'wx');
  } catch {
    overlaps += 1;
    return;
  }
  closeSync(marker);
  Atomics.wait(pause, 0, 0, 2);
  unlinkSync(path + '.marker');
}
for (let round = 0; round < 200; round += 1) {
  try {
    writeFileSync(path + '.lock', ${JSON.stringify(`${deadPid()} ${hostname()}
`)}, { flag: 'wx' });
  } catch {}
  await withExampleFileLock(path, change, { waitAtMostMs: 60_000 });
}
process.stdout.write(String(overlaps));`;
    const contenders = await Promise.all(Array.from({ length: 6 }, () => runScript(script)));
    expect(contenders).toEqual(Array.from({ length: 6 }, () => ({ code: 0, output: '0' })));
    expect(readdirSync(dirname(path))).toEqual([]);
  }, 60_000);
});
