import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReferenceIndex, openReferenceIndex } from '../../src/retrieval/reference-index.js';
import type { ReferenceIndexStore } from '../../src/retrieval/live-reference-index.js';
import { batchResponseSchema, exampleCreatedSchema, problemSchema } from '../../src/server/api-schemas.js';
import { loadCandidateAnswers } from '../helpers/test-grader.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const candidates = loadCandidateAnswers();

/** The real index functions, with rebuilding off (ANSWERKEY_INDEX_REBUILD=never) and, while `buildFailure` is set, a build that fails with it. */
let buildFailure: Error | undefined;
const neverRebuild: ReferenceIndexStore = {
  build: async (config) => {
    if (buildFailure) throw buildFailure;
    return buildReferenceIndex(config);
  },
  open: (config) => openReferenceIndex({ ...config, rebuild: 'never' }),
};

/** The error lines the server logged for one request. */
const errorsLogged = (server: TestServer, requestId: string | null) =>
  server.logs.filter((line) => line.level === 50 && line.requestId === requestId).map((line) => String(line.msg));

describe('error answers of the HTTP API name no file of the server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({}, Promise.resolve(), {}, { indexStore: neverRebuild });
  });
  afterAll(() => server.close());

  it('answers 503 for an index that was never built, without its folder; the log has it', async () => {
    const { indexDirectory } = server.grader.config;
    const response = await server.post('/v1/grade', {
      question: candidates.q9.paraphraseQuestion,
      answer: candidates.q9.partial,
    });
    expect(response.status).toBe(503);
    const problem = problemSchema.parse(await response.json());
    expect(problem.detail).toBe(
      "no reference index has been built (try again later; the server's operator has to rebuild the index)",
    );
    expect(problem.detail).not.toContain(indexDirectory);
    expect(errorsLogged(server, problem.requestId)).toEqual([expect.stringContaining(`no index at ${indexDirectory}`)]);
  });

  it('says the same for an item of a batch', async () => {
    const response = await server.post('/v1/grade/batch', {
      items: [{ question: candidates.q9.paraphraseQuestion, answer: candidates.q9.partial }],
    });
    const { results } = batchResponseSchema.parse(await response.json());
    const [result] = results;
    if (!('error' in result)) throw new Error('expected the item to fail');
    expect(result.error).toMatchObject({
      status: 503,
      detail: expect.stringMatching(/^no reference index has been built/),
    });
    expect(result.error.detail).not.toContain(server.grader.config.indexDirectory);
    expect(errorsLogged(server, result.error.requestId)).toEqual([
      expect.stringContaining(server.grader.config.indexDirectory),
    ]);
  });

  it('warns of a failed rebuild after a new example without the path in the error, which only the log has', async () => {
    const { examplesDirectory, indexDirectory } = server.grader.config;
    buildFailure = new Error(
      `ENOSPC: no space left on device, write '${indexDirectory}/index-local-glove-100d.staging-1/hnswlib.index'`,
    );
    try {
      const created = await server.post('/v1/examples', { questionId: 'q4', answer: candidates.q4.partial, score: 2 });
      expect(created.status).toBe(201);
      const { warning } = exampleCreatedSchema.parse(await created.json());
      expect(warning).toMatch(
        /^the change is saved, but the index could not be rebuilt \(an unexpected error; the server log has the detail\): /,
      );
      expect(warning).not.toContain(indexDirectory);
      expect(warning).not.toContain(examplesDirectory);
      const logged = server.logs.filter((line) => line.level === 40 && line.exampleId).map((line) => String(line.msg));
      expect(logged).toEqual([expect.stringContaining(`(ENOSPC: no space left on device, write '${indexDirectory}/`)]);
    } finally {
      buildFailure = undefined;
    }
  });
});

describe('an error about missing word vectors', () => {
  let server: TestServer;
  const vectorsPath = join(mkdtempSync(join(tmpdir(), 'answerkey-no-vectors-')), 'glove-100d.bin');
  beforeAll(async () => {
    server = await startTestServer({}, Promise.resolve(), { vectorsPath });
  });
  afterAll(() => server.close());

  it('answers 503 without the path of the vectors file; the log has it', async () => {
    const response = await server.post('/v1/grade', { questionId: 'q4', answer: candidates.q4.partial });
    expect(response.status).toBe(503);
    const problem = problemSchema.parse(await response.json());
    expect(problem.detail).toMatch(/^the word vectors are missing or unreadable \(run `npm run prepare-vectors`/);
    expect(problem.detail).not.toContain(vectorsPath);
    expect(errorsLogged(server, problem.requestId)).toEqual([`word vectors not found at ${vectorsPath}`]);
  });
});

describe('a file-system error of the server', () => {
  it('answers 500 saying the server cannot use its files, without the path, which goes to the log', async () => {
    const { problemFor } = await import('../../src/server/middleware/error-handler.js');
    const folder = join(mkdtempSync(join(tmpdir(), 'answerkey-server-files-')), 'missing');
    let error: unknown;
    try {
      writeFileSync(join(folder, 'q4.jsonl.lock'), '');
    } catch (caught) {
      error = caught;
    }
    const problem = problemFor(error);
    expect(problem).toMatchObject({
      status: 500,
      known: true,
      detail: "the server cannot read or write its files (the server's operator can tell why from its log)",
    });
    expect(problem.detail).not.toContain(folder);
    expect(problem.withheld).toBe(`cannot open ${join(folder, 'q4.jsonl.lock')}: its folder ${folder} does not exist`);
  });
});
