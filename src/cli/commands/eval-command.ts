import { Command, Option } from 'commander';
import { AnswerkeyError } from '../../errors/answerkey-error.js';
import { readDataset } from '../../evaluation/dataset.js';
import type { AgreementMetrics } from '../../evaluation/metrics.js';
import { evaluateRows } from '../../evaluation/run-evaluation.js';
import { createGrader } from '../../grading/grader.js';
import type { CliIo } from '../cli-io.js';
import { createStyle } from '../format/terminal-style.js';
import { configFrom, withSharedOptions, type SharedOptionValues } from '../shared-options.js';

interface EvalOptions extends SharedOptionValues {
  dataset: string;
  folds?: string;
  json?: boolean;
}

function metricsRow(name: string, metrics: AgreementMetrics): string {
  const cells = [metrics.pearson, metrics.spearman, metrics.rmse, metrics.mae, metrics.qwk].map((value) => value.toFixed(3).padStart(9));
  return `${name.padEnd(12)}${String(metrics.n).padStart(6)}${cells.join('')}\n`;
}

export function evalCommand(io: CliIo): Command {
  const command = new Command('eval')
    .summary('measure agreement with human grades on a data set')
    .description(
      'Grades every row of a JSONL file of human-graded answers (fields: question_id, question, reference_answer,\n' +
        'answer, score, max_score; a row without reference_answer is graded against the bank entry named by\n' +
        'question_id) and prints Pearson r, Spearman ρ, RMSE and MAE on the file\'s scale, and quadratic weighted\n' +
        'kappa on rounded scores.\n\n' +
        'With --folds K the scorer\'s weights are refitted K times on the other questions\' rows, so no score comes\n' +
        'from weights that saw its question. Without it the shipped weights are used (fitted on the development data).',
    )
    .requiredOption('-d, --dataset <file>', 'JSONL file of human-graded answers')
    .addOption(new Option('--folds <k>', 'refit the weights with K question-level folds (2 or more)'))
    .option('--json', 'print one JSON object: n, pearson, spearman, rmse, mae, qwk')
    .addHelpText('after', '\nExamples:\n  $ answerkey eval --dataset ../shared/datasets/mohler-dev.jsonl --folds 5\n  $ answerkey eval -d graded.jsonl --json');
  return withSharedOptions(command).action(async (options: EvalOptions) => {
    const folds = options.folds === undefined ? undefined : Number(options.folds);
    if (folds !== undefined && (!Number.isInteger(folds) || folds < 2)) {
      throw new AnswerkeyError('invalid_input', `--folds must be a whole number ≥ 2, not "${options.folds}"`);
    }
    const rows = readDataset(options.dataset);
    const grader = createGrader(configFrom(options));
    const started = performance.now();
    const result = await evaluateRows(rows, { bank: grader.bank, scorer: grader.scorer, folds });
    const seconds = (performance.now() - started) / 1000;
    if (options.json) {
      const { n, pearson, spearman, rmse, mae, qwk } = result.overall;
      io.stdout(`${JSON.stringify({ n, pearson, spearman, rmse, mae, qwk })}\n`);
      return;
    }
    const style = createStyle(io.color);
    const how = result.folds ? `weights refitted over ${result.folds} question-level folds` : 'shipped weights';
    io.stdout(`${style.bold(options.dataset)}: ${rows.length} answers graded in ${seconds.toFixed(1)} s (${how})\n\n`);
    io.stdout(style.dim(`${''.padEnd(12)}${'n'.padStart(6)}${['pearson', 'spearman', 'rmse', 'mae', 'qwk'].map((name) => name.padStart(9)).join('')}\n`));
    io.stdout(metricsRow('overall', result.overall));
    const datasets = Object.entries(result.byDataset);
    if (datasets.length > 1) for (const [name, metrics] of datasets) io.stdout(metricsRow(name, metrics));
  });
}
