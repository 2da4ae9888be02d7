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
  it('estimates tokens and cost in a dry run, without calling the model', async () => {
    useFakeModel();
    fake.reset();
    const { code, out } = await run(['batch', ANSWERS_CSV, '--out', join(scratch, 'dry'), '--mode', 'llm', '--dry-run']);
    expect(code).toBe(0);
    const estimate = /token estimate \(gpt-4o-mini, 1 sample\(s\) each\): ~([\d,]+) prompt \+ ~([\d,]+) completion tokens, about \$(\d+\.\d\d)/.exec(out);
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
    const rows = readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n').map((line) => resultRowSchema.parse(JSON.parse(line)));
    expect(rows.length).toBeGreaterThan(20);
    // The fake only ever fails, so every answer sent to it falls back to the local scorer, flagged.
    expect(rows.filter((row) => row.flags.includes('llm_unavailable')).length).toBeGreaterThan(0);
    expect(fake.requests.length).toBeGreaterThan(0);
  });
});
