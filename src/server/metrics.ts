import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one app instance (a registry each, so tests can make many apps). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    requests: new Counter({
      name: 'answerkey_http_requests_total',
      help: 'HTTP requests by method, route and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'answerkey_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['route'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    grades: new Counter({
      name: 'answerkey_grades_total',
      help: 'Answers graded, by mode and band',
      labelNames: ['mode', 'band'] as const,
      registers: [registry],
    }),
    llmTokens: new Counter({
      name: 'answerkey_llm_tokens_total',
      help: 'Tokens used by the language model, by kind (prompt, completion)',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    llmErrors: new Counter({
      name: 'answerkey_llm_errors_total',
      help: 'Language model calls that failed, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
