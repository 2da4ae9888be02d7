import type { Store } from 'express-rate-limit';
import { z } from 'zod';
import type { Queryable } from '../../database/database.js';

const counterSchema = z.object({ count: z.coerce.number().int(), window_start: z.date() });

/** The start of the current window of `$2` milliseconds, by the database's clock (so every replica agrees). */
const CURRENT_WINDOW = `to_timestamp(floor(extract(epoch FROM clock_timestamp()) * 1000 / $2::numeric) * $2::numeric / 1000)`;

/**
 * express-rate-limit's Store on the database's rate_limit_counters, so that every API replica counts
 * against one limit: one row per key and window (windows of the limiter's windowMs, aligned to the
 * database's clock), incremented in one statement, so two replicas never both take the last request.
 * `name` sets each limiter's counters apart from the others' (and from the LLM limit's). Counters of
 * windows that have passed are deleted now and then.
 */
export function createDatabaseRateLimitStore(database: Queryable, name: string): Store {
  let windowMs = 60_000;
  let prunedAt = 0;
  const prefix = `api:${name}:`;
  const counter = (rows: Record<string, unknown>[]) =>
    rows[0] === undefined ? undefined : counterSchema.parse(rows[0]);

  function pruneNowAndThen(): void {
    if (Date.now() - prunedAt < windowMs) return;
    prunedAt = Date.now();
    // Best effort: a failed deletion is tried again a window later, and the limit holds meanwhile.
    database
      .query(
        `DELETE FROM rate_limit_counters WHERE starts_with(key, $1) AND window_start < clock_timestamp() - 2 * $2::numeric * interval '1 millisecond'`,
        [prefix, windowMs],
      )
      .catch(() => undefined);
  }

  return {
    prefix,
    localKeys: false,
    init(options) {
      windowMs = options.windowMs;
    },
    async get(key) {
      const { rows } = await database.query(
        `SELECT count, window_start FROM rate_limit_counters WHERE key = $1 AND window_start = ${CURRENT_WINDOW}`,
        [prefix + key, windowMs],
      );
      const found = counter(rows);
      return found && { totalHits: found.count, resetTime: new Date(found.window_start.getTime() + windowMs) };
    },
    async increment(key) {
      const { rows } = await database.query(
        `INSERT INTO rate_limit_counters (key, window_start, count) VALUES ($1, ${CURRENT_WINDOW}, 1)
         ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limit_counters.count + 1
         RETURNING count, window_start`,
        [prefix + key, windowMs],
      );
      pruneNowAndThen();
      const { count, window_start } = counterSchema.parse(rows[0]);
      return { totalHits: count, resetTime: new Date(window_start.getTime() + windowMs) };
    },
    async decrement(key) {
      await database.query(
        `UPDATE rate_limit_counters SET count = greatest(count - 1, 0) WHERE key = $1 AND window_start = ${CURRENT_WINDOW}`,
        [prefix + key, windowMs],
      );
    },
    async resetKey(key) {
      await database.query('DELETE FROM rate_limit_counters WHERE key = $1', [prefix + key]);
    },
  };
}
