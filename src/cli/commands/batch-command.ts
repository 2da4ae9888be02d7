import { GRADING_MODES } from '../../config/grading-mode.js';
import { Command, Option } from 'commander';
import { basename, join } from 'node:path';
import { formatDuration, createProgress } from '../../batch/run/batch-progress.js';
import { describeKeptUnrecorded, describeRegrade } from '../../batch/run/answers-to-grade.js';
import { parseDeclaredQuestions } from '../../batch/input/declared-questions.js';
import { readOverridesCsv, type OverrideInput } from '../../batch/input/reviewer-overrides.js';
import { assertExists } from '../input-path.js';
import { ERRORS_FILE } from '../../batch/run/errors-log.js';
import { planBatch, type BatchPlan } from '../../batch/run/plan-batch.js';
import { REPORT_FILE } from '../../batch/report/render-report.js';
import { RESULTS_FILE } from '../../batch/run/results-store.js';
import { runBatch, type BatchRunResult } from '../../batch/run/run-batch.js';
import { CANDIDATES_FILE } from '../../batch/report/write-candidates-csv.js';
import { QUESTIONS_FILE } from '../../batch/report/write-questions-csv.js';
import { SIMILAR_FILE } from '../../batch/report/write-similar-csv.js';
import { AnswerkeyError } from '../../errors/answerkey-error.js';
import { createGrader } from '../../app/create-grader.js';
import type { Grader } from '../../app/grader.js';
import { estimateGradingTokens } from '../../llm/estimate-tokens.js';
import { estimateCost } from '../../config/price-table.js';
import type { CliIo } from '../cli-io.js';
import { cliRebuildWarning } from '../error-hints.js';
import { unavailableLlmModeError } from '../llm-options.js';
import { parseWholeNumber } from '../whole-number.js';
import { createStyle, type TerminalStyle } from '../format/terminal-style.js';
import { configFrom, withExampleCountOption, withSharedOptions, type SharedOptionValues } from '../shared-options.js';
import { noun, plural } from '../../text/plural.js';
import { enqueueRun } from '../../batch/queue/enqueue-run.js';
import { DEFAULT_JOB_TIMEOUT_SECONDS } from '../../batch/queue/queue-jobs.js';
import { readInput } from '../../batch/input/read-input.js';
import { assertMigrated } from '../../database/migrations.js';
import { openDatabase } from '../../database/open-database.js';

interface BatchOptions extends SharedOptionValues {
  out?: string;
  queue?: boolean;
  json?: boolean;
  jobTimeout?: string;
  concurrency: string;
  mode: string;
  dryRun?: boolean;
  questions?: string;
  overrides?: string;
  learn?: boolean;
}

const MAX_CONCURRENCY = 64;
const TOP_CANDIDATES = 5;

/** Tokens and dollars an LLM-mode run of the answers still to grade would spend, before spending them. */
function estimateSpend(plan: BatchPlan, grader: Grader): string {
  let promptTokens = 0;
  let completionTokens = 0;
  for (const answer of plan.remaining) {
    // An empty answer is graded 0 without asking the model.
    if (answer.answer.trim() === '') continue;
    const rubric = answer.questionRef.questionId ? grader.bank.get(answer.questionRef.questionId) : undefined;
    const estimate = estimateGradingTokens({
      question: rubric?.question ?? answer.questionRef.question ?? '',
      referenceAnswer: rubric?.referenceAnswer ?? answer.questionRef.referenceAnswer ?? '',
      keyPointTexts: rubric
        ? rubric.keyPoints.map((keyPoint) => keyPoint.text)
        : [answer.questionRef.referenceAnswer ?? ''],
      answer: answer.answer,
    });
    promptTokens += estimate.promptTokens;
    completionTokens += estimate.completionTokens;
  }
  const { chatModel, prices, samples } = grader.config.llm;
  const cost = estimateCost(prices, chatModel, promptTokens * samples, completionTokens * samples);
  const dollars =
    cost === null ? `no price known for ${chatModel} (set ANSWERKEY_LLM_PRICES)` : `about $${cost.toFixed(2)}`;
  return `token estimate (${chatModel}, ${plural(samples, 'sample')} each): ~${(promptTokens * samples).toLocaleString('en')} prompt + ~${(completionTokens * samples).toLocaleString('en')} completion tokens, ${dollars}`;
}

export function batchCommand(io: CliIo): Command {
  const command = new Command('batch')
    .summary('grade many answers at once: take-homes, CSV or JSONL, with a ranked report')
    .description(
      'Grade every answer in INPUT and write to --out DIR: results.jsonl (one grade per answer), candidates.csv ' +
        '(one row per candidate, ranked; answered_non_empty counts the answers with text in them), questions.csv ' +
        "(each question column's label, bank id and whole question), report.html (ranking, score distributions, answers to review, each " +
        "candidate's detail) and errors.jsonl (rows and sections that could not be graded, with the reason).\n\n" +
        'INPUT is a CSV or JSONL file with one answer per row (candidate_id, question_id or question, answer; ' +
        'optional reference_answer for a question not in the bank, max_score), or a folder of take-homes, one ' +
        '.md, .txt, .html, .docx, .pdf or .ipynb file per candidate (the file name is the candidate id), split by question headings: ' +
        '"## Q4", "Q4.", "**Q4:**" or the question\'s own text.\n\n' +
        'Each grade is saved as soon as it is ready: run the same command again after an interruption and it ' +
        'grades only what is left. An answer whose text changed is graded again.',
    )
    .argument('<input>', 'CSV or JSONL file, or a folder of take-homes')
    .option('-o, --out <dir>', 'output folder (created if needed; reused to resume); not with --queue')
    .addOption(new Option('-c, --concurrency <n>', 'answers graded at the same time').default('4'))
    .addOption(
      new Option(
        '--mode <mode>',
        'scorer: local (offline) or llm (a chat model; see README "LLM mode"); batches stay local unless asked',
      )
        .choices(GRADING_MODES)
        .default('local'),
    )
    .option('--dry-run', 'read the input and say what would be graded; grade and write nothing')
    .option(
      '--overrides <file>',
      "reviewers' scores to apply (the overrides.csv the report downloads): re-ranks and marks them reviewed",
    )
    .option('--learn', "with --overrides: store the reviewers' scores as graded examples of their questions too")
    .option(
      '--queue',
      'with a database (--database-url): store the run and queue it for `answerkey worker` processes on any machines; prints the run id',
    )
    .option('--json', 'with --queue: print {"runId": "…"} only')
    .option(
      '--job-timeout <seconds>',
      `with --queue: a job of answers not finished in this long (its worker died) goes to another worker (default ${DEFAULT_JOB_TIMEOUT_SECONDS})`,
    )
    .option(
      '--questions <ids|file>',
      'the bank questions every candidate was set (q1,q5,q9, or a file of ids): one not answered counts 0 as "no answer"',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ answerkey batch examples/take-homes --out runs/take-homes
  $ answerkey batch examples/answers.csv --out runs/csv --dry-run
  $ answerkey batch answers.jsonl -o runs/june --concurrency 8
  $ answerkey batch examples/take-homes -o runs/june --questions q3,q10,q11,q16
  $ answerkey batch examples/take-homes -o runs/take-homes --overrides overrides.csv --learn
  $ ANSWERKEY_DATABASE_URL=postgres://answerkey@127.0.0.1:5432/answerkey answerkey batch examples/answers.csv --queue

With --queue the run is graded by workers (answerkey worker) on any number of machines sharing the
database; follow it with answerkey runs status RUN_ID, and write the same files with
answerkey runs report RUN_ID --out DIR (docs/deploy.md, "Queue and workers").`,
    );
  return withExampleCountOption(withSharedOptions(command)).action(async (input: string, options: BatchOptions) => {
    if (options.queue) return queueBatch(io, input, options, command);
    if (options.out === undefined)
      throw new AnswerkeyError('invalid_input', '--out is required: the folder to write the grades and the report to', {
        hint: 'pass --out DIR, or --queue (with a database) to grade on workers',
      });
    for (const flag of ['json', 'jobTimeout'] as const)
      if (options[flag] !== undefined)
        throw new AnswerkeyError('invalid_input', `--${flag === 'json' ? 'json' : 'job-timeout'} goes with --queue`, {
          hint: 'add --queue (with a database) to grade on workers, or leave it out',
        });
    const out = options.out;
    const concurrency = parseWholeNumber(options.concurrency, '--concurrency', {
      minimum: 1,
      maximum: MAX_CONCURRENCY,
    });
    const notice = (message: string) => io.stderr(`answerkey: ${message}\n`);
    // Ctrl-C or SIGTERM aborts the model calls in flight: those answers stay ungraded for the next run.
    const stopCalls = new AbortController();
    const grader = createGrader(configFrom(options), { notice, stop: stopCalls.signal });
    if (options.mode === 'llm' && !grader.llmConfigured && !options.dryRun) {
      grader.close();
      throw unavailableLlmModeError();
    }
    let declaredQuestions: string[] | undefined;
    let overrides: { source: string; inputs: OverrideInput[] } | undefined;
    try {
      declaredQuestions =
        options.questions === undefined ? undefined : parseDeclaredQuestions(options.questions, grader.bank);
      if (options.learn && options.overrides === undefined)
        throw new AnswerkeyError(
          'invalid_input',
          "--learn needs --overrides: it stores the reviewers' scores as graded examples",
          { hint: 'pass --overrides overrides.csv (downloaded from the report)' },
        );
      if (options.overrides !== undefined) {
        assertExists(options.overrides, '--overrides');
        overrides = { source: basename(options.overrides), inputs: readOverridesCsv(options.overrides) };
      }
    } catch (error) {
      grader.close();
      throw error;
    }
    const style = createStyle(io.color);
    let stopSignal: NodeJS.Signals | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
      // A second Ctrl-C leaves at once; what is in results.jsonl stays, and the lock is taken over next time.
      if (stopSignal) process.exit(130);
      stopSignal = signal;
      stopCalls.abort();
      io.stderr(
        options.mode === 'llm'
          ? '\nanswerkey: stopping: model calls in flight are cancelled and left for the next run (press Ctrl-C again to quit now)\n'
          : '\nanswerkey: stopping after the answers in flight (press Ctrl-C again to quit now)\n',
      );
    };
    let interrupted = false;
    try {
      if (options.dryRun) {
        const plan = await planBatch(input, out, grader, options.mode === 'llm' ? 'llm' : 'local');
        const spend = options.mode === 'llm' ? estimateSpend(plan, grader) : 'token estimate: n/a in local mode';
        io.stdout(formatPlan(plan, input, out, style, spend));
        return;
      }
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const result = await runBatch({
        inputPath: input,
        outDirectory: out,
        concurrency,
        mode: options.mode === 'llm' ? 'llm' : 'local',
        grader,
        notice,
        progress: createProgress({
          interactive: io.color && io.interactiveStderr === true,
          write: io.color && io.interactiveStderr === true ? (io.drawingStderr ?? io.stderr) : io.stderr,
          columns: process.stderr.columns,
        }),
        shouldStop: () => stopSignal !== undefined,
        declaredQuestions,
        overrides,
        learn: options.learn === true,
      });
      if (result.graded === 0 && result.alreadyDone === 0 && !result.interrupted)
        throw nothingGraded(result, input, out);
      io.stdout(formatRun(result, out, style));
      if (result.interrupted) {
        interrupted = true;
        io.stderr(
          `answerkey: interrupted with ${plural(result.remaining, 'answer')} left; run the same command again to grade them\n`,
        );
      }
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      grader.close();
    }
    // Die by the signal, as an interrupted program should (exit status 130 for Ctrl-C).
    if (interrupted && stopSignal) process.kill(process.pid, stopSignal);
  });
}

/** A run that graded nothing and had nothing graded before: a failure, saying why, never "Graded 0 answers". */
function nothingGraded(result: BatchRunResult, input: string, out: string): AnswerkeyError {
  const notGraded = result.input.problems.length + result.failed.length;
  const errors = join(out, ERRORS_FILE);
  const takeHomes = result.input.takeHomeCandidates?.length ?? 0;
  if (notGraded === 0 && takeHomes > 0) {
    return new AnswerkeyError(
      'dataset_invalid',
      `nothing was graded: the ${plural(takeHomes, 'take-home')} in ${input} ${noun(takeHomes, 'is', 'are')} empty`,
      {
        hint: "check that the folder holds the candidates' answers",
      },
    );
  }
  if (notGraded === 0) {
    const what =
      result.input.kind === 'take-homes'
        ? 'no take-homes (.md, .txt, .html, .docx, .pdf or .ipynb files, one per candidate)'
        : 'no answers';
    return new AnswerkeyError('dataset_invalid', `nothing was graded: ${input} holds ${what}`, {
      hint:
        result.input.kind === 'take-homes'
          ? 'put one file per candidate in the folder'
          : 'add rows with candidate_id, question_id (or question) and answer',
    });
  }
  const units = result.input.kind === 'take-homes' ? ['file or section', 'files and sections'] : ['row', 'rows'];
  const what =
    notGraded === 1
      ? `the one ${units[0]} of ${input} could not be graded`
      : `none of the ${notGraded} ${units[1]} of ${input} could be graded`;
  return new AnswerkeyError('dataset_invalid', `nothing was graded: ${what}`, {
    hint: `the reason for each is in ${errors}; fix them and run the same command again`,
  });
}

function formatRun(result: BatchRunResult, out: string, style: TerminalStyle): string {
  const { summary } = result;
  const lines: string[] = [];
  const rate = result.seconds > 0 ? Math.round(result.graded / result.seconds) : 0;
  lines.push(
    `${style.bold(`Graded ${plural(result.graded, 'answer')}`)} in ${formatDuration(result.seconds)}${result.graded > 0 ? ` (${rate} answers/s)` : ''}` +
      (result.alreadyDone > 0 ? `; ${result.alreadyDone} ${noun(result.alreadyDone, 'was', 'were')} already done` : ''),
  );
  if (result.regrade.regraded > 0) lines.push(style.yellow(describeRegrade(result.regrade)));
  if (result.regrade.keptUnrecorded > 0) lines.push(describeKeptUnrecorded(result.regrade.keptUnrecorded, out));
  if (result.overrides.applied > 0) {
    const learned =
      result.overrides.learned > 0 ? `; ${plural(result.overrides.learned, 'graded example')} stored` : '';
    lines.push(
      `Applied ${plural(result.overrides.applied, "reviewer's score", "reviewers' scores")} (marked reviewed)${learned}`,
    );
  }
  if (result.overrides.warning) lines.push(style.yellow(cliRebuildWarning(result.overrides.warning)));
  const notGraded = result.input.problems.length + result.failed.length;
  if (notGraded > 0) lines.push(style.yellow(`Not graded: ${notGraded} (reasons in ${join(out, ERRORS_FILE)})`));
  if (summary.reviews.length > 0)
    lines.push(style.yellow(`Needs review: ${plural(summary.reviews.length, 'answer')} (listed in the report)`));
  if (summary.similarGroups.length > 0)
    lines.push(
      style.yellow(
        `Similar answers: ${plural(summary.similarGroups.length, 'group')} of candidates sharing most of an answer (in the report and ${SIMILAR_FILE})`,
      ),
    );
  if (summary.candidates.length > 0) {
    lines.push('', style.bold(`Top candidates (of ${summary.candidates.length})`));
    const width = Math.min(
      24,
      Math.max(...summary.candidates.slice(0, TOP_CANDIDATES).map((candidate) => candidate.candidateId.length)),
    );
    for (const candidate of summary.candidates.slice(0, TOP_CANDIDATES)) {
      const share = `${Math.round(candidate.normalizedTotal * 100)}%`.padStart(4);
      lines.push(
        `  ${String(candidate.rank).padStart(3)}  ${candidate.candidateId.padEnd(width)}  ${share}  ${style.dim(`${candidate.total.toFixed(1)} / ${candidate.maxTotal}`)}`,
      );
    }
  }
  lines.push(
    '',
    `Wrote ${[REPORT_FILE, CANDIDATES_FILE, QUESTIONS_FILE, SIMILAR_FILE, RESULTS_FILE].map((file) => join(out, file)).join(', ')}`,
  );
  return `${lines.join('\n')}\n`;
}

function formatPlan(plan: BatchPlan, input: string, out: string, style: TerminalStyle, spend: string): string {
  const candidates = plan.byCandidate.length;
  const answers = plan.input.answers.length;
  const lines = [
    style.bold('Dry run: nothing graded, nothing written.'),
    `${input} (${plan.input.kind}): ${plural(answers, 'answer')} from ${plural(candidates, 'candidate')} to ${plural(plan.byQuestion.length, 'question')}`,
    `already done in ${out}: ${plan.alreadyDone}; to grade: ${plan.toGrade}`,
    spend,
  ];
  if (plan.regrade.regraded > 0) lines.push(style.yellow(describeRegrade(plan.regrade, 'to grade again')));
  if (plan.regrade.keptUnrecorded > 0) lines.push(describeKeptUnrecorded(plan.regrade.keptUnrecorded, out));
  if (plan.damagedResults > 0)
    lines.push(
      style.yellow(
        `${join(out, RESULTS_FILE)} has ${plural(plan.damagedResults, 'damaged line')}; a run will drop and regrade them`,
      ),
    );
  const table = (title: string, counts: BatchPlan['byQuestion']) => {
    const width = Math.min(32, Math.max(...counts.map((count) => count.key.length)));
    lines.push('', style.bold(title));
    for (const count of counts) {
      const done = count.done > 0 ? style.dim(`  (${count.done} done)`) : '';
      lines.push(
        `  ${count.key.padEnd(width)}  ${String(count.answers).padStart(5)}${done}${count.note ? `  ${count.note}` : ''}`,
      );
    }
  };
  if (answers > 0) {
    table('Answers per question', plan.byQuestion);
    table('Answers per candidate', plan.byCandidate);
  }
  if (plan.input.problems.length > 0) {
    lines.push('', style.yellow(style.bold(`Cannot be graded (${plan.input.problems.length})`)));
    for (const problem of plan.input.problems)
      lines.push(`  ${problem.source}  ${problem.kind.replace(/_/g, ' ')}: ${problem.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `batch --queue`: the input read and checked as a local run reads it, stored with its jobs for workers to grade. */
async function queueBatch(io: CliIo, input: string, options: BatchOptions, command: Command): Promise<void> {
  const refuse = (flag: string, why: string) => {
    throw new AnswerkeyError('invalid_input', `--queue and ${flag} do not go together: ${why}`, {
      hint: `leave out ${flag}, or grade here without --queue`,
    });
  };
  if (options.out !== undefined)
    refuse('--out', 'workers grade the run; `answerkey runs report RUN_ID --out DIR` writes the files');
  if (options.dryRun) refuse('--dry-run', 'a dry run grades nothing, here or on workers');
  if (options.overrides !== undefined || options.learn)
    refuse('--overrides', "reviewers' scores are applied to a report's folder, by a local run with --out");
  if (command.getOptionValueSource('concurrency') !== 'default')
    refuse('--concurrency', 'each worker has its own (`answerkey worker --concurrency N`)');
  const jobTimeoutSeconds =
    options.jobTimeout === undefined
      ? DEFAULT_JOB_TIMEOUT_SECONDS
      : parseWholeNumber(options.jobTimeout, '--job-timeout', { minimum: 1, maximum: 23 * 3600 });
  const notice = (message: string) => io.stderr(`answerkey: ${message}\n`);
  const grader = createGrader(configFrom(options), { notice });
  try {
    const databaseUrl = grader.config.databaseUrl;
    if (databaseUrl === undefined)
      throw new AnswerkeyError('invalid_setting', '--queue needs a database: the run is stored there for workers', {
        hint: 'set ANSWERKEY_DATABASE_URL or pass --database-url postgres://user:password@host:5432/database (see docs/deploy.md)',
      });
    const mode = options.mode === 'llm' ? 'llm' : 'local';
    const declaredQuestions =
      options.questions === undefined ? undefined : parseDeclaredQuestions(options.questions, grader.bank);
    const batchInput = await readInput(input, grader.bank);
    if (batchInput.answers.length === 0)
      throw new AnswerkeyError('dataset_invalid', `nothing to queue: ${input} holds no answer that can be graded`, {
        hint:
          batchInput.problems.length > 0
            ? `${plural(batchInput.problems.length, 'row or section', 'rows or sections')} could not be read; \`answerkey batch ${input} --out DIR --dry-run\` lists why`
            : 'add rows with candidate_id, question_id (or question) and answer',
      });
    const database = openDatabase(databaseUrl, { maxConnections: 2 });
    try {
      await assertMigrated(database);
      const run = await enqueueRun({
        database,
        input: batchInput,
        inputName: basename(input),
        mode,
        grader,
        declaredQuestions,
        jobTimeoutSeconds,
      });
      if (options.json) {
        io.stdout(`${JSON.stringify({ runId: run.runId })}\n`);
        return;
      }
      const style = createStyle(io.color);
      const lines = [
        `${style.bold(`Queued ${run.runId}`)}: ${plural(run.total, 'answer')} from ${plural(run.candidates, 'candidate')} in ${plural(run.jobs, 'job')} of up to ${run.answersPerJob} (${mode} mode) on ${database.target}`,
        ...(run.problems > 0
          ? [
              style.yellow(
                `Not graded: ${run.problems} (rows or sections of the input; in the report's ${ERRORS_FILE})`,
              ),
            ]
          : []),
        '',
        'Grade it with workers, as many as you like, on any machine with the same database:',
        `  answerkey worker --concurrency 4`,
        'Follow it:',
        `  answerkey runs status ${run.runId}`,
        'Write results.jsonl, candidates.csv and report.html (at any time; all of it once done):',
        `  answerkey runs report ${run.runId} --out runs/${run.runId}`,
      ];
      io.stdout(`${lines.join('\n')}\n`);
    } finally {
      await database.close();
    }
  } finally {
    grader.close();
  }
}
