import { AsyncLocalStorage } from 'node:async_hooks';

/** What one HTTP reply of the model said about itself, read before any client parses it. */
export type BilledReply = {
  promptTokens: number;
  completionTokens: number;
  finishReason: string | null;
  implausible: boolean;
};

const sinks = new AsyncLocalStorage<(reply: BilledReply) => void>();

/**
 * No one call reads or writes more than this many tokens (the largest context windows hold 1–2
 * million); a usage figure above it, negative or not a number, is a server's bug, not a bill.
 */
export const MAX_TOKENS_PER_CALL = 2_000_000;

function plausible(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_TOKENS_PER_CALL
    ? Math.round(value)
    : null;
}

/** The billed figures of a chat completion body; implausible ones become 0 and say so. */
export function readBilledReply(body: unknown): BilledReply | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { usage, choices } = body as { usage?: Record<string, unknown>; choices?: Array<{ finish_reason?: unknown }> };
  const finishReason = typeof choices?.[0]?.finish_reason === 'string' ? choices[0].finish_reason : null;
  if (!usage) return { promptTokens: 0, completionTokens: 0, finishReason, implausible: false };
  const promptTokens = plausible(usage.prompt_tokens ?? 0);
  const completionTokens = plausible(usage.completion_tokens ?? 0);
  return {
    promptTokens: promptTokens ?? 0,
    completionTokens: completionTokens ?? 0,
    finishReason,
    implausible: promptTokens === null || completionTokens === null,
  };
}

/**
 * A fetch for the OpenAI client that reads each completion's usage and finish reason as the
 * client reads the body, before it parses the message, and hands them to the call that made the
 * request: a reply the client then fails to parse was still billed, and is still counted.
 */
export const countingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const sink = sinks.getStore();
  if (!sink || !response.ok) return response;
  // The client reads JSON bodies with response.json(): seeing the value it gets costs no copy.
  const readJson = response.json.bind(response);
  Object.defineProperty(response, 'json', {
    value: async () => {
      const body: unknown = await readJson();
      const reply = readBilledReply(body);
      if (reply) sink(reply);
      return body;
    },
  });
  return response;
};

/** Runs `call` with every reply its requests get passed to `record`. */
export function recordingBilledReplies<T>(record: (reply: BilledReply) => void, call: () => Promise<T>): Promise<T> {
  return sinks.run(record, call);
}
