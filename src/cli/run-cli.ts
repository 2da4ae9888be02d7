import { CommanderError, type Command } from 'commander';
import { directorySettings } from '../config/config.js';
import { isAnswerkeyError, isUsageError, type AnswerkeyError } from '../errors/answerkey-error.js';
import { fileSystemError, type FolderSetting } from '../errors/file-system-error.js';
import { terminalSafe, type CliIo } from './cli-io.js';
import { cliHint } from './error-hints.js';
import { createProgram } from './program.js';
import { configFrom } from './shared-options.js';

export const EXIT_USAGE = 2;
export const EXIT_FAILURE = 1;

/** The folders the command that failed was set to use, for saying which setting to change; none when its settings do not resolve. */
function foldersOf(command: Command | undefined): FolderSetting[] {
  if (!command) return [];
  const options = command.opts();
  // Where the command writes its own output (batch and calibrate --out, eval --report).
  const outputs = OUTPUT_OPTIONS.filter((name) => typeof options[name] === 'string').map((name) => ({
    directory: options[name] as string,
    setting: `--${name}`,
  }));
  try {
    return [...outputs, ...directorySettings(configFrom(options))];
  } catch {
    return outputs;
  }
}

const OUTPUT_OPTIONS = ['out', 'report'] as const;

/**
 * Runs the command line and returns the exit code. Every user-facing error ends here as one
 * line with a hint (error-hints.ts words it for the command line from the error's code and details); anything else is a bug and says so, still without a stack trace unless
 * ANSWERKEY_DEBUG is set.
 */
export async function runCli(argv: readonly string[], given: CliIo, version: string): Promise<number> {
  const io = terminalSafe(given);
  const program = createProgram(io, version);
  let running: Command | undefined;
  program.hook('preAction', (_program, actionCommand) => {
    running = actionCommand;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message (or the help/version text).
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    const known: AnswerkeyError | undefined = isAnswerkeyError(error)
      ? error
      : fileSystemError(error, foldersOf(running));
    if (known) {
      io.stderr(`answerkey: ${known.message}\n`);
      const hint = cliHint(known);
      if (hint) io.stderr(`  hint: ${hint}\n`);
      return isUsageError(known) ? EXIT_USAGE : EXIT_FAILURE;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`answerkey: unexpected error: ${message.split('\n')[0]}\n`);
    io.stderr('  hint: this is a bug; rerun with ANSWERKEY_DEBUG=1 for details and report it\n');
    if (process.env.ANSWERKEY_DEBUG) io.stderr(`${error instanceof Error ? error.stack : ''}\n`);
    return EXIT_FAILURE;
  }
}
