import { basename } from 'node:path';
import { Command, Option } from 'commander';
import { AnswerkeyError } from '../../errors/answerkey-error.js';
import { readDataset } from '../../evaluation/dataset.js';
import type { AgreementSummary, MetricSpread } from '../../evaluation/evaluation-summary.js';
import { protocolText, renderEvaluationReport } from '../../evaluation/render-evaluation-report.js';
import { reviewAnalysis, type ReviewAnalysis } from '../../evaluation/review-analysis.js';
import { evaluateRows } from '../../evaluation/run-evaluation.js';
import { createGrader } from '../../app/create-grader.js';
import { loadLocalScorerWeights } from '../../grading/local-scorer/index.js';
import { assertExists } from '../input-path.js';
import type { CliIo } from '../cli-io.js';
import { assertWritable, writeOutput } from '../output-file.js';
import { parseWholeNumber } from '../whole-number.js';
import { createStyle } from '../format/terminal-style.js';
import { configFrom, withSharedOptions, type SharedOptionValues } from '../shared-options.js';
import { noun, plural } from '../../text/plural.js';

interface EvalOptions extends SharedOptionValues {
  dataset: string;
  folds?: string;
  foldBy: 'question' | 'assignment';
  shots: string;
  seeds: string;
  json?: boolean;
  report?: string;
}

const METRICS = ['pearson', 'spearman', 'rmse', 'mae', 'qwk'] as const;

function cell(spread: MetricSpread, seeds: number): string {
  return (seeds > 1 ? `${spread.mean.toFixed(3)}±${spread.sd.toFixed(3)}` : spread.mean.toFixed(3)).padStart(
    seeds > 1 ? 13 : 9,
  );
}

function metricsRow(name: string, summary: AgreementSummary, seeds: number): string {
  return `${name.padEnd(12)}${String(summary.n).padStart(6)}${METRICS.map((metric) => cell(summary[metric], seeds)).join('')}\n`;
}

function reviewLine(name: string, analysis: ReviewAnalysis): string {
  const percent = (rate: number | null) => (rate === null ? '–' : `${(rate * 100).toFixed(0)}%`);
  const { needsReview, lowConfidence } = analysis;
  return (
    `${name.padEnd(12)}errors ≥ ${(analysis.largeErrorFraction * 100).toFixed(0)}% of the scale: ` +
    `${percent(needsReview.selected.largeErrorRate)} of ${needsReview.selected.answers} needs_review vs ${percent(needsReview.rest.largeErrorRate)} of the rest; ` +
    `${percent(lowConfidence.selected.largeErrorRate)} of the least confident quarter vs ${percent(lowConfidence.rest.largeErrorRate)}\n`
  );
}

/** Progress redrawn in place on a terminal's standard error, a few times a second; nothing elsewhere (pipes, logs, --json's stdout). */
function progressLine(io: CliIo): ((done: number, total: number) => void) | undefined {
  if (!io.interactiveStderr) return undefined;
  let shownAt = Number.NEGATIVE_INFINITY;
  return (done, total) => {
    const now = performance.now();
    if (done < total && now - shownAt < 100) return;
    shownAt = now;
    io.stderr(
      done < total
        ? `\r\u001b[2Kgrading ${done}/${total} ${noun(total, 'answer')} (${Math.floor((done / total) * 100)}%)`
        : '\r\u001b[2K',
    );
  };
}

export function evalCommand(io: CliIo): Command {
  const command = new Command('eval')
    .summary('measure agreement with human grades on a data set')
    .description(
      [
        'Grades every row of a JSONL file of human-graded answers (fields: question_id,',
        'question, reference_answer, answer, score, max_score; a row without',
        'reference_answer is graded against the bank entry named by question_id) and',
        "prints Pearson r, Spearman ρ, RMSE and MAE on the file's scale, and quadratic",
        'weighted kappa on rounded scores.',
        '',
        'Protocols:',
        '  zero-shot (default)  each answer graded from its reference answer alone',
        '  --shots K            per question, K answers chosen at random become graded',
        '                       examples and the rest are graded with them; repeated',
        '                       for --seeds runs, reported as mean ± spread',
        "  --folds K            the scorer's weights refitted K times, each time without",
        '                       the questions (--fold-by assignment: assignments) it',
        '                       then scores; "all" leaves one out at a time',
        'Without --folds the weights as loaded are used (shipped: fitted on the',
        'development data, so figures on those files are in-sample).',
        '',
        'Also reports how often answers flagged needs_review (and the least confident',
        'quarter) are the ones with large errors (≥ 30% of the scale). --report writes a',
        'self-contained HTML page with a scatter plot, a confusion matrix and the',
        'worst-graded 10% of answers with what the grader saw.',
      ].join('\n'),
    )
    .requiredOption('-d, --dataset <file>', 'JSONL file of human-graded answers')
    .addOption(new Option('--folds <k>', 'refit the weights with K folds (2 or more, or "all")'))
    .addOption(
      new Option('--fold-by <unit>', 'what a fold holds out').choices(['question', 'assignment']).default('question'),
    )
    .option('--shots <k>', 'graded examples per question (0 = zero-shot)', '0')
    .option('--seeds <n>', 'runs with --shots, each choosing other examples', '5')
    .option('--report <file.html>', 'write the HTML report here')
    .option('--json', 'print one JSON object: the protocol, metrics (mean, sd, min, max) and the needs_review analysis')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ answerkey eval --dataset ../shared/datasets/mohler-dev.jsonl --folds 5\n' +
        '  $ answerkey eval -d ../shared/datasets/mohler-dev.jsonl --folds 5 --shots 10 --seeds 5 --report mohler.html\n' +
        '  $ answerkey eval -d ../shared/datasets/saf-en-dev.jsonl --folds all\n' +
        '  $ answerkey eval -d graded.jsonl --json',
    );
  return withSharedOptions(command).action(async (options: EvalOptions, invoked: Command) => {
    const folds =
      options.folds === undefined
        ? undefined
        : options.folds === 'all'
          ? ('all' as const)
          : parseWholeNumber(options.folds, '--folds', { minimum: 2 });
    const shots = parseWholeNumber(options.shots, '--shots', { minimum: 0 });
    const seedCount = parseWholeNumber(options.seeds, '--seeds', { minimum: 1 });
    if (shots === 0 && invoked.getOptionValueSource('seeds') === 'cli') {
      throw new AnswerkeyError('invalid_input', '--seeds applies only with --shots', {
        hint: 'add --shots K (graded examples per question), or drop --seeds',
      });
    }
    // Refused rather than implying folds: how many folds is a choice with a cost, and a silent default would hide it.
    if (folds === undefined && invoked.getOptionValueSource('foldBy') === 'cli') {
      throw new AnswerkeyError('invalid_input', '--fold-by applies only with --folds', {
        hint: 'add --folds K (or --folds all) to refit the weights by held-out groups, or drop --fold-by',
      });
    }
    assertExists(options.dataset, '--dataset');
    const config = configFrom(options);
    if (options.report) assertWritable(options.report, '--report');
    const rows = readDataset(options.dataset);
    const grader = createGrader(config);
    // Figures from weights fitted on this very file are in-sample: say so rather than let them pass for agreement.
    const fittedOn = loadLocalScorerWeights(config.weightsPath).fittedOn;
    const inSample = !folds && fittedOn.includes(basename(options.dataset));
    const started = performance.now();
    const result = await evaluateRows(rows, {
      bank: grader.bank,
      scorer: grader.scorer,
      folds,
      foldBy: options.foldBy,
      shots,
      seeds: Array.from({ length: seedCount }, (_, index) => index + 1),
      source: options.dataset,
      onProgress: progressLine(io),
    });
    const seconds = (performance.now() - started) / 1000;
    const { summary } = result;
    const review = reviewAnalysis(summary.answers);
    if (options.json) {
      const { protocol, overall, byDataset } = summary;
      io.stdout(
        `${JSON.stringify({ source: options.dataset, protocol, overall, byDataset, review, skippedQuestions: result.skippedQuestions })}\n`,
      );
      if (options.report) writeOutput(options.report, renderEvaluationReport(summary), '--report');
      return;
    }
    const style = createStyle(io.color);
    const runs = result.runs.length;
    io.stdout(
      `${style.bold(options.dataset)}: ${plural(rows.length, 'answer')}, ${protocolText(summary.protocol)}, graded in ${seconds.toFixed(1)} s\n\n`,
    );
    io.stdout(
      style.dim(
        `${''.padEnd(12)}${'n'.padStart(6)}${METRICS.map((name) => name.padStart(runs > 1 ? 13 : 9)).join('')}\n`,
      ),
    );
    io.stdout(metricsRow('overall', summary.overall, runs));
    const datasets = Object.entries(summary.byDataset);
    if (datasets.length > 1) for (const [name, metrics] of datasets) io.stdout(metricsRow(name, metrics, runs));
    if (runs > 1) io.stdout(style.dim(`(mean ± standard deviation over ${runs} seeds; n is per run)\n`));
    if (inSample)
      io.stdout(
        style.dim(
          `(in-sample: the weights were fitted on ${basename(options.dataset)}; use --folds for figures on unseen questions)\n`,
        ),
      );
    io.stdout(`\n${style.bold('needs_review')} ${style.dim('(first run)')}\n`);
    io.stdout(reviewLine('overall', review.overall));
    if (datasets.length > 1)
      for (const [name, analysis] of Object.entries(review.byDataset)) io.stdout(reviewLine(name, analysis));
    if (result.skippedQuestions.length > 0) {
      io.stdout(
        style.dim(
          `\n${plural(result.skippedQuestions.length, 'question')} with ${plural(shots, 'answer')} or fewer left out: ${result.skippedQuestions.join(', ')}\n`,
        ),
      );
    }
    if (options.report) {
      writeOutput(options.report, renderEvaluationReport(summary), '--report');
      io.stdout(`\nreport: ${options.report}\n`);
    }
  });
}
