#!/usr/bin/env node
// Wall time of grading 1,000 answers in LLM mode at concurrency 32 against the fake
// OpenAI-compatible server answering every call in a fixed 300 ms, through the real ChatOpenAI
// client and the whole pipeline (local scorer for the guard, off-topic guard). The bound is
// 1.10 × (1000 × 0.3 s / 32); the fake's delay is the only wait, so the rest is our overhead.
// The fake runs in a child process, as a model server would: its CPU is not ours to count.
//   node --import tsx bench/llm-concurrency.mjs [answers] [concurrency]
import { fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../src/config/config.ts';
import { createGrader } from '../src/app/create-grader.ts';

const total = Number(process.argv[2] ?? 1000);
const concurrency = Number(process.argv[3] ?? 32);
const latencySeconds = 0.3;

const fake = fork(new URL('./fake-openai-process.mjs', import.meta.url), [String(latencySeconds * 1000)], {
  execArgv: ['--import', 'tsx'],
});
const fakeUrl = await new Promise((resolve) => fake.once('message', (message) => resolve(message.url)));
const askFake = (command) =>
  new Promise((resolve) => {
    fake.once('message', resolve);
    fake.send(command);
  });
const config = resolveConfig(
  { indexDirectory: mkdtempSync(join(tmpdir(), 'answerkey-bench-index-')), mode: 'llm', concurrency, cache: false },
  { OPENAI_API_KEY: 'sk-bench', OPENAI_BASE_URL: fakeUrl },
);
const grader = createGrader(config);
const rubrics = grader.bank.rubrics;
// Distinct answers, so nothing could be served from a cache even if it were on.
const requests = Array.from({ length: total }, (_, index) => {
  const rubric = rubrics[index % rubrics.length];
  return { questionId: rubric.id, answer: `${rubric.referenceAnswer} (answer ${index})` };
});

await grader.warmUp();
await grader.grade(requests[0]);
await askFake('reset');

let next = 0;
let fallbacks = 0;
const cpuBefore = process.cpuUsage();
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < requests.length) {
      const grade = await grader.grade(requests[next++]);
      if (grade.flags.includes('llm_unavailable')) fallbacks += 1;
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
console.log(
  `CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s, ${((cpu.user + cpu.system) / 1e3 / total).toFixed(2)} ms an answer`,
);
const ideal = (total * latencySeconds) / concurrency;
const bound = 1.1 * ideal;
console.log(`graded ${total} answers at concurrency ${concurrency} in ${seconds.toFixed(2)} s`);
console.log(
  `ideal ${ideal.toFixed(2)} s, bound 1.10 × ideal = ${bound.toFixed(2)} s, ratio ${(seconds / ideal).toFixed(3)}; model calls ${(await askFake('count')).count}, fallbacks ${fallbacks}`,
);
console.log(seconds <= bound ? 'PASS' : 'FAIL');
fake.kill();
process.exitCode = seconds <= bound ? 0 : 1;
