import { Command } from 'commander';
import { loadQuestionBank } from '../../rubrics/question-bank.js';
import type { CliIo } from '../cli-io.js';
import { formatRubric } from '../format/format-grade.js';
import { createStyle, wrap } from '../format/terminal-style.js';
import { configFrom, withSharedOptions, type SharedOptionValues } from '../shared-options.js';
import { AnswerkeyError } from '../../errors/answerkey-error.js';
import { plural } from '../../text/plural.js';

interface QuestionsOptions extends SharedOptionValues {
  json?: boolean;
}

export function questionsCommand(io: CliIo): Command {
  const command = new Command('questions')
    .summary('list the question bank, or show one question with its rubric')
    .argument('[id]', 'show this question in full: reference answer and key points')
    .option('--json', 'print as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ answerkey questions\n  $ answerkey questions q4\n  $ answerkey questions --bank ./my-rubrics --json',
    );
  return withSharedOptions(command).action(async (id: string | undefined, options: QuestionsOptions) => {
    const bank = loadQuestionBank(configFrom(options).bankDirectory);
    const style = createStyle(io.color);
    if (id !== undefined) {
      const rubric = bank.get(id);
      if (!rubric) {
        throw new AnswerkeyError('question_not_found', `no question "${id}" in the bank`, {
          hint: 'run `answerkey questions` to list the ids',
        });
      }
      io.stdout(options.json ? `${JSON.stringify(rubric, null, 2)}\n` : formatRubric(rubric, style));
      return;
    }
    if (options.json) {
      io.stdout(
        `${JSON.stringify(
          bank.rubrics.map(({ id: questionId, section, question, maxScore }) => ({
            id: questionId,
            section,
            question,
            maxScore,
          })),
          null,
          2,
        )}\n`,
      );
      return;
    }
    let section = '';
    for (const rubric of bank.rubrics) {
      if (rubric.section !== section) {
        section = rubric.section;
        io.stdout(`\n${style.bold(section || 'Questions')}\n`);
      }
      io.stdout(`${style.cyan(rubric.id.padEnd(5))}${wrap(rubric.question, 72, '').replace(/\n/g, '\n     ')}\n`);
    }
    io.stdout(style.dim(`\n${plural(bank.rubrics.length, 'question')} in ${bank.directory}\n`));
  });
}
