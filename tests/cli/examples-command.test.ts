import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PATHS } from '../../src/config/paths.js';
import { gradedExampleSchema } from '../../src/examples/graded-example.js';
import { gradeSchema } from '../../src/grading/grade-schema.js';
import { isolateSettings } from '../helpers/isolate-settings.js';
import { runCliForTest as run } from '../helpers/run-cli.js';

isolateSettings();

const EAGER = 'Eager mode runs each operation at once, so I debug with print and pdb.';
const GRAPH = 'Graph mode traces the function with tf.function and exports a SavedModel for serving.';

/** A copy of the bank (its examples/ folder is the default examples folder) and an index folder, both temporary. */
function workspace() {
  const root = mkdtempSync(join(tmpdir(), 'answerkey-examples-cli-'));
  const bank = join(root, 'bank');
  cpSync(DEFAULT_PATHS.bankDirectory, bank, { recursive: true });
  const index = join(root, 'index');
  const flags = ['--bank', bank, '--index-dir', index];
  return {
    root,
    bank,
    index,
    flags,
    examplesFile: (questionId: string) => join(bank, 'examples', `${questionId}.jsonl`),
  };
}

function expectOneLineError(err: string): string {
  const lines = err.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^answerkey: \S/);
  expect(lines.length).toBeLessThanOrEqual(2);
  expect(err).not.toContain('    at ');
  return lines[0];
}

describe('answerkey examples', () => {
  it("adds a graded answer to the bank's examples folder, rebuilds the index, and the next grade uses it without rebuilding", async () => {
    const space = workspace();
    const added = await run([
      'examples',
      'add',
      '-i',
      'q4',
      '--score',
      '3',
      '--note',
      'misses deployment',
      '--answer',
      GRAPH,
      ...space.flags,
    ]);
    expect(added.err).toBe('');
    expect(added.code).toBe(0);
    const [summary, rebuilt] = added.out.trimEnd().split('\n');
    const stored = gradedExampleSchema.parse(JSON.parse(readFileSync(space.examplesFile('q4'), 'utf8')));
    const id = stored.id;
    expect(id).toMatch(/^ex-[0-9a-f]{8}$/);
    expect(summary).toBe(`Added ${id} to q4 (score 3 of 5); q4 has 1 graded example.`);
    expect(rebuilt).toMatch(/^Rebuilt the index in \d+ ms, so the next grade does not have to\.$/);
    expect(stored).toMatchObject({ questionId: 'q4', answer: GRAPH, score: 3, maxScore: 5, note: 'misses deployment' });
    const manifest = JSON.parse(readFileSync(join(space.index, 'index-local-glove-100d', 'manifest.json'), 'utf8'));
    expect(manifest.examplesHash).toMatch(/^[0-9a-f]{64}$/);

    const graded = await run(['grade', '-i', 'q4', '-a', GRAPH, '--json', ...space.flags]);
    expect(graded.err).toBe('');
    expect(gradeSchema.parse(JSON.parse(graded.out)).examples?.map((example) => example.id)).toEqual([id]);
    const without = await run(['grade', '-i', 'q4', '-a', GRAPH, '--json', '--examples', '0', ...space.flags]);
    expect(gradeSchema.parse(JSON.parse(without.out)).examples).toBeUndefined();
  });

  it('reads the answer from a file or standard input, and keeps examples where --examples-dir says', async () => {
    const space = workspace();
    const examplesDir = join(space.root, 'elsewhere');
    const answerFile = join(space.root, 'answer.md');
    writeFileSync(answerFile, `${EAGER}\n`);
    expect(
      (
        await run([
          'examples',
          'add',
          '-i',
          'q4',
          '-s',
          '2',
          '--answer-file',
          answerFile,
          '--examples-dir',
          examplesDir,
          ...space.flags,
        ])
      ).code,
    ).toBe(0);
    expect(
      (
        await run(
          [
            'examples',
            'add',
            '-i',
            'q4',
            '-s',
            '0.5',
            '--max-score',
            '1',
            '--examples-dir',
            examplesDir,
            ...space.flags,
          ],
          `${GRAPH}\n`,
        )
      ).code,
    ).toBe(0);
    expect(existsSync(join(space.bank, 'examples'))).toBe(false);
    const listed = await run(['examples', 'list', '--json', '--examples-dir', examplesDir, ...space.flags]);
    const examples = gradedExampleSchema.array().parse(JSON.parse(listed.out));
    expect(examples.map(({ answer, score, maxScore }) => ({ answer, score, maxScore }))).toEqual([
      { answer: EAGER, score: 2, maxScore: 5 },
      { answer: GRAPH, score: 0.5, maxScore: 1 },
    ]);
  });

  it('lists examples by question, in words or JSON, and removes one by id', async () => {
    const space = workspace();
    await run(['examples', 'add', '-i', 'q4', '-s', '3', '-a', EAGER, '--note', 'no deployment', ...space.flags]);
    await run([
      'examples',
      'add',
      '-i',
      'q5',
      '-s',
      '4',
      '-a',
      'Dropout, early stopping and data augmentation.',
      ...space.flags,
    ]);
    const all = gradedExampleSchema
      .array()
      .parse(JSON.parse((await run(['examples', 'list', '--json', ...space.flags])).out));
    expect(all.map((example) => example.questionId)).toEqual(['q4', 'q5']);
    const onlyQ5 = gradedExampleSchema
      .array()
      .parse(JSON.parse((await run(['examples', 'list', '-i', 'q5', '--json', ...space.flags])).out));
    expect(onlyQ5.map((example) => example.id)).toEqual([all[1].id]);

    const words = await run(['examples', 'list', ...space.flags]);
    expect(words.out).toContain(`${all[0].id}  3/5`);
    expect(words.out).toContain('note: no deployment');
    expect(words.out).toMatch(/q4 Explain the differences between eager execution/);
    expect(words.out).toContain('2 graded examples in');

    const removed = await run(['examples', 'remove', all[0].id, ...space.flags]);
    expect(removed.code).toBe(0);
    expect(removed.out).toMatch(
      new RegExp(`^Removed ${all[0].id} from q4; q4 has 0 graded examples left\\.\\nRebuilt the index in \\d+ ms`),
    );
    expect((await run(['examples', 'list', '-i', 'q4', ...space.flags])).out).toMatch(/^No graded examples for q4 in /);
    const unknown = await run(['examples', 'remove', 'ex-00000000', ...space.flags]);
    expect(unknown.code).toBe(1);
    expect(expectOneLineError(unknown.err)).toBe('answerkey: no graded example "ex-00000000"');
  });

  it('skips a bad line of an examples file: grading and lookup go on, list shows the rest and warns, nothing deletes it', async () => {
    const space = workspace();
    await run(['examples', 'add', '-i', 'q4', '-s', '3', '-a', GRAPH, ...space.flags]);
    await run(['examples', 'add', '-i', 'q4', '-s', '2', '-a', EAGER, ...space.flags]);
    const path = space.examplesFile('q4');
    const [first] = readFileSync(path, 'utf8').split('\n');
    writeFileSync(path, `${first}\n{not json\n`);
    const goodId = gradedExampleSchema.parse(JSON.parse(first)).id;
    const notice = `${path}:2: not valid JSON`;

    // Examples off: the files are not read at all, and the index is used as it is.
    const off = await run(['grade', '-i', 'q5', '-a', 'Use dropout.', '--examples', '0', ...space.flags]);
    expect(off.code).toBe(0);
    expect(off.err).toBe('');
    const lookup = await run(['lookup', 'what is overfitting', ...space.flags]);
    expect(lookup.code).toBe(0);
    expect(lookup.out).toContain('q5');
    expect(lookup.err.split(notice)).toHaveLength(2);
    const graded = await run(['grade', '-i', 'q4', '-a', GRAPH, '--json', ...space.flags]);
    expect(graded.code).toBe(0);
    expect(gradeSchema.parse(JSON.parse(graded.out)).examples?.map((example) => example.id)).toEqual([goodId]);
    expect(graded.err).toBe(
      `answerkey: skipping a bad line of graded examples: ${notice} (fix or delete them; \`answerkey examples list\` shows them all)\n`,
    );

    const listed = await run(['examples', 'list', ...space.flags]);
    expect(listed.code).toBe(0);
    expect(listed.out).toContain(`${goodId}  3/5`);
    expect(listed.err).toBe(
      `answerkey: warning: skipping a line that is not a graded example; fix or delete them:\n  ${notice}\n`,
    );
    const json = await run(['examples', 'list', '--json', ...space.flags]);
    expect(
      gradedExampleSchema
        .array()
        .parse(JSON.parse(json.out))
        .map((example) => example.id),
    ).toEqual([goodId]);

    expect((await run(['examples', 'add', '-i', 'q4', '-s', '1', '-a', EAGER, ...space.flags])).code).toBe(0);
    expect((await run(['examples', 'remove', goodId, ...space.flags])).code).toBe(0);
    expect(readFileSync(path, 'utf8').split('\n')[0]).toBe('{not json');
  });

  it('keeps an example whose index rebuild failed, warns on standard error and exits 0, so a retry does not store it twice', async () => {
    const space = workspace();
    // A regular file where the index folder should be: building the index under it fails for real
    // (ENOTDIR), whoever runs the tests, while the examples folder in the bank is writable.
    writeFileSync(space.index, 'not a folder\n');
    const added = await run(['examples', 'add', '-i', 'q4', '-s', '3', '-a', GRAPH, ...space.flags]);
    expect(added.code).toBe(0);
    expect(added.out).toMatch(/^Added ex-[0-9a-f]{8} to q4 \(score 3 of 5\); q4 has 1 graded example\.\n$/);
    expect(added.err).toMatch(
      /^answerkey: warning: the change is saved, but the index could not be rebuilt \(.*ENOTDIR.*\): grades use the index from before until it is; /,
    );
    expect(gradedExampleSchema.parse(JSON.parse(readFileSync(space.examplesFile('q4'), 'utf8'))).answer).toBe(GRAPH);
    rmSync(space.index);
    // The next grade finds no index that holds the example, builds one, and uses it.
    const graded = await run(['grade', '-i', 'q4', '-a', GRAPH, '--json', ...space.flags]);
    expect(graded.code).toBe(0);
    expect(gradeSchema.parse(JSON.parse(graded.out)).examples).toHaveLength(1);
  });

  it("imports a file of graded rows in the data sets' format", async () => {
    const space = workspace();
    const file = join(space.root, 'graded.jsonl');
    const rows = [
      { question_id: 'q4', answer: EAGER, score: 2, max_score: 5, note: 'debugging only' },
      { question_id: 'q4', answer: GRAPH, score: 3, max_score: 5 },
      { question_id: 'q7', answer: 'Generators yield values lazily.', score: 0.5, max_score: 1, dataset: 'team' },
    ];
    writeFileSync(file, `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`);
    const imported = await run(['examples', 'add', '--file', file, ...space.flags]);
    expect(imported.err).toBe('');
    expect(imported.out).toMatch(
      new RegExp(`^Imported 3 graded examples from ${file} \\(q4: 2, q7: 1\\)\\.\\nRebuilt the index`),
    );
    const examples = gradedExampleSchema
      .array()
      .parse(JSON.parse((await run(['examples', 'list', '--json', ...space.flags])).out));
    expect(examples.map(({ questionId, score, maxScore, note }) => ({ questionId, score, maxScore, note }))).toEqual([
      { questionId: 'q4', score: 2, maxScore: 5, note: 'debugging only' },
      { questionId: 'q4', score: 3, maxScore: 5, note: undefined },
      { questionId: 'q7', score: 0.5, maxScore: 1, note: undefined },
    ]);
  });

  it('imports nothing from a file with bad rows, naming each by its line', async () => {
    const space = workspace();
    const file = join(space.root, 'graded.jsonl');
    const lines = [
      JSON.stringify({ question_id: 'q4', answer: EAGER, score: 2, max_score: 5 }),
      JSON.stringify({ question_id: 'q99', answer: 'x', score: 1, max_score: 5 }),
      JSON.stringify({ question_id: 'q4', answer: GRAPH, score: 9, max_score: 5 }),
      '{"question_id": "q4", "answer": ',
      JSON.stringify({ question_id: 'q4', answer: GRAPH, max_score: 5 }),
      '{}',
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);
    const result = await run(['examples', 'add', '--file', file, ...space.flags]);
    expect(result.code).toBe(1);
    expect(result.out).toBe('');
    const message = expectOneLineError(result.err);
    expect(message).toMatch(/^answerkey: 5 of 6 examples cannot be stored, so none was: /);
    expect(message).toContain(`${file}:2: questionId: no question "q99" in the bank`);
    expect(message).toContain(`${file}:3: score: 9 is above the maximum 5`);
    expect(message).toContain(`${file}:4: not valid JSON`);
    expect(message).toContain(`${file}:5: score is missing; ${file}:6: question_id is missing`);
    expect(result.err).toContain('nothing was imported');
    expect(existsSync(join(space.bank, 'examples'))).toBe(false);
    expect(existsSync(space.index)).toBe(false);
  });

  it.each([
    ['no question', ['examples', 'add', '--score', '3', '-a', EAGER], /say which question/],
    ['no score', ['examples', 'add', '-i', 'q4', '-a', EAGER], /give the score/],
    [
      'a score that is not a number',
      ['examples', 'add', '-i', 'q4', '-s', 'high', '-a', EAGER],
      /--score must be a number, not "high"/,
    ],
    [
      'a score above the maximum',
      ['examples', 'add', '-i', 'q4', '-s', '6', '-a', EAGER],
      /score: 6 is above the maximum 5/,
    ],
    ['an unknown question', ['examples', 'add', '-i', 'q99', '-s', '1', '-a', EAGER], /no question "q99"/],
    ['--file with flags', ['examples', 'add', '--file', 'graded.jsonl', '-s', '3'], /--file imports whole rows/],
  ])('exits 2 with one line for %s, storing nothing', async (_name, argv, message) => {
    const space = workspace();
    const result = await run([...argv, ...space.flags]);
    expect(result.code).toBe(2);
    expect(expectOneLineError(result.err)).toMatch(message);
    expect(existsSync(join(space.bank, 'examples'))).toBe(false);
  });

  it('teaches with --help: what examples are, where they live, and how to add them', async () => {
    const help = await run(['examples', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/answers an interviewer has already graded/);
    expect(help.out).toContain('ANSWERKEY_EXAMPLES_DIR');
    expect(help.out).toMatch(/Examples:\n {2}\$ answerkey examples add/);
    const addHelp = await run(['examples', 'add', '--help']);
    expect(addHelp.out).toContain('--file <graded.jsonl>');
    expect(addHelp.out).toContain('{"question_id": "q4"');
    const description = addHelp.out.replace(/\s+/g, ' ');
    expect(description).toContain(
      "all or none: a bad row stops the import with its line number, and so does another process changing one of the questions' example files for more than 5 s; either way nothing is stored.",
    );
    expect(description).toContain(
      'a later `answerkey grade` uses the new examples without rebuilding it; a server already running picks them up at its next grade',
    );
    expect(description).not.toContain('without waiting');
    expect((await run(['--help'])).out).toMatch(/examples\s+manage graded examples/);
  });
});
