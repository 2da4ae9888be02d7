import { stdin as processStdin } from 'node:process';
import { printable } from '../text/printable.js';
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
  /**
   * Standard error without terminalSafe's filter, for the program's own drawing only (the batch
   * progress bar moves the cursor), which carries no text from input.
   */
  drawingStderr?: (text: string) => void;
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

/**
 * The escape sequences the program writes itself: its colours (util.styleText: bold, dim, red,
 * green, yellow, cyan and their resets) and eval's progress line redrawn in place.
 */
export const OWN_SEQUENCES = /\u001b\[(?:1|2|22|31|32|33|36|39)m|\r\u001b\[2K/;

/**
 * Everything printed passes here: control characters that came from input (answers, evidence
 * quotes, ids, candidate names, error messages) are shown as \uXXXX rather than obeyed.
 */
export function terminalSafe(io: CliIo): CliIo {
  return {
    ...io,
    stdout: (text) => io.stdout(printable(text, OWN_SEQUENCES)),
    stderr: (text) => io.stderr(printable(text, OWN_SEQUENCES)),
    drawingStderr: io.drawingStderr ?? io.stderr,
  };
}
