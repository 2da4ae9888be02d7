import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PATHS } from '../../src/config/paths.js';
import { AnswerkeyError } from '../../src/errors/answerkey-error.js';
import { describeBadLine } from '../../src/examples/example-file.js';
import { createExampleStore, hashExamples } from '../../src/examples/example-store.js';
import { gradedExampleSchema } from '../../src/examples/graded-example.js';
import { loadQuestionBank } from '../../src/rubrics/question-bank.js';
import { deadPid } from '../helpers/processes.js';
import { thrown } from '../helpers/thrown-error.js';

const bank = loadQuestionBank(DEFAULT_PATHS.bankDirectory);

function freshStore() {
  const directory = join(mkdtempSync(join(tmpdir(), 'answerkey-examples-')), 'examples');
  return createExampleStore({ directory, bank });
}

describe('the example store', () => {
  it('stores an example as one JSON line in its question\'s file and reads it back', async () => {
    const store = freshStore();
    const [added] = await store.add([{ questionId: 'Q4 ', answer: '  Eager runs ops at once; graphs are traced.\n', score: 3, note: 'misses deployment' }]);
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

  it('gives every example its own id, keeps the order of adding, and is seen by another process\'s store', async () => {
    const store = freshStore();
    const first = await store.add([{ questionId: 'q4', answer: 'first', score: 1 }]);
    const more = await store.add([
      { questionId: 'q4', answer: 'second', score: 0.5, maxScore: 1 },
      { questionId: 'q7', answer: 'third', score: 2 },
    ]);
    const ids = [...first, ...more].map((example) => example.id);
    expect(new Set(ids).size).toBe(3);
    const other = createExampleStore({ directory: store.directory, bank });
    expect(other.list('q4').map((example) => example.answer)).toEqual(['first', 'second']);
    expect(other.list().map((example) => example.questionId)).toEqual(['q4', 'q4', 'q7']);
    await other.add([{ questionId: 'q4', answer: 'fourth', score: 4 }]);
    expect(store.count('q4')).toBe(3);
  });

  it.each([
    ['an unknown question', { questionId: 'q99', answer: 'x', score: 1 }, /questionId: no question "q99"/],
    ['a score above the question\'s maximum', { questionId: 'q4', answer: 'x', score: 6 }, /score: 6 is above the maximum 5/],
    ['a score above its own maximum', { questionId: 'q4', answer: 'x', score: 2, maxScore: 1 }, /score: 2 is above the maximum 1/],
    ['a negative score', { questionId: 'q4', answer: 'x', score: -1 }, /score: must be 0 or more/],
    ['a blank answer', { questionId: 'q4', answer: '  \n', score: 1 }, /answer: is empty/],
  ])('refuses %s and writes nothing', async (_name, draft, message) => {
    const store = freshStore();
    const error = await thrown(() => store.add([draft]));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(message);
    expect(existsSync(store.directory)).toBe(false);
  });

  it('stores all of several drafts or none, naming each bad one by its source', async () => {
    const store = freshStore();
    const drafts = [
      { questionId: 'q4', answer: 'fine', score: 1, source: 'graded.jsonl:1' },
      { questionId: 'q99', answer: 'unknown question', score: 1, source: 'graded.jsonl:2' },
      { questionId: 'q5', answer: 'too high', score: 9, source: 'graded.jsonl:3' },
    ];
    expect(store.problems(drafts)).toEqual(['graded.jsonl:2: questionId: no question "q99" in the bank', 'graded.jsonl:3: score: 9 is above the maximum 5']);
    const error = await thrown(() => store.add(drafts));
    expect(error.message).toMatch(/^2 of 3 examples cannot be stored, so none was: graded\.jsonl:2: .*; graded\.jsonl:3: /);
    expect(store.list()).toEqual([]);
  });

  it('adds examples for several questions all or none: while one file stays locked, no file is written', async () => {
    const store = freshStore();
    mkdirSync(store.directory, { recursive: true });
    // Another process is changing q7's file, and goes on past the 5 s an add waits for it.
    const busyLock = join(store.directory, 'q7.jsonl.lock');
    writeFileSync(busyLock, `${process.ppid} ${hostname()} 0123456789abcdef\n`);
    const drafts = [
      { questionId: 'q4', answer: 'for q4', score: 1 },
      { questionId: 'q7', answer: 'for q7', score: 2 },
    ];
    const error = await thrown(() => store.add(drafts));
    expect(error.code).toBe('examples_busy');
    expect(error.message).toBe('another process is changing q7.jsonl of the graded examples');
    expect(readdirSync(store.directory)).toEqual(['q7.jsonl.lock']);
    // Tried again once the other process is done, the add stores each example once.
    rmSync(busyLock);
    await store.add(drafts);
    expect(store.list().map((example) => example.answer)).toEqual(['for q4', 'for q7']);
    expect(readdirSync(store.directory).sort()).toEqual(['q4.jsonl', 'q7.jsonl']);
  });

  it('adds examples for several questions all or none: when q7\'s file cannot be written after q4\'s was, q4\'s gets back every byte it had', async () => {
    const store = freshStore();
    const [earlier] = await store.add([{ questionId: 'q4', answer: 'stored before', score: 1 }]);
    const q4File = join(store.directory, 'q4.jsonl');
    // A last line typed by hand without its newline: it too must be as it was.
    writeFileSync(q4File, `${readFileSync(q4File, 'utf8')}{"typed": "by hand"`);
    const q4Before = readFileSync(q4File);
    // A folder where q7's new text is written before it is renamed over the file.
    const obstacle = `q7.jsonl.${process.pid}.tmp`;
    mkdirSync(join(store.directory, obstacle));
    const drafts = [
      { questionId: 'q4', answer: 'for q4', score: 1 },
      { questionId: 'q7', answer: 'for q7', score: 2 },
    ];
    await expect(store.add(drafts)).rejects.toThrow(/EISDIR/);
    expect(readFileSync(q4File)).toEqual(q4Before);
    expect(store.list().map((example) => example.id)).toEqual([earlier.id]);
    expect(readdirSync(store.directory).sort()).toEqual([obstacle, 'q4.jsonl'].sort());
  });

  it('removes an example by id, deleting the file with its last example, and says when the id is unknown', async () => {
    const store = freshStore();
    const [kept, removed] = await store.add([
      { questionId: 'q4', answer: 'kept', score: 1 },
      { questionId: 'q4', answer: 'removed', score: 2 },
    ]);
    expect(await store.remove(removed.id)).toEqual(removed);
    expect(store.list('q4')).toEqual([kept]);
    await store.remove(kept.id);
    expect(existsSync(join(store.directory, 'q4.jsonl'))).toBe(false);
    const error = await thrown(() => store.remove('ex-00000000'));
    expect(error.code).toBe('not_found');
    expect(error.message).toContain('ex-00000000');
  });

  it('skips bad lines, names each by file and line, and tells onBadLines once per file until they change', async () => {
    const notices: string[] = [];
    const store = createExampleStore({ directory: join(mkdtempSync(join(tmpdir(), 'answerkey-examples-')), 'examples'), bank, onBadLines: (message) => notices.push(message) });
    mkdirSync(store.directory, { recursive: true });
    const path = join(store.directory, 'q4.jsonl');
    const good = { id: 'ex-1', questionId: 'q4', answer: 'a', score: 1, maxScore: 5 };
    writeFileSync(path, `${JSON.stringify(good)}\n{"id": "ex-2", "questionId": "q4", "answer": "b", "score": 7, "maxScore": 5}\n{not json\n{}\n`);
    expect(store.list('q4')).toEqual([good]);
    expect(store.count('q4')).toBe(1);
    expect(store.badLines('q4').map(describeBadLine)).toEqual([`${path}:2: score: is above maxScore`, `${path}:3: not valid JSON`, `${path}:4: id is missing`]);
    expect(notices).toEqual([
      `skipping 3 bad lines of graded examples: ${path}:2: score: is above maxScore; ${path}:3: not valid JSON; ${path}:4: id is missing (fix or delete them; \`answerkey examples list\` shows them all)`,
    ]);
    // Read again (another question's example added, this file unchanged, or changed with the same bad lines): no second notice.
    await store.add([{ questionId: 'q5', answer: 'elsewhere', score: 1 }]);
    await store.add([{ questionId: 'q4', answer: 'after', score: 1 }]);
    expect(store.list().map((example) => example.answer)).toEqual(['a', 'after', 'elsewhere']);
    expect(notices).toHaveLength(1);
    writeFileSync(path, `${JSON.stringify(good)}\n${JSON.stringify({ id: 'ex-3', questionId: 'q5', answer: 'c', score: 1, maxScore: 5 })}\n`);
    expect(store.list('q4')).toEqual([good]);
    expect(notices.at(-1)).toBe(`skipping a bad line of graded examples: ${path}:2: questionId: "q5" in the file of q4 (fix or delete them; \`answerkey examples list\` shows them all)`);
    expect(store.badLines().map((line) => line.lineNumber)).toEqual([2]);
  });

  it('keeps a torn last line (a write cut short) as a bad line, and starts the next example on a line of its own', async () => {
    const store = freshStore();
    mkdirSync(store.directory, { recursive: true });
    const path = join(store.directory, 'q4.jsonl');
    const whole = { id: 'ex-whole', questionId: 'q4', answer: 'whole', score: 1, maxScore: 5 };
    const torn = '{"id": "ex-torn", "questionId": "q4", "ans';
    writeFileSync(path, `${JSON.stringify(whole)}\n${torn}`);
    expect(store.list('q4')).toEqual([whole]);
    const [added] = await store.add([{ questionId: 'q4', answer: 'after the crash', score: 2 }]);
    expect(readFileSync(path, 'utf8')).toBe(`${JSON.stringify(whole)}\n${torn}\n${JSON.stringify(added)}\n`);
    expect(store.list('q4')).toEqual([whole, added]);
    expect(store.badLines('q4').map(describeBadLine)).toEqual([`${path}:2: not valid JSON`]);
  });

  it('keeps a whole last line written without its newline, and starts the next example on a line of its own', async () => {
    const store = freshStore();
    mkdirSync(store.directory, { recursive: true });
    const path = join(store.directory, 'q4.jsonl');
    const handWritten = { id: 'ex-hand', questionId: 'q4', answer: 'typed in', score: 3, maxScore: 5 };
    writeFileSync(path, JSON.stringify(handWritten));
    await store.add([{ questionId: 'q4', answer: 'added', score: 2 }]);
    expect(store.list('q4').map((example) => example.answer)).toEqual(['typed in', 'added']);
    expect(readFileSync(path, 'utf8').startsWith(`${JSON.stringify(handWritten)}\n{`)).toBe(true);
  });

  it('removes only the example\'s line: bad lines, blank lines and hand formatting stay as they were', async () => {
    const store = freshStore();
    mkdirSync(store.directory, { recursive: true });
    const path = join(store.directory, 'q4.jsonl');
    const first = '{ "id": "ex-first", "questionId": "q4", "answer": "first", "score": 1, "maxScore": 5 }';
    const typo = '{"id": "ex-typo", "questionId": "q4", "answer": "typed by hand", "score": 2, "maxScore": 5';
    writeFileSync(path, `${first}\n\n${typo}\n`);
    const [added] = await store.add([{ questionId: 'q4', answer: 'added', score: 2 }]);
    await store.remove(added.id);
    expect(readFileSync(path, 'utf8')).toBe(`${first}\n\n${typo}\n`);
    await store.remove('ex-first');
    expect(readFileSync(path, 'utf8')).toBe(`\n${typo}\n`);
    expect(store.list('q4')).toEqual([]);
    expect(store.badLines('q4').map(describeBadLine)).toEqual([`${path}:2: not valid JSON`]);
    expect((await thrown(() => store.remove('ex-typo'))).code).toBe('not_found');
    expect(existsSync(path)).toBe(true);
  });

  it('takes a stale lock over, and leaves no lock behind', async () => {
    const store = freshStore();
    mkdirSync(store.directory, { recursive: true });
    const lockPath = join(store.directory, 'q4.jsonl.lock');
    writeFileSync(lockPath, `${deadPid()} ${hostname()}\n`);
    const [added] = await store.add([{ questionId: 'q4', answer: 'after a crash mid-change', score: 2 }]);
    expect(store.list('q4')).toEqual([added]);
    expect(existsSync(lockPath)).toBe(false);
    await store.remove(added.id);
    expect(readdirSync(store.directory)).toEqual([]);
  });

  it('loses no line when several processes add and remove at once', async () => {
    const store = freshStore();
    const seeded = await store.add(Array.from({ length: 20 }, (_, index) => ({ questionId: 'q4', answer: `seeded ${index}`, score: 1 })));
    const storeModule = new URL('../../src/examples/example-store.ts', import.meta.url).href;
    const bankModule = new URL('../../src/rubrics/question-bank.ts', import.meta.url).href;
    const child = (body: string) =>
      new Promise<number | null>((resolve) => {
        const script = `import { createExampleStore } from '${storeModule}'; import { loadQuestionBank } from '${bankModule}';
const store = createExampleStore({ directory: ${JSON.stringify(store.directory)}, bank: loadQuestionBank(${JSON.stringify(DEFAULT_PATHS.bankDirectory)}) });
${body}`;
        spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: 'inherit' }).on('exit', resolve);
      });
    const adders = [1, 2, 3].map((adder) => child(`for (let i = 0; i < 30; i += 1) await store.add([{ questionId: 'q4', answer: 'adder ${adder} #' + i, score: 2 }]);`));
    const remover = child(`for (const id of ${JSON.stringify(seeded.map((example) => example.id))}) await store.remove(id);`);
    expect(await Promise.all([...adders, remover])).toEqual([0, 0, 0, 0]);
    const answers = store.list('q4').map((example) => example.answer);
    expect(answers).toHaveLength(90);
    expect(answers.filter((answer) => answer.startsWith('seeded'))).toEqual([]);
    expect(store.badLines('q4')).toEqual([]);
    expect(readdirSync(store.directory)).toEqual(['q4.jsonl']);
  }, 60_000);

  it('keeps the hash until a file\'s size, modification time or inode changes', async () => {
    const store = freshStore();
    const [example] = await store.add([{ questionId: 'q4', answer: 'aaaa', score: 1 }]);
    const path = join(store.directory, 'q4.jsonl');
    const time = 1_700_000_000;
    utimesSync(path, time, time);
    const hash = store.hash();
    // The same size and time in place: taken for unchanged, so the hash is not recomputed.
    writeFileSync(path, readFileSync(path, 'utf8').replace('"aaaa"', '"bbbb"'));
    utimesSync(path, time, time);
    expect(store.hash()).toBe(hash);
    utimesSync(path, time, time + 1);
    expect(store.hash()).toBe(hashExamples([{ ...example, answer: 'bbbb' }]));
    expect(store.hash()).not.toBe(hash);
  });

  it('hashes what the index embeds: null for none, changed by an added answer, not by a note', async () => {
    const store = freshStore();
    expect(store.hash()).toBeNull();
    const [example] = await store.add([{ questionId: 'q4', answer: 'an answer', score: 1 }]);
    const hash = store.hash();
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashExamples([{ ...example, note: 'a note', score: 5 }])).toBe(hash);
    await store.add([{ questionId: 'q5', answer: 'another', score: 1 }]);
    expect(store.hash()).not.toBe(hash);
  });
});

describe('the question bank with an examples folder inside', () => {
  it('ignores the folder and its files', async () => {
    const bankDirectory = mkdtempSync(join(tmpdir(), 'answerkey-bank-'));
    cpSync(DEFAULT_PATHS.bankDirectory, bankDirectory, { recursive: true });
    await createExampleStore({ directory: join(bankDirectory, 'examples'), bank }).add([{ questionId: 'q4', answer: 'an answer', score: 1 }]);
    writeFileSync(join(bankDirectory, 'examples', 'notes.yaml'), 'not: a rubric\n');
    const copy = loadQuestionBank(bankDirectory);
    expect(copy.rubrics).toHaveLength(bank.rubrics.length);
    expect(copy.hash).toBe(bank.hash);
  });
});
