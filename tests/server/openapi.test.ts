import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENTED_EXAMPLE_ID } from '../../src/server/openapi.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

interface Operation {
  parameters?: Array<{ name: string; in: string; example?: unknown }>;
  requestBody?: { content: { 'application/json': { example?: unknown } } };
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

describe('/openapi.json', () => {
  let server: TestServer;
  let document: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

  beforeAll(async () => {
    // The graded example the DELETE example names, so deleting it can succeed.
    const examplesDirectory = join(mkdtempSync(join(tmpdir(), 'answerkey-openapi-')), 'examples');
    mkdirSync(examplesDirectory);
    const documented = {
      id: DOCUMENTED_EXAMPLE_ID,
      questionId: 'q4',
      answer: 'Eager mode runs ops at once.',
      score: 1,
      maxScore: 5,
    };
    writeFileSync(join(examplesDirectory, 'q4.jsonl'), `${JSON.stringify(documented)}\n`);
    server = await startTestServer({}, Promise.resolve(), { examplesDirectory });
    document = (await (await server.get('/openapi.json')).json()) as typeof document;
  });
  afterAll(() => server.close());

  it('validates as OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(document as unknown as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('documents responses that requests made from its examples really get', async () => {
    const ajv = new Ajv2020({ strict: false });
    ajv.addSchema({ $id: 'answerkey', components: document.components }, 'answerkey');
    const checked: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (path === '/metrics') continue;
        const pathParameters = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path');
        const queryParameters = (operation.parameters ?? []).filter(
          (parameter) => parameter.in === 'query' && parameter.example !== undefined,
        );
        let concrete = path;
        for (const parameter of pathParameters)
          concrete = concrete.replace(`{${parameter.name}}`, String(parameter.example));
        const query = queryParameters
          .map((parameter) => `${parameter.name}=${encodeURIComponent(String(parameter.example))}`)
          .join('&');
        const url = `${concrete}${query ? `?${query}` : ''}`;
        const example = operation.requestBody?.content['application/json'].example;
        const response =
          method === 'post'
            ? await server.post(url, example)
            : method === 'delete'
              ? await server.delete(url)
              : await server.get(url);
        // 201 where a request creates something (POST /v1/examples also documents 200, for a retry replayed).
        const success =
          '201' in operation.responses
            ? '201'
            : (Object.keys(operation.responses).find((status) => status.startsWith('2')) ?? '200');
        expect(response.status, `${method} ${url}`).toBe(Number(success));
        const schema = operation.responses[success].content?.['application/json']?.schema as
          { $ref: string } | undefined;
        if (schema) {
          const validate = ajv.compile({ $ref: `answerkey${schema.$ref}` });
          expect(validate(await response.json()), `${method} ${url}: ${JSON.stringify(validate.errors)}`).toBe(true);
        } else {
          expect(await response.text(), `${method} ${url}`).toBe('');
        }
        checked.push(`${method} ${path}`);
      }
    }
    expect(checked).toEqual(
      expect.arrayContaining([
        'post /v1/grade',
        'post /v1/grade/batch',
        'get /v1/questions',
        'get /v1/questions/{id}',
        'get /v1/lookup',
        'post /v1/examples',
        'get /v1/examples',
        'get /v1/examples/{id}',
        'delete /v1/examples/{id}',
      ]),
    );
  });

  it('has human-readable docs with a curl example per endpoint', async () => {
    const page = await (await server.get('/docs')).text();
    expect(page).toContain('<h1>answerkey API');
    expect(page.match(/curl -s/g)?.length).toBeGreaterThanOrEqual(8);
  });
});
