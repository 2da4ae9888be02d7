import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../src/database/migrations.js';
import { cleanEnvironment, queryOnce, startCli, type CliProcess } from './helpers/cli-process.js';
import { createFreshDatabase, useFreshDatabase } from './helpers/fresh-database.js';

/**
 * Two `answerkey serve` processes, each with an index folder of its own, on one database, as two
 * API replicas behind a load balancer: an example stored through one is used by the other's next
 * grade, a review through one is in the shared review log, and a rate limit of K a minute holds
 * across both. Needs `npm run build`.
 */

const ROOT = resolve(import.meta.dirname, '..');
// More than the grading tests' requests under one key (8), which count against it too.
const K = 12;
const GRADER_TOKEN = 'grader-token-0123456789abcdef';
const LIMITED_TOKEN = 'limited-token-0123456789abcdef';
const fresh = useFreshDatabase();
let scratch = '';

interface Replica {
  process: CliProcess;
  url: string;
}
const replicas: Replica[] = [];

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** Starts `answerkey serve` on a free port, waits until /readyz says it is ready. */
async function startReplica(name: string, databaseUrl: string): Promise<Replica> {
  const indexDirectory = join(scratch, name, 'index');
  cpSync(join(ROOT, 'embeddings', 'index-local-glove-100d'), join(indexDirectory, 'index-local-glove-100d'), {
    recursive: true,
  });
  const process = startCli(
    ['serve', '--port', '0'],
    cleanEnvironment({
      ANSWERKEY_DATABASE_URL: databaseUrl,
      ANSWERKEY_INDEX_DIR: indexDirectory,
      // Each replica's own folder, which a shared store must never be read from.
      ANSWERKEY_EXAMPLES_DIR: join(scratch, name, 'examples'),
      ANSWERKEY_RATE_LIMIT_PER_MINUTE: String(K),
      ANSWERKEY_API_KEYS: `grader=${GRADER_TOKEN}:examples,limited=${LIMITED_TOKEN}`,
      ANSWERKEY_LOG_LEVEL: 'warn',
    }),
  );
  const deadline = Date.now() + 60_000;
  let url: string | undefined;
  while (Date.now() < deadline) {
    url ??= /listening on (http:\/\/\S+)/.exec(process.output().stderr)?.[1];
    if (url && (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200) return { process, url };
    if (process.child.exitCode !== null) break;
    await sleep(200);
  }
  throw new Error(`replica ${name} did not get ready:\n${process.output().stderr}`);
}

function call(replica: Replica, path: string, token: string, body?: unknown): Promise<Response> {
  return fetch(`${replica.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

beforeAll(async () => {
  await migrateDatabase(fresh.url);
  scratch = mkdtempSync(join(tmpdir(), 'answerkey-replicas-'));
  replicas.push(...(await Promise.all([startReplica('a', fresh.url), startReplica('b', fresh.url)])));
}, 120_000);

afterAll(async () => {
  for (const { process } of replicas) process.child.kill('SIGTERM');
  await Promise.all(replicas.map(({ process }) => process.exited));
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('two API replicas on one database', () => {
  it('both say on /readyz that the database is reachable and migrated', async () => {
    for (const replica of replicas) {
      const response = await fetch(`${replica.url}/readyz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        status: 'ready',
        database: { target: `127.0.0.1:5432/${fresh.name}`, reachable: true, migrated: true },
      });
    }
  });

  it("an example stored through replica A is used by replica B's next grade of that question", async () => {
    const [a, b] = replicas;
    const request = {
      questionId: 'q4',
      answer: 'Eager mode runs each operation at once so I can debug with print statements; graphs are faster.',
    };
    const before = await call(b, '/v1/grade', GRADER_TOKEN, request);
    expect(before.status).toBe(200);
    const gradeBefore = (await before.json()) as { score: number; examples?: unknown[] };
    expect(gradeBefore.examples).toBeUndefined();

    const stored = await call(a, '/v1/examples', GRADER_TOKEN, { ...request, score: 0, note: 'not enough' });
    expect(stored.status).toBe(201);
    const example = (await stored.json()) as { id: string };

    const after = await call(b, '/v1/grade', GRADER_TOKEN, request);
    expect(after.status).toBe(200);
    const gradeAfter = (await after.json()) as { score: number; examples?: Array<{ id: string }> };
    expect(gradeAfter.examples?.map((used) => used.id)).toEqual([example.id]);
    // An interviewer's 0 for this very answer pulls the grade down.
    expect(gradeAfter.score).toBeLessThan(gradeBefore.score);
    // B lists it too, and it is in the database, not in either replica's folder.
    const listed = (await (await call(b, '/v1/examples?questionId=q4', GRADER_TOKEN)).json()) as { total: number };
    expect(listed.total).toBe(1);
    const rows = await queryOnce<{ id: string }>(fresh.url, 'SELECT id FROM graded_examples');
    expect(rows).toEqual([{ id: example.id }]);
  });

  it('a review through replica B is kept in the shared review log and used by replica A', async () => {
    const [a, b] = replicas;
    const request = {
      questionId: 'q5',
      answer: 'I would compare training and validation loss, then add dropout and early stopping in Keras.',
    };
    const graded = (await (await call(a, '/v1/grade', GRADER_TOKEN, request)).json()) as { id: string };
    const reviewed = await call(b, `/v1/grades/${graded.id}/review`, GRADER_TOKEN, { ...request, score: 1 });
    expect(reviewed.status).toBe(201);
    const { review, example } = (await reviewed.json()) as { review: { id: string }; example: { id: string } };
    const logged = await queryOnce<{ id: string; reviewer: string }>(
      fresh.url,
      `SELECT record ->> 'id' AS id, reviewer FROM review_log`,
    );
    expect(logged).toEqual([{ id: review.id, reviewer: 'grader' }]);
    const regraded = (await (await call(a, '/v1/grade', GRADER_TOKEN, request)).json()) as {
      examples?: Array<{ id: string }>;
    };
    expect(regraded.examples?.map((used) => used.id)).toContain(example.id);
  });

  it(`holds a limit of ${K} requests a minute across both: the next on either is refused with 429`, async () => {
    const [a, b] = replicas;
    // The windows are the database clock's minutes: start early in one, so that all of it falls in it.
    const [{ seconds }] = await queryOnce<{ seconds: number }>(
      fresh.url,
      `SELECT extract(second FROM clock_timestamp())::float8 AS seconds`,
    );
    if (seconds > 45) await sleep((61 - seconds) * 1000);
    const statuses: number[] = [];
    for (let index = 0; index < K; index += 1)
      statuses.push((await call(index % 2 === 0 ? a : b, '/v1/questions', LIMITED_TOKEN)).status);
    expect(statuses).toEqual(Array.from({ length: K }, () => 200));
    const refusedByA = await call(a, '/v1/questions', LIMITED_TOKEN);
    const refusedByB = await call(b, '/v1/questions', LIMITED_TOKEN);
    expect([refusedByA.status, refusedByB.status]).toEqual([429, 429]);
    expect(await refusedByB.json()).toMatchObject({ status: 429, detail: `more than ${K} requests a minute` });
    expect(refusedByB.headers.get('ratelimit')).toMatch(/\br=0\b/);
    // Another key has a count of its own.
    expect((await call(b, '/v1/questions', GRADER_TOKEN)).status).toBe(200);
  }, 60_000);
});

describe('a replica on a database that is not migrated', () => {
  it('does not start, and says what to do', async () => {
    const empty = await createFreshDatabase();
    try {
      const run = startCli(['serve', '--port', '0'], cleanEnvironment({ ANSWERKEY_DATABASE_URL: empty.url }));
      const { code } = await run.exited;
      expect(code).toBe(1);
      expect(run.output().stderr).toMatch(
        new RegExp(
          `^answerkey: the database 127\\.0\\.0\\.1:5432/${empty.name} is not set up for this version of answerkey: it lacks migration \\d+_initial-schema`,
        ),
      );
    } finally {
      await empty.drop();
    }
  });
});
