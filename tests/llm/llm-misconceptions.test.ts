import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PATHS } from '../../src/config/paths.js';
import type { Grade } from '../../src/grading/grade-schema.js';
import type { LocalAssessment } from '../../src/grading/local-scorer/local-scorer.js';
import { scoringInputForRubric } from '../../src/grading/scorer.js';
import { findMisconceptions } from '../../src/llm/misconception-findings.js';
import { loadQuestionBank } from '../../src/rubrics/question-bank.js';
import { honestVerdict, useFakeOpenAi } from '../helpers/fake-openai-server.js';
import { createLlmTestGrader } from '../helpers/llm-test-grader.js';

/** A bank holding q4 with misconceptions: two under key points, one of the question's own. */
function bankWithMisconceptions(): string {
  const directory = mkdtempSync(join(tmpdir(), 'answerkey-bank-'));
  const rubric = yaml.load(readFileSync(join(DEFAULT_PATHS.bankDirectory, 'q4.yaml'), 'utf8')) as Record<string, any>;
  const point = (id: string) => rubric.keyPoints.find((keyPoint: { id: string }) => keyPoint.id === id);
  point('graph-builds-graph').misconceptions = [
    {
      id: 'graph-runs-immediately',
      text: 'Graph execution runs each operation immediately as Python reaches it',
      penalty: 1,
    },
  ];
  point('eager-runs-immediately').misconceptions = [
    { id: 'eager-builds-graph', text: 'Eager execution builds a graph first and runs it later', penalty: 1 },
  ];
  rubric.misconceptions = [
    { id: 'tf-function-slows-down', text: 'tf.function makes code slower in production', penalty: 0.5 },
  ];
  writeFileSync(join(directory, 'q4.yaml'), yaml.dump(rubric));
  return directory;
}

const WRONG =
  'Graph mode runs each operation immediately as Python reaches it, which makes debugging easy. I wrap the training step with tf.function so it is traced into a graph.';
const REAL_QUOTE = 'Graph mode runs each operation immediately as Python reaches it';

const fake = useFakeOpenAi();
let bankDirectory: string;
beforeAll(() => {
  bankDirectory = bankWithMisconceptions();
});

describe('LLM mode with misconceptions in the rubric', () => {
  it('lists them in the prompt as known mistakes, with the key point each contradicts', async () => {
    const { grader } = createLlmTestGrader(fake().url, { cache: false, bankDirectory });
    await grader.grade({ questionId: 'q4', answer: WRONG });
    const prompt = fake().chatRequests()[0].body.messages[1].content ?? '';
    expect(prompt).toContain('Known mistakes');
    expect(prompt).toContain(
      '- graph-runs-immediately (contradicts graph-builds-graph): Graph execution runs each operation immediately as Python reaches it',
    );
    expect(prompt).toContain('- tf-function-slows-down: tf.function makes code slower in production');
  });

  it('takes the penalty of a misconception quoted from the answer, marks its point missing, flags it, and drops one with an invented quote', async () => {
    const { grader } = createLlmTestGrader(fake().url, { cache: false, bankDirectory });
    const claimsGraph = (context: Parameters<typeof honestVerdict>[0]) => {
      const verdict = honestVerdict(context);
      return {
        ...verdict,
        keyPoints: verdict.keyPoints.map((entry) =>
          entry.id === 'graph-builds-graph' ? { ...entry, status: 'covered', evidence: REAL_QUOTE } : entry,
        ),
      };
    };
    fake().enqueue((context) => ({ kind: 'verdict', verdict: claimsGraph(context) }));
    const without = await grader.grade({ questionId: 'q4', answer: WRONG });
    fake().enqueue((context) => ({
      kind: 'verdict',
      verdict: {
        ...claimsGraph(context),
        misconceptions: [
          { id: 'graph-runs-immediately', evidence: REAL_QUOTE },
          { id: 'tf-function-slows-down', evidence: 'tf.function made everything slower' },
        ],
      },
    }));
    const grade: Grade = await grader.grade({ questionId: 'q4', answer: WRONG });
    // The model's listed claim, and besides it only the local scorer's own findings (the union), each quoted verbatim.
    expect(grade.misconceptions).toContainEqual({
      id: 'graph-runs-immediately',
      text: 'Graph execution runs each operation immediately as Python reaches it',
      kind: 'listed',
      keyPointId: 'graph-builds-graph',
      evidence: REAL_QUOTE,
    });
    for (const claim of grade.misconceptions) expect(WRONG).toContain(claim.evidence);
    // The invented quote's claim is dropped; the rubric's later misconceptions let the local scorer
    // find more of its own in this answer, so the listed claims are the model's plus those.
    expect(grade.misconceptions.map((claim) => claim.id)).not.toContain('tf-function-slows-down');
    const listedIds = grade.misconceptions.filter((claim) => claim.kind === 'listed').map((claim) => claim.id);
    expect(new Set(listedIds).size).toBe(listedIds.length);
    expect(grade.keyPoints.find((keyPoint) => keyPoint.id === 'graph-builds-graph')).toMatchObject({
      status: 'missing',
      evidence: null,
    });
    expect(grade.score).toBeLessThanOrEqual(Math.max(0, without.score - 1) + 1e-9);
    expect(grade.flags).toEqual(expect.arrayContaining(['contradicts_reference', 'needs_review']));
    expect(grade.rationale).toContain('"Graph execution runs each operation immediately as Python reaches it"');
    expect(grade.rationale).toMatch(/1 mistake the model reported without a quote found in the answer .* was dropped/);
  });
});

describe("findMisconceptions: the local scorer's findings", () => {
  const bank = loadQuestionBank(bankWithMisconceptions());
  const input = scoringInputForRubric(bank.get('q4')!, WRONG, 1);
  const localWith = (misconceptions: Grade['misconceptions']) =>
    ({ grade: { misconceptions } }) as unknown as LocalAssessment;
  const keyPoints = input.keyPoints.map((keyPoint) => ({
    id: keyPoint.id,
    text: keyPoint.text,
    status: 'covered' as const,
    evidence: 'x',
  }));

  it('keeps a misconception the local scorer found and the model did not, with its penalty', () => {
    const local = localWith([
      {
        id: 'graph-runs-immediately',
        text: 'Graph execution runs…',
        kind: 'listed',
        keyPointId: 'graph-builds-graph',
        evidence: REAL_QUOTE,
      },
    ]);
    const found = findMisconceptions(
      { keyPoints: [], misconceptions: [], rationale: 'ok' },
      { input, local, suspicious: [], keyPoints },
    );
    expect(found.misconceptions.map((misconception) => misconception.id)).toEqual(['graph-runs-immediately']);
    expect(found.penalty).toBe(1);
    expect(found.keyPoints.find((keyPoint) => keyPoint.id === 'graph-builds-graph')?.status).toBe('missing');
    expect(found.notes.join(' ')).toMatch(/found by the local scorer, not the model/);
  });

  it('counts a misconception both found once, and ignores a local one whose quote is not in the answer', () => {
    const local = localWith([
      {
        id: 'graph-runs-immediately',
        text: 'Graph execution runs…',
        kind: 'listed',
        keyPointId: 'graph-builds-graph',
        evidence: REAL_QUOTE,
      },
      {
        id: 'opposite:tf-function',
        text: 'tf.function opposite',
        kind: 'opposite',
        keyPointId: 'tf-function',
        evidence: 'not in the answer at all',
      },
    ]);
    const found = findMisconceptions(
      { keyPoints: [], misconceptions: [{ id: 'graph-runs-immediately', evidence: REAL_QUOTE }], rationale: 'ok' },
      { input, local, suspicious: [], keyPoints },
    );
    expect(found.misconceptions).toHaveLength(1);
    expect(found.penalty).toBe(1);
    expect(found.keyPoints.find((keyPoint) => keyPoint.id === 'tf-function')?.status).toBe('covered');
  });

  it('drops a quote taken from text addressed to the grader', () => {
    const start = WRONG.indexOf(REAL_QUOTE);
    const found = findMisconceptions(
      { keyPoints: [], misconceptions: [{ id: 'graph-runs-immediately', evidence: REAL_QUOTE }], rationale: 'ok' },
      {
        input,
        local: localWith([]),
        suspicious: [{ start, end: start + REAL_QUOTE.length, text: REAL_QUOTE }],
        keyPoints,
      },
    );
    expect(found.misconceptions).toEqual([]);
    expect(found.penalty).toBe(0);
  });
});
