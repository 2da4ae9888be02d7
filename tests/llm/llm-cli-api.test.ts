import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveConfig } from '../../src/config/config.js';
import { createEmbeddings } from '../../src/embeddings/create-embeddings.js';
import { gradeSchema } from '../../src/grading/grade-schema.js';
import { createApp } from '../../src/server/create-app.js';
import { resolveServerConfig } from '../../src/server/server-config.js';
import { reply, useFakeOpenAi } from '../helpers/fake-openai-server.js';
import { createLlmTestGrader } from '../helpers/llm-test-grader.js';
import { runCliForTest } from '../helpers/run-cli.js';
import { loadCandidateAnswers } from '../helpers/test-grader.js';

const GOOD = loadCandidateAnswers().q4.paraphrase;
const fake = useFakeOpenAi();

const run = runCliForTest;

describe('answerkey grade --mode llm', () => {
  const indexDirectory = mkdtempSync(join(tmpdir(), 'answerkey-index-'));
  beforeEach(() => {
    vi.stubEnv('OPENAI_API_KEY', 'sk-test');
    vi.stubEnv('OPENAI_BASE_URL', fake().url);
    vi.stubEnv('ANSWERKEY_CACHE_DIR', mkdtempSync(join(tmpdir(), 'answerkey-cache-')));
    vi.stubEnv('ANSWERKEY_LLM_MAX_RETRIES', '1');
  });
  afterEach(() => vi.unstubAllEnvs());

  it('prints a schema-valid grade with token usage', async () => {
    const { code, out, err } = await run([
      'grade',
      '--mode',
      'llm',
      '-i',
      'q4',
      '-a',
      GOOD,
      '--json',
      '--index-dir',
      indexDirectory,
    ]);
    expect(err).toBe('');
    expect(code).toBe(0);
    const grade = gradeSchema.parse(JSON.parse(out));
    expect(grade.mode).toBe('llm');
    expect(grade.usage?.promptTokens).toBeGreaterThan(0);
  });

  it('defaults to LLM mode when OPENAI_API_KEY is set, and takes --samples', async () => {
    const { out } = await run([
      'grade',
      '-i',
      'q4',
      '-a',
      GOOD,
      '--json',
      '--samples',
      '2',
      '--index-dir',
      indexDirectory,
    ]);
    const grade = gradeSchema.parse(JSON.parse(out));
    expect(grade.mode).toBe('llm');
    expect(grade.samples?.count).toBe(2);
  });

  it('still prints a grade, flagged, when the server keeps failing', async () => {
    fake().setDefault(reply.error(500));
    const { code, out, err } = await run([
      'grade',
      '--mode',
      'llm',
      '-i',
      'q4',
      '-a',
      GOOD,
      '--json',
      '--index-dir',
      indexDirectory,
    ]);
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(JSON.parse(out).flags).toContain('llm_unavailable');
  });

  it('refuses --mode llm without a server as a usage mistake (exit 2), as batch does, rather than grade locally', async () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    vi.stubEnv('OPENAI_BASE_URL', '');
    const { code, out, err } = await run([
      'grade',
      '--mode',
      'llm',
      '-i',
      'q4',
      '-a',
      GOOD,
      '--json',
      '--index-dir',
      indexDirectory,
    ]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(
      /^answerkey: LLM mode needs a model server, and none is configured\n  hint: set OPENAI_API_KEY .*\n$/,
    );
  });

  it('rejects a bad setting in one line with a hint, no stack trace', async () => {
    const { code, err } = await run([
      'grade',
      '-i',
      'q4',
      '-a',
      GOOD,
      '--timeout-ms',
      'soon',
      '--index-dir',
      indexDirectory,
    ]);
    expect(code).toBe(2);
    expect(err).toMatch(/^answerkey: invalid setting --timeout-ms \/ ANSWERKEY_LLM_TIMEOUT_MS: .*\n  hint: /);
    expect(err).not.toMatch(/\n\s+at /);
  });
});

describe('the HTTP API in LLM mode', () => {
  it('grades mode "llm", keeps a failing item from failing the batch, and counts tokens once', async () => {
    const { grader } = createLlmTestGrader(fake().url, { cache: false, maxRetries: 0 });
    const logger = pino({ level: 'silent' });
    const { app } = createApp({
      grader,
      config: resolveServerConfig({ port: 0 }, {}),
      logger,
      version: 'test',
      ready: Promise.resolve(),
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const post = (path: string, body: unknown) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    try {
      const single = await post('/v1/grade', { questionId: 'q4', answer: GOOD, mode: 'llm' });
      expect(single.status).toBe(200);
      expect(gradeSchema.parse(await single.json()).mode).toBe('llm');
      const served = fake().tokensServed();
      fake().enqueue(reply.error(500));
      const batch = await post('/v1/grade/batch', {
        items: [{ questionId: 'q4', answer: 'Eager runs ops immediately.', mode: 'llm' }],
      });
      expect(batch.status).toBe(200);
      const body = (await batch.json()) as { failed: number; results: Array<{ grade: { flags: string[] } }> };
      expect(body.failed).toBe(0);
      expect(body.results[0].grade.flags).toContain('llm_unavailable');
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toContain(`answerkey_llm_tokens_total{kind="prompt"} ${served.promptTokens}`);
      expect(metrics).toContain('answerkey_llm_errors_total{reason="fallback_to_local"} 1');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('the openai embedder against the fake server', () => {
  it('embeds through /v1/embeddings', async () => {
    const config = resolveConfig({ embedder: 'openai' }, { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake().url });
    const { embeddings, id } = await createEmbeddings(config, () => {
      throw new Error('the openai embedder needs no word vectors');
    });
    const vectors = await embeddings.embedDocuments(['eager execution', 'graph execution']);
    expect(id).toBe('openai-text-embedding-3-small');
    expect(vectors).toHaveLength(2);
    expect(vectors[0].length).toBeGreaterThan(0);
    expect(fake().requests.filter((request) => request.path === '/v1/embeddings').length).toBeGreaterThan(0);
  });
});
