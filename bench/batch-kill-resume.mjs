#!/usr/bin/env node
// Kill a batch run with SIGKILL at a random point, rerun it, and compare with a run that was
// never interrupted: the same rows (candidate, question, score), no duplicates, nothing lost.
//   npm run build && node bench/batch-kill-resume.mjs [answers=2000] [kills=1]
// The input is generated from the shipped bank (bench/batch-input.mjs); everything is written
// under a temporary folder, the index included (a copy of the shipped one).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBenchInput } from './batch-input.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const answers = Number(process.argv[2] ?? 2000);
const kills = Number(process.argv[3] ?? 1);
const cli = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(cli)) {
  console.error('run `npm run build` first');
  process.exit(1);
}

const scratch = mkdtempSync(join(tmpdir(), 'answerkey-kill-resume-'));
const input = join(scratch, 'answers.jsonl');
const indexDir = join(scratch, 'index');
cpSync(join(root, 'embeddings', 'index-local-glove-100d'), join(indexDir, 'index-local-glove-100d'), {
  recursive: true,
});
writeBenchInput(input, answers);
const argv = (out) => [cli, 'batch', input, '--out', out, '--index-dir', indexDir];

function runToEnd(out) {
  const result = spawnSync(process.execPath, argv(out), { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`batch exited ${result.status}: ${result.stderr}`);
  return result;
}

function resultText(out) {
  const path = join(out, 'results.jsonl');
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/** Starts a run and SIGKILLs it once results.jsonl has `target` lines (or it ends by itself). */
function runAndKill(out, target) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, argv(out), { stdio: 'ignore' });
    let killed = false;
    const poll = setInterval(() => {
      if (resultText(out).split('\n').length - 1 >= target) {
        killed = child.kill('SIGKILL');
        clearInterval(poll);
      }
    }, 5);
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      resolve({ killed: killed && signal === 'SIGKILL', code });
    });
  });
}

function rowsOf(out) {
  return resultText(out)
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

const started = performance.now();
const uninterrupted = join(scratch, 'uninterrupted');
runToEnd(uninterrupted);
const reference = rowsOf(uninterrupted);
console.log(`uninterrupted run: ${reference.length} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);

const resumed = join(scratch, 'killed');
for (let kill = 1; kill <= kills; kill += 1) {
  const done = resultText(resumed).split('\n').length - 1;
  const target = done + Math.floor((answers - done) * (0.1 + Math.random() * 0.8));
  const { killed } = await runAndKill(resumed, target);
  const text = resultText(resumed);
  const lines = text.split('\n').length - 1;
  const torn = text.length > 0 && !text.endsWith('\n');
  console.log(
    `kill ${kill}: ${killed ? 'SIGKILL' : 'ended before the kill'} with ${lines} whole lines in results.jsonl${torn ? ' and a torn last line' : ''}; lock left behind: ${existsSync(join(resumed, 'batch.lock'))}`,
  );
}
const rerun = runToEnd(resumed);
console.log(`rerun: ${rerun.stdout.split('\n')[0]}`);
for (const line of rerun.stderr.split('\n').filter((entry) => entry.startsWith('answerkey:'))) console.log(`  ${line}`);

const rows = rowsOf(resumed);
const key = (row) => `${row.candidateId}\t${row.questionKey}\t${row.answerSha256}`;
const duplicates = rows.length - new Set(rows.map(key)).size;
const graded = (list) => new Set(list.map((row) => `${row.candidateId}\t${row.questionKey}\t${row.score}`));
const expected = graded(reference);
const actual = graded(rows);
const missing = [...expected].filter((entry) => !actual.has(entry));
const extra = [...actual].filter((entry) => !expected.has(entry));
console.log(
  `compared by (candidate, question, score): ${expected.size} expected, ${actual.size} after kill and rerun; missing ${missing.length}, extra ${extra.length}, duplicate rows ${duplicates}`,
);
const same = missing.length === 0 && extra.length === 0 && duplicates === 0 && rows.length === reference.length;
console.log(same ? 'SAME: the killed and resumed run equals the uninterrupted one' : 'DIFFERENT');
for (const entry of [
  ...missing.slice(0, 5).map((item) => `missing ${item}`),
  ...extra.slice(0, 5).map((item) => `extra ${item}`),
])
  console.log(`  ${entry}`);
rmSync(scratch, { recursive: true, force: true });
process.exitCode = same ? 0 : 1;
