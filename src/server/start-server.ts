import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { Grader } from '../grading/grader.js';
import { createApp } from './create-app.js';
import type { ServerConfig } from './server-config.js';

export interface RunningServer {
  server: Server;
  url: string;
  /** Stops taking connections, lets requests in flight finish (up to `graceMilliseconds`), then closes. */
  close(graceMilliseconds?: number): Promise<void>;
}

export interface StartServerOptions {
  grader: Grader;
  config: ServerConfig;
  logger: Logger;
  version: string;
}

export async function startServer({ grader, config, logger, version }: StartServerOptions): Promise<RunningServer> {
  // Loading the index and the bank up front: /readyz turns 200 once they are in memory.
  const ready = grader.warmUp();
  const { app } = createApp({ grader, config, logger, version, ready });
  const server = app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    server,
    url: `http://${host}:${port}`,
    close: (graceMilliseconds = 10_000) =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), graceMilliseconds);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
