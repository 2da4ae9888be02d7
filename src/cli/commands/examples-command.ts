import { Command } from 'commander';
import { AnswerkeyError } from '../../errors/answerkey-error.js';
import { describeBadLine, type BadExampleLine } from '../../examples/example-file.js';
import { describeProblems, type SourcedDraft } from '../../examples/example-store.js';
import type { GradedExample } from '../../examples/graded-example.js';
import { readExampleFile } from '../../examples/read-example-file.js';
import { openGrader, type OpenedGrader } from '../../app/create-grader.js';
import type { ExampleAdmin } from '../../app/grader.js';
import type { CliIo } from '../cli-io.js';
import { cliRebuildWarning } from '../error-hints.js';
import { createStyle, wrap } from '../format/terminal-style.js';
import { readAnswer } from '../read-answer.js';
import { configFrom, withSharedOptions, type SharedOptionValues } from '../shared-options.js';
import { parseMaxScore } from './grade-command.js';
import { plural } from '../../text/plural.js';

interface AddOptions extends SharedOptionValues {
  questionId?: string;
  score?: string;
  maxScore?: string;
  note?: string;
  answer?: string;
  answerFile?: string;
  file?: string;
}

interface ListOptions extends SharedOptionValues {
  questionId?: string;
  json?: boolean;
}

function parseScore(value: string | undefined): number {
  if (value === undefined) {
    throw new AnswerkeyError('invalid_input', 'give the score the answer earned', {
      hint: "pass --score N (from 0 to the question's maximum, 5 unless --max-score says otherwise)",
    });
  }
  const score = Number(value);
  if (value.trim() === '' || !Number.isFinite(score))
    throw new AnswerkeyError('invalid_input', `--score must be a number, not "${value}"`);
  return score;
}

function refuseFlagsWithFile(options: AddOptions): void {
  const given = (['questionId', 'score', 'maxScore', 'note', 'answer', 'answerFile'] as const).filter(
    (name) => options[name] !== undefined,
  );
  if (given.length > 0) {
    throw new AnswerkeyError(
      'invalid_input',
      '--file imports whole rows: it takes no --question-id, --score, --max-score, --note or answer',
      {
        hint: 'put question_id, answer, score, max_score and note in each row of the file',
      },
    );
  }
}

/** The one draft of `examples add` without --file: the flags and the answer. */
async function draftFromFlags(options: AddOptions, io: CliIo): Promise<SourcedDraft> {
  if (options.questionId === undefined) {
    throw new AnswerkeyError('invalid_input', 'say which question the graded answer is for', {
      hint: 'pass --question-id ID (see `answerkey questions`), or --file graded.jsonl to import many',
    });
  }
  const score = parseScore(options.score);
  const answer = (await readAnswer(options, io, true)) ?? '';
  return {
    questionId: options.questionId,
    answer,
    score,
    maxScore: parseMaxScore(options.maxScore),
    note: options.note,
  };
}

const lineOf = (problem: string) => Number(/:(\d+): /.exec(problem)?.[1] ?? 0);

/** The rows of a graded file, each checked (its format and against the bank) before anything is stored. */
function draftsFromFile(path: string, grader: ExampleAdmin): SourcedDraft[] {
  const { drafts, problems } = readExampleFile(path);
  const total = drafts.length + problems.length;
  if (total === 0) {
    throw new AnswerkeyError('examples_invalid', `${path} has no rows`, {
      hint: 'one JSON object a line: question_id, answer, score, max_score, note',
    });
  }
  const all = [...problems, ...grader.examples.problems(drafts)].sort((left, right) => lineOf(left) - lineOf(right));
  if (all.length > 0) {
    throw new AnswerkeyError('examples_invalid', describeProblems(all, total), {
      hint: 'fix the rows named and import the file again: nothing was imported',
    });
  }
  return drafts;
}

function countsByQuestion(examples: readonly GradedExample[]): string {
  const counts = new Map<string, number>();
  for (const example of examples) counts.set(example.questionId, (counts.get(example.questionId) ?? 0) + 1);
  return [...counts].map(([questionId, count]) => `${questionId}: ${count}`).join(', ');
}

/** After a change: how long the rebuild of the index took, or, when it failed, the warning (the change is made either way). */
function reportRebuild(milliseconds: number, warning: string | undefined, io: CliIo): void {
  if (warning === undefined)
    io.stdout(`Rebuilt the index in ${Math.round(milliseconds)} ms, so the next grade does not have to.\n`);
  else io.stderr(`answerkey: warning: ${warning}\n`);
}

function addCommand(io: CliIo): Command {
  const command = new Command('add')
    .summary('store a graded answer (or import a file of them)')
    .description(
      'Stores an answer you graded, with its score, as an example for grading later answers to the same question. ' +
        'The answer comes from --answer, --answer-file or standard input, as for `answerkey grade`.\n\n' +
        "With --file, imports every row of a JSONL file in the data sets' format (question_id, answer, score, max_score, " +
        'and an optional note), all or none: a bad row stops the import with its line number, and so does another ' +
        "process changing one of the questions' example files for more than 5 s; either way nothing is stored.\n\n" +
        'The index on disk is rebuilt at once, so a later `answerkey grade` uses the new examples without rebuilding it; ' +
        'a server already running picks them up at its next grade of a question with examples. Should the rebuild fail, ' +
        'the examples stay stored and a warning says so.',
    )
    .option('-i, --question-id <id>', 'the bank question the answer is for, e.g. q4')
    .option('-s, --score <n>', 'the score you gave, from 0 to the maximum')
    .option('--max-score <n>', "the scale of the score (default: the question's)")
    .option('--note <text>', 'why it earned that score; the LLM sees it with the example')
    .option('-a, --answer <text>', 'the graded answer')
    .option('-f, --answer-file <file>', 'read the answer from a file ("-" for standard input)')
    .option('--file <graded.jsonl>', 'import many graded answers, one JSON object a line')
    .addHelpText(
      'after',
      `
Examples:
  $ answerkey examples add -i q4 --score 2 --answer "Eager runs ops at once; graphs are faster." --note "no tf.function, no deployment"
  $ answerkey examples add -i q10 --score 4 --answer-file candidate-17.md
  $ cat answer.txt | answerkey examples add -i q4 --score 0.5 --max-score 1
  $ answerkey examples add --file graded.jsonl

A row of graded.jsonl:
  {"question_id": "q4", "answer": "Eager mode runs each op…", "score": 3, "max_score": 5, "note": "misses deployment"}`,
    );
  return withSharedOptions(command).action(async (options: AddOptions) => {
    if (options.file !== undefined) refuseFlagsWithFile(options);
    const single = options.file === undefined ? await draftFromFlags(options, io) : undefined;
    await withGrader(options, io, async (grader) => {
      const drafts = single ? [single] : draftsFromFile(options.file ?? '', grader);
      const started = performance.now();
      const { added, warning } = await grader.addExamples(drafts);
      const elapsed = performance.now() - started;
      if (single) {
        const [example] = added;
        const total = grader.examples.count(example.questionId);
        io.stdout(
          `Added ${example.id} to ${example.questionId} (score ${example.score} of ${example.maxScore}); ${example.questionId} has ${plural(total, 'graded example')}.\n`,
        );
      } else {
        io.stdout(
          `Imported ${plural(added.length, 'graded example')} from ${options.file} (${countsByQuestion(added)}).\n`,
        );
      }
      reportRebuild(elapsed, warning && cliRebuildWarning(warning), io);
    });
  });
}

/** Every bad line on standard error, by file and line: the listing is where they are reported in full (grading skips them with one notice). */
function warnOfBadLines(badLines: readonly BadExampleLine[], io: CliIo): void {
  if (badLines.length === 0) return;
  const what =
    badLines.length === 1
      ? 'a line that is not a graded example'
      : `${badLines.length} lines that are not graded examples`;
  io.stderr(`answerkey: warning: skipping ${what}; fix or delete them:\n`);
  for (const line of badLines) io.stderr(`  ${describeBadLine(line)}\n`);
}

function listCommand(io: CliIo): Command {
  const command = new Command('list')
    .summary('show the stored graded examples')
    .option('-i, --question-id <id>', "only this question's examples")
    .option('--json', 'print them as a JSON array')
    .addHelpText('after', '\nExamples:\n  $ answerkey examples list\n  $ answerkey examples list -i q4 --json');
  return withSharedOptions(command).action(async (options: ListOptions) => {
    await withGrader(
      options,
      io,
      async (grader) => {
        printExamples(grader, options, io);
        warnOfBadLines(grader.examples.badLines(options.questionId), io);
      },
      { notices: false },
    );
  });
}

function printExamples(grader: ExampleAdmin, options: ListOptions, io: CliIo): void {
  const examples = grader.examples.list(options.questionId);
  if (options.json) {
    io.stdout(`${JSON.stringify(examples, null, 2)}\n`);
    return;
  }
  const style = createStyle(io.color);
  if (examples.length === 0) {
    io.stdout(
      `No graded examples${options.questionId ? ` for ${options.questionId}` : ''} in ${grader.examples.location}.\n`,
    );
    io.stdout(style.dim('Add one with: answerkey examples add --question-id ID --score N --answer "…"\n'));
    return;
  }
  let questionId = '';
  for (const example of examples) {
    if (example.questionId !== questionId) {
      questionId = example.questionId;
      const question = grader.bank.get(questionId)?.question ?? '';
      io.stdout(
        `\n${style.bold(style.cyan(questionId))} ${style.dim(question.length > 70 ? `${question.slice(0, 70)}…` : question)}\n`,
      );
    }
    const answer = example.answer.replace(/\s+/g, ' ');
    io.stdout(
      `  ${style.bold(example.id)}  ${example.score}/${example.maxScore}  ${style.dim((example.addedAt ?? '').slice(0, 10))}\n`,
    );
    io.stdout(`${wrap(`“${answer.length > 200 ? `${answer.slice(0, 200)}…` : answer}”`, 76, '    ')}\n`);
    if (example.note) io.stdout(`${style.dim(wrap(`note: ${example.note}`, 76, '    '))}\n`);
  }
  io.stdout(style.dim(`\n${plural(examples.length, 'graded example')} in ${grader.examples.location}\n`));
}

function removeCommand(io: CliIo): Command {
  const command = new Command('remove')
    .summary('delete a graded example by id')
    .argument('<id>', "the example's id, as `answerkey examples list` shows it (ex-…)")
    .addHelpText('after', '\nExamples:\n  $ answerkey examples remove ex-1a2b3c4d');
  return withSharedOptions(command).action(async (id: string, options: SharedOptionValues) => {
    await withGrader(options, io, async (grader) => {
      const started = performance.now();
      const { removed, warning } = await grader.removeExample(id);
      const elapsed = performance.now() - started;
      const left = grader.examples.count(removed.questionId);
      io.stdout(
        `Removed ${removed.id} from ${removed.questionId}; ${removed.questionId} has ${plural(left, 'graded example')} left.\n`,
      );
      reportRebuild(elapsed, warning && cliRebuildWarning(warning), io);
    });
  });
}

/**
 * Runs `work` with the grader of the options: its examples in files, or in the database when one is
 * configured. `notices: false` keeps its notices (bad lines skipped) quiet, for a command that reports them itself.
 */
async function withGrader(
  options: SharedOptionValues,
  io: CliIo,
  work: (grader: OpenedGrader['grader']) => Promise<void>,
  { notices = true }: { notices?: boolean } = {},
): Promise<void> {
  const opened = await openGrader(configFrom(options), {
    ...(notices ? { notice: (message: string) => io.stderr(`answerkey: ${message}\n`) } : {}),
  });
  try {
    await work(opened.grader);
  } finally {
    await opened.close();
  }
}

export function examplesCommand(io: CliIo): Command {
  return new Command('examples')
    .summary("manage graded examples: answers you graded, used to grade the same question's answers")
    .description(
      'Graded examples are answers an interviewer has already graded. They are kept per question as JSON Lines ' +
        '(one file per question id) in the examples folder: --examples-dir, ANSWERKEY_EXAMPLES_DIR, or BANK/examples by default.\n\n' +
        'They are embedded into the vector index beside the bank. Grading an answer to that question retrieves the nearest ones ' +
        '(--examples N, default 10; 0 turns them off): the local scorer calibrates its score on them, and the LLM sees up to 5 ' +
        'as few-shot examples. The grade lists the examples that weighed in.',
    )
    .addCommand(addCommand(io))
    .addCommand(listCommand(io))
    .addCommand(removeCommand(io))
    .addHelpText(
      'after',
      `
Examples:
  $ answerkey examples add -i q4 --score 2 --answer "Eager runs ops at once; graphs are faster." --note "no deployment"
  $ answerkey examples add --file graded.jsonl
  $ answerkey examples list -i q4
  $ answerkey examples remove ex-1a2b3c4d
  $ answerkey grade -i q4 --answer-file answer.md     # now graded with q4's nearest examples`,
    );
}
