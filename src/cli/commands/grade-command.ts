import { Command, Option } from 'commander';
import { AnswerkeyError } from '../../errors/answerkey-error.js';
import { createGrader } from '../../app/create-grader.js';
import type { CliIo } from '../cli-io.js';
import { formatGrade } from '../format/format-grade.js';
import { createStyle } from '../format/terminal-style.js';
import { refuseUnavailableLlmMode, withLlmOptions } from '../llm-options.js';
import { readAnswer } from '../read-answer.js';
import { configFrom, withExampleCountOption, withSharedOptions, type SharedOptionValues } from '../shared-options.js';

interface GradeOptions extends SharedOptionValues {
  questionId?: string;
  question?: string;
  reference?: string;
  maxScore?: string;
  answer?: string;
  answerFile?: string;
  json?: boolean;
}

export function parseMaxScore(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    throw new AnswerkeyError('invalid_input', `--max-score must be a positive number, not "${value}"`);
  }
  return number;
}

export function gradeCommand(io: CliIo): Command {
  const command = new Command('grade')
    .summary('grade one answer against the bank or an inline reference')
    .description(
      'Grade one answer. Name the question by bank id (--question-id q4), by its text (--question "…", ' +
        'matched against the bank even when paraphrased), or give a question and its reference answer inline ' +
        '(--question "…" --reference "…") to grade against a question the bank does not have.',
    )
    .option('-i, --question-id <id>', 'bank question id, e.g. q4 (see `answerkey questions`)')
    .option('-q, --question <text>', 'question text; matched against the bank unless --reference is given')
    .option('-r, --reference <text>', 'reference answer for an ad-hoc question (key points are derived from it)')
    .addOption(new Option('--max-score <n>', "scale of the score (default: the rubric's, or 5)"))
    .option('-a, --answer <text>', "the candidate's answer")
    .option('-f, --answer-file <file>', 'read the answer from a file ("-" for standard input)')
    .option('--json', 'print the grade as JSON (schema: schema/grade.schema.json)')
    .addHelpText(
      'after',
      `
Examples:
  $ answerkey grade --question-id q4 --answer "Eager mode runs each op as it is called…"
  $ answerkey grade --question "how does tf eager mode differ from graph mode?" --answer-file answer.md
  $ cat answer.txt | answerkey grade -i q10 --json
  $ answerkey grade --question "What is a stack?" --reference "A last-in, first-out collection." --answer "Last in, first out."
  $ OPENAI_API_KEY=… answerkey grade -i q4 --mode llm --samples 3 --answer-file answer.md --json`,
    );
  return withExampleCountOption(withLlmOptions(withSharedOptions(command))).action(async (options: GradeOptions) => {
    if (options.questionId === undefined && options.question === undefined) {
      throw new AnswerkeyError('invalid_input', 'say which question the answer is for', {
        hint: 'pass --question-id ID (see `answerkey questions`) or --question "text"',
      });
    }
    const config = configFrom(options);
    refuseUnavailableLlmMode(config);
    const answer = await readAnswer(options, io, true);
    const grader = createGrader(config, { notice: (message) => io.stderr(`answerkey: ${message}\n`) });
    const grade = await grader.grade({
      answer: answer ?? '',
      questionId: options.questionId,
      question: options.question,
      referenceAnswer: options.reference,
      maxScore: parseMaxScore(options.maxScore),
    });
    if (options.json) {
      io.stdout(`${JSON.stringify(grade, null, 2)}\n`);
      return;
    }
    const question = grade.questionId ? (grader.bank.get(grade.questionId)?.question ?? '') : (options.question ?? '');
    io.stdout(formatGrade(grade, question, createStyle(io.color)));
  });
}
