import { Command } from 'commander';
import { createGrader } from '../../grading/grader.js';
import type { CliIo } from '../cli-io.js';
import { configFrom, withSharedOptions, type SharedOptionValues } from '../shared-options.js';

export function indexCommand(io: CliIo): Command {
  const index = new Command('index').summary('manage the vector index of the question bank');
  const build = new Command('build')
    .summary('(re)build the index from the bank')
    .description(
      'Embeds every question and reference answer of the bank into an HNSWLib index under the index folder,\n' +
        'with a manifest (embedder, dimensions, bank hash). Grading rebuilds a stale index by itself; run this\n' +
        'after editing rubrics to do it ahead of time, or when ANSWERKEY_INDEX_REBUILD=never.',
    );
  withSharedOptions(build).action(async (options: SharedOptionValues) => {
    const grader = createGrader(configFrom(options));
    const started = performance.now();
    const { directory, documentCount } = await grader.buildIndex();
    io.stdout(`Indexed ${grader.bank.rubrics.length} questions (${documentCount} documents) into ${directory} in ${Math.round(performance.now() - started)} ms\n`);
  });
  return index.addCommand(build);
}
