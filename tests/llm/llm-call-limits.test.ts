import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBilledReply } from '../../src/llm/billed-usage.js';
import { isInterruption } from '../../src/llm/call-deadline.js';
import { RetryAfterTooLong, withRetries } from '../../src/llm/retry-policy.js';
import { runQuietBatch, writeAnswersJsonl } from '../batch/batch-fixtures.js';
import { honest, reply, useFakeOpenAi } from '../helpers/fake-openai-server.js';
import { createLlmTestGrader } from '../helpers/llm-test-grader.js';
import { loadCandidateAnswers } from '../helpers/test-grader.js';

const GOOD = loadCandidateAnswers().q4.paraphrase;

const fake = useFakeOpenAi();

const waitFor = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
};

describe('one deadline per model call', () => {
  it('fails a reply whose body trickles in a byte a second at the timeout, retries, then grades locally', async () => {
    const { grader } = createLlmTestGrader(fake().url, { cache: false, timeoutMs: 400, maxRetries: 1 });
    fake().setDefault(reply.delivered({ trickleMsPerByte: 1_000 }));
    const started = Date.now();
    const grade = await grader.grade({ questionId: 'q4', answer: GOOD });
    // Two calls of 0.4 s each and a short backoff; without the deadline it would take the body's ~20 minutes.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(fake().chatRequests()).toHaveLength(2);
    expect(grade.flags).toContain('llm_unavailable');
    expect(grade.rationale).toMatch(/\(timeout\)/);
  });
});

describe('stopping (Ctrl-C, SIGTERM)', () => {
  it('aborts a model call in flight as an interruption, not a local grade', async () => {
    const stop = new AbortController();
    const { grader } = createLlmTestGrader(fake().url, { cache: false, timeoutMs: 60_000 }, {}, { stop: stop.signal });
    fake().setDefault(reply.slow(30_000));
    const grading = grader.grade({ questionId: 'q4', answer: GOOD }).then(
      () => 'graded',
      (error: unknown) => (isInterruption(error) ? 'interrupted' : String(error)),
    );
    await waitFor(() => fake().chatRequests().length > 0);
    stop.abort();
    expect(await grading).toBe('interrupted');
  });

  it('leaves the answers in flight ungraded and out of errors.jsonl, so the next run grades them', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'answerkey-llm-stop-'));
    const input = join(scratch, 'answers.jsonl');
    const out = join(scratch, 'out');
    const total = writeAnswersJsonl(input, 2, 3);
    const stop = new AbortController();
    const first = createLlmTestGrader(fake().url, { cache: false, timeoutMs: 60_000 }, {}, { stop: stop.signal });
    fake().setDefault(reply.slow(30_000));
    const running = runQuietBatch({
      inputPath: input,
      outDirectory: out,
      concurrency: 4,
      mode: 'llm',
      grader: first.grader,
      shouldStop: () => stop.signal.aborted,
    });
    await waitFor(() => fake().chatRequests().length >= 2);
    stop.abort();
    const stopped = await running;
    expect(stopped.interrupted).toBe(true);
    expect(stopped.failed).toEqual([]);
    expect(stopped.remaining).toBe(total - stopped.graded);
    expect(readFileSync(join(out, 'errors.jsonl'), 'utf8')).not.toMatch(/interrupted/);

    fake().setDefault(honest);
    const second = createLlmTestGrader(fake().url, { cache: false });
    const resumed = await runQuietBatch({
      inputPath: input,
      outDirectory: out,
      concurrency: 4,
      mode: 'llm',
      grader: second.grader,
    });
    expect(resumed.graded + resumed.alreadyDone).toBe(total);
    const rows = readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n');
    expect(rows).toHaveLength(total);
    expect(rows.filter((row) => row.includes('llm_unavailable'))).toEqual([]);
  });
});

describe('billed tokens and usage figures', () => {
  it('counts the tokens of a reply that does not parse (json-schema mode), and of its repair', async () => {
    const { grader } = createLlmTestGrader(
      fake().url,
      { cache: false },
      { ANSWERKEY_LLM_STRUCTURED_OUTPUT: 'json-schema' },
    );
    fake().enqueue(reply.content('not JSON at all'), reply.content('still not JSON'));
    const grade = await grader.grade({ questionId: 'q4', answer: GOOD });
    expect(grade.flags).toContain('llm_unavailable');
    const served = fake().tokensServed();
    expect(served.completionTokens).toBeGreaterThan(0);
    expect(grade.usage).toMatchObject(served);
  });

  it('counts an impossible usage figure (1e12 tokens) as 0 and says so, instead of a bill of millions', async () => {
    const { grader, notices } = createLlmTestGrader(fake().url, { cache: false });
    fake().enqueue(reply.delivered({ usage: { prompt_tokens: 1e12, completion_tokens: 1e12 } }));
    const grade = await grader.grade({ questionId: 'q4', answer: GOOD });
    expect(grade.flags).not.toContain('llm_unavailable');
    expect(grade.usage).toMatchObject({ promptTokens: 0, completionTokens: 0 });
    expect(grade.usage?.estimatedCostUsd ?? 0).toBeLessThan(1);
    expect(notices.join('\n')).toMatch(/impossible token count/);
  });

  it('reads usage and finish reason from a completion body, rejecting negative and non-numbers', () => {
    expect(
      readBilledReply({ usage: { prompt_tokens: 10, completion_tokens: 5 }, choices: [{ finish_reason: 'length' }] }),
    ).toEqual({ promptTokens: 10, completionTokens: 5, finishReason: 'length', implausible: false });
    expect(readBilledReply({ usage: { prompt_tokens: -1, completion_tokens: 'many' } })).toMatchObject({
      promptTokens: 0,
      completionTokens: 0,
      implausible: true,
    });
  });
});

describe('a reply cut off at the length limit', () => {
  it('gets a repair attempt that says it was cut off, and the repaired verdict is used', async () => {
    const { grader } = createLlmTestGrader(fake().url, { cache: false });
    fake().enqueue(
      reply.delivered(
        { finishReason: 'length' },
        reply.toolArguments('{"keyPoints": [{"id": "eager-runs-immediately", "status": "cov'),
      ),
    );
    const grade = await grader.grade({ questionId: 'q4', answer: GOOD });
    const requests = fake().chatRequests();
    expect(requests).toHaveLength(2);
    expect(requests[1].body.messages.at(-1)?.content).toMatch(/cut off at the length limit/);
    expect(grade.flags).not.toContain('llm_unavailable');
    expect(grade.usage).toMatchObject(fake().tokensServed());
  });
});

describe('Retry-After beyond the retry budget', () => {
  it('fails over to the local grade at once, with the reason, instead of retrying early', async () => {
    const { grader } = createLlmTestGrader(fake().url, { cache: false, maxRetries: 3 });
    fake().setDefault(reply.error(429, { 'retry-after': '3600' }));
    const grade = await grader.grade({ questionId: 'q4', answer: GOOD });
    expect(fake().chatRequests()).toHaveLength(1);
    expect(grade.flags).toContain('llm_unavailable');
    expect(grade.rationale).toMatch(/asked to wait longer than a retry may/);
  });

  it('waits when the time asked is within the budget', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withRetries(
      async () => {
        calls += 1;
        if (calls === 1)
          throw Object.assign(new Error('busy'), { status: 429, headers: new Headers({ 'retry-after': '3' }) });
        return 'ok';
      },
      {
        maxRetries: 2,
        baseDelayMs: 1,
        maxDelayMs: 20_000,
        sleep: async (milliseconds) => void delays.push(milliseconds),
      },
    );
    expect(result).toBe('ok');
    expect(delays).toEqual([3_000]);
    await expect(
      withRetries(
        async () =>
          Promise.reject(
            Object.assign(new Error('busy'), { status: 429, headers: new Headers({ 'retry-after': '3600' }) }),
          ),
        { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 20_000 },
      ),
    ).rejects.toBeInstanceOf(RetryAfterTooLong);
  });
});
