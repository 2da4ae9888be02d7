import { Option, type Command } from 'commander';
import { resolveConfig, type AnswerkeyConfig } from '../config/config.js';
import { assertExists } from './input-path.js';

export interface SharedOptionValues {
  bank?: string;
  examplesDir?: string;
  /** Set by commands that grade (withExampleCountOption). */
  examples?: string;
  indexDir?: string;
  vectors?: string;
  weights?: string;
  embedder?: string;
  matchThreshold?: string;
  /** Set by commands that take the LLM options (llm-options.ts). */
  mode?: string;
  model?: string;
  temperature?: string;
  timeoutMs?: string;
  maxRetries?: string;
  concurrency?: string;
  samples?: string;
  /** false with --no-cache. */
  cache?: boolean;
  databaseUrl?: string;
}

/** Options every command that touches the bank accepts; each falls back to its variable. */
export function withSharedOptions(command: Command): Command {
  return command
    .addOption(new Option('--bank <dir>', 'question bank folder of rubric YAML files').env('ANSWERKEY_BANK_DIR'))
    .addOption(
      new Option(
        '--examples-dir <dir>',
        "interviewers' graded examples, one JSONL file per question (default: BANK/examples)",
      ).env('ANSWERKEY_EXAMPLES_DIR'),
    )
    .addOption(new Option('--index-dir <dir>', 'where the vector index is kept').env('ANSWERKEY_INDEX_DIR'))
    .addOption(new Option('--vectors <file>', 'converted GloVe vectors file').env('ANSWERKEY_VECTORS_PATH'))
    .addOption(new Option('--weights <file>', 'local scorer weights (JSON)').env('ANSWERKEY_WEIGHTS_PATH'))
    .addOption(
      new Option('--embedder <name>', 'embeddings for the index')
        .choices(['local', 'openai'])
        .env('ANSWERKEY_EMBEDDER'),
    )
    .addOption(
      new Option('--match-threshold <0-1>', 'least similarity for a question given as text to match a bank entry').env(
        'ANSWERKEY_MATCH_THRESHOLD',
      ),
    )
    .addOption(databaseUrlOption());
}

/** The shared PostgreSQL store; without it everything stays in files. */
export function databaseUrlOption(): Option {
  return new Option(
    '--database-url <url>',
    'PostgreSQL to share graded examples, reviews and batch runs (postgres://user:password@host:5432/database)',
  ).env('ANSWERKEY_DATABASE_URL');
}

/** For commands that grade: how many of the question's graded examples, nearest to the answer, to use. */
export function withExampleCountOption(command: Command): Command {
  return command.addOption(
    new Option(
      '--examples <n>',
      'graded examples of the question, nearest to the answer, to grade with (default 10; 0: none)',
    ).env('ANSWERKEY_EXAMPLE_COUNT'),
  );
}

export function configFrom(options: SharedOptionValues): AnswerkeyConfig {
  // Only paths the user named: a shipped file that is missing is a broken install, not a usage mistake.
  if (options.bank !== undefined) assertExists(options.bank, '--bank / ANSWERKEY_BANK_DIR');
  if (options.vectors !== undefined) assertExists(options.vectors, '--vectors / ANSWERKEY_VECTORS_PATH');
  if (options.weights !== undefined) assertExists(options.weights, '--weights / ANSWERKEY_WEIGHTS_PATH');
  return resolveConfig({
    bankDirectory: options.bank,
    examplesDirectory: options.examplesDir,
    exampleCount: options.examples,
    indexDirectory: options.indexDir,
    vectorsPath: options.vectors,
    weightsPath: options.weights,
    embedder: options.embedder,
    matchThreshold: options.matchThreshold,
    mode: options.mode,
    chatModel: options.model,
    temperature: options.temperature,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries,
    concurrency: options.concurrency,
    samples: options.samples,
    cache: options.cache === false ? false : undefined,
    databaseUrl: options.databaseUrl,
  });
}
