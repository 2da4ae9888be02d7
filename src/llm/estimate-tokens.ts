/**
 * A rough token count before spending anything: about four characters a token for English, plus
 * the fixed instructions of the grading prompt; the reply is a verdict per key point.
 */
const CHARACTERS_PER_TOKEN = 4;
const PROMPT_OVERHEAD_TOKENS = 450;
const REPLY_BASE_TOKENS = 60;
const REPLY_TOKENS_PER_KEY_POINT = 45;

export interface TokenEstimate {
  promptTokens: number;
  completionTokens: number;
}

export function estimateGradingTokens(parts: {
  question: string;
  referenceAnswer: string;
  keyPointTexts: readonly string[];
  answer: string;
}): TokenEstimate {
  const characters =
    parts.question.length + parts.referenceAnswer.length + parts.keyPointTexts.join(' ').length + parts.answer.length;
  return {
    promptTokens: PROMPT_OVERHEAD_TOKENS + Math.ceil(characters / CHARACTERS_PER_TOKEN),
    completionTokens: REPLY_BASE_TOKENS + REPLY_TOKENS_PER_KEY_POINT * Math.max(1, parts.keyPointTexts.length),
  };
}
