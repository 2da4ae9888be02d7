#!/usr/bin/env node
// How long hostile answer shapes take to grade through the API, and how long /healthz waits meanwhile.
//   npm run build && node bench/hostile-answers.mjs [repeats=3]
// Starts `answerkey serve` (compiled) as a child on 127.0.0.1, port 0, in local mode; for each shape
// (all at most the API's 20,000 characters), POSTs /v1/grade `repeats` times while polling /healthz
// every 5 ms, and prints the slowest grade and the slowest health check seen during the grades.
// Targets (issue #12): a 20,000-character answer of one word grades in under 1 s; /healthz under 100 ms.
// On Linux it also grades each shape `repeats` more times without polling and prints the CPU time
// the server's main thread (its event loop) spent on the slowest one, from /proc/PID/task/PID/schedstat,
// less what the idle main thread spends in as long: unlike wall times, that figure holds when other
// processes load the machine, and it bounds how long a grade can hold /healthz up (the scoring
// threads' CPU is not counted).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './lib/start-server.mjs';

const repeats = Number(process.argv[2] ?? 3);
const LIMIT = 20_000;

function letters(count, seed = 7) {
  let state = seed;
  let text = '';
  for (let index = 0; index < count; index += 1) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    text += 'abcdefghijklmnopqrstuvwxyz'[state % 26];
  }
  return text;
}
const fill = (unit) => unit.repeat(Math.ceil(LIMIT / unit.length)).slice(0, LIMIT);
const distinctWords = (firstSeed) =>
  Array.from({ length: 3_400 }, (_, index) => letters(5, firstSeed + index))
    .join(' ')
    .slice(0, LIMIT);
const SHAPES = {
  'one unknown word, 1,000 letters': letters(1_000),
  'one unknown word, 5,000 letters': letters(5_000),
  'one unknown word, 20,000 letters': letters(LIMIT),
  'one letter repeated 20,000 times': 'a'.repeat(LIMIT),
  'punctuation only': fill('.,;:!?-()[]{}<>"\'`~@#$%^&*_=+|\\/'),
  'distinct unknown words': distinctWords(1),
  'the reference words repeated': fill('eager graph execution tensorflow function '),
  'many short sentences': fill('Eager runs ops. '),
  'one word a line': fill('eager\n'),
  bullets: fill('- graph mode\n'),
  'key point words split by commas': fill('eager, graph, '),
  'dismissals and negations': fill('eager mode is useless, not graph, '),
  '49-letter words': Array.from({ length: 400 }, (_, index) => letters(49, index + 1))
    .join(' ')
    .slice(0, LIMIT),
  'hyphenated letters': fill('a-'),
  'dotted name chain': fill('tf.'),
  'open brackets': fill('(eager '),
  digits: fill('1234567890'),
  'accented letters': 'é'.repeat(LIMIT),
  CJK: fill('中文'),
  emoji: fill('😀'),
  'zero-width and controls': fill('eager\u200b\u0007\u001b[31m'),
};

/**
 * The server keeps the vectors of words it has seen: the first polled grade of this shape meets
 * 3,400 new words, the next ones none. Its unpolled grades get new words each, as the first did.
 */
const FRESH_WORDS = { 'distinct unknown words': (repeat) => distinctWords(1 + 3_400 * (repeat + 1)) };

const examplesDirectory = mkdtempSync(join(tmpdir(), 'answerkey-hostile-'));
const { server, url } = await startServer({
  ANSWERKEY_RATE_LIMIT_PER_MINUTE: '10000000',
  ANSWERKEY_EXAMPLES_DIR: examplesDirectory,
});
const grade = (answer, questionId = 'q4') =>
  fetch(`${url}/v1/grade`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ questionId, answer }),
  });
await grade('Eager mode runs operations at once; graph mode builds a graph first.'); // warm up
const schedstat = `/proc/${server.pid}/task/${server.pid}/schedstat`;
/** CPU time of the server's main thread so far, in ms (undefined where /proc does not say). */
const mainThreadCpu = () =>
  existsSync(schedstat) ? Number(readFileSync(schedstat, 'utf8').split(' ')[0]) / 1e6 : undefined;
// Idle, the main thread still ticks (the metrics' event-loop-delay monitor wakes it every 10 ms):
// that much CPU a second is not the grade's, and is taken off each grade's figure for its wall time.
let idleCpuPerMs = 0;
if (mainThreadCpu() !== undefined) {
  const [cpuBefore, started] = [mainThreadCpu(), performance.now()];
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  idleCpuPerMs = (mainThreadCpu() - cpuBefore) / (performance.now() - started);
}

let worstGrade = 0;
let worstHealth = 0;
console.log(`hostile answers through POST /v1/grade (local mode, ${repeats} grades each, node ${process.version})`);
console.log(`  ${'shape'.padEnd(36)} ${'chars'.padStart(6)}  grade max  healthz max  main-thread CPU max  status`);
let worstCpu = 0;
for (const [name, answer] of Object.entries(SHAPES)) {
  let slowestGrade = 0;
  let slowestHealth = 0;
  let status = 0;
  for (let repeat = 0; repeat < repeats; repeat += 1) {
    let grading = true;
    const poll = (async () => {
      while (grading) {
        const started = performance.now();
        await fetch(`${url}/healthz`).then((response) => response.arrayBuffer());
        slowestHealth = Math.max(slowestHealth, performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const started = performance.now();
    // Each repeat a new answer (and another question), so no cache answers for it.
    const response = await grade(`${answer.slice(0, LIMIT - 3)} ${repeat}`, repeat % 2 ? 'q10' : 'q4');
    await response.arrayBuffer();
    slowestGrade = Math.max(slowestGrade, performance.now() - started);
    status = response.status;
    grading = false;
    await poll;
  }
  let mostCpu = 0;
  for (let repeat = 0; repeat < repeats && mainThreadCpu() !== undefined; repeat += 1) {
    const text = FRESH_WORDS[name]?.(repeat) ?? answer;
    const [cpuBefore, started] = [mainThreadCpu(), performance.now()];
    const response = await grade(`${text.slice(0, LIMIT - 4)} c${repeat}`, repeat % 2 ? 'q10' : 'q4');
    await response.arrayBuffer();
    const idle = idleCpuPerMs * (performance.now() - started);
    mostCpu = Math.max(mostCpu, mainThreadCpu() - cpuBefore - idle);
  }
  worstGrade = Math.max(worstGrade, slowestGrade);
  worstHealth = Math.max(worstHealth, slowestHealth);
  worstCpu = Math.max(worstCpu, mostCpu);
  const cpu = mainThreadCpu() === undefined ? 'n/a' : `${mostCpu.toFixed(1)} ms`;
  console.log(
    `  ${name.padEnd(36)} ${String(answer.length).padStart(6)}  ${slowestGrade.toFixed(0).padStart(6)} ms  ${slowestHealth.toFixed(0).padStart(8)} ms  ${cpu.padStart(19)}  ${status}`,
  );
}
console.log(
  `  worst grade ${worstGrade.toFixed(0)} ms (target < 1,000 ms for the one-word answer), worst /healthz ${worstHealth.toFixed(0)} ms (target < 100 ms), most main-thread CPU for one grade ${worstCpu.toFixed(1)} ms (idle: ${(idleCpuPerMs * 1000).toFixed(1)} ms/s, taken off); load average ${loadavg()
    .map((value) => value.toFixed(1))
    .join(' ')} on ${cpus().length} cores`,
);
server.kill('SIGTERM');
rmSync(examplesDirectory, { recursive: true, force: true });
