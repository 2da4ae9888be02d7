import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildReferenceIndex, openReferenceIndex } from '../../src/retrieval/reference-index.js';
import type { ReferenceIndexStore } from '../../src/retrieval/live-reference-index.js';
import { exampleCreatedSchema, exampleListSchema } from '../../src/server/api-schemas.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** While `failure` is set, rebuilding the index fails with it. */
let failure: Error | undefined;
const indexStore: ReferenceIndexStore = {
  build: async (config) => {
    if (failure) throw failure;
    return buildReferenceIndex(config);
  },
  open: openReferenceIndex,
};

const GRAPH = 'Graph mode traces the function with tf.function and exports a SavedModel for serving.';

interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: { $ref: string } }> }> }>
  >;
  components: {
    schemas: Record<
      string,
      { properties: Record<string, { type: string; description?: string }>; required?: string[] }
    >;
  };
}

describe('the graded examples API when the index cannot be rebuilt', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({}, Promise.resolve(), {}, { indexStore });
  });
  afterAll(() => server.close());
  afterEach(() => {
    failure = undefined;
  });

  const warningsLogged = () => server.logs.filter((line) => line.level === 40);

  it('answers 201 with the stored example and a warning, and 204 for a delete, logging each warning: a retry would store it twice', async () => {
    expect((await server.post('/v1/grade', { questionId: 'q4', answer: GRAPH })).status).toBe(200);
    failure = new Error('the disk is full');

    const created = await server.post('/v1/examples', { questionId: 'q4', answer: GRAPH, score: 3 });
    expect(created.status).toBe(201);
    const example = exampleCreatedSchema.parse(await created.json());
    expect(example).toMatchObject({ questionId: 'q4', answer: GRAPH, score: 3, maxScore: 5 });
    expect(example.warning).toMatch(
      /^the change is saved, but the index could not be rebuilt \(an unexpected error; the server log has the detail\): grades use the index from before until it is; /,
    );
    expect(created.headers.get('location')).toBe(`/v1/examples/${example.id}`);
    const listed = exampleListSchema.parse(await (await server.get('/v1/examples?questionId=q4')).json());
    expect(listed.examples.map((stored) => stored.id)).toEqual([example.id]);
    expect(warningsLogged()).toEqual([
      expect.objectContaining({
        exampleId: example.id,
        msg: expect.stringContaining('could not be rebuilt (the disk is full)'),
      }),
    ]);

    // Grading goes on, with the index from before.
    expect((await server.post('/v1/grade', { questionId: 'q4', answer: GRAPH })).status).toBe(200);

    const deleted = await server.delete(`/v1/examples/${example.id}`);
    expect(deleted.status).toBe(204);
    expect(exampleListSchema.parse(await (await server.get('/v1/examples?questionId=q4')).json()).total).toBe(0);
    expect(warningsLogged()).toHaveLength(2);
    expect(warningsLogged()[1]).toMatchObject({
      exampleId: example.id,
      msg: expect.stringMatching(/^the change is saved, but the index could not be rebuilt/),
    });
  });

  it('answers 201 without a warning once the index is rebuilt, and documents the warning in /openapi.json', async () => {
    const created = await server.post('/v1/examples', { questionId: 'q4', answer: GRAPH, score: 2 });
    expect(created.status).toBe(201);
    expect(exampleCreatedSchema.parse(await created.json()).warning).toBeUndefined();

    const document = (await (await server.get('/openapi.json')).json()) as OpenApiDocument;
    const created201 = document.paths['/v1/examples'].post.responses['201'];
    expect(created201.content?.['application/json'].schema.$ref).toBe('#/components/schemas/ExampleCreated');
    const { properties, required } = document.components.schemas.ExampleCreated;
    expect(properties.warning.type).toBe('string');
    expect(properties.warning.description).toMatch(/sending it again would store it twice/);
    expect(required).not.toContain('warning');
  });
});
