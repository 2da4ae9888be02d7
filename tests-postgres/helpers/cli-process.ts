import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { CLI } from '../../tests/helpers/documented-examples.js';
import { loadQuestionBank } from '../../src/rubrics/question-bank.js';
import { loadCandidateAnswers } from '../../tests/helpers/test-grader.js';

/** A running `node dist/cli/main.js …`: its output so far, and how it ended. */
export interface CliProcess {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The environment of the tests without the settings of whoever runs them. */
export function cleanEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(ANSWERKEY_|OPENAI_)/.test(name))),
    NO_COLOR: '1',
    ...extra,
  };
}

/** Starts the built command line as a process of its own. */
export function startCli(args: readonly string[], environment: NodeJS.ProcessEnv = cleanEnvironment()): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], { env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => ({ stdout, stderr }), exited };
}

/** Runs the command line to its end; fails with its output when it exits other than 0. */
export async function runCliToEnd(args: readonly string[], environment?: NodeJS.ProcessEnv): Promise<string> {
  const run = startCli(args, environment);
  const { code } = await run.exited;
  const { stdout, stderr } = run.output();
  if (code !== 0) throw new Error(`answerkey ${args.join(' ')} exited ${code}\n${stdout}\n${stderr}`);
  return stdout;
}

/** One statement on a connection of its own. */
export async function queryOnce<Row extends pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/**
 * A JSONL of `candidates` × the bank's questions: for each, one of five answers of different quality
 * (a paraphrase, a partial answer, the reference, the key points, another question's reference).
 */
export function writeAnswersFile(path: string, candidates: number): number {
  const bank = loadQuestionBank('rubrics');
  const fixtures = loadCandidateAnswers();
  const lines: string[] = [];
  for (let candidate = 0; candidate < candidates; candidate += 1) {
    bank.rubrics.forEach((rubric, index) => {
      const other = bank.rubrics[(index + 5) % bank.rubrics.length];
      const choices = [
        fixtures[rubric.id]?.paraphrase ?? rubric.referenceAnswer,
        fixtures[rubric.id]?.partial ?? rubric.referenceAnswer,
        rubric.referenceAnswer,
        rubric.keyPoints.map((point) => `${point.text}.`).join(' '),
        other.referenceAnswer,
      ];
      const answer = `${choices[(candidate + index) % choices.length]} (candidate ${candidate})`;
      lines.push(JSON.stringify({ candidate_id: `c${candidate}`, question_id: rubric.id, answer }));
    });
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return lines.length;
}
