import { z } from 'zod';
import type { Queryable } from '../database/database.js';
import { sleepUnlessStopped } from './call-deadline.js';

/** Asked before every request to the model server (each retry too): resolves when one may be sent. */
export interface RequestGate {
  take(): Promise<void>;
}

export interface SharedRequestLimitOptions {
  /** The database every process that calls this provider shares. */
  database: Queryable;
  /** What is limited, e.g. "llm-requests:api.openai.com": one counter per key and minute. */
  key: string;
  /** Requests allowed per calendar minute (of the database's clock), by all processes together. */
  perMinute: number;
  /** Ctrl-C, SIGTERM: a wait for the next minute ends as an interruption. */
  stop?: AbortSignal;
  /** Spreads the processes that waited for a new minute over this many milliseconds, so they do not all ask at its first instant. Default 250. */
  jitterMs?: number;
}

const takenSchema = z.object({ count: z.coerce.number().int() });
const waitSchema = z.object({ seconds: z.coerce.number() });

/**
 * A limit of `perMinute` requests per minute shared by every process on the database: each request
 * adds one to the counter of the key and the current minute (rate_limit_counters), in one
 * statement that adds only while the count is below the limit, so two processes can never both
 * take the last one. When the minute is used up, it waits for the next minute by the database's
 * clock and asks again. Minutes are calendar minutes: within any 60 seconds that straddle two of
 * them, up to twice the limit may be sent.
 */
export function createSharedRequestLimit(options: SharedRequestLimitOptions): RequestGate {
  const { database, key, perMinute, stop, jitterMs = 250 } = options;
  return {
    async take() {
      for (;;) {
        const taken = await database.query(
          `INSERT INTO rate_limit_counters (key, window_start, count)
             VALUES ($1, date_trunc('minute', clock_timestamp()), 1)
           ON CONFLICT (key, window_start)
             DO UPDATE SET count = rate_limit_counters.count + 1 WHERE rate_limit_counters.count < $2
           RETURNING count`,
          [key, perMinute],
        );
        if (taken.rows.length > 0) {
          takenSchema.parse(taken.rows[0]);
          return;
        }
        const { rows } = await database.query(
          `SELECT extract(epoch FROM date_trunc('minute', clock_timestamp()) + interval '1 minute' - clock_timestamp()) AS seconds`,
        );
        const { seconds } = waitSchema.parse(rows[0]);
        await sleepUnlessStopped(Math.max(0, seconds * 1000) + Math.random() * jitterMs, stop);
      }
    },
  };
}

/** The counters' key for requests to one provider: its host (api.openai.com when no base URL is set). */
export function requestLimitKey(baseUrl: string | undefined): string {
  let host = 'api.openai.com';
  if (baseUrl) {
    try {
      host = new URL(baseUrl).host;
    } catch {
      host = baseUrl;
    }
  }
  return `llm-requests:${host}`;
}
