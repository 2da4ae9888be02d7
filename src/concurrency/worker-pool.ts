/**
 * Runs `work` on every item with at most `concurrency` in flight. Stops taking new items once
 * `shouldStop` says so (the in-flight ones finish); the first error stops it too and is rethrown.
 */
export async function runPool<T>(
  items: Iterable<T>,
  concurrency: number,
  work: (item: T) => Promise<void>,
  shouldStop: () => boolean = () => false,
): Promise<void> {
  const iterator = items[Symbol.iterator]();
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && !shouldStop()) {
      const next = iterator.next();
      if (next.done) return;
      try {
        await work(next.value);
      } catch (error) {
        failure ??= { error };
        return;
      }
      // A synchronous scorer never yields to the event loop: let signals, timers and the progress bar in.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  if (failure) throw failure.error;
}
