import type { CliIo } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/run-cli.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs the command line in-process with recorded output and, optionally, text on standard input. */
export async function runCliForTest(argv: readonly string[], stdin?: string): Promise<CliRun> {
  const recorded = { out: '', err: '' };
  const io: CliIo = {
    stdout: (text) => void (recorded.out += text),
    stderr: (text) => void (recorded.err += text),
    readStdin: async () => stdin,
    color: false,
  };
  const code = await runCli(argv, io, '0.0.0-test');
  return { code, ...recorded };
}
