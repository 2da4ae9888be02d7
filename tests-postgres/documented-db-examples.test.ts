import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, documentedExamples, needsDatabase } from '../tests/helpers/documented-examples.js';
import { useFreshDatabase } from './helpers/fresh-database.js';

/**
 * The examples of the help and the documents that need PostgreSQL (`answerkey db`, `batch --queue`,
 * `worker`, `runs`; tests/cli/documented-examples.test.ts runs the others), as written but for the
 * database they name, a fresh one of this file's, and the run id they show, a run queued here first.
 * A `worker` without --exit-when-idle runs until stopped: it is stopped with SIGTERM once it says it
 * started, and must stop cleanly. Runs dist/ (needs `npm run build`, which `npm run test:postgres`
 * does first), in a scratch folder holding the repository's examples/.
 */

const ROOT = resolve(import.meta.dirname, '..');
const fresh = useFreshDatabase();
const examples = documentedExamples().filter((example) => needsDatabase(example.command));
let work = '';
let runId = '';

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const environment = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^(ANSWERKEY_|OPENAI_)/.test(name)),
);

/** Runs a shell command; with `stopWhen`, sends SIGTERM once stderr matches it. */
function runShell(command: string, stopWhen?: RegExp): Promise<Outcome> {
  return new Promise((resolvePromise) => {
    // exec env: a signal reaches the program itself, not the shell, with the example's variables set.
    // The documents show commands to run with ANSWERKEY_DATABASE_URL set: it is, to this file's database.
    const child = spawn('/bin/sh', ['-c', stopWhen ? `exec env ${command}` : command], {
      cwd: work,
      env: { ...environment, ...(fresh.url ? { ANSWERKEY_DATABASE_URL: fresh.url } : {}) },
    });
    let stdout = '';
    let stderr = '';
    let stopped = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stopWhen && !stopped && stopWhen.test(stderr)) {
        stopped = true;
        child.kill('SIGTERM');
      }
    });
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
}

function onFresh(command: string): string {
  return command
    .replace(/\bANSWERKEY_DATABASE_URL=\S+/g, `ANSWERKEY_DATABASE_URL=${fresh.url}`)
    .replace(/--database-url \S+/g, `--database-url ${fresh.url}`)
    .replace(/\brun-\d{8}-[0-9a-f]{8}\b/g, runId)
    .replace(/\b(npx )?answerkey (db|batch|worker|runs)\b/, `"${process.execPath}" "${CLI}" $2`);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'answerkey-db-examples-'));
  cpSync(join(ROOT, 'examples'), join(work, 'examples'), { recursive: true });
  const migrate = await runShell(`"${process.execPath}" "${CLI}" db migrate --database-url ${fresh.url}`);
  expect(migrate.code, migrate.stderr).toBe(0);
  const queued = await runShell(
    `"${process.execPath}" "${CLI}" batch examples/answers.csv --queue --json --database-url ${fresh.url}`,
  );
  expect(queued.code, queued.stderr).toBe(0);
  runId = (JSON.parse(queued.stdout) as { runId: string }).runId;
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('every example that needs a database runs against a real one', () => {
  it('finds them in the db, worker, runs and batch helps and in docs/deploy.md', () => {
    const sources = new Set(
      examples.flatMap((example) => example.sources.map((source) => source.replace(/:\d+$/, ''))),
    );
    for (const source of [
      'answerkey db migrate --help',
      'answerkey db status --help',
      'answerkey worker --help',
      'answerkey runs status --help',
      'answerkey runs report --help',
      'answerkey batch --help',
      'docs/deploy.md',
    ])
      expect(sources).toContain(source);
  });

  it.each(examples.map((example) => [example.command, example] as const))('%s', async (command, example) => {
    const runsForever = /\banswerkey worker\b/.test(command) && !/--exit-when-idle/.test(command);
    const outcome = await runShell(onFresh(command), runsForever ? /worker \S+ started on/ : undefined);
    const said = `${command}\n  shown in ${example.sources.join(', ')}\n--- stdout\n${outcome.stdout}\n--- stderr\n${outcome.stderr}`;
    expect(outcome.code, said).toBe(0);
    if (/\banswerkey db\b/.test(command)) expect(outcome.stdout, said).toContain(`127.0.0.1:5432/${fresh.name}`);
    if (runsForever) expect(outcome.stderr, said).toMatch(/SIGTERM: stopping[\s\S]*stopped after/);
  });
});
