import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/config/paths.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** The README's curl examples, continuation lines joined. */
function readmeCurlCommands(): string[] {
  const readme = readFileSync(join(PACKAGE_ROOT, 'docs', 'api.md'), 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1].replace(/\\\n\s*/g, ''));
  return blocks.flatMap((block) => block.split('\n')).filter((line) => line.startsWith('curl '));
}

describe('the README curl examples', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const commands = readmeCurlCommands();

  it('exist', () => {
    expect(commands.length).toBeGreaterThanOrEqual(8);
  });

  // Asynchronously: the server answering curl runs in this same process.
  it.each(commands.map((command) => [command.slice(0, 90), command]))(
    '%s… answers 200 (a lookup with its match)',
    async (_label, command) => {
      const local = `${command.replaceAll('http://127.0.0.1:8787', server.url)} --max-time 20`;
      const { stdout: output } = await promisify(execFile)('bash', ['-c', `${local} -w '\\n%{http_code}'`], {
        encoding: 'utf8',
      });
      const status = output.trim().split('\n').pop();
      expect(status, output.slice(0, 300)).toBe('200');
      // A lookup the README shows is one that finds its question, not a list of near misses.
      if (command.includes('/v1/lookup'))
        expect(
          JSON.parse(output.trim().split('\n').slice(0, -1).join('\n')).matched,
          output.slice(0, 300),
        ).not.toBeNull();
    },
  );
});
