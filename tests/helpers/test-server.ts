import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createApp } from '../../src/server/create-app.js';
import { resolveServerConfig } from '../../src/server/server-config.js';
import type { ConfigOverrides } from '../../src/config/config.js';
import type { GraderOptions } from '../../src/app/create-grader.js';
import { createTestGrader } from './test-grader.js';

/**
 * The real app on 127.0.0.1:0 with fresh index and examples folders; log lines are collected, not printed.
 * `graderOptions.indexStore` lets a test fake how the grader builds and opens its index.
 */
export async function startTestServer(
  environment: Record<string, string> = {},
  ready: Promise<void> = Promise.resolve(),
  overrides: ConfigOverrides = {},
  graderOptions: Pick<GraderOptions, 'indexStore'> = {},
) {
  const { grader, notices } = createTestGrader(overrides, graderOptions);
  const logs: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const config = resolveServerConfig({ port: 0, host: '127.0.0.1' }, environment);
  const { app } = createApp({ grader, config, logger, version: '0.0.0-test', ready });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    logs,
    grader,
    /** The grader's notices (`answerkey serve` logs them). */
    notices,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    post: (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    get: (path: string, headers: Record<string, string> = {}) => fetch(`${url}${path}`, { headers }),
    delete: (path: string, headers: Record<string, string> = {}) =>
      fetch(`${url}${path}`, { method: 'DELETE', headers }),
  };
}

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;
