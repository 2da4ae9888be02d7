import { Command } from 'commander';
import { createGrader } from '../../app/create-grader.js';
import type { CliIo } from '../cli-io.js';
import { configFrom, withSharedOptions, type SharedOptionValues } from '../shared-options.js';
import { plural } from '../../text/plural.js';

export function indexCommand(io: CliIo): Command {
  const index = new Command('index').summary('manage the vector index of the question bank');
  const build = new Command('build')
    .summary('(re)build the index from the bank')
    .description(
      'Embeds every question and reference answer of the bank, and every graded example, into an HNSWLib index ' +
        'under the index folder, with a manifest (embedder, dimensions, bank and examples hashes). Grading rebuilds ' +
        'a stale index by itself; run this after editing rubrics or example files to do it ahead of time, or when ' +
        'ANSWERKEY_INDEX_REBUILD=never.',
    )
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ answerkey index build\n' +
        '  $ answerkey index build --bank ./our-rubrics --index-dir ./our-index\n' +
        '  $ ANSWERKEY_INDEX_REBUILD=never answerkey serve    # after building ahead of a deploy',
    );
  withSharedOptions(build).action(async (options: SharedOptionValues) => {
    const grader = createGrader(configFrom(options));
    const started = performance.now();
    const { directory, documentCount } = await grader.buildIndex();
    const examples = grader.examples.list().length;
    const what = `${plural(grader.bank.rubrics.length, 'question')}${examples > 0 ? ` and ${plural(examples, 'graded example')}` : ''}`;
    io.stdout(
      `Indexed ${what} (${documentCount} documents) into ${directory} in ${Math.round(performance.now() - started)} ms\n`,
    );
  });
  return index.addCommand(build);
}
