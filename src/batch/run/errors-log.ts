import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InputProblem } from '../batch-answer.js';
import { writeFileAtomic } from '../../concurrency/write-file-atomic.js';
import { onPath } from '../../errors/file-system-error.js';

export const ERRORS_FILE = 'errors.jsonl';

/** errors.jsonl describes the latest run: started afresh with the input's problems, then appended to. */
export function startErrorsLog(directory: string, problems: readonly InputProblem[]): (problem: InputProblem) => void {
  const path = join(directory, ERRORS_FILE);
  writeFileAtomic(path, problems.map((problem) => `${JSON.stringify(problem)}\n`).join(''));
  return (problem) => onPath(path, () => appendFileSync(path, `${JSON.stringify(problem)}\n`));
}

export function readErrorsLog(directory: string): InputProblem[] {
  const path = join(directory, ERRORS_FILE);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .flatMap((line) => {
      try {
        return line.trim() ? [JSON.parse(line) as InputProblem] : [];
      } catch {
        return [];
      }
    });
}
