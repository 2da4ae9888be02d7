import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { resolveConfig, type ConfigOverrides } from '../../src/config/config.js';
import { createGrader, type GraderOptions } from '../../src/app/create-grader.js';

/** A grader on the shipped bank whose index and graded examples live in fresh temporary folders. */
export function createTestGrader(
  overrides: ConfigOverrides = {},
  options: Pick<GraderOptions, 'indexStore' | 'scoringThreads'> = {},
) {
  const indexDirectory = mkdtempSync(join(tmpdir(), 'answerkey-index-'));
  const examplesDirectory = mkdtempSync(join(tmpdir(), 'answerkey-examples-'));
  const notices: string[] = [];
  const grader = createGrader(resolveConfig({ indexDirectory, examplesDirectory, ...overrides }, {}), {
    ...options,
    notice: (message) => notices.push(message),
  });
  return { grader, notices, indexDirectory };
}

export interface CandidateAnswers {
  paraphrase: string;
  partial: string;
  paraphraseQuestion: string;
}

/** Answers written as candidates would (tests/fixtures/candidate-answers.yaml). */
export function loadCandidateAnswers(): Record<string, CandidateAnswers> {
  return yaml.load(readFileSync(new URL('../fixtures/candidate-answers.yaml', import.meta.url), 'utf8')) as Record<
    string,
    CandidateAnswers
  >;
}
