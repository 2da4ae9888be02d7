#!/usr/bin/env node
// Queued runs on worker processes (issue #16), against the PostgreSQL at DATABASE_URL (migrated
// here; each case queues a run of its own in it):
//   1. local mode: ANSWERS (default 10,000) answers on 2 workers, one killed with SIGKILL once 40%
//      are graded and started again: answers lost and graded twice, wall time, and whether the
//      run's report is the one a one-process local `answerkey batch` of the same input writes.
//   2. LLM mode: LLM_ANSWERS (default 4,000) answers against the fake OpenAI-compatible server
//      answering in 300 ms, 2 workers × concurrency 32: wall time against the ideal N × 0.3 / 64 s.
// Needs `npm run build`.
//   node --import tsx bench/queue-workers.mjs postgres://postgres@127.0.0.1:5432/answerkey_bench [answers] [llm-answers]
import { fork, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { writeBenchInput } from './batch-input.mjs';

const [databaseUrl, answersArgument, llmAnswersArgument] = process.argv.slice(2);
if (!databaseUrl) {
  console.error('usage: node --import tsx bench/queue-workers.mjs DATABASE_URL [answers=10000] [llm-answers=4000]');
  process.exit(2);
}
const answers = Number(answersArgument ?? 10_000);
const llmAnswers = Number(llmAnswersArgument ?? 4_000);
const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'dist', 'cli', 'main.js');
const scratch = mkdtempSync(join(tmpdir(), 'answerkey-queue-bench-'));
cpSync(join(root, 'embeddings', 'index-local-glove-100d'), join(scratch, 'index', 'index-local-glove-100d'), {
  recursive: true,
});
const common = ['--index-dir', join(scratch, 'index'), '--database-url', databaseUrl];
const baseEnvironment = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^(ANSWERKEY_|OPENAI_)/.test(name)),
);

function start(args, environment = baseEnvironment) {
  const child = spawn(process.execPath, [cli, ...args], { env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

async function run(args, environment) {
  const process_ = start(args, environment);
  const { code } = await process_.exited;
  if (code !== 0) throw new Error(`answerkey ${args.join(' ')} exited ${code}: ${process_.output().stderr}`);
  return process_.output().stdout;
}

async function query(text, values = []) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}

const sleep = (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds));
const seconds = (milliseconds) => `${(milliseconds / 1000).toFixed(1)} s`;

function gradesOf(out) {
  return new Map(
    readFileSync(join(out, 'results.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const { gradedAt: _gradedAt, ...row } = JSON.parse(line);
        return [`${row.candidateId}\t${row.questionKey}\t${row.answerSha256}`, JSON.stringify(row)];
      }),
  );
}

await run(['db', 'migrate', '--database-url', databaseUrl]);

// 1. Local mode, 2 workers, one kill -9 and a restart.
{
  const input = join(scratch, 'answers.jsonl');
  writeBenchInput(input, answers);
  const started = Date.now();
  const { runId } = JSON.parse(await run(['batch', input, '--queue', '--json', '--job-timeout', '30', ...common]));
  const workerArgs = ['worker', '--exit-when-idle', '--concurrency', '4', ...common];
  const first = start(workerArgs);
  const second = start(workerArgs);
  const graded = async () => (await query('SELECT count(*)::int AS n FROM run_grades WHERE run_id = $1', [runId]))[0].n;
  while ((await graded()) < answers * 0.4) await sleep(200);
  first.child.kill('SIGKILL');
  await first.exited;
  const atKill = await graded();
  const restarted = start(workerArgs);
  await Promise.all([second.exited, restarted.exited]);
  const wall = Date.now() - started;
  const [counts] = await query(
    `SELECT count(*) FILTER (WHERE grades = 0)::int AS lost, count(*) FILTER (WHERE grades > 1)::int AS duplicated
       FROM (SELECT (SELECT count(*) FROM run_grades g WHERE g.run_id = a.run_id AND g.candidate = a.candidate
                       AND g.question_key = a.question_key AND g.answer_hash = a.answer_hash) AS grades
               FROM run_answers a WHERE a.run_id = $1) per_answer`,
    [runId],
  );
  const queuedOut = join(scratch, 'queued');
  const localOut = join(scratch, 'local');
  await run(['runs', 'report', runId, '--out', queuedOut, ...common]);
  const localStarted = Date.now();
  await run(['batch', input, '--out', localOut, '--index-dir', join(scratch, 'index')]);
  const localWall = Date.now() - localStarted;
  const queuedGrades = gradesOf(queuedOut);
  const localGrades = gradesOf(localOut);
  const sameGrades =
    queuedGrades.size === localGrades.size && [...localGrades].every(([key, grade]) => queuedGrades.get(key) === grade);
  const sameCsv =
    readFileSync(join(queuedOut, 'candidates.csv'), 'utf8') === readFileSync(join(localOut, 'candidates.csv'), 'utf8');
  console.log(
    `local mode: ${answers} answers on 2 workers (concurrency 4), one killed with SIGKILL at ${atKill} graded and restarted`,
  );
  console.log(
    `  lost ${counts.lost}, duplicated ${counts.duplicated}; wall time ${seconds(wall)} (queue to last worker's exit)`,
  );
  console.log(`  one-process local batch of the same input: ${seconds(localWall)}`);
  console.log(
    `  report identical to the one-process run: ${sameGrades && sameCsv ? 'yes' : 'no'} (grades per answer ${sameGrades ? 'equal' : 'differ'}, candidates.csv ${sameCsv ? 'equal' : 'differs'})`,
  );
}

// 2. LLM mode against the fake server at 300 ms, 2 workers × concurrency 32.
{
  const latencyMs = 300;
  const fake = fork(new URL('./fake-openai-process.mjs', import.meta.url), [String(latencyMs)], {
    execArgv: ['--import', 'tsx'],
  });
  const fakeUrl = await new Promise((resolve) => fake.once('message', (message) => resolve(message.url)));
  const askFake = (command) =>
    new Promise((resolve) => {
      fake.once('message', resolve);
      fake.send(command);
    });
  const input = join(scratch, 'llm-answers.jsonl');
  writeBenchInput(input, llmAnswers, 11);
  const { runId } = JSON.parse(await run(['batch', input, '--queue', '--json', '--mode', 'llm', ...common]));
  await askFake('reset');
  const environment = {
    ...baseEnvironment,
    OPENAI_API_KEY: 'sk-bench',
    OPENAI_BASE_URL: fakeUrl,
    ANSWERKEY_CACHE_DIR: join(scratch, 'cache'),
    ANSWERKEY_LLM_CACHE: 'off',
  };
  const started = Date.now();
  const workerArgs = ['worker', '--exit-when-idle', '--concurrency', '32', ...common];
  const workers = [start(workerArgs, environment), start(workerArgs, environment)];
  const exits = await Promise.all(workers.map((worker) => worker.exited));
  const wall = Date.now() - started;
  const { count, first, last } = await askFake('times');
  const [{ graded, llm }] = await query(
    `SELECT count(*)::int AS graded, count(*) FILTER (WHERE grade ->> 'mode' = 'llm')::int AS llm FROM run_grades WHERE run_id = $1`,
    [runId],
  );
  const ideal = (llmAnswers * latencyMs) / 64;
  console.log(`LLM mode: ${llmAnswers} answers, fake server at ${latencyMs} ms, 2 workers × concurrency 32`);
  console.log(
    `  wall time ${seconds(wall)} (workers' start to exit) vs ideal ${seconds(ideal)} (${(wall / ideal).toFixed(2)}×); model calls ${count}, first to last ${seconds(last - first)}; graded ${graded} (${llm} by the model); exits ${exits.map((exit) => exit.code).join(', ')}`,
  );
  fake.disconnect();
}

rmSync(scratch, { recursive: true, force: true });
