import { describe, expect, it } from 'vitest';
import type { Grade } from '../../src/grading/grade-schema.js';
import { guardAgainstOtherQuestions, OFF_TOPIC_DEFAULTS } from '../../src/grading/off-topic-guard.js';
import { scoringInputForRubric } from '../../src/grading/scorer.js';
import type { ReferenceIndex, ReferenceMatch } from '../../src/retrieval/reference-index.js';
import { createTestGrader, loadCandidateAnswers } from '../helpers/test-grader.js';

const { grader } = createTestGrader();
const candidates = loadCandidateAnswers();

describe('answers that restate the question or answer another one', () => {
  it('flags the restated question with a few filler words of its own as parroting, and quotes none of it as a key point', async () => {
    // examples/answers.csv, A-1009 on q4.
    const grade = await grader.grade({
      questionId: 'q4',
      answer:
        'Explain the differences between eager execution and graph execution in TensorFlow? Eager execution and graph execution are different in TensorFlow and you choose one over the other depending on model development and deployment.',
    });
    expect(grade.flags).toContain('parroting');
    expect(grade.normalizedScore).toBeLessThanOrEqual(0.1);
    expect(grade.keyPoints.filter((keyPoint) => keyPoint.status !== 'missing')).toEqual([]);
  });

  it('flags a logging answer given under the resilient-integration question as off topic, naming q16', async () => {
    // examples/take-homes/emre-yilmaz.md, "Question 11".
    const grade = await grader.grade({
      questionId: 'q11',
      answer:
        'For logging I use the Python logging module with JSON output and send everything to Elasticsearch. Every request gets a correlation id so we can search for it in Kibana, and we mask passwords in the logs.',
    });
    expect(grade.flags).toContain('off_topic');
    expect(grade.rationale).toMatch(/q16/);
    expect(grade.normalizedScore).toBeLessThanOrEqual(0.05);
  });

  it('flags none of the answers written for each question', async () => {
    for (const rubric of grader.bank.rubrics) {
      for (const answer of [rubric.referenceAnswer, candidates[rubric.id].paraphrase, candidates[rubric.id].partial]) {
        const grade = await grader.grade({ questionId: rubric.id, answer });
        expect(grade.flags, `${rubric.id}: ${answer.slice(0, 40)}`).not.toContain('off_topic');
        expect(grade.flags, `${rubric.id}: ${answer.slice(0, 40)}`).not.toContain('parroting');
      }
    }
  });
});

describe('the off-topic guard', () => {
  const rubric = grader.bank.get('q16')!;
  const ownGrade = (normalizedScore: number): Grade => ({
    questionId: 'q11',
    score: normalizedScore * 5,
    maxScore: 5,
    normalizedScore,
    band: 'poor',
    rationale: 'A poor answer.',
    misconceptions: [],
    keyPoints: [],
    confidence: 0.8,
    mode: 'local',
    reference: { questionId: 'q11', similarity: 1 },
    flags: [],
  });
  const config = (rivalScore: number) => ({
    ...OFF_TOPIC_DEFAULTS,
    bank: grader.bank,
    index: async (): Promise<ReferenceIndex> => ({
      search: async () => [{ questionId: 'q16', kind: 'reference', similarity: 0.9 } as ReferenceMatch],
      searchExamples: async () => [],
      examplesHash: null,
    }),
    scorer: { mode: 'local' as const, score: async () => ({ ...ownGrade(rivalScore), questionId: rubric.id }) },
  });
  const input = scoringInputForRubric(grader.bank.get('q11')!, 'answer', 1);

  it('catches an answer doing 0.29 of the scale better under another question (emre-yilmaz before key points needed quotes)', async () => {
    const guarded = await guardAgainstOtherQuestions(ownGrade(0.188), input, config(0.476));
    expect(guarded.flags).toContain('off_topic');
  });

  it('leaves an answer that does about as well elsewhere', async () => {
    const guarded = await guardAgainstOtherQuestions(ownGrade(0.271), input, config(0.275));
    expect(guarded.flags).not.toContain('off_topic');
  });
});
