import { describe, expect, it } from 'vitest';
import { runPool } from '../../src/concurrency/worker-pool.js';

const pause = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

describe('runPool', () => {
  it('runs every item with at most N in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const done: number[] = [];
    await runPool(
      Array.from({ length: 20 }, (_, index) => index),
      4,
      async (item) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await pause(item % 3);
        done.push(item);
        inFlight -= 1;
      },
    );
    expect(peak).toBe(4);
    expect(done.sort((left, right) => left - right)).toEqual(Array.from({ length: 20 }, (_, index) => index));
  });

  it('takes no new item once asked to stop, and lets the ones in flight finish', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    await runPool(
      Array.from({ length: 50 }, (_, index) => index),
      3,
      async (item) => {
        started.push(item);
        await pause(2);
        finished.push(item);
      },
      () => started.length >= 5,
    );
    expect(started.length).toBeGreaterThanOrEqual(5);
    expect(started.length).toBeLessThan(8);
    expect(finished.sort()).toEqual(started.sort());
  });

  it('stops at the first error and rethrows it after the others finish', async () => {
    const finished: number[] = [];
    await expect(
      runPool([1, 2, 3, 4, 5, 6, 7, 8], 2, async (item) => {
        await pause(1);
        if (item === 3) throw new Error('disk full');
        finished.push(item);
      }),
    ).rejects.toThrow('disk full');
    expect(finished.length).toBeLessThan(7);
  });
});
