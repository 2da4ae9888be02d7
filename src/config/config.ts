import { resolve } from 'node:path';
import { z } from 'zod';
import { AnswerkeyError } from '../errors/answerkey-error.js';
import { formatIssuePath } from '../rubrics/rubric-schema.js';
import { DEFAULT_PATHS } from './paths.js';

export const configSchema = z.object({
  bankDirectory: z.string().min(1),
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
});

export type AnswerkeyConfig = z.infer<typeof configSchema>;

/** Options a command line may set; each falls back to its environment variable, then a default. */
export interface ConfigOverrides {
  bankDirectory?: string;
  indexDirectory?: string;
  vectorsPath?: string;
  weightsPath?: string;
  embedder?: string;
  matchThreshold?: string | number;
}

type Environment = Record<string, string | undefined>;

/** How a person sets each setting, for error messages. */
const SETTING_NAMES: Record<string, string> = {
  bankDirectory: '--bank / ANSWERKEY_BANK_DIR',
  indexDirectory: '--index-dir / ANSWERKEY_INDEX_DIR',
  vectorsPath: '--vectors / ANSWERKEY_VECTORS_PATH',
  weightsPath: '--weights / ANSWERKEY_WEIGHTS_PATH',
  embedder: '--embedder / ANSWERKEY_EMBEDDER',
  matchThreshold: '--match-threshold / ANSWERKEY_MATCH_THRESHOLD',
  indexRebuild: 'ANSWERKEY_INDEX_REBUILD',
  'openai.baseUrl': 'OPENAI_BASE_URL',
  'openai.embeddingModel': 'ANSWERKEY_EMBEDDING_MODEL',
};

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function resolveConfig(overrides: ConfigOverrides = {}, environment: Environment = process.env): AnswerkeyConfig {
  const pick = (flag: string | number | undefined, variable: string, fallback: string | number) =>
    (typeof flag === 'string' ? nonEmpty(flag) : flag) ?? nonEmpty(environment[variable]) ?? fallback;
  const candidate = {
    bankDirectory: resolve(String(pick(overrides.bankDirectory, 'ANSWERKEY_BANK_DIR', DEFAULT_PATHS.bankDirectory))),
    indexDirectory: resolve(String(pick(overrides.indexDirectory, 'ANSWERKEY_INDEX_DIR', DEFAULT_PATHS.indexDirectory))),
    vectorsPath: resolve(String(pick(overrides.vectorsPath, 'ANSWERKEY_VECTORS_PATH', DEFAULT_PATHS.vectorsPath))),
    weightsPath: resolve(String(pick(overrides.weightsPath, 'ANSWERKEY_WEIGHTS_PATH', DEFAULT_PATHS.weightsPath))),
    embedder: pick(overrides.embedder, 'ANSWERKEY_EMBEDDER', 'local'),
    matchThreshold: pick(overrides.matchThreshold, 'ANSWERKEY_MATCH_THRESHOLD', 0.38),
    indexRebuild: pick(undefined, 'ANSWERKEY_INDEX_REBUILD', 'auto'),
    openai: {
      apiKey: nonEmpty(environment.OPENAI_API_KEY),
      baseUrl: nonEmpty(environment.OPENAI_BASE_URL),
      embeddingModel: nonEmpty(environment.ANSWERKEY_EMBEDDING_MODEL) ?? 'text-embedding-3-small',
    },
  };
  const result = configSchema.safeParse(candidate);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = formatIssuePath(issue.path);
    throw new AnswerkeyError('invalid_config', `invalid setting ${SETTING_NAMES[path] ?? path}: ${issue.message}`, {
      hint: 'check the flag or environment variable (see .env.example)',
    });
  }
  if (result.data.embedder === 'openai' && !result.data.openai.apiKey) {
    throw new AnswerkeyError('invalid_config', 'the openai embedder needs OPENAI_API_KEY', {
      hint: 'set OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible server), or use --embedder local',
    });
  }
  return result.data;
}
