import type express from 'express';
import type { Metrics } from '../metrics.js';

/** Counts each request by method, route and status, and times it by route, once it has finished. */
export function requestMetrics(metrics: Metrics): express.RequestHandler {
  return (request, response, next) => {
    const stop = metrics.latency.startTimer();
    response.on('finish', () => {
      const route = request.route?.path ? `${request.baseUrl}${request.route.path}` : 'unmatched';
      metrics.requests.inc({ method: request.method, route, status: String(response.statusCode) });
      stop({ route });
    });
    next();
  };
}
