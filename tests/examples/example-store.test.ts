import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PATHS } from '../../src/config/paths.js';
import { AnswerkeyError } from '../../src/errors/answerkey-error.js';
import { createExampleStore, hashExamples } from '../../src/examples/example-store.js';
import { gradedExampleSchema } from '../../src/examples/graded-example.js';
import { loadQuestionBank } from '../../src/rubrics/question-bank.js';

const bank = loadQuestionBank(DEFAULT_PATHS.bankDirectory);

function freshStore() {
  const directory = join(mkdtempSync(join(tmpdir(), 'answerkey-examples-')), 'examples');
  return createExampleStore({ directory, bank });
}

function thrown(action: () => unknown): AnswerkeyError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(AnswerkeyError);
    expect((error as AnswerkeyError).message).not.toContain('\n');
    return error as AnswerkeyError;
  }
  throw new Error('expected an AnswerkeyError');
}

describe('the example store', () => {
  it('stores an example as one JSON line in its question\'s file and reads it back', () => {
    const store = freshStore();
    const [added] = store.add([{ questionId: 'Q4 ', answer: '  Eager runs ops at once; graphs are traced.\n', score: 3, note: 'misses deployment' }]);
    expect(added.id).toMatch(/^ex-[0-9a-f]{8}$/);
    expect(added).toMatchObject({ questionId: 'q4', answer: 'Eager runs ops at once; graphs are traced.', score: 3, maxScore: 5, note: 'misses deployment' });
    expect(Number.isNaN(Date.parse(added.addedAt ?? ''))).toBe(false);
    const lines = readFileSync(join(store.directory, 'q4.jsonl'), 'utf8').split('\n');
    expect(lines).toHaveLength(2);
    expect(gradedExampleSchema.parse(JSON.parse(lines[0]))).toEqual(added);
    expect(store.list('q4')).toEqual([added]);
    expect(store.list('q5')).toEqual([]);
    expect(store.count('q4')).toBe(1);
    expect(store.count('q5')).toBe(0);
    expect(store.get(added.id)).toEqual(added);
  });

  it('gives every example its own id, keeps the order of adding, and is seen by another process\'s store', () => {
    const store = freshStore();
    const first = store.add([{ questionId: 'q4', answer: 'first', score: 1 }]);
    const more = store.add([
      { questionId: 'q4', answer: 'second', score: 0.5, maxScore: 1 },
      { questionId: 'q7', answer: 'third', score: 2 },
    ]);
    const ids = [...first, ...more].map((example) => example.id);
    expect(new Set(ids).size).toBe(3);
    const other = createExampleStore({ directory: store.directory, bank });
    expect(other.list('q4').map((example) => example.answer)).toEqual(['first', 'second']);
    expect(other.list().map((example) => example.questionId)).toEqual(['q4', 'q4', 'q7']);
    other.add([{ questionId: 'q4', answer: 'fourth', score: 4 }]);
    expect(store.count('q4')).toBe(3);
  });

  it.each([
    ['an unknown question', { questionId: 'q99', answer: 'x', score: 1 }, /questionId: no question "q99"/],
    ['a score above the question\'s maximum', { questionId: 'q4', answer: 'x', score: 6 }, /score: 6 is above the maximum 5/],
    ['a score above its own maximum', { questionId: 'q4', answer: 'x', score: 2, maxScore: 1 }, /score: 2 is above the maximum 1/],
    ['a negative score', { questionId: 'q4', answer: 'x', score: -1 }, /score: score must be 0 or more/],
    ['a blank answer', { questionId: 'q4', answer: '  \n', score: 1 }, /answer: the answer is empty/],
  ])('refuses %s and writes nothing', (_name, draft, message) => {
    const store = freshStore();
    const error = thrown(() => store.add([draft]));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(message);
    expect(existsSync(store.directory)).toBe(false);
  });

  it('stores all of several drafts or none, naming each bad one by its source', () => {
    const store = freshStore();
    const drafts = [
      { questionId: 'q4', answer: 'fine', score: 1, source: 'graded.jsonl:1' },
      { questionId: 'q99', answer: 'unknown question', score: 1, source: 'graded.jsonl:2' },
      { questionId: 'q5', answer: 'too high', score: 9, source: 'graded.jsonl:3' },
    ];
    expect(store.problems(drafts)).toEqual(['graded.jsonl:2: questionId: no question "q99" in the bank', 'graded.jsonl:3: score: 9 is above the maximum 5']);
    const error = thrown(() => store.add(drafts));
    expect(error.message).toMatch(/^2 of 3 examples cannot be stored, so none was: graded\.jsonl:2: .*; graded\.jsonl:3: /);
    expect(store.list()).toEqual([]);
  });

  it('removes an example by id, deleting the file with its last example, and says when the id is unknown', () => {
    const store = freshStore();
    const [kept, removed] = store.add([
      { questionId: 'q4', answer: 'kept', score: 1 },
      { questionId: 'q4', answer: 'removed', score: 2 },
    ]);
    expect(store.remove(removed.id)).toEqual(removed);
    expect(store.list('q4')).toEqual([kept]);
    store.remove(kept.id);
    expect(existsSync(join(store.directory, 'q4.jsonl'))).toBe(false);
    const error = thrown(() => store.remove('ex-00000000'));
    expect(error.code).toBe('not_found');
    expect(error.message).toContain('ex-00000000');
  });

  it('reports a bad line of a file with its file and line number', () => {
    const store = freshStore();
    mkdirSync(store.directory, { recursive: true });
    const path = join(store.directory, 'q4.jsonl');
    const good = JSON.stringify({ id: 'ex-1', questionId: 'q4', answer: 'a', score: 1, maxScore: 5 });
    writeFileSync(path, `${good}\n{"id": "ex-2", "questionId": "q4", "answer": "b", "score": 7, "maxScore": 5}\n{not json\n`);
    const error = thrown(() => store.list('q4'));
    expect(error.code).toBe('examples_invalid');
    expect(error.message).toBe(`${path}:2: score: score is above maxScore (and 1 more bad line(s))`);
    writeFileSync(path, `${good}\n${JSON.stringify({ id: 'ex-3', questionId: 'q5', answer: 'c', score: 1, maxScore: 5 })}\n`);
    expect(thrown(() => store.count('q4')).message).toBe(`${path}:2: questionId: "q5" in the file of q4`);
    writeFileSync(path, `\n{"id": "ex-2", "questionId": "q4"\n${good}\n`);
    expect(thrown(() => store.list()).message).toBe(`${path}:2: not valid JSON`);
  });

  it('reads past a torn last line (a write cut short) and cuts it off before appending', () => {
    const store = freshStore();
    mkdirSync(store.directory, { recursive: true });
    const path = join(store.directory, 'q4.jsonl');
    const whole = { id: 'ex-whole', questionId: 'q4', answer: 'whole', score: 1, maxScore: 5 };
    writeFileSync(path, `${JSON.stringify(whole)}\n{"id": "ex-torn", "questionId": "q4", "ans`);
    expect(store.list('q4')).toEqual([whole]);
    const [added] = store.add([{ questionId: 'q4', answer: 'after the crash', score: 2 }]);
    expect(readFileSync(path, 'utf8')).toBe(`${JSON.stringify(whole)}\n${JSON.stringify(added)}\n`);
  });

  it('keeps a whole last line written without its newline, and starts the next example on a line of its own', () => {
    const store = freshStore();
    mkdirSync(store.directory, { recursive: true });
    const path = join(store.directory, 'q4.jsonl');
    const handWritten = { id: 'ex-hand', questionId: 'q4', answer: 'typed in', score: 3, maxScore: 5 };
    writeFileSync(path, JSON.stringify(handWritten));
    store.add([{ questionId: 'q4', answer: 'added', score: 2 }]);
    expect(store.list('q4').map((example) => example.answer)).toEqual(['typed in', 'added']);
  });

  it('hashes what the index embeds: null for none, changed by an added answer, not by a note', () => {
    const store = freshStore();
    expect(store.hash()).toBeNull();
    const [example] = store.add([{ questionId: 'q4', answer: 'an answer', score: 1 }]);
    const hash = store.hash();
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashExamples([{ ...example, note: 'a note', score: 5 }])).toBe(hash);
    store.add([{ questionId: 'q5', answer: 'another', score: 1 }]);
    expect(store.hash()).not.toBe(hash);
  });
});

describe('the question bank with an examples folder inside', () => {
  it('ignores the folder and its files', () => {
    const bankDirectory = mkdtempSync(join(tmpdir(), 'answerkey-bank-'));
    cpSync(DEFAULT_PATHS.bankDirectory, bankDirectory, { recursive: true });
    createExampleStore({ directory: join(bankDirectory, 'examples'), bank }).add([{ questionId: 'q4', answer: 'an answer', score: 1 }]);
    writeFileSync(join(bankDirectory, 'examples', 'notes.yaml'), 'not: a rubric\n');
    const copy = loadQuestionBank(bankDirectory);
    expect(copy.rubrics).toHaveLength(bank.rubrics.length);
    expect(copy.hash).toBe(bank.hash);
  });
});
