#!/usr/bin/env node
// The second-opinion page after grading a realistic answer to q4, saved as docs/page-screenshot.png (1366×900).
//   npm run build && node bench/page-screenshot.mjs [output.png]
// Runs the compiled app in-process on a free port with its index in a temporary folder, drives the
// page in headless Debian Chromium (apt-get install -y chromium) and grades through the page itself.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const output = resolve(process.argv[2] ?? join(root, 'docs', 'page-screenshot.png'));
const chromiumPath = process.env.ANSWERKEY_CHROMIUM ?? '/usr/bin/chromium';

const compiled = join(root, 'dist', 'server', 'create-app.js');
if (!existsSync(compiled)) {
  console.error('page-screenshot: dist/ is missing; run `npm run build` first');
  process.exit(1);
}
if (!existsSync(chromiumPath)) {
  console.error(
    `page-screenshot: no Chromium at ${chromiumPath}; install it with \`apt-get update && apt-get install -y chromium\``,
  );
  process.exit(1);
}
const load = (path) => import(pathToFileURL(join(root, 'dist', path)).href);
const [{ createApp }, { createGrader }, { resolveConfig }, { resolveServerConfig }] = await Promise.all([
  load('server/create-app.js'),
  load('grading/grader.js'),
  load('config/config.js'),
  load('server/server-config.js'),
]);

const answer =
  'In TensorFlow 2 eager execution is the default: every operation runs immediately and returns a concrete value, so I can ' +
  "print tensors and step through the code with pdb while I'm prototyping in a notebook. Graph execution traces the Python " +
  'function into a computational graph first, and TensorFlow can optimise that graph (constant folding, op fusion through ' +
  'Grappler) before running it. In practice I develop eagerly and then put @tf.function on the training step once it works, ' +
  'which usually gives a good speed-up. For deployment the traced graph is what gets exported as a SavedModel and served by ' +
  'TF Serving, so the model runs without the Python code.';

const indexDirectory = mkdtempSync(join(tmpdir(), 'answerkey-screenshot-index-'));
const grader = createGrader(resolveConfig({ indexDirectory }, {}));
const { app } = createApp({
  grader,
  config: resolveServerConfig({ port: 0 }, {}),
  logger: pino({ level: 'silent' }),
  version: 'screenshot',
  ready: Promise.resolve(),
});
const server = await new Promise((resolve, reject) => {
  const listening = app.listen(0, '127.0.0.1', (error) => (error ? reject(error) : resolve(listening)));
});
const url = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, deviceScaleFactor: 1 });
  const problems = [];
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(url);
  await page.getByLabel('Search the bank', { exact: true }).fill('eager');
  await page.getByLabel('Bank question', { exact: true }).selectOption('q4');
  await page.getByLabel("Candidate's answer", { exact: true }).fill(answer);
  await page.getByRole('button', { name: 'Grade', exact: true }).click();
  await page.getByTestId('score').waitFor();
  // What a person sees after grading: the top of the page, nothing hovered or focused.
  await page.mouse.move(0, 0);
  await page.evaluate(() => {
    document.activeElement?.blur();
    window.scrollTo(0, 0);
  });
  mkdirSync(dirname(output), { recursive: true });
  await page.screenshot({ path: output });
  const score = await page.getByTestId('score').textContent();
  const band = await page.getByTestId('band').textContent();
  console.log(`page-screenshot: q4 graded ${score} · ${band}; saved ${output}`);
  if (problems.length > 0) {
    console.error(`page-screenshot: the page logged errors:\n  ${problems.join('\n  ')}`);
    process.exitCode = 1;
  }
} finally {
  await browser.close();
  server.closeAllConnections();
  server.close();
  grader.close();
  rmSync(indexDirectory, { recursive: true, force: true });
}
