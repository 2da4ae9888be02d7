import { Command, Option } from 'commander';
import { AnswerkeyError } from '../../errors/answerkey-error.js';
import { createGrader } from '../../grading/grader.js';
import { lookupResponse } from '../../server/api-schemas.js';
import type { CliIo } from '../cli-io.js';
import { parseWholeNumber } from '../whole-number.js';
import { formatGrade, formatRubric } from '../format/format-grade.js';
import { createStyle } from '../format/terminal-style.js';
import { refuseUnavailableLlmMode, withLlmOptions } from '../llm-options.js';
import { readAnswer } from '../read-answer.js';
import { configFrom, withExampleCountOption, withSharedOptions, type SharedOptionValues } from '../shared-options.js';

interface LookupOptions extends SharedOptionValues {
  answer?: string;
  answerFile?: string;
  limit: string;
  json?: boolean;
}

export function lookupCommand(io: CliIo): Command {
  const command = new Command('lookup')
    .summary("an interviewer's second opinion: the bank's reference for a question, and a grade")
    .description(
      'Find the bank entry for a question as you asked it (paraphrases and typos are fine) and show its ' +
        'reference answer and key points. Add the candidate\'s answer to grade it too. With only an answer, ' +
        'find the question it answers.',
    )
    .argument('[question]', 'the question as you asked it')
    .option('-a, --answer <text>', "the candidate's answer: graded against the matching reference")
    .option('-f, --answer-file <file>', 'read the answer from a file ("-" for standard input)')
    .addOption(new Option('-n, --limit <n>', 'how many nearest entries to list').default('3'))
    .option('--json', 'print as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ answerkey lookup "how would you stop a keras model from overfitting"
  $ answerkey lookup "tell me about eager vs graph mode" --answer "Eager runs ops immediately…"
  $ answerkey lookup --answer-file candidate-answer.txt`,
    );
  return withExampleCountOption(withLlmOptions(withSharedOptions(command))).action(async (question: string | undefined, options: LookupOptions) => {
    const answer = await readAnswer(options, io, false);
    if (question === undefined && answer === undefined) {
      throw new AnswerkeyError('invalid_input', 'give a question, an answer, or both', {
        hint: 'answerkey lookup "question text" [--answer "text"]',
      });
    }
    const limit = parseWholeNumber(options.limit, '--limit', { minimum: 1 });
    const config = configFrom(options);
    // Only grading uses the scorer: a lookup of the question alone runs whatever the mode.
    if (answer !== undefined) refuseUnavailableLlmMode(config);
    const grader = createGrader(config, { notice: (message) => io.stderr(`answerkey: ${message}\n`) });
    const byQuestion = question !== undefined;
    const matches = await grader.lookup(byQuestion ? question : (answer ?? ''), byQuestion ? 'question' : 'reference', limit);
    const best = matches[0];
    const matched = best !== undefined && best.similarity >= grader.config.matchThreshold;
    const grade = matched && answer !== undefined ? await grader.grade({ answer, questionId: best.rubric.id }) : undefined;
    const graded = grade && best ? { ...grade, reference: { questionId: best.rubric.id, similarity: Math.round(best.similarity * 1000) / 1000 } } : undefined;
    if (options.json) {
      // The API's shape (GET /v1/lookup), with the matched rubric and the grade the command line also shows.
      const result = { ...lookupResponse(matches, grader.config.matchThreshold), rubric: matched ? best.rubric : null, grade: graded ?? null };
      io.stdout(`${JSON.stringify(result, null, 2)}\n`);
      return;
    }
    const style = createStyle(io.color);
    io.stdout(style.bold(`Nearest bank entries (by ${byQuestion ? 'question' : 'reference answer'})\n`));
    for (const match of matches) io.stdout(`  ${match.similarity.toFixed(2)}  ${style.cyan(match.questionId.padEnd(5))} ${match.rubric.question.slice(0, 64)}…\n`);
    if (!matched) {
      io.stdout(style.yellow(`\nNo matching question in the bank (best similarity below ${grader.config.matchThreshold}).\n`));
      io.stdout(style.dim('Grade against your own reference with: answerkey grade --question "…" --reference "…" --answer "…"\n'));
      return;
    }
    io.stdout(`\n${formatRubric(best.rubric, style)}`);
    if (graded) io.stdout(`\n${formatGrade(graded, best.rubric.question, style)}`);
  });
}
