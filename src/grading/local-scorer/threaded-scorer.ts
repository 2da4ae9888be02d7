import { Worker } from 'node:worker_threads';
import type { Grade } from '../grade-schema.js';
import type { Scorer, ScoringInput } from '../scorer.js';
import type { ThreadReply, ThreadRequest } from './scoring-thread.js';

export interface ThreadedScorerConfig {
  vectorsPath: string;
  weightsPath: string;
  threads: number;
}

interface Pending {
  resolve: (reply: ThreadReply) => void;
  reject: (error: Error) => void;
}

export interface ThreadedScorer extends Scorer {
  /**
   * The local embedding of a text (LocalEmbeddings.embedText), computed on a thread: the server's
   * index searches for an answer (the off-topic guard's, the graded examples') then never hold its
   * event loop either.
   */
  embed(text: string): Promise<Float32Array>;
  close(): Promise<void>;
}

/**
 * The local scorer on worker threads, for the server: a long answer takes up to a few hundred
 * milliseconds of CPU to score (linear in its words, but 20,000 characters of distinct words is
 * ~3,400 of them), and on the main thread every other request, /healthz included, would wait.
 * Answers (and texts to embed) go to the threads in turn; a thread that dies fails its answers and
 * is started again.
 */
export function createThreadedScorer({ vectorsPath, weightsPath, threads }: ThreadedScorerConfig): ThreadedScorer {
  // Compiled, the thread runs scoring-thread.js beside this file; from the TypeScript sources (tests), through tsx.
  const fromSources = import.meta.url.endsWith('.ts');
  const entry = new URL(`./scoring-thread.${fromSources ? 'ts' : 'js'}`, import.meta.url);
  const workers: Array<{ worker: Worker; pending: Map<number, Pending> } | undefined> = new Array(threads).fill(
    undefined,
  );
  let nextId = 0;
  let turn = 0;

  function start(slot: number) {
    const workerData = { vectorsPath, weightsPath };
    const worker = fromSources
      ? new Worker(
          `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); });`,
          { eval: true, workerData },
        )
      : new Worker(entry, { workerData });
    const pending = new Map<number, Pending>();
    worker.unref();
    worker.on('message', ({ id, error, ...reply }: ThreadReply & { id: number; error?: string }) => {
      const waiting = pending.get(id);
      pending.delete(id);
      if (error !== undefined) waiting?.reject(new Error(error));
      else waiting?.resolve(reply);
    });
    const fail = (error: Error) => {
      for (const waiting of pending.values()) waiting.reject(error);
      pending.clear();
      if (workers[slot]?.worker === worker) workers[slot] = undefined;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the scoring thread stopped (exit code ${code})`)));
    return (workers[slot] = { worker, pending });
  }

  function ask(request: ThreadRequest): Promise<ThreadReply> {
    const slot = turn;
    turn = (turn + 1) % threads;
    const { worker, pending } = workers[slot] ?? start(slot);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...request });
    });
  }

  const missing = (what: string) => new Error(`the scoring thread sent no ${what}`);
  return {
    mode: 'local',
    async score(input: ScoringInput): Promise<Grade> {
      const { grade } = await ask({ input });
      if (!grade) throw missing('grade');
      return grade;
    },
    async embed(text: string): Promise<Float32Array> {
      const { vector } = await ask({ embed: text });
      if (!vector) throw missing('vector');
      return vector;
    },
    async close() {
      await Promise.all(workers.map((entry) => entry?.worker.terminate()));
    },
  };
}
