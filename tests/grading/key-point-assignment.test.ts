import { describe, expect, it } from 'vitest';
import type { Grade } from '../../src/grading/grade-schema.js';
import { createTestGrader } from '../helpers/test-grader.js';

const { grader } = createTestGrader();

const keyPoint = (grade: Grade, id: string) => {
  const found = grade.keyPoints.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no key point ${id}`);
  return found;
};

describe('each key point is quoted from the words that make it', () => {
  it('finds quantization in a list of optimisations, and quotes the model-version sentence for versioning (q6)', async () => {
    const answer =
      'I would profile first to find the bottleneck. Then I shrink it with post-training quantization and pruning, and convert it to TensorFlow Lite for mobile. For serving I export a SavedModel and run TensorFlow Serving with batching. Each model version goes in its own numbered folder so I can roll back quickly.';
    const grade = await grader.grade({ questionId: 'q6', answer });
    const quantization = keyPoint(grade, 'quantization');
    expect(quantization.status).not.toBe('missing');
    expect(quantization.evidence).toContain('post-training quantization');
    // The same words alone earn the same status: the rest of the sentence takes nothing away.
    const alone = await grader.grade({
      questionId: 'q6',
      answer: 'I shrink the model with post-training quantization',
    });
    expect(keyPoint(alone, 'quantization').status).toBe(quantization.status);
    const versioning = keyPoint(grade, 'versioning');
    expect(versioning.status).not.toBe('missing');
    expect(versioning.evidence).toContain('numbered folder');
    expect(versioning.evidence).not.toMatch(/quantization|SavedModel/);
    expect(keyPoint(grade, 'serving-platform').evidence).toContain('TensorFlow Lite');
  });

  it('credits the query-flexibility clause to query flexibility, not consistency (q13, examples/answers.csv A-1007)', async () => {
    const answer =
      'For most applications I start with PostgreSQL because transactions and joins make the application code simpler, and it handles more load than people think with proper indexing and read replicas. I move a workload to DynamoDB when it has a simple key-based access pattern and needs to scale beyond what a single primary can handle, accepting that queries become less flexible and reads are eventually consistent by default.';
    const grade = await grader.grade({ questionId: 'q13', answer });
    const flexibility = keyPoint(grade, 'query-flexibility');
    expect(flexibility.status).not.toBe('missing');
    expect(flexibility.evidence).toContain('queries become less flexible');
    const consistency = keyPoint(grade, 'consistency');
    expect(consistency.status).toBe('covered');
    expect(consistency.evidence).toContain('eventually consistent');
    expect(consistency.evidence).not.toContain('flexible');
  });

  it('does not credit consistency for a sentence that only names both databases (q13, examples/answers.csv A-1006)', async () => {
    const answer = 'Dynamo when you need scale and Postgres when you need SQL. It depends on the use case.';
    const grade = await grader.grade({ questionId: 'q13', answer });
    expect(keyPoint(grade, 'consistency').status).toBe('missing');
    // Each of the two clauses goes to the point it makes.
    expect(keyPoint(grade, 'scalability').evidence).toBe('Dynamo when you need scale');
    expect(keyPoint(grade, 'query-flexibility').evidence).toBe('Postgres when you need SQL');
  });

  it('quotes different words of the README answer for each q4 key point', async () => {
    const answer =
      'Eager mode runs every op as soon as it is called, so I can debug with print and pdb while prototyping. Graph mode traces the function with tf.function into a graph that TensorFlow can optimise and export as a SavedModel, so I wrap the training step and the serving function in tf.function for production.';
    const grade = await grader.grade({ questionId: 'q4', answer });
    const ranges = grade.keyPoints.map(({ id, evidence }) => {
      expect(evidence, id).not.toBeNull();
      const start = answer.indexOf(evidence ?? '');
      return [start, start + (evidence ?? '').length] as const;
    });
    for (const [index, [start, end]] of ranges.entries()) {
      for (const [otherStart, otherEnd] of ranges.slice(index + 1))
        expect(start < otherEnd && otherStart < end, grade.keyPoints[index].id).toBe(false);
    }
    expect(keyPoint(grade, 'eager-runs-immediately').evidence).toBe('Eager mode runs every op as soon as it is called');
  });
});
