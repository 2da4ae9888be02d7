#!/usr/bin/env node
// End to end: `answerkey batch` on 10,000 generated answers in local mode, from a cold process
// to the written report: wall time, answers per second and peak RSS.
//   npm run build && node bench/batch-throughput.mjs [answers=10000] [runs=1]
// The input comes from bench/batch-input.mjs; output and a copy of the shipped index go to a
// temporary folder. Peak RSS is read by bench/report-rss.cjs, preloaded into the CLI.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBenchInput } from './batch-input.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const answers = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 1);
const cli = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(cli)) {
  console.error('run `npm run build` first');
  process.exit(1);
}

const scratch = mkdtempSync(join(tmpdir(), 'answerkey-batch-throughput-'));
const input = join(scratch, 'answers.jsonl');
const indexDir = join(scratch, 'index');
cpSync(join(root, 'embeddings', 'index-local-glove-100d'), join(indexDir, 'index-local-glove-100d'), {
  recursive: true,
});
const candidates = writeBenchInput(input, answers);
console.log(
  `answerkey batch, local mode: ${answers} answers (${candidates} candidates × up to 21 questions), node ${process.version}`,
);

const results = [];
for (let run = 1; run <= runs; run += 1) {
  const out = join(scratch, `out-${run}`);
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    ['--require', join(root, 'bench', 'report-rss.cjs'), cli, 'batch', input, '--out', out, '--index-dir', indexDir],
    {
      encoding: 'utf8',
    },
  );
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) {
    console.error(result.stderr);
    process.exit(1);
  }
  const rows = readFileSync(join(out, 'results.jsonl'), 'utf8').split('\n').filter(Boolean).length;
  const peakMb = Number(/bench-peak-rss-kb=(\d+)/.exec(result.stderr)?.[1] ?? Number.NaN) / 1024;
  results.push({ seconds, rate: rows / seconds, peakMb });
  console.log(
    `  run ${run}: ${rows} graded in ${seconds.toFixed(1)} s wall = ${(rows / seconds).toFixed(0)} answers/s; peak RSS ${peakMb.toFixed(0)} MB; CLI says: ${result.stdout.split('\n')[0]}`,
  );
  rmSync(out, { recursive: true, force: true });
}
const best = (pick, better) => results.map(pick).reduce((left, right) => (better(left, right) ? left : right));
console.log(
  `wall time ${best(
    (entry) => entry.seconds,
    (a, b) => a < b,
  ).toFixed(1)} s, ${best(
    (entry) => entry.rate,
    (a, b) => a > b,
  ).toFixed(0)} answers/s (target ≥ 300), peak RSS ${best(
    (entry) => entry.peakMb,
    (a, b) => a > b,
  ).toFixed(0)} MB (target ≤ 500)${runs > 1 ? `: best time and rate, highest RSS of ${runs} runs` : ''}`,
);
rmSync(scratch, { recursive: true, force: true });
