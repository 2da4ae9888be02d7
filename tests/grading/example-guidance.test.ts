import { describe, expect, it } from 'vitest';
import {
  fitPanelPrior,
  fitScoreMapping,
  guideByExamples,
  NO_PANEL,
  type ExampleEvidence,
} from '../../src/grading/local-scorer/example-guidance.js';
import type { GradedExample } from '../../src/examples/graded-example.js';
import { scoringInputForRubric } from '../../src/grading/scorer.js';
import { createTestGrader, loadCandidateAnswers } from '../helpers/test-grader.js';

const example = (id: string, humanScore: number, referenceScore: number, similarity: number): ExampleEvidence => ({
  id,
  humanScore,
  referenceScore,
  similarity,
});

describe('fitScoreMapping', () => {
  it('is "no change" without examples', () => {
    expect(fitScoreMapping([])).toEqual({ intercept: 0, slope: 1 });
  });

  it('follows many examples on a line, and a few only part of the way', () => {
    const line = (count: number) =>
      Array.from({ length: count }, (_, index) => ({
        referenceScore: index / count,
        humanScore: 0.4 + 0.5 * (index / count),
      }));
    const many = fitScoreMapping(line(4000));
    expect(many.intercept).toBeCloseTo(0.4, 1);
    expect(many.slope).toBeCloseTo(0.5, 1);
    const few = fitScoreMapping(line(4));
    // Pulled towards y = x: the intercept lies between 0 and 0.4.
    expect(few.intercept).toBeGreaterThan(0.05);
    expect(few.intercept).toBeLessThan(many.intercept);
  });
});

describe('fitPanelPrior', () => {
  // A panel more generous than our scale on every question: human ≈ 0.4 + 0.6 × ours, with a little noise.
  const generous = (question: number, count: number) =>
    Array.from({ length: count }, (_, index) => {
      const referenceScore = ((index * 7 + question * 3) % 10) / 10;
      return {
        referenceScore,
        humanScore: Math.min(1, 0.4 + 0.6 * referenceScore + ((index + question) % 3) * 0.02 - 0.02),
      };
    });

  it('needs examples of at least three questions before it speaks for the panel', () => {
    expect(fitPanelPrior([generous(1, 10), generous(2, 10)])).toEqual(NO_PANEL);
    expect(fitPanelPrior([generous(1, 10), generous(2, 10), generous(3, 2)])).toEqual(NO_PANEL);
  });

  it('learns a leaning every question shares, so a question with two examples follows it', () => {
    const panel = fitPanelPrior(Array.from({ length: 20 }, (_, question) => generous(question, 10)));
    expect(Math.abs(panel.mapping.intercept - 0.4)).toBeLessThan(0.1);
    expect(Math.abs(panel.mapping.slope - 0.6)).toBeLessThan(0.1);
    const twoExamples = generous(9, 2);
    const alone = fitScoreMapping(twoExamples);
    const withPanel = fitScoreMapping(twoExamples, panel.strength, panel.mapping);
    // At a weak answer (ours 0.1) the panel says 0.46; "no change" alone stays far below it.
    const at = (mapping: { intercept: number; slope: number }) => mapping.intercept + mapping.slope * 0.1;
    expect(Math.abs(at(withPanel) - 0.46)).toBeLessThan(0.06);
    expect(Math.abs(at(alone) - 0.46)).toBeGreaterThan(0.15);
  });

  it("lets each question speak when the panel's questions disagree", () => {
    // Half the questions strict (human = 0.5 × ours), half generous (0.5 + 0.5 × ours): no common leaning.
    const questions = Array.from({ length: 8 }, (_, question) =>
      Array.from({ length: 6 }, (_, index) => {
        const referenceScore = index / 5;
        return { referenceScore, humanScore: question % 2 === 0 ? 0.5 * referenceScore : 0.5 + 0.5 * referenceScore };
      }),
    );
    const panel = fitPanelPrior(questions);
    const agreeing = fitPanelPrior(Array.from({ length: 8 }, (_, question) => generous(question, 6)));
    expect(panel.strength.level).toBeLessThan(agreeing.strength.level);
    const strict = fitScoreMapping(questions[0], panel.strength, panel.mapping);
    expect(strict.intercept + strict.slope * 0.8).toBeLessThan(0.5);
  });
});

describe('guideByExamples', () => {
  it('keeps the mapped score when no example resembles the answer', () => {
    const guidance = guideByExamples(0.5, [example('a', 1, 0.5, 0), example('b', 0, 0.5, 0)]);
    const mapped = guidance.mapping.intercept + guidance.mapping.slope * 0.5;
    expect(guidance.score).toBeCloseTo(mapped, 6);
    expect(guidance.shares).toEqual([0, 0]);
  });

  it('lets a near-identical graded example carry most of the grade', () => {
    const examples = [example('close', 0.2, 0.8, 0.95), example('far', 1, 0.8, 0.3), example('other', 0.9, 0.7, 0.2)];
    const guidance = guideByExamples(0.8, examples);
    expect(guidance.score).toBeLessThan(0.5);
    expect(guidance.shares[0]).toBeGreaterThan(0.5);
    expect(guidance.shares[0]).toBeGreaterThan(10 * guidance.shares[1]);
    expect(guidance.shares.reduce((sum, share) => sum + share, 0)).toBeLessThanOrEqual(1);
  });
});

describe('the local scorer with graded examples', () => {
  const { grader } = createTestGrader();
  const rubric = grader.bank.rubrics.find((entry) => entry.id === 'q4')!;
  const candidates = loadCandidateAnswers();
  const answer = candidates.q4.partial;
  const graded = (id: string, text: string, score: number): GradedExample => ({
    id,
    questionId: 'q4',
    answer: text,
    score,
    maxScore: 5,
  });

  it('moves the grade towards how the interviewer graded a near-identical answer, and says so', () => {
    const alone = grader.scorer.assess(scoringInputForRubric(rubric, answer, 1));
    const examples = [
      graded('ex-strict', `${answer} That is all.`, 0),
      graded('ex-reference', rubric.referenceAnswer, 5),
    ];
    const guided = grader.scorer.assess({ ...scoringInputForRubric(rubric, answer, 1), examples });
    expect(guided.grade.normalizedScore).toBeLessThan(alone.grade.normalizedScore - 0.1);
    expect(guided.referenceScore).toBeCloseTo(alone.referenceScore, 6);
    expect(guided.grade.examples?.map((entry) => entry.id)).toEqual(['ex-strict', 'ex-reference']);
    expect(guided.grade.examples?.[0].weight).toBeGreaterThan(guided.grade.examples?.[1].weight ?? 1);
    expect(guided.grade.rationale).toContain('ex-strict (graded 0/5)');
  });

  it('gives an empty answer nothing whatever the examples say', () => {
    const guided = grader.scorer.assess({
      ...scoringInputForRubric(rubric, '', 1),
      examples: [graded('ex-generous', 'anything', 5)],
    });
    expect(guided.grade.score).toBe(0);
    expect(guided.grade.examples).toBeUndefined();
  });
});
