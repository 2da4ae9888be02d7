import { randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { Database } from '../database/database.js';
import { AnswerkeyError } from '../errors/answerkey-error.js';
import type { ExampleAdmin, Grader, IndexAdmin } from '../app/grader.js';
import { MAX_HEADER_BYTES, MAX_QUESTION_CHARACTERS } from './api-schemas.js';
import { createApp } from './create-app.js';
import { parserProblem, problemDocument } from './middleware/error-handler.js';
import type { ServerConfig } from './server-config.js';

export interface RunningServer {
  server: Server;
  url: string;
  /** Stops taking connections, lets requests in flight finish (up to `graceMilliseconds`), then closes. */
  close(graceMilliseconds?: number): Promise<void>;
}

export interface StartServerOptions {
  grader: Grader & ExampleAdmin & IndexAdmin;
  /** The database the grader's stores are in, when one is configured (rate limits, /readyz). */
  database?: Database;
  config: ServerConfig;
  logger: Logger;
  version: string;
}

/**
 * Why the server could not listen, as a user-facing error: a host that names no address of this
 * machine is a mistaken --host (a usage error); a port in use or reserved is not. Undefined for
 * any other error.
 */
export function listenError(error: unknown, host: string, port: number): AnswerkeyError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const where = `${host}:${port}`;
  const hostHint =
    'pass --host (or set HOST) to an address of this machine, e.g. 127.0.0.1, or 0.0.0.0 for every interface';
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new AnswerkeyError(
        'invalid_setting',
        `cannot listen on ${where}: "${host}" is not a known host name or address`,
        { hint: hostHint, cause: error },
      );
    case 'EADDRNOTAVAIL':
      return new AnswerkeyError(
        'invalid_setting',
        `cannot listen on ${where}: ${host} is not an address of this machine`,
        { hint: hostHint, cause: error },
      );
    case 'EADDRINUSE':
      return new AnswerkeyError('invalid_config', `cannot listen on ${where}: the port is already in use`, {
        hint: 'stop what is using it, or pass --port (or set PORT) to another port',
        cause: error,
      });
    case 'EACCES':
    case 'EPERM':
      return new AnswerkeyError('invalid_config', `cannot listen on ${where}: permission denied`, {
        hint: 'ports below 1024 need privileges: pass --port (or set PORT) to 1024 or above, e.g. 8787',
        cause: error,
      });
    default:
      return undefined;
  }
}

export async function startServer({
  grader,
  config,
  logger,
  version,
  database,
}: StartServerOptions): Promise<RunningServer> {
  // The index and the bank are loaded once the server listens: /readyz turns 200 once they are in memory.
  let listening!: () => void;
  const ready = new Promise<void>((resolve) => (listening = resolve)).then(() => grader.warmUp());
  const { app } = createApp({ grader, config, logger, version, ready, database });
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, app);
  // Requests the HTTP parser refuses never reach express and its error middleware: answered here, in the same problem+json.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const requestId = randomUUID();
    const { status, detail, errors } = parserProblem(error, MAX_HEADER_BYTES, MAX_QUESTION_CHARACTERS);
    logger.warn({ requestId, code: error.code, status }, `request refused: ${detail}`);
    const body = JSON.stringify(problemDocument(status, detail, requestId, errors ? { errors } : {}));
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  server.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (error) => reject(listenError(error, config.host, config.port) ?? error));
  });
  listening();
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
