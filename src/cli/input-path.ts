import { existsSync } from 'node:fs';
import { AnswerkeyError } from '../errors/answerkey-error.js';

/**
 * A file or folder named for reading by a flag, argument or variable. A path that does not exist is
 * a usage mistake (exit 2); one that exists but cannot be read is a file-system error (exit 1).
 */
export function assertExists(path: string, setting: string): void {
  if (!existsSync(path)) {
    throw new AnswerkeyError('invalid_input', `no such file or folder: ${path} (${setting})`, {
      hint: `check the path given with ${setting}`,
    });
  }
}
