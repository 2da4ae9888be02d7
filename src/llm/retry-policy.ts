import { isInterruption, sleepUnlessStopped } from './call-deadline.js';

export type RetryPolicyConfig = {
  maxRetries: number;
  /** First backoff; doubled on each retry, then drawn uniformly below it (full jitter). */
  baseDelayMs: number;
  maxDelayMs: number;
  random?: () => number;
  sleep?: (milliseconds: number) => Promise<void>;
  onRetry?: (reason: string, delayMs: number) => void;
  /** Ctrl-C or SIGTERM: no more waiting or retrying. */
  stop?: AbortSignal;
};

/** The server asked to wait longer than the retry budget: fail over now rather than retry early and be refused again. */
export class RetryAfterTooLong extends Error {
  readonly asked: number;
  constructor(askedMs: number, budgetMs: number, cause: unknown) {
    super(
      `the server asked to wait ${Math.round(askedMs / 1000)} s before retrying, more than the ${Math.round(budgetMs / 1000)} s a retry may wait`,
      { cause },
    );
    this.asked = askedMs;
  }
}

export const DEFAULT_BACKOFF = { baseDelayMs: 500, maxDelayMs: 20_000 } as const;

type ErrorShape = { status?: number; name?: string; code?: string; headers?: unknown; message?: string };

function headerOf(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** How long the server asked us to wait (Retry-After in seconds or as a date, or retry-after-ms), if it did. */
export function retryAfterMs(error: unknown, now: number = Date.now()): number | undefined {
  const headers = (error as ErrorShape | undefined)?.headers;
  const milliseconds = Number(headerOf(headers, 'retry-after-ms'));
  if (Number.isFinite(milliseconds) && milliseconds >= 0 && headerOf(headers, 'retry-after-ms') !== undefined)
    return milliseconds;
  const value = headerOf(headers, 'retry-after');
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A short machine name of the failure, for metrics and rationales. */
export function failureReason(error: unknown): string {
  if (error instanceof RetryAfterTooLong) return 'retry_after_too_long';
  if (isInterruption(error)) return 'interrupted';
  const shape = error as ErrorShape | undefined;
  if (shape?.name === 'TimeoutError' || /timed? ?out/i.test(shape?.message ?? '')) return 'timeout';
  if (typeof shape?.status === 'number') return shape.status === 429 ? 'rate_limited' : `http_${shape.status}`;
  if (
    shape?.name === 'APIConnectionError' ||
    shape?.code === 'ECONNREFUSED' ||
    /connection error/i.test(shape?.message ?? '')
  )
    return 'connection';
  return 'error';
}

/** Rate limits, server errors, timeouts and dropped connections pass; a 4xx the server means does not. */
export function isRetryable(error: unknown): boolean {
  const reason = failureReason(error);
  if (reason === 'interrupted' || reason === 'retry_after_too_long') return false;
  if (reason === 'timeout' || reason === 'connection' || reason === 'rate_limited') return true;
  const status = (error as ErrorShape | undefined)?.status;
  return typeof status === 'number' && (status >= 500 || status === 408 || status === 409);
}

export function backoffMs(
  attempt: number,
  config: Pick<RetryPolicyConfig, 'baseDelayMs' | 'maxDelayMs' | 'random'>,
): number {
  const ceiling = Math.min(config.maxDelayMs, config.baseDelayMs * 2 ** attempt);
  return Math.round((config.random ?? Math.random)() * ceiling);
}

/**
 * Calls `call` until it succeeds, a failure is not worth retrying, or retries run out. Only a
 * successful call returns, so what it returns (tokens included) is counted once.
 */
export async function withRetries<T>(call: () => Promise<T>, config: RetryPolicyConfig): Promise<T> {
  const sleep = config.sleep ?? ((milliseconds: number) => sleepUnlessStopped(milliseconds, config.stop));
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= config.maxRetries || !isRetryable(error)) throw error;
      const asked = retryAfterMs(error);
      // Retrying before the time asked is refused again and may lengthen the ban: past the budget, give up.
      if (asked !== undefined && asked > config.maxDelayMs)
        throw new RetryAfterTooLong(asked, config.maxDelayMs, error);
      const delay = asked !== undefined ? asked : backoffMs(attempt, config);
      config.onRetry?.(failureReason(error), delay);
      await sleep(delay);
    }
  }
}
