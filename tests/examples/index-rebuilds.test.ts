import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveConfig } from '../../src/config/config.js';
import { createGrader } from '../../src/app/create-grader.js';
import { cliRebuildWarning } from '../../src/cli/error-hints.js';
import type { ReferenceIndexStore } from '../../src/retrieval/live-reference-index.js';
import { buildReferenceIndex, openReferenceIndex } from '../../src/retrieval/reference-index.js';

/**
 * Every rebuild the grader asks for is counted, and held at a gate the test opens; every opening is
 * counted. While `failure` is set, rebuilding fails with it, as does opening under "auto" (in these
 * tests the index on disk is stale then, so opening it would rebuild it).
 */
const rebuilds = { started: 0, opened: 0, gate: Promise.resolve() as Promise<void>, failure: undefined as Error | undefined };
const indexStore: ReferenceIndexStore = {
  build: async (config) => {
    rebuilds.started += 1;
    await rebuilds.gate;
    if (rebuilds.failure) throw rebuilds.failure;
    return buildReferenceIndex(config);
  },
  open: async (config) => {
    rebuilds.opened += 1;
    if (rebuilds.failure && config.rebuild === 'auto') throw rebuilds.failure;
    return openReferenceIndex(config);
  },
};

afterEach(() => {
  rebuilds.failure = undefined;
  rebuilds.gate = Promise.resolve();
  vi.useRealTimers();
});

const temporary = (name: string) => mkdtempSync(join(tmpdir(), `answerkey-${name}-`));
const GRAPH = 'Graph mode traces the function with tf.function and exports a SavedModel for serving.';

function closedGate(): () => void {
  let open: () => void = () => undefined;
  rebuilds.gate = new Promise<void>((resolve) => (open = resolve));
  return open;
}

async function until(condition: () => boolean): Promise<void> {
  for (let tries = 0; !condition(); tries += 1) {
    if (tries > 500) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('rebuilding the index while grading', () => {
  it('grades with the index it has while a rebuild runs, and folds a burst of changes into one more rebuild', async () => {
    const grader = createGrader(resolveConfig({ indexDirectory: temporary('index'), examplesDirectory: temporary('examples') }, {}), { indexStore });
    const { added: [first] } = await grader.addExamples([{ questionId: 'q4', answer: GRAPH, score: 3 }]);
    rebuilds.started = 0;

    const openGate = closedGate();
    const settled: string[] = [];
    const adding = grader.addExamples([{ questionId: 'q4', answer: `${GRAPH} Also eager mode.`, score: 4 }]);
    void adding.then(() => settled.push('first add'));
    await until(() => rebuilds.started === 1);
    // Nine more while that rebuild runs: they share the one rebuild after it.
    const burst = Array.from({ length: 9 }, (_, index) => grader.addExamples([{ questionId: 'q4', answer: `${GRAPH} Variant ${index}.`, score: 2 }]));

    // The rebuild is held: a grade is answered from the index as it was, with the one example it holds.
    const during = await grader.grade({ questionId: 'q4', answer: GRAPH });
    expect(during.examples?.map((example) => example.id)).toEqual([first.id]);
    expect(settled).toEqual([]);
    expect(rebuilds.started).toBe(1);

    openGate();
    const added = [...(await adding).added, ...(await Promise.all(burst)).flatMap((change) => change.added)];
    expect(rebuilds.started).toBe(2);
    expect(grader.examples.count('q4')).toBe(11);
    const after = await grader.grade({ questionId: 'q4', answer: `${GRAPH} Variant 8.` });
    expect(after.examples?.map((example) => example.id)).toContain(added.at(-1)?.id);
    expect(after.examples).toHaveLength(10);
    grader.close();
  });

  it.each(['auto', 'never'] as const)(
    'with ANSWERKEY_INDEX_REBUILD=%s and a rebuild that keeps failing: the change is kept with a warning, grades go on with the index from before, and a rebuild is tried again only after 30 s',
    async (rebuild) => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const notices: string[] = [];
      const config = resolveConfig({ indexDirectory: temporary('index'), examplesDirectory: temporary('examples') }, { ANSWERKEY_INDEX_REBUILD: rebuild });
      const grader = createGrader(config, { indexStore, notice: (message) => notices.push(message) });
      await grader.buildIndex();
      const { added: [kept] } = await grader.addExamples([{ questionId: 'q4', answer: GRAPH, score: 3 }]);
      const examplesOfGrade = async () => (await grader.grade({ questionId: 'q4', answer: GRAPH })).examples?.map((example) => example.id);
      expect(await examplesOfGrade()).toEqual([kept.id]);

      rebuilds.failure = new Error('the disk is full');
      const { added: [unindexed], warning } = await grader.addExamples([{ questionId: 'q4', answer: `${GRAPH} Eager mode too.`, score: 4 }]);
      expect(warning?.error).toEqual(new Error('the disk is full'));
      expect(warning && cliRebuildWarning(warning)).toMatch(/^the change is saved, but the index could not be rebuilt \(the disk is full\): grades use the index from before until it is; /);
      expect(grader.examples.list('q4').map((example) => example.id)).toEqual([kept.id, unindexed.id]);
      const openedBefore = rebuilds.opened;
      for (let grade = 0; grade < 3; grade += 1) expect(await examplesOfGrade()).toEqual([kept.id]);
      expect(rebuilds.opened).toBe(openedBefore);

      // 30 s after the failure, one grade tries again; it fails, and the grades after it do not wait for another try.
      vi.setSystemTime(Date.now() + 30_000);
      for (let grade = 0; grade < 3; grade += 1) expect(await examplesOfGrade()).toEqual([kept.id]);
      expect(rebuilds.opened).toBe(openedBefore + 1);
      const told = notices.filter((notice) => notice.startsWith('could not bring the reference index up to date with the graded examples'));
      expect(told).toHaveLength(1);
      expect(told[0]).toMatch(/grading goes on with the index as it is, and tries again in 30 s$/);

      // Once the cause is gone: under "auto" the next try rebuilds; under "never" it takes `answerkey index build`.
      rebuilds.failure = undefined;
      vi.setSystemTime(Date.now() + 30_000);
      if (rebuild === 'never') {
        expect(await examplesOfGrade()).toEqual([kept.id]);
        await grader.buildIndex();
      }
      expect(await examplesOfGrade()).toEqual(expect.arrayContaining([kept.id, unindexed.id]));
      expect(notices.filter((notice) => notice.startsWith('could not bring'))).toHaveLength(1);
      grader.close();
    },
  );
});
