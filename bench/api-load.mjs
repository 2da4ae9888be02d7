#!/usr/bin/env node
// Load on POST /v1/grade (local mode) from autocannon on 127.0.0.1, against the compiled server.
//   npm run build && node bench/api-load.mjs [seconds=30] [rate=200]
// 1. after a 5 s warm-up, holds `rate` requests/s for `seconds` s: p50/p99 latency, errors, server RSS;
// 2. steps the rate up (10 s a step) to find the highest one held with p99 ≤ 50 ms and no errors.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import yaml from 'js-yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const seconds = Number(process.argv[2] ?? 30);
const rate = Number(process.argv[3] ?? 200);
const port = 18_787;
const candidates = yaml.load(readFileSync(join(root, 'tests', 'fixtures', 'candidate-answers.yaml'), 'utf8'));
const bodies = Object.entries(candidates).flatMap(([questionId, answers]) => [
  JSON.stringify({ questionId, answer: answers.paraphrase }),
  JSON.stringify({ questionId, answer: answers.partial }),
]);

const server = spawn(process.execPath, [join(root, 'dist', 'cli', 'main.js'), 'serve', '--port', String(port)], {
  stdio: ['ignore', 'ignore', 'pipe'],
  env: { ...process.env, ANSWERKEY_RATE_LIMIT_PER_MINUTE: '10000000' },
});
await new Promise((resolve, reject) => {
  server.stderr.on('data', (chunk) => String(chunk).includes('listening') && resolve());
  server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
});
for (let attempt = 0; attempt < 50; attempt += 1) {
  const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
    (response) => response.ok,
    () => false,
  );
  if (ready) break;
  await new Promise((resolve) => setTimeout(resolve, 100));
}

const rssMegabytes = () =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

function load(requestsPerSecond, duration) {
  let next = 0;
  return autocannon({
    url: `http://127.0.0.1:${port}/v1/grade`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    connections: 4,
    overallRate: requestsPerSecond,
    duration,
    requests: [{ setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }) }],
  });
}

// A server that has been up for a while: JIT-compiled code and filled per-question word caches.
const warm = await load(rate, 5);
console.log(`warm-up: ${warm.requests.total} requests in 5 s, p99 ${warm.latency.p99} ms (not counted)`);
const samples = [];
const sampler = setInterval(() => samples.push(rssMegabytes()), 1000);
const held = await load(rate, seconds);
clearInterval(sampler);
const failures = held.errors + held.timeouts + held.non2xx;
console.log(`POST /v1/grade, local mode, ${rate} requests/s for ${seconds} s (node ${process.version})`);
console.log(
  `  requests ${held.requests.total}, mean ${held.requests.average.toFixed(0)}/s, errors/timeouts/non-2xx ${failures}`,
);
console.log(
  `  latency p50 ${held.latency.p50} ms, p99 ${held.latency.p99} ms, max ${held.latency.max} ms (target p99 ≤ 50 ms)`,
);
const third = Math.max(1, Math.floor(samples.length / 3));
const average = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
console.log(
  `  server RSS: first third ${average(samples.slice(0, third)).toFixed(0)} MB, last third ${average(samples.slice(-third)).toFixed(0)} MB, peak ${Math.max(...samples).toFixed(0)} MB`,
);

let highest = 0;
for (let stepRate = 300; stepRate <= 1200; stepRate += 100) {
  const step = await load(stepRate, 10);
  const ok =
    step.errors + step.timeouts + step.non2xx === 0 &&
    step.latency.p99 <= 50 &&
    step.requests.average >= stepRate * 0.95;
  console.log(
    `  step ${stepRate}/s: achieved ${step.requests.average.toFixed(0)}/s, p99 ${step.latency.p99} ms, failures ${step.errors + step.timeouts + step.non2xx} ${ok ? '✓' : '✗'}`,
  );
  if (!ok) break;
  highest = stepRate;
}
console.log(
  `  highest rate held (p99 ≤ 50 ms, no errors): ${highest ? `${highest} requests/s` : `below 300 requests/s`}`,
);
server.kill('SIGTERM');
