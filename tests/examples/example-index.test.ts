import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PATHS } from '../../src/config/paths.js';
import { LocalEmbeddings } from '../../src/embeddings/local-embeddings.js';
import { WordVectors } from '../../src/embeddings/word-vectors.js';
import { cliHint } from '../../src/cli/error-hints.js';
import { AnswerkeyError } from '../../src/errors/answerkey-error.js';
import { createExampleStore, type ExampleStore } from '../../src/examples/example-store.js';
import type { GradedExample } from '../../src/examples/graded-example.js';
import { buildReferenceIndex, indexDirectoryFor, openReferenceIndex, type OpenReferenceIndexConfig } from '../../src/retrieval/reference-index.js';
import { loadQuestionBank } from '../../src/rubrics/question-bank.js';

const bank = loadQuestionBank(DEFAULT_PATHS.bankDirectory);
const embeddings = new LocalEmbeddings({ vectors: WordVectors.open(DEFAULT_PATHS.vectorsPath) });

const EAGER = 'Eager mode runs each operation at once so I can debug with print statements and pdb.';
const GRAPH = 'Graph mode traces the function with tf.function and exports a SavedModel for serving.';
const DROPOUT = 'I add dropout layers and early stopping, and augment the images to fight overfitting.';

function setup(store: ExampleStore, directory = mkdtempSync(join(tmpdir(), 'answerkey-index-examples-'))) {
  const reasons: string[] = [];
  const config: OpenReferenceIndexConfig = {
    bank,
    embeddings,
    embedderId: LocalEmbeddings.id,
    directory,
    rebuild: 'auto',
    onRebuild: (reason) => reasons.push(reason),
    examples: () => store.list(),
  };
  return { config, reasons, manifestPath: join(indexDirectoryFor(directory, LocalEmbeddings.id), 'manifest.json') };
}

function freshStore(): ExampleStore {
  return createExampleStore({ directory: mkdtempSync(join(tmpdir(), 'answerkey-examples-')), bank });
}

async function expectStale(config: OpenReferenceIndexConfig) {
  const error = await openReferenceIndex({ ...config, rebuild: 'never' }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AnswerkeyError);
  expect((error as AnswerkeyError).code).toBe('index_stale');
  expect((error as AnswerkeyError).message).toBe('the graded examples changed since the index was built');
  expect(cliHint(error as AnswerkeyError)).toContain('answerkey index build');
}

describe('graded examples in the reference index', () => {
  let store: ExampleStore;
  let eager: GradedExample;
  let graph: GradedExample;
  let dropout: GradedExample;
  let built: ReturnType<typeof setup>;

  beforeAll(async () => {
    store = freshStore();
    [eager, graph, dropout] = await store.add([
      { questionId: 'q4', answer: EAGER, score: 3 },
      { questionId: 'q4', answer: GRAPH, score: 4 },
      { questionId: 'q5', answer: DROPOUT, score: 4 },
    ]);
    built = setup(store);
    await buildReferenceIndex(built.config);
  });

  it('records the examples\' hash and documents in the manifest', () => {
    const manifest = JSON.parse(readFileSync(built.manifestPath, 'utf8'));
    expect(manifest).toMatchObject({ examplesHash: store.hash(), documentCount: 2 * bank.rubrics.length + 3 });
  });

  it('finds an example for its own question, nearest first, and never for another question', async () => {
    const index = await openReferenceIndex(built.config);
    expect(built.reasons).toEqual([]);
    const forQ4 = await index.searchExamples(GRAPH, { questionId: 'q4', limit: 10 });
    expect(forQ4.map((match) => match.exampleId)).toEqual([graph.id, eager.id]);
    expect(forQ4[0].similarity).toBeGreaterThan(0.99);
    expect(forQ4[0].similarity).toBeGreaterThan(forQ4[1].similarity);
    expect((await index.searchExamples(GRAPH, { questionId: 'q4', limit: 1 })).map((match) => match.exampleId)).toEqual([graph.id]);
    // The dropout answer is q5's: asked for q4 with its very text, the index still offers only q4's examples.
    const askedWithOtherText = await index.searchExamples(DROPOUT, { questionId: 'q4', limit: 10 });
    expect(askedWithOtherText.map((match) => match.exampleId)).not.toContain(dropout.id);
    expect((await index.searchExamples(EAGER, { questionId: 'q5', limit: 10 })).map((match) => match.exampleId)).toEqual([dropout.id]);
    expect(await index.searchExamples(EAGER, { questionId: 'q6', limit: 10 })).toEqual([]);
  });

  it('keeps example documents out of question and reference searches', async () => {
    const parrotStore = freshStore();
    // An example whose text is q9's question word for word, filed under q4.
    await parrotStore.add([{ questionId: 'q4', answer: bank.get('q9')!.question, score: 0 }]);
    const parrot = setup(parrotStore);
    const index = await openReferenceIndex(parrot.config);
    const questions = await index.search(bank.get('q9')!.question, { kind: 'question', limit: 100 });
    expect(questions).toHaveLength(bank.rubrics.length);
    expect(questions[0]).toMatchObject({ questionId: 'q9', kind: 'question' });
    const references = await index.search(bank.get('q9')!.question, { kind: 'reference', limit: 100 });
    expect(references).toHaveLength(bank.rubrics.length);
    expect(references.every((match) => match.kind === 'reference')).toBe(true);
  });

  it('is stale when an example is added or removed: an error under "never", a rebuild under "auto"', async () => {
    const changing = freshStore();
    await changing.add([{ questionId: 'q4', answer: EAGER, score: 3 }]);
    const { config } = setup(changing);
    await buildReferenceIndex(config);
    const [added] = await changing.add([{ questionId: 'q4', answer: GRAPH, score: 5 }]);
    await expectStale(config);
    const reasons: string[] = [];
    const rebuilt = await openReferenceIndex({ ...config, onRebuild: (reason) => reasons.push(reason) });
    expect(reasons).toEqual(['the graded examples changed since the index was built']);
    expect((await rebuilt.searchExamples(GRAPH, { questionId: 'q4', limit: 1 }))[0].exampleId).toBe(added.id);
    await changing.remove(added.id);
    await expectStale(config);
  });

  it('writes no examples hash without examples, so the shipped index still opens as it is', async () => {
    const empty = freshStore();
    const directory = mkdtempSync(join(tmpdir(), 'answerkey-index-shipped-'));
    cpSync(indexDirectoryFor(DEFAULT_PATHS.indexDirectory, LocalEmbeddings.id), indexDirectoryFor(directory, LocalEmbeddings.id), { recursive: true });
    const shipped = setup(empty, directory);
    const index = await openReferenceIndex({ ...shipped.config, rebuild: 'never' });
    expect(index.examplesHash).toBeNull();
    expect(await index.searchExamples(EAGER, { questionId: 'q4', limit: 5 })).toEqual([]);
    await buildReferenceIndex(shipped.config);
    expect(Object.keys(JSON.parse(readFileSync(shipped.manifestPath, 'utf8')))).not.toContain('examplesHash');
  });
});
