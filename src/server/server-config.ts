import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AnswerkeyError } from '../errors/answerkey-error.js';
import { describeSettingIssue } from '../config/setting-issue.js';
import { formatIssuePath } from '../rubrics/rubric-schema.js';

/** grade: POST grades; read: the GETs under /v1; examples: store and delete graded examples, which steer every later grade. */
export const API_SCOPES = ['grade', 'read', 'examples'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** A bare "token": what every key could do before the examples scope, so existing keys keep working as they did. */
const BARE_TOKEN_SCOPES: readonly ApiScope[] = ['grade', 'read'];
/** An interviewer who may store graded examples may also grade and read them. */
const IMPLIED_SCOPES: Record<ApiScope, readonly ApiScope[]> = { grade: [], read: [], examples: ['grade', 'read'] };

export interface ApiKey {
  /** A short, non-secret name for logs and rate limiting (the key's position). */
  name: string;
  token: string;
  scopes: ReadonlySet<ApiScope>;
}

const serverConfigSchema = z.object({
  port: z.coerce.number().int().min(0).max(65_535),
  host: z.string().min(1),
  bodyLimit: z.string().regex(/^\d+(?:kb|mb)$/i, 'use a size such as 256kb or 1mb'),
  batchMaxItems: z.coerce.number().int().min(1).max(10_000),
  batchConcurrency: z.coerce.number().int().min(1).max(64),
  rateLimitPerMinute: z.coerce.number().int().min(1),
  exampleWritesPerMinute: z.coerce.number().int().min(1),
  corsOrigins: z.array(z.string().min(1)),
  logAnswers: z.boolean(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
});

/** How a person sets each server setting, for error messages. */
const SETTING_NAMES: Record<string, string> = {
  port: '--port / PORT',
  host: '--host / HOST',
  bodyLimit: 'ANSWERKEY_BODY_LIMIT',
  batchMaxItems: 'ANSWERKEY_BATCH_MAX_ITEMS',
  batchConcurrency: 'ANSWERKEY_BATCH_CONCURRENCY',
  rateLimitPerMinute: 'ANSWERKEY_RATE_LIMIT_PER_MINUTE',
  exampleWritesPerMinute: 'ANSWERKEY_EXAMPLE_WRITES_PER_MINUTE',
  logLevel: 'ANSWERKEY_LOG_LEVEL',
};

export type ServerConfig = z.infer<typeof serverConfigSchema> & { apiKeys: ApiKey[] };

export interface ServerOverrides {
  port?: string | number;
  host?: string;
}

type Environment = Record<string, string | undefined>;

/**
 * "token" (grade and read), "token:read", "token:examples" (examples, grade and read) or any
 * "+"-joined list such as "token:grade+read", comma- or newline-separated.
 */
export function parseApiKeys(text: string): ApiKey[] {
  return text
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry && !entry.startsWith('#'))
    .map((entry, index) => {
      const [token, scopeList] = entry.split(':');
      if (token.length < 16) {
        throw new AnswerkeyError('invalid_config', `API key ${index + 1} is shorter than 16 characters`, {
          hint: 'use long random keys, e.g. `openssl rand -hex 24`',
        });
      }
      const named = scopeList ? scopeList.split('+').map((scope) => scope.trim()) : [...BARE_TOKEN_SCOPES];
      for (const scope of named) {
        if (!(API_SCOPES as readonly string[]).includes(scope)) {
          throw new AnswerkeyError('invalid_config', `API key ${index + 1} has an unknown scope "${scope}"`, {
            hint: `scopes are ${API_SCOPES.join(', ')} (write token:read, token:grade+read or token:examples)`,
          });
        }
      }
      const scopes = (named as ApiScope[]).flatMap((scope) => [scope, ...IMPLIED_SCOPES[scope]]);
      return { name: `key-${index + 1}`, token, scopes: new Set(scopes) };
    });
}

export function resolveServerConfig(overrides: ServerOverrides = {}, environment: Environment = process.env): ServerConfig {
  const value = (variable: string) => (environment[variable]?.trim() ? environment[variable]?.trim() : undefined);
  const candidate = {
    port: overrides.port ?? value('PORT') ?? 8787,
    host: overrides.host ?? value('HOST') ?? '127.0.0.1',
    bodyLimit: value('ANSWERKEY_BODY_LIMIT') ?? '256kb',
    batchMaxItems: value('ANSWERKEY_BATCH_MAX_ITEMS') ?? 100,
    batchConcurrency: value('ANSWERKEY_BATCH_CONCURRENCY') ?? 4,
    rateLimitPerMinute: value('ANSWERKEY_RATE_LIMIT_PER_MINUTE') ?? 600,
    exampleWritesPerMinute: value('ANSWERKEY_EXAMPLE_WRITES_PER_MINUTE') ?? 30,
    corsOrigins: (value('ANSWERKEY_CORS_ORIGINS') ?? '').split(',').map((origin) => origin.trim()).filter(Boolean),
    logAnswers: value('ANSWERKEY_LOG_ANSWERS') === '1',
    logLevel: value('ANSWERKEY_LOG_LEVEL') ?? 'info',
  };
  const result = serverConfigSchema.safeParse(candidate);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = formatIssuePath(issue.path);
    throw new AnswerkeyError('invalid_setting', `invalid setting ${SETTING_NAMES[path] ?? path}: ${describeSettingIssue(issue, candidate)}`, {
      hint: 'see `answerkey serve --help` and .env.example for the server settings',
    });
  }
  let keysText = value('ANSWERKEY_API_KEYS') ?? '';
  const keysFile = value('ANSWERKEY_API_KEYS_FILE');
  if (keysFile) {
    try {
      keysText += `\n${readFileSync(keysFile, 'utf8')}`;
    } catch (error) {
      throw new AnswerkeyError('invalid_config', `cannot read ANSWERKEY_API_KEYS_FILE ${keysFile}`, { cause: error });
    }
  }
  return { ...result.data, apiKeys: parseApiKeys(keysText) };
}
