import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { AnswerkeyError } from '../../errors/answerkey-error.js';
import { calibrate } from '../../evaluation/calibrate.js';
import { readDataset } from '../../evaluation/dataset.js';
import type { AgreementMetrics } from '../../evaluation/metrics.js';
import { createGrader } from '../../app/create-grader.js';
import { loadLocalScorerWeights } from '../../grading/local-scorer/index.js';
import { assertExists } from '../input-path.js';
import type { CliIo } from '../cli-io.js';
import { assertWritable, writeOutput } from '../output-file.js';
import { parseWholeNumber } from '../whole-number.js';
import { createStyle } from '../format/terminal-style.js';
import { configFrom, withSharedOptions, type SharedOptionValues } from '../shared-options.js';
import { plural } from '../../text/plural.js';

interface CalibrateOptions extends SharedOptionValues {
  dataset: string;
  out: string;
  folds: string;
  minAnswers: string;
  force?: boolean;
}

const figures = (metrics: AgreementMetrics) =>
  `r ${metrics.pearson.toFixed(3)}, RMSE ${metrics.rmse.toFixed(3)} (n ${metrics.n})`;

export function calibrateCommand(io: CliIo): Command {
  const command = new Command('calibrate')
    .summary("fit the local scorer to your graders' scores")
    .description(
      [
        'Fits the local scorer to a JSONL file of human-graded answers (the format of',
        '`answerkey eval`) and writes a weights file, which every command loads with',
        '--weights FILE or ANSWERKEY_WEIGHTS_PATH:',
        "  - the scorer's model, refitted on the scale of these grades;",
        '  - per bank question with at least --min-answers graded answers (rows naming a',
        "    bank question_id without a reference_answer), a mapping from the scorer's",
        "    score to the graders', pulled towards no change.",
        'It prints the agreement before; with the new weights on questions left out of',
        'the fit; and the mappings on answers left out of them. The shipped weights come',
        'from scripts/fit-local-scorer.ts on the development data.',
        'For a few graded answers per question, `answerkey examples add` is the lighter',
        'tool: examples guide grading directly, with no refit.',
      ].join('\n'),
    )
    .requiredOption('-d, --dataset <file>', 'JSONL file of human-graded answers')
    .option('-o, --out <file>', 'where to write the weights', 'calibrated-weights.json')
    .option('--folds <k>', 'question-level folds for the estimate', '5')
    .option('--min-answers <n>', 'graded answers a question needs for its own mapping', '10')
    .option('--force', 'overwrite --out if it exists')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ answerkey calibrate --dataset our-grades.jsonl --out weights.json\n' +
        '  $ answerkey grade --weights weights.json -i q4 -a "…"\n' +
        '  $ answerkey eval --weights weights.json -d held-out-grades.jsonl',
    );
  return withSharedOptions(command).action(async (options: CalibrateOptions) => {
    const folds = parseWholeNumber(options.folds, '--folds', { minimum: 2 });
    const minAnswersPerQuestion = parseWholeNumber(options.minAnswers, '--min-answers', { minimum: 3 });
    if (existsSync(options.out) && !options.force) {
      throw new AnswerkeyError('invalid_input', `${options.out} exists`, {
        hint: 'pass --force to overwrite it, or choose another --out',
      });
    }
    assertExists(options.dataset, '--dataset');
    const config = configFrom(options);
    assertWritable(options.out, '--out');
    const rows = readDataset(options.dataset);
    const grader = createGrader(config);
    const result = await calibrate(rows, {
      bank: grader.bank,
      scorer: grader.scorer,
      weights: loadLocalScorerWeights(config.weightsPath),
      folds,
      minAnswersPerQuestion,
      source: options.dataset,
    });
    writeOutput(options.out, `${JSON.stringify(result.weights, null, 2)}\n`, '--out');
    const style = createStyle(io.color);
    io.stdout(`${style.bold(options.dataset)}: ${plural(rows.length, 'graded answer')}\n`);
    io.stdout(`  weights as loaded:                        ${figures(result.before)}\n`);
    if (result.crossValidated)
      io.stdout(`  refitted, on questions left out of the fit: ${figures(result.crossValidated)}\n`);
    if (!result.crossValidated)
      io.stdout(style.dim('  (one question only: no estimate on questions left out of the fit)\n'));
    const mapped = Object.entries(result.mappedQuestions);
    if (mapped.length > 0) {
      io.stdout(
        `  own score mapping for ${plural(mapped.length, 'bank question')}: ${mapped.map(([id, count]) => `${id} (${count})`).join(', ')}\n`,
      );
      if (result.mappingCheck) {
        io.stdout(
          `    on their answers held out of the mapping: ${figures(result.mappingCheck.withMapping)}; without it ${figures(result.mappingCheck.withoutMapping)}\n`,
        );
      }
    } else if (result.bankRows > 0) {
      io.stdout(
        `  no bank question has ${minAnswersPerQuestion} graded answers (--min-answers): no per-question mapping\n`,
      );
    } else {
      io.stdout('  no row names a bank question without a reference of its own: no per-question mapping\n');
    }
    if (result.inlineQuestions > 0)
      io.stdout(
        style.dim(
          `  ${plural(result.inlineQuestions, 'question')} came with their own reference answer: they shape the weights, but only bank questions get a mapping\n`,
        ),
      );
    io.stdout(
      `\nwrote ${options.out}; use it with --weights ${options.out} or ANSWERKEY_WEIGHTS_PATH=${options.out}\n`,
    );
  });
}
