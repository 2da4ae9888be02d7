import type { ChatOpenAI } from '@langchain/openai';
import type { AnswerkeyConfig } from '../config/config.js';
import type { Grade } from '../grading/grade-schema.js';
import { findInstructionLikeText, withoutSpans, type SuspiciousSpan } from '../grading/injection-detector.js';
import type { LocalAssessment, LocalScorer } from '../grading/local-scorer/index.js';
import type { Scorer, ScoringInput } from '../grading/scorer.js';
import { countingFetch } from './billed-usage.js';
import { createChatClient, type ChatClientConfig, type RequestVerdict, type TokenCount } from './chat-client.js';
import { createConcurrencyLimit } from './concurrency-limit.js';
import { flagSpread, guardAgainstLocal } from './disagreement-guard.js';
import { fenceAnswer, neutralizeDelimiters } from './fence-answer.js';
import { shownExamples, withShownExamples } from './few-shot-examples.js';
import { gradingPrompt, PROMPT_VERSION, promptValues } from './grading-prompt.js';
import { VERDICT_TOOL_NAME, type LlmVerdict } from './llm-verdict-schema.js';
import { estimateCost } from '../config/price-table.js';
import { cacheKey, createResponseCache, NO_CACHE, type ResponseCache } from './response-cache.js';
import { createStatesPoint } from './quote-support.js';
import type { RequestGate } from './shared-request-limit.js';
import { verdictToGrade, type VerdictGrade } from './verdict-to-grade.js';

export type ChatScorerConfig = {
  llm: AnswerkeyConfig['llm'];
  openai: AnswerkeyConfig['openai'];
  local: LocalScorer;
  /** Retry timing, for tests; production uses the defaults. */
  backoff?: ChatClientConfig['backoff'];
  /** A call retried or failed, by reason (metrics, logs). */
  onRetry?: (reason: string) => void;
  /** One-line notices (an implausible usage figure from the server). */
  notice?: (message: string) => void;
  /** Aborts the model calls in flight (Ctrl-C, SIGTERM): their answers are left ungraded, not graded locally. */
  stop?: AbortSignal;
  /** A limit on requests shared with other processes (workers on other machines): asked before each request. */
  requestGate?: RequestGate;
};

type SampleOutcome = TokenCount & { cached: boolean } & (
    { verdict: LlmVerdict; repaired: boolean } | { failure: string }
  );

/** The model, built on first use: importing the OpenAI client costs start-up time local mode should not pay. */
async function createModel(config: ChatScorerConfig): Promise<ChatOpenAI> {
  const { ChatOpenAI } = await import('@langchain/openai');
  return new ChatOpenAI({
    model: config.llm.chatModel,
    temperature: config.llm.temperature,
    timeout: config.llm.timeoutMs,
    // Retries are ours (retry-policy.ts): they honour Retry-After and count each reply once.
    maxRetries: 0,
    // Local servers (Ollama, vLLM, LM Studio) take any key.
    apiKey: config.openai.apiKey ?? 'not-needed',
    // Reads each reply's billed usage before the client parses it (see billed-usage.ts).
    configuration: { ...(config.openai.baseUrl ? { baseURL: config.openai.baseUrl } : {}), fetch: countingFetch },
  });
}

/** What the model sees where the answer addressed the grader. */
const REMOVED = ' [text addressed to the grader removed] ';

function lowerMedianIndex(scores: readonly number[]): number {
  const order = scores.map((score, index) => ({ score, index })).sort((left, right) => left.score - right.score);
  return order[Math.floor((order.length - 1) / 2)].index;
}

/** Failures that need more words than their machine name. */
const FAILURE_WORDS: Record<string, string> = {
  retry_after_too_long:
    'retry after too long: the server asked to wait longer than a retry may (ANSWERKEY_LLM_MAX_RETRIES and the 20 s wait budget); try again later',
  truncated_reply: 'truncated reply: cut off at the length limit, twice',
};

function fallbackGrade(local: LocalAssessment, reason: string, usage: Grade['usage']): Grade {
  return {
    ...local.grade,
    flags: [...local.grade.flags, 'llm_unavailable'],
    rationale: `${local.grade.rationale} The language model could not grade this answer (${FAILURE_WORDS[reason] ?? reason.replace(/_/g, ' ')}); graded by the local scorer.`,
    usage,
  };
}

/**
 * LLM mode: the model judges each key point and quotes the answer; our code computes the score,
 * checks the quotes, and caps a grade that runs away from the local scorer's. Any failure of the model ends in the local grade, flagged llm_unavailable.
 */
export function createChatScorer(config: ChatScorerConfig): Scorer {
  const { llm } = config;
  const cache: ResponseCache = llm.cache ? createResponseCache(llm.cacheDirectory) : NO_CACHE;
  const limit = createConcurrencyLimit(llm.concurrency);
  let client: Promise<RequestVerdict> | undefined;
  const getClient = () =>
    (client ??= createModel(config).then((model) =>
      createChatClient({
        model,
        structuredOutput: llm.structuredOutput,
        maxRetries: llm.maxRetries,
        limit,
        timeoutMs: llm.timeoutMs,
        stop: config.stop,
        gate: config.requestGate,
        backoff: config.backoff,
        onRetry: config.onRetry,
        notice: config.notice,
      }),
    ));
  // The OpenAI client loads while the first answers are assessed, not after: this scorer is made
  // for a first LLM grade, which needs it. A failure stays in the promise for that grade to meet.
  getClient().catch(() => undefined);
  // Answers are assessed locally (tens of milliseconds each, more for a question's first) one per
  // turn of the event loop, in the order they came: the requests of those assessed go out between
  // them, rather than once every answer in flight (at the start of a batch, 32) is assessed.
  let lastTurn = Promise.resolve();
  const assessmentTurn = () => (lastTurn = lastTurn.then(() => new Promise<void>((resolve) => setImmediate(resolve))));

  async function sample(
    input: ScoringInput,
    index: number,
    suspicious: readonly SuspiciousSpan[],
  ): Promise<SampleOutcome> {
    const examples = shownExamples(input).map(({ id, answer, score, maxScore, note }) => [
      id,
      answer,
      score,
      maxScore,
      note ?? null,
    ]);
    // Hashing the whole prompt costs a little per answer: not when the cache is off.
    const key =
      cache === NO_CACHE
        ? ''
        : cacheKey([
            PROMPT_VERSION,
            llm.chatModel,
            llm.temperature,
            llm.structuredOutput,
            input.question,
            input.referenceAnswer,
            input.keyPoints,
            input.misconceptions ?? [],
            input.maxScore,
            input.answer,
            examples,
            index,
          ]);
    const cached = await cache.get(key);
    if (cached) return { verdict: cached, repaired: false, cached: true, promptTokens: 0, completionTokens: 0 };
    // A fresh delimiter and a fresh conversation per sample: no sample sees another.
    // Text addressed to the grader never reaches the model: it cannot obey what it does not see.
    const shown = withoutSpans(input.answer, suspicious, REMOVED);
    const messages = await gradingPrompt.formatMessages(promptValues(input, fenceAnswer(shown), VERDICT_TOOL_NAME));
    const outcome = await (await getClient())(messages);
    if ('verdict' in outcome)
      await cache.set(key, {
        verdict: outcome.verdict,
        promptTokens: outcome.promptTokens,
        completionTokens: outcome.completionTokens,
      });
    return { ...outcome, cached: false };
  }

  async function score(input: ScoringInput): Promise<Grade> {
    // The client first: loading it is slow when local assessments hold the thread between its files.
    // (Whether it loaded, the samples find out.)
    await getClient().catch(() => undefined);
    await assessmentTurn();
    const local = config.local.assess(input);
    if (local.grade.flags.includes('empty')) {
      return {
        ...local.grade,
        rationale: `${local.grade.rationale} Not sent to the model: there is nothing to grade.`,
      };
    }
    const count = input.samples ?? llm.samples;
    const suspicious = findInstructionLikeText(input.answer);
    const outcomes = await Promise.all(Array.from({ length: count }, (_, index) => sample(input, index, suspicious)));
    const promptTokens = outcomes.reduce((sum, outcome) => sum + outcome.promptTokens, 0);
    const completionTokens = outcomes.reduce((sum, outcome) => sum + outcome.completionTokens, 0);
    const usage = {
      model: llm.chatModel,
      promptTokens,
      completionTokens,
      estimatedCostUsd: estimateCost(llm.prices, llm.chatModel, promptTokens, completionTokens),
      cachedResponses: outcomes.filter((outcome) => outcome.cached).length,
    };
    const graded: VerdictGrade[] = [];
    const neutralizedDelimiters = neutralizeDelimiters(input.answer).count;
    const statesPoint = createStatesPoint(config.local, local, input);
    for (const outcome of outcomes) {
      if ('verdict' in outcome)
        graded.push(
          verdictToGrade(outcome.verdict, {
            input,
            local,
            suspicious,
            neutralizedDelimiters,
            repaired: outcome.repaired,
            statesPoint,
          }),
        );
    }
    if (graded.length === 0) {
      const failure = outcomes.find((outcome): outcome is SampleOutcome & { failure: string } => 'failure' in outcome);
      return fallbackGrade(local, failure?.failure ?? 'error', usage);
    }
    const scores = graded.map(({ grade }) => grade.normalizedScore);
    const chosen = graded[lowerMedianIndex(scores)];
    let grade: Grade = withShownExamples({ ...chosen.grade, usage }, shownExamples(input));
    if (count > 1) {
      const spread = Math.round((Math.max(...scores) - Math.min(...scores)) * 1000) / 1000;
      grade = flagSpread({ ...grade, samples: { count: graded.length, scores, spread } }, spread);
    }
    return guardAgainstLocal(grade, {
      margin: llm.guardMargin,
      localNormalizedScore: local.grade.normalizedScore,
      unsupportedShare: chosen.unsupportedShare,
    });
  }

  return { mode: 'llm', score };
}
