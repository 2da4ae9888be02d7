import { describe, expect, it } from 'vitest';
import { AnswerkeyError } from '../../src/errors/answerkey-error.js';
import { createTestGrader } from '../helpers/test-grader.js';

const { grader } = createTestGrader();
const question = 'Why would you put a message queue between two services?';
const referenceAnswer =
  'A queue decouples the producer from the consumer, so either can fail or be deployed independently. ' +
  'It absorbs bursts of traffic by buffering work until consumers catch up. ' +
  'It lets you retry failed messages and send poison messages to a dead-letter queue.';

describe('grading against an inline question and reference (no bank entry)', () => {
  it('derives key points from the reference and grades a strong answer in other words highly', async () => {
    const grade = await grader.grade({
      question,
      referenceAnswer,
      answer:
        'With a broker like SQS or RabbitMQ in the middle, the sender does not need the receiver to be up: each side can crash or be redeployed on its own. ' +
        'Spikes of load pile up in the queue and are worked off later instead of overwhelming the consumer. ' +
        'Failed deliveries can be retried, and messages that keep failing end up in a dead-letter queue for inspection.',
    });
    expect(grade.questionId).toBeNull();
    expect(grade.reference).toEqual({ questionId: null, similarity: 1 });
    expect(grade.keyPoints.map((keyPoint) => keyPoint.id)).toEqual(['kp1', 'kp2', 'kp3']);
    expect(grade.maxScore).toBe(5);
    // Lower than with a bank rubric, whose key points list other wordings; still above "weak".
    expect(grade.normalizedScore).toBeGreaterThanOrEqual(0.45);
  });

  it('ranks a strong answer above a vague one above an unrelated one', async () => {
    const strong = await grader.grade({
      question,
      referenceAnswer,
      answer:
        'It decouples producer and consumer so each can fail independently, buffers traffic bursts, and allows retries with a dead-letter queue for poison messages.',
    });
    const vague = await grader.grade({
      question,
      referenceAnswer,
      answer: 'Queues are useful for communication between services and they make things more reliable.',
    });
    const unrelated = await grader.grade({
      question,
      referenceAnswer,
      answer:
        'I would normalise the database schema to third normal form and add indexes on foreign keys to speed up joins.',
    });
    expect(strong.normalizedScore).toBeGreaterThan(vague.normalizedScore + 0.15);
    // Both are "poor"; below 0.1 their order is noise, so what tells them apart is the flag.
    for (const weak of [vague, unrelated]) expect(weak.band).toBe('poor');
    expect(unrelated.flags).toContain('off_topic');
    expect(vague.flags).not.toContain('off_topic');
  });

  it('uses the requested scale', async () => {
    const grade = await grader.grade({ question, referenceAnswer, maxScore: 10, answer: referenceAnswer });
    expect(grade.maxScore).toBe(10);
    expect(grade.score).toBeCloseTo(grade.normalizedScore * 10, 1);
    expect(grade.normalizedScore).toBeGreaterThanOrEqual(0.95);
  });

  it('refuses an inline reference without its question', async () => {
    const error = await grader.grade({ referenceAnswer, answer: 'anything' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AnswerkeyError);
    expect((error as AnswerkeyError).code).toBe('invalid_input');
  });
});
