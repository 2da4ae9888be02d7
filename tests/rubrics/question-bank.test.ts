import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PATHS } from '../../src/config/paths.js';
import { AnswerkeyError, type AnswerkeyErrorCode } from '../../src/errors/answerkey-error.js';
import { loadQuestionBank } from '../../src/rubrics/question-bank.js';

const SHIPPED = DEFAULT_PATHS.bankDirectory;

/** A small valid rubric in the shape of rubrics/q1.yaml, kept here so edits to the shipped bank don't break these tests. */
function rubricYaml(id: string): string {
  return `id: ${id}
section: Distributed systems
question: >-
  How would you keep a read-heavy service fast as traffic grows?
referenceAnswer: >-
  Put a cache in front of the database, add read replicas, and shard by customer id.
maxScore: 5
keyPoints:
  - id: cache
    text: Cache hot reads in front of the database
    weight: 3
    alternatives:
      - keep frequently read rows in Redis or Memcached
  - id: replicas
    text: Serve reads from read replicas
    weight: 2
  - id: sharding
    text: Shard the data by customer id
    weight: 1
`;
}
const Q1 = rubricYaml('q1');
const Q2 = rubricYaml('q2');

const temporaryDirectories: string[] = [];
afterEach(() => {
  for (const directory of temporaryDirectories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function bankDirectory(files: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), 'answerkey-bank-'));
  temporaryDirectories.push(directory);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(directory, name), text);
  return directory;
}

/** Replaces exactly one occurrence, so a fixture edit that silently misses fails loudly. */
function replaceOnce(text: string, search: string, replacement: string): string {
  const first = text.indexOf(search);
  if (first < 0 || text.indexOf(search, first + 1) >= 0) throw new Error(`expected exactly one "${search}" in the fixture`);
  return text.slice(0, first) + replacement + text.slice(first + search.length);
}

function loadError(directory: string): AnswerkeyError {
  try {
    loadQuestionBank(directory);
  } catch (error) {
    expect(error).toBeInstanceOf(AnswerkeyError);
    return error as AnswerkeyError;
  }
  throw new Error(`expected loadQuestionBank(${directory}) to throw`);
}

function expectRubricError(files: Record<string, string>, badFile: string, ...mentions: string[]): AnswerkeyError {
  const directory = bankDirectory(files);
  const error = loadError(directory);
  expect(error.code).toBe<AnswerkeyErrorCode>('invalid_rubric');
  expect(error.message).toContain(join(directory, badFile));
  for (const mention of mentions) expect(error.message).toContain(mention);
  expect(error.hint).toBeTruthy();
  return error;
}

describe('loadQuestionBank: the shipped bank', () => {
  const bank = loadQuestionBank(SHIPPED);

  it('loads 21 rubrics q1…q21 in numeric order', () => {
    expect(bank.rubrics.map((rubric) => rubric.id)).toEqual(Array.from({ length: 21 }, (_, index) => `q${index + 1}`));
  });

  it('gives every rubric 3 to 8 key points with unique ids and positive weights', () => {
    for (const rubric of bank.rubrics) {
      expect(rubric.keyPoints.length, rubric.id).toBeGreaterThanOrEqual(3);
      expect(rubric.keyPoints.length, rubric.id).toBeLessThanOrEqual(8);
      expect(new Set(rubric.keyPoints.map((keyPoint) => keyPoint.id)).size, rubric.id).toBe(rubric.keyPoints.length);
      for (const keyPoint of rubric.keyPoints) expect(keyPoint.weight, `${rubric.id}/${keyPoint.id}`).toBeGreaterThan(0);
      expect(rubric.question.length, rubric.id).toBeGreaterThan(5);
      expect(rubric.referenceAnswer.length, rubric.id).toBeGreaterThan(0);
      expect(rubric.maxScore, rubric.id).toBeGreaterThan(0);
    }
  });

  it('looks rubrics up by id, tolerating case and surrounding spaces', () => {
    expect(bank.get('q4')?.id).toBe('q4');
    expect(bank.get(' Q21 ')?.id).toBe('q21');
    expect(bank.get('q22')).toBeUndefined();
  });

  it('produces the same hash on every load', () => {
    const again = loadQuestionBank(SHIPPED);
    expect(bank.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(again.hash).toBe(bank.hash);
  });

  it('hashes content, not location: a copy of the bank elsewhere has the same hash', () => {
    const copy = mkdtempSync(join(tmpdir(), 'answerkey-bank-'));
    temporaryDirectories.push(copy);
    cpSync(SHIPPED, copy, { recursive: true });
    expect(loadQuestionBank(copy).hash).toBe(bank.hash);
  });
});

describe('loadQuestionBank: hash', () => {
  it('changes when a rubric changes', () => {
    const before = loadQuestionBank(bankDirectory({ 'q1.yaml': Q1, 'q2.yaml': Q2 })).hash;
    const weightChanged = replaceOnce(Q1, '    weight: 1\n', '    weight: 2\n');
    const after = loadQuestionBank(bankDirectory({ 'q1.yaml': weightChanged, 'q2.yaml': Q2 })).hash;
    expect(after).not.toBe(before);
    const textChanged = replaceOnce(Q1, 'Serve reads from', 'Answer reads from');
    expect(loadQuestionBank(bankDirectory({ 'q1.yaml': textChanged, 'q2.yaml': Q2 })).hash).not.toBe(before);
  });

  it('does not change for a comment, which leaves the validated content alone', () => {
    const before = loadQuestionBank(bankDirectory({ 'q1.yaml': Q1 })).hash;
    const after = loadQuestionBank(bankDirectory({ 'q1.yaml': `# reviewed\n${Q1}` })).hash;
    expect(after).toBe(before);
  });
});

describe('loadQuestionBank: validation errors', () => {
  it('rejects invalid YAML, naming the file and the line', () => {
    const broken = replaceOnce(Q1, 'maxScore: 5', 'maxScore: [5');
    const error = expectRubricError({ 'q1.yaml': broken }, 'q1.yaml', 'not valid YAML');
    expect(error.message).toMatch(/line \d+/);
  });

  it('rejects a missing required field, naming it', () => {
    const withoutQuestion = replaceOnce(Q1, 'question: >-\n  How would you keep a read-heavy service fast as traffic grows?\n', '');
    expect(withoutQuestion).not.toContain('question:');
    expectRubricError({ 'q1.yaml': withoutQuestion }, 'q1.yaml', 'question:');
    const withoutReference = replaceOnce(Q1, 'referenceAnswer: >-\n  Put a cache in front of the database, add read replicas, and shard by customer id.\n', '');
    expect(withoutReference).not.toContain('referenceAnswer:');
    expectRubricError({ 'q1.yaml': withoutReference }, 'q1.yaml', 'referenceAnswer:');
  });

  it('rejects a negative weight, naming keyPoints[1].weight', () => {
    const negative = replaceOnce(Q1, '    weight: 2\n', '    weight: -2\n');
    expectRubricError({ 'q1.yaml': negative }, 'q1.yaml', 'keyPoints[1].weight');
  });

  it('rejects a weight of zero and a weight above 10', () => {
    const line = '    weight: 1\n';
    expectRubricError({ 'q1.yaml': replaceOnce(Q1, line, '    weight: 0\n') }, 'q1.yaml', 'keyPoints[2].weight');
    expectRubricError({ 'q1.yaml': replaceOnce(Q1, line, '    weight: 11\n') }, 'q1.yaml', 'keyPoints[2].weight');
  });

  it('rejects fewer than 3 key points', () => {
    const twoKeyPoints = Q1.slice(0, Q1.indexOf('  - id: sharding'));
    expect(twoKeyPoints).toContain('id: replicas');
    expectRubricError({ 'q1.yaml': twoKeyPoints }, 'q1.yaml', 'keyPoints', '3 to 8');
  });

  it('rejects more than 8 key points', () => {
    const extra = Array.from({ length: 6 }, (_, index) => `  - id: extra-${index}\n    text: another key point number ${index}\n`).join('');
    expectRubricError({ 'q1.yaml': `${Q1.trimEnd()}\n${extra}` }, 'q1.yaml', 'keyPoints', '3 to 8');
  });

  it('rejects a duplicate key point id, naming the duplicate', () => {
    const duplicate = replaceOnce(Q1, 'id: sharding', 'id: cache');
    expectRubricError({ 'q1.yaml': duplicate }, 'q1.yaml', 'keyPoints[2].id', '"cache"');
  });

  it('rejects the same rubric id in two files, naming both files', () => {
    const directory = bankDirectory({ 'a.yaml': Q1, 'b.yaml': Q1 });
    const error = loadError(directory);
    expect(error.code).toBe<AnswerkeyErrorCode>('invalid_rubric');
    expect(error.message).toContain(join(directory, 'b.yaml'));
    expect(error.message).toContain(join(directory, 'a.yaml'));
    expect(error.message).toContain('id');
    expect(error.message).toContain('"q1"');
  });

  it('names a duplicate id together with the other problems, even when a file holding it has problems of its own', () => {
    const badWeight = replaceOnce(rubricYaml('q4'), '    weight: 1\n', '    weight: -1\n');
    const directory = bankDirectory({ 'a.yaml': rubricYaml('q4'), 'b.yaml': badWeight, 'q5.yaml': rubricYaml('q5'), 'q5.yml': `${rubricYaml('q5').trimEnd()}\ndifficulty: hard\n` });
    const error = loadError(directory);
    expect(error.message).toMatch(/^4 problems in the question bank: /);
    expect(error.message).toContain(`${join(directory, 'b.yaml')}: id: "q4" is already used by ${join(directory, 'a.yaml')}`);
    expect(error.message).toContain(`${join(directory, 'b.yaml')}: keyPoints[2].weight: weight must be a positive number`);
    expect(error.message).toContain(`${join(directory, 'q5.yml')}: id: "q5" is already used by ${join(directory, 'q5.yaml')}`);
    expect(error.message).toContain(`${join(directory, 'q5.yml')}: (top level): `);
  });

  it('names a duplicate id when both files holding it are invalid, and when their ids differ only in case', () => {
    const directory = bankDirectory({ 'q1.yaml': replaceOnce(Q1, 'id: q1\n', 'id: Q1\n'), 'q2.yaml': `${Q1.trimEnd()}\nextra: 1\n` });
    const error = loadError(directory);
    expect(error.message).toContain(`${join(directory, 'q2.yaml')}: id: "q1" is already used by ${join(directory, 'q1.yaml')}`);
    expect(error.message).toContain(`${join(directory, 'q1.yaml')}: id: use lower-case letters`);
    expect(error.message).toContain('extra');
  });

  it('rejects an unknown top-level field, naming it', () => {
    expectRubricError({ 'q1.yaml': `${Q1.trimEnd()}\ndifficulty: hard\n` }, 'q1.yaml', 'difficulty');
  });

  it('rejects an unknown key point field, naming where it is', () => {
    const withNote = replaceOnce(Q1, '    weight: 1\n', '    weight: 1\n    note: remember this\n');
    expectRubricError({ 'q1.yaml': withNote }, 'q1.yaml', 'keyPoints[2]', 'note');
  });

  it('rejects an id that is not lower-case', () => {
    expectRubricError({ 'q1.yaml': replaceOnce(Q1, 'id: q1\n', 'id: Q1\n') }, 'q1.yaml', 'id');
  });

  it('names every problem of a file at once, each as file: field: problem', () => {
    let broken = replaceOnce(Q1, '    weight: 2\n', '    weight: -2\n');
    broken = replaceOnce(broken, 'id: sharding', 'id: cache');
    broken = `${broken.trimEnd()}\ndifficulty: hard\n`;
    const directory = bankDirectory({ 'q1.yaml': broken });
    const error = loadError(directory);
    const file = join(directory, 'q1.yaml');
    expect(error.message).toMatch(/^3 problems in the question bank: /);
    expect(error.message).not.toContain('more problem');
    for (const problem of [`${file}: keyPoints[1].weight: weight must be a positive number`, `${file}: keyPoints[2].id: duplicate key point id "cache"`, `${file}: (top level): `]) {
      expect(error.message).toContain(problem);
    }
    expect(error.message).toContain('difficulty');
    expect(error.message).not.toContain('\n');
  });

  it('names the problems of every bad file, not only the first, and at most ten of them', () => {
    const line = '    weight: 1\n';
    const directory = bankDirectory({ 'q1.yaml': replaceOnce(Q1, line, '    weight: 0\n'), 'q2.yaml': replaceOnce(Q2, 'id: q2\n', 'id: Q2\n'), 'q3.yaml': Q1, 'q4.yaml': Q1 });
    const error = loadError(directory);
    expect(error.message).toMatch(/^4 problems in the question bank: /);
    expect(error.message).toContain(`${join(directory, 'q1.yaml')}: keyPoints[2].weight:`);
    expect(error.message).toContain(`${join(directory, 'q2.yaml')}: id:`);
    // q1.yaml claims "q1" though it is invalid: both copies of it clash with it.
    expect(error.message).toContain(`${join(directory, 'q3.yaml')}: id: "q1" is already used by ${join(directory, 'q1.yaml')}`);
    expect(error.message).toContain(`${join(directory, 'q4.yaml')}: id: "q1" is already used by ${join(directory, 'q1.yaml')}`);

    const manyBad = Object.fromEntries(Array.from({ length: 12 }, (_, index) => [`q${index + 1}.yaml`, `id: q${index + 1}\n`]));
    const crowded = loadError(bankDirectory(manyBad));
    const named = crowded.message.split('; ').filter((part) => part.includes('.yaml: '));
    expect(named.length).toBe(10);
    expect(crowded.message).toMatch(/; and \d+ more$/);
  });

  it('rejects an empty rubric file', () => {
    expectRubricError({ 'q1.yaml': '' }, 'q1.yaml');
  });

  it('reports the bad file, not a good one next to it', () => {
    const directory = bankDirectory({ 'q1.yaml': Q1, 'q2.yaml': replaceOnce(Q2, 'id: q2\n', 'id: q2\nextra: 1\n') });
    const error = loadError(directory);
    expect(error.message).toContain(join(directory, 'q2.yaml'));
    expect(error.message).not.toContain(join(directory, 'q1.yaml'));
  });

  it('rejects a directory without rubric files', () => {
    const directory = bankDirectory({ 'README.md': '# notes\n' });
    const error = loadError(directory);
    expect(error.code).toBe<AnswerkeyErrorCode>('invalid_config');
    expect(error.message).toContain(directory);
    expect(error.hint).toBeTruthy();
  });

  it('rejects a missing directory', () => {
    const directory = join(tmpdir(), `answerkey-missing-${process.pid}-${Date.now()}`);
    const error = loadError(directory);
    expect(error.code).toBe<AnswerkeyErrorCode>('invalid_config');
    expect(error.message).toContain(directory);
  });

  it('rejects a path that is a file, not a directory', () => {
    const error = loadError(join(SHIPPED, 'q1.yaml'));
    expect(error.code).toBe<AnswerkeyErrorCode>('invalid_config');
  });

  it('accepts .yml and upper-case extensions alongside .yaml', () => {
    const bank = loadQuestionBank(bankDirectory({ 'q1.yml': Q1, 'q2.YAML': Q2, 'notes.txt': 'ignored' }));
    expect(bank.rubrics.map((rubric) => rubric.id)).toEqual(['q1', 'q2']);
  });
});
