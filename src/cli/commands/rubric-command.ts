import { Command } from 'commander';
import { WordVectors } from '../../embeddings/word-vectors.js';
import { AnswerkeyError } from '../../errors/answerkey-error.js';
import { createLocalScorer, loadLocalScorerWeights } from '../../grading/local-scorer/index.js';
import { scoringInputForRubric } from '../../grading/scorer.js';
import { runRubricTests, type RubricTestReport } from '../../rubric-tests/index.js';
import { loadQuestionBank } from '../../rubrics/question-bank.js';
import { plural } from '../../text/plural.js';
import type { CliIo } from '../cli-io.js';
import { createStyle, type TerminalStyle } from '../format/terminal-style.js';
import { configFrom, withSharedOptions, type SharedOptionValues } from '../shared-options.js';

interface RubricTestOptions extends SharedOptionValues {
  json?: boolean;
  all?: boolean;
}

function formatReport(report: RubricTestReport, style: TerminalStyle, showAll: boolean): string {
  const lines: string[] = [];
  for (const result of report.results) {
    const passed = result.problems.length === 0;
    if (passed && !showAll) continue;
    const mark = passed ? style.green('✔') : style.red('✘');
    lines.push(
      `${mark} ${result.questionId}/${result.testId} (${result.kind}) ${result.score.toFixed(1)} / ${result.maxScore}${passed ? '' : `: ${result.problems.join('; ')}`}`,
    );
  }
  if (lines.length > 0) lines.push('');
  lines.push(style.bold('kind        tests  mean /5  lowest  highest'));
  for (const kind of report.byKind) {
    lines.push(
      `${kind.kind.padEnd(12)}${String(kind.count).padStart(5)}  ${kind.meanOutOfFive.toFixed(2).padStart(7)}  ${kind.lowestOutOfFive.toFixed(2).padStart(6)}  ${kind.highestOutOfFive.toFixed(2).padStart(7)}`,
    );
  }
  const rho = report.rankCorrelation === null ? 'n/a' : report.rankCorrelation.toFixed(2);
  lines.push('', `Spearman ρ of scores with the kinds' order (strong > paraphrase > partial > weak > wrong): ${rho}`);
  const passed = report.results.length - report.failed;
  lines.push(
    report.failed === 0
      ? style.green(`${plural(report.results.length, 'test')} passed`)
      : style.red(`${passed} passed, ${report.failed} failed`),
  );
  return `${lines.join('\n')}\n`;
}

export function rubricCommand(io: CliIo): Command {
  const rubric = new Command('rubric').summary("check the bank's rubrics against their own graded test answers");
  const test = new Command('test')
    .summary("grade each rubric's test answers and say which miss their expected score or key points")
    .description(
      'A rubric may carry graded test answers (tests: in its YAML: a kind — strong, paraphrase, partial, weak or ' +
        'wrong — an answer, and optionally the expected score range, key-point statuses, misconceptions and flags). ' +
        'This grades each with the local scorer, without graded examples, and prints the ones that fail, the mean ' +
        'score per kind and how well the scores rank the kinds. Exits 1 when any test fails. Test answers are never ' +
        'graded examples: nothing learns from them.',
    )
    .argument('[ids...]', 'only these questions (default: every question with tests)')
    .option('--all', 'list passing tests too')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ answerkey rubric test\n' +
        '  $ answerkey rubric test q4 q13 --all\n' +
        '  $ answerkey rubric test --bank ./our-rubrics --json',
    );
  withSharedOptions(test).action(async (ids: string[], options: RubricTestOptions) => {
    const config = configFrom(options);
    const bank = loadQuestionBank(config.bankDirectory);
    const unknown = ids.filter((id) => !bank.get(id));
    if (unknown.length > 0) {
      throw new AnswerkeyError(
        'question_not_found',
        `no question ${unknown.map((id) => `"${id}"`).join(', ')} in the bank`,
        { hint: 'run `answerkey questions` to list the ids' },
      );
    }
    const rubrics = (ids.length > 0 ? ids.map((id) => bank.get(id)!) : bank.rubrics).filter(
      (candidate) => candidate.tests.length > 0,
    );
    if (rubrics.length === 0) {
      throw new AnswerkeyError(
        'invalid_input',
        `no rubric ${ids.length > 0 ? 'named' : `in ${bank.directory}`} has tests`,
        {
          hint: 'add tests: to a rubric (see rubrics/q4.yaml and docs/rubrics.md)',
        },
      );
    }
    const scorer = createLocalScorer({
      vectors: WordVectors.open(config.vectorsPath),
      weights: loadLocalScorerWeights(config.weightsPath),
    });
    const report = await runRubricTests(rubrics, (rubricToTest, answer) =>
      scorer.score(scoringInputForRubric(rubricToTest, answer, 1)),
    );
    io.stdout(
      options.json
        ? `${JSON.stringify(report, null, 2)}\n`
        : formatReport(report, createStyle(io.color), options.all === true),
    );
    if (report.failed > 0) {
      throw new AnswerkeyError(
        'rubric_tests_failed',
        `${report.failed} of ${plural(report.results.length, 'rubric test')} failed`,
        {
          hint: 'each failing test is listed above with what it expected',
        },
      );
    }
  });
  return rubric.addCommand(test);
}
