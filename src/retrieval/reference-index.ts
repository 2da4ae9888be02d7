import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { Document } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { z } from 'zod';
import { AnswerkeyError } from '../errors/answerkey-error.js';
import type { QuestionBank } from '../rubrics/question-bank.js';

/** What a bank entry is represented by in the index: its question, or its reference answer. */
export type ReferenceKind = 'question' | 'reference';

export interface ReferenceMatch {
  questionId: string;
  kind: ReferenceKind;
  /** Cosine similarity, 1 = same direction. */
  similarity: number;
}

export interface ReferenceIndex {
  search(text: string, options: { kind: ReferenceKind; limit: number }): Promise<ReferenceMatch[]>;
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
}

const INDEX_FORMAT = 1;
const STORE_FILES = ['hnswlib.index', 'docstore.json', 'args.json'] as const;

const manifestSchema = z.object({
  format: z.literal(INDEX_FORMAT),
  embedderId: z.string(),
  dimensions: z.number().int().positive(),
  bankHash: z.string(),
  documentCount: z.number().int().nonnegative(),
  files: z.record(z.string(), z.string()),
  createdAt: z.string(),
});
export type IndexManifest = z.infer<typeof manifestSchema>;

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export function indexDirectoryFor(parent: string, embedderId: string): string {
  return join(parent, `index-${embedderId}`);
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

/** Why the index on disk cannot be used as it is, or null when it can. */
function diagnose(directory: string, config: OpenReferenceIndexConfig): { reason: string; code: 'index_missing' | 'index_stale' | 'index_corrupt' } | null {
  const manifestPath = join(directory, 'manifest.json');
  if (!existsSync(manifestPath)) return { reason: `no index at ${directory}`, code: 'index_missing' };
  let manifest: IndexManifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(readFileSync(manifestPath, 'utf8')));
  } catch {
    return { reason: `the index manifest at ${manifestPath} is unreadable`, code: 'index_corrupt' };
  }
  if (manifest.embedderId !== config.embedderId) {
    return { reason: `the index was built with ${manifest.embedderId}, not ${config.embedderId}`, code: 'index_stale' };
  }
  if (manifest.bankHash !== config.bank.hash) return { reason: 'the question bank changed since the index was built', code: 'index_stale' };
  for (const file of STORE_FILES) {
    const path = join(directory, file);
    // Checked before the native addon reads anything: hnswlib would crash on a damaged file.
    if (!existsSync(path) || sha256(path) !== manifest.files[file]) {
      return { reason: `index file ${file} is missing or damaged`, code: 'index_corrupt' };
    }
  }
  return null;
}

async function build(directory: string, config: OpenReferenceIndexConfig): Promise<HNSWLib> {
  const documents = bankDocuments(config.bank);
  const store = await HNSWLib.fromDocuments(documents, config.embeddings);
  // Written beside the target, then swapped in, so a crash never leaves half an index.
  const staging = `${directory}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  await store.save(staging);
  const manifest: IndexManifest = {
    format: INDEX_FORMAT,
    embedderId: config.embedderId,
    dimensions: store.args.numDimensions ?? 0,
    bankHash: config.bank.hash,
    documentCount: documents.length,
    files: Object.fromEntries(STORE_FILES.map((file) => [file, sha256(join(staging, file))])),
    createdAt: new Date().toISOString(),
  };
  writeFileSync(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(join(directory, '..'), { recursive: true });
  renameSync(staging, directory);
  return store;
}

/** Builds the index for the bank and writes it to disk, replacing whatever was there. */
export async function buildReferenceIndex(config: OpenReferenceIndexConfig): Promise<{ directory: string; documentCount: number }> {
  const directory = indexDirectoryFor(config.directory, config.embedderId);
  const store = await build(directory, config);
  return { directory, documentCount: store.docstore._docs.size };
}

export async function openReferenceIndex(config: OpenReferenceIndexConfig): Promise<ReferenceIndex> {
  const directory = indexDirectoryFor(config.directory, config.embedderId);
  const problem = diagnose(directory, config);
  let store: HNSWLib;
  if (problem === null) {
    store = await HNSWLib.load(directory, config.embeddings);
  } else if (config.rebuild === 'auto') {
    config.onRebuild?.(problem.reason);
    store = await build(directory, config);
  } else {
    throw new AnswerkeyError(problem.code, problem.reason, { hint: 'run `answerkey index build` to rebuild it' });
  }
  return createStoreIndex(store);
}

function createStoreIndex(store: HNSWLib): ReferenceIndex {
  const total = store.docstore._docs.size;
  return {
    async search(text, { kind, limit }) {
      const vector = await store.embeddings.embedQuery(text);
      const results = await store.similaritySearchVectorWithScore(vector, total, (document) => document.metadata.kind === kind);
      return results.slice(0, limit).map(([document, distance]) => ({
        questionId: String(document.metadata.questionId),
        kind,
        // hnswlib's cosine space reports 1 − cosine.
        similarity: 1 - distance,
      }));
    },
  };
}
