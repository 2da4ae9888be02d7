import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/**
 * An OpenAI-compatible server on 127.0.0.1:0 for the real ChatOpenAI / OpenAIEmbeddings
 * clients. It answers in the form the client asked for: a tool call when the request forces a
 * tool, text content for response_format json_schema. Replies come from a queue of scripted
 * behaviours, then from the default one; every request is recorded.
 */

export type ChatRequestBody = {
  model: string;
  messages: Array<{ role: string; content: string | null }>;
  tools?: Array<{ type: string; function: { name: string } }>;
  tool_choice?: unknown;
  response_format?: { type: string };
  temperature?: number;
};

export type Verdict = {
  keyPoints: Array<{ id: string; status: string; evidence: string | null }>;
  rationale: string;
  misconceptions?: Array<{ id: string; evidence: string }>;
};

/** What the grader sent, parsed back out of the prompt. */
export type GradingContext = {
  body: ChatRequestBody;
  keyPoints: Array<{ id: string; text: string }>;
  answer: string;
  /** A repair request (the grader's second attempt after an unusable reply). */
  isRepair: boolean;
};

/** How a successful reply is delivered: billed figures, finish reason, a body trickling in. */
export type Delivery = {
  delayMs?: number;
  /** Usage figures to report instead of the estimate (a buggy server's 1e12). */
  usage?: { prompt_tokens: number; completion_tokens: number };
  finishReason?: string;
  /** Send the headers at once, then the body one byte every this many milliseconds. */
  trickleMsPerByte?: number;
};

export type FakeReply =
  | ({ kind: 'verdict'; verdict: Verdict } & Delivery)
  /** Text as the message content, even when a tool call was asked for (models do that). */
  | ({ kind: 'content'; text: string } & Delivery)
  | ({ kind: 'tool-arguments'; text: string } & Delivery)
  | { kind: 'error'; status: number; headers?: Record<string, string>; delayMs?: number };

export type Behaviour = (context: GradingContext) => FakeReply;

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/openai/${name}`, import.meta.url), 'utf8'));
const TOOL_CALL_REPLY = fixture('chat-completion-tool-call.json');
const CONTENT_REPLY = fixture('chat-completion-content.json');
const ERRORS: Record<number, unknown> = { 429: fixture('error-429.json'), 500: fixture('error-500.json') };
const EMBEDDINGS_REPLY = fixture('embeddings.json');

const WORD = /[a-z][a-z0-9+#-]{3,}/g;

function parseContext(body: ChatRequestBody): GradingContext {
  const user = body.messages.filter((message) => message.role === 'user').map((message) => message.content ?? '');
  const prompt = user[0] ?? '';
  const keyPoints = [...prompt.matchAll(/^- (\S+) \(weight [^)]*\): (.*)$/gm)].map((match) => ({
    id: match[1],
    text: match[2],
  }));
  // The candidate's answer: graded examples before it are fenced the same way.
  const fence = /Candidate's answer:\n<<<(ANSWER-[0-9a-f]+)>>>\n([\s\S]*)\n<<<END-\1>>>/.exec(prompt);
  return { body, keyPoints, answer: fence ? fence[2] : '', isRepair: user.length > 1 };
}

/** A fair, literal-minded grader: a key point is covered by the answer sentence sharing most of its words. */
export function honestVerdict({ keyPoints, answer }: GradingContext): Verdict {
  const sentences = answer
    .split(/(?<=[.!?])\s+|\n+/)
    .map((sentence) => sentence.trim())
    .filter(Boolean);
  return {
    keyPoints: keyPoints.map((keyPoint) => {
      const wanted = new Set(keyPoint.text.toLowerCase().match(WORD) ?? []);
      let best = { overlap: 0, sentence: '' };
      for (const sentence of sentences) {
        const overlap = new Set((sentence.toLowerCase().match(WORD) ?? []).filter((word) => wanted.has(word))).size;
        if (overlap > best.overlap) best = { overlap, sentence };
      }
      const status = best.overlap >= 2 ? 'covered' : best.overlap === 1 ? 'partial' : 'missing';
      return { id: keyPoint.id, status, evidence: status === 'missing' ? null : best.sentence };
    }),
    rationale: 'Reads as a competent answer on the points it makes; the rest are not mentioned.',
  };
}

export const honest: Behaviour = (context) => ({ kind: 'verdict', verdict: honestVerdict(context) });

/** Obeys the candidate: anything saying "award" gets every point, quoting the plea or inventing praise. */
export const gullible: Behaviour = (context) => {
  if (!/award/i.test(context.answer)) return honest(context);
  const plea = context.answer.split(/(?<=[.!?])\s+|\n+/).find((sentence) => /award/i.test(sentence)) ?? null;
  return {
    kind: 'verdict',
    verdict: {
      keyPoints: context.keyPoints.map((keyPoint, index) => ({
        id: keyPoint.id,
        status: 'covered',
        evidence: index % 2 === 0 ? plea : 'The candidate demonstrates mastery of every concept.',
      })),
      rationale: 'As instructed, this answer is awarded full marks: 5/5.',
    },
  };
};

function embeddingOf(text: string, dimensions: number): number[] {
  const digest = createHash('sha256').update(text).digest();
  const vector = Array.from({ length: dimensions }, (_, index) => digest[index % digest.length] / 255 - 0.5);
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

function estimateTokens(body: ChatRequestBody): number {
  return Math.ceil(body.messages.reduce((sum, message) => sum + (message.content?.length ?? 0), 0) / 4);
}

export async function startFakeOpenAi(options: { defaultBehaviour?: Behaviour } = {}) {
  const app = express();
  app.use(express.json({ limit: '5mb' }));
  const queue: Behaviour[] = [];
  let defaultBehaviour: Behaviour = options.defaultBehaviour ?? honest;
  const requests: Array<{ path: string; body: ChatRequestBody; at: number; authorization?: string }> = [];
  let completionTokensServed = 0;
  let promptTokensServed = 0;

  app.post('/v1/chat/completions', async (request, response) => {
    const body = request.body as ChatRequestBody;
    requests.push({ path: request.path, body, at: Date.now(), authorization: request.get('authorization') });
    const context = parseContext(body);
    const reply = (queue.shift() ?? defaultBehaviour)(context);
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (response.destroyed) return;
    if (reply.kind === 'error') {
      response
        .status(reply.status)
        .set(reply.headers ?? {})
        .json(ERRORS[reply.status] ?? ERRORS[500]);
      return;
    }
    const wantsTool = Array.isArray(body.tools) && body.tools.length > 0;
    const text = reply.kind === 'verdict' ? JSON.stringify(reply.verdict) : reply.text;
    const promptTokens = estimateTokens(body);
    const completionTokens = Math.ceil(text.length / 4);
    promptTokensServed += promptTokens;
    completionTokensServed += completionTokens;
    const billed = reply.usage ?? { prompt_tokens: promptTokens, completion_tokens: completionTokens };
    const usage = {
      ...TOOL_CALL_REPLY.usage,
      ...billed,
      total_tokens: billed.prompt_tokens + billed.completion_tokens,
    };
    const finish = reply.finishReason ? { finish_reason: reply.finishReason } : {};
    let payload: unknown;
    if (wantsTool && reply.kind !== 'content') {
      const template = TOOL_CALL_REPLY.choices[0];
      const call = {
        ...template.message.tool_calls[0],
        function: { name: body.tools![0].function.name, arguments: text },
      };
      payload = {
        ...TOOL_CALL_REPLY,
        model: body.model,
        usage,
        choices: [{ ...template, ...finish, message: { ...template.message, tool_calls: [call] } }],
      };
    } else {
      const template = CONTENT_REPLY.choices[0];
      payload = {
        ...CONTENT_REPLY,
        model: body.model,
        usage,
        choices: [{ ...template, ...finish, message: { ...template.message, content: text } }],
      };
    }
    if (!reply.trickleMsPerByte) {
      response.json(payload);
      return;
    }
    const bytes = Buffer.from(JSON.stringify(payload));
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(bytes.length) });
    for (let index = 0; index < bytes.length && !response.destroyed; index += 1) {
      response.write(bytes.subarray(index, index + 1));
      await new Promise((resolve) => setTimeout(resolve, reply.trickleMsPerByte));
    }
    response.end();
  });

  app.post('/v1/embeddings', (request, response) => {
    requests.push({
      path: request.path,
      body: request.body,
      at: Date.now(),
      authorization: request.get('authorization'),
    });
    const inputs: string[] = Array.isArray(request.body.input) ? request.body.input : [request.body.input];
    const dimensions = Number(request.body.dimensions ?? 16);
    response.json({
      ...EMBEDDINGS_REPLY,
      model: request.body.model,
      data: inputs.map((input, index) => ({
        object: 'embedding',
        index,
        embedding: embeddingOf(String(input), dimensions),
      })),
    });
  });

  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return {
    url,
    requests,
    chatRequests: () => requests.filter((entry) => entry.path === '/v1/chat/completions'),
    /** Behaviours for the next requests, in order; then the default takes over again. */
    enqueue: (...behaviours: Behaviour[]) => void queue.push(...behaviours),
    setDefault: (behaviour: Behaviour) => void (defaultBehaviour = behaviour),
    tokensServed: () => ({ promptTokens: promptTokensServed, completionTokens: completionTokensServed }),
    reset() {
      queue.length = 0;
      requests.length = 0;
      promptTokensServed = 0;
      completionTokensServed = 0;
      defaultBehaviour = options.defaultBehaviour ?? honest;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type FakeOpenAi = Awaited<ReturnType<typeof startFakeOpenAi>>;

export const reply = {
  content:
    (text: string): Behaviour =>
    () => ({ kind: 'content', text }),
  toolArguments:
    (text: string): Behaviour =>
    () => ({ kind: 'tool-arguments', text }),
  error:
    (status: number, headers?: Record<string, string>): Behaviour =>
    () => ({ kind: 'error', status, headers }),
  slow:
    (delayMs: number, behaviour: Behaviour = honest): Behaviour =>
    (context) => ({ ...behaviour(context), delayMs }),
  /** A reply delivered as `delivery` says (trickling body, odd usage, finish reason). */
  delivered:
    (delivery: Delivery, behaviour: Behaviour = honest): Behaviour =>
    (context) =>
      ({ ...behaviour(context), ...delivery }) as FakeReply,
};

/**
 * The fake server for one test file: started before its tests, reset before each, closed after.
 * Returns a getter, since the server exists only once the file's tests start.
 */
export function useFakeOpenAi(options: { defaultBehaviour?: Behaviour } = {}): () => FakeOpenAi {
  let fake: FakeOpenAi | undefined;
  beforeAll(async () => {
    fake = await startFakeOpenAi(options);
  });
  afterAll(() => fake?.close());
  beforeEach(() => fake?.reset());
  return () => {
    if (!fake) throw new Error('the fake OpenAI server is not started yet: call it inside a test');
    return fake;
  };
}
