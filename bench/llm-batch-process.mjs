#!/usr/bin/env node
// Whole-process overhead of `answerkey batch --mode llm`: N answers (default 1,000, all distinct)
// against the fake OpenAI-compatible server in a child process answering each call in 300 ms, at
// concurrency 32 (batch --concurrency and ANSWERKEY_LLM_CONCURRENCY). Ideal: N × 0.3 s / 32.
// Target (issue #12): ≤ 1.15 × ideal. Prints where the rest goes: start-up until the first model
// call, the calls, and the tail after the last reply (reports). Needs `npm run build`.
//   node --import tsx bench/llm-batch-process.mjs [answers] [concurrency]
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PATHS } from '../src/config/paths.ts';
import { loadQuestionBank } from '../src/rubrics/question-bank.ts';

const total = Number(process.argv[2] ?? 1000);
const concurrency = Number(process.argv[3] ?? 32);
const latencyMs = 300;
const root = new URL('..', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'answerkey-llm-batch-'));

const fake = fork(new URL('./fake-openai-process.mjs', import.meta.url), [String(latencyMs)], {
  execArgv: ['--import', 'tsx'],
});
const fakeUrl = await new Promise((resolve) => fake.once('message', (message) => resolve(message.url)));
const askFake = (command) =>
  new Promise((resolve) => {
    fake.once('message', resolve);
    fake.send(command);
  });

const rubrics = loadQuestionBank(DEFAULT_PATHS.bankDirectory).rubrics;
function writeAnswers(path, count, tag) {
  const rows = Array.from({ length: count }, (_, index) => {
    const rubric = rubrics[index % rubrics.length];
    return JSON.stringify({
      candidate_id: `c${Math.floor(index / rubrics.length)}`,
      question_id: rubric.id,
      answer: `${rubric.referenceAnswer} (${tag} ${index})`,
    });
  });
  writeFileSync(path, rows.join('\n') + '\n');
}

function runBatch(input, out) {
  const environment = {
    ...process.env,
    OPENAI_API_KEY: 'sk-bench',
    OPENAI_BASE_URL: fakeUrl,
    ANSWERKEY_LLM_CONCURRENCY: String(concurrency),
    ANSWERKEY_CACHE_DIR: join(scratch, 'cache'),
    ANSWERKEY_LLM_CACHE: 'off',
  };
  // BENCH_CPU_PROF=DIR writes a CPU profile of the batch process there.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  return new Promise((resolve) => {
    const started = Date.now();
    // /usr/bin/time reports the batch process's own CPU time: on a machine others load, wall time
    // says little, CPU time per answer says what the batch costs.
    const child = spawn(
      '/usr/bin/time',
      [
        '-f',
        'cpu %U %S rss %M',
        process.execPath,
        ...profile,
        join(root, 'dist/cli/main.js'),
        'batch',
        input,
        '--out',
        out,
        '--mode',
        'llm',
        '--concurrency',
        String(concurrency),
      ],
      { env: environment, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, started, ended: Date.now(), stderr }));
  });
}

// A first small run builds the index if this checkout has none, as a user's first run would.
writeAnswers(join(scratch, 'warm.jsonl'), rubrics.length, 'warm');
await runBatch(join(scratch, 'warm.jsonl'), join(scratch, 'warm-out'));
await askFake('reset');

writeAnswers(join(scratch, 'answers.jsonl'), total, 'answer');
const run = await runBatch(join(scratch, 'answers.jsonl'), join(scratch, 'out'));
const times = await askFake('times');
fake.kill();
const seconds = (run.ended - run.started) / 1000;
const ideal = (total * latencyMs) / 1000 / concurrency;
console.log(
  `answerkey batch --mode llm: ${total} answers at concurrency ${concurrency}, whole process ${seconds.toFixed(2)} s (exit ${run.code})`,
);
console.log(
  `  start-up until the first model call ${((times.first - run.started) / 1000).toFixed(2)} s; calls ${((times.last + latencyMs - times.first) / 1000).toFixed(2)} s (${times.count} calls); after the last reply ${((run.ended - times.last - latencyMs) / 1000).toFixed(2)} s`,
);
const cpu = /cpu ([\d.]+) ([\d.]+) rss (\d+)/.exec(run.stderr);
if (cpu) {
  const cpuSeconds = Number(cpu[1]) + Number(cpu[2]);
  console.log(
    `  batch process CPU ${cpuSeconds.toFixed(2)} s (${((1000 * cpuSeconds) / total).toFixed(2)} ms an answer, start-up included), peak RSS ${Math.round(Number(cpu[3]) / 1024)} MB; load average ${(await import('node:os')).loadavg()[0].toFixed(1)} on ${(await import('node:os')).cpus().length} cores`,
  );
}
console.log(`ideal ${ideal.toFixed(2)} s, ratio ${(seconds / ideal).toFixed(3)} (target ≤ 1.15)`);
if (run.code !== 0) console.log(run.stderr.slice(-2000));
console.log(seconds <= 1.15 * ideal ? 'PASS' : 'FAIL');
process.exitCode = seconds <= 1.15 * ideal ? 0 : 1;
