import { connect } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  lookupResponseSchema,
  MAX_HEADER_BYTES,
  MAX_QUESTION_CHARACTERS,
  problemSchema,
} from '../../src/server/api-schemas.js';
import { resolveServerConfig } from '../../src/server/server-config.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { createTestGrader } from '../helpers/test-grader.js';

/** `answerkey serve`'s own HTTP server (its header limit and parser errors), on port 0. */
describe('the HTTP server of answerkey serve', () => {
  let running: RunningServer;
  const logs: Array<Record<string, unknown>> = [];
  beforeAll(async () => {
    const { grader } = createTestGrader();
    const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
    running = await startServer({
      grader,
      config: resolveServerConfig({ port: 0, host: '127.0.0.1' }, {}),
      logger,
      version: '0.0.0-test',
    });
  });
  afterAll(() => running.close(0));

  const browserHeaders = {
    'user-agent': 'Mozilla/5.0 '.repeat(10),
    accept: 'application/json, application/problem+json',
    'accept-language': 'hi-IN,hi;q=0.9,en;q=0.8',
  };

  it('takes a lookup at the limit of q, fully percent-encoded three-byte text, and answers one over it with 400', async () => {
    // "क" is three bytes of UTF-8, nine characters percent-encoded: 18,000 bytes of URL at the limit.
    const atLimit = encodeURIComponent('क'.repeat(MAX_QUESTION_CHARACTERS));
    expect(atLimit.length).toBeGreaterThan(16 * 1024);
    const response = await fetch(`${running.url}/v1/lookup?by=answer&limit=20&q=${atLimit}`, {
      headers: browserHeaders,
    });
    expect(response.status).toBe(200);
    lookupResponseSchema.parse(await response.json());

    const over = await fetch(
      `${running.url}/v1/lookup?q=${encodeURIComponent('क'.repeat(MAX_QUESTION_CHARACTERS + 1))}`,
      { headers: browserHeaders },
    );
    expect(over.status).toBe(400);
    expect(over.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(problemSchema.parse(await over.json()).errors).toEqual([
      { path: 'q', message: 'must be at most 2,000 characters' },
    ]);
  });

  it('answers headers over its limit with a 431 problem document saying what to shorten', async () => {
    const response = await fetch(`${running.url}/v1/lookup?q=${'a'.repeat(MAX_HEADER_BYTES)}`);
    expect(response.status).toBe(431);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = problemSchema.parse(await response.json());
    expect(problem).toMatchObject({
      status: 431,
      title: 'Request header fields too large',
      requestId: response.headers.get('x-request-id'),
    });
    expect(problem.detail).toBe(
      "the request line and headers exceed 32,768 bytes (shorten the URL or the headers; lookup's q holds at most 2,000 characters)",
    );
    expect(logs.some((line) => line.requestId === problem.requestId && line.status === 431)).toBe(true);
  });

  it('answers a request that is not HTTP with a 400 problem document with errors', async () => {
    const { port } = new URL(running.url);
    const reply = await new Promise<string>((resolve, reject) => {
      let text = '';
      // A space in a header name is not HTTP (fetch would refuse to send it).
      const socket = connect(Number(port), '127.0.0.1', () =>
        socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nbad header: x\r\n\r\n'),
      );
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    const [head, body] = reply.split('\r\n\r\n');
    const status = Number(head.split(' ')[1]);
    expect(status).toBe(400);
    expect(problemSchema.parse(JSON.parse(body)).errors).toEqual([{ path: '(request)', message: 'not valid HTTP' }]);
  });
});
