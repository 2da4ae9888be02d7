import { existsSync, statSync } from 'node:fs';
import { overLimitProblem } from './answer-limits.js';
import { extname } from 'node:path';
import { AnswerkeyError } from '../../errors/answerkey-error.js';
import type { QuestionBank } from '../../rubrics/question-bank.js';
import type { InputProblem } from '../batch-answer.js';
import type { InputRead } from './read-input-text.js';
import { readCsvAnswers } from './read-csv-answers.js';
import { readJsonlAnswers } from './read-jsonl-answers.js';
import { readTakeHomes } from './read-take-homes.js';

export type InputKind = 'csv' | 'jsonl' | 'take-homes';

export type BatchInput = InputRead & { kind: InputKind };

const INPUT_HINT =
  'the input is a .csv or .jsonl file with one answer per row, or a folder of take-homes (.md, .txt, .html, .docx, .pdf or .ipynb, one per candidate)';

/**
 * Reads every answer to grade from a CSV or JSONL file or a folder of take-homes. What cannot be
 * graded (a broken row, an unknown question, an answer under no question) is returned as a problem;
 * only a second answer by the same candidate to the same question is dropped, and reported too.
 */
export async function readInput(path: string, bank: QuestionBank): Promise<BatchInput> {
  if (!existsSync(path))
    throw new AnswerkeyError('invalid_input', `no such file or folder: ${path}`, { hint: INPUT_HINT });
  const kind = inputKind(path);
  const read =
    kind === 'take-homes'
      ? await readTakeHomes(path, bank)
      : kind === 'csv'
        ? readCsvAnswers(path, bank)
        : readJsonlAnswers(path, bank);
  return { kind, ...withoutDuplicates(withinLimits(read)) };
}

/** Answers longer than the grader takes are reported in errors.jsonl, never graded (nor copied whole into the report). */
function withinLimits(read: InputRead): InputRead {
  const problems = [...read.problems];
  const answers = read.answers.filter((answer) => {
    const problem = overLimitProblem(answer);
    if (problem) problems.push(problem);
    return problem === undefined;
  });
  return { ...read, answers, problems };
}

function inputKind(path: string): InputKind {
  if (statSync(path).isDirectory()) return 'take-homes';
  const extension = extname(path).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl';
  throw new AnswerkeyError('invalid_input', `cannot tell the format of ${path} from its extension`, {
    hint: INPUT_HINT,
  });
}

function withoutDuplicates(read: InputRead): InputRead {
  const firstSource = new Map<string, string>();
  const problems: InputProblem[] = [...read.problems];
  const answers = read.answers.filter((answer) => {
    const key = `${answer.candidateId}\t${answer.questionKey}`;
    const earlier = firstSource.get(key);
    if (earlier === undefined) {
      firstSource.set(key, answer.source);
      return true;
    }
    problems.push({
      kind: 'duplicate_answer',
      source: answer.source,
      reason: `a second answer by "${answer.candidateId}" to ${answer.questionKey}; the first, at ${earlier}, is the one graded`,
      candidateId: answer.candidateId,
      questionKey: answer.questionKey,
    });
    return false;
  });
  return { ...read, answers, problems };
}
