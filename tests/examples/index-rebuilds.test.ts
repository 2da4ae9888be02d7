import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { resolveConfig } from '../../src/config/config.js';
import { createGrader } from '../../src/grading/grader.js';
import type * as ReferenceIndexModule from '../../src/retrieval/reference-index.js';

/** Every rebuild the grader asks for is counted, and held at a gate the test opens. */
const rebuilds = vi.hoisted(() => ({ started: 0, gate: Promise.resolve() as Promise<void> }));

vi.mock('../../src/retrieval/reference-index.js', async (importOriginal) => {
  const original = await importOriginal<typeof ReferenceIndexModule>();
  return {
    ...original,
    buildReferenceIndex: async (config: ReferenceIndexModule.OpenReferenceIndexConfig) => {
      rebuilds.started += 1;
      await rebuilds.gate;
      return original.buildReferenceIndex(config);
    },
  };
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
    const grader = createGrader(resolveConfig({ indexDirectory: temporary('index'), examplesDirectory: temporary('examples') }, {}));
    const [first] = await grader.addExamples([{ questionId: 'q4', answer: GRAPH, score: 3 }]);
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
    const added = [...(await adding), ...(await Promise.all(burst)).flat()];
    expect(rebuilds.started).toBe(2);
    expect(grader.examples.count('q4')).toBe(11);
    const after = await grader.grade({ questionId: 'q4', answer: `${GRAPH} Variant 8.` });
    expect(after.examples?.map((example) => example.id)).toContain(added.at(-1)?.id);
    expect(after.examples).toHaveLength(10);
    grader.close();
  });

  it('fails the change that asked for a rebuild that failed, with its reason, and grading goes on', async () => {
    const grader = createGrader(resolveConfig({ indexDirectory: temporary('index'), examplesDirectory: temporary('examples') }, {}));
    const [kept] = await grader.addExamples([{ questionId: 'q4', answer: GRAPH, score: 3 }]);
    rebuilds.gate = Promise.reject(new Error('the disk is full'));
    rebuilds.gate.catch(() => undefined);
    const failed = await grader.addExamples([{ questionId: 'q7', answer: 'Generators yield lazily.', score: 3 }]).catch((error: unknown) => error);
    expect((failed as Error).message).toBe('the disk is full');
    rebuilds.gate = Promise.resolve();
    expect((await grader.grade({ questionId: 'q4', answer: GRAPH })).examples?.map((example) => example.id)).toEqual([kept.id]);
    grader.close();
  });
});
