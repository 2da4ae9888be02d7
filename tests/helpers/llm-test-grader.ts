import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, type ConfigOverrides } from '../../src/config/config.js';
import { createGrader, type GraderOptions } from '../../src/app/create-grader.js';

/** A grader in LLM mode against the fake server, with its own index, examples and cache folders and quick retries. */
export function createLlmTestGrader(
  baseUrl: string,
  overrides: ConfigOverrides = {},
  environment: Record<string, string> = {},
  options: GraderOptions = {},
) {
  const indexDirectory = mkdtempSync(join(tmpdir(), 'answerkey-index-'));
  const examplesDirectory = mkdtempSync(join(tmpdir(), 'answerkey-examples-'));
  const cacheDirectory = mkdtempSync(join(tmpdir(), 'answerkey-cache-'));
  const notices: string[] = [];
  const config = resolveConfig(
    { indexDirectory, examplesDirectory, mode: 'llm', ...overrides },
    { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: baseUrl, ANSWERKEY_CACHE_DIR: cacheDirectory, ...environment },
  );
  const grader = createGrader(config, {
    notice: (message) => notices.push(message),
    llmBackoff: { baseDelayMs: 5, maxDelayMs: 2_000 },
    ...options,
  });
  return { grader, notices, cacheDirectory, config };
}
