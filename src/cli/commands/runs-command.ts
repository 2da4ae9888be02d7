import { Command } from 'commander';
import { join } from 'node:path';
import { writeRunReport } from '../../batch/queue/run-report.js';
import { readRunStatus, type RunStatus } from '../../batch/queue/run-status.js';
import { REPORT_FILE } from '../../batch/report/render-report.js';
import { CANDIDATES_FILE } from '../../batch/report/write-candidates-csv.js';
import { QUESTIONS_FILE } from '../../batch/report/write-questions-csv.js';
import { SIMILAR_FILE } from '../../batch/report/write-similar-csv.js';
import { ERRORS_FILE } from '../../batch/run/errors-log.js';
import { RESULTS_FILE } from '../../batch/run/results-store.js';
import { resolveDatabaseUrl } from '../../config/database-url.js';
import type { Database } from '../../database/database.js';
import { assertMigrated } from '../../database/migrations.js';
import { openDatabase } from '../../database/open-database.js';
import { AnswerkeyError } from '../../errors/answerkey-error.js';
import { loadQuestionBank } from '../../rubrics/question-bank.js';
import { plural } from '../../text/plural.js';
import type { CliIo } from '../cli-io.js';
import { createStyle } from '../format/terminal-style.js';
import { configFrom, databaseUrlOption, withSharedOptions, type SharedOptionValues } from '../shared-options.js';

interface StatusOptions {
  databaseUrl?: string;
  json?: boolean;
}

interface ReportOptions extends SharedOptionValues {
  out: string;
}

async function withDatabase<Result>(url: string | undefined, work: (database: Database) => Promise<Result>) {
  const resolved = resolveDatabaseUrl(url, process.env);
  if (resolved === undefined)
    throw new AnswerkeyError('invalid_setting', 'no database given: queued runs are kept in the database', {
      hint: 'set ANSWERKEY_DATABASE_URL or pass --database-url postgres://user:password@host:5432/database',
    });
  const database = openDatabase(resolved, { maxConnections: 2 });
  try {
    await assertMigrated(database);
    return await work(database);
  } finally {
    await database.close();
  }
}

const when = (iso: string) => `${iso.replace('T', ' ').slice(0, 19)} UTC`;

function formatStatus(status: RunStatus, color: boolean): string {
  const style = createStyle(color);
  const share = status.total > 0 ? Math.floor((status.graded / status.total) * 100) : 100;
  const { jobs } = status;
  const lines = [
    `${style.bold(status.runId)}  ${status.input} · ${status.mode} mode · queued ${when(status.createdAt)}`,
    `${status.state === 'done' ? style.green(status.state) : status.state === 'failed' ? style.red(status.state) : status.state}: ${status.graded} / ${status.total} graded (${share}%)` +
      `, ${status.failed} failed` +
      (status.inputProblems > 0 ? `; ${status.inputProblems} rows or sections of the input not graded` : ''),
    `jobs: ${jobs.waiting} waiting, ${jobs.retrying} to retry, ${jobs.active} held by workers, ${jobs.deadLettered} in the dead-letter queue`,
    `workers: ${plural(status.workersSeen, 'worker')} graded this run; ${status.workersAlive} alive now`,
  ];
  if (status.firstGradedAt && status.lastGradedAt) {
    const seconds = (Date.parse(status.lastGradedAt) - Date.parse(status.firstGradedAt)) / 1000;
    const rate = seconds > 0 ? ` (${(status.graded / seconds).toFixed(1)} answers/s)` : '';
    lines.push(`graded from ${when(status.firstGradedAt)} to ${when(status.lastGradedAt)}${rate}`);
  }
  if (status.state !== 'queued')
    lines.push(
      `${status.state === 'done' ? 'report' : 'report so far'}: answerkey runs report ${status.runId} --out runs/${status.runId}`,
    );
  if (status.state === 'queued' && status.workersAlive === 0)
    lines.push('no worker is running: start one with `answerkey worker`');
  return `${lines.join('\n')}\n`;
}

export function runsCommand(io: CliIo): Command {
  const runs = new Command('runs')
    .summary('follow batch runs queued with batch --queue, and write their reports')
    .description(
      'A run queued with `answerkey batch INPUT --queue` is graded by workers (`answerkey worker`) and kept in the ' +
        'database (--database-url / ANSWERKEY_DATABASE_URL). These commands say how far it got and write its files.',
    );

  const status = new Command('status')
    .summary('how far a queued run got: graded / total, failed, jobs, workers')
    .description(
      'Counts the grades stored for the run, the answers that could not be graded, its jobs in the queue ' +
        '(waiting, to retry, held by workers, in the dead-letter queue after every retry failed) and the workers ' +
        'that graded it. States: queued (nothing graded yet), running, done (every answer graded or refused), ' +
        'failed (jobs gave up: see `answerkey worker` logs).',
    )
    .argument('<run-id>', 'the id `answerkey batch --queue` printed')
    .option('--json', 'print the status as one JSON object')
    .addOption(databaseUrlOption())
    .addHelpText(
      'after',
      `
Examples:
  $ answerkey runs status run-20250612-1a2b3c4d --database-url postgres://answerkey@127.0.0.1:5432/answerkey
  $ ANSWERKEY_DATABASE_URL=postgres://answerkey@127.0.0.1:5432/answerkey answerkey runs status run-20250612-1a2b3c4d --json`,
    )
    .action(async (runId: string, options: StatusOptions) => {
      const found = await withDatabase(options.databaseUrl, (database) => readRunStatus(database, runId));
      io.stdout(options.json ? `${JSON.stringify(found)}\n` : formatStatus(found, io.color));
    });

  const report = withSharedOptions(
    new Command('report')
      .summary("write a queued run's results.jsonl, candidates.csv and report.html")
      .description(
        'Writes to --out DIR what a local `answerkey batch INPUT --out DIR` writes: results.jsonl (the grades, read ' +
          'from the database a page at a time), errors.jsonl, candidates.csv, questions.csv, similar.csv and ' +
          'report.html. For a run still under way it covers what is graded so far; run it again later for the rest.',
      )
      .argument('<run-id>', 'the id `answerkey batch --queue` printed')
      .requiredOption('-o, --out <dir>', 'output folder (created if needed; its files are replaced)')
      .addHelpText(
        'after',
        `
Examples:
  $ answerkey runs report run-20250612-1a2b3c4d --out runs/june --database-url postgres://answerkey@127.0.0.1:5432/answerkey`,
      ),
  ).action(async (runId: string, options: ReportOptions) => {
    const bank = loadQuestionBank(configFrom(options).bankDirectory);
    const written = await withDatabase(options.databaseUrl, (database) =>
      writeRunReport(database, runId, options.out, bank),
    );
    const out = options.out;
    io.stdout(
      `${runId}: ${plural(written.grades, 'grade')} of ${plural(written.summary.candidates.length, 'candidate')}` +
        (written.problems > 0 ? `; ${written.problems} not graded (reasons in ${join(out, ERRORS_FILE)})` : '') +
        `\nWrote ${[REPORT_FILE, CANDIDATES_FILE, QUESTIONS_FILE, SIMILAR_FILE, RESULTS_FILE].map((file) => join(out, file)).join(', ')}\n`,
    );
  });

  return runs.addCommand(status).addCommand(report);
}
