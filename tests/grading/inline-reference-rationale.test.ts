import { describe, expect, it } from 'vitest';
import type { Grade } from '../../src/grading/grade-schema.js';
import { writeRationale } from '../../src/grading/local-scorer/rationale.js';
import { createTestGrader } from '../helpers/test-grader.js';

const { grader } = createTestGrader();

/** Inline questions with a one-sentence reference, so each grade has a single derived key point. */
const cases = [
  {
    question: 'How many constructors can be created for a class?',
    referenceAnswer: 'Unlimited number.',
    answers: [
      'There is no limit to the number of constructors in a class because like functions, constructors can be overloaded.',
      'As many as you want, as long as their parameter lists differ.',
      'Just one, the default constructor.',
    ],
  },
  {
    question: 'How are arrays passed to functions?',
    referenceAnswer: 'by reference.',
    answers: [
      'Arrays are passed by reference.',
      'by refrence',
      'Arrays are passed by pointer to the first element',
      'They are copied element by element.',
    ],
  },
  {
    question: 'What is the main difference between a while and a do...while statement?',
    referenceAnswer: 'The block inside a do...while statement will execute at least once.',
    // "whether or not" negates nothing.
    answers: [
      'do...while statements evaluate whether or not to loop after running the block contained within it at least once.',
    ],
  },
  {
    question: 'What is a stack?',
    referenceAnswer: 'A last-in, first-out collection.',
    answers: [
      'LIFO: you pop what you pushed last.',
      'A collection where the last item added is the first one taken out.',
      'A kind of sorted tree.',
    ],
  },
];

const OVERALL = /Overall it (closely matches|partly matches|has little in common with) the reference answer/;

function expectWordsToAgreeWithScore(grade: Grade, label: string) {
  const overall = OVERALL.exec(grade.rationale)?.[1];
  if (grade.normalizedScore >= 0.65) expect(overall, label).toBe('closely matches');
  else if (grade.normalizedScore < 0.35) expect(overall, label).toBe('has little in common with');
  else expect(overall, label).toBe('partly matches');
  const [keyPoint] = grade.keyPoints;
  if (grade.band === 'good' || grade.band === 'excellent') expect(keyPoint.status, label).not.toBe('missing');
  if (grade.band === 'weak' || grade.band === 'poor') expect(keyPoint.status, label).not.toBe('covered');
  if (keyPoint.status !== 'missing') expect(keyPoint.evidence, label).not.toBeNull();
}

describe('grades against an inline reference say what the score says', () => {
  it('words the overall match and the derived key point in line with the score', async () => {
    for (const { question, referenceAnswer, answers } of cases) {
      for (const answer of answers) {
        const grade = await grader.grade({ question, referenceAnswer, answer });
        expect(grade.keyPoints).toHaveLength(1);
        expectWordsToAgreeWithScore(grade, answer);
      }
    }
  });

  it('does not call a good answer in other words one that misses its only key point', async () => {
    const grade = await grader.grade({
      question: 'How many constructors can be created for a class?',
      referenceAnswer: 'Unlimited number.',
      answer:
        'There is no limit to the number of constructors in a class because like functions, constructors can be overloaded.',
    });
    expect(grade.band).toBe('good');
    expect(grade.rationale).not.toMatch(/little in common|0 of 1 key points\./);
    expect(grade.keyPoints[0].evidence).toContain('no limit to the number of constructors');
  });

  it('explains derived key points that show far less than the score', () => {
    const keyPoints = [
      { id: 'kp1', text: 'Unlimited number.', status: 'missing' as const, evidence: null },
      { id: 'kp2', text: 'Constructors are overloaded.', status: 'missing' as const, evidence: null },
    ];
    const derived = writeRationale(keyPoints, [], 0.7, { score: 0.7, keyPointSource: 'derived' });
    expect(derived).toMatch(/closely matches/);
    expect(derived).toMatch(/no rubric/);
    const rubric = writeRationale(keyPoints, [], 0.7, { score: 0.7, keyPointSource: 'rubric' });
    expect(rubric).not.toMatch(/no rubric/);
  });
});
