import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDeclaredQuestions } from '../../src/batch/input/declared-questions.js';
import { DEFAULT_PATHS } from '../../src/config/paths.js';
import { loadQuestionBank } from '../../src/rubrics/question-bank.js';

const bank = loadQuestionBank(DEFAULT_PATHS.bankDirectory);
const scratch = mkdtempSync(join(tmpdir(), 'answerkey-declared-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('--questions', () => {
  it('reads bank ids given inline, in any case, once each', () => {
    expect(parseDeclaredQuestions('q1, Q5,q9,q1', bank)).toEqual(['q1', 'q5', 'q9']);
  });

  it('reads a file of ids, one per line or as a question_id column', () => {
    const path = join(scratch, 'questions.csv');
    writeFileSync(path, 'question_id\nq3\nq10\n');
    expect(parseDeclaredQuestions(path, bank)).toEqual(['q3', 'q10']);
  });

  it('refuses an id the bank lacks, naming it and the known ids, as a usage mistake', () => {
    expect(() => parseDeclaredQuestions('q1,q99', bank)).toThrow(
      /--questions: no question "q99" in the bank \(known ids: q1/,
    );
    try {
      parseDeclaredQuestions(',', bank);
    } catch (error) {
      expect((error as { code: string }).code).toBe('invalid_input');
    }
  });
});
