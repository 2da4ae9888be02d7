import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../src/database/migrations.js';
import { cleanEnvironment, queryOnce, runCliToEnd, startCli, writeAnswersFile } from './helpers/cli-process.js';
import { useFreshDatabase } from './helpers/fresh-database.js';

/**
 * A queued run graded by real worker processes (`node dist/cli/main.js worker`), one of them killed
 * with SIGKILL mid-run and started again: every answer is graded exactly once, and the run's report
 * is the one a local `answerkey batch` of the same input writes. Needs `npm run build`.
 */

const ROOT = resolve(import.meta.dirname, '..');
const fresh = useFreshDatabase();
let scratch = '';
let input = '';
let total = 0;
let common: string[] = [];

beforeAll(async () => {
  await migrateDatabase(fresh.url);
  scratch = mkdtempSync(join(tmpdir(), 'answerkey-queue-'));
  // An index of its own, so no process rebuilds the shipped one under another.
  cpSync(join(ROOT, 'embeddings', 'index-local-glove-100d'), join(scratch, 'index', 'index-local-glove-100d'), {
    recursive: true,
  });
  input = join(scratch, 'answers.jsonl');
  total = writeAnswersFile(input, 15);
  common = ['--index-dir', join(scratch, 'index'), '--database-url', fresh.url];
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

async function gradedCount(runId: string): Promise<number> {
  const [row] = await queryOnce<{ graded: number }>(
    fresh.url,
    'SELECT count(*)::int AS graded FROM run_grades WHERE run_id = $1',
    [runId],
  );
  return row.graded;
}

/** results.jsonl as answer → grade, without when it was graded. */
function gradesOf(out: string): Map<string, unknown> {
  const rows = readFileSync(join(out, 'results.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return new Map(
    rows.map(({ gradedAt: _gradedAt, ...row }) => [`${row.candidateId}\t${row.questionKey}\t${row.answerSha256}`, row]),
  );
}

describe('a queued run on two worker processes, one killed with SIGKILL and restarted', () => {
  it('grades every answer exactly once, and reports as a one-process local batch does', async () => {
    const queued = await runCliToEnd(['batch', input, '--queue', '--json', '--job-timeout', '3', ...common]);
    const { runId } = JSON.parse(queued) as { runId: string };
    const workerArgs = ['worker', '--exit-when-idle', '--concurrency', '4', ...common];
    const first = startCli(workerArgs);
    const second = startCli(workerArgs);
    // Killed mid-run: after a third of the answers, with jobs in its hands.
    while ((await gradedCount(runId)) < total / 3) await sleep(50);
    first.child.kill('SIGKILL');
    const killed = await first.exited;
    expect(killed.signal).toBe('SIGKILL');
    const gradedAtKill = await gradedCount(runId);
    expect(gradedAtKill).toBeLessThan(total);
    const restarted = startCli(workerArgs);
    const [secondExit, restartedExit] = await Promise.all([second.exited, restarted.exited]);
    expect(secondExit.code, second.output().stderr).toBe(0);
    expect(restartedExit.code, restarted.output().stderr).toBe(0);

    // 0 lost, 0 duplicated: one grade row per answer of the run.
    const perAnswer = await queryOnce<{ grades: number }>(
      fresh.url,
      `SELECT (SELECT count(*) FROM run_grades g
                WHERE g.run_id = a.run_id AND g.candidate = a.candidate
                  AND g.question_key = a.question_key AND g.answer_hash = a.answer_hash)::int AS grades
         FROM run_answers a WHERE a.run_id = $1`,
      [runId],
    );
    expect(perAnswer).toHaveLength(total);
    expect(perAnswer.filter((row) => row.grades === 0)).toHaveLength(0);
    expect(perAnswer.filter((row) => row.grades > 1)).toHaveLength(0);
    // The killed worker's jobs went to the others when their time limit passed.
    const workers = await queryOnce<{ workers: number }>(
      fresh.url,
      `SELECT count(DISTINCT provenance ->> 'worker')::int AS workers FROM run_grades WHERE run_id = $1`,
      [runId],
    );
    expect(workers[0].workers).toBe(3);

    const status = JSON.parse(
      await runCliToEnd(['runs', 'status', runId, '--json', '--database-url', fresh.url]),
    ) as Record<string, unknown>;
    expect(status).toMatchObject({ state: 'done', total, graded: total, failed: 0, workersSeen: 3 });

    const queuedOut = join(scratch, 'queued');
    const localOut = join(scratch, 'local');
    await runCliToEnd(['runs', 'report', runId, '--out', queuedOut, ...common]);
    await runCliToEnd(['batch', input, '--out', localOut, '--index-dir', join(scratch, 'index')], cleanEnvironment());
    const queuedGrades = gradesOf(queuedOut);
    const localGrades = gradesOf(localOut);
    expect(queuedGrades.size).toBe(total);
    expect([...queuedGrades.keys()].sort()).toEqual([...localGrades.keys()].sort());
    for (const [key, grade] of localGrades) expect(queuedGrades.get(key), key).toEqual(grade);
    for (const file of ['candidates.csv', 'questions.csv', 'similar.csv'])
      expect(readFileSync(join(queuedOut, file), 'utf8'), file).toBe(readFileSync(join(localOut, file), 'utf8'));
  }, 180_000);
});
