import { spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadQuestionBank } from '../../src/rubrics/question-bank.js';
import { honest, startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai-server.js';
import { loadCandidateAnswers } from '../helpers/test-grader.js';
import { CLI, documentedExamples, needsDatabase } from '../helpers/documented-examples.js';

/**
 * Every example command in `answerkey --help`, each command's `--help`, and README.md's sh blocks
 * runs, as written, in a scratch folder holding the files they name (answer.md, graded.jsonl,
 * examples/…), with its own index and examples store; where the README shows what a command
 * prints, it prints that. Needs `npm run build` (it runs dist/, as a user does).
 *
 * As written, but for three things a test cannot do: `npx answerkey` runs the built CLI (there is no
 * package to fetch), a README line's other programs (`npm install &&`, `&& xdg-open …`) are left
 * out, and `serve` listens on a free port (`--port 0`) and is stopped once it answers /healthz.
 * The data sets named as ../shared/datasets/*.jsonl are small stand-ins written from the bank.
 * The `answerkey db` examples need PostgreSQL: tests-postgres/documented-db-examples.test.ts runs them.
 */

const ROOT = resolve(import.meta.dirname, '..', '..');
const bank = loadQuestionBank(join(ROOT, 'rubrics'));
const candidates = loadCandidateAnswers();

const Q4_ANSWER =
  'Eager mode runs every op as soon as it is called, so I can debug with print and pdb while prototyping. Graph mode traces the function with tf.function into a graph that TensorFlow can optimise.';
const Q10_ANSWER =
  'Resources named as nouns, versions in the URL path, JWT bearer tokens, rate limits per key in Redis, and errors as problem+json with the right status codes.';

/** Answers of several qualities to a bank question, with made-up grades: enough rows for eval's folds and shots. */
function datasetRows(questionIds: readonly string[], withQuestionText: boolean): string {
  return questionIds
    .flatMap((id, index) => {
      const rubric = bank.get(id);
      if (!rubric) return [];
      const other = bank.rubrics[(index + 7) % bank.rubrics.length];
      const sentences = rubric.referenceAnswer.split(/(?<=\.)\s+/);
      const answers: Array<[string, number]> = [
        [rubric.referenceAnswer, 5],
        [candidates[id].paraphrase, 4.5],
        [candidates[id].partial, 2.5],
        [sentences[0], 3],
        [rubric.keyPoints.map((point) => point.text).join('. '), 4],
        ...rubric.keyPoints.map((point): [string, number] => [point.text, 1.5]),
        [rubric.referenceAnswer.split(' ').slice(0, 12).join(' '), 2],
        [other.referenceAnswer, 0.5],
        ["I don't know.", 0],
        [`${sentences[0]} ${candidates[id].partial}`, 3.5],
      ];
      return answers.map(([answer, score], answerIndex) =>
        JSON.stringify({
          question_id: withQuestionText ? `s${index + 1}` : id,
          ...(withQuestionText ? { question: rubric.question, reference_answer: rubric.referenceAnswer } : {}),
          answer_id: `${id}.${answerIndex}`,
          answer,
          score,
          max_score: 5,
        }),
      );
    })
    .join('\n');
}

/** The files the examples name, in a fresh folder; `work` is where they run. */
function createSandbox() {
  const root = mkdtempSync(join(tmpdir(), 'answerkey-documented-'));
  const work = join(root, 'work');
  const bin = join(root, 'bin');
  mkdirSync(work);
  mkdirSync(bin);
  mkdirSync(join(root, 'shared', 'datasets'), { recursive: true });
  writeFileSync(join(bin, 'answerkey'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(join(bin, 'answerkey'), 0o755);
  writeFileSync(join(work, 'answer.md'), `${Q4_ANSWER}\n`);
  writeFileSync(join(work, 'answer.txt'), `${Q10_ANSWER}\n`);
  writeFileSync(join(work, 'candidate-17.md'), `${Q10_ANSWER}\n`);
  const graded = [
    { question_id: 'q4', answer: Q4_ANSWER, score: 3, max_score: 5, note: 'no deployment' },
    { question_id: 'q4', answer: 'Eager is for debugging.', score: 1, max_score: 5 },
    { question_id: 'q10', answer: Q10_ANSWER, score: 4, max_score: 5 },
  ];
  writeFileSync(join(work, 'graded.jsonl'), `${graded.map((row) => JSON.stringify(row)).join('\n')}\n`);
  writeFileSync(join(work, 'our-grades.jsonl'), `${datasetRows(['q1', 'q3', 'q5', 'q9', 'q13', 'q16'], false)}\n`);
  writeFileSync(join(work, 'held-out-grades.jsonl'), `${datasetRows(['q2', 'q4', 'q10', 'q18'], false)}\n`);
  writeFileSync(
    join(root, 'shared', 'datasets', 'mohler-dev.jsonl'),
    `${datasetRows(['q1', 'q2', 'q3', 'q4', 'q5', 'q6'], true)}\n`,
  );
  writeFileSync(
    join(root, 'shared', 'datasets', 'saf-en-dev.jsonl'),
    `${datasetRows(['q7', 'q8', 'q9', 'q10', 'q11'], true)}\n`,
  );
  writeFileSync(
    join(work, 'answers.jsonl'),
    `${['q4', 'q10', 'q13'].flatMap((id) => ['ana', 'ben'].map((candidate) => JSON.stringify({ candidate_id: candidate, question_id: id, answer: candidates[id].partial }))).join('\n')}\n`,
  );
  cpSync(join(ROOT, 'examples'), join(work, 'examples'), { recursive: true });
  // A reviewer's overrides.csv as the report downloads it, for the take-homes batch.
  writeFileSync(
    join(work, 'overrides.csv'),
    'candidate_id,question_id,score,note\namara-okafor,q3,4,clear plan for the debt\n',
  );
  cpSync(join(ROOT, 'rubrics'), join(work, 'my-rubrics'), { recursive: true });
  cpSync(join(ROOT, 'rubrics'), join(work, 'our-rubrics'), { recursive: true });
  return { root, work, bin, examplesStore: join(root, 'examples-store') };
}

/** The graded example `examples remove ex-1a2b3c4d` deletes, put back before each time it is shown. */
function seedRemovableExample(examplesStore: string) {
  mkdirSync(examplesStore, { recursive: true });
  const example = {
    id: 'ex-1a2b3c4d',
    questionId: 'q7',
    answer: 'Provisioned concurrency for cold starts.',
    score: 2,
    maxScore: 5,
  };
  writeFileSync(join(examplesStore, 'q7.jsonl'), `${JSON.stringify(example)}\n`);
}

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runShell(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Outcome> {
  return new Promise((resolvePromise) => {
    const child = spawn('/bin/sh', ['-c', command], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** Starts a `serve` example, waits until it answers /healthz, stops it with SIGTERM. */
function runServe(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Outcome & { healthy: boolean }> {
  return new Promise((resolvePromise) => {
    // exec env: the signal reaches the server itself, not the shell, with the example's variables set.
    const child = spawn('/bin/sh', ['-c', `exec env ${command.replace(/--port \d+/, '--port 0')}`], {
      cwd,
      env: { ...env, PORT: '0' },
    });
    let stdout = '';
    let stderr = '';
    let healthy = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', async (chunk: Buffer) => {
      stderr += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(stderr)?.[1];
      if (url && !healthy) {
        healthy = (await fetch(`${url}/healthz`)).ok;
        child.kill('SIGTERM');
      }
    });
    child.on('close', (code) => resolvePromise({ code, stdout, stderr, healthy }));
  });
}

const examples = documentedExamples().filter((example) => !needsDatabase(example.command));
let sandbox: ReturnType<typeof createSandbox>;
let fakeOpenAi: FakeOpenAi;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  sandbox = createSandbox();
  fakeOpenAi = await startFakeOpenAi({ defaultBehaviour: honest });
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(ANSWERKEY_|OPENAI_|PORT$|HOST$)/.test(name)),
  );
  env = {
    ...inherited,
    PATH: `${sandbox.bin}:${process.env.PATH ?? ''}`,
    NO_COLOR: '1',
    ANSWERKEY_INDEX_DIR: join(sandbox.root, 'index'),
    ANSWERKEY_EXAMPLES_DIR: sandbox.examplesStore,
    ANSWERKEY_CACHE_DIR: join(sandbox.root, 'cache'),
    // The LLM example sets OPENAI_API_KEY itself; its model server is the fake one.
    OPENAI_BASE_URL: fakeOpenAi.url,
  };
});

afterAll(async () => {
  await fakeOpenAi?.close();
  if (sandbox) rmSync(sandbox.root, { recursive: true, force: true });
});

describe('every example in --help and the README runs, and shows what it prints', { timeout: 120_000 }, () => {
  it('finds the examples of every command and of the README', () => {
    const sources = new Set(
      examples.flatMap((example) => example.sources.map((source) => source.replace(/:\d+$/, ''))),
    );
    for (const command of [
      'grade',
      'lookup',
      'questions',
      'examples add',
      'examples list',
      'examples remove',
      'index build',
      'eval',
      'calibrate',
      'batch',
      'serve',
    ]) {
      expect(sources, command).toContain(`answerkey ${command} --help`);
    }
    expect(sources).toContain('answerkey --help');
    expect(sources).toContain('README.md');
    expect(examples.filter((example) => example.shownOutput).length).toBeGreaterThanOrEqual(2);
    expect(examples.length).toBeGreaterThanOrEqual(40);
  });

  it.each(examples.map((example) => [example.command, example] as const))('%s', async (command, example) => {
    const where = `${command}\n  shown in ${example.sources.join(', ')}`;
    if (/ examples remove ex-1a2b3c4d/.test(command)) seedRemovableExample(sandbox.examplesStore);
    if (/\bserve\b/.test(command)) {
      const outcome = await runServe(command, sandbox.work, env);
      expect(outcome.healthy, `${where}\n${outcome.stderr}`).toBe(true);
      expect(outcome.code, `${where}\n${outcome.stderr}`).toBe(0);
      return;
    }
    // Output the README shows is that of a fresh clone: the shipped index, no graded examples yet.
    const fresh = mkdtempSync(join(sandbox.root, 'fresh-'));
    cpSync(join(ROOT, 'embeddings', 'index-local-glove-100d'), join(fresh, 'index', 'index-local-glove-100d'), {
      recursive: true,
    });
    const freshClone = {
      ...env,
      ANSWERKEY_EXAMPLES_DIR: join(fresh, 'examples'),
      ANSWERKEY_INDEX_DIR: join(fresh, 'index'),
    };
    const outcome = await runShell(command, sandbox.work, example.shownOutput === undefined ? env : freshClone);
    const said = `${where}\n--- stdout\n${outcome.stdout.slice(0, 1500)}\n--- stderr\n${outcome.stderr.slice(0, 1500)}`;
    if (example.shownOutput !== undefined) {
      // A README block showing an error shows standard error; otherwise it shows standard output.
      const printed = example.shownOutput.startsWith('answerkey: ') ? outcome.stderr : outcome.stdout;
      expect(printed, said).toBe(example.shownOutput);
      expect(outcome.code, said).toBe(example.shownOutput.startsWith('answerkey: ') ? 1 : 0);
      return;
    }
    // `rubric test` reports failing rubric tests with exit 1, as a test runner does: the shipped
    // bank's tests do not all pass yet (README, "Measured"); what it must print is the summary.
    if (/^answerkey rubric test\b/.test(command)) {
      expect([0, 1], said).toContain(outcome.code);
      expect(outcome.stdout, said).toMatch(command.includes('--json') ? /"byKind"/ : /Spearman ρ/);
      return;
    }
    expect(outcome.code, said).toBe(0);
    // What an example says, beyond its exit code.
    if (/^answerkey lookup "/.test(command) && !/ -i\b/.test(command))
      expect(outcome.stdout, said).not.toContain('No bank question is close enough');
    if (/^answerkey questions$/.test(command))
      expect(
        outcome.stdout.match(/^ {2}q\d+ /gm)?.length ?? (outcome.stdout.match(/\bq\d+\b/g) ?? []).length,
        said,
      ).toBeGreaterThanOrEqual(21);
    if (command.includes('--reference "A last-in, first-out collection." --answer "Last in, first out."')) {
      expect(Number(/Score (\d+\.\d) \/ 5/.exec(outcome.stdout)?.[1]), said).toBeGreaterThanOrEqual(2.5);
    }
  });
});
