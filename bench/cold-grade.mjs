#!/usr/bin/env node
// One `answerkey grade` from a cold process, repeated: median wall time and peak RSS.
//   npm run build && node bench/cold-grade.mjs [runs]
// Grades by question text, so retrieval (index load, rescoring) is included, not only scoring.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 15);
const answer =
  'Eager mode runs each TensorFlow op as soon as it is called, so I can print tensors and step through the code with a debugger while prototyping. ' +
  'Graph mode traces the Python function into a dataflow graph with tf.function, which TensorFlow optimises (op fusion, pruning) and exports as a SavedModel for serving. ' +
  'I develop eagerly and wrap the training step and the serving signature in tf.function for production speed.';
const argv = [
  '--require',
  join(root, 'bench', 'report-rss.cjs'),
  join(root, 'dist', 'cli', 'main.js'),
  'grade',
  '--question',
  'how do eager and graph execution differ in tensorflow?',
  '--answer',
  answer,
  '--json',
];

const times = [];
const rss = [];
for (let run = 0; run < runs + 1; run += 1) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, argv, { encoding: 'utf8' });
  const milliseconds = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) {
    console.error(result.stderr);
    process.exit(1);
  }
  if (run === 0) continue; // the first run warms the OS file cache
  times.push(milliseconds);
  rss.push(Number(/bench-peak-rss-kb=(\d+)/.exec(result.stderr)?.[1] ?? Number.NaN) / 1024);
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`cold grade (by question text), ${runs} runs after one warm-up, node ${process.version}`);
console.log(
  `  median wall time  ${median(times).toFixed(0)} ms   (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}; target ≤ 1000 ms)`,
);
console.log(
  `  peak RSS          ${Math.max(...rss).toFixed(0)} MB  (median ${median(rss).toFixed(0)} MB; target ≤ 400 MB)`,
);
