import { stdin as processStdin } from 'node:process';
import { decodeUtf8Strict } from '../text/utf8.js';

/** Where a command reads and writes: the process by default, buffers in tests. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads all of standard input (UTF-8, else an invalid_encoding error), or undefined when it is an interactive terminal. */
  readStdin: () => Promise<string | undefined>;
  /** Colour and box-drawing for people; plain text for pipes and files. */
  color: boolean;
  /** Whether standard error is a terminal, where progress lines can be redrawn; absent means not. */
  interactiveStderr?: boolean;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    async readStdin() {
      if (processStdin.isTTY) return undefined;
      const chunks: Buffer[] = [];
      for await (const chunk of processStdin) chunks.push(Buffer.from(chunk));
      return decodeUtf8Strict(Buffer.concat(chunks), 'the answer on standard input');
    },
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    interactiveStderr: Boolean(process.stderr.isTTY),
  };
}
