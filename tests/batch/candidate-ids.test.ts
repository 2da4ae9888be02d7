import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readInput } from '../../src/batch/input/read-input.js';
import { DEFAULT_PATHS } from '../../src/config/paths.js';
import { loadQuestionBank } from '../../src/rubrics/question-bank.js';

const bank = loadQuestionBank(DEFAULT_PATHS.bankDirectory);
const scratch = mkdtempSync(join(tmpdir(), 'answerkey-candidate-ids-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('candidate ids', () => {
  it('stay distinct when only a tab or a control character tells them apart ("\\t=1+1" is not "=1+1")', async () => {
    const path = join(scratch, 'answers.csv');
    writeFileSync(
      path,
      'candidate_id,question_id,answer\n"\t=1+1",q4,Eager runs ops at once.\n=1+1,q4,Graph mode compiles a graph.\n" alice ",q5,x\n',
    );
    const { answers, problems } = await readInput(path, bank);
    expect(problems).toEqual([]);
    // Spaces around an id are still trimmed: " alice " is alice.
    expect(answers.map((answer) => answer.candidateId)).toEqual(['\t=1+1', '=1+1', 'alice']);
  });
});
