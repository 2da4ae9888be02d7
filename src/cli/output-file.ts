import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { writeFileAtomic } from '../concurrency/write-file-atomic.js';
import { AnswerkeyError } from '../errors/answerkey-error.js';

/** Checked before long work starts, so a mistyped path fails at once rather than after the run. */
export function assertWritable(path: string, flag: string): void {
  const folder = dirname(resolve(path));
  let problem: string | undefined;
  if (!existsSync(folder) || !statSync(folder).isDirectory()) problem = `its folder ${folder} does not exist`;
  else if (existsSync(path) && statSync(path).isDirectory()) problem = 'it is a folder';
  else {
    try {
      accessSync(folder, constants.W_OK);
    } catch {
      problem = `its folder ${folder} is not writable`;
    }
  }
  if (problem)
    throw new AnswerkeyError('file_system', `cannot write ${flag} ${path}: ${problem}`, {
      hint: `choose another ${flag} path`,
    });
}

/** Whole or not at all: a crash mid-write leaves any previous file intact. */
export function writeOutput(path: string, content: string, flag: string): void {
  try {
    writeFileAtomic(path, content);
  } catch (error) {
    throw new AnswerkeyError('file_system', `cannot write ${flag} ${path}`, {
      hint: `choose another ${flag} path`,
      cause: error,
    });
  }
}
