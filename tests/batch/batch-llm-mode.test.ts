import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { resultRowSchema } from '../../src/batch/result-row.js';
import { runCliForTest } from '../helpers/run-cli.js';
import { PACKAGE_ROOT } from '../../src/config/paths.js';
import { reply, startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai-server.js';

const ANSWERS_CSV = join(PACKAGE_ROOT, 'examples', 'answers.csv');
const scratch = mkdtempSync(join(tmpdir(), 'answerkey-batch-llm-'));
let fake: FakeOpenAi;

beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterAll(() => fake.close());
afterEach(() => vi.unstubAllEnvs());

const run = (argv: readonly string[]) => runCliForTest([...argv, '--index-dir', join(scratch, 'index')]);

function useFakeModel() {
  vi.stubEnv('OPENAI_API_KEY', 'sk-test');
  vi.stubEnv('OPENAI_BASE_URL', fake.url);
  vi.stubEnv('ANSWERKEY_CACHE_DIR', mkdtempSync(join(tmpdir(), 'answerkey-cache-')));
  vi.stubEnv('ANSWERKEY_LLM_MAX_RETRIES', '0');
}

describe('answerkey batch --mode llm', () => {
  it('refuses to start without a model server, instead of failing every answer', async () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    vi.stubEnv('OPENAI_BASE_URL', '');
    const { code, err } = await run(['batch', ANSWERS_CSV, '--out', join(scratch, 'no-model'), '--mode', 'llm']);
    expect(code).toBe(2);
    expect(err).toMatch(/^answerkey: LLM mode needs a model server/);
  });

  it('estimates tokens and cost in a dry run, without calling the model', async () => {
    useFakeModel();
    fake.reset();
    const { code, out } = await run([
      'batch',
      ANSWERS_CSV,
      '--out',
      join(scratch, 'dry'),
      '--mode',
      'llm',
      '--dry-run',
    ]);
    expect(code).toBe(0);
    const estimate =
      /token estimate \(gpt-4o-mini, 1 sample each\): ~([\d,]+) prompt \+ ~([\d,]+) completion tokens, about \$(\d+\.\d\d)/.exec(
        out,
      );
    expect(estimate, out).not.toBeNull();
    expect(Number(estimate?.[1].replaceAll(',', ''))).toBeGreaterThan(10_000);
    expect(fake.requests.length).toBe(0);
  });

  it('grades with the model, and one failing answer does not fail the batch', async () => {
    useFakeModel();
    fake.reset();
    fake.setDefault(reply.error(500));
    const out = join(scratch, 'graded');
    const { code } = await run(['batch', ANSWERS_CSV, '--out', out, '--mode', 'llm']);
    expect(code).toBe(0);
    const rows = readFileSync(join(out, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => resultRowSchema.parse(JSON.parse(line)));
    expect(rows.length).toBeGreaterThan(20);
    // The fake only ever fails, so every answer sent to it falls back to the local scorer, flagged.
    expect(rows.filter((row) => row.flags.includes('llm_unavailable')).length).toBeGreaterThan(0);
    expect(fake.requests.length).toBeGreaterThan(0);
  });
});

describe('switching a batch folder between scorers', () => {
  it('regrades local grades when rerun in LLM mode, and a later local run keeps the model grades', async () => {
    const out = join(scratch, 'switch');
    expect((await run(['batch', ANSWERS_CSV, '--out', out])).code).toBe(0);
    const rows = () =>
      readFileSync(join(out, 'results.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => resultRowSchema.parse(JSON.parse(line)));
    const localCount = rows().length;
    expect(rows().every((row) => row.mode === 'local')).toBe(true);
    useFakeModel();
    fake.reset();
    const llmRun = await run(['batch', ANSWERS_CSV, '--out', out, '--mode', 'llm']);
    expect(llmRun.code).toBe(0);
    expect(llmRun.out).not.toMatch(/Graded 0 answers/);
    expect(fake.chatRequests().length).toBeGreaterThan(0);
    expect(rows().filter((row) => row.mode === 'llm').length).toBeGreaterThan(0);
    const report = readFileSync(join(out, 'report.html'), 'utf8');
    expect(report).toMatch(/graded by a language model/);
    vi.unstubAllEnvs();
    const before = rows().length;
    const localAgain = await run(['batch', ANSWERS_CSV, '--out', out]);
    expect(localAgain.out).toMatch(/Graded 0 answers/);
    expect(rows().length).toBe(before);
    // One grade per answer: each model grade replaced the local one in results.jsonl.
    expect(before).toBe(localCount);
  });
});
