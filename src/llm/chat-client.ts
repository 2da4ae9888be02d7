import { HumanMessage, type AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { Runnable } from '@langchain/core/runnables';
import type { ChatOpenAI } from '@langchain/openai';
import type { ConcurrencyLimit } from './concurrency-limit.js';
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
  backoff?: Partial<Pick<RetryPolicyConfig, 'baseDelayMs' | 'maxDelayMs' | 'random' | 'sleep'>>;
  onRetry?: (reason: string) => void;
};

export type TokenCount = { promptTokens: number; completionTokens: number };

export type VerdictOutcome = TokenCount & ({ verdict: LlmVerdict; repaired: boolean } | { failure: string });

type StructuredReply = { raw: AIMessage; parsed: unknown };

/** A reply the SDK refused to hand over because its JSON did not parse (json-schema mode). */
function isUnparsableReply(error: unknown): boolean {
  return error instanceof SyntaxError || (error instanceof Error && /JSON/.test(error.message) && !('status' in error));
}

/**
 * One verdict from the model: the call with retries (only a successful reply is counted), then,
 * if the reply does not parse or fit the schema, one repair attempt with the problem stated.
 */
export function createChatClient(config: ChatClientConfig) {
  quietMisleadingLangchainWarning();
  const structured = config.model.withStructuredOutput(verdictJsonSchema(), {
    name: VERDICT_TOOL_NAME,
    method: config.structuredOutput === 'tool-calling' ? 'functionCalling' : 'jsonSchema',
    includeRaw: true,
  }) as Runnable<BaseMessage[], StructuredReply>;

  const call = (messages: BaseMessage[]) =>
    config.limit(() =>
      withRetries(() => structured.invoke(messages), {
        maxRetries: config.maxRetries,
        ...DEFAULT_BACKOFF,
        ...config.backoff,
        onRetry: (reason) => config.onRetry?.(reason),
      }),
    );

  return async function requestVerdict(messages: BaseMessage[]): Promise<VerdictOutcome> {
    const tokens: TokenCount = { promptTokens: 0, completionTokens: 0 };
    let conversation = messages;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      let reply: StructuredReply;
      try {
        reply = await call(conversation);
      } catch (error) {
        if (!isUnparsableReply(error)) return { ...tokens, failure: failureReason(error) };
        if (attempt === 1) return { ...tokens, failure: 'unparsable_reply' };
        conversation = [...messages, new HumanMessage(REPAIR_INSTRUCTION('it is not valid JSON', '(not shown)'))];
        continue;
      }
      tokens.promptTokens += reply.raw.usage_metadata?.input_tokens ?? 0;
      tokens.completionTokens += reply.raw.usage_metadata?.output_tokens ?? 0;
      const parsed = parseReply(reply.raw);
      if ('verdict' in parsed) return { ...tokens, verdict: parsed.verdict, repaired: attempt > 0 };
      if (attempt === 1) return { ...tokens, failure: 'unparsable_reply' };
      conversation = [...messages, new HumanMessage(REPAIR_INSTRUCTION(parsed.problem, parsed.replyText))];
    }
    return { ...tokens, failure: 'unparsable_reply' };
  };
}

export type RequestVerdict = ReturnType<typeof createChatClient>;
