import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { Document } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { z } from 'zod';
import { acquireLockFile } from '../concurrency/lock-file.js';
import { AnswerkeyError } from '../errors/answerkey-error.js';
import { hashExamples } from '../examples/example-store.js';
import type { GradedExample } from '../examples/graded-example.js';
import type { QuestionBank } from '../rubrics/question-bank.js';
import { sha256 } from '../text/sha256.js';
import { onPath } from '../errors/file-system-error.js';

/** What a bank entry is represented by in the index: its question, or its reference answer. */
export type ReferenceKind = 'question' | 'reference';

export interface ReferenceMatch {
  questionId: string;
  kind: ReferenceKind;
  /** Cosine similarity, 1 = same direction. */
  similarity: number;
}

export interface ExampleMatch {
  exampleId: string;
  questionId: string;
  /** Cosine similarity of the example's answer to the text searched for. */
  similarity: number;
}

export interface ReferenceIndex {
  search(text: string, options: { kind: ReferenceKind; limit: number }): Promise<ReferenceMatch[]>;
  /** The graded examples of one question nearest to an answer, nearest first. */
  searchExamples(answer: string, options: { questionId: string; limit: number }): Promise<ExampleMatch[]>;
  /** Which graded examples the index holds (their hash), or null for none. */
  readonly examplesHash: string | null;
}

export interface OpenReferenceIndexConfig {
  bank: QuestionBank;
  embeddings: EmbeddingsInterface;
  /** Names the embedding model; an index made by another one is stale. */
  embedderId: string;
  /** Parent folder; each embedder gets its own sub-folder. */
  directory: string;
  /** `auto` rebuilds a missing, stale or corrupt index; `never` fails and says how to rebuild. */
  rebuild: 'auto' | 'never';
  onRebuild?: (reason: string) => void;
  /** The graded examples to embed beside the bank; a changed set makes the index stale. */
  examples?: () => readonly GradedExample[];
  /** Their hash, when the caller keeps it at hand; by default hashed from `examples`. */
  examplesHash?: () => string | null;
  /**
   * false: an index is used whatever graded examples it holds, without reading them (for grading
   * with examples turned off; their documents never take part in question or reference searches).
   * An index built anyway still embeds them. Default: true.
   */
  checkExamples?: boolean;
  /** How long a build waits for another process to finish writing the index before it fails (index_busy). Default 10 s. */
  lockWaitAtMostMs?: number;
}

const INDEX_FORMAT = 1;
/** Swapping an index in takes a few renames: a lock this old was left by a process that stopped (on another machine, say). */
const LOCK_STALE_AFTER_MS = 30_000;
const LOCK_WAIT_AT_MOST_MS = 10_000;
const STORE_FILES = ['hnswlib.index', 'docstore.json', 'args.json'] as const;
/** How long a reader that cannot take the index lock (a read-only install) waits before looking again. */
const READ_ONLY_RECHECK_AFTER_MS = 100;

const manifestSchema = z.object({
  format: z.literal(INDEX_FORMAT),
  embedderId: z.string(),
  dimensions: z.number().int().positive(),
  bankHash: z.string(),
  /** Absent when the index holds no graded examples (an index from before them reads the same). */
  examplesHash: z.string().optional(),
  documentCount: z.number().int().nonnegative(),
  files: z.record(z.string(), z.string()),
  createdAt: z.string(),
});
export type IndexManifest = z.infer<typeof manifestSchema>;

export function indexDirectoryFor(parent: string, embedderId: string): string {
  return join(parent, `index-${embedderId}`);
}

function exampleDocuments(examples: readonly GradedExample[]): Document[] {
  return examples.map(
    (example) =>
      new Document({
        pageContent: example.answer,
        metadata: { questionId: example.questionId, kind: 'example', exampleId: example.id },
      }),
  );
}

function bankDocuments(bank: QuestionBank): Document[] {
  return bank.rubrics.flatMap((rubric) => [
    new Document({ pageContent: rubric.question, metadata: { questionId: rubric.id, kind: 'question' } }),
    new Document({
      pageContent: [rubric.referenceAnswer, ...rubric.keyPoints.map((keyPoint) => keyPoint.text)].join('\n'),
      metadata: { questionId: rubric.id, kind: 'reference' },
    }),
  ]);
}

/** Why the index cannot be used: `publicReason` says it without the server's paths, when `reason` names them. */
type IndexProblem = { reason: string; publicReason?: string; code: 'index_missing' | 'index_stale' | 'index_corrupt' };

/** A verified index: its manifest and the very bytes whose checksums matched it. */
type VerifiedIndex = { manifest: IndexManifest; files: Map<string, Buffer> };

/**
 * A file's content, or undefined where it is missing, including when another process swaps the
 * build away between a check and the read (the reader then sees a build to wait for, not a crash).
 */
function readIfPresent(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Why the index on disk cannot be used as it is, or its manifest and files when it can. */
function diagnose(directory: string, config: OpenReferenceIndexConfig): { problem: IndexProblem } | VerifiedIndex {
  const problem = (reason: string, code: IndexProblem['code'], publicReason?: string) => ({
    problem: { reason, code, publicReason },
  });
  const manifestPath = join(directory, 'manifest.json');
  if (!existsSync(manifestPath))
    return problem(`no index at ${directory}`, 'index_missing', 'no reference index has been built');
  let manifest: IndexManifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(readFileSync(manifestPath, 'utf8')));
  } catch {
    return problem(
      `the index manifest at ${manifestPath} is unreadable`,
      'index_corrupt',
      'the index manifest is unreadable',
    );
  }
  if (manifest.embedderId !== config.embedderId)
    return problem(`the index was built with ${manifest.embedderId}, not ${config.embedderId}`, 'index_stale');
  if (manifest.bankHash !== config.bank.hash)
    return problem('the question bank changed since the index was built', 'index_stale');
  const currentExamplesHash = () =>
    config.examplesHash ? config.examplesHash() : hashExamples(config.examples?.() ?? []);
  if (config.checkExamples !== false && (manifest.examplesHash ?? null) !== currentExamplesHash()) {
    return problem('the graded examples changed since the index was built', 'index_stale');
  }
  const files = new Map<string, Buffer>();
  for (const file of STORE_FILES) {
    const path = join(directory, file);
    // Checked before the native addon reads anything: hnswlib would crash on a damaged file.
    const content = readIfPresent(path);
    if (!content || sha256(content) !== manifest.files[file])
      return problem(`index file ${file} is missing or damaged`, 'index_corrupt');
    files.set(file, content);
  }
  return { manifest, files };
}

/**
 * Loads the bytes that were verified, from a private copy: another process may swap a new index
 * in between the check and the load, and hnswlib must never read a mix of two builds.
 */
async function loadVerified({ files }: VerifiedIndex, embeddings: EmbeddingsInterface): Promise<HNSWLib> {
  const copy = mkdtempSync(join(tmpdir(), 'answerkey-index-'));
  try {
    for (const [file, content] of files) onPath(join(copy, file), () => writeFileSync(join(copy, file), content));
    return await HNSWLib.load(copy, embeddings);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

async function build(
  directory: string,
  config: OpenReferenceIndexConfig,
): Promise<{ store: HNSWLib; examplesHash: string | null }> {
  const examples = config.examples?.() ?? [];
  const examplesHash = hashExamples(examples);
  const documents = [...bankDocuments(config.bank), ...exampleDocuments(examples)];
  const store = await HNSWLib.fromDocuments(documents, config.embeddings);
  // Written beside the target, then swapped in, so a crash never leaves half an index.
  const staging = `${directory}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    await store.save(staging);
    const manifest: IndexManifest = {
      format: INDEX_FORMAT,
      embedderId: config.embedderId,
      dimensions: store.args.numDimensions ?? 0,
      bankHash: config.bank.hash,
      ...(examplesHash === null ? {} : { examplesHash }),
      documentCount: documents.length,
      files: Object.fromEntries(STORE_FILES.map((file) => [file, sha256(readFileSync(join(staging, file)))])),
      createdAt: new Date().toISOString(),
    };
    onPath(join(staging, 'manifest.json'), () =>
      writeFileSync(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`),
    );
    mkdirSync(dirname(directory), { recursive: true });
    const lockPath = `${directory}.lock`;
    const release = await acquireLockFile(lockPath, {
      staleAfterMs: LOCK_STALE_AFTER_MS,
      deadline: Date.now() + (config.lockWaitAtMostMs ?? LOCK_WAIT_AT_MOST_MS),
      busy: () =>
        new AnswerkeyError('index_busy', 'another process is writing the reference index', { details: { lockPath } }),
    });
    try {
      swapIn(staging, directory);
    } finally {
      release();
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { store, examplesHash };
}

/**
 * Puts the index staged at `staging` in place of the one at `directory`, which is kept aside until
 * the new one is in, and put back should that fail. Only under the index's lock file: other processes
 * (the server, `answerkey examples add`) swap theirs in before or after, never in between.
 */
function swapIn(staging: string, directory: string): void {
  const previous = `${directory}.previous`;
  rmSync(previous, { recursive: true, force: true });
  let moved = false;
  try {
    renameSync(directory, previous);
    moved = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    renameSync(staging, directory);
  } catch (error) {
    if (moved) renameSync(previous, directory);
    throw error;
  }
  rmSync(previous, { recursive: true, force: true });
}

/** Builds the index for the bank and its graded examples and writes it to disk, replacing whatever was there. */
export async function buildReferenceIndex(
  config: OpenReferenceIndexConfig,
): Promise<{ directory: string; documentCount: number; index: ReferenceIndex }> {
  const directory = indexDirectoryFor(config.directory, config.embedderId);
  const { store, examplesHash } = await build(directory, config);
  return { directory, documentCount: store.docstore._docs.size, index: createStoreIndex(store, examplesHash) };
}

/**
 * Waits until no other process is swapping an index in at `directory`: it holds the index lock for
 * the few renames during which the index is missing, or read half from each build. The lock is taken
 * and let go at once. Where it cannot be created (a read-only install, where nothing swaps anything
 * in anyway), it waits a moment instead; where it stays busy, it stops waiting and lets the caller go on.
 */
async function waitForSwap(directory: string, config: OpenReferenceIndexConfig): Promise<void> {
  let release: () => void;
  try {
    release = await acquireLockFile(`${directory}.lock`, {
      staleAfterMs: LOCK_STALE_AFTER_MS,
      deadline: Date.now() + (config.lockWaitAtMostMs ?? LOCK_WAIT_AT_MOST_MS),
      busy: () => new AnswerkeyError('index_busy', 'another process is writing the reference index'),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // No folder to hold the index yet: nothing is being swapped in.
    if (code === 'ENOENT' || (error instanceof AnswerkeyError && error.code === 'index_busy')) return;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      await sleep(READ_ONLY_RECHECK_AFTER_MS);
      return;
    }
    throw error;
  }
  release();
}

export async function openReferenceIndex(config: OpenReferenceIndexConfig): Promise<ReferenceIndex> {
  const directory = indexDirectoryFor(config.directory, config.embedderId);
  let diagnosis = diagnose(directory, config);
  if (
    'problem' in diagnosis &&
    (diagnosis.problem.code === 'index_missing' || diagnosis.problem.code === 'index_corrupt')
  ) {
    // Another process may be swapping its index in, or may just have: looked at then, the index is
    // missing, or reads half from each build. Looked at again once it is done, it is whole.
    await waitForSwap(directory, config);
    diagnosis = diagnose(directory, config);
  }
  if ('manifest' in diagnosis)
    return createStoreIndex(await loadVerified(diagnosis, config.embeddings), diagnosis.manifest.examplesHash ?? null);
  const { problem } = diagnosis;
  if (config.rebuild === 'auto') {
    config.onRebuild?.(problem.reason);
    const { store, examplesHash } = await build(directory, config);
    return createStoreIndex(store, examplesHash);
  }
  // How to rebuild it is each entry point's to say: a command on the command line, the server's operator to an API client.
  throw new AnswerkeyError(problem.code, problem.reason, { publicMessage: problem.publicReason ?? problem.reason });
}

function createStoreIndex(store: HNSWLib, examplesHash: string | null): ReferenceIndex {
  const total = store.docstore._docs.size;
  return {
    examplesHash,
    async searchExamples(answer, { questionId, limit }) {
      if (examplesHash === null || limit <= 0) return [];
      const vector = await store.embeddings.embedQuery(answer);
      const results = await store.similaritySearchVectorWithScore(
        vector,
        total,
        (document) => document.metadata.kind === 'example' && document.metadata.questionId === questionId,
      );
      return results.slice(0, limit).map(([document, distance]) => ({
        exampleId: String(document.metadata.exampleId),
        questionId,
        similarity: 1 - distance,
      }));
    },
    async search(text, { kind, limit }) {
      const vector = await store.embeddings.embedQuery(text);
      const results = await store.similaritySearchVectorWithScore(
        vector,
        total,
        (document) => document.metadata.kind === kind,
      );
      return results.slice(0, limit).map(([document, distance]) => ({
        questionId: String(document.metadata.questionId),
        kind,
        // hnswlib's cosine space reports 1 − cosine.
        similarity: 1 - distance,
      }));
    },
  };
}
