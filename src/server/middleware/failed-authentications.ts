const WINDOW_MS = 60_000;

/**
 * Failed authentications (no key, or a wrong one) per client address, in a fixed one-minute
 * window. Only failures count, so a flood of bad keys from an address (or from everyone behind
 * one proxy) never starves the valid keys sent from it: a request with a valid key is not
 * limited here at all, only by its key's own limit.
 */
export class FailedAuthentications {
  private readonly counts = new Map<string, number>();
  private windowStart: number;

  constructor(
    private readonly limit: number,
    private readonly now: () => number = Date.now,
  ) {
    this.windowStart = now();
  }

  /** Whether this address has used up its failures for the current minute. */
  blocked(address: string): boolean {
    this.roll();
    return (this.counts.get(address) ?? 0) >= this.limit;
  }

  record(address: string): void {
    this.roll();
    this.counts.set(address, (this.counts.get(address) ?? 0) + 1);
  }

  /** Seconds until the window starts afresh. */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil((this.windowStart + WINDOW_MS - this.now()) / 1000));
  }

  private roll(): void {
    if (this.now() - this.windowStart < WINDOW_MS) return;
    this.counts.clear();
    this.windowStart = this.now();
  }
}
