import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { llmVerdictSchema, type LlmVerdict } from './llm-verdict-schema.js';
import { sha256 } from '../text/sha256.js';

const cachedReplySchema = z.object({
  verdict: llmVerdictSchema,
  promptTokens: z.number().int().min(0),
  completionTokens: z.number().int().min(0),
});

export type CachedReply = z.infer<typeof cachedReplySchema>;

export type ResponseCache = {
  get(key: string): Promise<LlmVerdict | undefined>;
  set(key: string, reply: CachedReply): Promise<void>;
};

/** The cache key: sha256 of everything that decides the reply (never of the random delimiter). */
export function cacheKey(parts: unknown): string {
  return sha256(JSON.stringify(parts));
}

/**
 * Validated verdicts as JSON files named by key, in two-letter sub-folders. An unreadable or
 * invalid file is a miss, and a write that fails is ignored: the cache only ever saves calls.
 */
export function createResponseCache(directory: string): ResponseCache {
  const pathOf = (key: string) => join(directory, key.slice(0, 2), `${key}.json`);
  return {
    async get(key) {
      try {
        const parsed = cachedReplySchema.safeParse(JSON.parse(await readFile(pathOf(key), 'utf8')));
        return parsed.success ? parsed.data.verdict : undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, reply) {
      const path = pathOf(key);
      const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await mkdir(join(directory, key.slice(0, 2)), { recursive: true });
        await writeFile(temporary, JSON.stringify(reply));
        await rename(temporary, path);
      } catch {
        // A read-only or full disk costs a repeated call later, not this grade.
      }
    },
  };
}

export const NO_CACHE: ResponseCache = { get: async () => undefined, set: async () => undefined };
