import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeSchema } from '../../src/grading/grade-schema.js';
import { problemSchema } from '../../src/server/api-schemas.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const API_KEY = 'contract-test-key-0123456789abcdef';

describe('small parts of the HTTP contract', () => {
  let server: TestServer;
  let keyed: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    keyed = await startTestServer({ ANSWERKEY_API_KEYS: API_KEY });
  });
  afterAll(async () => {
    await server.close();
    await keyed.close();
  });

  it('questionId with a question that names another entry is a 400 naming both fields, not a silent choice', async () => {
    const response = await server.post('/v1/grade', {
      questionId: 'q4',
      question: 'dynamo vs postgres',
      answer: 'Eager runs ops at once.',
    });
    expect(response.status).toBe(400);
    const problem = problemSchema.parse(await response.json());
    expect(problem.detail).toContain(
      'questionId and question name different questions: questionId is q4, question matches q13, not q4',
    );
    expect(problem.errors?.map((error) => error.path)).toEqual(['questionId', 'question']);

    const unrelated = problemSchema.parse(
      await (
        await server.post('/v1/grade', {
          questionId: 'q4',
          question: 'What is your favourite colour?',
          answer: 'Blue.',
        })
      ).json(),
    );
    expect(unrelated.errors?.[1]).toEqual({ path: 'question', message: 'matches no bank question, so not q4' });
  });

  it('questionId with its own question, or one that matches it, grades as usual', async () => {
    const bankText = server.grader.bank.get('q4')?.question ?? '';
    for (const question of [bankText, `  ${bankText.toUpperCase()} `, 'eager vs graph mode in tf']) {
      const response = await server.post('/v1/grade', {
        questionId: 'q4',
        question,
        answer: 'Eager runs ops at once; graph mode traces a tf.function.',
      });
      expect(response.status, question).toBe(200);
      expect(gradeSchema.parse(await response.json()).questionId).toBe('q4');
    }
  });

  it.each([
    ['PUT', '/v1/grade', 'POST'],
    ['GET', '/v1/grade', 'POST'],
    ['DELETE', '/v1/grade/batch', 'POST'],
    ['POST', '/v1/lookup', 'GET, HEAD'],
    ['PUT', '/v1/questions/q4', 'GET, HEAD'],
    ['PUT', '/v1/examples', 'GET, HEAD, POST'],
    ['PATCH', '/v1/examples/ex-1', 'GET, HEAD, DELETE'],
    ['GET', '/v1/grades/g-1/review', 'POST'],
  ])('%s %s is 405 with Allow: %s', async (method, path, allow) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: method === 'GET' ? undefined : '{}',
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe(allow);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(problemSchema.parse(await response.json()).detail).toBe(
      `${method} is not allowed on ${path} (use ${allow})`,
    );
  });

  it('a 401 carries WWW-Authenticate: Bearer, with error="invalid_token" for a key that is not valid', async () => {
    const missing = await keyed.get('/v1/questions');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="answerkey"');
    const wrong = await keyed.post(
      '/v1/grade',
      { questionId: 'q4', answer: 'x' },
      { authorization: 'Bearer not-the-key' },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer realm="answerkey", error="invalid_token"');
    const allowed = await keyed.get('/v1/questions', { authorization: `Bearer ${API_KEY}` });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('www-authenticate')).toBeNull();
  });

  it('every operation with a request body answers 415 to a body that is not JSON, and documents it', async () => {
    const document = (await (await server.get('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
    };
    const withBody = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => operation.requestBody !== undefined)
        .map(([method, operation]) => ({ path, method, operation })),
    );
    expect(withBody.map(({ method, path }) => `${method} ${path}`)).toEqual([
      'post /v1/grade',
      'post /v1/grade/batch',
      'post /v1/examples',
      'post /v1/grades/{id}/review',
    ]);
    for (const { path, method, operation } of withBody) {
      expect(Object.keys(operation.responses), `${method} ${path}`).toContain('415');
      const response = await fetch(`${server.url}${path}`, {
        method: method.toUpperCase(),
        headers: { 'content-type': 'text/plain' },
        body: 'answer=hi',
      });
      expect(response.status, `${method} ${path}`).toBe(415);
    }
  });
});
