// Starts `answerkey serve` (the built CLI) on a free port for a bench and waits until it is ready.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Spawns the server with `env` added to this process's environment, resolves with its URL once
 * /readyz answers, and rejects with the server's log if it exits first.
 * @param {Record<string, string>} env
 * @returns {Promise<{ server: import('node:child_process').ChildProcess, url: string, log: () => string }>}
 */
export async function startServer(env) {
  const server = spawn(
    process.execPath,
    [join(root, 'dist', 'cli', 'main.js'), 'serve', '--host', '127.0.0.1', '--port', '0'],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ANSWERKEY_MODE: 'local', ...env } },
  );
  let serverLog = '';
  const url = await new Promise((resolve, reject) => {
    server.stderr.on('data', (chunk) => {
      serverLog = (serverLog + chunk).slice(-20_000);
      const found = /listening on (http:\/\/\S+)/.exec(serverLog);
      if (found) resolve(found[1]);
    });
    server.once('exit', (code) => reject(new Error(`server exited with ${code}: ${serverLog}`)));
  });
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const ready = await fetch(`${url}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { server, url, log: () => serverLog };
}
