import { describe, expect, it } from 'vitest';
import { clauseAt, dismissingClauses, isDismissive } from '../../src/grading/local-scorer/dismissal.js';

const dismissedTexts = (text: string) => dismissingClauses(text).map(([start, end]) => text.slice(start, end).trim());
const isDismissed = (text: string, quoted: string) => {
  const start = text.indexOf(quoted);
  return clauseAt(dismissingClauses(text), start, start + quoted.length) !== null;
};

describe('dismissing clauses', () => {
  it.each([
    ['Idempotency is overengineering because failures are rare in AWS.', 'Idempotency'],
    ['Dead letter queues just hide problems, so I never configure them.', 'Dead letter queues'],
    ['Circuit breakers are over-engineering for a single integration.', 'Circuit breakers'],
    ['Profilers are a waste of time in production.', 'Profilers'],
    [
      'Data augmentation just adds noise to the dataset, and cross-validation is too costly, so I skip both.',
      'cross-validation',
    ],
    ['Timeouts throw away work, so I never set them.', 'Timeouts'],
    ['Quantization and pruning are premature optimization.', 'pruning'],
    ["Integration tests against the real endpoints aren't needed for ML APIs.", 'Integration tests'],
    ['Caching is dangerous for an unreliable API.', 'Caching'],
    ['Early stopping wastes training time.', 'Early stopping'],
    ['Integration tests against real endpoints are flaky and slow, so they are not needed.', 'Integration tests'],
    ['Percentiles are too noisy; I watch the average.', 'Percentiles'],
    [
      'A big Postgres instance scales far enough, so the infinite-scale argument is marketing.',
      'infinite-scale argument',
    ],
  ])('dismisses what "%s" names', (text, quoted) => {
    expect(isDismissed(text, quoted)).toBe(true);
  });

  it.each([
    ['Retrying at once is pointless, so back off exponentially with jitter.', 'back off exponentially'],
    ['Caching is fine for reads, but I would never use it for writes.', 'Caching is fine for reads'],
    ['I use pytest, but only for unit tests: integration tests are not useful here.', 'I use pytest'],
    ['After a marketing campaign, the logs showed no errors, just slow requests.', 'the logs showed no errors'],
    ['Polling is a waste of money. Use S3 event notifications into SQS instead.', 'Use S3 event notifications'],
    ["I read the planner's chosen path to see where a query wastes time.", "I read the planner's chosen path"],
    ['When the provider is down I serve stale data from the cache.', 'I serve stale data from the cache'],
    ['Polling wakes the function for nothing, so it is pointless; use S3 events instead.', 'use S3 events instead'],
    [
      'Integration tests catch wiring bugs, but mocks alone are not needed there.',
      'Integration tests catch wiring bugs',
    ],
    [
      'Retrying non-idempotent POSTs is dangerous, so I only retry idempotent calls with backoff.',
      'I only retry idempotent calls with backoff',
    ],
  ])('leaves the rest of "%s" alone', (text, quoted) => {
    expect(isDismissed(text, quoted)).toBe(false);
  });

  it("ends a refusal's reach at its sentence", () => {
    expect(dismissedTexts('We keep a dead letter queue. Retries are overkill, so I never use them.')).toEqual([
      'Retries are overkill',
      'I never use them',
    ]);
  });

  it('knows a key point that itself dismisses something', () => {
    expect(isDismissive('Avoid premature optimization until a profiler shows the hot spot')).toBe(true);
    expect(isDismissive('Use exponential backoff with jitter between retries')).toBe(false);
  });
});
