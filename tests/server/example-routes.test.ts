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
    const created = await server.post('/v1/examples', { questionId: 'q4', answer: GRAPH, score: 3, note: 'no debugging story' });
    expect(created.status).toBe(201);
    const example = exampleSchema.parse(await created.json());
    expect(example).toMatchObject({ questionId: 'q4', answer: GRAPH, score: 3, maxScore: 5, note: 'no debugging story' });
    expect(example.id).toMatch(/^ex-[0-9a-f]{8}$/);
    expect(created.headers.get('location')).toBe(`/v1/examples/${example.id}`);

    const listed = exampleListSchema.parse(await (await server.get('/v1/examples?questionId=q4')).json());
    expect(listed.examples).toEqual([example]);
    expect(exampleListSchema.parse(await (await server.get('/v1/examples?questionId=q5')).json()).examples).toEqual([]);
    expect(exampleListSchema.parse(await (await server.get('/v1/examples')).json()).examples.map((entry) => entry.id)).toContain(example.id);

    const graded = gradeSchema.parse(await (await server.post('/v1/grade', { questionId: 'q4', answer: GRAPH })).json());
    expect(graded.examples?.map((entry) => entry.id)).toEqual([example.id]);

    const deleted = await server.delete(`/v1/examples/${example.id}`);
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    const gone = await expectProblem(await server.delete(`/v1/examples/${example.id}`), 404, new RegExp(`no graded example "${example.id}"`));
    expect(gone.detail).toBe(`no graded example "${example.id}" (GET /v1/examples lists the ids)`);
    const regraded = gradeSchema.parse(await (await server.post('/v1/grade', { questionId: 'q4', answer: GRAPH })).json());
    expect(regraded.examples).toBeUndefined();
  });

  it.each([
    ['a score above the question\'s maximum', { questionId: 'q4', answer: GRAPH, score: 6 }, /score: 6 is above the maximum 5/],
    ['an unknown question', { questionId: 'q99', answer: GRAPH, score: 1 }, /no question "q99"/],
    ['an empty answer', { questionId: 'q4', answer: '  ', score: 1 }, /^answer: is empty$/],
    ['a negative score', { questionId: 'q4', answer: GRAPH, score: -1 }, /^score: must be 0 or more$/],
    ['a missing score', { questionId: 'q4', answer: GRAPH }, /score: /],
    ['an unknown field', { questionId: 'q4', answer: GRAPH, score: 1, id: 'ex-mine' }, /Unrecognized key/],
  ])('answers 400 for %s and stores nothing', async (_name, body, detail) => {
    const count = async () => exampleListSchema.parse(await (await server.get('/v1/examples')).json()).examples.length;
    const before = await count();
    await expectProblem(await server.post('/v1/examples', body), 400, detail);
    expect(await count()).toBe(before);
  });

  it('answers 404 for the examples of an unknown question, 400 for an unknown query field', async () => {
    await expectProblem(await server.get('/v1/examples?questionId=q99'), 404, /^no question "q99" in the bank \(GET \/v1\/questions lists the ids\)$/);
    await expectProblem(await server.get('/v1/examples?question=q4'), 400, /Unrecognized key/);
  });

  it('keeps examples\' answers out of the logs', () => {
    expect(JSON.stringify(server.logs)).not.toContain('tf.function and exports a SavedModel');
  });
});

describe('the graded examples API with keys and a rate limit', () => {
  const fullKey = 'k'.repeat(24);
  const readKey = 'r'.repeat(24);
  const body = { questionId: 'q4', answer: GRAPH, score: 3 };
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ ANSWERKEY_API_KEYS: `${fullKey},${readKey}:read`, ANSWERKEY_RATE_LIMIT_PER_MINUTE: '4' });
  });
  afterAll(() => server.close());

  it('lets a read-only key list but not add or delete, and a full key do all three', async () => {
    const read = { authorization: `Bearer ${readKey}` };
    const full = { authorization: `Bearer ${fullKey}` };
    await expectProblem(await server.post('/v1/examples', body), 401, /API key is required/);
    await expectProblem(await server.delete('/v1/examples/ex-00000000'), 401, /API key is required/);
    await expectProblem(await server.post('/v1/examples', body, read), 403, /"grade" scope/);
    await expectProblem(await server.delete('/v1/examples/ex-00000000', read), 403, /"grade" scope/);
    expect((await server.get('/v1/examples', read)).status).toBe(200);
    const created = exampleSchema.parse(await (await server.post('/v1/examples', body, full)).json());
    expect((await server.delete(`/v1/examples/${created.id}`, full)).status).toBe(204);
  });

  it('rate-limits deletes like every other request', async () => {
    const full = { authorization: `Bearer ${fullKey}` };
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1) statuses.push((await server.delete('/v1/examples/ex-00000000', full)).status);
    // The full key spent 2 of its 4 requests in the test before.
    expect(statuses).toEqual([404, 404, 429, 429]);
  });
});
