import { Command, Option } from 'commander';
import { AnswerkeyError } from '../../errors/answerkey-error.js';
import { createGrader } from '../../app/create-grader.js';
import type { LookupMatch } from '../../app/grader.js';
import type { Rubric } from '../../rubrics/rubric-schema.js';
import { lookupResponse } from '../../server/api-schemas.js';
import type { CliIo } from '../cli-io.js';
import { parseWholeNumber } from '../whole-number.js';
import { formatGrade, formatRubric } from '../format/format-grade.js';
import { shellQuote } from '../format/shell-quote.js';
import { createStyle } from '../format/terminal-style.js';
import { refuseUnavailableLlmMode, withLlmOptions } from '../llm-options.js';
import { readAnswer } from '../read-answer.js';
import { configFrom, withExampleCountOption, withSharedOptions, type SharedOptionValues } from '../shared-options.js';
import { knownIdsText } from '../error-hints.js';

interface LookupOptions extends SharedOptionValues {
  answer?: string;
  answerFile?: string;
  /** true: take the nearest entry even below the threshold; a string: that bank id. */
  questionId?: string | true;
  limit: string;
  json?: boolean;
}

/** An answer this short is repeated in a suggested command; a longer one is left to the reader. */
const ANSWER_SHOWN_IN_COMMAND = 60;

/** The bank entry the interviewer settled on, and how closely the text matched it. */
interface Chosen {
  rubric: Rubric;
  similarity: number;
  /** How it was chosen: matched, the nearest taken with -i, or named with -i ID. */
  how: 'matched' | 'nearest' | 'named';
}

function choose(
  matches: readonly LookupMatch[],
  threshold: number,
  questionId: LookupOptions['questionId'],
  named: Rubric | undefined,
): Chosen | undefined {
  if (named)
    return {
      rubric: named,
      similarity: matches.find((match) => match.questionId === named.id)?.similarity ?? 1,
      how: 'named',
    };
  const best = matches[0];
  if (!best) return undefined;
  if (best.similarity >= threshold) return { rubric: best.rubric, similarity: best.similarity, how: 'matched' };
  return questionId === true ? { rubric: best.rubric, similarity: best.similarity, how: 'nearest' } : undefined;
}

export function lookupCommand(io: CliIo): Command {
  const command = new Command('lookup')
    .summary("an interviewer's second opinion: the bank's reference for a question, and a grade")
    .description(
      'Find the bank entry for a question as you asked it (short forms, abbreviations and typos are fine) and show ' +
        "its reference answer and key points. Add the candidate's answer to grade it too. With only an answer, " +
        'find the question it answers. When nothing is close enough, the nearest entries are offered: run the same ' +
        'command with -i to take the first, or -i ID for another.',
    )
    .argument('[question]', 'the question as you asked it')
    .option('-a, --answer <text>', "the candidate's answer: graded against the matching reference")
    .option('-f, --answer-file <file>', 'read the answer from a file ("-" for standard input)')
    .option(
      '-i, --question-id [id]',
      'use this bank entry; without an id, the nearest even when it is below the match threshold',
    )
    .addOption(new Option('-n, --limit <n>', 'how many nearest entries to list').default('3'))
    .option('--json', 'print as JSON')
    .addHelpText(
      'after',
      `
Exit status: 0 when it shows an entry or the nearest ones; 1 when an answer was given but nothing was
graded (no entry matched: add -i to grade against the nearest); 2 for a usage mistake.

Examples:
  $ answerkey lookup "how would you stop a keras model from overfitting"
  $ answerkey lookup "dynamo vs postgres"
  $ answerkey lookup "tell me about eager vs graph mode" --answer "Eager runs ops immediately; graph mode traces a tf.function."
  $ answerkey lookup "tell me about a hard bug you debugged in prod" -i --answer "A memory leak: py-spy showed it."
  $ answerkey lookup --answer "Structured JSON logging with correlation ids across services, shipped to a central ELK stack."`,
    );
  return withExampleCountOption(withLlmOptions(withSharedOptions(command))).action(
    async (question: string | undefined, options: LookupOptions) => {
      const answer = await readAnswer(options, io, false);
      const namedId = typeof options.questionId === 'string' ? options.questionId : undefined;
      if (question === undefined && answer === undefined && namedId === undefined) {
        throw new AnswerkeyError('invalid_input', 'give a question, an answer, or both', {
          hint: 'answerkey lookup "question text" [--answer "text"]',
        });
      }
      const limit = parseWholeNumber(options.limit, '--limit', { minimum: 1 });
      const config = configFrom(options);
      // Only grading uses the scorer: a lookup of the question alone runs whatever the mode.
      if (answer !== undefined) refuseUnavailableLlmMode(config);
      const grader = createGrader(config, { notice: (message) => io.stderr(`answerkey: ${message}\n`) });
      const named = namedId === undefined ? undefined : grader.bank.get(namedId);
      if (namedId !== undefined && !named) {
        const ids = grader.bank.rubrics.map((rubric) => rubric.id);
        throw new AnswerkeyError('question_not_found', `no question "${namedId}" in the bank`, {
          hint: `${knownIdsText(ids)}; put -i after the question text, or give it an id`,
        });
      }
      const byQuestion = question !== undefined;
      const searched = question ?? answer;
      const matches =
        searched === undefined ? [] : await grader.lookup(searched, byQuestion ? 'question' : 'reference', limit);
      const threshold = grader.config.matchThreshold;
      const chosen = choose(matches, threshold, options.questionId, named);
      const grade =
        chosen && answer !== undefined ? await grader.grade({ answer, questionId: chosen.rubric.id }) : undefined;
      const graded =
        grade && chosen
          ? {
              ...grade,
              reference: { questionId: chosen.rubric.id, similarity: Math.round(chosen.similarity * 1000) / 1000 },
            }
          : undefined;
      const nothingGraded = () => {
        const [first, second] = matches;
        return new AnswerkeyError(
          'question_not_found',
          `nothing graded: no bank question is close enough (nearest: ${first ? `${first.questionId} at ${first.similarity.toFixed(2)}` : 'none'}, threshold ${threshold})`,
          {
            hint: first
              ? `add -i to grade against ${first.questionId}${second ? `, or -i ${second.questionId} for another` : ''}; or grade against your own reference: answerkey grade --question "…" --reference "…" --answer "…"`
              : 'grade against your own reference: answerkey grade --question "…" --reference "…" --answer "…"',
          },
        );
      };
      if (options.json) {
        // The API's shape (GET /v1/lookup), with the chosen rubric and the grade the command line also shows.
        io.stdout(
          `${JSON.stringify({ ...lookupResponse(matches, threshold), rubric: chosen?.rubric ?? null, grade: graded ?? null }, null, 2)}\n`,
        );
        if (answer !== undefined && !chosen) throw nothingGraded();
        return;
      }
      const style = createStyle(io.color);
      if (searched !== undefined) {
        io.stdout(style.bold(`Nearest bank entries (by ${byQuestion ? 'question' : 'reference answer'})\n`));
        for (const match of matches)
          io.stdout(
            `  ${match.similarity.toFixed(2)}  ${style.cyan(match.questionId.padEnd(5))} ${match.rubric.question.slice(0, 64)}…\n`,
          );
      }
      if (!chosen) {
        io.stdout(
          style.yellow(
            `\nNo bank question is close enough (the best is ${matches[0]?.similarity.toFixed(2) ?? 'none'}, the threshold ${threshold}).\n`,
          ),
        );
        if (matches.length > 0) {
          io.stdout(
            `Did you mean ${matches.map((match) => style.cyan(match.questionId)).join(', or ')}? Run the same command with -i to take ${matches[0].questionId}, or -i ID for another:\n`,
          );
          const answerPart =
            options.answerFile !== undefined
              ? ` --answer-file ${shellQuote(options.answerFile)}`
              : answer === undefined
                ? ''
                : ` --answer ${answer.length <= ANSWER_SHOWN_IN_COMMAND ? shellQuote(answer) : '"…"'}`;
          const asked = question === undefined ? '' : ` ${shellQuote(question)}`;
          for (const match of matches)
            io.stdout(style.dim(`  answerkey lookup${asked} -i ${match.questionId}${answerPart}\n`));
        }
        if (answer !== undefined) throw nothingGraded();
        return;
      }
      if (chosen.how === 'nearest') {
        io.stdout(
          style.yellow(
            `\nUsing ${chosen.rubric.id}, the nearest, as chosen with -i (similarity ${chosen.similarity.toFixed(2)}, below the threshold ${threshold}).\n`,
          ),
        );
      }
      io.stdout(`\n${formatRubric(chosen.rubric, style)}`);
      if (graded) io.stdout(`\n${formatGrade(graded, chosen.rubric.question, style)}`);
    },
  );
}
