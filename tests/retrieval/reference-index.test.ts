import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PATHS } from '../../src/config/paths.js';
import { LocalEmbeddings } from '../../src/embeddings/local-embeddings.js';
import { WordVectors } from '../../src/embeddings/word-vectors.js';
import { cliHint } from '../../src/cli/error-hints.js';
import { AnswerkeyError } from '../../src/errors/answerkey-error.js';
import {
  buildReferenceIndex,
  indexDirectoryFor,
  openReferenceIndex,
  type OpenReferenceIndexConfig,
} from '../../src/retrieval/reference-index.js';
import { loadQuestionBank } from '../../src/rubrics/question-bank.js';
import { runScript } from '../helpers/processes.js';

const vectors = WordVectors.open(DEFAULT_PATHS.vectorsPath);
const embeddings = new LocalEmbeddings({ vectors });

function setup(overrides: Partial<OpenReferenceIndexConfig> = {}) {
  const reasons: string[] = [];
  const config: OpenReferenceIndexConfig = {
    bank: loadQuestionBank(DEFAULT_PATHS.bankDirectory),
    embeddings,
    embedderId: LocalEmbeddings.id,
    directory: mkdtempSync(join(tmpdir(), 'answerkey-index-test-')),
    rebuild: 'auto',
    onRebuild: (reason) => reasons.push(reason),
    ...overrides,
  };
  return { config, reasons, storeDirectory: indexDirectoryFor(config.directory, config.embedderId) };
}

async function expectIndexError(config: OpenReferenceIndexConfig, code: string) {
  const error = await openReferenceIndex({ ...config, rebuild: 'never' }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AnswerkeyError);
  expect((error as AnswerkeyError).code).toBe(code);
  expect(cliHint(error as AnswerkeyError)).toContain('answerkey index build');
}

describe('reference index', () => {
  let built: ReturnType<typeof setup>;

  beforeAll(async () => {
    built = setup();
    await buildReferenceIndex(built.config);
  });

  it('writes a manifest naming the embedder, dimensions, bank hash and document count', () => {
    const manifest = JSON.parse(readFileSync(join(built.storeDirectory, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      embedderId: 'local-glove-100d',
      dimensions: 100,
      bankHash: built.config.bank.hash,
      documentCount: 42,
    });
  });

  it('opens a current index without rebuilding and finds a question by its own text', async () => {
    const index = await openReferenceIndex(built.config);
    expect(built.reasons).toEqual([]);
    const [best] = await index.search(built.config.bank.get('q9')!.question, { kind: 'question', limit: 1 });
    expect(best.questionId).toBe('q9');
    expect(best.similarity).toBeGreaterThan(0.99);
  });

  it('searches questions and reference answers separately', async () => {
    const index = await openReferenceIndex(built.config);
    const references = await index.search(built.config.bank.get('q16')!.referenceAnswer, {
      kind: 'reference',
      limit: 3,
    });
    expect(references.every((match) => match.kind === 'reference')).toBe(true);
    expect(references[0].questionId).toBe('q16');
  });

  it('fails on a missing index when rebuilding is off, and builds it when on', async () => {
    const fresh = setup();
    await expectIndexError(fresh.config, 'index_missing');
    await openReferenceIndex(fresh.config);
    expect(fresh.reasons[0]).toMatch(/no index/);
  });

  it('treats an index of an edited bank as stale', async () => {
    const bankDirectory = mkdtempSync(join(tmpdir(), 'answerkey-bank-'));
    cpSync(DEFAULT_PATHS.bankDirectory, bankDirectory, { recursive: true });
    const stale = setup({ directory: built.config.directory });
    const path = join(bankDirectory, 'q4.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace('Explain the differences', 'Contrast the differences'));
    const editedBank = loadQuestionBank(bankDirectory);
    await expectIndexError({ ...stale.config, bank: editedBank }, 'index_stale');
    const directory = mkdtempSync(join(tmpdir(), 'answerkey-index-stale-'));
    cpSync(built.config.directory, directory, { recursive: true });
    const reasons: string[] = [];
    const index = await openReferenceIndex({
      ...stale.config,
      directory,
      bank: editedBank,
      onRebuild: (reason) => reasons.push(reason),
    });
    expect(reasons).toEqual(['the question bank changed since the index was built']);
    const [best] = await index.search(editedBank.get('q4')!.question, { kind: 'question', limit: 1 });
    expect(best.similarity).toBeGreaterThan(0.99);
  });

  it('treats an index built by another embedder as stale', async () => {
    await expectIndexError({ ...built.config, embedderId: 'openai-text-embedding-3-small' }, 'index_missing');
    const directory = mkdtempSync(join(tmpdir(), 'answerkey-index-other-'));
    cpSync(built.storeDirectory, indexDirectoryFor(directory, 'other-embedder'), { recursive: true });
    await expectIndexError({ ...built.config, directory, embedderId: 'other-embedder' }, 'index_stale');
  });

  it.each(['hnswlib.index', 'docstore.json', 'manifest.json'])(
    'detects a damaged %s before loading it, and rebuilds it',
    async (file) => {
      const damaged = setup();
      await buildReferenceIndex(damaged.config);
      writeFileSync(join(damaged.storeDirectory, file), 'not what was written');
      await expectIndexError(damaged.config, 'index_corrupt');
      const index = await openReferenceIndex(damaged.config);
      expect(damaged.reasons).toHaveLength(1);
      const [best] = await index.search(damaged.config.bank.get('q2')!.question, { kind: 'question', limit: 1 });
      expect(best.questionId).toBe('q2');
    },
  );
});

/** Holds `lockPath` from a process of its own, as another `answerkey` process writing the index would, for `milliseconds`; resolves once it holds it. */
async function holdLockElsewhere(lockPath: string, milliseconds: number): Promise<{ exited: Promise<unknown> }> {
  const holder = spawn(
    process.execPath,
    [
      '-e',
      `const fs = require('node:fs'); fs.writeFileSync(process.argv[1], process.pid + ' ' + require('node:os').hostname() + ' 0123456789abcdef\\n', { flag: 'wx' }); console.log('locked'); setTimeout(() => fs.unlinkSync(process.argv[1]), ${milliseconds});`,
      lockPath,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise((resolve) => holder.once('exit', resolve));
  await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
  return { exited };
}

describe('writing the index while other processes do', () => {
  const manifestOf = (storeDirectory: string) => readFileSync(join(storeDirectory, 'manifest.json'), 'utf8');

  it('waits for the lock another process holds on the index, and swaps its own in only after', async () => {
    const index = setup();
    await buildReferenceIndex(index.config);
    const before = manifestOf(index.storeDirectory);
    const { exited } = await holdLockElsewhere(`${index.storeDirectory}.lock`, 600);
    let finished = false;
    const building = buildReferenceIndex(index.config).then(() => (finished = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(finished).toBe(false);
    expect(manifestOf(index.storeDirectory)).toBe(before);
    await building;
    await exited;
    expect(manifestOf(index.storeDirectory)).not.toBe(before);
    await openReferenceIndex({ ...index.config, rebuild: 'never' });
    expect(readdirSync(index.config.directory)).toEqual([basename(index.storeDirectory)]);
  });

  it.each(['auto', 'never'] as const)(
    'gives a reader (rebuild %s) the index another process is swapping in, without rebuilding it, once the swap is done',
    async (rebuild) => {
      const index = setup({ rebuild });
      await buildReferenceIndex(index.config);
      const aside = `${index.storeDirectory}.previous`;
      const { exited } = await holdLockElsewhere(`${index.storeDirectory}.lock`, 600);
      // Mid-swap: the index folder is moved aside, and no new one is in yet.
      renameSync(index.storeDirectory, aside);
      const opening = openReferenceIndex(index.config);
      await new Promise((resolve) => setTimeout(resolve, 300));
      renameSync(aside, index.storeDirectory);
      const opened = await opening;
      await exited;
      expect(index.reasons).toEqual([]);
      const [best] = await opened.search(index.config.bank.get('q9')!.question, { kind: 'question', limit: 1 });
      expect(best.questionId).toBe('q9');
      expect(readdirSync(index.config.directory)).toEqual([basename(index.storeDirectory)]);
    },
  );

  it('keeps the index it would replace when the lock stays busy, and says so with index_busy', async () => {
    const index = setup();
    await buildReferenceIndex(index.config);
    const before = manifestOf(index.storeDirectory);
    const { exited } = await holdLockElsewhere(`${index.storeDirectory}.lock`, 1_000);
    const error = await buildReferenceIndex({ ...index.config, lockWaitAtMostMs: 100 }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AnswerkeyError);
    expect((error as AnswerkeyError).code).toBe('index_busy');
    expect(cliHint(error as AnswerkeyError)).toContain(`delete ${index.storeDirectory}.lock`);
    expect(manifestOf(index.storeDirectory)).toBe(before);
    await openReferenceIndex({ ...index.config, rebuild: 'never' });
    // Nothing staged is left behind; the lock is its owner's to remove.
    expect(readdirSync(index.config.directory).sort()).toEqual([
      basename(index.storeDirectory),
      `${basename(index.storeDirectory)}.lock`,
    ]);
    await exited;
    expect(existsSync(`${index.storeDirectory}.lock`)).toBe(false);
  });

  it('leaves a whole, current index when several processes rebuild it at once', async () => {
    const index = setup();
    const module = (path: string) => JSON.stringify(new URL(path, import.meta.url).href);
    const script = `import { DEFAULT_PATHS } from ${module('../../src/config/paths.ts')};
import { LocalEmbeddings } from ${module('../../src/embeddings/local-embeddings.ts')};
import { WordVectors } from ${module('../../src/embeddings/word-vectors.ts')};
import { buildReferenceIndex } from ${module('../../src/retrieval/reference-index.ts')};
import { loadQuestionBank } from ${module('../../src/rubrics/question-bank.ts')};
const embeddings = new LocalEmbeddings({ vectors: WordVectors.open(DEFAULT_PATHS.vectorsPath) });
const config = { bank: loadQuestionBank(DEFAULT_PATHS.bankDirectory), embeddings, embedderId: LocalEmbeddings.id, directory: ${JSON.stringify(index.config.directory)}, rebuild: 'auto', lockWaitAtMostMs: 30000 };
const failures = [];
for (let round = 0; round < 15; round += 1) {
  try {
    await buildReferenceIndex(config);
  } catch (error) {
    failures.push(error.message);
  }
}
process.stdout.write(JSON.stringify(failures));`;
    const builders = await Promise.all(Array.from({ length: 4 }, () => runScript(script)));
    expect(builders).toEqual(Array.from({ length: 4 }, () => ({ code: 0, output: '[]' })));
    await openReferenceIndex({ ...index.config, rebuild: 'never' });
    expect(readdirSync(dirname(index.storeDirectory))).toEqual([basename(index.storeDirectory)]);
  }, 60_000);

  it('opens only whole builds while another process keeps swapping in different ones', async () => {
    const index = setup({ checkExamples: false });
    await buildReferenceIndex(index.config);
    const module = (path: string) => JSON.stringify(new URL(path, import.meta.url).href);
    // Every other build holds 30 graded examples more, so a mix of two builds would not line up.
    const script = `import { DEFAULT_PATHS } from ${module('../../src/config/paths.ts')};
import { LocalEmbeddings } from ${module('../../src/embeddings/local-embeddings.ts')};
import { WordVectors } from ${module('../../src/embeddings/word-vectors.ts')};
import { buildReferenceIndex } from ${module('../../src/retrieval/reference-index.ts')};
import { loadQuestionBank } from ${module('../../src/rubrics/question-bank.ts')};
const embeddings = new LocalEmbeddings({ vectors: WordVectors.open(DEFAULT_PATHS.vectorsPath) });
const examples = Array.from({ length: 30 }, (_, number) => ({ id: 'e' + number, questionId: 'q4', answer: 'graph mode number ' + number, score: 3, maxScore: 5 }));
for (let round = 0; round < 20; round += 1) {
  const config = { bank: loadQuestionBank(DEFAULT_PATHS.bankDirectory), embeddings, embedderId: LocalEmbeddings.id, directory: ${JSON.stringify(index.config.directory)}, rebuild: 'auto', examples: () => (round % 2 ? examples : []) };
  await buildReferenceIndex(config);
}`;
    let running = true;
    const builder = runScript(script).finally(() => (running = false));
    const question = index.config.bank.get('q9')!.question;
    let opened = 0;
    while (running) {
      const result = await openReferenceIndex({ ...index.config, rebuild: 'never' }).then(
        async (reader) => (await reader.search(question, { kind: 'question', limit: 1 }))[0].questionId,
        (error: unknown) =>
          error instanceof AnswerkeyError && error.code.startsWith('index_') ? 'between builds' : error,
      );
      if (result !== 'between builds') {
        expect(result).toBe('q9');
        opened += 1;
      }
    }
    expect((await builder).code).toBe(0);
    expect(opened).toBeGreaterThan(0);
  }, 60_000);
});
