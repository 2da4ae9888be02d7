import { CommanderError } from 'commander';
import { isAnswerkeyError } from '../errors/answerkey-error.js';
import type { CliIo } from './cli-io.js';
import { createProgram } from './program.js';

export const EXIT_USAGE = 2;
export const EXIT_FAILURE = 1;

/**
 * Runs the command line and returns the exit code. Every user-facing error ends here as one
 * line with a hint; anything else is a bug and says so, still without a stack trace unless
 * ANSWERKEY_DEBUG is set.
 */
export async function runCli(argv: readonly string[], io: CliIo, version: string): Promise<number> {
  const program = createProgram(io, version);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message (or the help/version text).
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (isAnswerkeyError(error)) {
      io.stderr(`answerkey: ${error.message}\n`);
      if (error.hint) io.stderr(`  hint: ${error.hint}\n`);
      return error.code === 'invalid_input' ? EXIT_USAGE : EXIT_FAILURE;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`answerkey: unexpected error: ${message.split('\n')[0]}\n`);
    io.stderr('  hint: this is a bug; rerun with ANSWERKEY_DEBUG=1 for details and report it\n');
    if (process.env.ANSWERKEY_DEBUG) io.stderr(`${error instanceof Error ? error.stack : ''}\n`);
    return EXIT_FAILURE;
  }
}
