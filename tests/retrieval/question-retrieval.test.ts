import { describe, expect, it } from 'vitest';
import { AnswerkeyError } from '../../src/errors/answerkey-error.js';
import { createTestGrader, loadCandidateAnswers } from '../helpers/test-grader.js';

const { grader } = createTestGrader();
const candidates = loadCandidateAnswers();
const answer = 'I would start with the basics and explain my reasoning.';

describe('finding the bank question for a question given as text', () => {
  it.each(grader.bank.rubrics.map((rubric) => [rubric.id, candidates[rubric.id].paraphraseQuestion]))(
    'finds %s from a reworded question: "%s"',
    async (id, question) => {
      const grade = await grader.grade({ question, answer });
      expect(grade.questionId).toBe(id);
      expect(grade.reference.similarity).toBeGreaterThanOrEqual(grader.config.matchThreshold);
      expect(grade.reference.similarity).toBeLessThanOrEqual(1);
    },
  );

  it('finds a question despite typos', async () => {
    const grade = await grader.grade({ question: 'explian eager executon vs grpah executon in tensorflw', answer });
    expect(grade.questionId).toBe('q4');
  });

  it.each([
    ['how do tf eagr mode and graph mode differ?', 'q4'],
    ['how would you stop a kerass model from overfiting', 'q5'],
  ])('finds a question despite a typo in a short or rare word: "%s"', async (question, id) => {
    const grade = await grader.grade({ question, answer });
    expect(grade.questionId).toBe(id);
    expect(grade.reference.similarity).toBeGreaterThanOrEqual(grader.config.matchThreshold);
  });

  it.each([
    'What is the capital of France?',
    'Explain Python decorators and give an example.',
    'In one sentence, what is the main idea implemented by selection sort?',
    'Tell me about yourself.',
  ])('answers "no matching question" for an unrelated question: "%s"', async (question) => {
    const error = await grader.grade({ question, answer }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AnswerkeyError);
    expect((error as AnswerkeyError).code).toBe('question_not_found');
    expect((error as AnswerkeyError).message).toMatch(/^no matching question in the bank; nearest: q\d+ \(0\.\d\d\)/);
    expect((error as AnswerkeyError).details?.nearest).toHaveLength(3);
  });

  it('finds the question an answer answers, by its reference answer', async () => {
    const hits = await Promise.all(
      grader.bank.rubrics.map(
        async (rubric) =>
          (await grader.lookup(candidates[rubric.id].paraphrase, 'reference', 1))[0]?.questionId === rubric.id,
      ),
    );
    // Measured 19 of 21; a strong answer in other words shares little vocabulary with a short reference.
    expect(hits.filter(Boolean).length).toBeGreaterThanOrEqual(18);
  });
});
