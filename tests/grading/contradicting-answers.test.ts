import { describe, expect, it } from 'vitest';
import { createTestGrader } from '../helpers/test-grader.js';

const { grader } = createTestGrader();

/**
 * An inline question has no rubric, so its score is the holistic match alone, which reads words
 * without their negation: an answer naming the reference only to deny or dismiss it matched it in
 * full (the first case scored 5/5).
 */
describe('inline-reference answers that deny or dismiss the reference', () => {
  const overfitting = {
    question: 'How do you reduce overfitting?',
    referenceAnswer: 'Use dropout. Use early stopping.',
  };
  const index = {
    question: 'What does a database index do?',
    referenceAnswer: 'An index speeds up lookups of rows by the indexed column.',
  };

  it.each([
    ['negated and dismissed', overfitting, 'I would never use dropout, and early stopping is useless.'],
    ['dismissed only', overfitting, 'Dropout is pointless, and early stopping is useless.'],
    ['negated only', index, 'Indexes never speed up row lookups by a column.'],
  ])('scores at most "weak" when %s', async (_, reference, answer) => {
    const grade = await grader.grade({ ...reference, answer });
    expect(grade.normalizedScore).toBeLessThanOrEqual(0.3);
    expect(['weak', 'poor']).toContain(grade.band);
    expect(grade.confidence).toBeLessThanOrEqual(0.5);
  });

  it('still credits the same words said in agreement', async () => {
    const grade = await grader.grade({
      ...overfitting,
      answer: 'Use dropout, and stop training early when the validation loss stops improving.',
    });
    expect(grade.normalizedScore).toBeGreaterThanOrEqual(0.85);
  });
});

describe('correct answers phrased negatively', () => {
  it.each([
    [
      'What is the difference between a constructor and a function?',
      'A constructor has no return type and is called automatically when an object is created, whereas a function must be called explicitly.',
      'A constructor does not need a return type, and it runs by itself when the object is created; a function only runs when you call it.',
    ],
    [
      'What is the difference between a constructor and a function?',
      'A constructor is called when an object is created and has a name equal to the class name.',
      'A constructor does not need a return type, and it is called when the object is created.',
    ],
    [
      'How many constructors can be created for a class?',
      'Unlimited number.',
      'There is no limit to the number of constructors in a class because like functions, constructors can be overloaded.',
    ],
  ])('keep a good score: %s', async (question, referenceAnswer, answer) => {
    const grade = await grader.grade({ question, referenceAnswer, answer });
    expect(grade.normalizedScore).toBeGreaterThanOrEqual(0.65);
  });
});
