import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/config.js';
import { DEFAULT_PATHS } from '../../src/config/paths.js';
import { LocalEmbeddings } from '../../src/embeddings/local-embeddings.js';
import { WordVectors } from '../../src/embeddings/word-vectors.js';
import { cliHint } from '../../src/cli/error-hints.js';
import { AnswerkeyError } from '../../src/errors/answerkey-error.js';
import { createExampleStore, type ExampleStore } from '../../src/examples/example-store.js';
import type { GradedExample } from '../../src/examples/graded-example.js';
import { createNearestExamples } from '../../src/retrieval/nearest-examples.js';
import type { Grade } from '../../src/grading/grade-schema.js';
import { createGrader } from '../../src/app/create-grader.js';
import { createGradingPipeline } from '../../src/grading/grading-pipeline.js';
import type { Scorer, ScoringInput } from '../../src/grading/scorer.js';
import { openReferenceIndex, type ReferenceIndex } from '../../src/retrieval/reference-index.js';
import { loadQuestionBank } from '../../src/rubrics/question-bank.js';
import { loadCandidateAnswers } from '../helpers/test-grader.js';

const bank = loadQuestionBank(DEFAULT_PATHS.bankDirectory);
const temporary = (name: string) => mkdtempSync(join(tmpdir(), `answerkey-${name}-`));

const EAGER = 'Eager mode runs each operation at once so I can debug with print statements and pdb.';
const GRAPH = 'Graph mode traces the function with tf.function and exports a SavedModel for serving.';
const BOTH = 'Eager mode is for debugging; graph mode with tf.function is faster and exported for serving.';

/** A scorer that records what it is given and returns the same grade every time. */
function recordingScorer(): Scorer & { inputs: ScoringInput[] } {
  const inputs: ScoringInput[] = [];
  return {
    mode: 'local',
    inputs,
    async score(input) {
      inputs.push(input);
      const grade: Grade = {
        questionId: input.questionId,
        score: input.maxScore,
        maxScore: input.maxScore,
        normalizedScore: 1,
        band: 'excellent',
        rationale: 'recorded',
        misconceptions: [],
        keyPoints: [],
        confidence: 0.9,
        mode: 'local',
        reference: input.reference,
        flags: [],
      };
      return grade;
    },
  };
}

describe('the grading pipeline with graded examples', () => {
  let store: ExampleStore;
  let index: ReferenceIndex;
  let eager: GradedExample;
  let graph: GradedExample;
  let both: GradedExample;
  let other: GradedExample;

  beforeAll(async () => {
    store = createExampleStore({ directory: temporary('examples'), bank });
    [eager, graph, both, other] = await store.add([
      { questionId: 'q4', answer: EAGER, score: 2 },
      { questionId: 'q4', answer: GRAPH, score: 3, note: 'misses debugging' },
      { questionId: 'q4', answer: BOTH, score: 4 },
      { questionId: 'q5', answer: 'Dropout and early stopping.', score: 3 },
    ]);
    index = await openReferenceIndex({
      bank,
      embeddings: new LocalEmbeddings({ vectors: WordVectors.open(DEFAULT_PATHS.vectorsPath) }),
      embedderId: LocalEmbeddings.id,
      directory: temporary('index'),
      rebuild: 'auto',
      examples: () => store.list(),
    });
  });

  function pipelineWith(count: number) {
    const scorer = recordingScorer();
    const indexOpenings: string[] = [];
    const pipeline = createGradingPipeline({
      bank,
      scorer,
      matchThreshold: 0.38,
      questionRetriever: () => Promise.reject(new Error('not used: questions are named by id')),
      nearestExamples: createNearestExamples({
        store,
        count,
        index: async () => {
          indexOpenings.push('opened');
          return index;
        },
      }),
    });
    return { pipeline, scorer, indexOpenings };
  }

  it('gives the scorer the question\'s examples nearest the answer, nearest first, at most the count', async () => {
    const { pipeline, scorer } = pipelineWith(2);
    await pipeline.invoke({ questionId: 'q4', answer: GRAPH });
    const [input] = scorer.inputs;
    expect(input.examples?.map((example) => example.id)).toHaveLength(2);
    expect(input.examples?.[0]).toEqual(graph);
    expect(input.examples?.map((example) => example.id)).not.toContain(other.id);
    const { pipeline: wide, scorer: wideScorer } = pipelineWith(10);
    await wide.invoke({ questionId: 'q4', answer: EAGER });
    expect(wideScorer.inputs[0].examples?.map((example) => example.id)).toEqual(expect.arrayContaining([eager.id, graph.id, both.id]));
    expect(wideScorer.inputs[0].examples?.[0].id).toBe(eager.id);
    expect(wideScorer.inputs[0].examples).toHaveLength(3);
  });

  it('gives none, without opening the index, for a question with no examples, an inline reference, or a count of 0', async () => {
    const { pipeline, scorer, indexOpenings } = pipelineWith(10);
    await pipeline.invoke({ questionId: 'q6', answer: EAGER });
    await pipeline.invoke({ question: 'What is a stack?', referenceAnswer: 'A last-in, first-out collection.', answer: EAGER });
    await pipeline.invoke({ questionId: 'q4', answer: '   ' });
    const off = pipelineWith(0);
    await off.pipeline.invoke({ questionId: 'q4', answer: EAGER });
    expect([...scorer.inputs, ...off.scorer.inputs].map((input) => input.examples)).toEqual([undefined, undefined, undefined, undefined]);
    expect([...indexOpenings, ...off.indexOpenings]).toEqual([]);
  });
});

describe('the grader with graded examples', () => {
  function graderOn(directories: { index: string; examples: string }, rebuild: 'auto' | 'never', notices: string[] = [], exampleCount = 10) {
    const config = resolveConfig(
      { indexDirectory: directories.index, examplesDirectory: directories.examples, exampleCount },
      { ANSWERKEY_INDEX_REBUILD: rebuild },
    );
    return createGrader(config, { notice: (message) => notices.push(message) });
  }

  /** q4's file: one good example, then a line that is not JSON. */
  function examplesWithABadLine(): { directory: string; path: string; good: GradedExample } {
    const directory = temporary('examples');
    const path = join(directory, 'q4.jsonl');
    const good: GradedExample = { id: 'ex-0000good', questionId: 'q4', answer: GRAPH, score: 3, maxScore: 5 };
    writeFileSync(path, `${JSON.stringify(good)}\n{not json\n`);
    return { directory, path, good };
  }

  it('skips a bad line of one file and says so once: lookup, the off-topic guard and grading all go on', async () => {
    const { directory, path, good } = examplesWithABadLine();
    const notices: string[] = [];
    const grader = graderOn({ index: temporary('index'), examples: directory }, 'auto', notices);
    expect((await grader.lookup('what is overfitting', 'question'))[0].questionId).toBe('q5');
    // An answer to q4 given for q5 scores low, so the off-topic guard searches the index.
    expect((await grader.grade({ questionId: 'q5', answer: EAGER })).questionId).toBe('q5');
    expect((await grader.grade({ questionId: 'q4', answer: GRAPH })).examples?.map((example) => example.id)).toEqual([good.id]);
    await grader.grade({ questionId: 'q4', answer: EAGER });
    expect(notices.filter((notice) => notice.startsWith('skipping'))).toEqual([
      `skipping a bad line of graded examples: ${path}:2: not valid JSON (fix or delete them; \`answerkey examples list\` shows them all)`,
    ]);
    grader.close();
  });

  it('never reads the examples with a count of 0, and uses the index whatever examples it holds', async () => {
    const { directory, path } = examplesWithABadLine();
    const index = temporary('index');
    const builder = graderOn({ index, examples: directory }, 'auto');
    await builder.buildIndex();
    builder.close();
    // Changed since the build: another example, and the bad line made worse.
    appendFileSync(path, `${JSON.stringify({ id: 'ex-0000late', questionId: 'q4', answer: EAGER, score: 1, maxScore: 5 })}\n{"id": 7}\n`);
    const notices: string[] = [];
    const off = graderOn({ index, examples: directory }, 'never', notices, 0);
    expect((await off.lookup('what is overfitting', 'question'))[0].questionId).toBe('q5');
    expect((await off.grade({ questionId: 'q5', answer: EAGER })).questionId).toBe('q5');
    expect((await off.grade({ questionId: 'q4', answer: GRAPH })).examples).toBeUndefined();
    expect(notices).toEqual([]);
    off.close();
    // With examples on, the same index is out of date.
    const on = graderOn({ index, examples: directory }, 'never');
    const error = await on.lookup('what is overfitting', 'question').catch((caught: unknown) => caught);
    expect((error as AnswerkeyError).code).toBe('index_stale');
    on.close();
  });

  it('opens the index to grade by id only when the question has examples', async () => {
    const grader = graderOn({ index: temporary('index'), examples: temporary('examples') }, 'never');
    const reference = bank.get('q4')!.referenceAnswer;
    // No index exists and none may be built: grading a strong answer by id does not need one.
    expect((await grader.grade({ questionId: 'q4', answer: reference })).questionId).toBe('q4');
    await grader.examples.add([{ questionId: 'q4', answer: EAGER, score: 2 }]);
    const error = await grader.grade({ questionId: 'q4', answer: reference }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AnswerkeyError);
    expect((error as AnswerkeyError).code).toBe('index_missing');
    expect(cliHint(error as AnswerkeyError)).toContain('answerkey index build');
    expect((await grader.grade({ questionId: 'q7', answer: bank.get('q7')!.referenceAnswer })).questionId).toBe('q7');
    grader.close();
  });

  it('uses an example as soon as it is added, here or by another process', async () => {
    const directories = { index: temporary('index'), examples: temporary('examples') };
    const grader = graderOn(directories, 'auto');
    const before = await grader.grade({ questionId: 'q4', answer: GRAPH });
    expect(before.examples).toBeUndefined();
    const { added: [mine] } = await grader.addExamples([{ questionId: 'q4', answer: GRAPH, score: 4 }]);
    expect((await grader.grade({ questionId: 'q4', answer: GRAPH })).examples?.map((example) => example.id)).toEqual([mine.id]);
    const elsewhere = graderOn(directories, 'auto');
    const { added: [theirs] } = await elsewhere.addExamples([{ questionId: 'q4', answer: EAGER, score: 1 }]);
    const after = await grader.grade({ questionId: 'q4', answer: EAGER });
    expect(after.examples?.map((example) => example.id)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    await grader.removeExample(mine.id);
    expect((await grader.grade({ questionId: 'q4', answer: EAGER })).examples?.map((example) => example.id)).toEqual([theirs.id]);
    grader.close();
    elsewhere.close();
  });
});

describe('the panel: graded examples of other questions', () => {
  it('a panel generous on every question lifts a question that has a single example of its own', async () => {
    const candidates = loadCandidateAnswers();
    const configFor = () =>
      resolveConfig({ indexDirectory: temporary('panel-index'), examplesDirectory: temporary('panel-examples') }, {});
    const alone = createGrader(configFor());
    const withPanel = createGrader(configFor());
    const own = { questionId: 'q4', answer: candidates.q4.paraphrase, score: 5 };
    await alone.addExamples([own]);
    // Weak answers to q1–q3 graded full marks: this panel is far more generous than the shipped scale.
    const generous = ['q1', 'q2', 'q3'].flatMap((questionId) =>
      [candidates[questionId].partial, `${candidates[questionId].partial} That is all I know.`, `Briefly: ${candidates[questionId].partial}`].map((answer) => ({ questionId, answer, score: 5 })),
    );
    await withPanel.addExamples([own, ...generous]);
    const request = { questionId: 'q4', answer: candidates.q4.partial };
    const [without, lifted] = [await alone.grade(request), await withPanel.grade(request)];
    expect(lifted.examples?.map((example) => example.id)).toEqual(without.examples?.map(() => expect.any(String)));
    expect(lifted.normalizedScore).toBeGreaterThan(without.normalizedScore + 0.1);
    alone.close();
    withPanel.close();
  });
});
