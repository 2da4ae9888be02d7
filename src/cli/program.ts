import { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { batchCommand } from './commands/batch-command.js';
import { calibrateCommand } from './commands/calibrate-command.js';
import { dbCommand } from './commands/db-command.js';
import { evalCommand } from './commands/eval-command.js';
import { examplesCommand } from './commands/examples-command.js';
import { gradeCommand } from './commands/grade-command.js';
import { indexCommand } from './commands/index-command.js';
import { lookupCommand } from './commands/lookup-command.js';
import { questionsCommand } from './commands/questions-command.js';
import { reviewCommand } from './commands/review-command.js';
import { rubricCommand } from './commands/rubric-command.js';
import { runsCommand } from './commands/runs-command.js';
import { serveCommand } from './commands/serve-command.js';
import { workerCommand } from './commands/worker-command.js';

export function createProgram(io: CliIo, version: string): Command {
  const program = new Command('answerkey')
    .description(
      "Grades a candidate's free-text answer to an interview question against a model answer and rubric, " +
        'and says why: a score, a rationale, and which key points were covered or missed, quoting the answer. ' +
        'Works offline by default (local word vectors and scorer; no key, no network).',
    )
    .version(version)
    .addHelpText(
      'after',
      `
Start here:
  $ answerkey questions                                   list the 21 shipped questions
  $ answerkey grade -i q4 -a "Eager mode runs each op…"   grade an answer
  $ answerkey lookup "how do you fight overfitting?"      second opinion during an interview
  $ answerkey examples add -i q4 --score 3 -a "…"         teach it how you grade q4

Settings come from flags, then environment variables (see .env.example), then defaults.`,
    );
  for (const command of [
    gradeCommand(io),
    lookupCommand(io),
    questionsCommand(io),
    rubricCommand(io),
    examplesCommand(io),
    reviewCommand(io),
    indexCommand(io),
    evalCommand(io),
    calibrateCommand(io),
    batchCommand(io),
    serveCommand(io, version),
    dbCommand(io),
    workerCommand(io),
    runsCommand(io),
  ]) {
    program.addCommand(command);
  }
  // Commander does not pass these settings down to sub-commands: apply them to every level.
  forEachCommand(program, (command) => {
    command
      .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
      .showHelpAfterError('(run with --help for usage)')
      .exitOverride();
  });
  return program;
}

function forEachCommand(command: Command, visit: (command: Command) => void): void {
  visit(command);
  for (const child of command.commands) forEachCommand(child, visit);
}
