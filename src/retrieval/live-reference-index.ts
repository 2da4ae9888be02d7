import {
  buildReferenceIndex,
  openReferenceIndex,
  type OpenReferenceIndexConfig,
  type ReferenceIndex,
} from './reference-index.js';

/** How the index is built and opened: the functions of reference-index.js, or a fake in tests. */
export type ReferenceIndexStore = {
  build: typeof buildReferenceIndex;
  open: typeof openReferenceIndex;
};

export interface RebuiltIndex {
  directory: string;
  documentCount: number;
}

export interface LiveReferenceIndex {
  /** The index in use, opened on first need. While a rebuild runs, the one from before it serves. */
  current(): Promise<ReferenceIndex>;
  /** Whether a rebuild or a reopening is running or waiting to run. */
  readonly refreshing: boolean;
  /** When (Date.now()) the last rebuild or reopening to finish failed; undefined when it succeeded, or none has finished. */
  readonly lastFailedAt: number | undefined;
  /**
   * Builds the index from the bank and the examples as they are when the build starts, and swaps it
   * in. A rebuild still waiting to start covers this request too, so a burst of changes costs at
   * most the rebuild running and one more.
   */
  rebuild(): Promise<RebuiltIndex>;
  /** Opens the index from disk again (rebuilt if stale, as opening does), unless a refresh already waiting to start will do. */
  reopen(): Promise<ReferenceIndex>;
}

/**
 * The reference index a long-lived grader uses while the bank's graded examples change: opening
 * and building run one at a time (two builds in one process would share a staging folder), and
 * whoever needs an index meanwhile gets the last one that was ready.
 */
export function createLiveReferenceIndex(
  config: () => Promise<OpenReferenceIndexConfig>,
  indexStore: ReferenceIndexStore = { build: buildReferenceIndex, open: openReferenceIndex },
): LiveReferenceIndex {
  let current: Promise<ReferenceIndex> | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let unfinished = 0;
  let waitingRebuild: Promise<RebuiltIndex & { index: ReferenceIndex }> | undefined;
  let waitingReopen: Promise<ReferenceIndex> | undefined;
  let lastFailedAt: number | undefined;

  function schedule<T>(task: () => Promise<T>): Promise<T> {
    unfinished += 1;
    const run = queue.then(task).finally(() => (unfinished -= 1));
    queue = run.then(
      () => void (lastFailedAt = undefined),
      () => void (lastFailedAt = Date.now()),
    );
    return run;
  }

  /** Makes a newly opened or built index the current one once it is ready; a failure leaves the one before. */
  function adopt(opened: Promise<ReferenceIndex>): void {
    if (current === undefined) {
      current = opened;
      opened.catch(() => {
        if (current === opened) current = undefined;
      });
      return;
    }
    opened.then(
      (index) => void (current = Promise.resolve(index)),
      () => undefined,
    );
  }

  function reopen(): Promise<ReferenceIndex> {
    if (waitingRebuild) return waitingRebuild.then(({ index }) => index);
    if (!waitingReopen) {
      const opened = schedule(async () => {
        waitingReopen = undefined;
        return indexStore.open(await config());
      });
      waitingReopen = opened;
      adopt(opened);
    }
    return waitingReopen;
  }

  return {
    current: () => current ?? reopen(),
    get refreshing() {
      return unfinished > 0;
    },
    get lastFailedAt() {
      return lastFailedAt;
    },
    async rebuild() {
      let built = waitingRebuild;
      if (!built) {
        built = schedule(async () => {
          // From here on a change needs the next rebuild: this one is about to read the examples.
          waitingRebuild = undefined;
          return indexStore.build(await config());
        });
        waitingRebuild = built;
        adopt(built.then(({ index }) => index));
      }
      const { directory, documentCount } = await built;
      return { directory, documentCount };
    },
    reopen,
  };
}
