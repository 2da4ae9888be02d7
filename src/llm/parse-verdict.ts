import type { AIMessage } from '@langchain/core/messages';
import { llmVerdictSchema, type LlmVerdict } from './llm-verdict-schema.js';

export type ParsedReply = { verdict: LlmVerdict } | { problem: string; replyText: string };

/** JSON from text a model may have wrapped in a code fence or in prose. */
export function extractJson(text: string): unknown {
  const fenced = /```(?:json|JSON)?\s*([\s\S]*?)```/.exec(text);
  const body = (fenced ? fenced[1] : text).trim();
  try {
    return JSON.parse(body);
  } catch {
    const start = body.indexOf('{');
    const end = body.lastIndexOf('}');
    if (start === -1 || end <= start) throw new SyntaxError('no JSON object in the reply');
    return JSON.parse(body.slice(start, end + 1));
  }
}

function replyText(message: AIMessage): string {
  const call = message.tool_calls?.[0] ?? message.invalid_tool_calls?.[0];
  if (call) return typeof call.args === 'string' ? call.args : JSON.stringify(call.args);
  return typeof message.content === 'string' ? message.content : JSON.stringify(message.content);
}

/**
 * The verdict in a reply, from its tool call or, for servers that answer in text instead,
 * from its content; checked against the zod schema. Otherwise what is wrong, for the repair prompt.
 */
export function parseReply(message: AIMessage): ParsedReply {
  const text = replyText(message);
  let value: unknown;
  const call = message.tool_calls?.[0];
  if (call) value = call.args;
  else {
    try {
      value = extractJson(text);
    } catch {
      return { problem: 'it is not valid JSON', replyText: text };
    }
  }
  const result = llmVerdictSchema.safeParse(value);
  if (result.success) return { verdict: result.data };
  const issues = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  return { problem: `it does not match the schema (${issues.join('; ')})`, replyText: text };
}
