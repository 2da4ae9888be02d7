import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeSchema } from '../../src/grading/grade-schema.js';
import {
  batchResponseSchema,
  lookupResponseSchema,
  problemSchema,
  questionDetailSchema,
  questionListSchema,
} from '../../src/server/api-schemas.js';
import { loadCandidateAnswers } from '../helpers/test-grader.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const candidates = loadCandidateAnswers();

async function expectProblem(response: Response, status: number, detail: RegExp) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = problemSchema.parse(await response.json());
  expect(problem.status).toBe(status);
  expect(problem.detail).toMatch(detail);
  expect(problem.requestId).toBe(response.headers.get('x-request-id'));
  return problem;
}

describe('the HTTP API, open (no keys configured)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ ANSWERKEY_BODY_LIMIT: '64kb', ANSWERKEY_BATCH_MAX_ITEMS: '5' });
  });
  afterAll(() => server.close());

  it('reports health and readiness', async () => {
    expect(await (await server.get('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await server.get('/readyz');
    expect(ready.status).toBe(200);
  });

  it('grades an answer by question id, echoing the request id', async () => {
    const response = await server.post(
      '/v1/grade',
      { questionId: 'q4', answer: candidates.q4.paraphrase },
      { 'x-request-id': 'trace-123' },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('trace-123');
    const grade = gradeSchema.parse(await response.json());
    expect(grade).toMatchObject({ questionId: 'q4', mode: 'local' });
    expect(grade.normalizedScore).toBeGreaterThan(0.6);
  });

  it('grades by question text and ad hoc', async () => {
    const byText = gradeSchema.parse(
      await (
        await server.post('/v1/grade', { question: candidates.q9.paraphraseQuestion, answer: candidates.q9.partial })
      ).json(),
    );
    expect(byText.questionId).toBe('q9');
    expect(byText.reference.similarity).toBeLessThan(1);
    const adHoc = gradeSchema.parse(
      await (
        await server.post('/v1/grade', {
          question: 'What is a stack?',
          referenceAnswer: 'A last-in, first-out collection of items.',
          answer: 'A LIFO collection.',
        })
      ).json(),
    );
    expect(adHoc.questionId).toBeNull();
  });

  it.each([
    ['a number for the answer', { questionId: 'q4', answer: 7 }, /answer: .*string/],
    ['no question at all', { answer: 'text' }, /questionId: give questionId/],
    ['an unknown field', { questionId: 'q4', answer: 'text', score: 5 }, /Unrecognized key/],
    [
      'a reference without its question',
      { questionId: 'q4', referenceAnswer: 'x', answer: 'y' },
      /question: referenceAnswer needs its question/,
    ],
    ['samples out of range', { questionId: 'q4', answer: 'x', samples: 50 }, /samples/],
    [
      'a blank reference answer',
      { question: 'What is a stack?', referenceAnswer: '   ', answer: 'LIFO' },
      /^referenceAnswer: is empty$/,
    ],
  ])('answers 400 with the field for %s', async (_name, body, detail) => {
    const problem = await expectProblem(await server.post('/v1/grade', body), 400, detail);
    expect(problem.errors?.length).toBeGreaterThan(0);
  });

  it('answers 400 for a body that is not JSON, and 415 for one that is not declared JSON', async () => {
    await expectProblem(await server.post('/v1/grade', '{"answer": '), 400, /not valid JSON/);
    const response = await fetch(`${server.url}/v1/grade`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    await expectProblem(response, 415, /application\/json/);
  });

  it('answers 404 for an unknown question id, an unmatched question and an unknown route', async () => {
    await expectProblem(await server.post('/v1/grade', { questionId: 'q99', answer: 'x' }), 404, /no question "q99"/);
    await expectProblem(
      await server.post('/v1/grade', { question: 'What is the capital of France?', answer: 'Paris' }),
      404,
      /no matching question in the bank/,
    );
    await expectProblem(await server.get('/v1/nothing-here'), 404, /no route GET \/v1\/nothing-here/);
    await expectProblem(
      await server.get('/v1/questions/q99'),
      404,
      /^no question "q99" in the bank \(GET \/v1\/questions lists the ids\)$/,
    );
  });

  it.each([
    ['GET', '/v1/questions/%E0%A4%A'],
    ['GET', '/v1/examples/%ZZ'],
    ['DELETE', '/v1/examples/%ZZ'],
  ])('answers %s %s, a malformed percent-escape, with 400 and errors', async (method, path) => {
    const problem = await expectProblem(
      await fetch(`${server.url}${path}`, { method }),
      400,
      /malformed percent-escape/,
    );
    expect(problem.errors).toEqual([{ path: '(request)', message: expect.stringMatching(/percent-escape/) }]);
  });

  it('answers a declared-JSON request without a body with 400 saying the body is empty', async () => {
    const headerSets: Array<Record<string, string>> = [
      { 'content-type': 'application/json' },
      { 'content-type': 'application/json', 'content-length': '0' },
    ];
    for (const headers of headerSets) {
      const response = await fetch(`${server.url}/v1/grade`, { method: 'POST', headers });
      const problem = await expectProblem(response, 400, /^the request body is empty \(send the request as JSON/);
      expect(problem.errors).toEqual([{ path: '(body)', message: 'is empty' }]);
    }
  });

  it('answers 413 for a body over the limit and a batch over the item limit', async () => {
    await expectProblem(
      await server.post('/v1/grade', { questionId: 'q4', answer: 'x'.repeat(70_000) }),
      413,
      /^the request body is larger than the server accepts \(65,536 bytes\) \(shorten the text, or split a batch into several requests of fewer items\)$/,
    );
    const items = Array.from({ length: 6 }, () => ({ questionId: 'q4', answer: 'x' }));
    await expectProblem(await server.post('/v1/grade/batch', { items }), 413, /at most 5 items/);
  });

  it('answers 501 for LLM mode, which this server does not have', async () => {
    await expectProblem(
      await server.post('/v1/grade', { questionId: 'q4', answer: 'x', mode: 'llm' }),
      501,
      /LLM mode/,
    );
  });

  it('grades a batch with per-item errors, in order', async () => {
    const response = await server.post('/v1/grade/batch', {
      items: [
        { questionId: 'q4', answer: candidates.q4.partial },
        { questionId: 'q99', answer: 'x' },
        { answer: 3 },
        { questionId: 'q5', answer: candidates.q5.paraphrase },
      ],
    });
    expect(response.status).toBe(200);
    const body = batchResponseSchema.parse(await response.json());
    expect(body).toMatchObject({ succeeded: 2, failed: 2 });
    expect(body.results.map((result) => ('grade' in result ? result.grade.questionId : result.error.status))).toEqual([
      'q4',
      404,
      400,
      'q5',
    ]);
  });

  it("names a batch item's invalid fields by their place in the request, items[i].field", async () => {
    const response = await server.post('/v1/grade/batch', {
      items: [
        { questionId: 'q4', answer: candidates.q4.partial },
        { questionId: 'q4', answer: 'x' },
        { questionId: 'q4' },
        'text',
      ],
    });
    const { results } = batchResponseSchema.parse(await response.json());
    const errorsOf = (index: number) => {
      const result = results[index];
      if (!('error' in result)) throw new Error(`item ${index} was graded`);
      return result.error;
    };
    expect(errorsOf(2).errors).toEqual([{ path: 'items[2].answer', message: expect.any(String) }]);
    expect(errorsOf(2).detail).toMatch(/^items\[2\]\.answer: /);
    expect(errorsOf(3).errors?.map((entry) => entry.path)).toEqual(['items[3]']);
  });

  it('gives API clients API hints, not command-line ones', async () => {
    const unknown = await expectProblem(
      await server.post('/v1/grade', { questionId: 'q99', answer: 'x' }),
      404,
      /^no question "q99" in the bank \(GET \/v1\/questions lists the ids\)$/,
    );
    expect(unknown.detail).not.toMatch(/answerkey questions|--question/);
  });

  it('answers a body that is not JSON with 400 and an errors entry', async () => {
    const problem = await expectProblem(await server.post('/v1/grade', '{"answer":'), 400, /not valid JSON/);
    expect(problem.errors).toEqual([{ path: '(body)', message: 'not valid JSON' }]);
  });

  it('rejects an answer over 20,000 characters with 400 naming the field', async () => {
    const problem = await expectProblem(
      await server.post('/v1/grade', { questionId: 'q4', answer: 'a'.repeat(20_001) }),
      400,
      /^answer: must be at most 20,000 characters$/,
    );
    expect(problem.errors?.[0].path).toBe('answer');
  });

  it('says which required field is missing, in words', async () => {
    const grade = await expectProblem(await server.post('/v1/grade', {}), 400, /^answer: is missing$/);
    expect(grade.errors).toEqual([{ path: 'answer', message: 'is missing' }]);
    await expectProblem(await server.post('/v1/grade/batch', {}), 400, /^items: is missing$/);
    await expectProblem(
      await server.post('/v1/grade/batch', { items: [] }),
      400,
      /^items: must hold at least one item$/,
    );
    await expectProblem(await server.get('/v1/lookup?by=answer'), 400, /^q: is missing$/);
  });

  it('words every length limit the same way, field first', async () => {
    const tooLong = { question: 'What is a stack?', referenceAnswer: 'r'.repeat(20_001), answer: 'LIFO' };
    const reference = await expectProblem(
      await server.post('/v1/grade', tooLong),
      400,
      /^referenceAnswer: must be at most 20,000 characters$/,
    );
    expect(reference.errors).toEqual([{ path: 'referenceAnswer', message: 'must be at most 20,000 characters' }]);
    await expectProblem(
      await server.post('/v1/grade', { question: 'q'.repeat(2_001), answer: 'x' }),
      400,
      /^question: must be at most 2,000 characters$/,
    );
    await expectProblem(
      await server.post('/v1/grade', { question: 'ab', answer: 'x' }),
      400,
      /^question: must be at least 3 characters$/,
    );
    await expectProblem(
      await server.post('/v1/grade', { questionId: 'q'.repeat(65), answer: 'x' }),
      400,
      /^questionId: must be at most 64 characters$/,
    );
    await expectProblem(await server.get('/v1/lookup?q=ab'), 400, /^q: must be at least 3 characters$/);
  });

  it("limits lookup's q to 2,000 characters with a 400 that names it", async () => {
    expect((await server.get(`/v1/lookup?by=answer&q=${'a'.repeat(2_000)}`)).status).toBe(200);
    const problem = await expectProblem(
      await server.get(`/v1/lookup?q=${'a'.repeat(2_001)}`),
      400,
      /^q: must be at most 2,000 characters$/,
    );
    expect(problem.errors).toEqual([{ path: 'q', message: 'must be at most 2,000 characters' }]);
  });

  it('lists questions, shows one, and looks questions up', async () => {
    const list = questionListSchema.parse(await (await server.get('/v1/questions')).json());
    expect(list.questions.map((question) => question.id)).toHaveLength(21);
    const rubric = questionDetailSchema.parse(await (await server.get('/v1/questions/q4')).json());
    expect(rubric.keyPoints.length).toBeGreaterThanOrEqual(3);
    const lookup = lookupResponseSchema.parse(
      await (await server.get(`/v1/lookup?q=${encodeURIComponent(candidates.q5.paraphraseQuestion)}`)).json(),
    );
    expect(lookup.matched).toBe('q5');
    const byAnswer = lookupResponseSchema.parse(
      await (await server.get(`/v1/lookup?by=answer&q=${encodeURIComponent(candidates.q16.paraphrase)}`)).json(),
    );
    expect(byAnswer.matches[0].questionId).toBe('q16');
    await expectProblem(await server.get('/v1/lookup?q=ab'), 400, /at least 3 characters/);
    await expectProblem(await server.get('/v1/lookup?q=overfitting&colour=red'), 400, /Unrecognized key/);
  });

  it('counts requests and grades in /metrics', async () => {
    const text = await (await server.get('/metrics')).text();
    expect(text).toMatch(/answerkey_http_requests_total\{method="POST",route="\/v1\/grade",status="200"\} \d+/);
    expect(text).toMatch(/answerkey_grades_total\{mode="local",band="\w+"\} \d+/);
    expect(text).toMatch(/answerkey_http_request_duration_seconds_bucket/);
  });

  it('sends security headers and no CORS headers by default', async () => {
    const response = await server.get('/v1/questions', { origin: 'https://evil.example' });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('logs every request with its id and never the answer text', () => {
    const requestLines = server.logs.filter((line) => line.msg === 'request completed');
    expect(requestLines.length).toBeGreaterThan(10);
    const traced = requestLines.find((line) => (line.req as { id: string }).id === 'trace-123');
    expect(traced).toBeDefined();
    const everything = JSON.stringify(server.logs);
    expect(everything).not.toContain(candidates.q4.paraphrase.slice(0, 40));
    // The answer looked up by GET /v1/lookup?by=answer&q=… stays out too: no query strings in logs.
    expect(everything).not.toContain(encodeURIComponent(candidates.q16.paraphrase.slice(0, 30)));
    expect(everything).toContain('"url":"/v1/lookup"');
  });
});

describe('the HTTP API with keys and a rate limit', () => {
  const fullKey = 'k'.repeat(24);
  const readKey = 'r'.repeat(24);
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      ANSWERKEY_API_KEYS: `${fullKey},${readKey}:read`,
      ANSWERKEY_RATE_LIMIT_PER_MINUTE: '3',
    });
  });
  afterAll(() => server.close());

  it('answers 401 without a key or with a wrong one, 403 for a key without the scope', async () => {
    await expectProblem(await server.post('/v1/grade', { questionId: 'q4', answer: 'x' }), 401, /API key is required/);
    await expectProblem(
      await server.post('/v1/grade', { questionId: 'q4', answer: 'x' }, { authorization: `Bearer ${'z'.repeat(24)}` }),
      401,
      /not valid/,
    );
    await expectProblem(
      await server.post('/v1/grade', { questionId: 'q4', answer: 'x' }, { authorization: `Bearer ${readKey}` }),
      403,
      /"grade" scope/,
    );
    expect((await server.get('/healthz')).status).toBe(200);
  });

  it('lets a key in and limits its rate with Retry-After', async () => {
    const headers = { authorization: `Bearer ${fullKey}` };
    const statuses = [];
    for (let attempt = 0; attempt < 4; attempt += 1)
      statuses.push((await server.post('/v1/grade', { questionId: 'q4', answer: 'x' }, headers)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await server.post('/v1/grade', { questionId: 'q4', answer: 'x' }, headers);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    await expectProblem(limited, 429, /more than 3 requests a minute/);
    // Another key has its own budget.
    expect((await server.get('/v1/questions', { authorization: `Bearer ${readKey}` })).status).toBe(200);
  });
});

describe('readiness and CORS', () => {
  it('answers 503 on /readyz until the index is loaded', async () => {
    let markReady: () => void = () => undefined;
    const server = await startTestServer({}, new Promise<void>((resolve) => (markReady = resolve)));
    expect((await server.get('/readyz')).status).toBe(503);
    markReady();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await server.get('/readyz')).status).toBe(200);
    await server.close();
  });

  it('allows only the configured origins', async () => {
    const server = await startTestServer({ ANSWERKEY_CORS_ORIGINS: 'https://ats.example' });
    const allowed = await server.get('/v1/questions', { origin: 'https://ats.example' });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://ats.example');
    const other = await server.get('/v1/questions', { origin: 'https://evil.example' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    await server.close();
  });
});

describe('the HTTP API under a flood of bad keys', () => {
  it('limits requests per address before authentication', async () => {
    const server = await startTestServer({ ANSWERKEY_API_KEYS: 'k'.repeat(24), ANSWERKEY_RATE_LIMIT_PER_MINUTE: '2' });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 22; attempt += 1) {
      statuses.push(
        (await server.get('/v1/questions', { authorization: `Bearer guess-${attempt}-${'x'.repeat(20)}` })).status,
      );
    }
    // Ten times the per-key limit of failures per address, then 429 for every bad key.
    expect(statuses.slice(0, 20).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
    await server.close();
  });

  it('never turns away a valid key from the flooded address (everyone behind one proxy shares it)', async () => {
    const key = 'k'.repeat(24);
    const server = await startTestServer({ ANSWERKEY_API_KEYS: key, ANSWERKEY_RATE_LIMIT_PER_MINUTE: '2' });
    for (let attempt = 0; attempt < 22; attempt += 1)
      await server.get('/v1/questions', { authorization: `Bearer guess-${attempt}-${'x'.repeat(20)}` });
    const blocked = await server.get('/v1/questions', { authorization: 'Bearer still-guessing-xxxxxxxxxxxx' });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await blocked.json()) as { detail: string }).detail).toBe(
      'too many failed authentications from this address',
    );
    // The key's own limit (2 a minute) still holds.
    const statuses = [];
    for (let attempt = 0; attempt < 3; attempt += 1)
      statuses.push((await server.get('/v1/questions', { authorization: `Bearer ${key}` })).status);
    expect(statuses).toEqual([200, 200, 429]);
    await server.close();
  });
});
