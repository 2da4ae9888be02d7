import { HumanMessage, type AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { Runnable } from '@langchain/core/runnables';
import type { ChatOpenAI } from '@langchain/openai';
import { recordingBilledReplies, type BilledReply } from './billed-usage.js';
import { isInterruption, withDeadline } from './call-deadline.js';
import type { ConcurrencyLimit } from './concurrency-limit.js';
import type { RequestGate } from './shared-request-limit.js';
import { VERDICT_TOOL_NAME, verdictJsonSchema, type LlmVerdict } from './llm-verdict-schema.js';
import { REPAIR_INSTRUCTION } from './grading-prompt.js';
import { parseReply } from './parse-verdict.js';
import { quietMisleadingLangchainWarning } from './quiet-langchain-warning.js';
import { DEFAULT_BACKOFF, failureReason, withRetries, type RetryPolicyConfig } from './retry-policy.js';

export type ChatClientConfig = {
  model: ChatOpenAI;
  structuredOutput: 'tool-calling' | 'json-schema';
  maxRetries: number;
  limit: ConcurrencyLimit;
  /** One deadline per model call, covering connect, headers and the whole body. */
  timeoutMs: number;
  /** Aborts calls in flight and waits between retries (Ctrl-C, SIGTERM); they end as interruptions. */
  stop?: AbortSignal;
  backoff?: Partial<Pick<RetryPolicyConfig, 'baseDelayMs' | 'maxDelayMs' | 'random' | 'sleep'>>;
  /** Asked before each request, retries included: a rate limit shared with other processes. */
  gate?: RequestGate;
  onRetry?: (reason: string) => void;
  /** Something the caller should hear once (an implausible usage figure). */
  notice?: (message: string) => void;
};

export type TokenCount = { promptTokens: number; completionTokens: number };

export type VerdictOutcome = TokenCount & ({ verdict: LlmVerdict; repaired: boolean } | { failure: string });

/** The request gate failed: not an answer of the model, so not a reason to grade locally instead. */
class GateFailure extends Error {
  constructor(cause: unknown) {
    super('the shared request limit could not be asked', { cause });
  }
}

type StructuredReply = { raw: AIMessage; parsed: unknown };

/** A reply the SDK refused to hand over because its JSON did not parse (json-schema mode). */
function isUnparsableReply(error: unknown): boolean {
  return error instanceof SyntaxError || (error instanceof Error && /JSON/.test(error.message) && !('status' in error));
}

const CUT_OFF =
  'it was cut off at the length limit before it was complete; keep each quote short and the rationale to two sentences';

/**
 * One verdict from the model: the call with retries, each attempt under its own deadline, then,
 * if the reply does not parse, fit the schema, or was cut off at the length limit, one repair
 * attempt with the problem stated. Every reply the server billed is counted, parsed or not.
 * An interruption is thrown, never turned into a failure: the answer is left ungraded.
 */
export function createChatClient(config: ChatClientConfig) {
  quietMisleadingLangchainWarning();
  const structured = config.model.withStructuredOutput(verdictJsonSchema(), {
    name: VERDICT_TOOL_NAME,
    method: config.structuredOutput === 'tool-calling' ? 'functionCalling' : 'jsonSchema',
    includeRaw: true,
  }) as Runnable<BaseMessage[], StructuredReply>;
  let implausibleNoticed = false;

  const call = (messages: BaseMessage[], record: (reply: BilledReply) => void) =>
    config.limit(() =>
      withRetries(
        async () => {
          await config.gate?.take().catch((error: unknown) => {
            throw isInterruption(error) ? error : new GateFailure(error);
          });
          return recordingBilledReplies(record, () =>
            withDeadline(config.timeoutMs, config.stop, (signal) => structured.invoke(messages, { signal })),
          );
        },
        {
          maxRetries: config.maxRetries,
          ...DEFAULT_BACKOFF,
          ...config.backoff,
          stop: config.stop,
          onRetry: (reason) => config.onRetry?.(reason),
        },
      ),
    );

  return async function requestVerdict(messages: BaseMessage[]): Promise<VerdictOutcome> {
    const tokens: TokenCount = { promptTokens: 0, completionTokens: 0 };
    let cutOff: boolean;
    const record = (reply: BilledReply) => {
      tokens.promptTokens += reply.promptTokens;
      tokens.completionTokens += reply.completionTokens;
      cutOff = reply.finishReason === 'length';
      if (reply.implausible && !implausibleNoticed) {
        implausibleNoticed = true;
        config.notice?.(
          'the model server reported an impossible token count for a call (negative, not a number, or over 2 million); it was counted as 0',
        );
      }
    };
    let conversation = messages;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      cutOff = false;
      let reply: StructuredReply;
      try {
        reply = await call(conversation, record);
      } catch (error) {
        if (isInterruption(error)) throw error;
        // The shared limit could not be asked (its database is down): the grade fails, never graded locally instead.
        if (error instanceof GateFailure) throw error.cause;
        if (!isUnparsableReply(error)) return { ...tokens, failure: failureReason(error) };
        if (attempt === 1) return { ...tokens, failure: cutOff ? 'truncated_reply' : 'unparsable_reply' };
        conversation = [
          ...messages,
          new HumanMessage(REPAIR_INSTRUCTION(cutOff ? CUT_OFF : 'it is not valid JSON', '(not shown)')),
        ];
        continue;
      }
      const parsed = parseReply(reply.raw);
      if ('verdict' in parsed) return { ...tokens, verdict: parsed.verdict, repaired: attempt > 0 };
      if (attempt === 1) return { ...tokens, failure: cutOff ? 'truncated_reply' : 'unparsable_reply' };
      conversation = [
        ...messages,
        new HumanMessage(REPAIR_INSTRUCTION(cutOff ? CUT_OFF : parsed.problem, parsed.replyText)),
      ];
    }
    return { ...tokens, failure: 'unparsable_reply' };
  };
}

export type RequestVerdict = ReturnType<typeof createChatClient>;
