import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../src/database/migrations.js';
import { reply, startFakeOpenAi, type FakeOpenAi } from '../tests/helpers/fake-openai-server.js';
import { cleanEnvironment, queryOnce, runCliToEnd, startCli, writeAnswersFile } from './helpers/cli-process.js';
import { useFreshDatabase } from './helpers/fresh-database.js';

/**
 * LLM mode on two worker processes against a fake OpenAI-compatible server that answers in 300 ms:
 * with a shared limit of 20 requests a minute, the server never gets more than 20 in a calendar
 * minute (the windows the limit counts in), although the workers could send 16 at once. The run is
 * not waited for (the rest would take minutes): once a minute's 20 are used, the test watches a few
 * seconds of silence, then stops the workers with SIGTERM (which ends their waits for the next
 * minute at once) and checks they hand their jobs back and exit cleanly. Needs `npm run build`.
 */

const ROOT = resolve(import.meta.dirname, '..');
const LIMIT = 20;
const fresh = useFreshDatabase();
let scratch = '';
let fake: FakeOpenAi;

beforeAll(async () => {
  await migrateDatabase(fresh.url);
  scratch = mkdtempSync(join(tmpdir(), 'answerkey-queue-llm-'));
  cpSync(join(ROOT, 'embeddings', 'index-local-glove-100d'), join(scratch, 'index', 'index-local-glove-100d'), {
    recursive: true,
  });
  fake = await startFakeOpenAi({ defaultBehaviour: reply.slow(300) });
});

afterAll(async () => {
  await fake?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** The fake's chat requests per calendar minute. */
function perMinute(): Map<number, number> {
  const counts = new Map<number, number>();
  for (const request of fake.chatRequests()) {
    const minute = Math.floor(request.at / 60_000);
    counts.set(minute, (counts.get(minute) ?? 0) + 1);
  }
  return counts;
}

describe('LLM mode on two workers with a shared limit of requests per minute', () => {
  it(`never sends more than ${LIMIT} requests in a minute, all workers together`, async () => {
    const input = join(scratch, 'answers.jsonl');
    const total = writeAnswersFile(input, 2);
    const common = ['--index-dir', join(scratch, 'index'), '--database-url', fresh.url];
    const { runId } = JSON.parse(
      await runCliToEnd(['batch', input, '--queue', '--json', '--mode', 'llm', ...common]),
    ) as { runId: string };
    const environment = cleanEnvironment({
      OPENAI_BASE_URL: fake.url,
      ANSWERKEY_LLM_CACHE: 'off',
      ANSWERKEY_CACHE_DIR: join(scratch, 'cache'),
    });
    const workerArgs = ['worker', '--concurrency', '8', '--requests-per-minute', String(LIMIT), ...common];
    const workers = [startCli(workerArgs, environment), startCli(workerArgs, environment)];

    // Until a minute's requests are used up, then a few seconds more in which none may arrive.
    const deadline = Date.now() + 90_000;
    while (![...perMinute().values()].some((count) => count >= LIMIT) && Date.now() < deadline) await sleep(100);
    expect([...perMinute().values()].some((count) => count >= LIMIT)).toBe(true);
    await sleep(3000);

    // One SIGTERM: the answers waiting for the next minute go back to the queue at once.
    for (const worker of workers) worker.child.kill('SIGTERM');
    const exits = await Promise.all(workers.map((worker) => worker.exited));
    for (const [index, exit] of exits.entries()) expect(exit.code, workers[index].output().stderr).toBe(0);

    const counts = perMinute();
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(LIMIT);
    const sent = fake.chatRequests().length;
    expect(sent).toBeLessThan(total);
    // Every request the server answered made a grade, and no more (one request per answer).
    const [{ graded }] = await queryOnce<{ graded: number }>(
      fresh.url,
      'SELECT count(*)::int AS graded FROM run_grades WHERE run_id = $1',
      [runId],
    );
    expect(graded).toBe(sent);
    // The counters agree: no window of the limit's key went past it.
    const windows = await queryOnce<{ count: number }>(fresh.url, 'SELECT count FROM rate_limit_counters');
    expect(Math.max(...windows.map((window) => window.count))).toBeLessThanOrEqual(LIMIT);
    // Both workers sent requests, and both handed back what they held when stopped.
    for (const worker of workers) expect(worker.output().stderr).toMatch(/stopped after/);
    const [{ pending }] = await queryOnce<{ pending: number }>(
      fresh.url,
      `SELECT count(*)::int AS pending FROM pgboss.job WHERE name = 'answerkey-grade-llm' AND state IN ('created', 'retry')`,
    );
    expect(pending).toBeGreaterThan(0);
  }, 150_000);
});
