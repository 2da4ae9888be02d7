#!/usr/bin/env node
// Renders a batch report in headless Chromium and saves a PNG of it.
//   npm run build && node bench/report-screenshot.mjs [report.html] [out.png]
// Without a report (or with ""), grades examples/take-homes into a temporary folder first (index
// there too). SCREENSHOT_HEIGHT and SCREENSHOT_TOP crop the full page; OPEN_CANDIDATE=N unfolds one.
// Needs /usr/bin/chromium (apt-get install -y chromium); no network is used.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let report = process.argv[2] || undefined;
let scratch;
const output = resolve(process.argv[3] ?? join(root, 'docs', 'report-screenshot.png'));
const height = Number(process.env.SCREENSHOT_HEIGHT ?? 2200);

if (!report) {
  scratch = mkdtempSync(join(tmpdir(), 'answerkey-report-'));
  const run = spawnSync(
    process.execPath,
    [
      join(root, 'dist', 'cli', 'main.js'),
      'batch',
      join(root, 'examples', 'take-homes'),
      '--out',
      join(scratch, 'out'),
      '--index-dir',
      join(scratch, 'index'),
    ],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) {
    console.error(run.stderr);
    process.exit(1);
  }
  report = join(scratch, 'out', 'report.html');
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  const requests = [];
  page.on('request', (request) => {
    if (!request.url().startsWith('file:')) requests.push(request.url());
  });
  await page.goto(pathToFileURL(resolve(report)).href);
  // OPEN_CANDIDATE=N unfolds the N-th candidate's detail (0 = the top-ranked).
  if (process.env.OPEN_CANDIDATE)
    await page.evaluate(
      (index) => (document.querySelectorAll('details.candidate')[Number(index)].open = true),
      process.env.OPEN_CANDIDATE,
    );
  const pageHeight = await page.evaluate(() => document.documentElement.scrollHeight);
  const top = Number(process.env.SCREENSHOT_TOP ?? 0);
  await page.screenshot({
    path: output,
    fullPage: true,
    clip: { x: 0, y: top, width: 1280, height: Math.min(height, pageHeight - top) },
  });
  console.log(
    `${output} (${report})${requests.length > 0 ? `\nnetwork requests: ${requests.join(', ')}` : '\nno network requests'}`,
  );
} finally {
  await browser.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}
