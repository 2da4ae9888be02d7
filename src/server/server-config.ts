import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AnswerkeyError } from '../errors/answerkey-error.js';
import { describeSettingIssue } from '../config/setting-issue.js';
import { formatIssuePath } from '../errors/format-issue-path.js';
import { sha256 } from '../text/sha256.js';

/** grade: POST grades; read: the GETs under /v1; examples: store and delete graded examples, which steer every later grade. */
export const API_SCOPES = ['grade', 'read', 'examples'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** A bare "token": what every key could do before the examples scope, so existing keys keep working as they did. */
const BARE_TOKEN_SCOPES: readonly ApiScope[] = ['grade', 'read'];
/** An interviewer who may store graded examples may also grade and read them. */
const IMPLIED_SCOPES: Record<ApiScope, readonly ApiScope[]> = { grade: [], read: [], examples: ['grade', 'read'] };

export interface ApiKey {
  /**
   * A short, non-secret name for logs, rate limiting and the review log: the one given as
   * "name=token", else "key-" and the first 8 hex digits of the token's SHA-256 (stable however the
   * keys are ordered, and telling nothing usable about the token).
   */
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

/** "name=" before a key: letters, digits and . _ @ -, starting with a letter, at most 64. */
const NAMED_KEY = /^([A-Za-z][\w.@-]{0,63})=(.+)$/;
const MIN_TOKEN_LENGTH = 16;

/** The key's name and the rest; a token that merely contains "=" (base64 padding, say) is not named. */
function splitName(entry: string): { name: string | undefined; rest: string } {
  const match = NAMED_KEY.exec(entry);
  if (!match || match[2].split(':')[0].length < MIN_TOKEN_LENGTH) return { name: undefined, rest: entry };
  return { name: match[1], rest: match[2] };
}

/**
 * "token" (grade and read), "token:read", "token:examples" (examples, grade and read) or any
 * "+"-joined list such as "token:grade+read", each optionally named ("alice=token:examples"),
 * comma- or newline-separated.
 */
export function parseApiKeys(text: string): ApiKey[] {
  const keys = text
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry && !entry.startsWith('#'))
    .map((entry, index) => {
      const { name, rest } = splitName(entry);
      const [token, scopeList] = rest.split(':');
      if (token.length < MIN_TOKEN_LENGTH) {
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
      return { name: name ?? `key-${sha256(token).slice(0, 8)}`, token, scopes: new Set(scopes) };
    });
  const names = keys.map((key) => key.name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) {
    throw new AnswerkeyError('invalid_config', `two API keys are named "${repeated}"`, {
      hint: 'give each key its own name (name=token)',
    });
  }
  return keys;
}

export function resolveServerConfig(
  overrides: ServerOverrides = {},
  environment: Environment = process.env,
): ServerConfig {
  const value = (variable: string) => (environment[variable]?.trim() ? environment[variable]?.trim() : undefined);
  const candidate = {
    port: overrides.port ?? value('PORT') ?? 8787,
    host: overrides.host ?? value('HOST') ?? '127.0.0.1',
    bodyLimit: value('ANSWERKEY_BODY_LIMIT') ?? '256kb',
    batchMaxItems: value('ANSWERKEY_BATCH_MAX_ITEMS') ?? 100,
    batchConcurrency: value('ANSWERKEY_BATCH_CONCURRENCY') ?? 4,
    rateLimitPerMinute: value('ANSWERKEY_RATE_LIMIT_PER_MINUTE') ?? 600,
    exampleWritesPerMinute: value('ANSWERKEY_EXAMPLE_WRITES_PER_MINUTE') ?? 30,
    corsOrigins: (value('ANSWERKEY_CORS_ORIGINS') ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    logAnswers: value('ANSWERKEY_LOG_ANSWERS') === '1',
    logLevel: value('ANSWERKEY_LOG_LEVEL') ?? 'info',
  };
  const result = serverConfigSchema.safeParse(candidate);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = formatIssuePath(issue.path);
    throw new AnswerkeyError(
      'invalid_setting',
      `invalid setting ${SETTING_NAMES[path] ?? path}: ${describeSettingIssue(issue, candidate)}`,
      {
        hint: 'see `answerkey serve --help` and .env.example for the server settings',
      },
    );
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
