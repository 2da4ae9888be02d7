import type { RebuildWarning } from './grader.js';

/**
 * A failed rebuild of the index in words, for an entry point that says why (`reason`: the error in
 * its own words) and how its reader rebuilds the index by hand (`rebuildByHand`: a command for the
 * command line, the server's operator for an API client).
 */
export function describeRebuildWarning(
  warning: RebuildWarning,
  { reason, rebuildByHand }: { reason: string; rebuildByHand: string },
): string {
  const retry =
    warning.retryAfterMs === undefined
      ? rebuildByHand
      : `the next grade that needs it tries again, at most every ${warning.retryAfterMs / 1000} s`;
  return `the change is saved, but the index could not be rebuilt (${reason}): grades use the index from before until it is; ${retry}`;
}
