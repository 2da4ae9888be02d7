import { rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeSchema } from '../../src/grading/grade-schema.js';
import { exampleListSchema, exampleSchema, problemSchema } from '../../src/server/api-schemas.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const GRAPH = 'Graph mode traces the function with tf.function and exports a SavedModel for serving.';

async function expectProblem(response: Response, status: number, detail: RegExp) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = problemSchema.parse(await response.json());
  expect(problem.detail).toMatch(detail);
  return problem;
}

describe('the graded examples API, open', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('stores an example (201 with its id), lists it, grades with it, and deletes it (204)', async () => {
    const created = await server.post('/v1/examples', {
      questionId: 'q4',
      answer: GRAPH,
      score: 3,
      note: 'no debugging story',
    });
    expect(created.status).toBe(201);
    const example = exampleSchema.parse(await created.json());
    expect(example).toMatchObject({
      questionId: 'q4',
      answer: GRAPH,
      score: 3,
      maxScore: 5,
      note: 'no debugging story',
    });
    expect(example.id).toMatch(/^ex-[0-9a-f]{8}$/);
    expect(created.headers.get('location')).toBe(`/v1/examples/${example.id}`);

    const listed = exampleListSchema.parse(await (await server.get('/v1/examples?questionId=q4')).json());
    expect(listed).toEqual({ examples: [example], total: 1, limit: 50, offset: 0, badLines: [] });
    expect(exampleSchema.parse(await (await server.get(`/v1/examples/${example.id}`)).json())).toEqual(example);
    expect(exampleListSchema.parse(await (await server.get('/v1/examples?questionId=q5')).json()).examples).toEqual([]);
    expect(
      exampleListSchema.parse(await (await server.get('/v1/examples')).json()).examples.map((entry) => entry.id),
    ).toContain(example.id);

    const graded = gradeSchema.parse(
      await (await server.post('/v1/grade', { questionId: 'q4', answer: GRAPH })).json(),
    );
    expect(graded.examples?.map((entry) => entry.id)).toEqual([example.id]);

    const deleted = await server.delete(`/v1/examples/${example.id}`);
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    const gone = await expectProblem(
      await server.delete(`/v1/examples/${example.id}`),
      404,
      new RegExp(`no graded example "${example.id}"`),
    );
    expect(gone.detail).toBe(`no graded example "${example.id}" (GET /v1/examples lists the ids)`);
    await expectProblem(
      await server.get(`/v1/examples/${example.id}`),
      404,
      /^no graded example "ex-[0-9a-f]{8}" \(GET \/v1\/examples lists the ids\)$/,
    );
    const regraded = gradeSchema.parse(
      await (await server.post('/v1/grade', { questionId: 'q4', answer: GRAPH })).json(),
    );
    expect(regraded.examples).toBeUndefined();
  });

  it.each([
    [
      "a score above the question's maximum",
      { questionId: 'q4', answer: GRAPH, score: 6 },
      /score: 6 is above the maximum 5/,
    ],
    ['an unknown question', { questionId: 'q99', answer: GRAPH, score: 1 }, /no question "q99"/],
    ['an empty answer', { questionId: 'q4', answer: '  ', score: 1 }, /^answer: is empty$/],
    ['a negative score', { questionId: 'q4', answer: GRAPH, score: -1 }, /^score: must be 0 or more$/],
    ['a missing score', { questionId: 'q4', answer: GRAPH }, /score: /],
    ['an unknown field', { questionId: 'q4', answer: GRAPH, score: 1, id: 'ex-mine' }, /Unrecognized key/],
    [
      "an answer over the limit, worded like a grade request's",
      { questionId: 'q4', answer: 'a'.repeat(20_001), score: 1 },
      /^answer: must be at most 20,000 characters$/,
    ],
    [
      'a note over the limit',
      { questionId: 'q4', answer: GRAPH, score: 1, note: 'n'.repeat(2_001) },
      /^note: must be at most 2,000 characters$/,
    ],
    [
      'a question id over the limit',
      { questionId: 'q'.repeat(65), answer: GRAPH, score: 1 },
      /^questionId: must be at most 64 characters(;|$)/,
    ],
    ['a missing answer', { questionId: 'q4', score: 1 }, /^answer: is missing$/],
  ])('answers 400 for %s and stores nothing', async (_name, body, detail) => {
    const count = async () => exampleListSchema.parse(await (await server.get('/v1/examples')).json()).total;
    const before = await count();
    const problem = await expectProblem(await server.post('/v1/examples', body), 400, detail);
    // Every 400 lists its problems by field, as the README promises.
    expect(problem.errors?.length).toBeGreaterThan(0);
    expect(await count()).toBe(before);
  });

  it('names the field in errors for a question not in the bank and a score above the maximum, with API hints only', async () => {
    const unknown = await expectProblem(
      await server.post('/v1/examples', { questionId: 'q99', answer: GRAPH, score: 1 }),
      400,
      /^questionId: no question "q99"/,
    );
    expect(unknown.errors).toEqual([
      { path: 'questionId', message: 'no question "q99" in the bank (GET /v1/questions lists the ids)' },
    ]);
    expect(unknown.detail).not.toContain('answerkey');
    const tooHigh = await expectProblem(
      await server.post('/v1/examples', { questionId: 'q4', answer: GRAPH, score: 2, maxScore: 1 }),
      400,
      /^score: 2 is above the maximum 1$/,
    );
    expect(tooHigh.errors).toEqual([{ path: 'score', message: '2 is above the maximum 1' }]);
  });

  it('answers 404 for the examples of an unknown question, 400 for an unknown query field or a page too large', async () => {
    await expectProblem(
      await server.get('/v1/examples?questionId=q99'),
      404,
      /^no question "q99" in the bank \(GET \/v1\/questions lists the ids\)$/,
    );
    await expectProblem(await server.get('/v1/examples?question=q4'), 400, /Unrecognized key/);
    await expectProblem(await server.get('/v1/examples?limit=201'), 400, /^limit: /);
    await expectProblem(await server.get('/v1/examples?limit=0'), 400, /^limit: /);
    await expectProblem(await server.get('/v1/examples?offset=-1'), 400, /^offset: /);
  });

  it('pages the list: 50 by default, at most 200, from any offset', async () => {
    const { added } = await server.grader.addExamples(
      Array.from({ length: 205 }, (_, index) => ({
        questionId: 'q7',
        answer: `Generators yield lazily, answer ${index}.`,
        score: 1,
      })),
    );
    try {
      const page = async (query: string) =>
        exampleListSchema.parse(await (await server.get(`/v1/examples?questionId=q7${query}`)).json());
      const first = await page('');
      expect(first.examples.map((example) => example.id)).toEqual(added.slice(0, 50).map((example) => example.id));
      expect(first).toMatchObject({ total: 205, limit: 50, offset: 0 });
      expect((await page('&limit=200')).examples).toHaveLength(200);
      const last = await page('&limit=200&offset=200');
      expect(last.examples.map((example) => example.id)).toEqual(added.slice(200).map((example) => example.id));
      expect(last).toMatchObject({ total: 205, limit: 200, offset: 200 });
      expect((await page('&offset=205')).examples).toEqual([]);
    } finally {
      for (const example of added) await server.grader.examples.remove(example.id);
    }
  });

  it('lists bad lines of the files by file and line, next to the examples that are fine, and grades on', async () => {
    const path = join(server.grader.config.examplesDirectory, 'q9.jsonl');
    const good = { id: 'ex-good0001', questionId: 'q9', answer: 'A good stored answer.', score: 2, maxScore: 5 };
    writeFileSync(
      path,
      `${JSON.stringify(good)}\n{not json\n${JSON.stringify({ ...good, id: 'ex-over0001', score: 9 })}\n`,
    );
    try {
      const listed = exampleListSchema.parse(await (await server.get('/v1/examples?questionId=q9')).json());
      expect(listed.examples).toEqual([good]);
      expect(listed.badLines).toEqual([
        { file: 'q9.jsonl', line: 2, problem: 'not valid JSON' },
        { file: 'q9.jsonl', line: 3, problem: 'score: is above maxScore' },
      ]);
      expect(JSON.stringify(listed)).not.toContain(server.grader.config.examplesDirectory);
      expect((await server.post('/v1/grade', { questionId: 'q9', answer: 'A good stored answer.' })).status).toBe(200);
      await server.get('/v1/examples?questionId=q9');
      const noticed = server.notices.filter((notice) => notice.startsWith('skipping 2 bad lines of graded examples'));
      expect(noticed).toEqual([
        expect.stringContaining(`${path}:2: not valid JSON; ${path}:3: score: is above maxScore`),
      ]);
    } finally {
      rmSync(path);
    }
  });

  it("keeps examples' answers out of the logs", () => {
    expect(JSON.stringify(server.logs)).not.toContain('tf.function and exports a SavedModel');
  });
});

describe('the graded examples API with keys and a rate limit', () => {
  const examplesKey = 'e'.repeat(24);
  const gradeKey = 'g'.repeat(24);
  const readKey = 'r'.repeat(24);
  const body = { questionId: 'q4', answer: GRAPH, score: 3 };
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      ANSWERKEY_API_KEYS: `${examplesKey}:examples,${gradeKey},${readKey}:read`,
      ANSWERKEY_RATE_LIMIT_PER_MINUTE: '6',
    });
  });
  afterAll(() => server.close());

  it('lets only an examples key add or delete; a plain key grades and lists, a read-only key lists', async () => {
    const read = { authorization: `Bearer ${readKey}` };
    const plain = { authorization: `Bearer ${gradeKey}` };
    const examples = { authorization: `Bearer ${examplesKey}` };
    await expectProblem(await server.post('/v1/examples', body), 401, /API key is required/);
    await expectProblem(await server.delete('/v1/examples/ex-00000000'), 401, /API key is required/);
    await expectProblem(await server.post('/v1/examples', body, read), 403, /"grade" scope/);
    await expectProblem(await server.delete('/v1/examples/ex-00000000', read), 403, /"grade" scope/);
    // A plain key, as every key was before the examples scope: it grades, but may not change the examples.
    await expectProblem(
      await server.post('/v1/examples', body, plain),
      403,
      /^this API key lacks the "examples" scope$/,
    );
    await expectProblem(await server.post('/V1/Examples/', body, plain), 403, /"examples" scope/);
    await expectProblem(await server.delete('/v1/examples/ex-00000000', plain), 403, /"examples" scope/);
    expect((await server.post('/v1/grade', { questionId: 'q4', answer: GRAPH }, plain)).status).toBe(200);
    expect((await server.get('/v1/examples', plain)).status).toBe(200);
    expect((await server.get('/v1/examples', read)).status).toBe(200);
    expect(exampleListSchema.parse(await (await server.get('/v1/examples', read)).json()).total).toBe(0);
    // The examples key does all of it: store, grade, list, delete.
    const created = exampleSchema.parse(await (await server.post('/v1/examples', body, examples)).json());
    expect((await server.post('/v1/grade', { questionId: 'q4', answer: GRAPH }, examples)).status).toBe(200);
    expect(
      exampleListSchema
        .parse(await (await server.get('/v1/examples', examples)).json())
        .examples.map((example) => example.id),
    ).toEqual([created.id]);
    expect((await server.delete(`/v1/examples/${created.id}`, examples)).status).toBe(204);
  });

  it('rate-limits deletes like every other request', async () => {
    const examples = { authorization: `Bearer ${examplesKey}` };
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1)
      statuses.push((await server.delete('/v1/examples/ex-00000000', examples)).status);
    // The examples key spent 4 of its 6 requests in the test before.
    expect(statuses).toEqual([404, 404, 429, 429]);
  });
});

describe('the graded examples API under a burst of changes', () => {
  const key = 'e'.repeat(24);
  const headers = { authorization: `Bearer ${key}` };
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ ANSWERKEY_API_KEYS: `${key}:examples`, ANSWERKEY_EXAMPLE_WRITES_PER_MINUTE: '3' });
  });
  afterAll(() => server.close());

  it('limits changes to graded examples per key more tightly than grading, counting adds and deletes together', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 2; attempt += 1)
      statuses.push(
        (await server.post('/v1/examples', { questionId: 'q4', answer: `${GRAPH} ${attempt}`, score: 3 }, headers))
          .status,
      );
    statuses.push((await server.delete('/v1/examples/ex-00000000', headers)).status);
    const limited = await server.post('/v1/examples', { questionId: 'q4', answer: GRAPH, score: 3 }, headers);
    statuses.push(limited.status);
    expect(statuses).toEqual([201, 201, 404, 429]);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    await expectProblem(limited, 429, /^more than 3 graded-example changes a minute$/);
    expect(exampleListSchema.parse(await (await server.get('/v1/examples', headers)).json()).total).toBe(2);
    // Grading and reading go on within the general limit.
    expect((await server.post('/v1/grade', { questionId: 'q4', answer: GRAPH }, headers)).status).toBe(200);
    expect((await server.get('/v1/examples', headers)).status).toBe(200);
  });
});

describe('the graded examples API while another process changes the same examples file', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('answers other requests while an add waits for the lock, and stores the example once the lock is free', async () => {
    // `answerkey examples add` (the parent of this process stands in for it) is changing q4's file.
    const lockPath = join(server.grader.config.examplesDirectory, 'q4.jsonl.lock');
    writeFileSync(lockPath, `${process.ppid} ${hostname()} 0123456789abcdef\n`);
    const started = Date.now();
    const adding = server.post('/v1/examples', { questionId: 'q4', answer: GRAPH, score: 3 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await server.get('/healthz')).status).toBe(200);
    expect((await server.get('/v1/examples?questionId=q4')).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1_000);
    rmSync(lockPath);
    const created = await adding;
    expect(created.status).toBe(201);
    const example = exampleSchema.parse(await created.json());
    expect(exampleListSchema.parse(await (await server.get('/v1/examples?questionId=q4')).json()).examples).toEqual([
      example,
    ]);
  });
});
