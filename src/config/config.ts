import { gradingModeSchema } from './grading-mode.js';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { AnswerkeyError } from '../errors/answerkey-error.js';
import { DEFAULT_PRICES, priceTableSchema } from './price-table.js';
import { formatIssuePath } from '../errors/format-issue-path.js';
import { assertOrdinaryFolder } from './directory-setting.js';
import { DEFAULT_PATHS } from './paths.js';
import { describeSettingIssue } from './setting-issue.js';
import { DATABASE_URL_SETTING, resolveDatabaseUrl } from './database-url.js';

export const configSchema = z.object({
  bankDirectory: z.string().min(1),
  /** Interviewers' graded answers, one JSON Lines file per bank question id. */
  examplesDirectory: z.string().min(1),
  /** Nearest graded examples of the same question given to the scorer; 0 turns them off. */
  exampleCount: z.coerce.number().int().min(0).max(50),
  indexDirectory: z.string().min(1),
  vectorsPath: z.string().min(1),
  weightsPath: z.string().min(1),
  embedder: z.enum(['local', 'openai']),
  /** Below this similarity a question given as text matches nothing in the bank. */
  matchThreshold: z.coerce.number().min(0).max(1),
  indexRebuild: z.enum(['auto', 'never']),
  openai: z.object({
    apiKey: z.string().optional(),
    baseUrl: z.url().optional(),
    embeddingModel: z.string().min(1),
  }),
  /** The scorer used when a request does not name one. */
  mode: gradingModeSchema,
  /** Why LLM mode was asked for but is not in effect; printed once as a notice. */
  modeNotice: z.string().optional(),
  llm: z.object({
    chatModel: z.string().min(1),
    temperature: z.coerce.number().min(0).max(2),
    timeoutMs: z.coerce.number().int().min(100),
    maxRetries: z.coerce.number().int().min(0).max(10),
    concurrency: z.coerce.number().int().min(1).max(256),
    samples: z.coerce.number().int().min(1).max(9),
    /** How the model is asked for structure: a forced tool call, or response_format json_schema. */
    structuredOutput: z.enum(['tool-calling', 'json-schema']),
    /** How far (0–1 of the scale) an LLM grade may exceed the local one on suspect answers. */
    guardMargin: z.coerce.number().min(0).max(1),
    cache: z.boolean(),
    cacheDirectory: z.string().min(1),
    prices: priceTableSchema,
  }),
  /** The shared PostgreSQL store (see docs/deploy.md); absent, everything stays in files. Never print it: it may hold a password. */
  databaseUrl: z.string().optional(),
});

export type AnswerkeyConfig = z.infer<typeof configSchema>;

/** Options a command line may set; each falls back to its environment variable, then a default. */
export interface ConfigOverrides {
  bankDirectory?: string;
  examplesDirectory?: string;
  exampleCount?: string | number;
  indexDirectory?: string;
  vectorsPath?: string;
  weightsPath?: string;
  embedder?: string;
  matchThreshold?: string | number;
  mode?: string;
  chatModel?: string;
  temperature?: string | number;
  timeoutMs?: string | number;
  maxRetries?: string | number;
  concurrency?: string | number;
  samples?: string | number;
  /** false for --no-cache. */
  cache?: boolean;
  databaseUrl?: string;
}

type Environment = Record<string, string | undefined>;

/** How a person sets each setting, for error messages. */
const SETTING_NAMES: Record<string, string> = {
  bankDirectory: '--bank / ANSWERKEY_BANK_DIR',
  examplesDirectory: '--examples-dir / ANSWERKEY_EXAMPLES_DIR',
  exampleCount: '--examples / ANSWERKEY_EXAMPLE_COUNT',
  indexDirectory: '--index-dir / ANSWERKEY_INDEX_DIR',
  vectorsPath: '--vectors / ANSWERKEY_VECTORS_PATH',
  weightsPath: '--weights / ANSWERKEY_WEIGHTS_PATH',
  embedder: '--embedder / ANSWERKEY_EMBEDDER',
  matchThreshold: '--match-threshold / ANSWERKEY_MATCH_THRESHOLD',
  indexRebuild: 'ANSWERKEY_INDEX_REBUILD',
  'openai.baseUrl': 'OPENAI_BASE_URL',
  'openai.embeddingModel': 'ANSWERKEY_EMBEDDING_MODEL',
  mode: '--mode / ANSWERKEY_MODE',
  'llm.chatModel': '--model / ANSWERKEY_CHAT_MODEL',
  'llm.temperature': '--temperature / ANSWERKEY_LLM_TEMPERATURE',
  'llm.timeoutMs': '--timeout-ms / ANSWERKEY_LLM_TIMEOUT_MS',
  'llm.maxRetries': '--max-retries / ANSWERKEY_LLM_MAX_RETRIES',
  'llm.concurrency': '--concurrency / ANSWERKEY_LLM_CONCURRENCY',
  'llm.samples': '--samples / ANSWERKEY_LLM_SAMPLES',
  'llm.structuredOutput': 'ANSWERKEY_LLM_STRUCTURED_OUTPUT',
  'llm.guardMargin': 'ANSWERKEY_LLM_GUARD_MARGIN',
  'llm.cache': '--no-cache / ANSWERKEY_LLM_CACHE',
  'llm.cacheDirectory': 'ANSWERKEY_CACHE_DIR',
  'llm.prices': 'ANSWERKEY_LLM_PRICES',
  databaseUrl: DATABASE_URL_SETTING,
};

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function defaultCacheDirectory(environment: Environment): string {
  const base = nonEmpty(environment.XDG_CACHE_HOME) ?? join(homedir(), '.cache');
  return join(base, 'answerkey', 'llm');
}

function parsePrices(text: string | undefined): unknown {
  if (text === undefined) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AnswerkeyError('invalid_setting', 'invalid setting ANSWERKEY_LLM_PRICES: not JSON', {
      hint: 'write {"model": {"inputPerMillion": 0.15, "outputPerMillion": 0.6}}',
    });
  }
}

/** Flag, then ANSWERKEY_MODE; unset, LLM mode when a key is there. Asked for without a server, it falls back with a notice. */
function resolveMode(
  flag: string | undefined,
  environment: Environment,
  apiKey: string | undefined,
  baseUrl: string | undefined,
) {
  const asked = nonEmpty(flag) ?? nonEmpty(environment.ANSWERKEY_MODE);
  if (asked === undefined) return { mode: apiKey ? 'llm' : 'local' };
  if (asked === 'llm' && !apiKey && !baseUrl) {
    return {
      mode: 'local',
      modeNotice:
        'LLM mode needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local server); grading with the local scorer',
    };
  }
  return { mode: asked };
}

export function resolveConfig(
  overrides: ConfigOverrides = {},
  environment: Environment = process.env,
): AnswerkeyConfig {
  const pick = (flag: string | number | undefined, variable: string, fallback: string | number) =>
    (typeof flag === 'string' ? nonEmpty(flag) : flag) ?? nonEmpty(environment[variable]) ?? fallback;
  const apiKey = nonEmpty(environment.OPENAI_API_KEY);
  const baseUrl = nonEmpty(environment.OPENAI_BASE_URL);
  const cacheSetting = nonEmpty(environment.ANSWERKEY_LLM_CACHE);
  const bankDirectory = resolve(
    String(pick(overrides.bankDirectory, 'ANSWERKEY_BANK_DIR', DEFAULT_PATHS.bankDirectory)),
  );
  const candidate = {
    ...resolveMode(overrides.mode, environment, apiKey, baseUrl),
    bankDirectory,
    examplesDirectory: resolve(
      String(pick(overrides.examplesDirectory, 'ANSWERKEY_EXAMPLES_DIR', join(bankDirectory, 'examples'))),
    ),
    exampleCount: pick(overrides.exampleCount, 'ANSWERKEY_EXAMPLE_COUNT', 10),
    indexDirectory: resolve(
      String(pick(overrides.indexDirectory, 'ANSWERKEY_INDEX_DIR', DEFAULT_PATHS.indexDirectory)),
    ),
    vectorsPath: resolve(String(pick(overrides.vectorsPath, 'ANSWERKEY_VECTORS_PATH', DEFAULT_PATHS.vectorsPath))),
    weightsPath: resolve(String(pick(overrides.weightsPath, 'ANSWERKEY_WEIGHTS_PATH', DEFAULT_PATHS.weightsPath))),
    embedder: pick(overrides.embedder, 'ANSWERKEY_EMBEDDER', 'local'),
    matchThreshold: pick(overrides.matchThreshold, 'ANSWERKEY_MATCH_THRESHOLD', 0.38),
    indexRebuild: pick(undefined, 'ANSWERKEY_INDEX_REBUILD', 'auto'),
    openai: {
      apiKey,
      baseUrl,
      embeddingModel: nonEmpty(environment.ANSWERKEY_EMBEDDING_MODEL) ?? 'text-embedding-3-small',
    },
    llm: {
      chatModel: pick(overrides.chatModel, 'ANSWERKEY_CHAT_MODEL', 'gpt-4o-mini'),
      temperature: pick(overrides.temperature, 'ANSWERKEY_LLM_TEMPERATURE', 0),
      timeoutMs: pick(overrides.timeoutMs, 'ANSWERKEY_LLM_TIMEOUT_MS', 30_000),
      maxRetries: pick(overrides.maxRetries, 'ANSWERKEY_LLM_MAX_RETRIES', 3),
      concurrency: pick(overrides.concurrency, 'ANSWERKEY_LLM_CONCURRENCY', 8),
      samples: pick(overrides.samples, 'ANSWERKEY_LLM_SAMPLES', 1),
      structuredOutput: pick(undefined, 'ANSWERKEY_LLM_STRUCTURED_OUTPUT', 'tool-calling'),
      guardMargin: pick(undefined, 'ANSWERKEY_LLM_GUARD_MARGIN', 0.25),
      cache:
        overrides.cache === false
          ? false
          : cacheSetting === undefined
            ? true
            : !['off', '0', 'false', 'no'].includes(cacheSetting.toLowerCase()),
      cacheDirectory: resolve(nonEmpty(environment.ANSWERKEY_CACHE_DIR) ?? defaultCacheDirectory(environment)),
      prices: { ...DEFAULT_PRICES, ...(parsePrices(nonEmpty(environment.ANSWERKEY_LLM_PRICES)) as object) },
    },
    databaseUrl: resolveDatabaseUrl(overrides.databaseUrl, environment),
  };
  const result = configSchema.safeParse(candidate);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = formatIssuePath(issue.path);
    throw new AnswerkeyError(
      'invalid_setting',
      `invalid setting ${SETTING_NAMES[path] ?? path}: ${describeSettingIssue(issue, candidate)}`,
      { hint: 'check the setting (see .env.example)', details: { reason: 'setting_invalid' } },
    );
  }
  if (result.data.embedder === 'openai' && !result.data.openai.apiKey) {
    throw new AnswerkeyError('invalid_setting', 'the openai embedder needs OPENAI_API_KEY', {
      hint: 'set OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible server), or use the local embedder',
      details: { reason: 'openai_key_missing' },
    });
  }
  for (const { directory, setting, written } of directorySettings(result.data))
    if (written) assertOrdinaryFolder(directory, setting);
  return result.data;
}

/** A folder the program uses, with the flag and variable that set it, and whether it creates folders and files in it. */
export interface DirectorySetting {
  directory: string;
  setting: string;
  written: boolean;
}

/** The folders the program reads and writes, for saying which setting to change when one fails. */
export function directorySettings(config: AnswerkeyConfig): DirectorySetting[] {
  return [
    { directory: config.bankDirectory, setting: SETTING_NAMES.bankDirectory, written: false },
    { directory: config.examplesDirectory, setting: SETTING_NAMES.examplesDirectory, written: true },
    { directory: config.indexDirectory, setting: SETTING_NAMES.indexDirectory, written: true },
    { directory: config.llm.cacheDirectory, setting: SETTING_NAMES['llm.cacheDirectory'], written: true },
  ];
}
