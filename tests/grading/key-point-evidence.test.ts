import { describe, expect, it } from 'vitest';
import type { Grade } from '../../src/grading/grade-schema.js';
import { createTestGrader, loadCandidateAnswers } from '../helpers/test-grader.js';

const { grader } = createTestGrader();
const candidates = loadCandidateAnswers();

const statusOf = (grade: Grade, id: string) => grade.keyPoints.find((keyPoint) => keyPoint.id === id)?.status;

function expectQuotedWhereCredited(grade: Grade, answer: string, label: string) {
  for (const keyPoint of grade.keyPoints) {
    if (keyPoint.status === 'missing') continue;
    expect(keyPoint.evidence, `${label}: ${keyPoint.id}`).not.toBeNull();
    expect(answer, `${label}: ${keyPoint.id}`).toContain(keyPoint.evidence);
  }
}

describe('key points are credited only with a quote that makes them', () => {
  it('quotes every covered or partial key point, for partial answers and answers to other questions too', async () => {
    const rubrics = grader.bank.rubrics;
    for (const [index, rubric] of rubrics.entries()) {
      const answers = [
        candidates[rubric.id].partial,
        candidates[rubric.id].paraphrase,
        rubrics[(index + 3) % rubrics.length].referenceAnswer,
      ];
      for (const answer of answers)
        expectQuotedWhereCredited(await grader.grade({ questionId: rubric.id, answer }), answer, rubric.id);
    }
    for (const answer of [
      'Arrays are passed by pointer to the first element',
      'you pass a pointer to the first item and also pass the size.',
    ]) {
      const grade = await grader.grade({
        question: 'How are arrays passed to functions?',
        referenceAnswer: 'by reference.',
        answer,
      });
      expectQuotedWhereCredited(grade, answer, answer);
    }
  });

  it('does not credit the circuit breaker for a sentence about correlation ids', async () => {
    const answer =
      'For logging I use the Python logging module with JSON output and send everything to Elasticsearch. Every request gets a correlation id so we can search for it in Kibana, and we mask passwords in the logs.';
    const grade = await grader.grade({ questionId: 'q11', answer });
    expect(statusOf(grade, 'circuit-breaker')).toBe('missing');
  });

  it('does not count a key point the answer denies or dismisses, and is less sure of such a grade', async () => {
    const negated = await grader.grade({
      questionId: 'q5',
      answer:
        'I would not look at training and validation curves, and I would never use dropout or L2 regularization. Early stopping is useless. Data augmentation does not help.',
    });
    const affirmed = await grader.grade({
      questionId: 'q5',
      answer:
        'I would look at training and validation curves, and I would use dropout or L2 regularization. Early stopping is useful. Data augmentation helps.',
    });
    expect(negated.keyPoints.filter((keyPoint) => keyPoint.status !== 'missing')).toEqual([]);
    expect(affirmed.keyPoints.filter((keyPoint) => keyPoint.status !== 'missing').length).toBeGreaterThanOrEqual(2);
    expect(negated.confidence).toBeLessThanOrEqual(affirmed.confidence - 0.15);
    expect(negated.normalizedScore).toBeLessThan(affirmed.normalizedScore);
  });
});
